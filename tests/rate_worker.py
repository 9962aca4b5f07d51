"""A rating worker for the concurrency test: rates the same few questions through mlprep.store.

Run as a thread (``rate_for``) or as a process (``python tests/rate_worker.py DATA_DIR SECONDS SEED``);
prints a JSON summary: ids saved, double submits refused, errors seen.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mlprep.db import NewReview, Store, StoreError, new_review_id  # noqa: E402
from mlprep.schedule import make_scheduler  # noqa: E402

QUESTIONS = [f"shared-{i}" for i in range(4)]


def rate_for(data_dir: Path, seconds: float, seed: int) -> dict[str, list[str] | int]:
    rng = random.Random(seed)
    store, scheduler = Store(data_dir), make_scheduler()
    saved: list[str] = []
    refused = 0
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        review = NewReview(id=new_review_id(), question_id=rng.choice(QUESTIONS), rating=rng.randint(1, 4),
                           rubric_hits=["a"] * rng.randint(0, 2), rubric_missed=["b"], session_id=f"w{seed}")
        for _ in range(2 if rng.random() < 0.2 else 1):  # sometimes a double submit of the same id
            try:
                if store.record_review(review, scheduler):
                    saved.append(review.id)
                else:
                    refused += 1
            except StoreError as exc:
                errors.append(str(exc))
    return {"saved": saved, "refused": refused, "errors": errors}


if __name__ == "__main__":
    print(json.dumps(rate_for(Path(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]))))
