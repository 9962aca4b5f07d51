"""The Dashboard in a real browser: every section with data, a bar click into Study, all three exports."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from server import Server, wait_idle

from mlprep.db import NewReview, Store, new_review_id
from mlprep.schedule import make_scheduler


def _rate_a_few(server: Server) -> None:
    store, scheduler = Store(server.data_dir), make_scheduler()
    for qid, rating in (("product-niche-recsys", 4), ("fair-underrepresented-bias", 1), ("star-what-did-you-do", 2)):
        store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=rating, rubric_hits=["a"],
                                      rubric_missed=["Names a guardrail metric"]), scheduler)


def test_empty_dashboard_then_sections_with_data(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/dashboard")
    wait_idle(page)
    expect(page.get_by_text("No ratings yet")).to_be_visible()
    _rate_a_few(server)
    page.reload()
    wait_idle(page)
    for heading in ("Readiness by category", "Weak areas", "Trend", "Activity", "Rubric gaps",
                    "How readiness is computed"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(4)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _hover_down_to_a_row(page: Page, tooltip: Locator, x: float, top: float) -> float | None:
    """Move the mouse down the chart's first rows; the offset where a row's tooltip shows, or None."""
    for dy in range(4, 64, 4):
        page.mouse.move(x, top + dy)
        try:
            tooltip.wait_for(state="visible", timeout=300)
            return dy
        except PlaywrightTimeoutError:
            continue
    return None


def test_clicking_a_bar_opens_study_for_that_category(page: Page, server: Server) -> None:
    _rate_a_few(server)
    page.goto(f"{server.url}/dashboard")
    wait_idle(page)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas, svg").first).to_be_visible()  # drawn, so its rows can be clicked
    box = chart.bounding_box()
    assert box is not None
    # The weakest category is the top row, clickable across the whole plot width. Find it by hovering down
    # the chart until a row's tooltip shows (a hover reruns nothing; the chart may take a moment after it is
    # drawn to answer the mouse), then click once and give the rerun and the page switch as long as a loaded
    # machine needs.
    tooltip = page.locator("#vg-tooltip-element.visible")
    x = box["x"] + box["width"] * 0.55
    deadline = time.monotonic() + 30
    dy = _hover_down_to_a_row(page, tooltip, x, box["y"])
    while dy is None and time.monotonic() < deadline:
        page.mouse.move(x, box["y"] - 40)
        dy = _hover_down_to_a_row(page, tooltip, x, box["y"])
    assert dy is not None, "no row of the readiness chart showed its tooltip"
    category = tooltip.inner_text().split("Category", 1)[1].strip().splitlines()[0].strip()
    page.mouse.click(x, box["y"] + dy)
    page.wait_for_url(re.compile(r"/study\?category="), timeout=30_000)
    wait_idle(page)
    assert "/study?category=" in page.url, page.url
    slug = page.url.split("category=", 1)[1]
    expect(page.get_by_role("heading", name="Study", exact=True)).to_be_visible()
    multiselect = page.get_by_test_id("stMultiSelect").first
    expect(multiselect).not_to_contain_text("All categories")
    expect(multiselect).to_contain_text(category)
    assert slug


def test_the_three_weak_area_exports_download(page: Page, server: Server, tmp_path: Path) -> None:
    _rate_a_few(server)
    page.goto(f"{server.url}/dashboard")
    wait_idle(page)
    texts = {}
    for label in ("Study plan (Markdown)", "Weak areas (CSV)", "Weak areas (JSON)"):
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        texts[label] = Path(info.value.path()).read_text(encoding="utf-8")
    assert texts["Study plan (Markdown)"].startswith("# mlprep weak-area study plan")
    assert "- [ ] " in texts["Study plan (Markdown)"]
    assert texts["Weak areas (CSV)"].splitlines()[0].startswith("area,kind,readiness")
    areas = json.loads(texts["Weak areas (JSON)"])
    assert areas and {"area", "kind", "readiness", "next_questions"} <= set(areas[0])


def test_the_interview_day_brief_downloads_from_home_and_the_dashboard(page: Page, server: Server) -> None:
    _rate_a_few(server)
    for path in ("", "dashboard"):
        page.goto(f"{server.url}/{path}")
        wait_idle(page)
        for fmt, first in (("Markdown", "# Interview-day brief"), ("HTML, to print", "<!doctype html>")):
            button = page.get_by_role("button", name=f"Interview-day brief ({fmt})")
            button.scroll_into_view_if_needed()
            with page.expect_download() as info:
                button.click()
            text = Path(info.value.path()).read_text(encoding="utf-8")
            assert text.startswith(first), text[:80]
            assert "Your weakest areas" in text and "Your stories by theme" in text
            if first.startswith("<"):
                assert "http://" not in text and "https://" not in text  # prints offline: nothing remote
    expect(page.get_by_test_id("stException")).to_have_count(0)
