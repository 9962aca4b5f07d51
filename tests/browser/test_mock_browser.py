"""A mock round in a real browser: three questions with follow-ups, a refresh in the middle, grading, download."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect
from server import Server, wait_idle

from mlprep import mock
from mlprep.db import Store


def timer_seconds(page: Page) -> int:
    """The elapsed part of the countdown's text, '0:07 / 1:00' -> 7."""
    text = page.get_by_test_id("mlprep-timer").first.inner_text()
    minutes, seconds = re.match(r"(\d+):(\d\d) / ", text).groups()
    return int(minutes) * 60 + int(seconds)


def answer(page: Page, label: str, text: str) -> None:
    """Type into the answer box and leave it (Tab), which saves it."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Tab")
    wait_idle(page)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    wait_idle(page)


def answer_question_and_follow_up(page: Page, text: str, last: bool = False) -> None:
    answer(page, "Your answer", text)
    click(page, "Done: take the follow-up")
    expect(page.get_by_text("Follow-up:", exact=False).first).to_be_visible()
    answer(page, "Your answer to the follow-up", f"follow-up to: {text}")
    click(page, "Finish and grade" if last else "Next question")


def test_a_mock_round_survives_a_refresh_and_is_graded_and_downloaded(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/mock")  # by URL on a fresh server: the shared sidebar is there
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("Today", exact=True)).to_be_visible()
    page.get_by_test_id("stRadio").get_by_text("Behavioral", exact=True).click()
    page.get_by_role("slider").nth(0).press("Home")  # 3 questions
    page.get_by_role("slider").nth(1).press("Home")  # 1:00 per question
    click(page, "Start the round")
    expect(page.get_by_text("Question 1 of 3 · Behavioral")).to_be_visible()
    round_id = re.search(r"[?&]round=([0-9a-f]+)", page.url).group(1)
    answer_question_and_follow_up(page, "First answer: I owned the launch and cut scope.")

    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    answer(page, "Your answer", "Second answer, half written")
    page.wait_for_function(  # poll until the countdown shows at least 3 s elapsed
        "() => { const m = (document.querySelector('[data-testid=mlprep-timer]')?.innerText || '')"
        ".match(/(\\d+):(\\d\\d) \\//); return !!m && (+m[1] * 60 + +m[2]) >= 3; }", timeout=10_000)
    before = timer_seconds(page)
    assert before >= 3
    page.reload()
    wait_idle(page)
    assert f"round={round_id}" in page.url
    expect(page.get_by_text("Question 2 of 3")).to_be_visible()
    expect(page.get_by_label("Your answer", exact=True)).to_have_value("Second answer, half written")
    assert timer_seconds(page) >= before  # the countdown continued from the original start
    rnd = mock.load_round(Store(server.data_dir), round_id)
    assert rnd.answers[0].answer_text == "First answer: I owned the launch and cut scope."
    assert rnd.answers[0].follow_up_text.startswith("follow-up to: First answer")

    answer_question_and_follow_up(page, "Second answer, finished after the refresh.")
    expect(page.get_by_text("Question 3 of 3")).to_be_visible()
    answer_question_and_follow_up(page, "Third answer.", last=True)

    expect(page.get_by_text("Grade your answers (0 of 3 done)")).to_be_visible()
    expect(page.get_by_text("First answer: I owned the launch and cut scope.", exact=True)).to_be_visible()
    expect(page.get_by_text("Second answer, finished after the refresh.", exact=True)).to_be_visible()
    for done in range(3):
        form = page.get_by_test_id("stForm").first
        form.get_by_test_id("stCheckbox").first.click()
        form.get_by_role("button", name="Solid").click()
        wait_idle(page)
        if done < 2:
            expect(page.get_by_text(f"Grade your answers ({done + 1} of 3 done)")).to_be_visible()

    expect(page.get_by_text("Round finished: Behavioral")).to_be_visible()
    store = Store(server.data_dir)
    reviews = store.reviews()
    assert len(reviews) == 3 and set(reviews["mode"]) == {"mock"} and set(reviews["rating"]) == {3}
    assert mock.finished_rounds(store) == 1
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").first.locator("button").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Mock interview: Behavioral, 3 questions")
    assert "## Weakest points" in text and "## Study next" in text
    expect(page.get_by_test_id("stException")).to_have_count(0)


def saved_answer(server: Server, round_id: str, position: int = 0) -> str:
    return mock.load_round(Store(server.data_dir), round_id).answers[position].answer_text


def _saved_when(page: Page, server: Server, round_id: str, done, seconds: float = 10) -> str:
    """Poll the database (not the page) until the saved answer satisfies ``done``; the saver commits 0.8 s after
    the last keystroke, and the generous deadline only guards a loaded machine. Returns the last text read."""
    deadline = time.monotonic() + seconds
    while not done(text := saved_answer(server, round_id)) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return text


def test_a_draft_survives_a_reload_without_leaving_the_answer_box(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/mock")
    wait_idle(page)
    click(page, "Start the round")
    expect(page.get_by_text("Question 1 of 5")).to_be_visible()
    round_id = re.search(r"[?&]round=([0-9a-f]+)", page.url).group(1)
    box = page.get_by_label("Your answer", exact=True)
    box.click()
    draft = "I would first ask who the users are"
    box.press_sequentially(draft, delay=20)  # typed, never blurred, no Ctrl+Enter
    assert _saved_when(page, server, round_id, lambda text: text == draft) == draft
    assert page.evaluate("document.activeElement && document.activeElement.tagName") == "TEXTAREA"  # still typing
    box.press_sequentially(", then what data exists.", delay=20)  # typing goes on across the save's rerun
    expect(box).to_have_value(draft + ", then what data exists.")
    assert _saved_when(page, server, round_id, lambda text: text.endswith("exists.")).endswith("exists.")
    page.reload()
    wait_idle(page)
    expect(page.get_by_label("Your answer", exact=True)).to_have_value(draft + ", then what data exists.")
    expect(page.get_by_test_id("stException")).to_have_count(0)
