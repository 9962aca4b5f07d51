"""The Bank page under AppTest: browse, upload -> preview -> save, add, edit, delete, switch banks off, export;
and the Study card's "Add rubric points" for a question of the user's own."""

from __future__ import annotations

from pathlib import Path

from corpora import corpus
from helpers import ROOT, shipped_count, shipped_files, shipped_in_category
from streamlit.testing.v1 import AppTest

from components.bank_editor import TAB, TABS
from mlprep import importers, userbank
from mlprep.bank import load_bank
from mlprep.db import Store
from mlprep.paths import SHIPPED_BANK_DIR

APP = str(ROOT / "app.py")
CSV = ("question,answer,category,difficulty,looking_for\n"
       "How would you explain a confusion matrix to a sales lead?,Start with one example.,Team list,easy,\n"
       "What would you monitor after launching a churn model?,Inputs and outcomes.,Team list,hard,"
       "Input drift|Prediction distribution|Delayed labels\n"
       "How would you explain a confusion matrix to a sales lead?,Duplicate.,Team list,easy,\n")


def open_bank(tab: str = "Questions") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/bank.py").run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return show_tab(at, tab) if tab != "Questions" else at


def show_tab(at: AppTest, tab: str) -> AppTest:
    """Open one of the Bank page's tabs (only the open one runs), as a click on it does."""
    assert tab in TABS
    at.session_state[TAB] = tab
    at.run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert not at.exception, at.exception[0].stack_trace if at.exception else ""
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def banks(data_dir: Path) -> list[str]:
    folder = userbank.banks_dir(data_dir)
    return sorted(p.name for p in folder.glob("*.yaml")) if folder.exists() else []


def test_the_bank_page_lists_every_question_and_file_with_the_shared_sidebar(data_dir: Path) -> None:
    at = open_bank()
    assert [m.label for m in at.sidebar.metric] == ["Today"]
    assert [t.value for t in at.title] == ["Bank"]
    table = at.dataframe[0].value
    assert len(table) == shipped_count() and {"id", "category", "difficulty", "kind", "rubric points", "source"} <= set(table)
    assert at.toggle.len == 0  # only the open tab runs
    at.text_input(key="bank.search").input("north-star").run()
    assert 0 < len(at.dataframe[0].value) < shipped_count()
    show_tab(at, "Banks")
    assert len(at.toggle) == shipped_files() and all(t.value for t in at.toggle)
    assert at.dataframe.len == 0


def test_upload_shows_a_preview_and_nothing_is_written_until_save(data_dir: Path) -> None:
    at = upload(open_bank("Import a file"), "team list.csv", CSV.encode("utf-8"))
    assert metrics(at)["Questions to save"] == "2" and metrics(at)["Rows left out"] == "1"
    assert metrics(at)["No rubric yet"] == "1"
    assert any("row 4: repeats the question of row 2; left out" in w.value for w in at.warning)
    assert banks(data_dir) == []
    save = at.button(key="bank.save_import")
    assert save.label == "Save 2 questions to my banks"
    save.click().run()
    assert not at.exception
    assert banks(data_dir) == ["team-list.yaml"]
    assert any("Saved 2 questions from team list.csv" in s.value for s in at.success)
    assert at.file_uploader[0].value is None  # the uploader is empty again
    loaded = load_bank(userbank.enabled_bank_paths(data_dir))
    assert len(loaded.questions) == shipped_count() + 2 and loaded.problems == []
    assert len(show_tab(at, "Questions").dataframe[0].value) == shipped_count() + 2


def test_a_bad_upload_gets_its_message_and_no_save_button(data_dir: Path) -> None:
    at = upload(open_bank("Import a file"), "semi.csv", b"question;answer\nA;B\n")
    [error] = at.error
    assert "semi.csv cannot be imported." in error.value and "semicolons" in error.value
    assert not [b for b in at.button if b.key == "bank.save_import"]
    at = upload(open_bank("Import a file"), "big.csv", b"question\n" + b"x" * (importers.MAX_IMPORT_BYTES + 1))
    assert f"the limit is {importers.MAX_IMPORT_MB} MB" in at.error[0].value
    assert banks(data_dir) == []


def test_the_ds_theory_corpus_previews_with_its_categories_and_saves(data_dir: Path) -> None:
    at = upload(open_bank("Import a file"), "ds-theory.csv", corpus("ds-theory.csv").read_bytes())
    assert metrics(at)["Questions to save"] == "166" and metrics(at)["Categories"] == "19"
    at.button(key="bank.save_import").click().run()
    assert banks(data_dir) == ["ds-theory.yaml"]
    show_tab(at, "Questions")
    assert any("ds-theory.csv: questions and community answers" in c.value for c in at.caption)  # the credit


def test_add_a_question_with_the_form(data_dir: Path) -> None:
    at = open_bank("Add a question")
    at.text_area(key="bank.add0.prompt").input("How do you choose between precision and recall?")
    at.selectbox(key="bank.add0.category").set_value("Communicating with non-technical stakeholders")
    at.selectbox(key="bank.add0.difficulty").set_value("hard")
    at.text_area(key="bank.add0.looking_for").input("Costs of errors\nWho acts on it\nA threshold example")
    at.button(key="FormSubmitter:bank.add0.form-Add question").click().run()
    assert not at.exception and not at.error
    qid = importers.make_id("How do you choose between precision and recall?")
    question = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert (question["category"], question["difficulty"], question["source"]) == (
        "Communicating with non-technical stakeholders", "hard", "mine")
    assert list(question["looking_for"]) == ["Costs of errors", "Who acts on it", "A threshold example"]
    assert at.text_area(key="bank.add1.prompt").value == ""  # a fresh form


