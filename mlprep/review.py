"""A review: one rating of one answer, as the log keeps it. Only facts are stored; the attempt score is derived.

``Review.from_dict`` reads a stored or restored row and checks every field (types, ranges, dates in a sane
range, JSON lists), raising ``ReviewError`` that names the field; ``to_dict`` gives the row back, so
``Review.from_dict(r.to_dict()) == r``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from mlprep.rating import Rating
from mlprep.readiness import attempt_score
from mlprep.timeutil import iso, parse_iso

MODES = ("study", "mock")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_TEXT = 200_000  # characters in one answer: far more than anyone types in an interview answer


class ReviewError(ValueError):
    """A review row that cannot be used; the message starts with the field's name."""


@dataclass(frozen=True)
class Review:
    id: str
    question_id: str
    rating: Rating
    rated_at: datetime
    rubric_hits: tuple[str, ...] = ()
    rubric_missed: tuple[str, ...] = ()
    rubric_total: int = 0
    question_hash: str = ""
    category: str = ""
    local_day: str = ""
    answer_text: str = ""
    clarify_text: str = ""
    duration_s: float | None = None
    mode: str = "study"
    session_id: str | None = None
    audio_path: str | None = None
    voided_at: datetime | None = None

    @property
    def score(self) -> float:
        """The attempt score, derived from the rating and the rubric ticks (never stored as the only copy)."""
        return attempt_score(self.rating, len(self.rubric_hits), self.rubric_total)

    def to_dict(self) -> dict[str, Any]:
        """The stored row: times as UTC ISO text, rubric lists as JSON text."""
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        row["rating"] = int(self.rating)
        row["rated_at"] = iso(self.rated_at)
        row["voided_at"] = iso(self.voided_at) if self.voided_at else None
        row["rubric_hits"] = json.dumps(list(self.rubric_hits), ensure_ascii=False)
        row["rubric_missed"] = json.dumps(list(self.rubric_missed), ensure_ascii=False)
        return row

    @classmethod
    def from_dict(cls, row: dict[str, Any], now: datetime | None = None) -> Review:
        """A review from a stored or restored row; ReviewError names the first bad field.

        ``now`` (default: the clock) bounds ``rated_at``: a rating from the future is refused.
        """
        if not isinstance(row, dict):
            raise ReviewError(f"row: must be an object with fields, not {type(row).__name__}")
        now = now or datetime.now(UTC)
        values: dict[str, Any] = {}
        for name in ("id", "question_id"):
            values[name] = _text(row, name, required=True, limit=200)
        try:
            values["rating"] = Rating.parse(row.get("rating"))
        except ValueError as exc:
            raise ReviewError(f"rating: {exc}") from None
        values["rated_at"] = _moment(row, "rated_at", now, required=True)
        values["voided_at"] = _moment(row, "voided_at", now, required=False)
        values["rubric_hits"] = _points(row, "rubric_hits")
        values["rubric_missed"] = _points(row, "rubric_missed")
        total = row.get("rubric_total")
        total = len(values["rubric_hits"]) + len(values["rubric_missed"]) if total in (None, "") else total
        if isinstance(total, bool) or not isinstance(total, (int, str, float)) or not _whole(total) or int(float(total)) < 0:
            raise ReviewError(f"rubric_total: {total!r} is not a count")
        values["rubric_total"] = int(float(total))
        if values["rubric_total"] < len(values["rubric_hits"]):
            raise ReviewError("rubric_total: fewer rubric points than were ticked")
        for name in ("question_hash", "category", "answer_text", "clarify_text"):
            values[name] = _text(row, name, limit=MAX_TEXT)
        values["local_day"] = _text(row, "local_day", limit=10)
        if values["local_day"]:
            try:
                datetime.strptime(values["local_day"], "%Y-%m-%d")
            except ValueError:
                raise ReviewError(f"local_day: {values['local_day']!r} is not a day (YYYY-MM-DD)") from None
        duration = row.get("duration_s")
        if duration not in (None, ""):
            if isinstance(duration, bool) or not isinstance(duration, (int, float, str)):
                raise ReviewError(f"duration_s: {duration!r} is not a number of seconds")
            try:
                duration = float(duration)
            except ValueError:
                raise ReviewError(f"duration_s: {duration!r} is not a number of seconds") from None
            if not math.isfinite(duration) or not 0 <= duration <= 86_400:
                raise ReviewError(f"duration_s: {duration!r} is not between 0 and a day")
            values["duration_s"] = duration
        mode = row.get("mode") or "study"
        if mode not in MODES:
            raise ReviewError(f"mode: {str(mode)[:20]!r} is not one of {', '.join(MODES)}")
        values["mode"] = mode
        values["session_id"] = _text(row, "session_id", limit=200) or None
        values["audio_path"] = _text(row, "audio_path", limit=500) or None
        return cls(**values)


def _whole(value: Any) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number.is_integer()


def _text(row: dict[str, Any], name: str, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = row.get(name)
    if value is None or value == "":
        if required:
            raise ReviewError(f"{name}: missing")
        return ""
    if not isinstance(value, str):
        raise ReviewError(f"{name}: must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise ReviewError(f"{name}: longer than {limit} characters")
    return value


def _moment(row: dict[str, Any], name: str, now: datetime, required: bool) -> datetime | None:
    value = row.get(name)
    if value in (None, ""):
        if required:
            raise ReviewError(f"{name}: missing")
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{name}: {value!r} is not a time")
    try:
        moment = parse_iso(value)
    except ValueError:
        raise ReviewError(f"{name}: {value[:40]!r} is not a time (UTC ISO-8601)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not EARLIEST <= moment <= now:
        raise ReviewError(f"{name}: {value[:40]} is {'in the future' if moment > now else 'before 2000'}")
    return moment.astimezone(UTC)


def _points(row: dict[str, Any], name: str) -> tuple[str, ...]:
    value = row.get(name)
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ReviewError(f"{name}: not a JSON list of rubric points") from None
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise ReviewError(f"{name}: must be a list of rubric points (text)")
    return tuple(value)
