"""Nothing a question, answer, story or tag says can run or fetch: a full journey with hostile text.

The browser's request log must show only 127.0.0.1, no dialog may open and no injected handler may run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect
from server import Server, wait_idle

from mlprep.db import Store
from mlprep.db.backup import import_backup
from mlprep.schedule import make_scheduler
from mlprep.stories import Story, new_story_id, save_story, set_links

HOSTILE = ("<script>window.__pwned = 'script'</script> <img src=x onerror=\"window.__pwned='img'\"> "
           "![tracker](http://203.0.113.9/pixel.png) <iframe src=\"http://203.0.113.9/\"></iframe>")
Q = HOSTILE.replace('"', '\\"')  # escaped for a double-quoted YAML string
BANK = f"""\
category: Hostile topics
questions:
  - id: hostile-question
    prompt: "=HYPERLINK(\\"http://203.0.113.9\\") Why is this <b>bold</b>? {Q}"
    difficulty: easy
    kind: behavioral
    tags: ["<script>alert(1)</script>", "+cmd"]
    looking_for:
      - "{Q}"
      - "@SUM(1+1) a formula-looking point"
      - A plain point
    answer: "{Q}"
    follow_ups: ["<img src=y onerror=\\"window.__pwned='follow'\\">"]
    strong_answer: [a, b, c, "![remote](https://203.0.113.9/x.png)", "![ref][r]\\n\\n[r]: http://203.0.113.9/ref.png"]
"""
REMOTE = "![c](http://203.0.113.9/planted.png)"
# A category name, a restored story theme and a restored mock round type, each with a remote image.
CATEGORY_BANK = f"""\
category: "Topics {REMOTE}"
questions:
  - id: hostile-category-question
    prompt: A question in a category whose name carries a remote image.
    difficulty: easy
    kind: explain
    looking_for: [One, Two, Three]
"""


def restore_hostile_rows(store: Store) -> None:
    """Story themes, linked ids and a mock round type with remote images, through a restore (they are text)."""
    backup = {"format": "mlprep-progress", "version": 1,
              "stories": [{"id": "s-hostile", "title": "Restored", "themes": json.dumps([REMOTE]),
                           "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z"}],
              "story_links": [{"story_id": "s-hostile", "question_id": REMOTE}],
              "mock_rounds": [{"id": "m-hostile", "round_type": REMOTE, "target_s": 60, "follow_up_s": 60, "seed": 0,
                               "position": 0, "stage": "done", "created_at": "2026-01-01T00:00:00.000000Z",
                               "finished_at": "2026-01-01T00:10:00.000000Z"}],
              "mock_answers": [{"id": "a-hostile", "round_id": "m-hostile", "position": 0,
                                "question_id": "hostile-question", "follow_up": REMOTE}]}
    import_backup(store, json.dumps(backup), make_scheduler())


def test_hostile_text_stays_inert_and_nothing_leaves_localhost(page: Page, server: Server) -> None:
    banks = server.data_dir / "banks"
    banks.mkdir()
    (banks / "hostile.yaml").write_text(BANK, encoding="utf-8")
    (banks / "hostile-category.yaml").write_text(CATEGORY_BANK, encoding="utf-8")
    store = Store(server.data_dir)
    restore_hostile_rows(store)
    story_id = new_story_id()
    save_story(store, Story(id=story_id, title=f"Title {HOSTILE}", situation=HOSTILE, task="-2+3",
                           action=HOSTILE, result="=1+1", learned=HOSTILE, themes=["conflict"]))
    set_links(store, story_id, ["hostile-question"])

    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(f"{server.url}/study?category=hostile-topics")
    wait_idle(page)
    expect(page.get_by_text("Why is this <b>bold</b>?", exact=False)).to_be_visible()
    page.get_by_label("Your answer (optional)").fill(HOSTILE)
    page.get_by_label("Your answer (optional)").press("Tab")
    page.get_by_role("button", name="Reveal what they look for").click()
    wait_idle(page)
    expect(page.get_by_text("image not shown", exact=False).first).to_be_visible()
    page.get_by_role("button", name=re.compile("^Shaky")).click()
    wait_idle(page)
    for path in ("dashboard", "stories", "bank", "settings", "mock", "study?category=hostile-topics", "",
                 "study?text=hostile-category-question"):
        page.goto(f"{server.url}/{path}")
        wait_idle(page)
        expect(page.get_by_test_id("stSidebar")).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    hosts = {urlparse(url).hostname for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, [u for u in requests if "127.0.0.1" not in u]
    assert page.locator("iframe[src*='203.0.113.9'], img[src*='203.0.113.9'], script:has-text('__pwned')").count() == 0


def test_exports_write_formula_cells_inert(tmp_path: Path) -> None:
    from mlprep.weak_areas import safe_cell

    assert [safe_cell(v) for v in ("=1+1", "+cmd", "-2", "@SUM(A1)", "plain")] == \
        ["'=1+1", "'+cmd", "'-2", "'@SUM(A1)", "plain"]
