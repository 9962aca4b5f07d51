"""The database schema: forward migrations (``PRAGMA user_version``) and the tallies derived from the log."""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 3

# Running tallies of the live review log, kept in the same transaction as each rating and Undo (so the
# Dashboard never scans the log) and recomputed from the log by rebuild_cards.
TALLY_BACKFILL = (
    "DELETE FROM rubric_misses",
    "DELETE FROM daily_reviews",
    "INSERT INTO rubric_misses (question_id, point, missed) SELECT r.question_id, j.value, COUNT(*) "
    "FROM reviews AS r, json_each(r.rubric_missed) AS j WHERE r.voided_at IS NULL GROUP BY r.question_id, j.value",
    "INSERT INTO daily_reviews (day, reviews) SELECT local_day, COUNT(*) FROM reviews WHERE voided_at IS NULL "
    "GROUP BY local_day",
)

# Forward migrations: MIGRATIONS[n] takes a database from user_version n-1 to n.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT OR IGNORE INTO meta (key, value) VALUES ('version', '0');
    CREATE TABLE IF NOT EXISTS reviews (
        id TEXT PRIMARY KEY,
        question_id TEXT NOT NULL,
        question_hash TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL DEFAULT '',
        rated_at TEXT NOT NULL,
        local_day TEXT NOT NULL DEFAULT '',
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        rubric_hits TEXT NOT NULL DEFAULT '[]',
        rubric_missed TEXT NOT NULL DEFAULT '[]',
        rubric_total INTEGER NOT NULL DEFAULT 0,
        score REAL,
        answer_text TEXT NOT NULL DEFAULT '',
        clarify_text TEXT NOT NULL DEFAULT '',
        duration_s REAL,
        mode TEXT NOT NULL DEFAULT 'study',
        session_id TEXT,
        card_before TEXT,
        card_after TEXT,
        voided_at TEXT,
        audio_path TEXT
    );
    CREATE INDEX IF NOT EXISTS reviews_by_question ON reviews (question_id, rated_at);
    CREATE INDEX IF NOT EXISTS reviews_by_time ON reviews (rated_at);
    CREATE INDEX IF NOT EXISTS reviews_by_day ON reviews (local_day);
    CREATE TABLE IF NOT EXISTS cards (
        question_id TEXT PRIMARY KEY,
        card TEXT NOT NULL,
        due TEXT NOT NULL,
        stability REAL,
        last_review TEXT,
        reps INTEGER NOT NULL DEFAULT 0,
        lapses INTEGER NOT NULL DEFAULT 0,
        rating_sum INTEGER NOT NULL DEFAULT 0,
        score_last REAL,
        weight_last REAL,
        score_prev REAL,
        weight_prev REAL,
        suspended INTEGER NOT NULL DEFAULT 0,
        flagged INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS readiness_daily (
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        readiness REAL NOT NULL,
        solid INTEGER NOT NULL,
        target INTEGER NOT NULL,
        PRIMARY KEY (day, category)
    );
    CREATE TABLE IF NOT EXISTS stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        situation TEXT NOT NULL DEFAULT '',
        task TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL DEFAULT '',
        result TEXT NOT NULL DEFAULT '',
        learned TEXT NOT NULL DEFAULT '',
        themes TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS story_links (
        story_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        PRIMARY KEY (story_id, question_id)
    );
    """,
    # Mock interview rounds (mlprep.mock) and story rehearsals (mlprep.stories). Times that a timer
    # resumes from are UTC epoch seconds (REAL); every row has a text (UUID) primary key for backups.
    2: """
    CREATE TABLE IF NOT EXISTS mock_rounds (
        id TEXT PRIMARY KEY,
        round_type TEXT NOT NULL,
        target_s INTEGER NOT NULL,
        follow_up_s INTEGER NOT NULL,
        seed INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL DEFAULT 0,
        stage TEXT NOT NULL DEFAULT 'answer',
        created_at TEXT NOT NULL,
        finished_at TEXT,
        abandoned_at TEXT
    );
    CREATE TABLE IF NOT EXISTS mock_answers (
        id TEXT PRIMARY KEY,
        round_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        follow_up TEXT NOT NULL DEFAULT '',
        review_id TEXT UNIQUE,
        started_at REAL,
        answered_at REAL,
        answer_text TEXT NOT NULL DEFAULT '',
        audio_path TEXT,
        follow_up_started_at REAL,
        follow_up_ended_at REAL,
        follow_up_text TEXT NOT NULL DEFAULT '',
        follow_up_audio_path TEXT,
        UNIQUE (round_id, position)
    );
    CREATE TABLE IF NOT EXISTS story_rehearsals (
        id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        started_at REAL NOT NULL,
        duration_s REAL NOT NULL,
        target_s INTEGER NOT NULL,
        audio_path TEXT,
        rehearsed_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS story_rehearsals_by_story ON story_rehearsals (story_id, rehearsed_at);
    CREATE INDEX IF NOT EXISTS story_links_by_question ON story_links (question_id);
    CREATE TABLE IF NOT EXISTS rubric_misses (
        question_id TEXT NOT NULL,
        point TEXT NOT NULL,
        missed INTEGER NOT NULL,
        PRIMARY KEY (question_id, point)
    );
    CREATE TABLE IF NOT EXISTS daily_reviews (day TEXT PRIMARY KEY, reviews INTEGER NOT NULL);
    """ + "\n".join(f"{s};" for s in TALLY_BACKFILL),
    # The candidate's grade of each follow-up reply against its coaching (what a good reply covers): JSON lists
    # of the points covered and missed; NULL until graded (and for rounds graded before this version).
    3: """
    ALTER TABLE mock_answers ADD COLUMN follow_up_hits TEXT;
    ALTER TABLE mock_answers ADD COLUMN follow_up_missed TEXT;
    """,
}


def statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def migrate(conn: sqlite3.Connection, current: int) -> None:
    """Take a database from ``current`` to SCHEMA_VERSION, one committed transaction per version."""
    for version in range(current + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
