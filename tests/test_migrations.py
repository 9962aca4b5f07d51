"""Old databases upgrade in place with every row kept.

tests/fixtures/schema-v2.sqlite3 was written by the first released schema (v2) and is never regenerated;
each later schema must open it, upgrade it and keep every row.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from mlprep.db import Store
from mlprep.db.schema import MIGRATIONS, SCHEMA_VERSION, statements

FIXTURES = sorted(Path(__file__).with_name("fixtures").glob("schema-v*.sqlite3"))


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_a_released_database_upgrades_in_place_with_every_row_kept(fixture: Path, tmp_path: Path) -> None:
    shutil.copy(fixture, tmp_path / "mlprep.sqlite3")
    before = _counts(tmp_path / "mlprep.sqlite3")
    store = Store(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    after = _counts(store.path)
    assert {t: after[t] for t in before} == before
    reviews = store.reviews(include_voided=True)
    assert set(reviews["id"]) >= {"review-0", "review-1", "review-2", "review-3"}
    assert store.get_setting("interview_date") == "2026-12-15"
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_the_first_released_schema_fixture_is_kept() -> None:
    assert any(f.name == "schema-v2.sqlite3" for f in FIXTURES)


def test_a_pre_release_v1_database_upgrades_too(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "mlprep.sqlite3")
    for statement in statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("INSERT INTO reviews (id, question_id, rated_at, rating) VALUES ('r1', 'q1', "
                 "'2026-11-01T09:00:00.000000Z', 3)")
    conn.execute("INSERT INTO stories (id, title, created_at, updated_at) VALUES ('s1', 'Outage', 'x', 'x')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.reviews()["id"].tolist() == ["r1"]
    assert _counts(store.path)["stories"] == 1
