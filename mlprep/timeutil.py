"""Time: stored in UTC, shown and bucketed by day in the user's local time zone (DST-aware)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timezone, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=1)
def _system_zone() -> tzinfo:
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return datetime.now().astimezone().tzinfo or timezone.utc


def local_zone() -> tzinfo:
    """The machine's time zone: $TZ, else /etc/localtime, else the current fixed offset."""
    return _system_zone()


def to_local(moment: datetime, zone: tzinfo | None = None) -> datetime:
    return moment.astimezone(zone or local_zone())


def local_day(moment: datetime, zone: tzinfo | None = None) -> str:
    """The local calendar day of a moment, as YYYY-MM-DD."""
    return to_local(moment, zone).date().isoformat()


def local_midnight(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """The UTC moment when the local day containing ``moment`` began (the offset at midnight, not now)."""
    zone = zone or local_zone()
    start = datetime.combine(moment.astimezone(zone).date(), datetime.min.time(), tzinfo=zone)
    return start.astimezone(timezone.utc)


def format_local(moment: datetime, zone: tzinfo | None = None, fmt: str = "%a %d %b, %H:%M") -> str:
    return to_local(moment, zone).strftime(fmt)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """UTC ISO-8601 with microseconds, so text order is time order (how every time is stored)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_iso_or_none(text: object) -> datetime | None:
    """``parse_iso`` for a stored value that may be damaged: None instead of an exception."""
    try:
        moment = parse_iso(str(text))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
