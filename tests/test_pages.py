"""Every page under AppTest (from app.py): empty data dir, with data, and the study loop's writes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import ROOT, shipped_count, write
from streamlit.testing.v1 import AppTest
from test_study import wav_bytes

from components import pages
from mlprep.db import NewReview, Store, new_review_id
from mlprep.schedule import format_interval, make_scheduler, new_card, preview_intervals
from mlprep.study import DEFAULT_NEW_PER_DAY
from mlprep.timeutil import utc_now

APP = str(ROOT / "app.py")
PAGES = [p.path for p in pages.ALL]


def open_page(page: str = "app.py", query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page != "app.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def button(at: AppTest, prefix: str, suffix: str = ""):
    matches = [b for b in at.button if b.key and b.key.startswith(prefix) and b.key.endswith(suffix)]
    assert matches, f"no button {prefix}*{suffix} in {[b.key for b in at.button]}"
    return matches[0]


def start_answering(at: AppTest) -> None:
    """Scenario and design cards open with the clarify step: get past it."""
    if at.session_state["study.current"]["phase"] == "clarify":
        button(at, "start_").click().run()


def pick(at: AppTest, qid: str, order: str = "due") -> None:
    """Narrow the Study queue to one question by searching its id."""
    at.selectbox(key="filter.order").set_value(order)
    at.text_input(key="filter.text").input(qid).run()
    assert at.session_state["study.current"]["qid"] == qid


def study_one(at: AppTest, ticks: int = 2, rating: int = 3) -> str:
    """Reveal the card on screen, tick some rubric points, rate it; returns the question id rated."""
    qid = at.session_state["study.current"]["qid"]
    start_answering(at)
    button(at, "reveal_").click().run()
    for box in at.checkbox[:ticks]:
        box.check()
    button(at, "rate_", f"_{rating}").click().run()
    assert not at.exception
    return qid


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_data_dir_with_the_shared_sidebar(data_dir: Path, page: str) -> None:
    at = open_page(page)
    assert [m.label for m in at.sidebar.metric] == ["Today"]
    assert any("mlprep" in m.value for m in at.sidebar.markdown)


def test_home_points_a_new_user_to_study(data_dir: Path) -> None:
    at = open_page()
    assert any("not rated anything yet" in m.value for m in at.markdown)
    assert at.metric[0].value == str(shipped_count())


def test_rating_a_card_writes_exactly_one_review_with_ticks_answer_and_time(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    start_answering(at)
    rid = at.session_state["study.current"]["review_id"]
    at.text_area(key=f"answer_{rid}").input("I would start by asking who the users are.")
    qid = study_one(at, ticks=2, rating=3)
    reviews = Store(data_dir).reviews()
    assert len(reviews) == 1
    review = reviews.iloc[0]
    assert (review["id"], review["question_id"], review["rating"]) == (rid, qid, 3)
    assert review["answer_text"] == "I would start by asking who the users are."
    assert review["duration_s"] >= 0 and len(json.loads(review["rubric_hits"])) == 2
    assert at.session_state["study.current"]["qid"] != qid  # the next card is on screen
    # A new session on the same data dir sees it.
    dash = open_page("pages/dashboard.py")
    assert {m.label: m.value for m in dash.metric}["Reviews, last 7 days"] == "1"


def test_a_stale_or_repeated_click_never_writes_twice_or_rates_another_card(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    button(at, "reveal_").click().run()
    shown = dict(at.session_state["study.current"])
    stale_button = button(at, "rate_", "_2")
    # The tab moved on to another card before the click arrived: the click carries the old id.
    at.session_state["study.current"] = {**shown, "qid": "comms-explain-to-executive", "review_id": "other"}
    stale_button.click().run()
    assert Store(data_dir).review_count() == 0
    # Back on the card, rate it, then replay the same review id: still one review, on that card.
    at.session_state["study.current"] = shown
    at.run()
    button(at, "rate_", "_2").click().run()
    at.session_state["study.current"] = shown
    at.run()
    button(at, "rate_", "_4").click().run()
    reviews = Store(data_dir).reviews()
    assert len(reviews) == 1 and reviews.iloc[0]["question_id"] == shown["qid"] and reviews.iloc[0]["rating"] == 2


def test_rate_from_ticks_uses_the_suggested_rating(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    button(at, "reveal_").click().run()
    for box in at.checkbox:
        box.check()
    button(at, "rate_", "_auto").click().run()
    assert Store(data_dir).reviews().iloc[0]["rating"] == 4


def test_undo_voids_the_rating_and_brings_the_card_back(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    start_answering(at)
    rid = at.session_state["study.current"]["review_id"]
    at.text_area(key=f"answer_{rid}").input("first try")
    qid = study_one(at)
    at.button(key="undo").click().run()
    store = Store(data_dir)
    assert store.review_count() == 0 and len(store.reviews(include_voided=True)) == 1
    current = at.session_state["study.current"]
    assert current["qid"] == qid and current["review_id"] != rid
    assert at.text_area(key=f"answer_{current['review_id']}").value == "first try"


def test_suspend_takes_the_question_out_of_the_queue(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    qid = at.session_state["study.current"]["qid"]
    button(at, "suspend_").click().run()
    assert at.session_state["study.current"]["qid"] != qid
    assert bool(Store(data_dir).cards().set_index("question_id").loc[qid, "suspended"])
    settings = open_page("pages/settings.py")
    assert any(b.key == f"resume_{qid}" for b in settings.button)


def test_a_category_link_filters_the_study_queue(data_dir: Path) -> None:
    at = open_page("pages/study.py", query={"category": "fairness-bias-ethics"})
    assert at.session_state["study.current"]["qid"].startswith("fair-")
    assert at.multiselect(key="filter.categories").value == ["fairness-bias-ethics"]


def test_question_html_is_shown_as_text_never_as_markup(data_dir: Path) -> None:
    write(data_dir / "banks" / "evil.yaml", """\
        category: Evil
        questions:
          - id: evil-html
            prompt: "Why <script>alert(1)</script> and <img src=x onerror=alert(2)> ![x](http://example.com/t.png)?"
            difficulty: easy
            kind: debug
            looking_for: ["<b>bold</b> point", b, c]
        """)
    at = open_page("pages/study.py", query={"category": "evil"})
    prompt = next(m.value for m in at.markdown if "alert(1)" in m.value)
    assert "<script>" not in prompt and "&lt;script&gt;" in prompt and "<img" not in prompt
    assert "example.com" not in prompt and "image not shown" in prompt
    button(at, "reveal_").click().run()
    assert "<b>" not in at.checkbox[0].label


def test_bank_problems_are_listed_on_settings_and_the_rest_still_loads(data_dir: Path) -> None:
    write(data_dir / "banks" / "broken.yaml", "category: Broken\nquestions:\n  - id: [\n")
    at = open_page("pages/settings.py")
    assert any("broken.yaml:" in c.value and "YAML syntax error" in c.value for c in at.code)
    assert any(f"{shipped_count()} questions loaded" in m.value for m in at.markdown)
    assert any("problem(s) in the question bank" in w.value for w in at.sidebar.warning)


def test_a_corrupt_database_shows_what_to_do_and_is_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "mlprep.sqlite3").write_bytes(b"not a database" * 64)
    at = open_page("pages/study.py")
    assert "could not be opened" in at.error[0].value and "Move the file aside" in at.error[0].value
    assert (data_dir / "mlprep.sqlite3").read_bytes() == b"not a database" * 64
    at.button(key="move_aside").click().run()
    assert not at.exception and not at.error
    kept = [p for p in data_dir.iterdir() if p.name.startswith("mlprep.sqlite3.unreadable-")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"not a database" * 64
    assert any("kept as" in s.value for s in at.success)
    assert at.session_state["study.current"]["qid"]  # studying again, on a fresh file


def test_settings_save_the_interview_date_and_new_card_cap(data_dir: Path) -> None:
    at = open_page("pages/settings.py")
    at.number_input[0].set_value(5)
    submit = [b for b in at.button if b.label == "Save settings"][0]
    submit.click().run()
    assert Store(data_dir).get_setting("new_per_day") == 5


def test_the_due_queue_shows_a_due_card_before_new_ones(data_dir: Path) -> None:
    store = Store(data_dir)
    past = utc_now() - timedelta(days=10)
    store.record_review(NewReview(id=new_review_id(), question_id="fair-underrepresented-bias", rating=1,
                                  rated_at=past), make_scheduler())
    at = open_page("pages/study.py")
    assert at.session_state["study.current"]["qid"] == "fair-underrepresented-bias"
    assert at.sidebar.metric[0].value == f"{1 + DEFAULT_NEW_PER_DAY} cards"  # today's plan: 1 due, then new


def test_each_rating_button_previews_its_interval(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    start_answering(at)
    button(at, "reveal_").click().run()
    previews = [c.value for c in at.caption if "next in" in c.value]
    card = new_card(at.session_state["study.current"]["qid"], utc_now())
    expected = preview_intervals(make_scheduler(), card, utc_now())
    assert previews == [f"{name} · next in **{format_interval(expected[r])}**"
                        for r, name in ((1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy"))]
    assert previews[0] == "Again · next in **1 d**"


def test_the_stored_duration_is_the_servers_time_from_start_to_rating(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    start_answering(at)
    at.session_state["study.current"]["started_at"] -= 30  # as if the candidate talked for 30 s
    study_one(at, ticks=1, rating=3)
    assert 29 <= Store(data_dir).reviews().iloc[0]["duration_s"] <= 31


def test_clarifying_questions_come_first_for_scenarios_and_are_kept(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "product-niche-recsys")
    rid = at.session_state["study.current"]["review_id"]
    assert at.session_state["study.current"]["phase"] == "clarify"
    at.text_area(key=f"clarify_{rid}").input("Who are the hobbyists? What does the business need this quarter?")
    button(at, "start_").click().run()
    assert at.session_state["study.current"]["phase"] == "answer"
    study_one(at, ticks=3, rating=4)
    review = Store(data_dir).reviews().iloc[0]
    assert review["clarify_text"] == "Who are the hobbyists? What does the business need this quarter?"


def test_a_spoken_answer_is_saved_and_its_length_is_the_duration(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "comms-explain-to-executive")
    rid = at.session_state["study.current"]["review_id"]
    at.audio_input(key=f"audio_{rid}").set_value(("answer.wav", wav_bytes(2.5), "audio/wav")).run()
    study_one(at, ticks=1, rating=2)
    review = Store(data_dir).reviews().iloc[0]
    assert review["audio_path"] == f"recordings/{rid}.wav" and review["duration_s"] == 2.5
    assert (data_dir / review["audio_path"]).read_bytes() == wav_bytes(2.5)
    # Next time, the recording and the points missed are shown beside the rubric.
    again = open_page("pages/study.py")
    pick(again, "comms-explain-to-executive", order="weakest")
    again.session_state["study.details"] = "Last time"  # the tab the candidate opened on an earlier card
    button(again, "reveal_").click().run()
    assert len(again.get("audio")) == 1
    assert any("Missed last time" in m.value for m in again.markdown)


def test_last_time_shows_the_previous_answer_and_missed_points(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "star-what-did-you-do")
    start_answering(at)
    rid = at.session_state["study.current"]["review_id"]
    at.text_area(key=f"answer_{rid}").input("We shipped it together.")
    study_one(at, ticks=0, rating=1)
    again = open_page("pages/study.py")
    pick(again, "star-what-did-you-do", order="weakest")
    start_answering(again)
    again.session_state["study.details"] = "Last time"  # the tab the candidate opened on an earlier card
    button(again, "reveal_").click().run()
    assert any("We shipped it together." in m.value for m in again.markdown)
    assert any(m.value.startswith("Missed last time") for m in again.markdown)


def test_sprint_mode_shows_a_daily_plan_and_caps_intervals(data_dir: Path) -> None:
    store = Store(data_dir)
    store.set_setting("interview_date", (date.today() + timedelta(days=9)).isoformat())
    store.set_setting("rounds", ["behavioral", "mlops"])
    at = open_page()
    assert any(i.value.startswith("**Today: ") and "Interview in 9 day(s)" in i.value for i in at.info)
    study = open_page("pages/study.py")
    start_answering(study)
    button(study, "reveal_").click().run()
    days = [int(c.value.split("**")[1].split()[0]) for c in study.caption if "next in" in c.value]
    assert max(days) <= 9


def test_the_session_summary_when_the_queue_is_empty(data_dir: Path) -> None:
    at = open_page("pages/study.py")
    pick(at, "incident-realtime-degradation")
    study_one(at, ticks=2, rating=3)
    assert any(s.value == "Session done" for s in at.subheader)
    assert {m.label: m.value for m in at.metric}["Cards rated"] == "1"
    assert any("Next review due in" in i.value for i in at.info)


def test_settings_offer_a_backup_and_restore_one(data_dir: Path, tmp_path: Path) -> None:
    from mlprep.db.backup import export_json

    source = Store(tmp_path / "elsewhere")
    source.record_review(NewReview(id=new_review_id(), question_id="product-niche-recsys", rating=3),
                         make_scheduler())
    at = open_page("pages/settings.py")
    assert [b.key for b in at.get("download_button")] == ["backup_json", "backup_zip", "backup_csv"]
    uploader = next(u for u in at.file_uploader if u.key == "backup_upload")
    uploader.set_value(("progress.json", export_json(source).encode(), "application/json")).run()
    at.button(key="backup_restore").click().run()
    assert any("Restored from progress.json: 1 new reviews" in s.value for s in at.success)
    assert Store(data_dir).review_count() == 1
    uploader = next(u for u in at.file_uploader if u.key == "backup_upload")
    uploader.set_value(("broken.json", b"{broken", "application/json")).run()
    at.button(key="backup_restore").click().run()
    assert any("Nothing was imported from broken.json" in e.value for e in at.error)


def test_after_a_rating_the_patched_scores_equal_a_full_recompute(data_dir: Path) -> None:
    from components import context
    from mlprep.readiness import question_scores

    at = open_page("pages/study.py")
    for _ in range(3):
        study_one(at, ticks=2, rating=3)
    store = Store(data_dir)
    [(version, cached)] = [v for k, v in context._SCORES.items() if k[0] == str(store.path)]
    assert version == store.version()
    assert at.session_state[context.RATED_VERSION][0] == version  # the last rating patched the frame
    bank = context.get_bank()
    full = question_scores(bank.questions, store.cards(), make_scheduler(), utc_now())
    columns = ["id", "practised", "reps", "solid", "due", "suspended", "flagged", "overdue"]
    assert cached[columns].equals(full[columns])
    assert (cached["attempt_mean"] - full["attempt_mean"]).abs().max() < 1e-9
    assert (cached["score"] - full["score"]).abs().max() < 1e-6


def test_after_ratings_the_updated_plan_equals_a_plan_built_afresh(data_dir: Path) -> None:
    from components import context
    from mlprep.workspace import Workspace

    store = Store(data_dir)
    at = open_page("pages/study.py")
    for _ in range(3):
        study_one(at, ticks=1, rating=3)
    [(version, excluded, kept, _)] = [v for k, v in context._PLANS.items() if k[0] == str(store.path)]
    assert version == store.version() and len(excluded) == 3
    assert at.session_state[context.RATED_VERSION][0] == version  # the last rating updated the plan
    ws = Workspace.for_store(store, context.get_bank())
    fresh = ws.todays_queue(ws.scores(), exclude=set(excluded))
    assert kept == fresh
    assert at.sidebar.metric[0].value == f"{len(fresh.ids)} cards"
