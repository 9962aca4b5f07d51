"""The story bank: stories saved, linked, found; gaps in coverage; completeness hints; rehearsal times."""

from __future__ import annotations

import pandas as pd
import pytest

from mlprep import stories
from mlprep.db import Store
from mlprep.stories import Story

COMPLETE = Story(
    id="", title="The churn model nobody trusted",
    situation="Our churn model flagged 40% of customers. Account managers ignored it.",
    task="I owned the model and its adoption by the retention team.",
    action="I sat with three account managers, I rebuilt the score around actions they could take, "
           "and I shipped a weekly list of the top 200 accounts with reasons.",
    result="Retention offers went to 5x fewer accounts and churn fell 2.1 points in a quarter.",
    learned="I would agree the success metric with the users in week one.",
    themes=["influence", "impact"], question_ids=["star-influence-without-authority"],
)


def story(**changes) -> Story:
    return Story(**{**COMPLETE.__dict__, **changes})


def test_a_story_is_saved_read_back_edited_and_deleted(store: Store) -> None:
    sid = stories.save_story(store, COMPLETE)
    saved = stories.get_story(store, sid)
    assert saved.title == COMPLETE.title and saved.result == COMPLETE.result
    assert saved.themes == ["influence", "impact"] and saved.question_ids == ["star-influence-without-authority"]
    stories.save_story(store, story(id=sid, title="  The churn   model  ", themes=["impact", "conflict"],
                                    question_ids=["star-disagreed-with-manager", "star-proudest-impact"]))
    edited = stories.get_story(store, sid)
    assert edited.title == "The churn model" and edited.themes == ["conflict", "impact"]  # vocabulary order
    assert edited.question_ids == ["star-disagreed-with-manager", "star-proudest-impact"]
    assert edited.created_at == saved.created_at and edited.updated_at >= saved.updated_at
    assert len(stories.all_stories(store)) == 1
    stories.record_rehearsal(store, "r1", sid, started_at=1000.0, now=1100.0)
    assert stories.delete_story(store, sid)
    assert stories.all_stories(store) == [] and stories.stories_for_question(store, "star-proudest-impact") == []
    assert store.query("SELECT COUNT(*) FROM story_rehearsals") == [(0,)]
    assert not stories.delete_story(store, sid)


def test_a_story_needs_a_title_and_themes_from_the_vocabulary(store: Store) -> None:
    with pytest.raises(stories.StoryError, match="needs a title"):
        stories.save_story(store, story(title="   "))
    with pytest.raises(stories.StoryError, match="Unknown theme"):
        stories.save_story(store, story(themes=["heroics"]))
    assert stories.all_stories(store) == []


def test_linked_stories_are_found_from_the_question(store: Store) -> None:
    first = stories.save_story(store, story(title="B story"))
    second = stories.save_story(store, story(title="A story", question_ids=[]))
    stories.set_links(store, second, ["star-influence-without-authority", "star-tight-deadline"])
    linked = stories.stories_for_question(store, "star-influence-without-authority")
    assert [s.id for s in linked] == [second, first]  # by title
    assert [s.title for s in stories.stories_for_question(store, "star-tight-deadline")] == ["A story"]


def test_search_matches_every_word_in_any_field_and_filters_by_theme() -> None:
    late = story(id="2", title="Late launch", themes=["deadline"], situation="Sales set the launch date.",
                 action="I cut three features.", result="Shipped two days late, 3 features cut")
    bank = [story(id="1", title="Churn model"), late]
    assert [s.id for s in stories.search(bank, "WEEKLY list")] == ["1"]
    assert [s.id for s in stories.search(bank, "features cut")] == ["2"]
    assert [s.id for s in stories.search(bank, "", ["deadline", "ethics"])] == ["2"]
    assert [s.id for s in stories.search(bank, "churn", ["deadline"])] == []
    assert len(stories.search(bank)) == 2


def test_coverage_lists_themes_and_questions_without_a_story_and_stretched_stories() -> None:
    wide = story(id="w", title="Everything story", themes=["conflict"],
                 question_ids=["q1", "q2", "q3", "q4"])
    narrow = story(id="n", title="Narrow", themes=["failure", "conflict"], question_ids=["q2"])
    cover = stories.coverage([wide, narrow], ["q1", "q2", "q3", "q4", "q5", "q6"])
    assert cover.questions_without_story == ["q5", "q6"]
    assert cover.questions_covered == 4 and cover.questions_total == 6
    assert "conflict" not in cover.themes_without_story and "failure" not in cover.themes_without_story
    assert cover.themes_covered == 2 and len(cover.themes_without_story) == len(stories.THEMES) - 2
    assert [(s.id, n) for s, n in cover.stretched] == [("w", 4)]
    three = story(id="t", question_ids=["q1", "q2", "q3"])
    assert stories.coverage([three], ["q1"]).stretched == []  # three questions is still fine


