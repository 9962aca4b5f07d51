"""The one place an answer becomes a review: ticks, rating, answer text, recording and timing, for Study and
Mock alike (the use-case layer between the pages and the store)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fsrs import Scheduler

from mlprep.db import NewReview, Store
from mlprep.rating import Rating
from mlprep.readiness import suggested_rating
from mlprep.recordings import RecordingError, save_recording

NO_RUBRIC_RATING = Rating.SOLID  # "rate from my ticks" on a question with no rubric to go by


def rating_from_ticks(hits: int, total: int) -> Rating:
    """The rating the ticks suggest ("rate from my ticks"); Solid when the question has no rubric."""
    suggested = suggested_rating(hits, total)
    return Rating(suggested) if suggested is not None else NO_RUBRIC_RATING


@dataclass(frozen=True)
class Attempt:
    """One answer to one question, as the page saw it. ``rating`` None means "rate from my ticks"."""

    review_id: str  # minted when the question was shown; makes the write idempotent
    question: Mapping[str, Any]  # the bank's question: id, hash, category, looking_for
    ticked: Sequence[str] = ()  # the rubric points ticked
    rating: Rating | None = None
    answer_text: str = ""
    clarify_text: str = ""
    duration_s: float | None = None
    clip: bytes | None = None  # a new recording to keep with the review
    audio_path: str | None = None  # a recording already kept (mock rounds save theirs as they go)
    mode: str = "study"
    session_id: str | None = None
    rated_at: datetime | None = None


@dataclass(frozen=True)
class Recorded:
    """What recording an attempt did: the version written (0 if the review id was already there)."""

    version: int
    rating: Rating
    hits: list[str]
    missed: list[str]
    duration_s: float | None
    recording_error: str | None = None  # the clip could not be kept; the rating was saved without it
    audio_path: str | None = field(default=None)

    @property
    def summary(self) -> str:
        return f"{self.rating.label} ({len(self.hits)}/{len(self.hits) + len(self.missed)} rubric points)"


def record_attempt(store: Store, scheduler: Scheduler, attempt: Attempt) -> Recorded:
    """Turn an attempt into one review (idempotent on its review id) and update the card in one transaction.

    Raises StoreError when the database refuses; a recording that cannot be kept is reported in the result,
    never silently dropped, and never costs the rating.
    """
    points = [str(p) for p in attempt.question["looking_for"]]
    ticked = set(attempt.ticked)
    hits = [p for p in points if p in ticked]
    missed = [p for p in points if p not in ticked]
    rating = attempt.rating if attempt.rating is not None else rating_from_ticks(len(hits), len(points))
    duration, audio_path, error = attempt.duration_s, attempt.audio_path, None
    if attempt.clip is not None:
        try:
            audio_path, clip_s = save_recording(store.directory, attempt.review_id, attempt.clip)
        except (RecordingError, OSError) as exc:
            error = f"Your recording could not be saved ({exc}); the rating was kept without it."
        else:
            if not attempt.answer_text.strip():
                duration = clip_s  # spoken, not typed: the answer lasted as long as the clip
    version = store.record_review(NewReview(
        id=attempt.review_id, question_id=str(attempt.question["id"]), rating=int(rating),
        question_hash=str(attempt.question.get("hash") or ""), category=str(attempt.question.get("category") or ""),
        rubric_hits=hits, rubric_missed=missed, answer_text=attempt.answer_text, clarify_text=attempt.clarify_text,
        duration_s=duration, mode=attempt.mode, session_id=attempt.session_id, audio_path=audio_path,
        rated_at=attempt.rated_at), scheduler)
    return Recorded(version, rating, hits, missed, duration, error, audio_path)
