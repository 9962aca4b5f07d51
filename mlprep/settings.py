"""The user's settings as one validated object, read the same way by every page, the CLI and restore.

Stored values come from the database, a backup or an older version of mlprep. ``Settings.from_dict`` never
raises: a value it cannot read falls back to its default and says so in ``notes`` (shown on the page), so
a bad stored value can never crash a page. ``Settings.parse`` is the strict form for input that must be
refused as a whole (a restore), raising ``SettingsError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from mlprep.bank import LEVELS, TRACK_MAX, clean_track
from mlprep.study import DEFAULT_NEW_PER_DAY, DEFAULT_TARGET_S, ROUND_TYPES

NEW_PER_DAY_RANGE = (0, 500)
ANSWER_TARGET_RANGE_S = (30, 900)
EARLIEST_INTERVIEW = date(2000, 1, 1)
LATEST_INTERVIEW = date(2100, 12, 31)


class SettingsError(ValueError):
    """A settings value that cannot be used; the message names the field and what it accepts."""


@dataclass(frozen=True)
class Settings:
    """What the user chose on Settings. ``notes`` lists stored values that were unreadable and replaced."""

    new_per_day: int = DEFAULT_NEW_PER_DAY
    answer_target_s: int = DEFAULT_TARGET_S
    interview_date: date | None = None
    rounds: tuple[str, ...] = ()
    level: str = "any"  # the target level: questions at or below it come first
    track: str = ""  # the track last chosen ("" = the shipped track)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def parse(cls, raw: Any) -> Settings:
        """Strict: every known key must be valid (unknown keys are ignored); raises SettingsError."""
        if not isinstance(raw, Mapping):
            raise SettingsError(f"settings must be a mapping of names to values, not {type(raw).__name__}")
        values = {}
        for name, reader in _READERS.items():
            if name in raw and raw[name] is not None:
                values[name] = reader(raw[name])
        return cls(**values)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Settings:
        """Lenient: each unreadable value falls back to its default, with a note saying which and why."""
        values: dict[str, Any] = {}
        notes: list[str] = []
        for name, reader in _READERS.items():
            value = raw.get(name) if isinstance(raw, Mapping) else None
            if value is None:
                continue
            try:
                values[name] = reader(value)
            except SettingsError as exc:
                default = getattr(cls, name)
                notes.append(f"{exc}; using {_shown(default)} until you save Settings again")
        return cls(**values, notes=tuple(notes))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values, the shape ``from_dict`` and ``parse`` read back."""
        return {"new_per_day": self.new_per_day, "answer_target_s": self.answer_target_s,
                "interview_date": self.interview_date.isoformat() if self.interview_date else None,
                "rounds": list(self.rounds), "level": self.level, "track": self.track}

    def days_to_interview(self, today: date) -> int | None:
        """Days from ``today`` to the interview (negative once it has passed), or None without a date."""
        return (self.interview_date - today).days if self.interview_date else None


def _int_in(name: str, low: int, high: int):
    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise SettingsError(f"{name}: {value!r} is not a whole number")
        try:
            number = float(value)
        except ValueError:
            raise SettingsError(f"{name}: {value!r} is not a whole number") from None
        if not number.is_integer():
            raise SettingsError(f"{name}: {value!r} is not a whole number")
        if not low <= number <= high:
            raise SettingsError(f"{name}: {int(number)} is outside {low} to {high}")
        return int(number)
    return read


def _interview(value: Any) -> date | None:
    if isinstance(value, date):
        day = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        try:
            if len(text) != len("YYYY-MM-DD"):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            raise SettingsError(f"interview_date: {str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None
    if not EARLIEST_INTERVIEW <= day <= LATEST_INTERVIEW:
        raise SettingsError(f"interview_date: {day.isoformat()} is not a plausible interview date")
    return day


def _rounds(value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(r, str) for r in value):
        raise SettingsError("rounds: must be a list of round types")
    unknown = [r for r in value if r not in ROUND_TYPES]
    if unknown:
        raise SettingsError(f"rounds: unknown round type(s) {', '.join(map(repr, unknown[:3]))}; "
                            f"use {', '.join(ROUND_TYPES)}")
    return tuple(dict.fromkeys(value))


def _level(value: Any) -> str:
    if value not in LEVELS:
        raise SettingsError(f"level: {str(value)[:20]!r} is not one of {', '.join(LEVELS)}")
    return str(value)


def _track(value: Any) -> str:
    if not isinstance(value, str) or len(value) > TRACK_MAX:
        raise SettingsError(f"track: {str(value)[:40]!r} is not a track name")
    return clean_track(value)


_READERS = {
    "new_per_day": _int_in("new_per_day", *NEW_PER_DAY_RANGE),
    "answer_target_s": _int_in("answer_target_s", *ANSWER_TARGET_RANGE_S),
    "interview_date": _interview,
    "rounds": _rounds,
    "level": _level,
    "track": _track,
}
assert set(_READERS) == {f.name for f in fields(Settings)} - {"notes"}


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    return str(value)