def test_a_complete_story_gets_no_hints() -> None:
    assert stories.hints(COMPLETE) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"result": "The team was much happier and the model was used."}, "Result has no number"),
    ({"action": "We rebuilt the score, we shipped our list and we trained our users. I helped."},
     "Action is mostly 'we' (5 we/our, 1 I/my)"),
    ({"situation": "We had a model. It was bad. Nobody used it. Then a new VP came."},
     "Situation is long: keep it to two sentences"),
    ({"learned": ""}, "No 'what I learned'"),
    ({"task": ""}, "No task"),
    ({"themes": []}, "No theme"),
    ({"question_ids": []}, "Not linked to any question"),
    ({"result": ""}, "No result yet"),
])
def test_a_gap_in_the_story_gets_a_gentle_hint(changes: dict, expected: str) -> None:
    found = stories.hints(story(**changes))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_numbers_count_as_words_too_and_decimals_do_not_end_a_sentence() -> None:
    assert stories.hints(story(result="Review time halved.")) == []
    assert stories.sentence_count("Accuracy was 0.93 offline. Online it fell") == 2
    assert stories.pronoun_counts("We did it; I led our part and my code shipped") == (2, 2)


def test_behavioral_questions_are_the_star_category_and_behavioral_kinds() -> None:
    frame = pd.DataFrame([
        {"id": "a", "kind": "behavioral", "category": "Collaboration & growth"},
        {"id": "b", "kind": "explain", "category": stories.BEHAVIORAL_CATEGORY},
        {"id": "c", "kind": "scenario", "category": "Product sense & business impact"},
    ])
    assert stories.behavioral_questions(frame)["id"].tolist() == ["a", "b"]
    assert stories.is_behavioral({"kind": "behavioral"}) and not stories.is_behavioral(frame.iloc[2])


def test_a_rehearsal_keeps_the_server_time_once_and_the_newest_comes_first(store: Store) -> None:
    sid = stories.save_story(store, COMPLETE)
    assert stories.record_rehearsal(store, "r1", sid, started_at=1000.0, now=1112.4)
    assert not stories.record_rehearsal(store, "r1", sid, started_at=1000.0, now=1200.0)  # double click
    stories.record_rehearsal(store, "r2", sid, started_at=2000.0, now=2135.0, audio_path="recordings/x.wav")
    times = stories.rehearsals(store, sid)
    assert [(r.id, r.duration_s, r.audio_path) for r in times] == [("r2", 135.0, "recordings/x.wav"),
                                                                  ("r1", 112.4, None)]
    assert times[0].target_s == stories.REHEARSE_S == 120
    assert not stories.record_rehearsal(store, "r3", "no-such-story", started_at=0.0, now=10.0)


def test_every_story_table_row_has_a_text_primary_key_for_backups(store: Store) -> None:
    for table, key in (("stories", ["id"]), ("story_links", ["story_id", "question_id"]),
                       ("story_rehearsals", ["id"]), ("mock_rounds", ["id"]), ("mock_answers", ["id"])):
        info = store.query(f"PRAGMA table_info({table})")
        pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        assert pk == key and all(row[2] == "TEXT" for row in info if row[5]), (table, info)


def test_an_existing_story_is_linked_to_one_more_question_or_theme_keeping_the_rest(store: Store) -> None:
    sid = stories.save_story(store, COMPLETE)
    assert stories.link_question(store, sid, "star-tight-deadline")
    assert stories.link_question(store, sid, "star-tight-deadline")  # twice: still one link
    assert stories.get_story(store, sid).question_ids == ["star-influence-without-authority", "star-tight-deadline"]
    assert stories.add_theme(store, sid, "failure")
    saved = stories.get_story(store, sid)
    assert saved.themes == ["failure", "influence", "impact"]  # vocabulary order
    assert saved.question_ids == ["star-influence-without-authority", "star-tight-deadline"]  # links kept
    with pytest.raises(stories.StoryError, match="Unknown theme"):
        stories.add_theme(store, sid, "heroics")
    assert not stories.link_question(store, "gone", "star-tight-deadline")
    assert not stories.add_theme(store, "gone", "failure")
    assert store.query("SELECT COUNT(*) FROM story_links WHERE story_id = 'gone'") == [(0,)]
