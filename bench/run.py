"""mlprep performance benchmark: a synthetic bank and review log, timed the way the app uses them.

    .venv/bin/python bench/run.py --questions 5000 --reviews 200000 [--repeat 10] [--json] [--keep] [--profile]

Builds N questions (YAML files in <tmp>/data/banks/, next to the shipped 200) and a review log of M ratings
spread over a year (bulk-inserted into `reviews`, then `Store.rebuild_cards` derives `cards`) in a child
process, so the setup's memory does not count in the app's peak RSS. Then, in this process, it times each
figure as the median of repeated runs and as a ratio to a bare one-line Streamlit page rerun timed here too:
cold bank load, study page rerun, rate-and-show-next, dashboard render, weak-area export and peak RSS.
With --json the last line of the output is one JSON object (keys in JSON_KEYS). See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import inspect
import io
import json
import logging
import os
import pstats
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

JSON_KEYS = ["bank_load_s", "study_rerun_s", "rate_next_s", "dashboard_s", "export_s", "bare_rerun_s",
             "peak_rss_mb", "import_save_50k_s"]
IMPORT_ROWS = 50_000  # the CSV of the import figure
BARE_SCRIPT = 'import streamlit as st; st.write("hi")'
APP_TIMEOUT_S = 60.0

# (figure, key, absolute limit in seconds or MB or None, limit as a multiple of the bare rerun or None)
TARGETS: list[tuple[str, str, float | None, float | None]] = [
    ("cold bank load (app start)", "bank_load_s", 1.0, None),
    ("cold bank load, no parse cache", "bank_first_s", 1.0, None),
    ("study page rerun", "study_rerun_s", None, 5.0),
    ("rate-and-show-next", "rate_next_s", 0.050, 10.0),
    ("dashboard render (after a write)", "dashboard_s", 0.300, None),
    ("weak-area export", "export_s", 0.200, None),
    ("peak RSS", "peak_rss_mb", 400.0, None),
    ("import save, 50,000-row CSV", "import_save_50k_s", 5.0, None),
]

# --------------------------------------------------------------------------------------------------
# Synthetic data
# --------------------------------------------------------------------------------------------------

TOPICS = [
    "Recommendation quality", "Fraud and abuse", "Search ranking", "Forecasting demand", "Pricing models",
    "Content moderation", "Ads relevance", "Customer churn", "Speech products", "Medical triage",
]
WORDS = (
    "latency budget cohort baseline holdout calibration drift label leakage proxy metric guardrail rollout "
    "stakeholder dashboard retraining threshold precision recall fairness audit incident rollback experiment "
    "variance seasonality feature pipeline annotation sampling backfill segment uplift attribution ranking "
    "exposure feedback loop cold start ownership trade-off escalation postmortem review budget".split()
)
N_TAGS = 200  # the shipped 200 questions use 123 tags; a 5,000-question bank would use a few hundred


def _tag_vocabulary(n: int) -> list[str]:
    rng = random.Random(0)
    tags: set[str] = set()
    while len(tags) < n:
        tags.add(f"{rng.choice(WORDS)}-{rng.choice(WORDS)}".replace(" ", "-"))
    return sorted(tags)


TAGS = _tag_vocabulary(N_TAGS)
TAG_WEIGHTS = [1.0 / (rank + 1) ** 0.7 for rank in range(N_TAGS)]  # a few common tags, a long tail
DIFFICULTIES = ("easy", "medium", "hard")
KINDS = ("scenario", "behavioral", "design", "explain", "debug")
RATING_WEIGHTS = (0.15, 0.25, 0.40, 0.20)  # Blanked, Shaky, Solid, Nailed it
HIT_SHARE = {1: 0.15, 2: 0.4, 3: 0.7, 4: 0.92}  # typical share of rubric points ticked for each rating


def _phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def synthetic_question(rng: random.Random, category: int, index: int) -> dict[str, Any]:
    """One question about as long as a shipped one (~2 KB of YAML)."""
    n_points = rng.randint(3, 5)
    return {
        "id": f"syn-c{category:02d}-q{index:05d}",
        "prompt": f"Synthetic question {index} on {TOPICS[category % len(TOPICS)].lower()}: how would you handle "
                  f"the {_phrase(rng, 6)} when the {_phrase(rng, 5)} changes? Walk me through {_phrase(rng, 8)}.",
        "difficulty": DIFFICULTIES[index % 3],
        "kind": KINDS[index % 5],
        "tags": sorted(set(rng.choices(TAGS, weights=TAG_WEIGHTS, k=rng.randint(2, 4)))),
        "looking_for": [f"Point {p + 1}: names the {_phrase(rng, 5)} and explains the {_phrase(rng, 6)} "
                        f"before {_phrase(rng, 3)}" for p in range(n_points)],
        "follow_ups": [f"What if the {_phrase(rng, 4)} doubled overnight?" for _ in range(rng.randint(2, 3))],
        "pitfalls": [f"Jumping to the {_phrase(rng, 4)} without the {_phrase(rng, 3)}" for _ in range(2)],
        "strong_answer": [f"Start from the {_phrase(rng, 5)}; then compare the {_phrase(rng, 6)} with a "
                          f"{_phrase(rng, 3)}" for _ in range(rng.randint(4, 6))],
        "framework": "Clarify -> data -> approach -> metrics -> risks",
        "source": "synthetic",
    }


def write_bank(banks_dir: Path, n_questions: int, seed: int) -> list[dict[str, Any]]:
    """N questions in 10 category files, all in the shipped track (so the app studies 5,373 questions in one
    track, as before tracks existed); returns the question dicts (what the log generator needs)."""
    import yaml

    from mlprep.bank import SHIPPED_TRACK

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    rng = random.Random(seed)
    banks_dir.mkdir(parents=True, exist_ok=True)
    n_categories = min(10, max(1, n_questions))
    questions: list[dict[str, Any]] = []
    for c in range(n_categories):
        count = n_questions // n_categories + (1 if c < n_questions % n_categories else 0)
        items = [synthetic_question(rng, c, i) for i in range(count)]
        name = f"Synthetic {c + 1:02d}: {TOPICS[c % len(TOPICS)]}"
        doc = {"category": name, "track": SHIPPED_TRACK, "description": "Generated by bench/run.py.",
               "questions": items}
        text = yaml.dump(doc, Dumper=dumper, sort_keys=False, allow_unicode=True, width=110)
        (banks_dir / f"synthetic-{c + 1:02d}.yaml").write_text(text, encoding="utf-8")
        questions.extend({**q, "category": name} for q in items)
    return questions


def review_rows(questions: list[dict[str, Any]], n_reviews: int, seed: int,
                now: datetime) -> tuple[list[str], list[tuple[Any, ...]]]:
    """M reviews over the last 365 days: ~85% of questions practised, skewed towards a core set (as SRS does).

    Returns (columns, rows): the columns are the ones ``Store.record_review`` writes (``REVIEW_COLUMNS``);
    a column this script does not know is left to its default (NULL), so a schema change shows as a warning.
    """
    from mlprep import timeutil
    from mlprep.bank import question_hash
    from mlprep.db import store as store_mod
    from mlprep.readiness import attempt_score

    day_of = timeutil.local_day
    rng = random.Random(seed + 1)
    practised = rng.sample(questions, max(1, int(len(questions) * 0.85)))
    weights = [1.0 / (rank + 1) ** 0.5 for rank in range(len(practised))]
    hashes = {q["id"]: question_hash(q["prompt"].strip(), [p.strip() for p in q["looking_for"]]) for q in practised}
    start = now - timedelta(days=365)
    active_days = sorted(rng.sample(range(365), 300))
    sessions = {d: uuid.UUID(int=rng.getrandbits(128)).hex for d in active_days}
    chosen = rng.choices(practised, weights=weights, k=n_reviews)
    days = rng.choices(active_days, k=n_reviews)
    records: list[dict[str, Any]] = []
    for q, day in zip(chosen, days):
        at = start + timedelta(days=day, seconds=rng.uniform(7 * 3600, 23 * 3600))
        at = min(at, now - timedelta(minutes=5))
        rating = rng.choices((1, 2, 3, 4), weights=RATING_WEIGHTS)[0]
        points = q["looking_for"]
        hits = [p for p in points if rng.random() < HIT_SHARE[rating]]
        missed = [p for p in points if p not in hits]
        records.append({
            "id": uuid.UUID(int=rng.getrandbits(128)).hex, "question_id": q["id"], "question_hash": hashes[q["id"]],
            "category": q["category"], "rated_at": timeutil.iso(at),
            "local_day": day_of(at), "rating": rating,
            "rubric_hits": json.dumps(hits), "rubric_missed": json.dumps(missed), "rubric_total": len(points),
            "score": attempt_score(rating, len(hits), len(points)),
            "answer_text": _phrase(rng, rng.randint(20, 90)) if rng.random() < 0.4 else "", "clarify_text": "",
            "duration_s": round(rng.uniform(30, 400), 1), "mode": "mock" if rng.random() < 0.05 else "study",
            "session_id": sessions[day], "card_before": None, "card_after": None,
            "voided_at": timeutil.iso(at + timedelta(seconds=30)) if rng.random() < 0.005 else None,
            "audio_path": None,
        })
    records.sort(key=lambda r: r["rated_at"])  # the log is appended in time order
    columns = list(store_mod.REVIEW_COLUMNS)
    unknown = [c for c in columns if c not in records[0]]
    if unknown:
        print(f"bench: warning: review columns not generated (left NULL/default): {unknown}", file=sys.stderr)
    columns = [c for c in columns if c in records[0]]
    return columns, [tuple(r[c] for c in columns) for r in records]


def import_csv(n_rows: int, seed: int) -> bytes:
    """A CSV as people bring one (question, answer, category, difficulty, a tag, rubric points separated by |):
    ~150 bytes a row (50,000 rows make ~16 MB of YAML, under the bank's 20 MB a file), half of the rows with
    no rubric, a tenth with a quoted cell (a line break, a comma, quotes)."""
    import csv

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["question", "answer", "category", "difficulty", "tags", "looking_for"])
    for i in range(n_rows):
        answer = f"Start from the {_phrase(rng, 3)}."
        if i % 10 == 0:
            answer += f'\nThen check the "{_phrase(rng, 2)}", and the {_phrase(rng, 2)}.'
        writer.writerow([f"Imported question {i}: how would you {_phrase(rng, 4)}?", answer,
                         f"Imported topic {i % 25}", DIFFICULTIES[i % 3], rng.choice(WORDS),
                         "" if i % 2 else "|".join(f"names {_phrase(rng, 2)}" for _ in range(3))])
    return out.getvalue().encode("utf-8")


def import_save_child(work: Path, n_rows: int, repeat: int, seed: int, budget: float) -> dict[str, Any]:
    """The import figure (run in a child process, so its memory is not the app's): the Bank page's Save of a
    CSV import, from the click to the bank with the new questions loaded, as ``bank_editor._on_save_import``
    and the rerun after it do: read the file, plan (clashes with the banks), write the YAML file atomically
    (checked by the loader), then load the bank as the app's next run does. Each run saves into an empty
    banks folder (a first import, no parse cache for it); the shipped bank is loaded (untimed) first, as the
    preview had it."""
    global BUDGET_S
    BUDGET_S = budget
    from mlprep import bank as bank_mod
    from mlprep import importers, paths, userbank

    data = import_csv(n_rows, seed)
    data_dir = work / "import-data"

    def save(existing: bank_mod.Bank) -> tuple[int, int]:
        result = importers.read_questions("bench-import.csv", data, existing.categories)
        plan = userbank.plan_import(data_dir, result, existing)
        userbank.save_import(data_dir, plan)
        bank = bank_mod.load_bank(userbank.enabled_bank_paths(data_dir), paths.cache_dir(data_dir))
        if bank.problems:
            raise AppError(f"the saved import has problems: {bank.problems[0]}")
        return len(plan.questions), len(bank.questions)

    samples = Samples()
    saved = loaded = 0
    for _ in range(max(1, repeat)):
        if over_budget(samples):
            break
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        existing = bank_mod.load_bank(userbank.all_bank_paths(data_dir), paths.cache_dir(data_dir))
        gc.collect()
        saved, loaded = timed(samples, lambda e=existing: save(e))
    return {"samples": list(samples), "cpu": samples.cpu, "rows": n_rows, "csv_mb": round(len(data) / 2**20, 1),
            "saved": saved, "loaded": loaded,
            "yaml_mb": round(sum(p.stat().st_size for p in userbank.banks_dir(data_dir).glob("*.yaml")) / 2**20, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def bench_import_save(tmp: Path, rows: int, repeat: int, seed: int) -> tuple[Samples, dict[str, Any]]:
    child = subprocess.run([sys.executable, __file__, "--import-child", str(tmp), "--import-rows", str(rows),
                            "--repeat", str(repeat), "--seed", str(seed), "--budget", str(BUDGET_S)],
                           capture_output=True, text=True, check=False)
    if child.returncode != 0:
        raise AppError(f"the import child failed: {child.stderr.strip()[-2000:]}")
    info = json.loads(child.stdout.strip().splitlines()[-1])
    samples = Samples()
    samples += info["samples"]
    samples.cpu += info["cpu"]
    return samples, info


def build(data_dir: Path, n_questions: int, n_reviews: int, seed: int) -> dict[str, Any]:
    """The setup step (run in a child process): bank files, bulk review log, cards rebuilt from it."""
    from mlprep.db import Store
    from mlprep.schedule import make_scheduler

    timings: dict[str, Any] = {}
    t0 = time.perf_counter()
    questions = write_bank(data_dir / "banks", n_questions, seed)
    timings["bank_files_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    columns, rows = review_rows(questions, n_reviews, seed, datetime.now(UTC))
    store = Store(data_dir)
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(f"INSERT INTO reviews ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         rows)
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
        conn.execute("COMMIT")
    finally:
        conn.close()
    del rows
    timings["review_log_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    timings["cards"] = store.rebuild_cards(make_scheduler())
    timings["rebuild_cards_s"] = time.perf_counter() - t0
    # rebuild_cards fills card_before/card_after of rows inserted without them, which splits half the pages;
    # VACUUM lays the file out as record_review's appends would have (about half the size).
    t0 = time.perf_counter()
    conn = sqlite3.connect(store.path, isolation_level=None)
    try:
        conn.execute("VACUUM")
    finally:
        conn.close()
    timings["vacuum_s"] = time.perf_counter() - t0
    timings["live_reviews"] = store.review_count()
    timings["db_mb"] = round(sum(p.stat().st_size for p in data_dir.glob("mlprep.sqlite3*")) / 2**20, 1)
    timings["bank_mb"] = round(sum(p.stat().st_size for p in (data_dir / "banks").iterdir()) / 2**20, 1)
    timings["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return timings


# --------------------------------------------------------------------------------------------------
# Timing helpers
# --------------------------------------------------------------------------------------------------

class Profiler:
    """With --profile: cProfile of the timed sections, including Streamlit's script thread."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._stats: dict[str, pstats.Stats] = {}
        self.section: str | None = None
        self.script_ran = False
        self._lock = threading.Lock()
        if enabled:
            self._patch_script_thread()

    def _patch_script_thread(self) -> None:
        from streamlit.testing.v1.local_script_runner import LocalScriptRunner

        original = LocalScriptRunner._run_script_thread
        profiler = self

        def profiled(runner: Any) -> None:
            section = profiler.section
            if section is None:
                original(runner)
                return
            profiler.script_ran = True
            prof = cProfile.Profile()
            prof.enable()
            try:
                original(runner)
            finally:
                prof.disable()
                profiler._add(f"{section} (script thread)", prof)

        LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]

    def _add(self, key: str, prof: cProfile.Profile) -> None:
        with self._lock:
            stats = self._stats.get(key)
            if stats is None:
                self._stats[key] = pstats.Stats(prof)
            else:
                stats.add(prof)

    def run(self, section: str, fn: Callable[[], Any]) -> Any:
        """Call fn (one timed sample) under the profiler.

        An AppTest run's work happens in the script thread (profiled there); its main thread only polls,
        so the main thread's profile is kept only when no script ran.
        """
        if not self.enabled:
            return fn()
        self.section = section
        self.script_ran = False
        prof = cProfile.Profile()
        prof.enable()
        try:
            return fn()
        finally:
            prof.disable()
            self.section = None
            if not self.script_ran:
                self._add(f"{section} (main thread)", prof)

    def report(self, top: int = 25) -> str:
        out = io.StringIO()
        for key, stats in sorted(self._stats.items()):
            print(f"\n===== profile: {key} =====", file=out)
            stats.stream = out
            stats.sort_stats("cumulative").print_stats(top)
            stats.sort_stats("tottime").print_stats(top)
        return out.getvalue()


class Samples(list):
    """Wall-clock seconds per run (what the targets are about), with the process CPU seconds of each run in
    ``cpu``: on a machine shared with other work, CPU time shows the app's own cost when wall time is noisy."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def timed(samples: list[float], fn: Callable[[], Any], profiler: Profiler | None = None,
          section: str = "") -> Any:
    c0, t0 = time.process_time(), time.perf_counter()
    result = profiler.run(section, fn) if profiler is not None else fn()
    samples.append(time.perf_counter() - t0)
    if isinstance(samples, Samples):
        samples.cpu.append(time.process_time() - c0)
    return result


BUDGET_S = 30.0  # per figure: stop sampling once this much time is spent (with at least MIN_SAMPLES)
MIN_SAMPLES = 3


def over_budget(*sample_lists: list[float]) -> bool:
    """True when a slow figure has enough samples: keeps the whole bench well under 10 minutes."""
    return min(len(s) for s in sample_lists) >= MIN_SAMPLES and sum(map(sum, sample_lists)) > BUDGET_S


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


class AppError(Exception):
    """The app raised during a bench run (AppTest does not raise: it records the exception)."""


def check(at: Any, what: str) -> None:
    if at.exception:
        exc = at.exception[0]
        trace = exc.stack_trace if isinstance(exc.stack_trace, str) else "\n".join(exc.stack_trace)
        raise AppError(f"{what} raised in the app: {exc.message}\n{trace}")


def log(msg: str, quiet: bool = False) -> None:
    if not quiet:
        print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------------

def bench_bare(repeat: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(BARE_SCRIPT, default_timeout=APP_TIMEOUT_S)
    at.run()
    at.run()
    samples = Samples()
    for _ in range(repeat):
        timed(samples, at.run)
    check(at, "the bare page")
    return samples


def app_bank_call(data_dir: Path) -> tuple[Callable[[], Any], Path | None]:
    """How the app loads its bank (components.context.get_bank): the enabled bank paths and, where the core
    has one, the on-disk parse cache. Returns the load call and the parse cache dir (None without one)."""
    from mlprep import bank as bank_mod
    from mlprep import paths

    try:
        from mlprep import userbank

        bank_paths = userbank.enabled_bank_paths(data_dir)
    except (ImportError, AttributeError):
        bank_paths = paths.default_bank_paths(data_dir)
    cache_dir = getattr(paths, "cache_dir", None)
    if cache_dir is not None and "cache_dir" in inspect.signature(bank_mod.load_bank).parameters:
        cache = cache_dir(data_dir)
        return (lambda: bank_mod.load_bank(bank_paths, cache)), cache
    return (lambda: bank_mod.load_bank(bank_paths)), None


def bench_bank_load(data_dir: Path, repeat: int, prof: Profiler) -> tuple[list[float], list[float], int]:
    """Cold loads (in-memory cache cleared, as in a new process): first with no parse cache on disk
    (a bank file just added or changed), then with the parse cache the first load left (an app start)."""
    from mlprep import bank as bank_mod

    load, cache = app_bank_call(data_dir)
    first, warm = Samples(), Samples()
    loaded = None
    for samples, section in ((first, "bank load, no parse cache"), (warm, "bank load, parse cache warm")):
        if cache is None and samples is warm:
            warm += first  # no parse cache in this version of the core: both figures are the same loads
            warm.cpu += first.cpu
            break
        for _ in range(repeat):
            if over_budget(samples):
                break
            if samples is first and cache is not None:
                shutil.rmtree(cache, ignore_errors=True)
            bank_mod._load_signature.cache_clear()
            gc.collect()
            loaded = timed(samples, load, prof, section)
    if loaded is None:
        raise AppError("no bank loaded")
    if loaded.problems:
        log(f"bench: warning: {len(loaded.problems)} bank problem(s), first: {loaded.problems[0]}")
    return first, warm, len(loaded.questions)


def open_app(page: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=APP_TIMEOUT_S)
    at.run()
    check(at, "app.py")
    if page != "app.py":
        at.switch_page(page).run()
        check(at, page)
    return at


def bench_study(repeat: int, prof: Profiler) -> tuple[list[float], list[float], dict[str, Any]]:
    """Study page: plain reruns, then rate-and-show-next (reveal untimed, click on a rating timed)."""
    from mlprep import paths
    from mlprep.db import Store

    at = open_app("pages/study.py")
    at.run()
    check(at, "study rerun")
    reruns = Samples()
    for _ in range(repeat):
        if over_budget(reruns):
            break
        timed(reruns, at.run, prof, "study rerun")
    check(at, "study rerun")

    store = Store(paths.data_dir())
    rates = Samples()
    info: dict[str, Any] = {"first_card": at.session_state["study.current"]["qid"]}
    ratings = [3, 2, 4, 1]
    for i in range(repeat + 1):  # the first one warms up (first form, first write)
        if over_budget(rates):
            break
        current = at.session_state["study.current"]
        if current is None:
            raise AppError("the study queue is empty")
        rid = current["review_id"]
        at.button(key=f"reveal_{rid}").click().run()
        check(at, "reveal")
        for box in at.checkbox[:2]:
            box.check()
        before = store.review_count()
        button = at.button(key=f"rate_{rid}_{ratings[i % 4]}").click()
        samples = rates if i else []
        timed(samples, button.run, prof if i else None, "rate and show next")
        check(at, "rate and show next")
        after = at.session_state["study.current"]
        if store.review_count() != before + 1:
            raise AppError("the rating was not written")
        if after is None or after["review_id"] == rid:
            raise AppError("no next card on screen after a rating")
    return reruns, rates, info


def bench_dashboard(repeat: int, prof: Profiler, scheduler: Any) -> tuple[list[float], list[float]]:
    """Dashboard: reruns after a write (scores cache invalidated, the honest figure) and plain cached reruns."""
    from mlprep import paths
    from mlprep.db import NewReview, Store

    store = Store(paths.data_dir())
    cards = store.cards()
    qids = cards["question_id"].tolist()
    rng = random.Random(7)
    at = open_app("pages/dashboard.py")
    at.run()
    check(at, "dashboard")
    after_write = Samples()
    cached = Samples()
    for _ in range(repeat):
        if over_budget(after_write, cached):
            break
        store.record_review(NewReview(id=uuid.uuid4().hex, question_id=rng.choice(qids), rating=rng.randint(1, 4)),
                            scheduler)
        timed(after_write, at.run, prof, "dashboard after a write")
        check(at, "dashboard")
        timed(cached, at.run, prof, "dashboard cached")
        check(at, "dashboard")
    return after_write, cached


def bench_export(repeat: int, prof: Profiler, tmp: Path) -> tuple[list[float], int]:
    """`python -m mlprep weak-areas --output FILE` in this process (cli.main): scores, weak areas, Markdown.

    The bank comes from the in-memory cache the earlier phases filled (its load is timed on its own)."""
    import contextlib

    from mlprep import cli, paths

    out = tmp / "weak-areas.md"
    argv = ["weak-areas", "--data-dir", str(paths.data_dir()), "--output", str(out)]

    def export() -> None:
        with contextlib.redirect_stderr(io.StringIO()) as err:
            code = cli.main(argv)
        if code != 0:
            raise AppError(f"mlprep weak-areas exited {code}: {err.getvalue().strip()}")

    export()
    samples = Samples()
    for _ in range(repeat):
        if over_budget(samples):
            break
        timed(samples, export, prof, "weak-area export")
    return samples, len(out.read_text(encoding="utf-8"))


def bench_record_review(data_dir: Path, repeat: int, scheduler: Any) -> tuple[list[float], list[float]]:
    """Store.record_review alone on the big log and on an empty one: O(1) means about the same."""
    from mlprep.db import NewReview, Store

    big = Store(data_dir)
    qids = big.cards()["question_id"].tolist()
    small = Store(data_dir.parent / "empty-store")
    rng = random.Random(11)
    out: list[list[float]] = []
    for store in (big, small):
        samples = Samples()
        for i in range(repeat + 1):
            review = NewReview(id=uuid.uuid4().hex, question_id=rng.choice(qids), rating=rng.randint(1, 4),
                               rubric_hits=["a", "b"], rubric_missed=["c"])
            timed(samples if i else [], lambda r=review, s=store: s.record_review(r, scheduler))
        out.append(samples)
    return out[0], out[1]


# --------------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------------

def verdict(key: str, value: float, bare: float) -> tuple[str, str]:
    for _, k, limit, ratio in TARGETS:
        if k != key:
            continue
        parts, ok = [], True
        if limit is not None:
            parts.append(f"<= {limit:g} MB" if key == "peak_rss_mb" else f"<= {limit * 1000:g} ms")
            ok &= value <= limit
        if ratio is not None:
            parts.append(f"<= {ratio:g}x bare")
            ok &= value <= ratio * bare
        if value != value:  # NaN: the phase failed
            return " and ".join(parts), "ERROR"
        return " and ".join(parts), "PASS" if ok else "MISS"
    return "", ""


def cpu_median(samples: list[float]) -> float:
    return median(samples.cpu) if isinstance(samples, Samples) else float("nan")


def table(figures: dict[str, float], runs: dict[str, list[float]], extra: list[tuple[str, list[float], str]]) -> str:
    """The figures: median wall time, its ratio to the bare rerun, runs, median CPU time, target, result."""
    bare = figures["bare_rerun_s"]
    head = f"{'figure':<38} {'median':>11} {'x bare':>8} {'runs':>5} {'cpu':>10}  {'target':<26} result"
    lines = [head, "-" * len(head)]

    def row(name: str, samples: list[float], value: float, target: str = "", result: str = "") -> str:
        return (f"{name:<38} {value * 1000:>8.1f} ms {value / bare:>7.1f}x {len(samples):>5} "
                f"{cpu_median(samples) * 1000:>7.1f} ms  {target:<26} {result}").rstrip()

    for name, key, _, _ in TARGETS:
        target, result = verdict(key, figures[key], bare)
        if key == "peak_rss_mb":
            lines.append(f"{name:<38} {figures[key]:>8.0f} MB {'':>8} {'':>5} {'':>10}  {target:<26} {result}")
        else:
            lines.append(row(name, runs[key], figures[key], target, result))
    lines.append(row("bare one-line page rerun", runs["bare_rerun_s"], bare))
    lines.append("-" * len(head))
    lines += [row(name, samples, median(samples), note) for name, samples, note in extra]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000, help="synthetic questions (default 5000)")
    parser.add_argument("--reviews", type=int, default=200_000, help="synthetic reviews (default 200000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed samples per figure (default 10; "
                        "the cold bank load takes max(3, repeat // 2))")
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds per figure after which "
                        f"sampling stops, with at least {MIN_SAMPLES} samples (default {BUDGET_S:g})")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (its path is printed)")
    parser.add_argument("--reuse", metavar="DIR", help="skip the setup: reuse a temp dir kept by --keep "
                        "(its log has grown by the previous run's ratings)")
    parser.add_argument("--profile", action="store_true", help="print cProfile stats of the timed sections")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--browser", action="store_true", help="also time a real server in headless Chromium "
                        "(Debian's /usr/bin/chromium): rating key to next card, every page switch, Dashboard after "
                        "a rating, beside a one-button Streamlit page (the floor)")
    parser.add_argument("--browser-runs", type=int, default=15, help="samples per browser figure (default 15)")
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS, help="rows of the CSV whose import is "
                        f"saved (default {IMPORT_ROWS}; the figure is import_save_50k_s whatever the size)")
    parser.add_argument("--build-into", help=argparse.SUPPRESS)  # internal: the setup child process
    parser.add_argument("--import-child", help=argparse.SUPPRESS)  # internal: the import figure's child process
    args = parser.parse_args(argv)

    if args.build_into:
        print(json.dumps(build(Path(args.build_into), args.questions, args.reviews, args.seed)))
        return 0
    if args.import_child:
        print(json.dumps(import_save_child(Path(args.import_child), args.import_rows, min(args.repeat, 5),
                                           args.seed, args.budget)))
        return 0

    tmp = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix="mlprep-bench-"))
    data_dir = tmp / "data"
    os.environ["MLPREP_DATA_DIR"] = str(data_dir)
    try:
        return run(args, tmp, data_dir)
    finally:
        if args.keep or args.reuse:
            print(f"bench: kept {tmp} (rerun with --reuse {tmp})", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def setup_step(args: argparse.Namespace, tmp: Path, data_dir: Path) -> dict[str, Any]:
    saved = tmp / "setup.json"
    if args.reuse:
        setup = json.loads(saved.read_text())
        args.questions, args.reviews = setup["questions"], setup["reviews"]
        log(f"bench: reusing {tmp}: {setup['questions']} questions, {setup['reviews']} reviews")
        return setup
    log(f"bench: building {args.questions} questions and {args.reviews} reviews in {tmp} (child process)")
    t0 = time.perf_counter()
    child = subprocess.run([sys.executable, __file__, "--build-into", str(data_dir), "--questions",
                            str(args.questions), "--reviews", str(args.reviews), "--seed", str(args.seed)],
                           capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit("bench: the setup step failed")
    setup = json.loads(child.stdout.strip().splitlines()[-1])
    setup.update(questions=args.questions, reviews=args.reviews)
    saved.write_text(json.dumps(setup))
    log(f"bench: setup {time.perf_counter() - t0:.1f} s: {json.dumps(setup)}")
    return setup


def run(args: argparse.Namespace, tmp: Path, data_dir: Path) -> int:
    global BUDGET_S
    BUDGET_S = args.budget
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]  # other work on the machine makes every figure noisier
    setup = setup_step(args, tmp, data_dir)

    from mlprep.schedule import make_scheduler

    # AppTest's main thread touches session state outside a script run: drop that one known warning.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    prof = Profiler(args.profile)
    scheduler = make_scheduler()
    repeat = max(1, args.repeat)
    rss: dict[str, float] = {"start": peak_rss_mb()}
    errors: dict[str, str] = {}

    def phase(name: str, fn: Callable[[], Any], default: Any) -> Any:
        """One phase; a failure (say, a page broken mid-edit) is reported and the other phases still run."""
        log(f"bench: {name}")
        try:
            result = fn()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - reported below, figure left empty
            errors[name] = f"{type(exc).__name__}: {exc}"
            log(f"bench: {name} FAILED: {errors[name]}")
            result = default
        rss[name] = peak_rss_mb()
        return result

    bare_first = phase("bare one-line page", lambda: bench_bare(repeat * 2), [])
    bank_first, bank_samples, n_loaded = phase("bank load (cold)",
                                                lambda: bench_bank_load(data_dir, max(3, repeat // 2), prof),
                                                ([], [], 0))
    study_samples, rate_samples, _ = phase("study page", lambda: bench_study(repeat, prof), ([], [], {}))
    dash_samples, dash_cached = phase("dashboard", lambda: bench_dashboard(repeat, prof, scheduler), ([], []))
    export_samples, export_chars = phase("export (weak areas)", lambda: bench_export(repeat, prof, tmp), ([], 0))
    record_big, record_small = phase("record_review alone",
                                     lambda: bench_record_review(data_dir, repeat, scheduler), ([], []))
    bare_again = phase("bare page again", lambda: bench_bare(repeat * 2), [])  # with the app loaded too
    import_samples, import_info = phase("import save (child process)",
                                        lambda: bench_import_save(tmp, args.import_rows, repeat, args.seed),
                                        ([], {}))
    browser_figures: dict[str, Any] = {}
    if args.browser:  # last: it rates cards in the data dir
        from browser import measure
        browser_figures = phase("browser", lambda: measure(data_dir, args.browser_runs), {})
    bare = Samples()
    for part in (bare_first, bare_again):
        bare += part
        bare.cpu += getattr(part, "cpu", [])
    rss["end"] = peak_rss_mb()

    runs = {"bank_first_s": bank_first, "bank_load_s": bank_samples, "study_rerun_s": study_samples, "rate_next_s": rate_samples,
            "dashboard_s": dash_samples, "export_s": export_samples, "bare_rerun_s": bare,
            "import_save_50k_s": import_samples}
    figures = {key: median(samples) for key, samples in runs.items()}
    figures["peak_rss_mb"] = rss["end"]
    print(f"mlprep bench: {args.questions} synthetic questions (+{n_loaded - args.questions} shipped = "
          f"{n_loaded} loaded), {setup['live_reviews']} live reviews over 365 days ({args.reviews} written, "
          f"{setup['cards']} cards); medians of up to {repeat} runs ({args.budget:g} s budget per figure); "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load_start:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end")
    print(f"setup (not a target): bank files {setup['bank_files_s']:.1f} s ({setup['bank_mb']} MB YAML), "
          f"review log insert {setup['review_log_s']:.1f} s, rebuild_cards {setup['rebuild_cards_s']:.1f} s, "
          f"vacuum {setup['vacuum_s']:.1f} s (db {setup['db_mb']} MB, setup child peak RSS "
          f"{setup['peak_rss_mb']:.0f} MB)")
    print("median = wall clock (the targets); cpu = this process's CPU time per run (robust to a busy machine)")
    print()
    extra = [
        ("dashboard rerun (cached, no write)", dash_cached, "info"),
        (f"Store.record_review, {setup['live_reviews']:,}-review log", record_big, "info: O(1) check"),
        ("Store.record_review, empty log", record_small, "info: O(1) check"),
    ]
    print(table(figures, runs, extra))
    if bare:
        print(f"bare rerun spread: min {min(bare) * 1000:.1f} ms, max {max(bare) * 1000:.1f} ms")
    print()
    print("peak RSS after each phase (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()))
    if import_info:
        print(f"import save: {import_info['rows']:,}-row CSV ({import_info['csv_mb']} MB) -> {import_info['saved']:,} "
              f"questions in {import_info['yaml_mb']} MB of YAML, {import_info['loaded']:,} loaded after; import child "
              f"peak RSS {import_info['peak_rss_mb']:.0f} MB (not in the app's peak)")
    print(f"weak-area export: {export_chars} characters of Markdown; total bench time "
          f"{time.perf_counter() - t_start:.0f} s")
    misses = [name for name, key, _, _ in TARGETS if verdict(key, figures[key], figures["bare_rerun_s"])[1] != "PASS"]
    print("targets missed: " + (", ".join(misses) if misses else "none"))
    if browser_figures:
        from browser import report
        print()
        print(report(browser_figures))
    for name, message in errors.items():
        print(f"ERROR in {name}: {message}")
    if args.profile:
        print(prof.report())
    if args.json:
        out: dict[str, Any] = {k: None if figures[k] != figures[k] else round(figures[k], 1 if k == "peak_rss_mb" else 6)
                               for k in JSON_KEYS}
        out["bank_load_nocache_s"] = None if figures["bank_first_s"] != figures["bank_first_s"] else \
            round(figures["bank_first_s"], 6)
        if browser_figures:
            out.update({k: v for k, v in browser_figures.items() if k != "raw"})
        print(json.dumps(out))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
