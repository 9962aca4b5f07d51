"""Settings: one validated object; an unreadable stored value falls back with a note and never crashes a page."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from test_pages import open_page

from mlprep.db import Store
from mlprep.settings import Settings, SettingsError
from mlprep.study import DEFAULT_NEW_PER_DAY, Filters, build_queue


def test_settings_round_trip_through_to_dict_and_from_dict() -> None:
    chosen = Settings(new_per_day=7, answer_target_s=150, interview_date=date(2026, 12, 3),
                      rounds=("product", "llm"), level="senior")
    assert Settings.from_dict(chosen.to_dict()) == chosen
    assert Settings.parse(chosen.to_dict()) == chosen
    assert Settings.from_dict({}) == Settings()


@pytest.mark.parametrize(("key", "value"), [
    ("new_per_day", "abc"), ("new_per_day", 3.7), ("new_per_day", True), ("new_per_day", -1),
    ("answer_target_s", 10_000), ("interview_date", "not a date"), ("interview_date", "1066-10-14"),
    ("interview_date", 20261203), ("rounds", "product"), ("rounds", ["no-such-round"]), ("rounds", [1, 2]),
    ("level", "principal"), ("level", ["senior"]),
])
def test_an_unreadable_value_falls_back_to_its_default_with_a_note(key: str, value: object) -> None:
    settings = Settings.from_dict({key: value, "new_per_day": 9} if key != "new_per_day" else {key: value})
    assert getattr(settings, key) == getattr(Settings(), key)
    assert len(settings.notes) == 1 and settings.notes[0].startswith(key)
    if key != "new_per_day":
        assert settings.new_per_day == 9  # the readable values are kept
    with pytest.raises(SettingsError, match=key):
        Settings.parse({key: value})


def test_settings_given_as_a_list_are_refused_strictly_and_ignored_leniently() -> None:
    with pytest.raises(SettingsError):
        Settings.parse([1, 2])
    assert Settings.from_dict([1, 2]) == Settings()  # type: ignore[arg-type]


def test_saving_the_same_settings_again_bumps_no_version(store: Store) -> None:
    store.save_settings(Settings(new_per_day=5))
    version = store.version()
    store.save_settings(Settings(new_per_day=5))
    assert store.version() == version
    store.save_settings(Settings(new_per_day=6))
    assert store.version() == version + 1 and store.settings().new_per_day == 6


def test_a_malformed_stored_setting_is_read_as_its_default_with_a_note(store: Store) -> None:
    store.set_setting("interview_date", "yesterday")
    store.set_setting("new_per_day", "abc")
    settings = store.settings()
    assert settings.interview_date is None and settings.new_per_day == DEFAULT_NEW_PER_DAY
    assert len(settings.notes) == 2


@pytest.mark.parametrize("stored", [(date.today() - timedelta(days=1)).isoformat(), "not a date", "2026-02-30"])
def test_every_page_renders_with_a_past_or_malformed_interview_date(data_dir: Path, stored: str) -> None:
    Store(data_dir).set_setting("interview_date", stored)
    for page in ("app.py", "pages/study.py", "pages/dashboard.py", "pages/settings.py", "pages/mock.py"):
        open_page(page)  # asserts no exception
    at = open_page("pages/settings.py")
    shown = " ".join(m.value for m in at.warning) + " ".join(m.value for m in at.info)
    assert ("has passed" in shown) if stored[0] == "2" and stored != "2026-02-30" else ("could not be read" in shown)


def test_the_settings_form_saves_level_and_rounds(data_dir: Path) -> None:
    at = open_page("pages/settings.py")
    at.selectbox[0].set_value("senior")
    at.multiselect[0].set_value(["llm", "leadership"])
    submit = [b for b in at.button if "Save settings" in str(b.label)]
    submit[0].click().run()
    assert not at.exception
    saved = Store(data_dir).settings()
    assert saved.level == "senior" and saved.rounds == ("llm", "leadership")


def _scores(levels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "id": list(levels), "category": ["C"] * len(levels), "category_slug": ["c"] * len(levels),
        "prompt": list(levels), "difficulty": ["easy"] * len(levels), "tags": [[] for _ in levels],
        "level": list(levels.values()), "practised": False, "suspended": False, "score": 0.0,
        "due": pd.Timestamp("2026-01-01", tz="UTC")})


def test_new_questions_at_or_below_the_target_level_come_first() -> None:
    scores = _scores({"a-staff": "staff", "b-senior": "senior", "c-mid": "mid", "d-any": "any"})
    mid = build_queue(scores, "new", Filters(), level="mid").ids
    assert set(mid[:2]) == {"c-mid", "d-any"} and set(mid[2:]) == {"a-staff", "b-senior"}
    assert build_queue(scores, "new", Filters(), level="any").ids == build_queue(scores, "new", Filters()).ids
    staff = build_queue(scores, "new", Filters(), level="staff").ids
    assert len(staff) == 4


def test_saving_settings_while_another_program_holds_the_lock_is_one_line_and_loses_nothing(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import mlprep.db.store as store_module

    Store(data_dir).save_settings(Settings(new_per_day=7))
    at = open_page("pages/settings.py")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)  # do not wait 5 s for the lock in a test
    holder = sqlite3.connect(Store(data_dir).path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        at.number_input[0].set_value(9)
        [b for b in at.button if "Save settings" in str(b.label)][0].click().run()
        assert not at.exception
        assert any("is busy" in e.value and "nothing was lost" in e.value for e in at.error)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Store(data_dir).settings().new_per_day == 7  # the old value is intact; nothing half-written
