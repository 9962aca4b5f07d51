"""The rows of mock interview rounds (``mock_rounds``, ``mock_answers``): a round's progress survives a refresh.

Times that a countdown resumes from are UTC epoch seconds. ``mlprep.mock`` turns these rows into
``MockRound`` objects and plans and summarises rounds; this module only reads and writes them.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from mlprep.db.store import Store
from mlprep.timeutil import iso

STAGE_ANSWER = "answer"
STAGE_FOLLOW_UP = "follow_up"
STAGE_GRADING = "grading"
STAGE_DONE = "done"

ROUND_COLUMNS = ["id", "round_type", "target_s", "follow_up_s", "seed", "position", "stage", "created_at",
                 "finished_at", "abandoned_at"]
ANSWER_COLUMNS = ["id", "round_id", "position", "question_id", "follow_up", "review_id", "started_at",
                  "answered_at", "answer_text", "audio_path", "follow_up_started_at", "follow_up_ended_at",
                  "follow_up_text", "follow_up_audio_path", "follow_up_hits", "follow_up_missed"]


def _iso_epoch(epoch: float) -> str:
    return iso(datetime.fromtimestamp(epoch, UTC))


def insert_round(store: Store, round_type: str, plan: Sequence[tuple[str, str]], target_s: int,
                 follow_up_s: int, seed: int, at: float) -> str:
    """Save a new round with its questions and show the first one; returns the round id."""
    round_id = uuid.uuid4().hex
    with store.transaction() as conn:
        conn.execute("INSERT INTO mock_rounds (id, round_type, target_s, follow_up_s, seed, position, stage, "
                     "created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                     (round_id, round_type, target_s, follow_up_s, seed, STAGE_ANSWER, _iso_epoch(at)))
        for position, (qid, follow_up) in enumerate(plan):
            conn.execute("INSERT INTO mock_answers (id, round_id, position, question_id, follow_up) "
                         "VALUES (?, ?, ?, ?, ?)", (uuid.uuid4().hex, round_id, position, qid, follow_up or ""))
        _show(conn, round_id, 0, at)
    return round_id


def _show(conn: sqlite3.Connection, round_id: str, position: int, at: float) -> None:
    """Put a question on screen: mint its review id and start its clock (once)."""
    conn.execute("UPDATE mock_answers SET review_id = ?, started_at = ? "
                 "WHERE round_id = ? AND position = ? AND review_id IS NULL",
                 (uuid.uuid4().hex, at, round_id, position))


def round_rows(store: Store, round_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A round's row and its answers' rows (by position), or None if there is no such round."""
    rows = store.query(f"SELECT {', '.join(ROUND_COLUMNS)} FROM mock_rounds WHERE id = ?", (round_id,))
    if not rows:
        return None
    answers = store.query(f"SELECT {', '.join(ANSWER_COLUMNS)} FROM mock_answers WHERE round_id = ? "
                          "ORDER BY position", (round_id,))
    return dict(zip(ROUND_COLUMNS, rows[0])), [dict(zip(ANSWER_COLUMNS, row)) for row in answers]


def open_round_id(store: Store) -> str | None:
    """The newest round still being answered or graded (not abandoned), if any."""
    rows = store.query("SELECT id FROM mock_rounds WHERE finished_at IS NULL AND abandoned_at IS NULL "
                       "ORDER BY created_at DESC LIMIT 1")
    return str(rows[0][0]) if rows else None


def _save_answer_column(store: Store, review_id: str, column: str, value: str | None) -> bool:
    with store.transaction() as conn:
        changed = conn.execute(
            f"UPDATE mock_answers SET {column} = ? WHERE review_id = ? AND {column} IS NOT ? AND round_id IN "
            "(SELECT id FROM mock_rounds WHERE stage IN (?, ?) AND abandoned_at IS NULL)",
            (value, review_id, value, STAGE_ANSWER, STAGE_FOLLOW_UP)).rowcount
    return bool(changed)


def save_text(store: Store, review_id: str, text: str, follow_up: bool = False) -> bool:
    """Keep what the candidate typed so far, only while the round is being answered.

    Returns whether a row changed (the same text again changes nothing and bumps no version).
    """
    return _save_answer_column(store, review_id, "follow_up_text" if follow_up else "answer_text", text or "")


def save_audio(store: Store, review_id: str, audio_path: str | None, follow_up: bool = False) -> bool:
    """Keep the recording of an answer (a path under the data dir, or None when it was deleted)."""
    return _save_answer_column(store, review_id, "follow_up_audio_path" if follow_up else "audio_path", audio_path)


