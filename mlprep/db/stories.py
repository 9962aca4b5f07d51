"""The rows of STAR stories, their links to questions and their rehearsals.

``mlprep.stories`` validates stories and turns these rows into ``Story`` objects; this module only reads
and writes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from mlprep.db.store import Store

STORY_COLUMNS = ["id", "title", "situation", "task", "action", "result", "learned", "themes", "created_at",
                 "updated_at"]
REHEARSAL_COLUMNS = ["id", "story_id", "started_at", "duration_s", "target_s", "audio_path", "rehearsed_at"]


def upsert_story(store: Store, row: dict[str, Any], question_ids: Iterable[str]) -> None:
    """Insert or update one story row (``created_at`` is kept on update) and replace its links."""
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO stories ({', '.join(STORY_COLUMNS)}) VALUES ({', '.join('?' * len(STORY_COLUMNS))}) "
            "ON CONFLICT(id) DO UPDATE SET title = excluded.title, situation = excluded.situation, "
            "task = excluded.task, action = excluded.action, result = excluded.result, "
            "learned = excluded.learned, themes = excluded.themes, updated_at = excluded.updated_at",
            tuple(row[c] for c in STORY_COLUMNS))
        _replace_links(conn, row["id"], question_ids)


def _replace_links(conn: Any, story_id: str, question_ids: Iterable[str]) -> None:
    conn.execute("DELETE FROM story_links WHERE story_id = ?", (story_id,))
    conn.executemany("INSERT OR IGNORE INTO story_links (story_id, question_id) VALUES (?, ?)",
                     [(story_id, qid) for qid in dict.fromkeys(question_ids)])


def delete_story(store: Store, story_id: str) -> bool:
    """Delete a story with its links and rehearsal times; returns whether it existed."""
    with store.transaction() as conn:
        gone = conn.execute("DELETE FROM stories WHERE id = ?", (story_id,)).rowcount
        conn.execute("DELETE FROM story_links WHERE story_id = ?", (story_id,))
        conn.execute("DELETE FROM story_rehearsals WHERE story_id = ?", (story_id,))
    return bool(gone)


def set_links(store: Store, story_id: str, question_ids: Iterable[str]) -> None:
    """Link a story to exactly these questions."""
    with store.transaction() as conn:
        _replace_links(conn, story_id, question_ids)


def add_link(store: Store, story_id: str, question_id: str) -> bool:
    """Link one more question to an existing story; returns whether a link was added (False: no such story,
    or linked already)."""
    with store.transaction() as conn:
        return bool(conn.execute("INSERT OR IGNORE INTO story_links (story_id, question_id) "
                                 "SELECT id, ? FROM stories WHERE id = ?", (question_id, story_id)).rowcount)


def story_rows(store: Store, story_id: str | None = None, question_id: str | None = None) -> list[dict[str, Any]]:
    """Story rows by title (all, one id, or those linked to a question), each with its ``question_ids``."""
    where, params = "", ()
    if story_id is not None:
        where, params = "WHERE id = ?", (story_id,)
    elif question_id is not None:
        where, params = "WHERE id IN (SELECT story_id FROM story_links WHERE question_id = ?)", (question_id,)
    rows = store.query(f"SELECT {', '.join(STORY_COLUMNS)} FROM stories {where} "
                       "ORDER BY title COLLATE NOCASE, created_at", params)
    links: dict[str, list[str]] = {}
    for sid, qid in store.query("SELECT story_id, question_id FROM story_links ORDER BY question_id"):
        links.setdefault(sid, []).append(qid)
    return [{**dict(zip(STORY_COLUMNS, r)), "question_ids": links.get(r[0], [])} for r in rows]


def insert_rehearsal(store: Store, row: dict[str, Any]) -> bool:
    """Keep one rehearsal (idempotent on its id); False when the story is gone or it was already kept."""
    with store.transaction() as conn:
        if not conn.execute("SELECT 1 FROM stories WHERE id = ?", (row["story_id"],)).fetchone():
            return False
        return bool(conn.execute(
            f"INSERT OR IGNORE INTO story_rehearsals ({', '.join(REHEARSAL_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(REHEARSAL_COLUMNS))})", tuple(row[c] for c in REHEARSAL_COLUMNS)).rowcount)


def rehearsal_rows(store: Store, story_id: str, limit: int) -> list[dict[str, Any]]:
    """A story's rehearsals, newest first."""
    rows = store.query(f"SELECT {', '.join(REHEARSAL_COLUMNS)} FROM story_rehearsals WHERE story_id = ? "
                       "ORDER BY rehearsed_at DESC LIMIT ?", (story_id, int(limit)))
    return [dict(zip(REHEARSAL_COLUMNS, r)) for r in rows]
