"""Every page under AppTest (from app.py): empty data dir, with data, and the study loop's writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ROOT, write
from streamlit.testing.v1 import AppTest

from mlprep.store import Store

APP = str(ROOT / "app.py")
PAGES = ["app.py", "pages/study.py", "pages/dashboard.py", "pages/settings.py"]


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


def study_one(at: AppTest, ticks: int = 2, rating: int = 3) -> str:
    """Reveal the card on screen, tick some rubric points, rate it; returns the question id rated."""
    qid = at.session_state["study.current"]["qid"]
    button(at, "reveal_").click().run()
    for box in at.checkbox[:ticks]:
        box.check()
    button(at, "rate_", f"_{rating}").click().run()
    assert not at.exception
    return qid


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_data_dir_with_the_shared_sidebar(data_dir: Path, page: str) -> None:
    at = open_page(page)
    assert [m.label for m in at.sidebar.metric] == ["Due today"]
    assert any("mlprep" in m.value for m in at.sidebar.markdown)


def test_home_points_a_new_user_to_study(data_dir: Path) -> None:
    at = open_page()
    assert any("not rated anything yet" in m.value for m in at.markdown)
    assert at.metric[0].value == "200"


def test_rating_a_card_writes_exactly_one_review_with_ticks_answer_and_time(data_dir: Path) -> None:
    at = open_page("pages/study.py")
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
    assert [m.value for m in dash.metric[:4]][2] == "1"


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
    assert any("200 questions loaded" in m.value for m in at.markdown)
    assert any("problem(s) in the question bank" in w.value for w in at.sidebar.warning)


def test_a_corrupt_database_shows_what_to_do_and_is_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "mlprep.sqlite3").write_bytes(b"not a database" * 64)
    at = open_page("pages/study.py")
    assert "could not be opened" in at.error[0].value and "Move the file aside" in at.error[0].value
    assert (data_dir / "mlprep.sqlite3").read_bytes() == b"not a database" * 64


def test_dashboard_empty_state_then_chart_and_weak_areas(data_dir: Path) -> None:
    at = open_page("pages/dashboard.py")
    assert any("No ratings yet" in i.value for i in at.info)
    study = open_page("pages/study.py")
    study_one(study, ticks=0, rating=1)
    at = open_page("pages/dashboard.py")
    assert not at.info and at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert len(at.dataframe) == 1 and at.dataframe[0].value.shape[0] == 10


def test_settings_save_the_interview_date_and_new_card_cap(data_dir: Path) -> None:
    at = open_page("pages/settings.py")
    at.number_input[0].set_value(5)
    submit = [b for b in at.button if b.label == "Save settings"][0]
    submit.click().run()
    assert Store(data_dir).get_setting("new_per_day") == 5
