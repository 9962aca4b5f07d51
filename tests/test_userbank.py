"""User banks: imports saved inside the data dir, added/edited/deleted questions, banks switched on and off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from corpora import corpus
from helpers import ROOT, SMALL_BANK, shipped_count, shipped_in_category

from mlprep import exporters, importers, userbank
from mlprep.bank import load_bank
from mlprep.cli import main
from mlprep.db import NewReview, Store, new_review_id
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.schedule import make_scheduler
from mlprep.timeutil import utc_now
from mlprep.userbank import BankEditError


def everything(data_dir: Path):
    return load_bank(userbank.all_bank_paths(data_dir))


def import_file(data_dir: Path, name: str, text: str | bytes) -> userbank.ImportPlan:
    data = text.encode("utf-8") if isinstance(text, str) else text
    existing = everything(data_dir)
    plan = userbank.plan_import(data_dir, importers.read_questions(name, data, existing.categories), existing)
    userbank.save_import(data_dir, plan)
    return plan


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- imports ---------------------------------------------------------------------------------------------------------

def test_both_corpora_are_saved_in_the_data_dir_and_load_as_studyable_questions(data_dir: Path) -> None:
    for name in ("ds-theory.csv", "behavioral.csv"):
        import_file(data_dir, name, corpus(name).read_bytes())
    assert files_in(userbank.banks_dir(data_dir)) == [".lock", "behavioral.yaml", "ds-theory.yaml"]
    bank = load_bank(userbank.enabled_bank_paths(data_dir))
    assert bank.problems == [] and len(bank.questions) == shipped_count() + 166 + 116
    mine = userbank.own_questions(data_dir, bank.questions)
    assert len(mine) == 282 and (mine["looking_for"].map(len) == 0).all()
    assert mine.groupby("category").size()["Neural networks for computer vision"] == 13
    assert not list(ROOT.joinpath("data").rglob("ds-theory*"))  # never in the repository


def test_an_uploaded_name_cannot_point_outside_the_banks_folder(data_dir: Path) -> None:
    banks = userbank.banks_dir(data_dir)
    assert userbank.target_path(data_dir, "../../../etc/evil name.csv") == banks / "evil-name.yaml"
    assert userbank.target_path(data_dir, "..\\..\\x\\Week 1 — stats.CSV") == banks / "week-1-stats.yaml"
    assert userbank.target_path(data_dir, "...") == banks / "imported.yaml"
    assert userbank.target_path(data_dir, "my-questions.yaml") == banks / "my-questions-imported.yaml"


def test_questions_already_in_the_bank_are_left_out_and_named(data_dir: Path) -> None:
    shipped_csv = exporters.to_csv(load_bank([SHIPPED_BANK_DIR]).questions.head(3))
    text = shipped_csv + "new-one,Mine,A brand new question?,,easy,explain,,,,,,,\n"
    plan = import_file(data_dir, "mixed.csv", text)
    assert [q["id"] for q in plan.questions] == ["new-one"] and plan.already_there == 3
    [message] = plan.messages
    assert message.skipped and str(message).startswith("left out, id already in behavioral.yaml: ")
    same_prompt = "question\nA BRAND new   question?\n"
    existing = everything(data_dir)
    plan = userbank.plan_import(data_dir, importers.read_questions("other.csv", same_prompt.encode()), existing)
    assert plan.questions == [] and "same question already in mixed.yaml" in str(plan.messages[0])
    with pytest.raises(BankEditError, match="nothing to save"):
        userbank.save_import(data_dir, plan)
    assert not (userbank.banks_dir(data_dir) / "other.yaml").exists()


def test_importing_the_same_file_again_replaces_it_and_keeps_rubric_points_added(data_dir: Path) -> None:
    import_file(data_dir, "notes.csv", "question,answer\nQ one?,A1\nQ two?,A2\n")
    qid = importers.make_id("Q one?")
    path = userbank.banks_dir(data_dir) / "notes.yaml"
    userbank.update_question(data_dir, path, qid, {"looking_for": ["p1", "p2", "p3"]})
    plan = import_file(data_dir, "notes.csv", "question,answer\nQ one?,A1 better\nQ three?,A3\n")
    assert (plan.replaces, plan.removed, plan.kept_edits) == (2, 1, 1)
    bank = load_bank([path])
    assert sorted(bank.questions["prompt"]) == ["Q one?", "Q three?"]
    assert list(bank.question(qid)["looking_for"]) == ["p1", "p2", "p3"] and bank.question(qid)["answer"] == "A1 better"


def test_a_bad_file_writes_nothing(data_dir: Path) -> None:
    for name, data in [("empty.csv", b""), ("semi.csv", b"question;answer\nA;B\n"), ("bin.csv", b"\x00\x01" * 50)]:
        with pytest.raises(importers.ImportFailed):
            importers.read_questions(name, data)
    assert main(["import", str(ROOT / "app.py")]) == 2  # a Python file: no question column
    assert files_in(userbank.banks_dir(data_dir)) == []


def test_a_write_the_loader_would_reject_leaves_the_old_file_and_no_temp_file(data_dir: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import_file(data_dir, "keep.csv", "question\nStays?\n")
    path = userbank.banks_dir(data_dir) / "keep.yaml"
    before = path.read_bytes()
    with pytest.raises(BankEditError, match="at least 3 points"):
        userbank.update_question(data_dir, path, importers.make_id("Stays?"), {"looking_for": ["only", "two"]})
    monkeypatch.setattr(userbank, "dump_yaml", lambda doc: "category: X\nquestions:\n  - id: BAD ID\n")
    with pytest.raises(BankEditError, match="not saved: BAD ID: prompt: missing or empty"):
        userbank.update_question(data_dir, path, importers.make_id("Stays?"), {"answer": "x"})
    assert path.read_bytes() == before
    assert files_in(path.parent) == [".lock", "keep.yaml"]


# --- the command line -------------------------------------------------------------------------------------------------

def test_cli_import_saves_a_bank_and_stats_sees_it(data_dir: Path, capsys) -> None:
    assert main(["import", str(corpus("behavioral.csv"))]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"saved 116 question(s) from behavioral.csv to {userbank.banks_dir(data_dir)}/behavioral.yaml")
    assert "note: no difficulty column: every question is set to medium" in err
    assert main(["stats", "--json"]) == 0
    assert f'"questions": {shipped_count() + 116}' in capsys.readouterr().out


def test_cli_dry_run_writes_nothing_and_errors_are_one_line(data_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["import", "--dry-run", str(corpus("ds-theory.csv"))]) == 0
    assert capsys.readouterr().out.startswith("would save 166 question(s) from ds-theory.csv")
    assert files_in(userbank.banks_dir(data_dir)) == []
    (tmp_path / "semi.csv").write_text("question;answer\nA;B\n", encoding="utf-8")
    for path in (tmp_path / "semi.csv", tmp_path / "missing.csv"):
        assert main(["import", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("mlprep: error: ") and err.count("\n") == 1
    assert files_in(userbank.banks_dir(data_dir)) == []


# --- add, edit, delete ----------------------------------------------------------------------------------------------------

def test_a_question_added_in_the_app_goes_to_my_questions_without_a_rubric(data_dir: Path) -> None:
    qid = userbank.add_question(data_dir, {"prompt": "How do you pick a threshold?", "category": "",
                                           "answer": "By cost.", "tags": ["metrics"]}, everything(data_dir))
    doc = yaml.safe_load((userbank.banks_dir(data_dir) / "my-questions.yaml").read_text(encoding="utf-8"))
    assert doc["category"] == "My questions"
    assert doc["questions"] == [{"id": qid, "prompt": "How do you pick a threshold?", "difficulty": "medium",
                                 "kind": "explain", "tags": ["metrics"], "answer": "By cost.", "source": "mine"}]
    question = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert (question["category"], list(question["looking_for"])) == ("My questions", [])


def test_add_refuses_duplicates_and_short_rubrics(data_dir: Path) -> None:
    fields = {"prompt": "Explain precision to a PM.", "difficulty": "easy", "kind": "explain",
              "category": "Communicating with non-technical stakeholders"}
    qid = userbank.add_question(data_dir, fields, everything(data_dir))
    question = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert question["category"] == "Communicating with non-technical stakeholders" and question["source"] == "mine"
    with pytest.raises(BankEditError, match="already in the bank"):
        userbank.add_question(data_dir, {**fields, "prompt": "explain  PRECISION to a PM."}, everything(data_dir))
    with pytest.raises(BankEditError, match="at least 3 points"):
        userbank.add_question(data_dir, {**fields, "prompt": "New?", "looking_for": ["a"]}, everything(data_dir))
    shipped_prompt = load_bank([SHIPPED_BANK_DIR]).questions.iloc[0]["prompt"]
    with pytest.raises(BankEditError, match="already in the bank"):
        userbank.add_question(data_dir, {**fields, "prompt": shipped_prompt}, everything(data_dir))


def test_editing_keeps_the_id_and_the_reviews_and_deleting_keeps_the_reviews(data_dir: Path) -> None:
    import_file(data_dir, "mine.csv", "question,answer,category\nWhat is drift?,Change.,MLOps\nKeep me?,Yes,MLOps\n")
    qid = importers.make_id("What is drift?")
    path = userbank.banks_dir(data_dir) / "mine.yaml"
    bank = load_bank(userbank.enabled_bank_paths(data_dir))
    store = Store(data_dir)
    store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=3, question_hash=bank.question(qid)["hash"],
                                  category="MLOps", rubric_hits=[], rubric_missed=[], answer_text="", clarify_text="",
                                  duration_s=10, session_id="s", audio_path=None, rated_at=utc_now()), make_scheduler())
    userbank.update_question(data_dir, path, qid, {"prompt": "What is data drift?", "difficulty": "hard",
                                                   "looking_for": ["Defines it", "Gives an example", "Says how to watch"]})
    edited = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert (edited["prompt"], edited["difficulty"], len(edited["looking_for"])) == ("What is data drift?", "hard", 3)
    assert edited["hash"] != bank.question(qid)["hash"] and edited["answer"] == "Change."
    userbank.delete_question(data_dir, path, qid)
    after = load_bank(userbank.enabled_bank_paths(data_dir))
    assert after.question(qid) is None and after.question(importers.make_id("Keep me?")) is not None
    assert list(Store(data_dir).reviews()["question_id"]) == [qid]


def test_the_shipped_bank_cannot_be_edited_or_deleted_from(data_dir: Path) -> None:
    shipped_file = SHIPPED_BANK_DIR / "fairness.yaml"
    before = shipped_file.read_bytes()
    with pytest.raises(BankEditError, match="shipped bank is read-only"):
        userbank.update_question(data_dir, shipped_file, "fair-biased-feature", {"prompt": "x"})
    with pytest.raises(BankEditError, match="shipped bank is read-only"):
        userbank.delete_question(data_dir, "data/questions/fairness.yaml", "fair-biased-feature")
    assert shipped_file.read_bytes() == before


# --- on and off ---------------------------------------------------------------------------------------------------------

def test_switched_off_banks_are_not_loaded_by_the_app_or_the_command_line(data_dir: Path, capsys) -> None:
    assert userbank.enabled_bank_paths(data_dir) == userbank.all_bank_paths(data_dir)
    import_file(data_dir, "extra.yaml", SMALL_BANK)
    assert len(load_bank(userbank.enabled_bank_paths(data_dir)).questions) == shipped_count() + 3
    extra = userbank.banks_dir(data_dir) / "extra.yaml"
    userbank.set_bank_enabled(data_dir, extra, False)
    userbank.set_bank_enabled(data_dir, SHIPPED_BANK_DIR / "fairness.yaml", False)
    assert userbank.disabled_banks(data_dir) == {"banks/extra.yaml", "shipped/fairness.yaml"}
    without_fairness = shipped_count() - shipped_in_category("Fairness, bias & ethics")
    assert len(load_bank(userbank.enabled_bank_paths(data_dir)).questions) == without_fairness
    assert main(["stats", "--json"]) == 0 and f'"questions": {without_fairness}' in capsys.readouterr().out
    states = {s.key: (s.mine, s.enabled) for s in userbank.bank_file_states(data_dir)}
    assert states["banks/extra.yaml"] == (True, False) and states["shipped/fairness.yaml"] == (False, False)
    userbank.set_bank_enabled(data_dir, extra, True)
    assert len(load_bank(userbank.enabled_bank_paths(data_dir)).questions) == without_fairness + 3


def test_a_broken_settings_file_means_every_bank_is_on(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / userbank.SETTINGS_FILE).write_text("{not json", encoding="utf-8")
    assert userbank.disabled_banks(data_dir) == set()


def test_a_quick_second_edit_of_the_same_size_is_still_seen_by_the_bank_cache(data_dir: Path) -> None:
    import_file(data_dir, "fast.csv", "question,answer\nQ?,aaaa\n")
    path = userbank.banks_dir(data_dir) / "fast.yaml"
    qid = importers.make_id("Q?")
    load_bank([path])
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp, stamp))
    userbank.update_question(data_dir, path, qid, {"answer": "bbbb"})
    assert load_bank([path]).question(qid)["answer"] == "bbbb"


def test_two_imports_whose_names_have_no_latin_letters_never_overwrite_each_other(data_dir: Path) -> None:
    first = "question,category\nWhy this team?,Поведение\n"
    second = "question,category\nTell me about a conflict.,התנהגות\n"
    import_file(data_dir, "面试题.csv", first.encode("utf-8"))
    import_file(data_dir, "行为问题.csv", second.encode("utf-8"))
    files = sorted(p.name for p in userbank.banks_dir(data_dir).glob("*.yaml"))
    assert len(files) == 2, files
    bank = load_bank(userbank.enabled_bank_paths(data_dir))
    ours = bank.questions[bank.questions["source"].str.startswith("imported:")]
    assert sorted(ours["prompt"]) == ["Tell me about a conflict.", "Why this team?"]
    assert ours["category_slug"].nunique() == 2 and all(ours["category_slug"])
    import_file(data_dir, "面试题.csv", first.encode("utf-8"))  # the same file again replaces its own import
    assert len(list(userbank.banks_dir(data_dir).glob("*.yaml"))) == 2


def test_category_slugs_stay_distinct_for_emoji_cyrillic_and_hebrew_names() -> None:
    from mlprep.bank import slugify

    names = ["🚀", "🎯", "Поведение", "Этика", "התנהגות", "Product sense & business impact", "Éthique"]
    slugs = [slugify(n) for n in names]
    assert len(set(slugs)) == len(names) and all(slugs)
    assert slugs[-2:] == ["product-sense-business-impact", "ethique"]  # Latin names keep their slugs
