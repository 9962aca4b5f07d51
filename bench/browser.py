"""Browser figures for `bench/run.py --browser`: a real `streamlit run` on the benchmark's data dir, driven by
Debian's Chromium with Playwright, timed from the user's action to what they see.

- floor: a one-button Streamlit page, its shortcut key to the new text (what any Streamlit round trip costs
  here, timed the same way as the rating key);
- rate to next: the rating key (3, Solid) on a revealed card to the next card's prompt in the DOM;
- page switch: a click on a sidebar link to the page's title painted and its script run finished;
- dashboard after a rating: rate a card on Study (untimed), then the Dashboard link to its readiness chart drawn.

Each figure is the median of ``runs`` samples. Time is taken in this process around each action and its
polling wait (Playwright's ``wait_for_function`` polls on animation frames), the same way for every figure.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
FLOOR_APP = """import streamlit as st
st.session_state.setdefault("clicks", 0)
if st.button("Go", key="go", shortcut="g"):
    st.session_state.clicks += 1
st.markdown(f"clicks {st.session_state.clicks}")
"""
# Idle: no script run going, and no element still a skeleton (a widget's code is fetched the first time the
# page shows one; until then it is a placeholder, with the run already over).
IDLE = ("() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') "
        "=== 'notRunning' && !document.querySelector('[data-testid=stMain] [data-testid=stSkeleton]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(script: Path, cwd: Path, data_dir: Path) -> tuple[str, subprocess.Popen]:
    """Start `streamlit run script` on a free loopback port and wait for its health check."""
    port = _free_port()
    env = {**os.environ, "MLPREP_DATA_DIR": str(data_dir)}
    log = open(data_dir.parent / f"bench-streamlit-{port}.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                                "--server.headless", "true", "--server.address", "127.0.0.1"],
                               cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return url, process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"streamlit did not start for {script}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def settle(page: Any) -> None:
    """Wait until the page has content and no script run is going (not timed)."""
    page.wait_for_selector("[data-testid=stMain] [data-testid=stElementContainer]", timeout=120_000)
    page.wait_for_function(IDLE, timeout=120_000)


def _timed(action: Any, wait: Any) -> float:
    start = time.perf_counter()
    action()
    wait()
    return time.perf_counter() - start


def floor(page: Any, url: str, runs: int) -> list[float]:
    page.goto(url)
    settle(page)
    samples = []
    for i in range(1, runs + 1):
        samples.append(_timed(lambda: page.keyboard.press("g"),  # a key, as the rating is timed
                              lambda i=i: page.wait_for_function(
                                  f"() => document.body.innerText.includes('clicks {i}')", timeout=30_000)))
        settle(page)  # the run is over before the next key (not timed), as between two ratings
    return samples


def _prompt(page: Any) -> str:
    return page.locator("[data-testid=stMain] h4").first.inner_text(timeout=60_000)


def _reveal(page: Any) -> None:
    """Bring the card on screen to its revealed state (not timed)."""
    start = page.get_by_role("button", name="Start answering")
    reveal = page.get_by_role("button", name="Reveal what they look for")
    start.or_(reveal).first.wait_for(timeout=60_000)  # a scenario card opens on its clarify step
    if start.count():
        start.first.click()
        settle(page)
    reveal.click()
    settle(page)
    page.get_by_role("button", name="Solid").first.wait_for(timeout=60_000)


def rate_to_next(page: Any, url: str, runs: int) -> list[float]:
    page.goto(f"{url}/study")
    settle(page)
    samples = []
    for _ in range(runs):
        _reveal(page)
        before = _prompt(page)
        samples.append(_timed(lambda: page.keyboard.press("3"), lambda b=before: page.wait_for_function(
            "(before) => { const h = document.querySelector('[data-testid=stMain] h4');"
            " return !!h && h.innerText !== before; }", arg=b, timeout=60_000)))
        settle(page)
    return samples


def _switch(page: Any, label: str, title: str, extra: str = "true") -> float:
    """Click a sidebar link; time until the page's title is painted, its run is over and ``extra`` (a JS
    expression of ours) holds."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=label, exact=True)
    ready = ("(title) => { const h = document.querySelector('[data-testid=stMain] h1');"
             " return !!h && h.innerText.trim() === title && document.querySelector('[data-testid=stApp]')"
             f".getAttribute('data-test-script-state') === 'notRunning' && ({extra}); }}")
    return _timed(link.click, lambda: page.wait_for_function(ready, arg=title, timeout=120_000))


