"""The Dashboard's sections, each with its own empty state. Numbers come from mlprep.dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from components import pages
from components.context import Context, memo, per_frame
from mlprep import charts, dashboard, readiness, weak_areas
from mlprep.mock import finished_rounds
from mlprep.text import inert_markdown


@st.cache_resource(show_spinner=False, max_entries=32)
def _spec(key: tuple, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    return _build().to_dict(validate=False)


def digest(frame: pd.DataFrame) -> int:
    """A content hash of a chart's data: a chart is rebuilt only when what it shows changed. Kept per frame
    object: the frames come from caches (read-only), so a rerun does not hash them again."""
    return per_frame(frame, "digest", lambda: int(pd.util.hash_pandas_object(frame, index=False).sum()))


def show_chart(name: str, build: Callable[[], alt.TopLevelMixin], data: pd.DataFrame, *extra: Any,
               **kwargs: Any) -> Any:
    """Draw a chart from ``data``, building its Vega-Lite spec only when that data changed.

    Specs are not re-validated on every build (jsonschema took ~100 ms a rerun); the builders' specs are
    validated in tests/test_dashboard.py.
    """
    key = (name, digest(data), date.today().isoformat(), *extra)
    kwargs.setdefault("width", "stretch")
    return st.vega_lite_chart(_spec(key, build), **kwargs)


MISSING = "–"  # shown for a missing value instead of "None"
TABLE_MAX_PX = 620  # a longer table scrolls inside this height


def full_text_table(frame: pd.DataFrame, rows_before_scroll: int = 12) -> None:
    """A read-only table that wraps every cell in full (rows as tall as their text), missing values as a dash;
    a long one scrolls inside TABLE_MAX_PX. Cells are Markdown there, so text goes through ``inert_markdown``
    (no remote image, no HTML)."""
    shown = frame.copy()
    for column in shown.columns[shown.isna().any()]:  # a column with gaps becomes text, its gaps a dash
        shown[column] = shown[column].map(lambda v: MISSING if pd.isna(v) else f"{v:g}" if isinstance(v, float)
                                          else str(v))
    shown = shown.map(lambda v: inert_markdown(v) if isinstance(v, str) else v)  # st.table renders Markdown
    st.table(shown, hide_index=True, height=TABLE_MAX_PX if len(frame) > rows_before_scroll else "content")


def tracks(ctx: Context, scores: pd.DataFrame) -> None:
    """With more than one track: which one this page shows, and each track's readiness side by side."""
    if len(ctx.tracks) < 2:
        return
    st.caption(f"Showing the track **{inert_markdown(ctx.track)}**. Switch tracks in the sidebar; each track's "
               "readiness counts only its own questions.")
    rows = []
    for track in ctx.tracks:
        live = ctx.in_track(scores, track)
        live = live[~live["suspended"]]
        per_category = readiness.category_readiness(live)
        rows.append({"Track": track, "Readiness": round(100 * readiness.overall_readiness(per_category)),
                     "Categories": len(per_category), "Questions": len(live),
                     "Practised": int(live["practised"].sum())})
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
                 column_config={"Readiness": st.column_config.ProgressColumn(format="%d%%", min_value=0,
                                                                             max_value=100)})


def _headline_figures(ctx: Context, today: date) -> tuple[int, int, int]:
    """Reviews in the last 7 days, the streak and the finished mock rounds."""
    per_day = ctx.store.reviews_per_day(dashboard.last_n_days_start(today, 7).isoformat())
    return (dashboard.reviews_since(per_day, dashboard.last_n_days_start(today, 7)),
            dashboard.streak(ctx.store.active_days(), today), finished_rounds(ctx.store))


def headline(ctx: Context, live: pd.DataFrame, per_category: pd.DataFrame, today: date, due: int) -> None:
    last_7_days, streak, mock_rounds = memo(ctx, "headline", lambda: _headline_figures(ctx, today))
    cols = st.columns(6)
    cols[0].metric("Overall readiness", f"{readiness.overall_readiness(per_category):.0%}",
                   help="The mean of the categories' readiness below.")
    cols[1].metric(f"Practised, of {len(live)}", int(live["practised"].sum()),
                   help="Questions you have rated at least once (suspended ones left out).")
    cols[2].metric("Due today", due)
    cols[3].metric("Streak", f"{streak} d", help="Days in a row with at least one rating.")
    cols[4].metric("Reviews, last 7 days", last_7_days)
    cols[5].metric("Mock rounds", mock_rounds,
                   help="Finished mock interviews; their ratings count double in readiness.")


