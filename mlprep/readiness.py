"""The readiness model: attempt scores, question scores, category readiness.

Interviews sample a few questions per area, so readiness counts how many
questions in an area you can answer solidly *now* (``solid / T``), not the share
of the bank you have touched: importing more questions never lowers it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from fsrs import Scheduler

from mlprep.bank import SHIPPED_TRACK
from mlprep.schedule import retrievability

# The tunable numbers of the model, each shown in the app where it matters.
RUBRIC_WEIGHT = 0.7
RATING_WEIGHT = 0.3
RATING_VALUES: dict[int, float] = {1: 0.0, 2: 0.4, 3: 0.75, 4: 1.0}
MOCK_WEIGHT = 2.0
OVERALL = "Overall"  # the name of the all-categories row in snapshots and the trend chart
SOLID_THRESHOLD = 0.7
TARGET_SOLID = 8
BAND_WEAK_BELOW = 0.4
BAND_READY_FROM = 0.7
# Share of rubric points ticked -> suggested rating: below 25% Blanked, below 50% Shaky, below 85% Solid.
SUGGESTION_CUTS = (0.25, 0.5, 0.85)

EXPLANATION = (
    f"Each attempt scores {RUBRIC_WEIGHT:.0%} on the share of rubric points you ticked and "
    f"{RATING_WEIGHT:.0%} on your rating (Blanked 0, Shaky 0.4, Solid 0.75, Nailed it 1; the rating alone "
    f"when a question has no rubric; mock attempts count double). A question's score is the mean of its last "
    f"two attempts times how likely you still recall it today (FSRS retrievability, which fades between "
    f"reviews); it is solid at {SOLID_THRESHOLD} or more. A category is ready when {TARGET_SOLID} of its "
    f"questions (or all, if it has fewer) are solid: readiness = solid / target, weak below "
    f"{BAND_WEAK_BELOW:.0%}, ready from {BAND_READY_FROM:.0%}."
)


def overall_name(track: str) -> str:
    """The name of a track's all-categories row in snapshots: OVERALL for the shipped track (as before tracks)."""
    return OVERALL if track in ("", SHIPPED_TRACK) else f"{OVERALL} ({track})"


def attempt_score(rating: int, hits: int, total: int) -> float:
    """0..1 for one attempt: rubric share and rating, or the rating alone without a rubric."""
    value = RATING_VALUES[int(rating)]
    if total <= 0:
        return value
    return RUBRIC_WEIGHT * (hits / total) + RATING_WEIGHT * value


def suggested_rating(hits: int, total: int) -> int | None:
    """The rating the ticks suggest (1..4), or None when there is no rubric to go by."""
    if total <= 0:
        return None
    share = hits / total
    return 1 + sum(share >= cut for cut in SUGGESTION_CUTS)


def readiness_target(questions: int) -> int:
    """How many solid questions make an area ready: TARGET_SOLID, or all of them in a smaller area."""
    return min(TARGET_SOLID, int(questions))


def area_readiness(solid: int, questions: int) -> float:
    """An area's readiness: solid / target, capped at 1 (0 for an empty area)."""
    target = readiness_target(questions)
    return min(1.0, int(solid) / target) if target else 0.0


def due_mask(scores: pd.DataFrame, now: datetime) -> pd.Series:
    """Which questions are due: practised, with a review date that has come (the one definition of "due")."""
    return scores["practised"] & (scores["due"] <= pd.Timestamp(now))


def band(readiness: float) -> str:
    if readiness < BAND_WEAK_BELOW:
        return "weak"
    return "developing" if readiness < BAND_READY_FROM else "ready"


