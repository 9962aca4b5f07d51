"""Bring your own questions in a real browser: upload a CSV on /bank, see the preview, save, study it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from server import Server, wait_idle

from mlprep import importers, userbank
from mlprep.bank import load_bank

PROMPT = "How would you explain a confusion matrix to a sales lead?"
CSV = (f"Question,Answer,Category,Difficulty\n{PROMPT},\"Start from one decision they make.\n\n- Then the "
       "errors\",Team list,easy\nWhat would you monitor after launching a churn model?,Inputs and outcomes.,"
       "Team list,hard\n")


def test_upload_preview_save_then_find_the_question_in_study(page: Page, server: Server, tmp_path: Path) -> None:
    upload = tmp_path / "team list.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.goto(f"{server.url}/bank")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Bank", exact=True).first).to_be_visible()
    page.get_by_role("tab", name="Import a file").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text("Preview of team list.csv")).to_be_visible(timeout=15_000)
    wait_idle(page)
    to_save = page.get_by_test_id("stMetric").filter(has_text="Questions to save")
    expect(to_save.get_by_test_id("stMetricValue")).to_have_text("2")
    assert not list(userbank.banks_dir(server.data_dir).glob("*.yaml"))  # nothing written before the click

    page.get_by_role("button", name="Save 2 questions to my banks").click()
    wait_idle(page)
    expect(page.get_by_text("Saved 2 questions from team list.csv")).to_be_visible()
    loaded = load_bank(userbank.enabled_bank_paths(server.data_dir))
    qid = importers.make_id(PROMPT)
    assert loaded.problems == [] and loaded.question(qid)["category"] == "Team list"
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.get_by_role("button", name="Study “Team list” now").click()  # the import is a track of its own
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("2 in this track")
    search = page.get_by_label("Search")
    search.fill("confusion matrix to a sales lead")
    search.press("Enter")
    wait_idle(page)
    expect(page.locator("h4", has_text=PROMPT)).to_be_visible()
    page.get_by_role("button", name="Reveal what they look for").click()
    wait_idle(page)
    expect(page.get_by_text("No rubric yet for this question")).to_be_visible()
    marker = page.get_by_test_id("stMarkdown").filter(has=page.get_by_role("img", name="rule icon"))
    expect(marker).to_contain_text("no rubric yet")
    expect(page.get_by_text("Add rubric points")).to_be_visible()  # the question is the user's own
    expect(page.get_by_text("Start from one decision they make.")).to_be_visible()
