"""Spaced repetition for essay questions, on the ``fsrs`` package.

Interview questions take minutes to answer, so there are no learning steps:
Again means tomorrow, never "in a minute". Fuzzing is off so the interval shown
on a button is the interval scheduled and a rebuild from the log is exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from fsrs import Card, Scheduler
from fsrs import Rating as FsrsRating

from mlprep.rating import Rating

MAX_INTERVAL_DAYS = 36500


@dataclass(frozen=True)
class SchedulerConfig:
    """What the scheduler depends on: only the longest interval (the sprint horizon)."""

    maximum_interval: int = MAX_INTERVAL_DAYS


def make_scheduler(config: SchedulerConfig | None = None) -> Scheduler:
    """A scheduler set for essay questions: no (re)learning steps, no fuzz."""
    config = config or SchedulerConfig()
    return Scheduler(
        learning_steps=(),
        relearning_steps=(),
        enable_fuzzing=False,
        maximum_interval=max(1, int(config.maximum_interval)),
    )


def card_id_for(question_id: str) -> int:
    """A stable FSRS card id derived from the question id (``Card()`` without one sleeps 1 ms)."""
    return int(hashlib.sha256(question_id.encode("utf-8")).hexdigest()[:12], 16)


def new_card(question_id: str, now: datetime) -> Card:
    return Card(card_id=card_id_for(question_id), due=now)


def card_from_json(data: dict[str, Any] | None, question_id: str, now: datetime) -> Card:
    return new_card(question_id, now) if not data else Card.from_dict(data)  # type: ignore[arg-type]


def review(scheduler: Scheduler, card: Card, rating: int, now: datetime) -> Card:
    """The card after rating it ``rating`` (1..4) at ``now`` (UTC)."""
    reviewed, _ = scheduler.review_card(card, FsrsRating(int(rating)), review_datetime=now.astimezone(UTC))
    return reviewed


def preview_intervals(scheduler: Scheduler, card: Card, now: datetime) -> dict[int, timedelta]:
    """For each rating, how long until the card would be due again."""
    return {r: review(scheduler, card, r, now).due - now for r in Rating}


def format_interval(delta: timedelta) -> str:
    """'10 min', '5 h', '4 d', '3 mo', '1.2 y' — short, for a button caption."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 31:
        return f"{round(days)} d"
    if days < 365:
        return f"{round(days / 30.4)} mo"
    return f"{days / 365:.1f} y"


def retrievability(scheduler: Scheduler, stability: np.ndarray, last_review: np.ndarray,
                   now: datetime) -> np.ndarray:
    """FSRS retrievability for many cards at once (0 where never reviewed).

    ``last_review`` holds timezone-aware datetimes or NaT; whole elapsed days, as fsrs counts them.
    """
    decay = -scheduler.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    stability = np.asarray(stability, dtype=float)
    elapsed = (np.datetime64(now.astimezone(UTC).replace(tzinfo=None), "s")
               - np.asarray(last_review, dtype="datetime64[s]"))
    days = np.floor(elapsed / np.timedelta64(1, "D"))
    days = np.where(np.isnan(days), 0, np.maximum(days, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (1 + factor * days / stability) ** decay
    return np.where(np.isfinite(r) & (stability > 0), r, 0.0)
