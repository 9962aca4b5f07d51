"""The Dashboard under AppTest: every section's empty state, then with data; the three exports."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
from helpers import shipped_count, shipped_files
from test_pages import open_page, study_one

from mlprep.bank import load_bank
from mlprep.db import NewReview, Store, new_review_id
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.schedule import make_scheduler
from mlprep.timeutil import utc_now


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_every_section_has_an_empty_state(data_dir: Path) -> None:
    at = open_page("pages/dashboard.py")
    values = metrics(at)
    assert (values["Overall readiness"], values[f"Practised, of {shipped_count()}"], values["Streak"]) == ("0%", "0", "0 d")
    assert values["Mock rounds"] == "0"
    assert any("No ratings yet" in i.value for i in at.info)
    captions = " ".join(c.value for c in at.caption)
    for text in ("trend line appears after your second day", "fills a square here",
                 "unticked most often will be listed", "how many come back each day"):
        assert text in captions
    assert any("How readiness is computed" == s.value for s in at.subheader)


def test_with_data_every_section_shows_its_chart_or_table(data_dir: Path) -> None:
    store, scheduler = Store(data_dir), make_scheduler()
    for days_ago in (3, 2, 1):
        store.record_review(NewReview(
            id=new_review_id(), question_id="exp-ab-flat-despite-offline", rating=2,
            rated_at=utc_now() - timedelta(days=days_ago), rubric_hits=["x"],
            rubric_missed=["Names data drift and concept drift as suspects"]), scheduler)
    store.write_snapshot((utc_now() - timedelta(days=2)).date().isoformat(), [("Overall", 0.1, 1, 80)])
    study = open_page("pages/study.py")
    study_one(study, ticks=1, rating=3)
    at = open_page("pages/dashboard.py")
    values = metrics(at)
    assert values["Streak"] == "4 d" and values["Reviews, last 7 days"] == "4"
    charts = at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert len(charts) == 4  # readiness, trend, forecast, activity
    assert not any("trend line appears" in c.value for c in at.caption)
    gaps = at.table[1].value
    assert "Names data drift and concept drift as suspects" in set(gaps["Rubric point you missed"])
    weak = at.table[0].value
    assert "Experimentation & offline/online gaps" in set(weak["Area"])


def test_the_kept_figures_follow_a_new_rating_on_the_next_run(data_dir: Path) -> None:
    _seeded(data_dir, (3, 1))
    at = open_page("pages/dashboard.py")
    assert metrics(at)["Reviews, last 7 days"] == "2"
    at.run()
    assert metrics(at)["Reviews, last 7 days"] == "2"  # kept: nothing was written
    _seeded(data_dir, (0,), "fair-underrepresented-bias")  # a rating from elsewhere (another tab, the CLI)
    at.run()
    assert metrics(at)["Reviews, last 7 days"] == "3" and metrics(at)["Streak"] == "2 d"


def _seeded(data_dir: Path, days_ago: tuple[int, ...] = (40, 3, 1),
            question_id: str = "exp-ab-flat-despite-offline") -> None:
    store, scheduler = Store(data_dir), make_scheduler()
    for days in days_ago:
        store.record_review(NewReview(
            id=new_review_id(), question_id=question_id, rating=2,
            rated_at=utc_now() - timedelta(days=days), rubric_hits=["x"],
            rubric_missed=["Names data drift and concept drift as suspects"]), scheduler)


def test_the_tables_show_full_text_and_never_none(data_dir: Path) -> None:
    _seeded(data_dir)
    at = open_page("pages/dashboard.py")
    assert not at.exception
    weak, gaps = at.table[0].value, at.table[1].value
    bank = load_bank([SHIPPED_BANK_DIR])
    prompt = " ".join(str(bank.question("exp-ab-flat-despite-offline")["prompt"]).split())
    assert prompt in set(gaps["Question"])  # the whole question, not cut short
    assert len(prompt) > 90
    row = weak[weak["Area"] == "Experimentation & offline/online gaps"].iloc[0]
    assert row["Most missed"] == "Names data drift and concept drift as suspects"
    assert len(row["Study next"]) > 60 and not row["Study next"].endswith("…")
    for table in (weak, gaps):  # a missing value is a dash, never None or NaN
        cells = table.astype(str).to_numpy().ravel().tolist()
        assert not [c for c in cells if c in ("None", "nan", "NaN", "<NA>")]
        assert not table.isna().to_numpy().any()
    # An untouched category has no average rating: its counts leave it out rather than show a blank.
    assert (~weak["Questions"].str.contains("average rating")).any()
    assert "average rating" in row["Questions"]  # a practised one has it


def _activity_weeks(at) -> int:
    charts = at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    chart = next(c for c in charts if '"weekday"' in c.proto.spec)
    rows = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()  # the calendar's days
    return int(rows["week"].max()) + 1


def test_the_activity_calendar_spans_the_time_since_the_first_review(data_dir: Path) -> None:
    _seeded(data_dir, (40, 3, 1))  # the first review six or seven weeks ago
    at = open_page("pages/dashboard.py")
    assert _activity_weeks(at) in (6, 7)
    _seeded(data_dir, (400,), "fair-underrepresented-bias")  # a review over a year ago: it stops at 26 weeks
    assert _activity_weeks(open_page("pages/dashboard.py")) == 26


def test_the_daily_snapshot_is_written_once(data_dir: Path) -> None:
    study = open_page("pages/study.py")
    study_one(study, ticks=1, rating=3)
    open_page("pages/dashboard.py")
    open_page("pages/dashboard.py")
    snapshots = Store(data_dir).snapshots()
    assert snapshots["day"].nunique() == 1 and "Overall" in set(snapshots["category"])
    assert len(snapshots) == shipped_files() + 1  # each category and Overall


def test_all_three_exports_are_offered(data_dir: Path) -> None:
    at = open_page("pages/dashboard.py")
    assert [b.key for b in at.get("download_button")] == ["dl_md", "dl_csv", "dl_json", "dashboard.brief_md",
                                                         "dashboard.brief_html"]


def test_weak_area_json_names_categories_and_topics(data_dir: Path, capsys) -> None:
    from mlprep.cli import main

    assert main(["weak-areas", "--format", "json"]) == 0
    areas = json.loads(capsys.readouterr().out)
    assert {a["kind"] for a in areas} == {"category", "tag"}
    assert len([a for a in areas if a["kind"] == "category"]) == shipped_files()
