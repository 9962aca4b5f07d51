"""The progress store: ratings are written once, with their card, and never lost or deleted."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from mlprep.db import NewReview, Store, StoreError, new_review_id
from mlprep.db.schema import SCHEMA_VERSION

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def rate(store: Store, scheduler, qid: str, rating: int, at: datetime, **extra) -> str:
    rid = extra.pop("id", None) or new_review_id()
    store.record_review(NewReview(id=rid, question_id=qid, rating=rating, rated_at=at, **extra), scheduler)
    return rid


def test_a_new_store_uses_wal_busy_timeout_and_the_current_schema(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {r[1] for r in conn.execute("PRAGMA table_info(reviews)")}
    assert {"id", "question_id", "question_hash", "rated_at", "rating", "rubric_hits", "rubric_total",
            "answer_text", "duration_s", "mode", "session_id", "card_before", "card_after", "voided_at",
            "audio_path"} <= columns
    assert store.version() == 0


def test_recording_a_rating_writes_one_review_and_its_card_in_one_step(store: Store, scheduler) -> None:
    rid = rate(store, scheduler, "q1", 3, T0, rubric_hits=["a", "b"], rubric_missed=["c"], answer_text="my answer")
    review = store.review(rid)
    assert review["rubric_total"] == 3 and json.loads(review["rubric_hits"]) == ["a", "b"]
    assert review["card_before"] is None and json.loads(review["card_after"])["stability"] > 0
    cards = store.cards()
    assert cards.loc[0, "question_id"] == "q1" and cards.loc[0, "reps"] == 1
    assert store.version() == 1


def test_the_same_review_id_twice_writes_once(store: Store, scheduler) -> None:
    rid = rate(store, scheduler, "q1", 3, T0)
    assert not store.record_review(NewReview(id=rid, question_id="q1", rating=1), scheduler)
    assert store.review_count() == 1 and store.review(rid)["rating"] == 3


def test_again_means_tomorrow_not_in_a_minute(store: Store, scheduler) -> None:
    rate(store, scheduler, "q1", 1, T0)
    due = datetime.fromisoformat(store.cards().loc[0, "due"].replace("Z", "+00:00"))
    assert due - T0 >= timedelta(days=1)


def test_undo_voids_the_review_and_restores_the_previous_card(store: Store, scheduler) -> None:
    rate(store, scheduler, "q1", 3, T0, session_id="s")
    before = store.card_json("q1")
    second = rate(store, scheduler, "q1", 1, T0 + timedelta(days=3), session_id="s")
    assert store.void_last_review("s") == "q1"
    assert store.review(second)["voided_at"] is not None
    assert store.card_json("q1") == before
    assert store.review_count() == 1 and len(store.reviews(include_voided=True)) == 2
    assert store.void_last_review("s") == "q1"
    assert store.cards().empty
    assert store.void_last_review("s") is None


def test_rebuild_from_the_log_equals_the_incremental_state(store: Store, scheduler) -> None:
    rng = random.Random(7)
    at = T0
    for _ in range(300):
        at += timedelta(hours=rng.randint(1, 40))
        rate(store, scheduler, f"q{rng.randint(1, 12)}", rng.randint(1, 4), at, session_id="s",
             rubric_hits=["a"] * rng.randint(0, 3), rubric_missed=["b"] * rng.randint(0, 2),
             mode=rng.choice(["study", "study", "mock"]))
        if rng.random() < 0.15:
            store.void_last_review("s")
    store.set_card_flags("q3", suspended=True)
    incremental = store.cards().sort_values("question_id").reset_index(drop=True)
    tallies = (store.missed_points().sort_values(["question_id", "point"]).reset_index(drop=True),
               store.reviews_per_day("2000-01-01"), store.activity())
    store.rebuild_cards(scheduler)
    assert store.missed_points().sort_values(["question_id", "point"]).reset_index(drop=True).equals(tallies[0])
    assert store.reviews_per_day("2000-01-01").equals(tallies[1]) and store.activity() == tallies[2]
    rebuilt = store.cards().sort_values("question_id").reset_index(drop=True)
    assert incremental.drop(columns=["due", "stability", "last_review"]).equals(
        rebuilt.drop(columns=["due", "stability", "last_review"]))
    assert incremental["due"].tolist() == rebuilt["due"].tolist()
    assert incremental["stability"].round(9).tolist() == rebuilt["stability"].round(9).tolist()


def test_missed_rubric_points_are_counted_from_live_reviews(store: Store, scheduler) -> None:
    rate(store, scheduler, "q1", 2, T0, rubric_missed=["Names a guardrail"])
    rate(store, scheduler, "q1", 2, T0 + timedelta(days=1), rubric_missed=["Names a guardrail"], session_id="s")
    store.void_last_review("s")
    missed = store.missed_points()
    assert missed.to_dict("records") == [{"question_id": "q1", "point": "Names a guardrail", "missed": 1}]


def test_suspend_and_flag_survive_an_undo_of_a_new_card(store: Store, scheduler) -> None:
    rate(store, scheduler, "q1", 3, T0, session_id="s")
    store.set_card_flags("q1", flagged=True)
    store.void_last_review("s")
    row = store.cards().iloc[0]
    assert row["flagged"] == 1 and row["reps"] == 0


def test_settings_round_trip(store: Store) -> None:
    store.set_setting("interview_date", "2026-12-01")
    assert Store(store.directory).get_setting("interview_date") == "2026-12-01"
    assert store.get_setting("missing", 5) == 5


def test_a_file_that_is_not_a_database_gives_a_clear_message_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="is not a readable mlprep database.*Nothing was changed"):
        Store(tmp_path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_a_data_dir_that_is_not_writable_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:
    # Tests run as root in CI, where chmod cannot take write access away: simulate what a user would see.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(StoreError, match=f"The data directory {tmp_path} is not writable.*MLPREP_DATA_DIR"):
        Store(tmp_path)
    assert not (tmp_path / "mlprep.sqlite3").exists()


def test_a_data_dir_that_cannot_be_created_gives_a_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="Cannot create the data directory"):
        Store(blocker / "data")


def test_a_database_from_a_newer_mlprep_is_refused(tmp_path: Path) -> None:
    Store(tmp_path)
    conn = sqlite3.connect(tmp_path / "mlprep.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer mlprep"):
        Store(tmp_path)


def test_new_questions_since_counts_first_reviews_only(store: Store, scheduler) -> None:
    rate(store, scheduler, "old", 3, T0)
    rate(store, scheduler, "old", 3, T0 + timedelta(days=2))
    rate(store, scheduler, "fresh", 3, T0 + timedelta(days=2))
    assert store.new_questions_since(T0 + timedelta(days=1)) == 1


def test_a_truncated_database_is_reported_and_can_be_moved_aside_intact(tmp_path: Path, scheduler) -> None:
    from mlprep.db import UnreadableDatabase, move_aside

    store = Store(tmp_path)
    for i in range(300):
        rate(store, scheduler, f"q{i % 40}", 1 + i % 4, T0 + timedelta(hours=i), answer_text="x" * 300)
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = store.path.stat().st_size
    with open(store.path, "r+b") as handle:
        handle.truncate(size // 2)
    damaged = store.path.read_bytes()
    with pytest.raises(UnreadableDatabase, match="not a readable mlprep database"):
        Store(tmp_path)
    kept = move_aside(tmp_path)
    assert kept.read_bytes() == damaged and not store.path.exists()
    assert Store(tmp_path).review_count() == 0


def test_a_write_that_changed_nothing_leaves_the_cache_version_alone(store: Store, scheduler, bank_dir) -> None:
    from mlprep import mock
    from mlprep.bank import load_bank

    rid = rate(store, scheduler, "q1", 3, T0)
    version = store.version()
    assert store.record_review(NewReview(id=rid, question_id="q1", rating=3), scheduler) == 0  # a refused double click
    assert store.void_last_review("no-such-session") is None  # an empty Undo
    store.set_setting("new_per_day", 20)
    after_setting = store.version()
    store.set_setting("new_per_day", 20)  # the same value again
    assert store.version() == after_setting == version + 1
    bank = load_bank([bank_dir])
    round_id = mock.create_round(store, "product", [("prod-one", "Why?")], 60)
    answer = mock.load_round(store, round_id).answers[0]
    assert mock.save_text(store, answer.review_id, "my answer")
    saved = store.version()
    assert not mock.save_text(store, answer.review_id, "my answer")  # an unchanged mock answer
    assert store.version() == saved and bank.question("prod-one") is not None


def test_two_tabs_then_undo_leaves_the_card_equal_to_a_rebuild_from_the_log(store: Store, scheduler) -> None:
    rate(store, scheduler, "q1", 3, T0, session_id="tab-a")
    rate(store, scheduler, "q1", 1, T0 + timedelta(minutes=5), session_id="tab-b")
    assert store.void_last_review("tab-a", scheduler) == "q1"
    after_undo = store.cards("q1")
    assert len(after_undo) == 1 and after_undo.loc[0, "reps"] == 1  # tab B's rating still counts
    store.rebuild_cards(scheduler)
    pd.testing.assert_frame_equal(after_undo, store.cards("q1"))


def test_undo_voids_the_rating_written_last_even_when_the_clock_stepped_back(store: Store, scheduler) -> None:
    first = rate(store, scheduler, "q1", 3, T0 + timedelta(hours=2), session_id="s")
    second = rate(store, scheduler, "q2", 2, T0, session_id="s")  # written later, stamped earlier
    assert store.void_last_review("s", scheduler) == "q2"
    assert store.review(second)["voided_at"] is not None and store.review(first)["voided_at"] is None


def test_another_applications_database_is_refused_before_anything_changes(tmp_path: Path) -> None:
    path = tmp_path / "data" / "mlprep.sqlite3"
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="belongs to another application.*invoices.*changed nothing"):
        Store(path.parent)
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_mlprep_marks_its_database_and_adopts_one_it_wrote_before_marking(store: Store, tmp_path: Path) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x6D6C7072
    conn.execute("PRAGMA application_id = 0")  # as a database from before the mark
    conn.close()
    Store(store.directory)
    assert sqlite3.connect(store.path).execute("PRAGMA application_id").fetchone()[0] == 0x6D6C7072


def test_a_stale_move_aside_renames_nothing_and_the_store_recovers_without_a_restart(tmp_path: Path,
                                                                                    scheduler) -> None:
    from mlprep.db.store import NotTheSameFile, file_identity, move_aside

    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "mlprep.sqlite3").write_bytes(b"this is not a database" * 100)
    damaged = file_identity(directory / "mlprep.sqlite3")
    with pytest.raises(StoreError):
        Store(directory, check=True)
    move_aside(directory, damaged)  # tab 1 moves it aside ...
    healthy = Store(directory, check=True)
    rate(healthy, scheduler, "q1", 3, T0)  # ... and rates a card on the fresh file
    with pytest.raises(NotTheSameFile):
        move_aside(directory, damaged)  # tab 2's stale button
    assert healthy.review_count() == 1
    moved = move_aside(directory)  # the file is moved away under the running app ...
    assert moved.exists() and healthy.version() == 0 and healthy.review_count() == 0  # ... a fresh one, no crash