def readiness_by_category(per_category: pd.DataFrame, has_reviews: bool) -> None:
    st.subheader("Readiness by category")
    if not has_reviews:
        st.info("No ratings yet. Study a few questions and your readiness per category appears here.",
                icon=":material/info:")
        st.page_link(pages.STUDY.path, label="Start studying", icon=":material/school:")
        return
    event = show_chart("readiness", lambda: charts.readiness_bars(per_category), per_category, on_select="rerun",
                       key="readiness_chart")
    link = charts.category_link(event)
    if link:
        st.switch_page(pages.STUDY.path, query_params={"category": link.split("=", 1)[1]})
    st.caption("Weakest first, in the order of the weak-area list and the study plan. Click a category to study "
               "it. Weak below 40%, developing below 70%, ready from 70%.")


def trend(ctx: Context, per_category: pd.DataFrame, today: date, interview: date | None) -> None:
    st.subheader("Trend")
    overall = readiness.overall_name(ctx.track)
    history = memo(ctx, "trend", lambda: dashboard.trend_history(ctx.store.snapshots(), per_category,
                                                                   today.isoformat(), overall))
    options = [overall, *sorted(per_category["category"])]
    choice = st.selectbox("Show", options, key="trend_category", label_visibility="collapsed")
    if history["day"].nunique() < 2:
        st.caption("The trend line appears after your second day of practice: readiness is recorded once a day.")
    show_chart("trend", lambda: charts.trend_chart(history, choice, interview), history, choice, interview)


def activity(ctx: Context, today: date, has_reviews: bool) -> None:
    st.subheader("Activity")
    if not has_reviews:
        st.caption(f"Each day you rate questions fills a square here (up to the last {charts.HEATMAP_WEEKS} weeks).")
        return
    weeks, per_day = memo(ctx, "activity", lambda: _activity_days(ctx, today))
    show_chart("activity", lambda: charts.activity_heatmap(per_day, today, weeks), per_day, weeks, width="content")


def _activity_days(ctx: Context, today: date) -> tuple[int, pd.DataFrame]:
    """The weeks the calendar spans (since the first review, up to 26) and the reviews per day in them."""
    weeks = dashboard.activity_weeks(ctx.store.active_days(), today)
    start = today - pd.Timedelta(weeks=weeks).to_pytimedelta()
    return weeks, ctx.store.reviews_per_day(start.isoformat())


def rubric_gaps(gaps: pd.DataFrame) -> None:
    st.subheader("Rubric gaps")
    if gaps.empty:
        st.caption("The rubric points you leave unticked most often will be listed here, per category.")
        return
    st.caption("The points you most often leave out. Practise saying these out loud.")
    table = gaps.rename(columns={"category": "Category", "point": "Rubric point you missed", "missed": "Times",
                                 "question": "Question"})
    table["Question"] = table["Question"].map(lambda t: " ".join(str(t).split()))
    full_text_table(table)


def forecast(ctx: Context, live: pd.DataFrame, today: date, interview: date | None) -> None:
    title = "Reviews due until your interview" if interview and interview > today else "Reviews due, next 14 days"
    st.subheader(title)
    if not live["practised"].any():
        st.caption("Once you have rated questions, this shows how many come back each day.")
        return
    due = memo(ctx, "forecast", lambda: dashboard.forecast(live, today, interview), interview)
    show_chart("forecast", lambda: charts.forecast_chart(due, interview), due, interview)


def _weight_short(note: str) -> str:
    """'counts ×1.5 for your loop's Behavioral round' as '×1.5 (Behavioral round)'; '' when not weighted."""
    if not note:
        return ""
    factor, _, why = note.removeprefix("counts ").partition(" for your loop's ")
    return f"{factor} ({why})"


def weak_area_list(areas: list[weak_areas.WeakArea], track: str) -> None:
    st.subheader("Weak areas")
    if not areas:
        st.success("Every category is ready. Keep reviewing what is due.")
    else:
        table = pd.DataFrame(
            [{"Area": a.area if a.kind == "category" else f"Topic: {a.area}", "Solid": f"{a.label} ({a.band})",
              "Counts": _weight_short(a.weight_note),
              "Questions": " · ".join([f"{a.untouched_count} untouched", f"{a.practised_weak_count} not solid yet",
                                       f"{a.overdue} overdue"]
                                      + ([f"average rating {a.avg_rating:.1f}"] if a.avg_rating is not None else [])),
              "Most missed": a.top_missed[0][0] if a.top_missed else None,
              "Study next": " ".join(a.next_questions[0].prompt.split()) if a.next_questions else None}
             for a in areas])
        st.caption("Counts: how much more a category weighs in this order because a round of your loop draws on "
                   "it (Settings).")
        full_text_table(table)
    cols = st.columns(3)
    for col, (fmt, label, mime) in zip(cols, (("md", "Study plan (Markdown)", "text/markdown"),
                                              ("csv", "Weak areas (CSV)", "text/csv"),
                                              ("json", "Weak areas (JSON)", "application/json"))):
        col.download_button(label, lambda fmt=fmt: weak_areas.render(areas, fmt, track=track),  # built on click
                            f"mlprep-weak-areas.{fmt}", mime,
                            key=f"dl_{fmt}", icon=":material/download:", on_click="ignore", width="stretch")
