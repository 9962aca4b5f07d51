"""Progress backup and restore: every column, idempotent, all or nothing, same dashboard after a move."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from mlprep.bank import load_bank
from mlprep.cli import main
from mlprep.db import NewReview, Store, new_review_id
from mlprep.db.backup import BackupError, export_csv, export_json, import_backup
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.readiness import category_readiness, question_scores
from mlprep.timeutil import utc_now

NOW = utc_now()


def filled(store: Store, scheduler) -> Store:
    for i, (qid, rating) in enumerate([("product-niche-recsys", 3), ("fair-underrepresented-bias", 1),
                                       ("product-niche-recsys", 4), ("monitor-recsys-design", 2)]):
        store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=rating, session_id="s",
                                      rated_at=NOW - timedelta(days=10 - i), rubric_hits=["a"],
                                      rubric_missed=["b"], answer_text=f"answer {i}, with \"quotes\"\nand lines"),
                            scheduler)
    store.void_last_review("s")
    store.set_card_flags("fair-underrepresented-bias", flagged=True)
    store.set_card_flags("comms-explain-to-executive", suspended=True)
    store.set_setting("interview_date", "2027-01-15")
    store.write_snapshot("2026-11-01", [("Overall", 0.2, 2, 80)])
    return store


def dashboard_figures(store: Store, scheduler) -> pd.DataFrame:
    questions = load_bank([SHIPPED_BANK_DIR]).questions
    return category_readiness(question_scores(questions, store.cards(), scheduler, NOW))


def test_json_restore_into_an_empty_data_dir_gives_the_same_dashboard(tmp_path: Path, scheduler) -> None:
    source = filled(Store(tmp_path / "a"), scheduler)
    target = Store(tmp_path / "b")
    result = import_backup(target, export_json(source), scheduler)
    assert result.added["reviews"] == 4 and result.added["readiness_daily"] == 1
    pd.testing.assert_frame_equal(dashboard_figures(source, scheduler), dashboard_figures(target, scheduler))
    assert target.reviews(include_voided=True).drop(columns=[]).equals(source.reviews(include_voided=True))
    flags = target.cards().set_index("question_id")
    assert flags.loc["fair-underrepresented-bias", "flagged"] == 1
    assert flags.loc["comms-explain-to-executive", "suspended"] == 1
    assert target.get_setting("interview_date") == "2027-01-15"


def test_importing_twice_adds_nothing(tmp_path: Path, scheduler) -> None:
    source = filled(Store(tmp_path / "a"), scheduler)
    text = export_json(source)
    target = Store(tmp_path / "b")
    import_backup(target, text, scheduler)
    again = import_backup(target, text, scheduler)
    assert sum(again.added.values()) == 0 and again.skipped["reviews"] == 4
    assert len(target.reviews(include_voided=True)) == 4


def test_csv_keeps_every_column_of_the_review_log(tmp_path: Path, scheduler) -> None:
    source = filled(Store(tmp_path / "a"), scheduler)
    text = export_csv(source)
    assert text.splitlines()[0].split(",") == list(source.reviews(include_voided=True).columns)
    target = Store(tmp_path / "b")
    assert import_backup(target, text, scheduler).added["reviews"] == 4
    original = source.reviews(include_voided=True).set_index("id")
    restored = target.reviews(include_voided=True).set_index("id")
    for column in ("answer_text", "rubric_hits", "rating", "voided_at", "card_after", "local_day"):
        assert restored[column].fillna("").astype(str).tolist() == original[column].fillna("").astype(str).tolist()


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("{not json", "not valid JSON"),
    ('{"format": "other"}', "not an mlprep progress backup"),
    ("a,b\n1,2\n", "missing column(s) id, question_id, rated_at, rating"),
    ("id,question_id,rated_at,rating\nr1,q,2026-01-01T00:00:00.000000Z,9\n", "outside 1-4"),
])
def test_a_bad_backup_is_refused_with_a_reason_and_changes_nothing(tmp_path: Path, scheduler, text, message) -> None:
    store = filled(Store(tmp_path / "a"), scheduler)
    before = store.reviews(include_voided=True)
    with pytest.raises(BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_backup(store, text, scheduler)
    assert store.reviews(include_voided=True).equals(before)


def test_a_bad_row_halfway_rolls_the_whole_import_back(tmp_path: Path, scheduler) -> None:
    data = json.loads(export_json(filled(Store(tmp_path / "a"), scheduler)))
    data["reviews"][-1]["rating"] = "x"
    target = Store(tmp_path / "b")
    with pytest.raises(BackupError, match="not a number"):
        import_backup(target, json.dumps(data), scheduler)
    assert target.review_count() == 0


def test_the_command_line_round_trip(tmp_path: Path, scheduler, capsys) -> None:
    filled(Store(tmp_path / "a"), scheduler)
    backup_file = tmp_path / "progress.json"
    assert main(["progress", "export", str(backup_file), "--data-dir", str(tmp_path / "a")]) == 0
    assert main(["progress", "import", str(backup_file), "--data-dir", str(tmp_path / "b")]) == 0
    assert "4 new reviews" in capsys.readouterr().out
    assert main(["progress", "import", str(tmp_path / "missing.json"), "--data-dir", str(tmp_path / "b")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_a_restored_review_without_a_score_counts_exactly_as_one_with_it(tmp_path: Path, scheduler) -> None:
    source = filled(Store(tmp_path / "a"), scheduler)
    backup = json.loads(export_json(source))
    for row in backup["reviews"]:
        row.pop("score")
    target = Store(tmp_path / "b")
    import_backup(target, json.dumps(backup), scheduler)
    pd.testing.assert_frame_equal(dashboard_figures(source, scheduler), dashboard_figures(target, scheduler))
    def practised(store: Store) -> pd.DataFrame:  # a never-rated card's due date is when its row was made
        cards = store.cards()
        return cards[cards["reps"] > 0].sort_values("question_id", ignore_index=True)

    pd.testing.assert_frame_equal(practised(source), practised(target))
    assert target.reviews()["score"].notna().all()  # the cache column is filled again by the rebuild


def test_a_change_of_the_scoring_constants_then_a_rebuild_reaches_every_old_review(
        tmp_path: Path, scheduler, monkeypatch: pytest.MonkeyPatch) -> None:
    store = filled(Store(tmp_path / "a"), scheduler)
    before = store.cards().set_index("question_id")["score_last"]
    monkeypatch.setattr("mlprep.readiness.RUBRIC_WEIGHT", 0.2)
    monkeypatch.setattr("mlprep.readiness.RATING_WEIGHT", 0.8)
    store.rebuild_cards(scheduler)
    after = store.cards().set_index("question_id")["score_last"]
    # product-niche-recsys's last live review: Nailed it (1.0) with 1 of 2 points ticked
    assert after["product-niche-recsys"] == pytest.approx(0.2 * 0.5 + 0.8 * 1.0)
    assert before["product-niche-recsys"] == pytest.approx(0.7 * 0.5 + 0.3 * 1.0)
    live = store.reviews()
    assert live["score"].tolist() == pytest.approx([0.2 * 0.5 + 0.8 * {1: 0, 2: 0.4, 3: 0.75, 4: 1}[r]
                                                    for r in live["rating"]])


def test_settings_in_a_backup_are_checked_before_anything_is_written(tmp_path: Path, scheduler) -> None:
    source = filled(Store(tmp_path / "a"), scheduler)
    backup = json.loads(export_json(source))
    backup["settings"]["new_per_day"] = "abc"
    target = Store(tmp_path / "b")
    with pytest.raises(BackupError, match="new_per_day"):
        import_backup(target, json.dumps(backup), scheduler)
    assert target.reviews(include_voided=True).empty


def _graded_round(store: Store, scheduler) -> str:
    """A finished mock round of one shipped question whose follow-up reply was graded."""
    from mlprep import mock

    bank = load_bank([SHIPPED_BANK_DIR])
    question = bank.question("product-niche-recsys")
    ask = question["follow_ups"][0]
    rid = mock.create_round(store, "mixed", [(question["id"], ask)], 60)
    while (rnd := mock.load_round(store, rid)).in_progress:
        mock.advance(store, rid, rnd.current.review_id, rnd.stage, text="an answer")
    coaching = mock.follow_up_coaching(question, ask)
    mock.grade_answer(store, scheduler, rid, rnd.answers[0].review_id, question, question["looking_for"][:1],
                      follow_up_ticked=coaching[:1])
    return rid


def test_a_graded_follow_up_travels_in_the_backup_and_an_older_backup_without_it_still_imports(
        tmp_path: Path, scheduler) -> None:
    from mlprep import mock

    source = Store(tmp_path / "a")
    rid = _graded_round(source, scheduler)
    expected = mock.load_round(source, rid).answers[0]
    assert expected.follow_up_hits and expected.follow_up_missed is not None
    text = export_json(source)
    target = Store(tmp_path / "b")
    import_backup(target, text, scheduler)
    restored = mock.load_round(target, rid).answers[0]
    assert (restored.follow_up_hits, restored.follow_up_missed) == (expected.follow_up_hits,
                                                                    expected.follow_up_missed)
    # A backup written before follow-ups were graded has no such fields: it imports, the reply is ungraded.
    old = json.loads(text)
    for row in old["mock_answers"]:
        del row["follow_up_hits"], row["follow_up_missed"]
    older = Store(tmp_path / "c")
    import_backup(older, json.dumps(old), scheduler)
    assert mock.load_round(older, rid).answers[0].follow_up_hits is None
    # A damaged grade is refused, naming the row and field, and nothing is written.
    bad = json.loads(text)
    bad["mock_answers"][0]["follow_up_hits"] = "not a list"
    with pytest.raises(BackupError, match="mock_answers row 1: follow_up_hits"):
        import_backup(Store(tmp_path / "d"), json.dumps(bad), scheduler)
    assert mock.load_round(Store(tmp_path / "d"), rid) is None
