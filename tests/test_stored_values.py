"""Every page renders whatever is stored: arbitrary values in every setting and every row a user can edit
(stories, their links and rehearsals, mock rounds and answers, card flags) never raise on any page.

A property test under AppTest; it runs MLPREP_STORED_EXAMPLES examples (3 by default, keeping `make test`
short; set it higher for a longer run).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_pages import open_page

from components import pages
from mlprep.db import Store

EXAMPLES = int(os.environ.get("MLPREP_STORED_EXAMPLES", "3"))
ANY = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10**12, max_value=10**12),
                st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                st.sampled_from(["2026-02-30", "yesterday", "[1,2", "{}", "[]", '["conflict"]', "2099-01-01",
                                 "2026-11-01T10:00:00.000000Z", "![x](http://203.0.113.9/a.png)", "<b>hi</b>"]))
SETTING_KEYS = ("new_per_day", "answer_target_s", "interview_date", "rounds", "level", "unknown_key")


def _cell(value: object, default: object = None) -> object:
    """What SQLite can hold: NaN and None become ``default`` (NULL unless a NOT NULL column needs one)."""
    if value is None or (isinstance(value, float) and value != value):
        return default
    return value


@settings(max_examples=EXAMPLES, deadline=None, derandomize='MLPREP_STORED_EXAMPLES' not in os.environ,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(setting_values=st.fixed_dictionaries({k: ANY for k in SETTING_KEYS}),
       story=st.fixed_dictionaries({k: ANY for k in ("title", "situation", "themes", "created_at")}),
       round_row=st.fixed_dictionaries({k: ANY for k in ("round_type", "target_s", "position", "stage",
                                                           "created_at", "finished_at")}),
       answer_row=st.fixed_dictionaries({k: ANY for k in ("question_id", "follow_up", "started_at",
                                                            "answer_text", "follow_up_text")}),
       flags=st.tuples(ANY, ANY))
def test_every_page_renders_whatever_is_stored(tmp_path_factory, setting_values, story, round_row, answer_row,
                                               flags) -> None:
    data_dir = tmp_path_factory.mktemp("stored") / "data"
    os.environ["MLPREP_DATA_DIR"] = str(data_dir)
    store = Store(data_dir)
    conn = sqlite3.connect(store.path)
    for key, value in setting_values.items():
        text = value if isinstance(value, str) and value.startswith(("[", "{")) else json.dumps(value)
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"setting:{key}", text))
    conn.execute("INSERT INTO stories (id, title, situation, themes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                 ("s1", *(_cell(story[k], "") for k in ("title", "situation", "themes")),
                  _cell(story["created_at"], ""), "2026-01-01"))
    conn.execute("INSERT INTO story_links (story_id, question_id) VALUES ('s1', 'product-niche-recsys')")
    conn.execute("INSERT INTO mock_rounds (id, round_type, target_s, follow_up_s, position, stage, created_at, "
                 "finished_at) VALUES ('m1', ?, ?, 60, ?, ?, ?, ?)",
                 tuple(_cell(round_row[k], d) for k, d in
                       (("round_type", "x"), ("target_s", 60), ("position", 0), ("stage", "answer"),
                        ("created_at", ""), ("finished_at", None))))
    conn.execute("INSERT INTO mock_answers (id, round_id, position, question_id, follow_up, started_at, answer_text, "
                 "follow_up_text, review_id) VALUES ('a1', 'm1', 0, ?, ?, ?, ?, ?, 'r1')",
                 tuple(_cell(answer_row[k], d) for k, d in
                       (("question_id", "q"), ("follow_up", ""), ("started_at", None), ("answer_text", ""),
                        ("follow_up_text", ""))))
    conn.execute("INSERT INTO cards (question_id, card, due, suspended, flagged) VALUES ('product-niche-recsys', "
                 "'{}', '', ?, ?)", tuple(_cell(f, 0) for f in flags))
    conn.commit()
    conn.close()
    for page in pages.ALL:
        open_page(page.path)  # asserts no exception
    open_page(pages.MOCK.path, query={"round": "m1"})


@pytest.fixture(autouse=True)
def _restore_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLPREP_DATA_DIR", str(tmp_path / "unused"))  # restored after the test
