"""The user journeys in a real browser: pages by URL, studying a card, the dashboard, the download."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from server import Server, start_server, stop_server, wait_idle

from components import pages
from mlprep.db import Store


def _url_path(target: pages.Page) -> str:
    """A page's URL path: '' for the entry file, else the file's name without .py."""
    return "" if target == pages.HOME else Path(target.path).stem


@pytest.mark.parametrize("target", pages.ALL, ids=[p.label for p in pages.ALL])
def test_each_page_opened_by_url_on_a_fresh_server_shows_the_shared_sidebar(
        page: Page, tmp_path: Path, target: pages.Page) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    server = start_server(data_dir)
    try:
        page.goto(f"{server.url}/{_url_path(target)}")
        wait_idle(page)
        title = "mlprep" if target == pages.HOME else target.label
        expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible()
        sidebar = page.get_by_test_id("stSidebar")
        for each in pages.ALL:
            expect(sidebar.get_by_role("link", name=each.label, exact=True)).to_be_visible()
        expect(sidebar.get_by_text("Today", exact=True)).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        stop_server(server)


def _past_clarify(page: Page) -> None:
    """Scenario and design cards open with the clarify step."""
    start = page.get_by_role("button", name=re.compile("^Start answering"))
    if start.count():
        start.click()
        wait_idle(page)


def _reveal_tick_and_rate(page: Page, ticks: int, rating_label: str, double: bool = False) -> None:
    page.get_by_role("button", name="Reveal what they look for").click()
    wait_idle(page)
    boxes = page.get_by_test_id("stCheckbox")
    for i in range(ticks):
        boxes.nth(i).click()
    button = page.get_by_role("button", name=re.compile(f"^{rating_label}"))
    if double:
        button.dblclick()
    else:
        button.click()
    wait_idle(page)


def test_study_one_card_then_see_it_on_the_dashboard_and_download_the_plan(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/study")
    wait_idle(page)
    prompt = page.get_by_test_id("stMarkdown").filter(has=page.locator("h4")).first.inner_text()
    _past_clarify(page)
    page.get_by_label("Your answer (optional)").fill("Start from the users and the business goal.")
    _reveal_tick_and_rate(page, ticks=2, rating_label="Solid")
    expect(page.get_by_text("Saved: Solid (2/")).to_be_visible()
    reviews = Store(server.data_dir).reviews()
    assert len(reviews) == 1 and reviews.iloc[0]["answer_text"] == "Start from the users and the business goal."
    assert page.get_by_test_id("stMarkdown").filter(has=page.locator("h4")).first.inner_text() != prompt

    page.get_by_test_id("stSidebar").get_by_role("link", name="Dashboard").click()
    wait_idle(page)
    reviews_metric = page.get_by_test_id("stMetric").filter(has_text="Reviews")
    expect(reviews_metric.get_by_test_id("stMetricValue")).to_have_text("1")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").first.locator("button").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# mlprep weak-area study plan") and "- [ ] " in text


def test_a_double_click_on_a_rating_saves_exactly_one_review(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/study")
    wait_idle(page)
    _past_clarify(page)
    rated = page.locator("h4").first.inner_text()
    _reveal_tick_and_rate(page, ticks=1, rating_label="Shaky", double=True)
    expect(page.locator("h4").first).not_to_have_text(rated)  # both clicks handled: the next card is up
    wait_idle(page)
    reviews = Store(server.data_dir).reviews()
    assert len(reviews) == 1 and reviews.iloc[0]["rating"] == 2


def test_keyboard_type_tab_space_and_a_number_rate_the_card(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/study")
    wait_idle(page)
    _past_clarify(page)
    box = page.get_by_label("Your answer (optional)")
    box.click()
    box.type("Clarify the goal first, then pick a metric.")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.keyboard.press("Space")
    wait_idle(page)
    expect(page.get_by_role("button", name=re.compile("^Solid"))).to_be_visible()
    page.keyboard.press("3")
    wait_idle(page)
    reviews = Store(server.data_dir).reviews()
    assert len(reviews) == 1 and reviews.iloc[0]["rating"] == 3
    assert reviews.iloc[0]["answer_text"] == "Clarify the goal first, then pick a metric."
