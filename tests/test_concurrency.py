"""Two threads (two tabs in one server) and two processes rate the same questions at once.

Every rating is saved exactly once, every card equals a replay of its log, and no "database is
locked" reaches the user. MLPREP_CONCURRENCY_SECONDS sets the length (default 30 s).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from rate_worker import rate_for

from mlprep.db import Store
from mlprep.schedule import make_scheduler

SECONDS = float(os.environ.get("MLPREP_CONCURRENCY_SECONDS", "30"))
WORKER = Path(__file__).with_name("rate_worker.py")


def test_threads_and_processes_rating_the_same_cards_lose_nothing_and_never_double(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    processes = [subprocess.Popen([sys.executable, str(WORKER), str(data_dir), str(SECONDS), str(seed)],
                                  stdout=subprocess.PIPE, text=True) for seed in (1, 2)]
    results: list[dict] = []
    threads = [threading.Thread(target=lambda s=seed: results.append(rate_for(data_dir, SECONDS, s)))
               for seed in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in processes:
        out, _ = process.communicate(timeout=SECONDS + 60)
        assert process.returncode == 0
        results.append(json.loads(out))

    assert [r["errors"] for r in results] == [[], [], [], []]
    saved = [rid for r in results for rid in r["saved"]]
    assert len(saved) == len(set(saved)) > 50
    reviews = store.reviews(include_voided=True)
    assert sorted(reviews["id"]) == sorted(saved)  # every acknowledged rating is there, exactly once
    assert sum(r["refused"] for r in results) > 0  # the double submits happened and were refused

    incremental = store.cards().sort_values("question_id").reset_index(drop=True)
    store.rebuild_cards(make_scheduler())
    replayed = store.cards().sort_values("question_id").reset_index(drop=True)
    assert incremental[["question_id", "due", "reps", "lapses", "rating_sum"]].equals(
        replayed[["question_id", "due", "reps", "lapses", "rating_sum"]])
    assert incremental["stability"].round(9).tolist() == replayed["stability"].round(9).tolist()