def test_edit_then_delete_one_of_your_questions(data_dir: Path) -> None:
    upload(open_bank("Import a file"), "team.csv", CSV.encode("utf-8")).button(key="bank.save_import").click().run()
    at = open_bank("Edit or delete")
    qid = at.selectbox(key="bank.edit_id").value
    prefix = f"bank.edit.{qid}"
    assert at.text_area(key=f"{prefix}.prompt").value.startswith("How would you explain a confusion matrix")
    at.text_area(key=f"{prefix}.looking_for").input("Uses one concrete example\nNames the costly error\nNo jargon")
    at.text_area(key=f"{prefix}.answer").input("Start from a real decision.")
    at.button(key=f"FormSubmitter:{prefix}.form-Save changes").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    edited = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert len(edited["looking_for"]) == 3 and edited["answer"] == "Start from a real decision."
    assert at.button(key=f"bank.delete.{qid}").disabled
    at.checkbox(key=f"bank.delete_ok.{qid}").check().run()
    at.button(key=f"bank.delete.{qid}").click().run()
    assert load_bank(userbank.enabled_bank_paths(data_dir)).question(qid) is None
    assert any(f"Deleted `{qid}`" in s.value for s in at.success)


def test_switching_a_bank_off_takes_its_questions_out_of_the_app(data_dir: Path) -> None:
    at = open_bank("Banks")
    toggle = next(t for t in at.toggle if t.label == "fairness.yaml")
    toggle.set_value(False).run()
    assert userbank.disabled_banks(data_dir) == {"shipped/fairness.yaml"}
    assert next(t for t in at.toggle if t.label == "fairness.yaml").value is False
    assert len(show_tab(at, "Questions").dataframe[0].value) == shipped_count() - shipped_in_category(
        "Fairness, bias & ethics")
    assert SHIPPED_BANK_DIR.joinpath("fairness.yaml").exists()


def test_the_export_tab_offers_a_download_of_the_chosen_category(data_dir: Path) -> None:
    at = open_bank("Export")
    at.radio(key="bank.export_format").set_value("anki")
    at.selectbox(key="bank.export_category").set_value("Fairness, bias & ethics").run()
    [download] = at.get("download_button")
    assert download.proto.label == f"Download {shipped_in_category('Fairness, bias & ethics')} questions"


def test_a_study_card_of_your_own_without_a_rubric_says_so_and_takes_rubric_points(data_dir: Path) -> None:
    upload(open_bank("Import a file"), "team.csv", CSV.encode("utf-8")).button(key="bank.save_import").click().run()
    qid = importers.make_id("How would you explain a confusion matrix to a sales lead?")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/study.py").run()
    at.selectbox(key="layout.track").set_value("Team").run()  # the import is a track of its own
    at.text_input(key="filter.text").input(qid).run()
    assert at.session_state["study.current"]["qid"] == qid
    rid = at.session_state["study.current"]["review_id"]
    at.button(key=f"reveal_{rid}").click().run()
    assert any("No rubric yet" in i.value for i in at.info)
    assert any("badge[:material/rule: no rubric yet]" in m.value for m in at.markdown)  # the marker
    at.text_area(key=f"bank.rubric_{rid}").input("Uses one example\nNames the costly error\nAvoids jargon")
    at.button(key=f"bank.rubric_save_{rid}").click().run()
    assert not at.exception
    question = load_bank(userbank.enabled_bank_paths(data_dir)).question(qid)
    assert list(question["looking_for"]) == ["Uses one example", "Names the costly error", "Avoids jargon"]
    assert len(at.checkbox) >= 3  # the same card now has its rubric to tick
    at.button(key=f"rate_{rid}_3").click().run()
    assert Store(data_dir).reviews().iloc[0]["question_id"] == qid


def test_a_bank_of_thousands_sends_one_page_of_rows_and_a_searchable_edit_list(data_dir: Path) -> None:
    from mlprep.userbank import dump_yaml

    questions = [{"id": f"big-{i:04d}", "prompt": f"Big question number {i} about topic {i % 7}?",
                  "difficulty": "easy", "kind": "explain", "answer": "An answer.", "source": "mine"}
                 for i in range(1_500)]
    folder = userbank.banks_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big.yaml").write_text(dump_yaml({"category": "Big", "questions": questions}), encoding="utf-8")
    at = open_bank()
    assert len(at.dataframe[0].value) == 1_000
    assert any(f"{1_500 + shipped_count():,} of {1_500 + shipped_count():,} questions match; the first 1,000" in c.value
               for c in at.caption)
    show_tab(at, "Edit or delete")
    assert len(at.selectbox(key="bank.edit_id").options) == 300
    at.text_input(key="bank.edit_find").input("number 1234 ").run()
    picker = at.selectbox(key="bank.edit_id")
    assert picker.options == ["Big · Big question number 1234 about topic 2?"] and picker.value == "big-1234"
    assert at.text_area(key="bank.edit.big-1234.prompt").value == "Big question number 1234 about topic 2?"
    at.text_input(key="bank.edit_find").input("big-0042").run()
    assert at.selectbox(key="bank.edit_id").value == "big-0042"
