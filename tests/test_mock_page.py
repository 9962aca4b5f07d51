"""The Mock interview page under AppTest: a full round with a refresh in the middle, graded into mock reviews."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from helpers import ROOT
from streamlit.testing.v1 import AppTest
from test_study import wav_bytes

from components import keys
from mlprep import mock
from mlprep.db import Store

APP = str(ROOT / "app.py")


def open_mock(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    at.switch_page("pages/mock.py").run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def start_round(at: AppTest, round_type: str = "behavioral", length: int = 3, target_s: int = 60) -> str:
    at.radio(key="mock.round_type").set_value(round_type)
    at.slider(key="mock.length").set_value(length)
    at.select_slider(key="mock.target_s").set_value(target_s)
    next(b for b in at.button if b.label == "Start the round").click().run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at.query_params["round"][0] if isinstance(at.query_params["round"], list) else at.query_params["round"]


def current(data_dir: Path, round_id: str) -> tuple[mock.MockRound, mock.MockAnswer]:
    rnd = mock.load_round(Store(data_dir), round_id)
    return rnd, rnd.current


def timer_elapsed_s(at: AppTest) -> float:
    """The elapsed time the countdown starts from (it ticks on in the browser)."""
    body = next(h.proto.body for h in at.get("html") if "mlprep-timer" in h.proto.body)
    return int(re.search(r"start = (\d+)", body).group(1)) / 1000


def next_button(at: AppTest, review_id: str):
    return at.button(key=f"mock_next_{review_id}")


def test_a_full_round_with_a_refresh_in_the_middle_is_graded_into_mock_reviews(data_dir: Path) -> None:
    at = open_mock()
    round_id = start_round(at, "behavioral", 3, 60)
    rnd, first = current(data_dir, round_id)
    assert rnd.question_count == 3 and rnd.target_s == 60
    assert at.get("progress")[0].proto.text.startswith("Question 1 of 3")
    # Question 1: a spoken answer and a few words, then its follow-up.
    at.audio_input(key=f"mock_audio_{first.review_id}").set_value(("a.wav", wav_bytes(1.5), "audio/wav")).run()
    at.text_area(key=f"mock_answer_{first.review_id}").input("I owned the launch and cut two features.").run()
    next_button(at, first.review_id).click().run()
    assert any(first.follow_up in m.value for m in at.markdown if m.value.startswith("**Follow-up:**"))
    at.text_area(key=f"mock_followup_{first.review_id}").input("I would cut the dashboard.")
    next_button(at, first.review_id).click().run()
    # Question 2: typed, the box loses focus, then the tab is refreshed.
    rnd, second = current(data_dir, round_id)
    assert rnd.position == 1 and second.review_id != first.review_id
    at.text_area(key=f"mock_answer_{second.review_id}").input("We disagreed about the metric;").run()
    with sqlite3.connect(data_dir / "mlprep.sqlite3") as conn:  # as if 40 s went by before the refresh
        conn.execute("UPDATE mock_answers SET started_at = started_at - 40 WHERE review_id = ?", (second.review_id,))
    refreshed = open_mock({"round": round_id})
    assert refreshed.get("progress")[0].proto.text.startswith("Question 2 of 3")
    assert refreshed.text_area(key=f"mock_answer_{second.review_id}").value == "We disagreed about the metric;"
    assert 40 <= timer_elapsed_s(refreshed) < 60  # the countdown continues from the original start
    # Finish in the refreshed tab; question 2 runs over its minute.
    with sqlite3.connect(data_dir / "mlprep.sqlite3") as conn:
        conn.execute("UPDATE mock_answers SET started_at = started_at - 50 WHERE review_id = ?", (second.review_id,))
    refreshed.text_area(key=f"mock_answer_{second.review_id}").input("We disagreed about the metric; I ran a test.")
    next_button(refreshed, second.review_id).click().run()
    while (rnd := mock.load_round(Store(data_dir), round_id)).in_progress:
        next_button(refreshed, rnd.current.review_id).click().run()
        assert not refreshed.exception
    assert rnd.stage == mock.STAGE_GRADING
    answers = rnd.answers
    assert answers[0].answer_text == "I owned the launch and cut two features."
    assert answers[0].audio_path == f"recordings/{first.review_id}.wav"
    assert answers[0].follow_up_text == "I would cut the dashboard."
    assert answers[1].answer_text == "We disagreed about the metric; I ran a test." and answers[1].answer_s >= 90
    # Grading: every answer beside its rubric, a form each.
    assert any("I owned the launch" in m.value for m in refreshed.markdown)
    assert any(re.search(r"\b3\d s over", m.value) for m in refreshed.markdown)  # 90 s on a 60 s question
    for answer, rating in zip(answers, (3, 2, 1)):
        boxes = [c for c in refreshed.checkbox if c.key.startswith(f"mock_hit_{answer.review_id}_")]
        assert len(boxes) >= 3
        boxes[0].check()
        follow = [c for c in refreshed.checkbox if c.key.startswith(f"mock_follow_hit_{answer.review_id}_")]
        assert len(follow) >= 1  # the follow-up's coached good-reply points, ticked apart from the rubric
        if answer is answers[0]:
            follow[0].check()
        refreshed.button(key=f"mock_rate_{answer.review_id}_{rating}").click().run()
        assert not refreshed.exception
    graded = mock.load_round(Store(data_dir), round_id).answers  # the follow-up grades are stored with the round
    first_coaching = mock.follow_up_coaching(_bank().question(answers[0].question_id), answers[0].follow_up)
    assert graded[0].follow_up_hits == [first_coaching[0]] and graded[0].follow_up_missed == first_coaching[1:]
    assert graded[1].follow_up_hits == [] and graded[1].follow_up_missed
    store = Store(data_dir)
    reviews = store.reviews().set_index("id")
    assert len(reviews) == 3 and set(reviews["mode"]) == {"mock"} and set(reviews["session_id"]) == {round_id}
    assert [int(reviews.loc[a.review_id, "rating"]) for a in answers] == [3, 2, 1]
    assert reviews.loc[first.review_id, "audio_path"] == f"recordings/{first.review_id}.wav"
    assert mock.finished_rounds(store) == 1 and store.activity()["practised"] == 3
    # The summary, on screen and as a download.
    assert any(s.value.startswith("Round finished") for s in refreshed.subheader)
    assert {m.label: m.value for m in refreshed.metric}["Questions"] == "3"
    assert any("Weakest points" in m.value and "Study next" in m.value for m in refreshed.markdown)
    assert refreshed.get("download_button")
    text = mock.summary_markdown(rnd, mock.round_results(store, mock.load_round(store, round_id), _bank()))
    row = next(line for line in text.splitlines() if line.startswith("| 2 |"))
    assert re.search(r"\| 1:3\d \| \+3\d s \|", row), row
    # The follow-up grades: in the table, beside each answer, on screen and in the Markdown.
    total = len(first_coaching)
    assert next(line for line in text.splitlines() if line.startswith("| 1 |")).endswith(f"| 1/{total} |")
    assert f"Follow-up graded: your reply covered 1 of {total} points a good reply covers:" in text
    assert f"- ✓ {first_coaching[0]}" in text
    assert all(f"- ✗ {point} (missed)" in text for point in first_coaching[1:])
    assert "Follow-up graded: your reply covered 0 of" in text  # the second reply, graded with nothing ticked
    page = "\n".join(m.value for m in refreshed.markdown)
    assert f"your reply covered 1 of {total} points" in page and "✓" in page
    reloaded = open_mock({"round": round_id})  # a reload shows the same grades
    assert any(f"your reply covered 1 of {total} points" in m.value for m in reloaded.markdown)


def _bank():
    from mlprep.bank import load_bank
    from mlprep.paths import SHIPPED_BANK_DIR

    return load_bank([SHIPPED_BANK_DIR])


def test_an_open_round_is_offered_again_and_can_be_abandoned(data_dir: Path) -> None:
    at = open_mock()
    round_id = start_round(at, "mixed", 3, 120)
    again = open_mock()  # a new tab without the round in its URL
    assert any("round in progress" in i.value for i in again.info)
    again.button(key="mock_resume").click().run()
    assert again.query_params["round"] in (round_id, [round_id])
    assert again.get("progress")[0].proto.text.startswith("Question 1 of 3")
    again.button(key="mock_abandon").click().run()
    assert any("Abandon this round?" in w.value for w in again.warning)  # asks first, changes nothing yet
    assert mock.open_round_id(Store(data_dir)) == round_id
    again.button(key="mock_abandon_cancel").click().run()  # "Keep going": the round goes on
    assert not any("Abandon this round?" in w.value for w in again.warning)
    assert again.get("progress")[0].proto.text.startswith("Question 1 of 3")
    assert mock.open_round_id(Store(data_dir)) == round_id
    again.button(key="mock_abandon").click().run()
    again.button(key="mock_abandon_confirm").click().run()
    assert "round" not in again.query_params
    assert mock.open_round_id(Store(data_dir)) is None and Store(data_dir).review_count() == 0
    assert any(b.label == "Start the round" for b in again.button)


def test_abandoning_the_open_round_from_the_start_screen_asks_first(data_dir: Path) -> None:
    at = open_mock()
    round_id = start_round(at, "mixed", 3, 120)
    again = open_mock()
    again.button(key="mock_abandon_open").click().run()
    assert any("Abandon this round?" in w.value for w in again.warning)
    assert mock.open_round_id(Store(data_dir)) == round_id
    again.button(key="mock_abandon_confirm").click().run()
    assert mock.open_round_id(Store(data_dir)) is None and Store(data_dir).review_count() == 0
    assert not any("round in progress" in i.value for i in again.info)
    assert any("Round abandoned" in t.value for t in again.toast)


def test_a_round_of_my_weak_areas_starts_and_an_unknown_round_id_is_explained(data_dir: Path) -> None:
    at = open_mock({"round": "no-such-round"})
    assert any("not available" in w.value for w in at.warning)
    round_id = start_round(at, "weak", 4, 90)
    rnd = mock.load_round(Store(data_dir), round_id)
    assert rnd.round_type == "weak" and rnd.question_count == 4 and rnd.target_s == 90


def test_a_finished_round_is_listed_and_opens_its_summary(data_dir: Path) -> None:
    at = open_mock()
    round_id = start_round(at, "mlops", 3, 60)
    while (rnd := mock.load_round(Store(data_dir), round_id)).in_progress:
        next_button(at, rnd.current.review_id).click().run()
    for answer in rnd.answers:
        at.button(key=f"mock_rate_{answer.review_id}_auto").click().run()  # no ticks: Blanked
    assert set(Store(data_dir).reviews()["rating"]) == {1}
    at.button(key="mock_again").click().run()
    assert "round" not in at.query_params
    assert any(s.value == "Finished rounds" for s in at.subheader)
    summary = open_mock({"round": round_id})
    assert any(s.value.startswith("Round finished: MLOps & incidents") for s in summary.subheader)


def test_the_question_screen_installs_the_draft_saver_for_its_answer_box(data_dir: Path) -> None:
    at = open_mock()
    start_round(at, "mixed", 3, 120)
    scripts = [h.proto.body for h in at.get("html") if "__mlprepDraftSaver" in h.proto.body]
    assert len(scripts) == 1
    assert "st-key-mock_answer_" in scripts[0] and "st-key-mock_followup_" in scripts[0]
    assert at.text_area(key=keys.mock_text(current(data_dir, at.query_params["round"][0] if isinstance(
        at.query_params["round"], list) else at.query_params["round"])[1].review_id)).placeholder.endswith(
        "It is kept as you go.")