def page_switches(page: Any, url: str, runs: int) -> dict[str, list[float]]:
    """Every page of the registry, reached from the page before it in the sidebar (the first from the last)."""
    sys.path.insert(0, str(ROOT))
    from components import pages

    titles = {p.label: ("mlprep" if p == pages.HOME else p.label) for p in pages.ALL}
    page.goto(url)
    settle(page)
    samples: dict[str, list[float]] = {p.label: [] for p in pages.ALL}
    for _ in range(runs):
        for target in (*pages.ALL[1:], pages.ALL[0]):
            samples[target.label].append(_switch(page, target.label, titles[target.label]))
    return samples


CHART_DRAWN = "!!document.querySelector('[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg')"


def dashboard_after_rating(page: Any, url: str, runs: int) -> list[float]:
    page.goto(f"{url}/study")
    settle(page)
    samples = []
    for _ in range(runs):
        _reveal(page)
        page.keyboard.press("3")
        settle(page)
        samples.append(_switch(page, "Dashboard", "Dashboard", CHART_DRAWN))
        _switch(page, "Study", "Study")
    return samples


def measure(data_dir: Path, runs: int) -> dict[str, Any]:
    """Run every browser figure; returns medians (seconds) and the raw samples."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="mlprep-floor-") as tmp:
        floor_dir = Path(tmp)
        (floor_dir / "floor.py").write_text(FLOOR_APP)
        (floor_dir / "data").mkdir()
        floor_url, floor_process = serve(floor_dir / "floor.py", floor_dir, floor_dir / "data")
        app_url, app_process = serve(ROOT / "app.py", ROOT, data_dir)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                raw = {"floor": floor(page, floor_url, runs)}
                page.goto(f"{app_url}/study")  # the first load of a cold server is not a figure
                settle(page)
                raw["rate_next"] = rate_to_next(page, app_url, runs)
                raw["page_switch"] = page_switches(page, app_url, runs)
                raw["dashboard_after_rating"] = dashboard_after_rating(page, app_url, runs)
                browser.close()
        finally:
            stop(app_process)
            stop(floor_process)
    return {
        "browser_floor_s": statistics.median(raw["floor"]),
        "browser_rate_next_s": statistics.median(raw["rate_next"]),
        "browser_page_switch_s": {label: statistics.median(s) for label, s in raw["page_switch"].items()},
        "browser_dashboard_after_rating_s": statistics.median(raw["dashboard_after_rating"]),
        "raw": raw,
    }


def report(figures: dict[str, Any]) -> str:
    """The browser figures as text, each beside the floor."""
    floor_s = figures["browser_floor_s"]
    lines = ["browser (real server, headless Chromium; medians)      median   x floor  target",
             f"{'floor: one-button page, key to new text':<52} {floor_s * 1000:>6.0f} ms    1.0x",
             f"{'rating key to the next card prompt':<52} {figures['browser_rate_next_s'] * 1000:>6.0f} ms "
             f"{figures['browser_rate_next_s'] / floor_s:>6.1f}x  <= 150 ms"]
    for label, value in figures["browser_page_switch_s"].items():
        lines.append(f"{'page switch to ' + label:<52} {value * 1000:>6.0f} ms {value / floor_s:>6.1f}x  <= 500 ms")
    value = figures["browser_dashboard_after_rating_s"]
    lines.append(f"{'Dashboard after a rating, chart drawn':<52} {value * 1000:>6.0f} ms {value / floor_s:>6.1f}x  <= 500 ms")
    return "\n".join(lines)
