"""Random and mutated backups: a restore either succeeds or refuses with one line naming the row and field,
never writes part of a file, and every page renders afterwards.

MLPREP_RESTORE_EXAMPLES sets how many mutated backups are tried (25 by default, well under a minute).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_backup import filled
from test_pages import open_page

from components import pages
from mlprep.db import Store
from mlprep.db.backup import BackupError, export_json, import_backup
from mlprep.schedule import make_scheduler

EXAMPLES = int(os.environ.get("MLPREP_RESTORE_EXAMPLES", "25"))
VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                   st.text(max_size=30), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                                               st.integers(), max_size=2),
                   st.sampled_from(["not a date", "2031-01-01T00:00:00Z", "inf", "3.7", "[1,", "{}", "yesterday",
                                    "2026-11-01T10:00:00.000000Z", "![x](http://203.0.113.9/a.png)"]))
TABLES = ["reviews", "stories", "story_links", "story_rehearsals", "mock_rounds", "mock_answers",
          "readiness_daily", "card_flags", "settings"]


def source_backup(tmp: Path) -> dict:
    from mlprep import stories

    store = filled(Store(tmp / "source"), make_scheduler())
    stories.save_story(store, stories.Story(id="", title="A story", themes=["conflict"], situation="S"))
    return json.loads(export_json(store))


@settings(max_examples=EXAMPLES, deadline=None, derandomize='MLPREP_RESTORE_EXAMPLES' not in os.environ,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutations=st.lists(st.tuples(st.sampled_from(TABLES), st.integers(0, 5), st.text(max_size=15), VALUES),
                          min_size=1, max_size=4),
       whole=st.one_of(st.none(), VALUES))
def test_a_mutated_backup_restores_or_is_refused_whole_and_pages_still_render(tmp_path_factory, mutations,
                                                                           whole) -> None:
    tmp = tmp_path_factory.mktemp("restore")
    backup = source_backup(tmp)
    for table, index, field, value in mutations:
        rows = backup.get(table)
        if table == "settings" and isinstance(rows, dict):
            rows[field or "new_per_day"] = value
        elif isinstance(rows, list) and rows:
            row = rows[index % len(rows)]
            if isinstance(row, dict) and row:
                row[field if field and index % 2 else next(iter(row))] = value
            else:
                rows[index % len(rows)] = value  # a row that is no longer a mapping is replaced whole
        else:
            backup[table] = value
    if whole is not None:
        backup[TABLES[len(mutations) % len(TABLES)]] = whole
    target = Store(tmp / "target")
    version = target.version()
    try:
        text = json.dumps(backup)
    except ValueError:
        return  # not representable as JSON: nothing to restore
    try:
        import_backup(target, text, make_scheduler())
    except BackupError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 400
        assert target.version() == version and target.reviews(include_voided=True).empty  # nothing written
        return
    os.environ["MLPREP_DATA_DIR"] = str(target.directory)
    for page in pages.ALL:
        open_page(page.path)  # asserts no exception


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLPREP_DATA_DIR", str(tmp_path / "unused"))  # put back after the test
