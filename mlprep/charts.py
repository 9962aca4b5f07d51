"""Chart builders: pure functions from DataFrames to Altair charts (no Streamlit here)."""

from __future__ import annotations

import altair as alt
import pandas as pd

BAND_COLOURS = {"weak": "#e8590c", "developing": "#f2c12e", "ready": "#2f9e44"}


def readiness_bars(per_category: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of readiness per category, weakest on top, coloured by band, labelled '6 of 8 solid'.

    A click selects a bar (selection parameter ``pick`` on the field ``category_slug``).
    """
    data = per_category[["category", "category_slug", "readiness", "band", "label", "practised", "questions"]].copy()
    order = data.sort_values(["readiness", "category"])["category"].tolist()
    pick = alt.selection_point(name="pick", fields=["category_slug"], on="click")
    base = alt.Chart(data).encode(
        y=alt.Y("category:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
    )
    bars = base.mark_bar(cornerRadiusEnd=3, cursor="pointer").encode(
        x=alt.X("readiness:Q", title="Readiness (solid questions / target)",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("band:N", title="Band", scale=alt.Scale(domain=list(BAND_COLOURS),
                                                                 range=list(BAND_COLOURS.values()))),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("category:N", title="Category"), alt.Tooltip("label:N", title="Solid"),
                 alt.Tooltip("readiness:Q", title="Readiness", format=".0%"),
                 alt.Tooltip("practised:Q", title="Practised"), alt.Tooltip("questions:Q", title="Questions")],
    ).add_params(pick)
    labels = base.mark_text(align="left", dx=4, fontSize=12).encode(
        x=alt.value(4), text="label:N", color=alt.value("#1f1f1f"),
    )
    return (bars + labels).properties(height=alt.Step(30))


def category_link(selection: dict | None) -> str | None:
    """The Study link for a bar selection event (``on_select``), or None if nothing is selected."""
    if not selection:
        return None
    points = (selection.get("selection") or {}).get("pick") or []
    slugs = [p.get("category_slug") for p in points if isinstance(p, dict) and p.get("category_slug")]
    return f"/study?category={slugs[0]}" if slugs else None
