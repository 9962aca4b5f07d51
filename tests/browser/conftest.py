"""Browser-test fixtures: Debian's Chromium, and a fresh server with a temp data dir per test.

Without /usr/bin/chromium these tests skip with a message, unless MLPREP_REQUIRE_BROWSER=1 (CI), where
they fail instead, so they can never silently skip there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from server import CHROMIUM, CHROMIUM_ARGS, Server, start_server, stop_server


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("MLPREP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; MLPREP_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh server on a free port with an empty temp data dir."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    running = start_server(data_dir)
    yield running
    stop_server(running)
