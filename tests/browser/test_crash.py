"""A real server killed with SIGKILL while ratings are written: nothing committed is lost, the file stays sound.

MLPREP_CRASH_KILLS sets how many kills (default 5 in `make test`; the full run is MLPREP_CRASH_KILLS=20).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

from playwright.sync_api import Browser
from server import start_server, wait_idle

KILLS = int(os.environ.get("MLPREP_CRASH_KILLS", "5"))


def _prompt(page) -> str:
    heading = page.locator("[data-testid=stMain] h4")
    return heading.first.inner_text() if heading.count() else ""


def _rate_until_killed(browser: Browser, url: str, process, rng: random.Random) -> int:
    """Rate cards with the keyboard; kill the server at a random moment. Returns ratings the UI confirmed."""
    page = browser.new_page()
    confirmed = 0
    try:
        page.goto(f"{url}/study")
        wait_idle(page)
        kill_at = time.monotonic() + rng.uniform(2.0, 6.0)
        while True:
            if time.monotonic() >= kill_at:
                process.send_signal(signal.SIGKILL)  # mid-flight: a rating may be on its way
                page.keyboard.press("3")
                break
            before = _prompt(page)
            page.keyboard.press("Escape")  # a new card puts the cursor in its text box: leave it
            for step in ("Start answering", "Reveal what they look for"):  # scenario/design cards clarify first
                if page.get_by_role("button", name=step).count():
                    page.keyboard.press("Space")
                    wait_idle(page, timeout=10_000)
            page.keyboard.press("3")  # Solid
            wait_idle(page, timeout=10_000)
            if _prompt(page) != before:
                confirmed += 1
    finally:
        process.wait(timeout=10)
        page.close()
    return confirmed


def test_sigkill_during_ratings_loses_nothing_committed(browser: Browser, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    rng = random.Random(11)
    confirmed_total = 0
    for kill in range(KILLS):
        server = start_server(data_dir)
        confirmed_total += _rate_until_killed(browser, server.url, server.process, rng)
        with sqlite3.connect(data_dir / "mlprep.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"after kill {kill + 1}"
            saved = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
            cards = conn.execute("SELECT COALESCE(SUM(reps), 0) FROM cards").fetchone()[0]
        assert saved >= confirmed_total, f"kill {kill + 1}: {confirmed_total} confirmed, {saved} saved"
        assert cards == saved  # each saved rating updated its card in the same transaction
    assert confirmed_total >= KILLS  # the test really rated cards between kills
