"""Backup and restore of progress: the review log (CSV or JSON), and in JSON everything else you made.

JSON holds every table except the derived ``cards`` (rebuilt from the log on
import) and ``meta`` (whose settings travel separately), plus each card's
suspend/flag choice. CSV holds the review log only, every column. Import is
idempotent: rows whose primary key is already present are skipped, so importing
the same file twice adds nothing. An import runs in one transaction: a bad file
changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from fsrs import Scheduler

from mlprep.db.store import Store
from mlprep.review import Review, ReviewError
from mlprep.settings import Settings, SettingsError
from mlprep.timeutil import parse_iso

FORMAT_NAME = "mlprep-progress"
FORMAT_VERSION = 1
DERIVED_TABLES = ("cards", "meta", "sqlite_sequence", "rubric_misses", "daily_reviews")  # rebuilt from the log
REQUIRED_REVIEW_COLUMNS = ("id", "question_id", "rated_at", "rating")


class BackupError(ValueError):
    """The file cannot be imported; the message says why and what to do."""


@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{self.added.get(t, 0)} new {t.replace('_', ' ')}" for t in sorted(self.added)
                 if self.added.get(t) or t == "reviews"]
        already = sum(self.skipped.values())
        return ", ".join(parts) + (f"; {already} already present" if already else "")


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [r[0] for r in rows if r[0] not in DERIVED_TABLES]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]


def export_json(store: Store, extra: dict[str, Any] | None = None) -> str:
    """Everything needed to restore progress on another machine, as one JSON document (plus ``extra`` keys:
    ``mlprep.backups`` adds the user's banks)."""
    with store.reading() as conn:
        conn.row_factory = sqlite3.Row
        data: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                                "schema": conn.execute("PRAGMA user_version").fetchone()[0]}
        for table in _tables(conn):
            data[table] = [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        data["card_flags"] = [dict(r) for r in conn.execute(
            "SELECT question_id, suspended, flagged FROM cards WHERE suspended OR flagged ORDER BY question_id")]
        data["settings"] = {r["key"][len("setting:"):]: json.loads(r["value"]) for r in conn.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'setting:%' ORDER BY key")}
    data.update(extra or {})
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def export_csv(store: Store) -> str:
    """The review log, every column, voided reviews included (they are part of the history)."""
    frame = store.reviews(include_voided=True)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def export(store: Store, fmt: str) -> str:
    if fmt == "json":
        return export_json(store)
    if fmt == "csv":
        return export_csv(store)
    raise BackupError(f"unknown backup format {fmt!r}; use json or csv")


MAX_BACKUP_BYTES = 512 * 1024 * 1024  # far above a year of daily study with every answer typed out


def parse(text: str) -> dict[str, Any]:
    """A backup file's content as {table: rows}; raises BackupError with a clear message."""
    stripped = text.lstrip("\ufeff").strip()
    if not stripped:
        raise BackupError("the file is empty; choose a backup made by mlprep (progress export)")
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise BackupError(f"not valid JSON (line {exc.lineno}: {exc.msg}); the file may be truncated") from exc
        except RecursionError:
            raise BackupError("the JSON is nested far deeper than any backup; this is not a file mlprep wrote") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
            raise BackupError("this JSON file is not an mlprep progress backup (no \"format\": \"mlprep-progress\")")
        version = data.get("version", 0)
        if isinstance(version, bool) or not isinstance(version, int):
            raise BackupError(f"version {str(version)[:20]!r} is not a backup format version; the file is damaged")
        if version > FORMAT_VERSION:
            raise BackupError("this backup was written by a newer mlprep; update mlprep to import it")
        return data
    if stripped.startswith("["):
        raise BackupError("this JSON list is not an mlprep progress backup (a backup is one object with \"format\")")
    try:
        reader = csv.DictReader(io.StringIO(stripped))
        missing = [c for c in REQUIRED_REVIEW_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise BackupError(f"not an mlprep review log: missing column(s) {', '.join(missing)}; "
                              "export one with `python -m mlprep progress export FILE`")
        rows = list(reader)
    except csv.Error as exc:
        raise BackupError(f"not a CSV review log mlprep can read ({exc}); export one with `progress export`") from None
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "reviews": rows}


def _clean_review(row: Any, number: int, now: datetime) -> dict[str, Any]:
    """A restored review row checked through the same Review the app uses; the columns it derives (cards,
    scores) are left out: the rebuild after the import recomputes them."""
    if isinstance(row, dict):
        row = {k: (None if v == "" else v) for k, v in row.items()}
    try:
        clean = Review.from_dict(row, now=now).to_dict()
    except ReviewError as exc:
        raise BackupError(f"review {number}: {exc}; nothing was imported") from None
    for name in ("card_before", "card_after"):  # kept for voided reviews, which the rebuild does not replay
        clean[name] = row.get(name) if _json_object(row.get(name)) else None
    return clean


# What each restored table's columns must hold (reviews go through the typed Review instead).
_TIME, _DAY, _TEXT, _REQUIRED_TEXT, _NUMBER, _FLAG, _JSON_LIST = "time", "day", "text", "required", "number", "flag", "list"
ROW_RULES: dict[str, dict[str, str]] = {
    "stories": {"id": _REQUIRED_TEXT, "title": _REQUIRED_TEXT, "situation": _TEXT, "task": _TEXT, "action": _TEXT,
                "result": _TEXT, "learned": _TEXT, "themes": _JSON_LIST, "created_at": _TIME, "updated_at": _TIME},
    "story_links": {"story_id": _REQUIRED_TEXT, "question_id": _REQUIRED_TEXT},
    "story_rehearsals": {"id": _REQUIRED_TEXT, "story_id": _REQUIRED_TEXT, "started_at": _NUMBER,
                         "duration_s": _NUMBER, "target_s": _NUMBER, "rehearsed_at": _TIME},
    "mock_rounds": {"id": _REQUIRED_TEXT, "round_type": _REQUIRED_TEXT, "target_s": _NUMBER, "follow_up_s": _NUMBER,
                    "position": _NUMBER, "stage": _REQUIRED_TEXT, "created_at": _TIME, "finished_at": _TIME,
                    "abandoned_at": _TIME},
    "mock_answers": {"id": _REQUIRED_TEXT, "round_id": _REQUIRED_TEXT, "position": _NUMBER,
                     "question_id": _REQUIRED_TEXT, "started_at": _NUMBER, "answered_at": _NUMBER,
                     "follow_up_hits": _JSON_LIST, "follow_up_missed": _JSON_LIST},  # absent in older backups
    "readiness_daily": {"day": _DAY, "category": _REQUIRED_TEXT, "readiness": _NUMBER, "solid": _NUMBER,
                        "target": _NUMBER},
    "card_flags": {"question_id": _REQUIRED_TEXT, "suspended": _FLAG, "flagged": _FLAG},
}


def _check_row(table: str, row: Any, number: int) -> None:
    """Refuse a restored row whose columns could crash a page later (BackupError naming the row and field)."""
    def bad(column: str, why: str) -> BackupError:
        return BackupError(f"{table} row {number}: {column}: {why}; nothing was imported")

    if not isinstance(row, dict):
        raise bad("row", "must be an object with fields")
    for column, rule in ROW_RULES.get(table, {}).items():
        value = row.get(column)
        if value is None and rule not in (_REQUIRED_TEXT, _FLAG):
            continue
        if rule == _REQUIRED_TEXT and (not isinstance(value, str) or not value.strip()):
            raise bad(column, "missing or not text")
        if rule == _TEXT and not isinstance(value, str):
            raise bad(column, "must be text")
        if rule == _NUMBER and (isinstance(value, bool) or not isinstance(value, (int, float))
                                or value != value or abs(value) > 1e12):
            raise bad(column, f"{str(value)[:20]!r} is not a number")
        if rule == _FLAG and value not in (0, 1, None) or rule == _FLAG and isinstance(value, bool):
            raise bad(column, f"{str(value)[:20]!r} is not 0 or 1")
        if rule == _TIME:
            try:
                parse_iso(value)
            except (TypeError, ValueError, AttributeError):
                raise bad(column, f"{str(value)[:30]!r} is not a time") from None
        if rule == _DAY:
            try:
                date.fromisoformat(value)
            except (TypeError, ValueError):
                raise bad(column, f"{str(value)[:30]!r} is not a day (YYYY-MM-DD)") from None
        if rule == _JSON_LIST:
            try:
                items = json.loads(value) if isinstance(value, str) else None
            except ValueError:
                items = None
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise bad(column, "not a JSON list of text")


def _json_object(text: Any) -> bool:
    if not isinstance(text, str):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def import_backup(store: Store, text: str, scheduler: Scheduler) -> ImportResult:
    """Add what the backup has and this store lacks and rebuild cards, scores and tallies from the log, all in one
    transaction; every row is checked before anything is written."""
    return import_data(store, parse(text), scheduler)


def import_data(store: Store, data: dict[str, Any], scheduler: Scheduler) -> ImportResult:
    """``import_backup`` for a backup already read by ``parse``."""
    result = ImportResult()
    now = datetime.now(UTC)
    settings = data.get("settings")
    try:
        parsed = Settings.parse(settings or {}).to_dict()  # checked before anything is written
    except SettingsError as exc:
        raise BackupError(f"settings: {exc}; nothing was imported") from exc
    try:
        with store.transaction() as conn:  # one transaction for the whole import
            tables = _tables(conn)
            for table in tables:
                rows = data.get(table) or []
                if not isinstance(rows, list):
                    raise BackupError(f"{table}: expected a list of rows")
                if table == "reviews":
                    rows = [_clean_review(r, i + 1, now) for i, r in enumerate(rows)]
                for i, row in enumerate(rows):
                    _check_row(table, row, i + 1)
                columns = _columns(conn, table)
                added = 0
                for row in rows:
                    if not isinstance(row, dict):
                        raise BackupError(f"{table}: every row must be an object")
                    keys = [k for k in row if k in columns]
                    cursor = conn.execute(
                        f'INSERT OR IGNORE INTO "{table}" ({", ".join(keys)}) VALUES ({", ".join("?" * len(keys))})',
                        [row[k] for k in keys])
                    added += cursor.rowcount
                result.added[table], result.skipped[table] = added, len(rows) - added
            flags = data.get("card_flags") or []
            if not isinstance(flags, list):
                raise BackupError("card_flags: expected a list of rows; nothing was imported")
            for i, flag in enumerate(flags):
                _check_row("card_flags", flag, i + 1)
            for flag in flags:
                conn.execute("INSERT INTO cards (question_id, card, due, suspended, flagged) VALUES (?, '{}', '', ?, ?) "
                             "ON CONFLICT(question_id) DO UPDATE SET suspended = excluded.suspended, "
                             "flagged = excluded.flagged",
                             (flag["question_id"], int(flag.get("suspended") or 0), int(flag.get("flagged") or 0)))
            for key in settings or {}:
                if key in parsed:  # settings this mlprep does not know are left out
                    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                                 (f"setting:{key}", json.dumps(parsed[key])))
            store.rebuild_in(conn, scheduler)  # the same transaction: a kill leaves all of it or none
    except sqlite3.IntegrityError as exc:
        raise BackupError(f"the backup does not fit this database ({exc}); nothing was imported") from exc
    return result
