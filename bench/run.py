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
             "peak_rss_mb"]
BARE_SCRIPT = 'import streamlit as st; st.write("hi")'
APP_TIMEOUT_S = 60.0

# (figure, key, absolute limit in seconds or MB or None, limit as a multiple of the bare rerun or None)
TARGETS: list[tuple[str, str, float | None, float | None]] = [
    ("cold bank load", "bank_load_s", 1.0, None),
    ("study page rerun", "study_rerun_s", None, 5.0),
    ("rate-and-show-next", "rate_next_s", 0.050, 10.0),
    ("dashboard render (after a write)", "dashboard_s", 0.300, None),
    ("weak-area export", "export_s", 0.200, None),
    ("peak RSS", "peak_rss_mb", 400.0, None),
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
        "tags": sorted({rng.choice(WORDS).replace(" ", "-") for _ in range(rng.randint(2, 4))}),
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
    """N questions in 10 category files; returns the question dicts (what the log generator needs)."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    rng = random.Random(seed)
    banks_dir.mkdir(parents=True, exist_ok=True)
    n_categories = min(10, max(1, n_questions))
    questions: list[dict[str, Any]] = []
    for c in range(n_categories):
        count = n_questions // n_categories + (1 if c < n_questions % n_categories else 0)
        items = [synthetic_question(rng, c, i) for i in range(count)]
        name = f"Synthetic {c + 1:02d}: {TOPICS[c % len(TOPICS)]}"
        doc = {"category": name, "description": "Generated by bench/run.py.", "questions": items}
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
    from mlprep import store as store_mod
    from mlprep.bank import question_hash
    from mlprep.readiness import attempt_score

    day_of = getattr(store_mod, "local_day", None)
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
            "category": q["category"], "rated_at": store_mod.iso(at),
            "local_day": day_of(at) if day_of else at.date().isoformat(), "rating": rating,
            "rubric_hits": json.dumps(hits), "rubric_missed": json.dumps(missed), "rubric_total": len(points),
            "score": attempt_score(rating, len(hits), len(points)),
            "answer_text": _phrase(rng, rng.randint(20, 90)) if rng.random() < 0.4 else "", "clarify_text": "",
            "duration_s": round(rng.uniform(30, 400), 1), "mode": "mock" if rng.random() < 0.05 else "study",
            "session_id": sessions[day], "card_before": None, "card_after": None,
            "voided_at": store_mod.iso(at + timedelta(seconds=30)) if rng.random() < 0.005 else None,
            "audio_path": None,
        })
    records.sort(key=lambda r: r["rated_at"])  # the log is appended in time order
    columns = list(store_mod.REVIEW_COLUMNS)
    unknown = [c for c in columns if c not in records[0]]
    if unknown:
        print(f"bench: warning: review columns not generated (left NULL/default): {unknown}", file=sys.stderr)
    columns = [c for c in columns if c in records[0]]
    return columns, [tuple(r[c] for c in columns) for r in records]


def build(data_dir: Path, n_questions: int, n_reviews: int, seed: int) -> dict[str, Any]:
    """The setup step (run in a child process): bank files, bulk review log, cards rebuilt from it."""
    from mlprep.schedule import make_scheduler
    from mlprep.store import Store

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


def timed(samples: list[float], fn: Callable[[], Any], profiler: Profiler | None = None,
          section: str = "") -> Any:
    t0 = time.perf_counter()
    result = profiler.run(section, fn) if profiler is not None else fn()
    samples.append(time.perf_counter() - t0)
    return result


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def check(at: Any, what: str) -> None:
    if at.exception:
        raise SystemExit(f"bench: {what} raised in the app:\n{at.exception[0].stack_trace}")


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
    samples: list[float] = []
    for _ in range(repeat):
        timed(samples, at.run)
    check(at, "the bare page")
    return samples


def bench_bank_load(data_dir: Path, repeat: int, prof: Profiler) -> tuple[list[float], int]:
    from mlprep import bank as bank_mod
    from mlprep import paths

    bank_paths = paths.default_bank_paths(data_dir)
    samples: list[float] = []
    loaded = None
    for _ in range(repeat):
        bank_mod._load_signature.cache_clear()
        gc.collect()
        loaded = timed(samples, lambda: bank_mod.load_bank(bank_paths), prof, "bank load")
    assert loaded is not None
    if loaded.problems:
        log(f"bench: warning: {len(loaded.problems)} bank problem(s), first: {loaded.problems[0]}")
    return samples, len(loaded.questions)


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
    from mlprep.store import Store

    at = open_app("pages/study.py")
    at.run()
    check(at, "study rerun")
    reruns: list[float] = []
    for _ in range(repeat):
        timed(reruns, at.run, prof, "study rerun")
    check(at, "study rerun")

    store = Store(paths.data_dir())
    rates: list[float] = []
    info: dict[str, Any] = {"first_card": at.session_state["study.current"]["qid"]}
    ratings = [3, 2, 4, 1]
    for i in range(repeat + 1):  # the first one warms up (first form, first write)
        current = at.session_state["study.current"]
        assert current is not None, "the study queue is empty"
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
        assert store.review_count() == before + 1, "the rating was not written"
        assert after is not None and after["review_id"] != rid, "no next card on screen"
    return reruns, rates, info


def bench_dashboard(repeat: int, prof: Profiler, scheduler: Any) -> tuple[list[float], list[float]]:
    """Dashboard: reruns after a write (scores cache invalidated, the honest figure) and plain cached reruns."""
    from mlprep import paths
    from mlprep.store import NewReview, Store

    store = Store(paths.data_dir())
    cards = store.cards()
    qids = cards["question_id"].tolist()
    rng = random.Random(7)
    at = open_app("pages/dashboard.py")
    at.run()
    check(at, "dashboard")
    after_write: list[float] = []
    cached: list[float] = []
    for _ in range(repeat):
        store.record_review(NewReview(id=uuid.uuid4().hex, question_id=rng.choice(qids), rating=rng.randint(1, 4)),
                            scheduler)
        timed(after_write, at.run, prof, "dashboard after a write")
        check(at, "dashboard")
        timed(cached, at.run, prof, "dashboard cached")
        check(at, "dashboard")
    return after_write, cached


def bench_export(repeat: int, prof: Profiler) -> tuple[list[float], int]:
    """What `python -m mlprep weak-areas` does after loading the bank (the bank load is timed on its own)."""
    from datetime import date

    from mlprep import bank as bank_mod
    from mlprep import paths, readiness, study, weak_areas
    from mlprep.store import Store

    store = Store(paths.data_dir())
    loaded = bank_mod.load_bank(paths.default_bank_paths(paths.data_dir()))
    scheduler = study.scheduler_for(None, date.today())

    def export() -> str:
        scores = readiness.question_scores(loaded.questions, store.cards(), scheduler)
        areas = weak_areas.weak_areas(scores, store.missed_points())
        return weak_areas.to_markdown(areas)

    export()
    samples: list[float] = []
    text = ""
    for _ in range(repeat):
        text = timed(samples, export, prof, "weak-area export")
    return samples, len(text)


def bench_record_review(data_dir: Path, repeat: int, scheduler: Any) -> tuple[list[float], list[float]]:
    """Store.record_review alone on the big log and on an empty one: O(1) means about the same."""
    from mlprep.store import NewReview, Store

    big = Store(data_dir)
    qids = big.cards()["question_id"].tolist()
    small = Store(data_dir.parent / "empty-store")
    rng = random.Random(11)
    out: list[list[float]] = []
    for store in (big, small):
        samples: list[float] = []
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
        return " and ".join(parts), "PASS" if ok else "MISS"
    return "", ""


def table(figures: dict[str, float], extra: list[tuple[str, float, str]]) -> str:
    bare = figures["bare_rerun_s"]
    lines = [f"{'figure':<38} {'median':>11} {'x bare':>8}  {'target':<26} result",
             "-" * 92]
    for name, key, _, _ in TARGETS:
        value = figures[key]
        target, result = verdict(key, value, bare)
        if key == "peak_rss_mb":
            lines.append(f"{name:<38} {value:>8.0f} MB {'':>8}  {target:<26} {result}")
        else:
            lines.append(f"{name:<38} {value * 1000:>8.1f} ms {value / bare:>7.1f}x  {target:<26} {result}")
    lines.append(f"{'bare one-line page rerun':<38} {bare * 1000:>8.1f} ms {1:>7.1f}x")
    lines.append("-" * 92)
    for name, value, note in extra:
        lines.append(f"{name:<38} {value * 1000:>8.1f} ms {value / bare:>7.1f}x  {note}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=5000, help="synthetic questions (default 5000)")
    parser.add_argument("--reviews", type=int, default=200_000, help="synthetic reviews (default 200000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed samples per figure (default 10; "
                        "the cold bank load takes max(3, repeat // 2))")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the figures")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (its path is printed)")
    parser.add_argument("--profile", action="store_true", help="print cProfile stats of the timed sections")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build-into", help=argparse.SUPPRESS)  # internal: the setup child process
    args = parser.parse_args(argv)

    if args.build_into:
        print(json.dumps(build(Path(args.build_into), args.questions, args.reviews, args.seed)))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="mlprep-bench-"))
    data_dir = tmp / "data"
    os.environ["MLPREP_DATA_DIR"] = str(data_dir)
    try:
        return run(args, tmp, data_dir)
    finally:
        if args.keep:
            print(f"bench: kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path, data_dir: Path) -> int:
    t_start = time.perf_counter()
    log(f"bench: building {args.questions} questions and {args.reviews} reviews in {tmp} (child process)")
    t0 = time.perf_counter()
    child = subprocess.run([sys.executable, __file__, "--build-into", str(data_dir), "--questions",
                            str(args.questions), "--reviews", str(args.reviews), "--seed", str(args.seed)],
                           capture_output=True, text=True, check=False)
    if child.returncode != 0:
        sys.stderr.write(child.stderr)
        raise SystemExit("bench: the setup step failed")
    setup = json.loads(child.stdout.strip().splitlines()[-1])
    setup_s = time.perf_counter() - t0
    log(f"bench: setup {setup_s:.1f} s: {json.dumps(setup)}")

    from mlprep.schedule import make_scheduler

    # AppTest's main thread touches session state outside a script run: drop that one known warning.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        lambda record: "missing ScriptRunContext" not in record.getMessage())
    prof = Profiler(args.profile)
    scheduler = make_scheduler()
    repeat = max(1, args.repeat)
    rss: dict[str, float] = {"start": peak_rss_mb()}

    log("bench: bare one-line page")
    bare = bench_bare(repeat * 2)
    rss["bare"] = peak_rss_mb()
    log("bench: cold bank load")
    bank_samples, n_loaded = bench_bank_load(data_dir, max(3, repeat // 2), prof)
    rss["bank"] = peak_rss_mb()
    log("bench: study page")
    study_samples, rate_samples, _ = bench_study(repeat, prof)
    rss["study"] = peak_rss_mb()
    log("bench: dashboard")
    dash_samples, dash_cached = bench_dashboard(repeat, prof, scheduler)
    rss["dashboard"] = peak_rss_mb()
    log("bench: weak-area export")
    export_samples, export_chars = bench_export(repeat, prof)
    rss["export"] = peak_rss_mb()
    log("bench: Store.record_review alone")
    record_big, record_small = bench_record_review(data_dir, repeat, scheduler)
    bare += bench_bare(repeat * 2)  # again at the end, with the app's modules and data loaded
    rss["end"] = peak_rss_mb()

    figures = {
        "bank_load_s": median(bank_samples),
        "study_rerun_s": median(study_samples),
        "rate_next_s": median(rate_samples),
        "dashboard_s": median(dash_samples),
        "export_s": median(export_samples),
        "bare_rerun_s": median(bare),
        "peak_rss_mb": rss["end"],
    }
    shipped = n_loaded - args.questions
    print(f"mlprep bench: {args.questions} synthetic questions (+{shipped} shipped = {n_loaded} loaded), "
          f"{setup['live_reviews']} live reviews over 365 days ({args.reviews} written, {setup['cards']} cards); "
          f"median of {repeat} runs (bank load: {len(bank_samples)}); Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")
    print(f"setup (not a target): bank files {setup['bank_files_s']:.1f} s ({setup['bank_mb']} MB YAML), "
          f"review log insert {setup['review_log_s']:.1f} s, rebuild_cards {setup['rebuild_cards_s']:.1f} s, "
          f"vacuum {setup['vacuum_s']:.1f} s "
          f"(db {setup['db_mb']} MB, setup child peak RSS {setup['peak_rss_mb']:.0f} MB)")
    print()
    extra = [
        ("dashboard rerun (cached, no write)", median(dash_cached), "info"),
        (f"Store.record_review, {setup['live_reviews']:,}-review log", median(record_big), "info: O(1) check"),
        ("Store.record_review, empty log", median(record_small), "info: O(1) check"),
        ("bare rerun: min / max", min(bare), f"max {max(bare) * 1000:.1f} ms"),
    ]
    print(table(figures, extra))
    print()
    print("peak RSS after each phase (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()))
    print(f"weak-area export: {export_chars} characters of Markdown; total bench time "
          f"{time.perf_counter() - t_start:.0f} s")
    misses = [name for name, key, _, _ in TARGETS if verdict(key, figures[key], figures["bare_rerun_s"])[1] == "MISS"]
    print("targets missed: " + (", ".join(misses) if misses else "none"))
    if args.profile:
        print(prof.report())
    if args.json:
        print(json.dumps({k: round(figures[k], 6) if k != "peak_rss_mb" else round(figures[k], 1)
                          for k in JSON_KEYS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
