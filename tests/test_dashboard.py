"""Dashboard numbers and chart specs: streak, trend history, forecast, rubric gaps, the charts' encodings."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd

from mlprep import charts, dashboard
from mlprep.readiness import category_readiness

TODAY = date(2026, 5, 10)


def test_a_streak_counts_consecutive_days_ending_today_or_yesterday() -> None:
    days = ["2026-05-06", "2026-05-08", "2026-05-09", "2026-05-10"]
    assert dashboard.streak(days, TODAY) == 3
    assert dashboard.streak(days[:-1], TODAY) == 2  # nothing yet today: yesterday's streak still stands
    assert dashboard.streak(["2026-05-01"], TODAY) == 0


def test_trend_history_adds_todays_live_values() -> None:
    per_category = category_readiness(pd.DataFrame({
        "id": ["a", "b"], "category": ["A", "B"], "category_slug": ["a", "b"], "practised": [True, True],
        "solid": [True, False], "overdue": [False, False]}))
    snapshots = pd.DataFrame({"day": ["2026-05-08", "2026-05-10"], "category": ["Overall", "Overall"],
                              "readiness": [0.1, 0.2], "solid": [0, 0], "target": [2, 2]})
    history = dashboard.trend_history(snapshots, per_category, "2026-05-10")
    overall = history[history["category"] == "Overall"].set_index("day")["readiness"]
    assert overall.to_dict() == {"2026-05-08": 0.1, "2026-05-10": 0.5}


def test_the_forecast_counts_overdue_today_and_stops_at_the_interview() -> None:
    now = datetime(2026, 5, 10, 12, tzinfo=timezone.utc)
    scores = pd.DataFrame({
        "practised": [True, True, True, False], "suspended": [False, False, True, False],
        "due": pd.to_datetime([now - timedelta(days=3), now + timedelta(days=2), now, pd.NaT], utc=True)})
    table = dashboard.forecast(scores, TODAY, until=date(2026, 5, 14), zone=timezone.utc)
    assert table["day"].tolist()[0] == "2026-05-10" and table["day"].tolist()[-1] == "2026-05-14"
    assert table["due"].tolist() == [1, 0, 1, 0, 0]
    assert len(dashboard.forecast(scores, TODAY, zone=timezone.utc)) == dashboard.FORECAST_DAYS


def test_the_forecast_buckets_days_in_the_zone_it_is_given() -> None:
    due = datetime(2026, 5, 11, 23, 30, tzinfo=timezone.utc)  # the 11th in UTC, the 12th in UTC+14
    scores = pd.DataFrame({"practised": [True], "suspended": [False], "due": pd.to_datetime([due], utc=True)})
    in_utc = dashboard.forecast(scores, TODAY, until=date(2026, 5, 13), zone=timezone.utc)
    in_kiritimati = dashboard.forecast(scores, TODAY, until=date(2026, 5, 13), zone=ZoneInfo("Pacific/Kiritimati"))
    assert in_utc["due"].tolist() == [0, 1, 0, 0]
    assert in_kiritimati["due"].tolist() == [0, 0, 1, 0]
    assert dashboard.local_today(due, ZoneInfo("Pacific/Kiritimati")) == date(2026, 5, 12)


def test_rubric_gaps_keep_the_most_missed_points_per_category() -> None:
    missed = pd.DataFrame({"question_id": ["q1", "q1", "q2", "gone"], "point": ["p1", "p2", "p3", "p4"],
                           "missed": [5, 1, 3, 9]})
    questions = pd.DataFrame({"id": ["q1", "q2"], "category": ["A", "A"], "prompt": ["Q1", "Q2"]})
    gaps = dashboard.rubric_gaps(missed, questions, per_category=2)
    assert gaps[["point", "missed"]].values.tolist() == [["p1", 5], ["p3", 3]]


def test_trend_chart_marks_the_interview_date() -> None:
    history = pd.DataFrame({"day": ["2026-05-08", "2026-05-10"], "category": ["Overall"] * 2,
                            "readiness": [0.1, 0.5]})
    spec = charts.trend_chart(history, interview=date(2026, 5, 20)).to_dict()
    assert spec["layer"][0]["mark"]["type"] == "line"
    assert spec["layer"][1]["mark"]["type"] == "rule"
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [0, 1]


def test_activity_heatmap_covers_26_weeks_by_weekday() -> None:
    per_day = pd.DataFrame({"day": ["2026-05-09"], "reviews": [7]})
    chart = charts.activity_heatmap(per_day, TODAY)
    spec = chart.to_dict()
    assert spec["mark"]["type"] == "rect" and spec["encoding"]["color"]["condition"]["field"] == "reviews"
    assert spec["encoding"]["color"]["value"] == "#8882"  # days without a review stay neutral
    data = chart.data
    assert data["week"].max() == charts.HEATMAP_WEEKS - 1
    assert int(data.loc[data["day"] == pd.Timestamp("2026-05-09"), "reviews"].iloc[0]) == 7


def test_forecast_chart_is_bars_of_due_per_day() -> None:
    spec = charts.forecast_chart(pd.DataFrame({"day": ["2026-05-10"], "due": [3]})).to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar" and spec["layer"][0]["encoding"]["y"]["field"] == "due"


def test_forecast_bars_are_one_wide_band_per_day_each_labelled_with_its_count() -> None:
    due = pd.DataFrame({"day": ["2026-05-10", "2026-05-11", "2026-05-12"], "due": [12, 0, 3]})
    spec = charts.forecast_chart(due, date(2026, 5, 12)).to_dict()
    bars, counts, interview = spec["layer"]
    assert bars["encoding"]["x"]["type"] == "ordinal"  # a band per day, not a hairline on a time axis
    assert bars["encoding"]["x"]["sort"] == ["2026-05-10", "2026-05-11", "2026-05-12"]
    assert bars["encoding"]["y"]["axis"]["tickMinStep"] == 1  # whole reviews on the axis
    assert counts["mark"]["type"] == "text" and counts["encoding"]["text"]["field"] == "due"
    label_rows = next(rows for rows in spec["datasets"].values() if len(rows) == 2)  # days with something due
    assert [r["due"] for r in label_rows] == [12, 3]
    assert interview["mark"]["type"] == "rule"


def test_the_activity_calendar_spans_the_weeks_since_the_first_review_between_4_and_26() -> None:
    today = date(2026, 5, 13)  # a Wednesday
    assert dashboard.activity_weeks([], today) == dashboard.ACTIVITY_MIN_WEEKS == 4
    assert dashboard.activity_weeks(["2026-05-11"], today) == 4  # this week only: still a month shown
    assert dashboard.activity_weeks(["2026-03-30", "2026-05-12"], today) == 7  # Monday 30 Mar .. this week
    assert dashboard.activity_weeks(["2026-03-29"], today) == 8  # a Sunday: its week starts 23 Mar
    assert dashboard.activity_weeks(["2025-01-01"], today) == dashboard.ACTIVITY_MAX_WEEKS == 26
    chart = charts.activity_heatmap(pd.DataFrame({"day": ["2026-03-30"], "reviews": [2]}), today, weeks=7)
    assert chart.data["week"].max() == 6 and chart.data["day"].min() == pd.Timestamp("2026-03-30")
    spec = chart.to_dict()
    assert spec["width"] == {"step": 20} and spec["height"] == {"step": 20}  # square cells, not stretched
    legend = spec["encoding"]["color"]["condition"]["legend"]
    assert legend["orient"] == "bottom" and legend["direction"] == "horizontal"  # nothing clipped at the side
    assert "30 Mar" in spec["encoding"]["x"]["axis"]["labelExpr"]  # weeks labelled by their Monday


def test_every_chart_spec_validates_against_vega_lite() -> None:
    """The page draws specs without validation (speed), so the builders' specs are validated here."""
    per_category = category_readiness(pd.DataFrame({
        "id": ["a", "b"], "category": ["A", "B"], "category_slug": ["a", "b"], "practised": [True, False],
        "solid": [True, False], "overdue": [False, False]}))
    history = pd.DataFrame({"day": ["2026-05-08", "2026-05-10"], "category": ["Overall"] * 2, "readiness": [0.1, 0.5]})
    for chart in (charts.readiness_bars(per_category), charts.trend_chart(history, interview=date(2026, 6, 1)),
                  charts.activity_heatmap(pd.DataFrame({"day": ["2026-05-09"], "reviews": [2]}), TODAY),
                  charts.forecast_chart(pd.DataFrame({"day": ["2026-05-10"], "due": [3]}), date(2026, 5, 20))):
        chart.to_dict(validate=True)  # raises on an invalid spec