def _score_columns(frame: pd.DataFrame, scheduler: Scheduler, now: datetime) -> dict[str, Any]:
    """The columns of ``question_scores`` that a review changes, from rows of ``Store.cards`` (NaN where a
    question has no card yet)."""
    reps = frame["reps"].fillna(0).astype(int)
    last = pd.to_datetime(frame["last_review"], utc=True, format="ISO8601").dt.tz_localize(None)
    r = retrievability(scheduler, frame["stability"].fillna(0).to_numpy(), last.to_numpy(), now)
    s1, w1 = frame["score_last"].to_numpy(dtype=float), frame["weight_last"].to_numpy(dtype=float)
    s2, w2 = frame["score_prev"].to_numpy(dtype=float), frame["weight_prev"].to_numpy(dtype=float)
    w2 = np.where(np.isnan(s2), 0.0, w2)
    s2 = np.nan_to_num(s2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (s1 * w1 + s2 * w2) / (w1 + w2)
    mean = np.where(np.isnan(mean), 0.0, mean)
    due = pd.to_datetime(frame["due"], utc=True, format="ISO8601").astype("datetime64[us, UTC]")  # one unit always
    practised = (reps > 0).to_numpy()
    return {
        "practised": practised,
        "reps": reps.to_numpy(),
        "avg_rating": np.where(practised, frame["rating_sum"].fillna(0).to_numpy(dtype=float)
                               / reps.clip(lower=1).to_numpy(), np.nan),
        "retrievability": r,
        "attempt_mean": mean,
        "score": r * mean,
        "due": due.array,
        "suspended": pd.to_numeric(frame["suspended"], errors="coerce").fillna(0).astype(bool).to_numpy(),
        "flagged": pd.to_numeric(frame["flagged"], errors="coerce").fillna(0).astype(bool).to_numpy(),
        "solid": r * mean >= SOLID_THRESHOLD,
        "overdue": practised & (due <= pd.Timestamp(now)).to_numpy(),
    }


def question_scores(questions: pd.DataFrame, cards: pd.DataFrame, scheduler: Scheduler,
                    now: datetime | None = None) -> pd.DataFrame:
    """One row per bank question: practised, retrievability, score, solid, due, overdue, suspended."""
    now = now or datetime.now(UTC)
    base = questions[["id", "category", "category_slug", "prompt", "difficulty", "tags", "looking_for"]]
    base = base.assign(level=questions["level"] if "level" in questions else "any",
                       track=questions["track"] if "track" in questions else "")
    frame = base.merge(cards.rename(columns={"question_id": "id"}), on="id", how="left")
    static = {name: frame[name] for name in ("id", "category", "category_slug", "prompt", "difficulty", "tags",
                                             "looking_for", "level", "track")}
    return pd.DataFrame({**static, **_score_columns(frame, scheduler, now)})


def scores_of_card(card: pd.DataFrame, scheduler: Scheduler, now: datetime | None = None) -> dict[str, Any] | None:
    """One question's ``question_scores`` columns that a review changes, from its ``Store.cards`` row, without
    building a frame: what a patch of the scores after one review needs. None without a card."""
    if len(card) != 1:
        return None
    columns = _score_columns(card.reset_index(drop=True), scheduler, now or datetime.now(UTC))
    return {name: values[0] for name, values in columns.items()}


def category_readiness(scores: pd.DataFrame) -> pd.DataFrame:
    """Per category: questions, practised, solid, target, readiness, band and the label '6 of 8 solid'."""
    if scores.empty:
        return pd.DataFrame(columns=["category", "category_slug", "questions", "practised", "solid", "target",
                                     "readiness", "band", "label", "overdue"])
    grouped = scores.groupby(["category", "category_slug"], as_index=False).agg(
        questions=("id", "size"), practised=("practised", "sum"), solid=("solid", "sum"),
        overdue=("overdue", "sum"))
    grouped["target"] = grouped["questions"].map(readiness_target)
    grouped["readiness"] = [area_readiness(s, n) for s, n in zip(grouped["solid"], grouped["questions"])]
    grouped["band"] = grouped["readiness"].map(band)
    grouped["label"] = [f"{int(min(s, t))} of {int(t)} solid" for s, t in zip(grouped["solid"], grouped["target"])]
    return grouped.sort_values(["readiness", "practised", "category"]).reset_index(drop=True)


def overall_readiness(per_category: pd.DataFrame) -> float:
    """The mean of category readiness (each area counts the same in a loop)."""
    return float(per_category["readiness"].mean()) if len(per_category) else 0.0
