"""Take the README's screenshots from the running app: `python scripts/screenshots.py [--seed]`.

Starts a server on a temp data dir (seeded with a few weeks of ratings when --seed is given), opens
each page in headless Chromium and saves PNGs under docs/.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from playwright.sync_api import sync_playwright  # noqa: E402
from server import CHROMIUM_ARGS, start_server, stop_server, wait_idle  # noqa: E402

from mlprep import brief, stories, userbank  # noqa: E402
from mlprep.bank import load_bank  # noqa: E402
from mlprep.dashboard import snapshot_rows  # noqa: E402
from mlprep.db import NewReview, Store, new_review_id  # noqa: E402
from mlprep.importers import read_questions  # noqa: E402
from mlprep.paths import SHIPPED_BANK_DIR  # noqa: E402
from mlprep.readiness import category_readiness, question_scores  # noqa: E402
from mlprep.schedule import make_scheduler  # noqa: E402
from mlprep.workspace import Workspace  # noqa: E402


def seed(data_dir: Path, n: int = 90) -> None:
    """A plausible three weeks of practice: strong on some categories, weak on others."""
    store, scheduler = Store(data_dir), make_scheduler()
    questions = load_bank([SHIPPED_BANK_DIR]).questions
    rng = random.Random(3)
    skill = {c: rng.uniform(0.2, 0.95) for c in questions["category"].unique()}
    start = datetime.now(timezone.utc) - timedelta(days=21)
    picked = questions.sample(n=min(n, len(questions)), random_state=4)
    snapshot_day = None
    for i, q in enumerate(picked.itertuples()):
        at = start + timedelta(days=i * 20 / n, minutes=rng.randint(0, 600))
        if at.date() != snapshot_day:  # the app snapshots readiness on each day's first activity
            snapshot_day = at.date()
            scores = question_scores(questions, store.cards(), scheduler, at)
            store.write_snapshot(snapshot_day.isoformat(), snapshot_rows(category_readiness(scores)))
        for attempt in range(rng.randint(1, 3)):
            s = skill[q.category]
            hits = [p for p in q.looking_for if rng.random() < s]
            rating = 1 + sum(rng.random() < s for _ in range(3))
            store.record_review(NewReview(
                id=new_review_id(), question_id=q.id, rating=rating, category=q.category, rubric_hits=hits,
                rubric_missed=[p for p in q.looking_for if p not in hits], rated_at=at + timedelta(days=attempt),
                duration_s=rng.uniform(60, 200)), scheduler)
    _second_track_stories_and_a_loop(data_dir, store)


def _second_track_stories_and_a_loop(data_dir: Path, store: Store) -> None:
    """An imported deck (a track of its own), two STAR stories and an interview in ten days."""
    deck = "question,answer,category,difficulty\n" + "\n".join(
        f"Statistics refresher {i}: explain {topic} to a product manager?,A short answer.,{category},{level}"
        for i, (topic, category, level) in enumerate(
            [("a p-value", "Hypothesis tests", "easy"), ("statistical power", "Hypothesis tests", "medium"),
             ("a confidence interval", "Estimation", "easy"), ("the bias of an estimator", "Estimation", "hard"),
             ("Simpson's paradox", "Pitfalls", "medium"), ("regression to the mean", "Pitfalls", "medium")])) + "\n"
    existing = userbank.load(data_dir, everything=True)
    result = read_questions("stats-refresher.csv", deck.encode(), existing.categories)
    userbank.save_import(data_dir, userbank.plan_import(data_dir, result, existing))
    for title, result_text, themes, links in (
            ("The churn model nobody used", "Agents went from ignoring the list to working 70% of it in six weeks.",
             ["influence", "failure"], ["star-influence-without-authority", "star-model-that-did-not-work"]),
            ("Pushing back on a launch date", "Launched three weeks later; the 4% margin lift held for a quarter.",
             ["disagreement-with-manager", "deadline"], ["star-disagreed-with-manager"])):
        stories.save_story(store, stories.Story(id=stories.new_story_id(), title=title, situation="-", task="-",
                                                action="-", result=result_text, themes=themes, question_ids=links))
    store.set_setting("interview_date", (date.today() + timedelta(days=10)).isoformat())
    store.set_setting("rounds", ["behavioral", "stakeholders"])


IMAGES = ("home", "dashboard", "settings", "brief", "study", "study-revealed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=IMAGES,
                        help=f"take only these images (default: all of {', '.join(IMAGES)})")
    args = parser.parse_args()
    wanted = set(args.only or IMAGES)
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        if args.seed:
            seed(data_dir)
        server = start_server(data_dir)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                            args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1900})
                for name, height in (("", 1100), ("dashboard", 3300), ("settings", 1300)):
                    if (name or "home") not in wanted:
                        continue
                    page.set_viewport_size({"width": 1280, "height": height})
                    page.goto(f"{server.url}/{name}")
                    wait_idle(page)
                    page.wait_for_timeout(800)
                    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')",
                                           timeout=30_000)  # every table and chart drawn
                    page.screenshot(path=str(out / f"{name or 'home'}.png"), full_page=True)
                if args.seed and "brief" in wanted:  # the interview-day brief, as it prints
                    printable = Path(tmp) / "brief.html"
                    printable.write_text(brief.to_html(brief.build(Workspace.open(data_dir))), encoding="utf-8")
                    page.set_viewport_size({"width": 900, "height": 1250})
                    page.goto(printable.as_uri())
                    page.screenshot(path=str(out / "brief.png"))
                page.set_viewport_size({"width": 1280, "height": 1000})
                page.goto(f"{server.url}/study")
                wait_idle(page)
                page.get_by_test_id("stSelectbox").filter(has_text="Order").click()
                page.get_by_role("option", name="Shuffle").click()
                wait_idle(page)
                page.get_by_label("Search").fill("product-niche-recsys")
                page.get_by_label("Search").press("Enter")
                wait_idle(page)
                page.get_by_label("Clarify first").fill("Who are the hobbyists, how many are there, and what does "
                                                        "the business need this quarter: growth or retention?")
                page.get_by_role("button", name="Start answering").click()
                wait_idle(page)
                page.get_by_label("Your answer (optional)").fill(
                    "Start simple: content-based on the hobby's tags while data is thin, then blend in "
                    "collaborative filtering. Measure 7-day retention and creator replies, not just CTR.")
                page.get_by_label("Your answer (optional)").press("Escape")
                wait_idle(page)
                page.wait_for_timeout(1500)
                if "study" in wanted:
                    page.screenshot(path=str(out / "study.png"), full_page=True)
                if "study-revealed" in wanted:  # what a 1280x1000 window shows right after reveal and two ticks
                    page.keyboard.press("Space")
                    wait_idle(page)
                    for letter in ("a", "c"):
                        page.keyboard.press(letter)
                        wait_idle(page)
                    page.wait_for_timeout(500)
                    page.screenshot(path=str(out / "study-revealed.png"))
                browser.close()
        finally:
            stop_server(server)
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
