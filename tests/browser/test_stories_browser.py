"""The Story bank in a real browser: write a story, link it to a question, find it, see it while studying."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from server import Server, wait_idle

from mlprep import stories
from mlprep.db import Store

TITLE = "The metric I would not sign off"


def choose(page: Page, label: str, typed: str) -> None:
    """Pick one option of a multiselect by typing part of it."""
    box = page.get_by_test_id("stMultiSelect").filter(has_text=label).locator("input")
    box.click()
    box.fill(typed)
    page.get_by_role("option").filter(has_text=typed).first.click()
    page.keyboard.press("Escape")
    page.get_by_role("heading", name="Write a story").click()  # leave the box: it shrinks, the page settles
    expect(page.get_by_role("option")).to_have_count(0)  # the drop-down has closed


def test_write_link_search_and_see_a_story_beside_its_question(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/stories")  # by URL on a fresh server: the shared sidebar is there
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Story bank")).to_be_visible()
    expect(page.get_by_text("No stories yet")).to_be_visible()
    page.get_by_test_id("stRadio").get_by_text("Write a story", exact=True).click()
    wait_idle(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Situation").fill("My manager wanted to launch on click-through rate alone.")
    page.get_by_label("Task").fill("I owned the ranking model's evaluation.")
    page.get_by_label("Action").fill("I ran a holdout, I showed the churn signal and I proposed a guardrail.")
    page.get_by_label("Result", exact=True).fill("We launched two weeks later and retention rose 4%.")
    page.get_by_label("What I learned").fill("Bring data to a disagreement early.")
    choose(page, "Themes", "disagreement-with-manager")
    choose(page, "Behavioral questions it answers", "disagreed with your manager")
    page.get_by_role("button", name="Save story").click()
    wait_idle(page)

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    saved = stories.all_stories(Store(server.data_dir))
    assert [(s.title, s.themes, s.question_ids) for s in saved] == [
        (TITLE, ["disagreement-with-manager"], ["star-disagreed-with-manager"])]

    search = page.get_by_label("Search your stories")
    search.fill("holdout")
    search.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("1 of 1 stories")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    search.fill("hackathon")
    search.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("0 of 1 stories")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_have_count(0)

    page.get_by_test_id("stRadio").get_by_text("Coverage", exact=True).click()
    wait_idle(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Behavioral questions with a story")
           .get_by_test_id("stMetricValue")).to_have_text(re.compile(r"^1 of \d+$"))

    page.goto(f"{server.url}/study")
    wait_idle(page)
    page.get_by_label("Search").fill("star-disagreed-with-manager")
    page.get_by_label("Search").press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Reveal what they look for").click()
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Your stories")).click()  # beside the answer, on the card
    expect(page.get_by_text("Your stories for this question")).to_be_visible()
    expect(page.get_by_text("I ran a holdout", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
