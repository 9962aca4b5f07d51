"""Two tabs of one browser rate the same card: both ratings are saved, once each, and the card is consistent."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect
from server import Server, wait_idle

from mlprep.db import Store
from mlprep.schedule import make_scheduler

QID = "comms-explain-to-executive"


def test_two_tabs_rating_the_same_card(browser: Browser, server: Server) -> None:
    context = browser.new_context()
    tabs = [context.new_page(), context.new_page()]
    for tab in tabs:
        tab.goto(f"{server.url}/study")
        wait_idle(tab)
        tab.get_by_label("Search").fill(QID)
        tab.get_by_label("Search").press("Enter")
        wait_idle(tab)
        tab.get_by_role("button", name="Reveal what they look for").click()
        wait_idle(tab)
    # Both tabs show the same card, revealed; rate it in each, nearly at once.
    tabs[0].get_by_role("button", name=re.compile("^Shaky")).click()
    tabs[1].get_by_role("button", name=re.compile("^Nailed it")).click()
    for tab in tabs:
        wait_idle(tab)
        expect(tab.get_by_test_id("stException")).to_have_count(0)
        expect(tab.get_by_text("was not saved", exact=False)).to_have_count(0)
        expect(tab.get_by_text("Session done")).to_be_visible()
    store = Store(server.data_dir)
    reviews = store.reviews()
    assert sorted(reviews["rating"].tolist()) == [2, 4] and set(reviews["question_id"]) == {QID}
    assert reviews["id"].nunique() == 2
    card = store.cards().set_index("question_id").loc[QID]
    assert card["reps"] == 2
    before = store.cards()
    store.rebuild_cards(make_scheduler())
    assert store.cards()[["question_id", "due", "reps", "rating_sum"]].equals(before[["question_id", "due", "reps",
                                                                                       "rating_sum"]])
    context.close()
