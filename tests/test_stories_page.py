"""The Story bank page under AppTest: write, link, find, edit, rehearse, delete; the story on the Study card."""

from __future__ import annotations

from pathlib import Path

from test_pages import button, open_page, pick, start_answering
from test_study import wav_bytes

from mlprep import stories
from mlprep.db import Store

QUESTION = "star-disagreed-with-manager"


def write_story(at, title: str = "The metric I would not sign off", questions: tuple[str, ...] = (QUESTION,),
                result: str = "We launched two weeks later and retention rose 4%.") -> None:
    at.radio(key="stories.view").set_value("Write a story").run()
    at.text_input(key="story.title").input(title)
    at.text_area(key="story.situation").input("My manager wanted to launch on click-through rate alone.")
    at.text_area(key="story.task").input("I owned the ranking model's evaluation.")
    at.text_area(key="story.action").input("I ran a holdout, I showed the churn signal and I proposed a guardrail.")
    at.text_area(key="story.result").input(result)
    at.text_area(key="story.learned").input("I bring data to a disagreement early.")
    at.multiselect(key="story.themes").set_value(["disagreement-with-manager", "influence"])
    at.multiselect(key="story.questions").set_value(list(questions))
    next(b for b in at.button if b.label == "Save story").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""


def test_write_link_and_find_a_story(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    assert any("No stories yet" in i.value for i in at.info)
    write_story(at)
    saved = stories.all_stories(Store(data_dir))
    assert len(saved) == 1 and saved[0].question_ids == [QUESTION]
    assert saved[0].themes == ["influence", "disagreement-with-manager"]
    assert at.radio(key="stories.view").value == "My stories"
    assert any(m.value == "#### The metric I would not sign off" for m in at.markdown)
    assert any(QUESTION in m.value for m in at.markdown)  # the linked question on the card
    at.text_input(key="stories.search").input("holdout guardrail").run()
    assert any(c.value == "1 of 1 stories" for c in at.caption)
    at.text_input(key="stories.search").input("hackathon").run()
    assert any(c.value == "0 of 1 stories" for c in at.caption)
    at.text_input(key="stories.search").input("").run()
    at.multiselect(key="stories.themes").set_value(["ethics"]).run()
    assert any(c.value == "0 of 1 stories" for c in at.caption)


def test_the_linked_story_is_shown_beside_its_question_when_studying(data_dir: Path) -> None:
    write_story(open_page("pages/stories.py"))
    study = open_page("pages/study.py")
    pick(study, QUESTION)
    start_answering(study)
    button(study, "reveal_").click().run()
    assert any(m.value == "**Your stories for this question**" for m in study.markdown)
    assert [e.label for e in study.expander if "metric I would not" in e.label] == ["The metric I would not sign off"]
    assert any("I ran a holdout" in m.value for m in study.markdown)
    # Another behavioral question has no story yet: a nudge instead.
    other = open_page("pages/study.py")
    pick(other, "star-tight-deadline")
    start_answering(other)
    button(other, "reveal_").click().run()
    assert any(c.value == "No story linked to this question yet." for c in other.caption)


def test_edit_a_story_and_see_its_hints(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at, result="The launch went better.")
    assert any("Result has no number" in c.value for c in at.caption)
    story_id = stories.all_stories(Store(data_dir))[0].id
    at.button(key=f"story_edit_{story_id}").click().run()
    assert at.radio(key="stories.view").value == "Write a story"
    assert at.text_input(key="story.title").value == "The metric I would not sign off"
    at.text_area(key="story.result").input("Retention rose 4% in the launch month.")
    next(b for b in at.button if b.label == "Save story").click().run()
    edited = stories.all_stories(Store(data_dir))
    assert len(edited) == 1 and edited[0].result == "Retention rose 4% in the launch month."
    assert not any("Result has no number" in c.value for c in at.caption)


def test_coverage_shows_gaps_and_warns_about_a_stretched_story(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at, questions=(QUESTION, "star-tight-deadline", "star-proudest-impact", "star-ambiguous-ask"))
    at.radio(key="stories.view").set_value("Coverage").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Themes covered"] == f"2 of {len(stories.THEMES)}"
    assert metrics["Behavioral questions with a story"].startswith("4 of ")
    assert any("is linked to 4 questions" in w.value for w in at.warning)
    uncovered = [t for t in stories.THEMES if t not in ("influence", "disagreement-with-manager")]
    assert any(m.value == f"**Themes with no story yet** ({len(uncovered)})" for m in at.markdown)
    assert [b.key for b in at.button if b.key and b.key.startswith("story_write_theme_")] == [
        f"story_write_theme_{t}" for t in uncovered]  # conflict, failure, ... in vocabulary order
    assert any("star-model-that-did-not-work" in m.value for m in at.markdown)


def test_every_gap_in_coverage_has_write_and_link_actions(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at)
    at.radio(key="stories.view").set_value("Coverage").run()
    cover = stories.coverage(stories.all_stories(Store(data_dir)),
                             list(stories.behavioral_questions(_bank_questions())["id"]))
    keys = {w.key for w in at.button} | {w.key for w in at.selectbox}
    for theme in cover.themes_without_story:
        assert {f"story_write_theme_{theme}", f"story_link_theme_{theme}"} <= keys
    for q in cover.questions_without_story:
        assert {f"story_write_question_{q}", f"story_link_question_{q}"} <= keys
    # The full question text is there (not cut short).
    prompts = dict(zip(_bank_questions()["id"], _bank_questions()["prompt"]))
    gap = cover.questions_without_story[0]
    assert any(" ".join(prompts[gap].split()) in m.value for m in at.markdown)


def _bank_questions():
    from mlprep.bank import load_bank
    from mlprep.paths import SHIPPED_BANK_DIR

    return load_bank([SHIPPED_BANK_DIR]).questions


def test_write_a_story_from_a_gap_opens_the_form_with_it_filled_in(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    at.radio(key="stories.view").set_value("Coverage").run()
    assert not at.selectbox  # no stories yet: nothing to link, only "Write a story"
    at.button(key="story_write_theme_failure").click().run()
    assert at.radio(key="stories.view").value == "Write a story"
    assert at.multiselect(key="story.themes").value == ["failure"]
    assert at.multiselect(key="story.questions").value == []
    at.radio(key="stories.view").set_value("Coverage").run()
    at.button(key="story_write_question_star-tight-deadline").click().run()
    assert at.radio(key="stories.view").value == "Write a story"
    assert at.multiselect(key="story.questions").value == ["star-tight-deadline"]
    assert at.multiselect(key="story.themes").value == []
    at.text_input(key="story.title").input("The two-week launch")
    next(b for b in at.button if b.label == "Save story").click().run()
    [saved] = stories.all_stories(Store(data_dir))
    assert saved.title == "The two-week launch" and saved.question_ids == ["star-tight-deadline"]


def test_link_an_existing_story_to_a_gap_in_one_step(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at)
    story_id = stories.all_stories(Store(data_dir))[0].id
    at.radio(key="stories.view").set_value("Coverage").run()
    at.selectbox(key="story_link_question_star-tight-deadline").set_value(story_id).run()
    assert not at.exception
    [story] = stories.all_stories(Store(data_dir))
    assert story.question_ids == sorted([QUESTION, "star-tight-deadline"])  # the earlier link stays
    assert any("Linked “The metric I would not sign off” to star-tight-deadline." in t.value for t in at.toast)
    assert not [w for w in at.button if w.key == "story_write_question_star-tight-deadline"]  # no longer a gap
    at.selectbox(key="story_link_theme_failure").set_value(story_id).run()
    [story] = stories.all_stories(Store(data_dir))
    assert "failure" in story.themes and {"influence", "disagreement-with-manager"} <= set(story.themes)
    assert not [w for w in at.button if w.key == "story_write_theme_failure"]
    assert at.radio(key="stories.view").value == "Coverage"  # still on the coverage view


def test_rehearse_keeps_the_time_from_start_and_the_recording(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at)
    story_id = stories.all_stories(Store(data_dir))[0].id
    at.button(key=f"story_rehearse_{story_id}").click().run()
    running = at.session_state["stories.rehearsal"]
    assert any("mlprep-timer" in h.proto.body and "target = 120" in h.proto.body for h in at.get("html"))
    at.session_state["stories.rehearsal"] = {**running, "started_at": running["started_at"] - 95}
    at.audio_input(key=f"rehearse_audio_{running['id']}").set_value(("r.wav", wav_bytes(1.0), "audio/wav")).run()
    at.button(key="rehearse_done").click().run()
    times = stories.rehearsals(Store(data_dir), story_id)
    assert len(times) == 1 and 95 <= times[0].duration_s < 100
    assert times[0].audio_path == f"recordings/rehearsal-{running['id']}.wav"
    assert (data_dir / times[0].audio_path).is_file()
    assert any(c.value.startswith("Rehearsed: 1:3") for c in at.caption)
    assert "stories.rehearsal" not in at.session_state


def test_delete_asks_first(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at)
    story_id = stories.all_stories(Store(data_dir))[0].id
    at.button(key=f"story_delete_{story_id}").click().run()
    assert len(stories.all_stories(Store(data_dir))) == 1
    at.button(key=f"story_delete_yes_{story_id}").click().run()
    assert stories.all_stories(Store(data_dir)) == []
    assert any("No stories yet" in i.value for i in at.info)


def test_a_story_without_a_title_is_not_saved_and_says_why(data_dir: Path) -> None:
    at = open_page("pages/stories.py")
    write_story(at, title="  ")
    assert any("needs a title" in e.value for e in at.error)
    assert stories.all_stories(Store(data_dir)) == []
    assert at.text_area(key="story.action").value.startswith("I ran a holdout")  # nothing typed is lost
