"""The Dashboard under AppTest: every section's empty state, then with data; the three exports."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from helpers import shipped_count, shipped_files
from test_pages import open_page, study_one

from mlprep.db import NewReview, Store, new_review_id
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
    gaps = at.dataframe[1].value
    assert "Names data drift and concept drift as suspects" in set(gaps["Rubric point you missed"])
    weak = at.dataframe[0].value
    assert "Experimentation & offline/online gaps" in set(weak["Area"])


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
    assert [b.key for b in at.get("download_button")] == ["dl_md", "dl_csv", "dl_json"]


def test_weak_area_json_names_categories_and_topics(data_dir: Path, capsys) -> None:
    from mlprep.cli import main

    assert main(["weak-areas", "--format", "json"]) == 0
    areas = json.loads(capsys.readouterr().out)
    assert {a["kind"] for a in areas} == {"category", "tag"}
    assert len([a for a in areas if a["kind"] == "category"]) == shipped_files()
