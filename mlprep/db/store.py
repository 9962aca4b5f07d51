"""The progress store: one SQLite file holding the review log and what derives from it.

``reviews`` is the append-only truth (Undo sets ``voided_at``; nothing is
deleted). ``cards`` caches each question's FSRS state and recent scores and is
rebuilt from the log by ``rebuild_cards``. Every write runs in ``BEGIN
IMMEDIATE`` on a short-lived connection; a write that changed a row bumps
``meta.version``, which caches key on. The file is marked as mlprep's
(``PRAGMA application_id``), and a file moved or replaced under a running app
is prepared again before use.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from fsrs import Scheduler

from mlprep import schedule
from mlprep.db.schema import SCHEMA_VERSION, TALLY_BACKFILL, migrate
from mlprep.paths import db_path
from mlprep.readiness import MOCK_WEIGHT, attempt_score
from mlprep.review import Review, ReviewError
from mlprep.settings import Settings
from mlprep.timeutil import iso, local_day, parse_iso, utc_now

BUSY_TIMEOUT_MS = 5000
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
APPLICATION_ID = 0x6D6C7072  # 'mlpr': marks a SQLite file as an mlprep progress database

REVIEW_COLUMNS = [
    "id", "question_id", "question_hash", "category", "rated_at", "local_day", "rating", "rubric_hits",
    "rubric_missed", "rubric_total", "score", "answer_text", "clarify_text", "duration_s", "mode",
    "session_id", "card_before", "card_after", "voided_at", "audio_path",
]


class StoreError(Exception):
    """A problem with the progress database that the user can act on; the message says how."""


class UnreadableDatabase(StoreError):
    """The database file is damaged or not a database: it can be moved aside (``move_aside``)."""


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` now (device, inode), or None when there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


class NotTheSameFile(StoreError):
    """The file judged damaged is no longer at its path (moved aside already, or replaced): nothing was renamed."""


def move_aside(directory: Path, judged: tuple[int, int] | None = None) -> Path:
    """Rename a damaged database (and its -wal/-shm files) to a dated backup name; never deletes anything.

    ``judged`` is the identity (``file_identity``) of the file that was found damaged: if another file is at
    the path now (a second tab moved it aside and a fresh database took its place), nothing is renamed and
    NotTheSameFile is raised. Returns the backup path of the main file.
    """
    path = db_path(Path(directory))
    if judged is not None and file_identity(path) != judged:
        raise NotTheSameFile(f"{path} is no longer the damaged file (it was moved aside already or replaced); "
                             "nothing was renamed. Reload the page.")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    if path.exists():
        path.rename(target)
    return target


def review_score(rating: int, rubric_hits: str | None, rubric_total: int | None) -> float:
    """The attempt score of a stored review, derived from its facts (the ``score`` column is only a cache)."""
    try:
        hits = len(json.loads(rubric_hits or "[]"))
    except ValueError:
        hits = 0
    return attempt_score(int(rating), hits, int(rubric_total or 0))


def new_review_id() -> str:
    return uuid.uuid4().hex


@dataclass
class NewReview:
    """A rating about to be recorded. ``id`` was minted when the card was shown."""

    id: str
    question_id: str
    rating: int
    question_hash: str = ""
    category: str = ""
    rubric_hits: list[str] = field(default_factory=list)
    rubric_missed: list[str] = field(default_factory=list)
    answer_text: str = ""
    clarify_text: str = ""
    duration_s: float | None = None
    mode: str = "study"
    session_id: str | None = None
    audio_path: str | None = None
    rated_at: datetime | None = None

    @property
    def rubric_total(self) -> int:
        return len(self.rubric_hits) + len(self.rubric_missed)


class Store:
    """The progress database in one data directory. Cheap to create; opens a connection per operation."""

    def __init__(self, directory: Path, check: bool = False) -> None:
        """Open (creating or upgrading) the store. ``check`` also reads the whole file once
        (``PRAGMA quick_check``), as the app does at start, so damage is reported before any page uses it."""
        self.directory = Path(directory)
        self.path = db_path(self.directory)
        self._prepared: tuple[int, int] | None = None
        self._prepare_lock = threading.Lock()
        self._prepare(check)

    # -- opening -----------------------------------------------------------------
    def _prepare(self, check: bool) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"Cannot create the data directory {self.directory} ({exc.strerror}). "
                "Set MLPREP_DATA_DIR to a folder you can write to, or fix the folder's permissions."
            ) from exc
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise StoreError(
                f"The data directory {self.directory} is not writable, so ratings could not be saved. "
                "Fix its permissions or set MLPREP_DATA_DIR to a folder you can write to."
            )
        if self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK):
            raise StoreError(
                f"The progress database {self.path} cannot be read and written. "
                "Fix its permissions; nothing has been changed."
            )
        existed = self.path.exists() and self.path.stat().st_size > 0
        try:
            with self._open() as conn:
                self._claim(conn)
                current = conn.execute("PRAGMA user_version").fetchone()[0]
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"The progress database {self.path} was written by a newer mlprep (schema {current}, "
                        f"this one knows {SCHEMA_VERSION}). Update mlprep; nothing has been changed."
                    )
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode=WAL")
                migrate(conn, current)
            if existed and check:
                with self._open() as conn:
                    verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
                if verdict != "ok":
                    raise sqlite3.DatabaseError(f"database disk image is malformed: {verdict}")
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc
        self._prepared = file_identity(self.path)

    def _claim(self, conn: sqlite3.Connection) -> None:
        """Mark a new database as mlprep's (``PRAGMA application_id``); refuse another application's file
        before changing anything in it (no table added, no journal mode switched)."""
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id == APPLICATION_ID:
            return
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        ours = {"meta", "reviews", "cards"}
        if app_id == 0 and (not tables or ours <= tables):  # new, or written by mlprep before it was marked
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            return
        shown = ", ".join(sorted(tables)[:4]) + (" ..." if len(tables) > 4 else "")
        raise StoreError(f"{self.path} belongs to another application (a SQLite database with tables {shown or 'none'}"
                         f"{f', application id {app_id}' if app_id else ''}); mlprep changed nothing in it. "
                         "Set MLPREP_DATA_DIR to a folder of its own.")

    def _error(self, exc: sqlite3.Error) -> StoreError:
        text = str(exc)
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return UnreadableDatabase(
                f"{self.path} is not a readable mlprep database ({text}). Nothing was changed or deleted. "
                "Move the file aside (it is kept as a backup) to begin a fresh progress file, "
                "or set MLPREP_DATA_DIR to another folder.")
        return StoreError(self._explain(exc))

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return (f"The progress database {self.path} is busy (another program holds a lock). "
                    "Wait a moment and try again; nothing was lost.")
        if "readonly" in text or "read-only" in text:
            return (f"The progress database {self.path} is read-only, so ratings cannot be saved. "
                    "Fix the file's permissions or set MLPREP_DATA_DIR to a writable folder.")
        if "disk is full" in text or "disk full" in text:
            return (f"The disk is full, so {self.path} could not be written; nothing was changed. "
                    "Free some space and try again (reading and exporting still work).")
        return f"The progress database {self.path} failed: {text}. Nothing was changed."

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the database this store prepared; if the file was moved, replaced or deleted under
        the running app, the new one is checked and prepared first (no restart needed)."""
        if file_identity(self.path) != self._prepared:
            with self._prepare_lock:
                if file_identity(self.path) != self._prepared:
                    self._prepare(check=True)
        with self._open() as conn:
            yield conn

    @contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = FULL")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE); if it changed any row it also bumps meta.version."""
        try:
            with self._connect() as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    before = conn.total_changes
                    yield conn
                    if conn.total_changes != before:  # a write that changed nothing leaves caches valid
                        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def identity(self) -> tuple[int, int] | None:
        """Which file is at the database path now (pass it to ``move_aside`` to move exactly that file)."""
        return file_identity(self.path)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A connection for several reads that belong together (errors become StoreError)."""
        try:
            with self._connect() as conn:
                yield conn
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._connect() as conn:
                return conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def frame(self, sql: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
        try:
            with self._connect() as conn:
                return pd.read_sql_query(sql, conn, params=params)
        except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
            raise self._error(exc if isinstance(exc, sqlite3.Error) else sqlite3.Error(str(exc))) from exc

    # -- meta ------------------------------------------------------------------------
    def version(self) -> int:
        """A counter every write increments; key caches on it."""
        return int(self.query("SELECT value FROM meta WHERE key = 'version'")[0][0])

    def meta_snapshot(self) -> tuple[int, dict[str, Any]]:
        """The version counter and every setting, in one read (a page needs both on every rerun)."""
        version, settings = 0, {}
        for key, value in self.query("SELECT key, value FROM meta"):
            if key == "version":
                version = int(value)
            elif key.startswith("setting:"):
                try:
                    settings[key[len("setting:"):]] = json.loads(value)
                except ValueError:
                    settings[key[len("setting:"):]] = value  # unreadable: Settings.from_dict notes and replaces it
        return version, settings

    def settings(self) -> Settings:
        """The user's settings; an unreadable stored value falls back to its default, with a note."""
        return Settings.from_dict(self.meta_snapshot()[1])

    def save_settings(self, settings: Settings) -> None:
        """Write every setting in one transaction (unchanged values bump no version)."""
        with self.transaction() as conn:
            for key, value in settings.to_dict().items():
                text = json.dumps(value)
                conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                             "value = excluded.value WHERE meta.value IS NOT excluded.value", (f"setting:{key}", text))

    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (f"setting:{key}",))
        return json.loads(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                         "value = excluded.value WHERE meta.value IS NOT excluded.value",
                         (f"setting:{key}", json.dumps(value)))

    # -- reviews -----------------------------------------------------------------------
    def record_review(self, review: NewReview, scheduler: Scheduler) -> int:
        """Record one rating and update its card in the same transaction.

        Idempotent on ``review.id``: a second call with the same id changes nothing and returns 0.
        Returns the ``meta.version`` this write produced (true), so a cache can tell that it made that version.
        Without ``rated_at`` the time is taken inside the write lock, so concurrent writers' reviews of
        one card are stamped in the order they were applied (a replay of the log gives the same card).
        """
        score = attempt_score(review.rating, len(review.rubric_hits), review.rubric_total)
        weight = MOCK_WEIGHT if review.mode == "mock" else 1.0
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM reviews WHERE id = ?", (review.id,)).fetchone():
                return 0
            now = review.rated_at or utc_now()
            row = conn.execute("SELECT card, suspended, flagged, reps, lapses, rating_sum, score_last, weight_last "
                               "FROM cards WHERE question_id = ?", (review.question_id,)).fetchone()
            before = schedule.card_from_json(json.loads(row[0]) if row else None, review.question_id, now)
            if before.last_review is not None and before.last_review > now:
                now = before.last_review  # never rate a card before its previous review
            before_json = before.to_json() if before.last_review is not None else None
            after = schedule.review(scheduler, before, review.rating, now)
            conn.execute(
                f"INSERT INTO reviews ({', '.join(REVIEW_COLUMNS)}) VALUES ({', '.join('?' * len(REVIEW_COLUMNS))})",
                (review.id, review.question_id, review.question_hash, review.category, iso(now),
                 local_day(now), review.rating,
                 json.dumps(review.rubric_hits), json.dumps(review.rubric_missed), review.rubric_total, score,
                 review.answer_text, review.clarify_text, review.duration_s, review.mode, review.session_id,
                 before_json, after.to_json(), None, review.audio_path),
            )
            self._tally(conn, review.question_id, local_day(now), review.rubric_missed, +1)
            reps, lapses, rating_sum = (row[3], row[4], row[5]) if row else (0, 0, 0)
            self._upsert_card(conn, review.question_id, after, reps + 1, lapses + (review.rating == 1),
                              rating_sum + review.rating, (score, weight),
                              (row[6], row[7]) if row else (None, None), suspended=row[1] if row else 0,
                              flagged=row[2] if row else 0)
            # Under the write lock: the version transaction() is about to commit.
            version = int(conn.execute("SELECT CAST(value AS INTEGER) + 1 FROM meta WHERE key = 'version'")
                          .fetchone()[0])
        return version

    @staticmethod
    def _tally(conn: sqlite3.Connection, qid: str, day: str, missed: list[str], delta: int) -> None:
        """Add (or, for Undo, take away) one review in the per-day and per-rubric-point tallies."""
        conn.execute("INSERT INTO daily_reviews (day, reviews) VALUES (?, ?) "
                     "ON CONFLICT(day) DO UPDATE SET reviews = reviews + excluded.reviews", (day, delta))
        conn.executemany("INSERT INTO rubric_misses (question_id, point, missed) VALUES (?, ?, ?) "
                         "ON CONFLICT(question_id, point) DO UPDATE SET missed = missed + excluded.missed",
                         [(qid, point, delta) for point in missed])

    @staticmethod
    def _upsert_card(conn: sqlite3.Connection, qid: str, card: Any, reps: int, lapses: int, rating_sum: int,
                     last: tuple[float | None, float | None], prev: tuple[float | None, float | None],
                     suspended: int = 0, flagged: int = 0) -> None:
        conn.execute(
            "INSERT INTO cards (question_id, card, due, stability, last_review, reps, lapses, rating_sum, "
            "score_last, weight_last, score_prev, weight_prev, suspended, flagged) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(question_id) DO UPDATE SET "
            "card = excluded.card, due = excluded.due, stability = excluded.stability, "
            "last_review = excluded.last_review, reps = excluded.reps, lapses = excluded.lapses, "
            "rating_sum = excluded.rating_sum, score_last = excluded.score_last, weight_last = excluded.weight_last, "
            "score_prev = excluded.score_prev, weight_prev = excluded.weight_prev",
            (qid, card.to_json(), iso(card.due), card.stability,
             iso(card.last_review) if card.last_review else None, reps, lapses, rating_sum,
             last[0], last[1], prev[0], prev[1], suspended, flagged),
        )

    def void_last_review(self, session_id: str | None = None, scheduler: Scheduler | None = None) -> str | None:
        """Undo: void the review this session (or anyone, without one) wrote last, by insertion order (a clock
        that stepped back cannot change which one), and replay that question's card from its live log, so the
        card equals a rebuild whatever other tabs rated in between.

        Returns the question id whose review was voided, or None if there was nothing to undo.
        """
        with self.transaction() as conn:
            where = "voided_at IS NULL" + (" AND session_id = ?" if session_id else "")
            params: tuple[Any, ...] = (session_id,) if session_id else ()
            row = conn.execute(f"SELECT id, question_id, local_day, rubric_missed FROM reviews WHERE {where} "
                               "ORDER BY rowid DESC LIMIT 1", params).fetchone()
            if row is None:
                return None
            review_id, qid, day, missed = row
            conn.execute("UPDATE reviews SET voided_at = ? WHERE id = ?", (iso(utc_now()), review_id))
            self._tally(conn, qid, day, json.loads(missed or "[]"), -1)
            flags = conn.execute("SELECT suspended, flagged FROM cards WHERE question_id = ?", (qid,)).fetchone()
            live = conn.execute("SELECT id, question_id, rated_at, rating, rubric_hits, rubric_total, mode FROM reviews "
                                "WHERE question_id = ? AND voided_at IS NULL ORDER BY rated_at, rowid", (qid,))
            self._replay_card(conn, qid, [(r[0], r[2], r[3], review_score(r[3], r[4], r[5]), r[6]) for r in live],
                              scheduler or schedule.make_scheduler(), tuple(flags) if flags else (0, 0))
            return str(qid)

    def _replay_card(self, conn: sqlite3.Connection, qid: str, reviews: list[tuple[Any, ...]], scheduler: Scheduler,
                     flags: tuple[int, int]) -> None:
        """Write ``qid``'s card from its live reviews ``(id, rated_at, rating, score, mode)``, oldest first; with
        none, the card row goes (or, if suspended or flagged, stays as a new card)."""
        if not reviews:
            if flags == (0, 0):
                conn.execute("DELETE FROM cards WHERE question_id = ?", (qid,))
                return
            card = schedule.new_card(qid, utc_now())
            self._upsert_card(conn, qid, card, 0, 0, 0, (None, None), (None, None), *flags)
            conn.execute("UPDATE cards SET last_review = NULL, stability = NULL WHERE question_id = ?", (qid,))
            return
        card = None
        scores: list[tuple[float | None, float | None]] = [(None, None), (None, None)]
        for index, (rid, rated_at, rating, score, mode) in enumerate(reviews):
            at = parse_iso(rated_at)
            before = card or schedule.new_card(qid, at)
            card = schedule.review(scheduler, before, rating, at)
            conn.execute("UPDATE reviews SET card_before = ?, card_after = ? WHERE id = ?",
                         (before.to_json() if index else None, card.to_json(), rid))
            scores = [(score, MOCK_WEIGHT if mode == "mock" else 1.0), scores[0]]
        self._upsert_card(conn, qid, card, len(reviews), sum(1 for r in reviews if r[2] == 1),
                          sum(r[2] for r in reviews), scores[0], scores[1], *flags)

    def set_card_flags(self, question_id: str, *, suspended: bool | None = None, flagged: bool | None = None) -> None:
        """Suspend/resume or flag/unflag a question (a new card row is created if needed)."""
        with self.transaction() as conn:
            if not conn.execute("SELECT 1 FROM cards WHERE question_id = ?", (question_id,)).fetchone():
                card = schedule.new_card(question_id, utc_now())
                self._upsert_card(conn, question_id, card, 0, 0, 0, (None, None), (None, None))
                conn.execute("UPDATE cards SET last_review = NULL, stability = NULL WHERE question_id = ?",
                             (question_id,))
            if suspended is not None:
                conn.execute("UPDATE cards SET suspended = ? WHERE question_id = ?", (int(suspended), question_id))
            if flagged is not None:
                conn.execute("UPDATE cards SET flagged = ? WHERE question_id = ?", (int(flagged), question_id))

    def rebuild_cards(self, scheduler: Scheduler) -> int:
        """Recompute every card, score and tally from the review log; suspend/flag choices are kept.

        Returns the number of cards rebuilt.
        """
        with self.transaction() as conn:
            return self.rebuild_in(conn, scheduler)

    def rebuild_in(self, conn: sqlite3.Connection, scheduler: Scheduler) -> int:
        """``rebuild_cards`` inside a transaction the caller holds (a restore imports and rebuilds in one)."""
        flags = {q: (s, f) for q, s, f in conn.execute("SELECT question_id, suspended, flagged FROM cards")}
        conn.execute("DELETE FROM cards")
        for statement in TALLY_BACKFILL:
            conn.execute(statement)
        # Scores are derived from the facts of each review (rating, rubric ticks, mode), so a rebuild after a
        # change of the scoring constants reaches every old review, and a restored row without one counts.
        everything = [(rid, qid, at, rating, review_score(rating, hits, total), mode, voided)
                      for rid, qid, at, rating, hits, total, mode, voided in conn.execute(
                          "SELECT id, question_id, rated_at, rating, rubric_hits, rubric_total, mode, voided_at "
                          "FROM reviews ORDER BY question_id, rated_at, rowid")]
        conn.executemany("UPDATE reviews SET score = ? WHERE id = ? AND score IS NOT ?",
                         [(row[4], row[0], row[4]) for row in everything])
        by_question: dict[str, list[tuple[Any, ...]]] = {}
        for rid, qid, at, rating, score, mode, voided in everything:
            if voided is None:
                by_question.setdefault(qid, []).append((rid, at, rating, score, mode))
        for qid, reviews in by_question.items():
            self._replay_card(conn, qid, reviews, scheduler, flags.pop(qid, (0, 0)))
        for qid, (suspended, flagged) in flags.items():
            if suspended or flagged:
                self._replay_card(conn, qid, [], scheduler, (suspended, flagged))
        return len(by_question)

    # -- reads ---------------------------------------------------------------------------
    def cards(self, question_id: str | None = None) -> pd.DataFrame:
        """One row per question that has a card (or just ``question_id``'s): scheduling state, scores, flags."""
        where, params = ("WHERE question_id = ?", (question_id,)) if question_id else ("", ())
        return self.frame("SELECT question_id, due, stability, last_review, reps, lapses, rating_sum, score_last, "
                           f"weight_last, score_prev, weight_prev, suspended, flagged FROM cards {where}", params)

    def card_json(self, question_id: str) -> dict[str, Any] | None:
        rows = self.query("SELECT card FROM cards WHERE question_id = ?", (question_id,))
        return json.loads(rows[0][0]) if rows else None

    def review_count(self) -> int:
        """Live (not voided) reviews."""
        return int(self.query("SELECT COALESCE(SUM(reviews), 0) FROM daily_reviews")[0][0])

    def review(self, review_id: str) -> dict[str, Any] | None:
        frame = self.frame("SELECT * FROM reviews WHERE id = ?", (review_id,))
        return None if frame.empty else frame.iloc[0].to_dict()

    def reviews(self, include_voided: bool = False) -> pd.DataFrame:
        where = "" if include_voided else "WHERE voided_at IS NULL"
        return self.frame(f"SELECT * FROM reviews {where} ORDER BY rated_at")

    def _one_review(self, where: str, params: tuple[Any, ...]) -> Review | None:
        columns = [f.name for f in dataclass_fields(Review)]
        rows = self.query(f"SELECT {', '.join(columns)} FROM reviews WHERE {where} AND voided_at IS NULL "
                          "ORDER BY rated_at DESC, rowid DESC LIMIT 1", params)
        if not rows:
            return None
        try:  # a stored row is shown as it is, even one dated ahead of this machine's clock
            return Review.from_dict(dict(zip(columns, rows[0])), now=FAR_FUTURE)
        except ReviewError:
            return None  # an unreadable row is not shown; `progress rebuild` and the backup still see it

    def last_review(self, question_id: str) -> Review | None:
        """The newest live review of a question."""
        return self._one_review("question_id = ?", (question_id,))

    def last_review_in_session(self, session_id: str) -> Review | None:
        """The live review Undo would void for this session."""
        return self._one_review("session_id = ?", (session_id,))

    def new_questions_since(self, start: datetime) -> int:
        """How many questions got their first live review at or after ``start`` (the daily new-card cap)."""
        at = iso(start)
        return int(self.query(
            "SELECT COUNT(DISTINCT r.question_id) FROM reviews AS r WHERE r.voided_at IS NULL AND r.rated_at >= ? "
            "AND NOT EXISTS (SELECT 1 FROM reviews AS p WHERE p.question_id = r.question_id "
            "AND p.voided_at IS NULL AND p.rated_at < ?)", (at, at))[0][0])

    def activity(self) -> dict[str, int]:
        """Headline counts: live reviews, days with a review, questions practised."""
        total, days = self.query("SELECT COALESCE(SUM(reviews), 0), COUNT(*) FILTER (WHERE reviews > 0) "
                                 "FROM daily_reviews")[0]
        practised = self.query("SELECT COUNT(*) FROM cards WHERE reps > 0")[0][0]
        return {"reviews": int(total), "days_active": int(days), "practised": int(practised)}

    def reviews_per_day(self, since_day: str) -> pd.DataFrame:
        """Live reviews per local day from ``since_day`` (YYYY-MM-DD) on: columns day, reviews."""
        return self.frame("SELECT day, reviews FROM daily_reviews WHERE day >= ? AND reviews > 0 ORDER BY day",
                           (since_day,))

    def active_days(self) -> list[str]:
        """Every local day with at least one live review, oldest first."""
        return [r[0] for r in self.query("SELECT day FROM daily_reviews WHERE reviews > 0 ORDER BY day")]

    def has_snapshot(self, day: str) -> bool:
        return bool(self.query("SELECT 1 FROM readiness_daily WHERE day = ? LIMIT 1", (day,)))

    def write_snapshot(self, day: str, rows: list[tuple[str, float, int, int]]) -> None:
        """Readiness per category (category, readiness, solid, target) for ``day``; the first write of a day wins."""
        with self.transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO readiness_daily (day, category, readiness, solid, target) "
                             "VALUES (?, ?, ?, ?, ?)", [(day, *row) for row in rows])

    def snapshots(self) -> pd.DataFrame:
        return self.frame("SELECT day, category, readiness, solid, target FROM readiness_daily ORDER BY day")

    def missed_points(self) -> pd.DataFrame:
        """How often each rubric point was left unticked, per question (live reviews only)."""
        return self.frame("SELECT question_id, point, missed FROM rubric_misses WHERE missed > 0")
