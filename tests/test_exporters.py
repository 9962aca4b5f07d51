"""Exporters: CSV keeps every field (and imports back the same), Anki text is what Anki's importer reads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from corpora import corpus
from helpers import shipped_count, shipped_in_category
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep import exporters, importers, userbank, weak_areas
from mlprep.bank import follow_ups_for_yaml, load_bank
from mlprep.cli import main
from mlprep.paths import SHIPPED_BANK_DIR

COMPARED = [f for f in importers.QUESTION_FIELDS]


def shipped() -> pd.DataFrame:
    return load_bank([SHIPPED_BANK_DIR]).questions


def as_plain(question: dict) -> dict:
    """The compared fields; follow-ups in the file form (coached ones as {ask, good_reply}), level "any" as unset."""
    plain = {k: list(v) if hasattr(v, "tolist") or isinstance(v, list) else v
             for k, v in question.items() if k in COMPARED}
    if "follow_up_replies" in question:
        plain["follow_ups"] = follow_ups_for_yaml(list(plain.get("follow_ups") or []),
                                                  [list(r) for r in question["follow_up_replies"]])
    plain["level"] = "" if question.get("level") in (None, "", "any") else question["level"]
    return plain


def one_question(**fields) -> pd.DataFrame:
    base = {"id": "q-1", "category": "Product sense & business impact", "category_slug": "product-sense-business-impact",
            "prompt": "P", "answer": "", "difficulty": "easy", "kind": "scenario", "tags": [], "looking_for": [],
            "follow_ups": [], "pitfalls": [], "strong_answer": [], "framework": "", "source": "original",
            "clarify_first": None}
    return pd.DataFrame([{**base, **fields}])


def rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


# --- CSV ----------------------------------------------------------------------------------------------------------

def test_csv_has_every_field_with_lists_joined() -> None:
    frame = one_question(tags=["metrics", "north-star"], looking_for=["a", "b", "c"], follow_ups=["f1", "f2"])
    header, row = rows(exporters.to_csv(frame))
    assert header == exporters.CSV_COLUMNS
    cell = dict(zip(header, row))
    assert (cell["tags"], cell["looking_for"], cell["follow_ups"]) == ("metrics|north-star", "a\nb\nc", "f1\nf2")


def test_cells_a_spreadsheet_would_run_get_an_apostrophe_from_the_shared_rule() -> None:
    assert exporters.safe_cell is weak_areas.safe_cell
    frame = one_question(prompt="=1+1 is?", answer="-- dashes", framework="@mention", looking_for=["+a", "b", "c"])
    _, row = rows(exporters.to_csv(frame))
    cell = dict(zip(exporters.CSV_COLUMNS, row))
    assert (cell["prompt"], cell["answer"], cell["framework"], cell["looking_for"]) == (
        "'=1+1 is?", "'-- dashes", "'@mention", "'+a\nb\nc")
    [back] = importers.read_questions("x.csv", exporters.to_csv(frame).encode()).questions
    assert (back["prompt"], back["answer"], back["framework"], back["looking_for"]) == (
        "=1+1 is?", "-- dashes", "@mention", ["+a", "b", "c"])
    quoted = one_question(answer="'=already quoted")
    assert rows(exporters.to_csv(quoted))[1][3] == "''=already quoted"
    [back] = importers.read_questions("q.csv", exporters.to_csv(quoted).encode()).questions
    assert back["answer"] == "'=already quoted"


TEXT = st.text(alphabet=st.sampled_from(list("ab Z9=+-@'\",;|#\t\n<>&é—")), min_size=1, max_size=40)
ITEM = TEXT.map(lambda t: " ".join(t.split())).filter(lambda t: t and t[0] not in "-*" and not t[0].isdigit())


@settings(max_examples=150, deadline=None)
@given(prompt=TEXT, answer=TEXT, framework=ITEM, points=st.lists(ITEM, min_size=3, max_size=5),
       follow_ups=st.lists(ITEM, max_size=2))
def test_any_text_survives_csv_export_and_import(prompt, answer, framework, points, follow_ups) -> None:
    prompt = prompt.strip()
    if not prompt:
        return
    frame = one_question(prompt=prompt, answer=answer.strip(), framework=framework, looking_for=points,
                         follow_ups=follow_ups, source="original")
    [back] = importers.read_questions("x.csv", exporters.to_csv(frame).encode()).questions
    assert as_plain(back) == as_plain(frame.to_dict("records")[0])


def test_the_shipped_bank_exported_to_csv_imports_back_identical() -> None:
    questions = shipped()
    result = importers.read_questions("bank.csv", exporters.to_csv(questions).encode())
    assert len(result.questions) == len(questions) == shipped_count()
    assert [m for m in result.messages if m.skipped] == []
    original = {q["id"]: as_plain(q) for q in questions.to_dict("records")}
    assert {q["id"]: as_plain(q) for q in result.questions} == original


def test_the_corpora_saved_loaded_exported_and_imported_again_keep_every_question_and_field(data_dir: Path) -> None:
    for name in ("ds-theory.csv", "behavioral.csv"):
        result = importers.read_path(corpus(name))
        userbank.save_import(data_dir, userbank.plan_import(data_dir, result, load_bank([])))
    loaded = load_bank([userbank.banks_dir(data_dir)])
    assert loaded.problems == [] and len(loaded.questions) == 282
    again = importers.read_questions("again.csv", exporters.to_csv(loaded.questions).encode())
    assert {q["id"]: as_plain(q) for q in again.questions} == \
        {q["id"]: as_plain(q) for q in loaded.questions.to_dict("records")}


def test_one_category_by_name_or_slug_and_a_clear_error_for_an_unknown_one() -> None:
    questions = shipped()
    by_name = exporters.select_category(questions, "fairness,  bias & ETHICS")
    by_slug = exporters.select_category(questions, "fairness-bias-ethics")
    assert len(by_name) == len(by_slug) == shipped_in_category("Fairness, bias & ethics") and set(by_name["category"]) == {"Fairness, bias & ethics"}
    with pytest.raises(ValueError, match="no category 'nope'; the categories are: Behavioral"):
        exporters.select_category(questions, "nope")


# --- Anki ---------------------------------------------------------------------------------------------------------

def test_anki_text_has_anki_header_lines_and_three_fields_per_note() -> None:
    questions = shipped()
    text = exporters.to_anki(questions)
    lines = text.split("\n")
    assert lines[:5] == ["#separator:tab", "#html:true", "#notetype:Basic", "#columns:Front\tBack\tTags",
                         "#tags column:3"]
    notes = rows("\n".join(lines[5:]), delimiter="\t")
    assert len(notes) == shipped_count() and all(len(n) == 3 for n in notes)
    assert all("\n" not in field and '"' not in field for n in notes for field in n)  # no cell needs quoting
    front, back, tags = notes[0]
    first = questions.iloc[0]
    assert back.startswith("<b>What the interviewer is looking for</b><ul><li>")
    assert "<b>Outline of a strong answer</b>" in back
    assert f"mlprep::{first['category_slug']}" in tags.split() and f"difficulty::{first['difficulty']}" in tags.split()
    assert " ".join(first["prompt"].split()).startswith(front[:40].replace("&#x27;", "'").replace("&amp;", "&"))


def test_anki_fields_escape_html_and_keep_the_answer() -> None:
    frame = one_question(prompt="# Why <script>x</script>?\n\nSecond paragraph", answer="Line 1\nLine\t2 & <b>",
                         tags=["two words", 'q"uote'])
    _, _, body = exporters.to_anki(frame).partition("#tags column:3\n")
    [[front, back, tags]] = rows(body, delimiter="\t")
    assert front == "&#35; Why &lt;script&gt;x&lt;/script&gt;?<br><br>Second paragraph"
    assert back == "Line 1<br>Line    2 &amp; &lt;b&gt;"
    assert tags.split() == ["two-words", "quote", "mlprep::product-sense-business-impact", "difficulty::easy"]


def test_anki_export_imports_back_with_prompts_categories_difficulties_and_tags() -> None:
    questions = shipped()
    result = importers.read_questions("mlprep.txt", exporters.to_anki(questions).encode(),
                                      known_categories=sorted(set(questions["category"])))
    assert len(result.questions) == shipped_count()
    by_prompt = {" ".join(q["prompt"].split()): q for q in result.questions}
    for q in questions.to_dict("records"):
        back = by_prompt[" ".join(q["prompt"].split())]
        assert (back["category"], back["difficulty"], back["tags"]) == (q["category"], q["difficulty"], list(q["tags"]))
        assert q["looking_for"][0] in back["answer"]


# --- the command line ------------------------------------------------------------------------------------------------

def test_export_bank_writes_csv_to_stdout_and_anki_for_one_category_to_a_file(data_dir: Path, tmp_path: Path,
                                                                            capsys) -> None:
    assert main(["export-bank", "--format", "csv"]) == 0
    assert len(rows(capsys.readouterr().out)) == shipped_count() + 1
    out = tmp_path / "fair.txt"
    assert main(["export-bank", "--format", "anki", "--category", "fairness-bias-ethics", "--output", str(out)]) == 0
    assert f"wrote {shipped_in_category('Fairness, bias & ethics')} question(s)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8").startswith("#separator:tab\n#html:true\n")


def test_export_bank_with_an_unknown_category_is_a_one_line_error(data_dir: Path, capsys) -> None:
    assert main(["export-bank", "--category", "Astrology"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlprep: error: no category 'Astrology'") and err.count("\n") == 1
