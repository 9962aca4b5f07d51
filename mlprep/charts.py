"""Chart builders: pure functions from DataFrames to Altair charts (no Streamlit here).

Colours are chosen to read on both the light and the dark theme; axis and label
text is left to the theme.
"""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import pandas as pd

from mlprep.readiness import OVERALL

BAND_COLOURS = {"weak": "#e8590c", "developing": "#f2c12e", "ready": "#2f9e44"}
INTERVIEW_COLOUR = "#c2255c"
HEATMAP_WEEKS = 26


def readiness_bars(per_category: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars of readiness per category in the order given (``weak_areas.rank_categories``: weakest
    first), coloured by band, labelled '6 of 8 solid' (plus 'counts ×1.5' where the loop weights the
    category). Labels are mid-grey so they read on the light and the dark theme.

    A transparent full-width row on top carries the click selection ``pick`` (field ``category_slug``),
    so even a category at 0% can be clicked.
    """
    data = per_category[["category", "category_slug", "readiness", "band", "label", "practised", "questions"]].copy()
    notes = per_category["weight_note"] if "weight_note" in per_category else pd.Series("", index=data.index)
    data["why"] = notes.fillna("").astype(str)
    data["label"] = [f"{label} · {note.split(' for ')[0]}" if note else label for label, note in zip(data["label"], data["why"])]
    data["full"] = 1.0
    order = data["category"].tolist()
    pick = alt.selection_point(name="pick", fields=["category_slug"], on="click", empty=False)
    base = alt.Chart(data).encode(y=alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)))
    tooltip = [alt.Tooltip("category:N", title="Category"), alt.Tooltip("label:N", title="Solid"),
               alt.Tooltip("readiness:Q", title="Readiness", format=".0%"),
               alt.Tooltip("practised:Q", title="Practised"), alt.Tooltip("questions:Q", title="Questions"),
               alt.Tooltip("why:N", title="Order")]
    bars = base.mark_bar(cornerRadiusEnd=3).encode(
        x=alt.X("readiness:Q", title="Readiness (solid questions / target)", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("band:N", title="Band", scale=alt.Scale(domain=list(BAND_COLOURS),
                                                                 range=list(BAND_COLOURS.values()))),
    )
    labels = base.mark_text(align="left", dx=6, fontSize=12, color="#868e96").encode(x="readiness:Q", text="label:N")
    rows = base.mark_bar(opacity=0.001, cursor="pointer").encode(x="full:Q", tooltip=tooltip).add_params(pick)
    return alt.layer(bars, labels, rows).properties(height=alt.Step(30))


def category_link(selection: dict | None) -> str | None:
    """The Study link for a bar selection event (``on_select``), or None if nothing is selected."""
    if not selection:
        return None
    points = (selection.get("selection") or {}).get("pick") or []
    slugs = [p.get("category_slug") for p in points if isinstance(p, dict) and p.get("category_slug")]
    return f"/study?category={slugs[0]}" if slugs else None


def trend_chart(history: pd.DataFrame, category: str = OVERALL, interview: date | None = None) -> alt.LayerChart:
    """Readiness day by day for one category (or the overall mean), from daily snapshots.

    ``history`` has columns day (YYYY-MM-DD), category, readiness.
    """
    data = history[history["category"] == category][["day", "readiness"]].copy()
    data["day"] = pd.to_datetime(data["day"])
    line = alt.Chart(data).mark_line(point=True, color="#3b5bdb").encode(
        x=alt.X("day:T", title=None, axis=alt.Axis(format="%d %b")),
        y=alt.Y("readiness:Q", title=f"Readiness: {category}", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %d %b"),
                 alt.Tooltip("readiness:Q", title="Readiness", format=".0%")],
    )
    layers = [line]
    if interview is not None:
        mark = pd.DataFrame({"day": [pd.Timestamp(interview)], "text": ["Interview"]})
        layers.append(alt.Chart(mark).mark_rule(color=INTERVIEW_COLOUR, strokeDash=[4, 3], size=2).encode(x="day:T"))
        layers.append(alt.Chart(mark).mark_text(color=INTERVIEW_COLOUR, align="left", dx=4, dy=-6, y=0).encode(
            x="day:T", text="text:N"))
    return alt.layer(*layers).properties(height=220)


def activity_heatmap(per_day: pd.DataFrame, today: date, weeks: int = HEATMAP_WEEKS) -> alt.Chart:
    """Reviews per day over the last ``weeks`` weeks as a calendar heatmap (columns weeks, rows weekdays).

    Squares have a fixed size (the chart is as wide as its weeks, not stretched), each column is labelled
    with its Monday's date, and the colour legend is a short horizontal bar under the calendar so no label
    is cut off.
    """
    weeks = max(1, int(weeks))
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    days = pd.date_range(start, today, freq="D")
    counts = dict(zip(pd.to_datetime(per_day["day"]).dt.date, per_day["reviews"])) if len(per_day) else {}
    data = pd.DataFrame({"day": days, "reviews": [int(counts.get(d.date(), 0)) for d in days]})
    data["week"] = ((data["day"] - pd.Timestamp(start)).dt.days // 7).astype(int)
    data["weekday"] = data["day"].dt.strftime("%a")
    mondays = [(start + timedelta(weeks=w)) for w in range(weeks)]
    labels = {w: f"{m.day} {m:%b}" for w, m in enumerate(mondays)}
    every = max(3, -(-weeks // 8))  # every third week or sparser (at most about nine labels): no overlap
    label_expr = " : ".join(f"datum.value == {w} ? '{text}'" for w, text in labels.items() if w % every == 0)
    return alt.Chart(data).mark_rect(cornerRadius=2, stroke="#8884", strokeWidth=0.5).encode(
        x=alt.X("week:O", title=None, axis=alt.Axis(labelExpr=f"{label_expr} : ''", ticks=False, labelAngle=0,
                                                    labelPadding=4, orient="top", domain=False)),
        y=alt.Y("weekday:N", title=None, sort=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
                axis=alt.Axis(ticks=False, domain=False)),
        color=alt.condition("datum.reviews > 0",
                            alt.Color("reviews:Q", title="Reviews a day",
                                      scale=alt.Scale(scheme="greens", domainMin=0),
                                      legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=160,
                                                        titleOrient="left", titleAnchor="middle")),
                            alt.value("#8882")),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %d %b %Y"), alt.Tooltip("reviews:Q", title="Reviews")],
    ).properties(width=alt.Step(20), height=alt.Step(20))


def forecast_chart(per_day: pd.DataFrame, interview: date | None = None) -> alt.LayerChart:
    """Reviews due per day (column day as dates, due as counts); overdue ones are counted on the first day.

    One wide bar per day (days are bands, not instants on a time axis), each labelled with its count, and
    whole numbers on the axis.
    """
    data = per_day.copy()
    data["day"] = pd.to_datetime(data["day"])
    data["label"] = data["day"].dt.strftime("%Y-%m-%d")  # a band per day; the axis shows '30 Nov'
    order = data.sort_values("day")["label"].tolist()
    every = max(1, -(-len(order) // 10))  # at most about ten day labels under the bars
    shown = [text for i, text in enumerate(order) if i % every == 0]
    x = alt.X("label:O", sort=order, title=None,
              axis=alt.Axis(labelAngle=0, values=shown, labelExpr="utcFormat(toDate(datum.value), '%d %b')",
                            labelOverlap=False))
    bars = alt.Chart(data).mark_bar(color="#3b5bdb", cornerRadiusEnd=2).encode(
        x=x,
        y=alt.Y("due:Q", title="Reviews due", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("day:T", title="Day", format="%a %d %b"), alt.Tooltip("due:Q", title="Due")],
    )
    counts = alt.Chart(data[data["due"] > 0]).mark_text(dy=-7, fontSize=11, color="#868e96").encode(
        x=alt.X("label:O", sort=order), y="due:Q", text="due:Q")
    layers: list[alt.Chart] = [bars]
    if len(order) <= 31:  # a count over every bar while the bars are wide enough to carry one
        layers.append(counts)
    if interview is not None:
        mark = pd.DataFrame({"label": [interview.isoformat()]})
        if mark["label"].iloc[0] in set(order):
            layers.append(alt.Chart(mark).mark_rule(color=INTERVIEW_COLOUR, strokeDash=[4, 3], size=2).encode(
                x=alt.X("label:O", sort=order)))
    return alt.layer(*layers).properties(height=200)