def advance(store: Store, round_id: str, review_id: str, stage: str, text: str | None, at: float) -> bool:
    """Save the answer (or follow-up) on screen and move on; a stale or double click changes nothing."""
    with store.transaction() as conn:
        row = conn.execute("SELECT r.position, r.stage, a.position, a.follow_up FROM mock_rounds AS r "
                           "JOIN mock_answers AS a ON a.round_id = r.id WHERE r.id = ? AND a.review_id = ? "
                           "AND r.abandoned_at IS NULL", (round_id, review_id)).fetchone()
        if row is None or row[1] != stage or row[0] != row[2] or stage not in (STAGE_ANSWER, STAGE_FOLLOW_UP):
            return False
        position, follow_up = row[0], row[3]
        if stage == STAGE_ANSWER:
            if text is not None:
                conn.execute("UPDATE mock_answers SET answer_text = ? WHERE review_id = ?", (text, review_id))
            conn.execute("UPDATE mock_answers SET answered_at = ? WHERE review_id = ?", (at, review_id))
            if follow_up:
                conn.execute("UPDATE mock_answers SET follow_up_started_at = ? WHERE review_id = ?",
                             (at, review_id))
                conn.execute("UPDATE mock_rounds SET stage = ? WHERE id = ?", (STAGE_FOLLOW_UP, round_id))
                return True
        else:
            if text is not None:
                conn.execute("UPDATE mock_answers SET follow_up_text = ? WHERE review_id = ?", (text, review_id))
            conn.execute("UPDATE mock_answers SET follow_up_ended_at = ? WHERE review_id = ?", (at, review_id))
        total = conn.execute("SELECT COUNT(*) FROM mock_answers WHERE round_id = ?", (round_id,)).fetchone()[0]
        if position + 1 < total:
            conn.execute("UPDATE mock_rounds SET position = ?, stage = ? WHERE id = ?",
                         (position + 1, STAGE_ANSWER, round_id))
            _show(conn, round_id, position + 1, at)
        else:
            conn.execute("UPDATE mock_rounds SET stage = ? WHERE id = ?", (STAGE_GRADING, round_id))
    return True


def abandon(store: Store, round_id: str, at: float) -> None:
    """Mark a round abandoned (its answers stay)."""
    with store.transaction() as conn:
        conn.execute("UPDATE mock_rounds SET abandoned_at = ? WHERE id = ? AND finished_at IS NULL "
                     "AND abandoned_at IS NULL", (_iso_epoch(at), round_id))


def grade_follow_up(store: Store, round_id: str, review_id: str, hits: Sequence[str], missed: Sequence[str]) -> bool:
    """Keep the candidate's grade of a follow-up reply (good-reply points covered and missed) while the round is
    being graded; a second grade of the same reply changes nothing. Returns whether a row changed."""
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE mock_answers SET follow_up_hits = ?, follow_up_missed = ? WHERE review_id = ? AND round_id = ? "
            "AND follow_up_hits IS NULL AND round_id IN (SELECT id FROM mock_rounds WHERE stage = ? "
            "AND abandoned_at IS NULL)",
            (json.dumps(list(hits), ensure_ascii=False), json.dumps(list(missed), ensure_ascii=False), review_id,
             round_id, STAGE_GRADING)).rowcount
    return bool(changed)


def finish_if_graded(store: Store, round_id: str, finished: datetime) -> None:
    """Close the round once every answer has a live review."""
    with store.transaction() as conn:
        left = conn.execute("SELECT COUNT(*) FROM mock_answers AS a WHERE a.round_id = ? AND NOT EXISTS "
                            "(SELECT 1 FROM reviews AS r WHERE r.id = a.review_id AND r.voided_at IS NULL)",
                            (round_id,)).fetchone()[0]
        if left == 0:
            conn.execute("UPDATE mock_rounds SET stage = ?, finished_at = ? WHERE id = ? AND finished_at IS NULL",
                         (STAGE_DONE, iso(finished), round_id))


def graded_reviews(store: Store, review_ids: Sequence[str]) -> dict[str, tuple[int, list[str], list[str]]]:
    """For each live review among ``review_ids``: its rating, rubric points ticked and missed."""
    if not review_ids:
        return {}
    rows = store.query(f"SELECT id, rating, rubric_hits, rubric_missed FROM reviews WHERE voided_at IS NULL "
                       f"AND id IN ({', '.join('?' * len(review_ids))})", tuple(review_ids))
    return {r[0]: (int(r[1]), json.loads(r[2] or "[]"), json.loads(r[3] or "[]")) for r in rows}


def finished_rounds(store: Store) -> int:
    """How many mock rounds were answered and fully graded."""
    return int(store.query("SELECT COUNT(*) FROM mock_rounds WHERE finished_at IS NOT NULL")[0][0])


def past_rounds(store: Store, limit: int = 20) -> pd.DataFrame:
    """The newest finished rounds: id, round type, when, questions."""
    return store.frame(
        "SELECT r.id, r.round_type, r.finished_at, COUNT(a.id) AS questions FROM mock_rounds AS r "
        "JOIN mock_answers AS a ON a.round_id = r.id WHERE r.finished_at IS NOT NULL "
        "GROUP BY r.id ORDER BY r.finished_at DESC LIMIT ?", (int(limit),))
