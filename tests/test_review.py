"""A review row is read through one typed object: every field checked, the score derived, the row given back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_backup import filled

from mlprep.db import Store
from mlprep.db.backup import BackupError, export_json, import_backup
from mlprep.rating import Rating
from mlprep.review import Review, ReviewError

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)
ROW = {"id": "r1", "question_id": "q1", "rating": 3, "rated_at": "2026-10-30T09:00:00.000000Z",
       "rubric_hits": '["a"]', "rubric_missed": '["b", "c"]', "rubric_total": 3, "mode": "study",
       "local_day": "2026-10-30", "answer_text": "an answer", "duration_s": 95.5}


def test_a_review_round_trips_through_its_row_and_derives_its_score() -> None:
    review = Review.from_dict(ROW, now=NOW)
    assert review.rating is Rating.SOLID and review.rubric_missed == ("b", "c")
    assert Review.from_dict(review.to_dict(), now=NOW) == review
    assert review.score == pytest.approx(0.7 * (1 / 3) + 0.3 * 0.75)


@pytest.mark.parametrize(("field", "value"), [
    ("rated_at", "not a date"), ("rated_at", "2031-01-01T00:00:00Z"), ("rated_at", 5), ("rated_at", None),
    ("rating", "inf"), ("rating", 3.7), ("rating", True), ("rating", "3.7"), ("rating", 0), ("rating", None),
    ("rubric_missed", "not json"), ("rubric_hits", '{"a": 1}'), ("rubric_total", -1), ("rubric_total", 0),
    ("local_day", "yesterday"), ("duration_s", "long"), ("duration_s", float("nan")), ("mode", "exam"),
    ("id", ""), ("question_id", ["q"]), ("answer_text", 42),
])
def test_a_bad_field_is_refused_and_named(field: str, value: object) -> None:
    with pytest.raises(ReviewError, match=f"^{field}"):
        Review.from_dict({**ROW, field: value}, now=NOW)


@pytest.mark.parametrize(("field", "value"), [
    ("rated_at", "not a date"), ("rubric_missed", "not json"), ("rating", "inf"), ("rating", 3.7),
    ("rating", True), ("local_day", "yesterday"),
    ("rated_at", (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")),
])
def test_a_restore_with_a_bad_review_writes_nothing_and_names_the_row_and_field(
        tmp_path: Path, scheduler, field: str, value: object) -> None:
    backup = json.loads(export_json(filled(Store(tmp_path / "a"), scheduler)))
    backup["reviews"][1][field] = value
    target = Store(tmp_path / "b")
    with pytest.raises(BackupError, match=f"review 2: {field}"):
        import_backup(target, json.dumps(backup), scheduler)
    assert target.reviews(include_voided=True).empty and target.version() == 0
    import_backup(target, export_json(filled(Store(tmp_path / "c"), scheduler)), scheduler)  # later restores work
    assert target.review_count() == 3


@pytest.mark.parametrize(("table", "field", "value"), [
    ("stories", "themes", "not json"), ("stories", "title", ""), ("stories", "title", None),
    ("mock_rounds", "finished_at", "garbage"), ("readiness_daily", "day", "yesterday"),
    ("story_rehearsals", "duration_s", "long"),
])
def test_a_restore_with_a_bad_row_in_any_table_writes_nothing(tmp_path: Path, scheduler, table: str, field: str,
                                                              value: object) -> None:
    from mlprep import mock, stories

    source = filled(Store(tmp_path / "a"), scheduler)
    stories.save_story(source, stories.Story(id="", title="A story", themes=["conflict"]))
    story = stories.all_stories(source)[0]
    stories.record_rehearsal(source, "r1", story.id, started_at=1_800_000_000.0, now=1_800_000_100.0)
    mock.finished_rounds(source)
    backup = json.loads(export_json(source))
    if table == "mock_rounds":
        backup["mock_rounds"] = [{"id": "m1", "round_type": "product", "target_s": 60, "follow_up_s": 60, "seed": 0,
                                  "position": 0, "stage": "done", "created_at": "2026-01-01T00:00:00.000000Z"}]
    backup[table][0][field] = value
    target = Store(tmp_path / "b")
    with pytest.raises(BackupError, match=f"{table} row 1: {field}"):
        import_backup(target, json.dumps(backup), scheduler)
    assert target.reviews(include_voided=True).empty and target.version() == 0


def test_malformed_card_flags_are_refused(tmp_path: Path, scheduler) -> None:
    backup = json.loads(export_json(filled(Store(tmp_path / "a"), scheduler)))
    backup["card_flags"] = [{"question_id": "q", "suspended": "yes"}]
    with pytest.raises(BackupError, match="card_flags row 1: suspended"):
        import_backup(Store(tmp_path / "b"), json.dumps(backup), scheduler)
    backup["card_flags"] = "nope"
    with pytest.raises(BackupError, match="card_flags"):
        import_backup(Store(tmp_path / "b"), json.dumps(backup), scheduler)
