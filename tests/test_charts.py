"""Chart builders are pure: test their Vega-Lite specs, and the bar-click -> Study link mapping."""

from __future__ import annotations

import pandas as pd

from mlprep.charts import category_link, readiness_bars
from mlprep.readiness import category_readiness


def _per_category() -> pd.DataFrame:
    scores = pd.DataFrame({"id": ["a", "b", "c"], "category": ["Alpha", "Alpha", "Beta"],
                           "category_slug": ["alpha", "alpha", "beta"], "practised": [True, True, False],
                           "solid": [True, True, False], "overdue": [False] * 3})
    return category_readiness(scores)


def test_readiness_bars_are_horizontal_weakest_first_coloured_by_band() -> None:
    spec = readiness_bars(_per_category()).to_dict()
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "readiness" and bars["encoding"]["y"]["field"] == "category"
    assert bars["encoding"]["y"]["sort"] == ["Beta", "Alpha"]
    assert bars["encoding"]["color"]["field"] == "band"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "label"
    rows = spec["layer"][2]
    assert rows["encoding"]["x"]["field"] == "full"  # a full-width row, so a 0% category is clickable
    assert any(p.get("name") == "pick" for p in spec.get("params", []) + rows.get("params", []))


def test_a_bar_click_maps_to_a_study_link() -> None:
    event = {"selection": {"pick": [{"category_slug": "beta", "category": "Beta"}]}}
    assert category_link(event) == "/study?category=beta"
    assert category_link({"selection": {"pick": []}}) is None
    assert category_link(None) is None
