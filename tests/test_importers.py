"""Importers: YAML, CSV and Anki plain text become bank questions; bad files get one clear message."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from corpora import corpus
from helpers import ROOT, SMALL_BANK

from mlprep import importers
from mlprep.importers import ImportFailed, html_to_markdown, make_id, read_questions

DS_THEORY_CATEGORIES = {
    "Classification": 19, "Regularization": 15, "Text classification": 14, "Linear regression": 13,
    "Neural networks for computer vision": 13, "Optimization in neural networks": 12, "Ranking and search": 11,
    "Random forest": 9, "Neural networks": 9, "Gradient boosting": 8, "Clustering": 7, "Time series": 7,
    "Validation": 6, "Decision trees": 6, "Recommender systems": 6, "Feature selection": 5,
    "Dimensionality reduction": 3, "Parameter tuning": 2, "Supervised machine learning": 1,
}


def read(name: str, text: str | bytes, **kwargs) -> importers.ImportResult:
    return read_questions(name, text if isinstance(text, bytes) else text.encode("utf-8"), **kwargs)


def messages(result: importers.ImportResult) -> list[str]:
    return [str(m) for m in result.messages]


# --- the real corpora ---------------------------------------------------------------------------------------------

def test_ds_theory_imports_every_row_with_its_categories_and_difficulties() -> None:
    result = importers.read_path(corpus("ds-theory.csv"))
    assert (len(result.questions), result.rows_read, result.skipped_rows) == (166, 166, 0)
    assert result.categories() == DS_THEORY_CATEGORIES  # the non-breaking spaces became plain spaces
    assert result.difficulties() == {"easy": 40, "medium": 113, "hard": 13}
    assert result.kinds() == {"explain": 166}
    assert all(q["answer"] and not q["looking_for"] for q in result.questions)  # studyable: answer, no rubric yet
    assert all(q["source"] == "imported:ds-theory.csv" for q in result.questions)
    assert not [m for m in result.messages if m.skipped]
    linear = next(q for q in result.questions if q["prompt"] == "What is linear regression? When do we use it?")
    assert "```\ny = B0 + B1*x1 + ... + Bn * xN\n```" in linear["answer"]  # long Markdown kept as it is


def test_behavioral_imports_every_row_as_behavioral_questions_at_medium() -> None:
    result = importers.read_path(corpus("behavioral.csv"))
    assert (len(result.questions), result.skipped_rows) == (116, 0)
    assert result.categories() == {"Behavioral": 116}
    assert result.difficulties() == {"medium": 116}
    assert result.kinds() == {"behavioral": 116}
    assert "no difficulty column: every question is set to medium" in messages(result)
    tags = {t for q in result.questions for t in q["tags"]}
    assert "Airbnb Software Engineer behavioral interview questions" in tags and len(tags) == 12
    assert all(not q["answer"] and not q["looking_for"] for q in result.questions)


def test_corpus_ids_are_unique_stable_slugs_with_a_hash() -> None:
    for name in ("ds-theory.csv", "behavioral.csv"):
        first = [q["id"] for q in importers.read_path(corpus(name)).questions]
        again = [q["id"] for q in importers.read_path(corpus(name)).questions]
        assert first == again and len(set(first)) == len(first)
        assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{6}", qid) for qid in first)


def test_files_shaped_like_the_corpora_import_without_them() -> None:
    # The same shapes as ../shared/corpora, written here so a clone on its own covers them too:
    # CRLF rows, a category with non-breaking spaces, a multi-paragraph Markdown answer with a code block,
    # and a list with no difficulty column whose tags name where each question came from.
    theory = ("question,answer,category,difficulty\r\n"
              '"What is linear regression? When do we use it?","A linear model.\n\n```\ny = B0 + B1*x1\n```\n\n'
              '- when the target is continuous",Linear\u00a0regression,easy\r\n'
              "What is AUC?,Area under the ROC curve.,Classification,medium\r\n")
    result = read("ds-theory.csv", theory)
    assert (len(result.questions), result.rows_read, result.skipped_rows) == (2, 2, 0)
    assert result.categories() == {"Linear regression": 1, "Classification": 1}
    assert result.difficulties() == {"easy": 1, "medium": 1}
    assert "```\ny = B0 + B1*x1\n```" in result.questions[0]["answer"]
    assert all(q["answer"] and not q["looking_for"] for q in result.questions)
    behavioral = ("question,category,tags\r\n"
                  "Why do you want to work for X company?,Behavioral,Most commonly asked questions\r\n"
                  "Tell me about a time you disagreed with your manager.,Behavioral,Amazon\r\n")
    result = read("behavioral.csv", behavioral)
    assert result.kinds() == {"behavioral": 2} and result.difficulties() == {"medium": 2}
    assert "no difficulty column: every question is set to medium" in messages(result)
    assert {t for q in result.questions for t in q["tags"]} == {"Most commonly asked questions", "Amazon"}


# --- ids, difficulty, kind ---------------------------------------------------------------------------------------------

def test_an_id_is_the_prompts_first_words_and_six_hex_of_its_hash() -> None:
    qid = make_id("What is the bias–variance trade-off, and why does it matter in practice?")
    assert re.fullmatch(r"what-is-the-bias-variance-trade-off-and-[0-9a-f]{6}", qid)
    assert make_id("  what is THE bias–variance  trade-off, and why does it matter in practice? ") == qid
    assert make_id("为什么?").startswith("q-")


@pytest.mark.parametrize(("given", "expected"), [
    ("Easy", "easy"), ("e", "easy"), ("1", "easy"), ("beginner", "easy"), ("M", "medium"), ("intermediate", "medium"),
    ("2", "medium"), ("HARD", "hard"), ("h", "hard"), ("advanced", "hard"), ("3", "hard"), ("impossible", None),
])
def test_common_difficulty_spellings_map_to_easy_medium_hard(given: str, expected: str | None) -> None:
    assert importers.normalise_difficulty(given) == expected


def test_kind_is_behavioral_for_behavioral_categories_or_prompts_else_explain() -> None:
    assert importers.guess_kind("Behavioural", "Why this company?") == "behavioral"
    assert importers.guess_kind("Leadership", "Tell me about a time you failed.") == "behavioral"
    assert importers.guess_kind("Leadership", "Describe a time when a project slipped.") == "behavioral"
    assert importers.guess_kind("Statistics", "What is a p-value?") == "explain"


# --- CSV -----------------------------------------------------------------------------------------------------------------

def test_csv_with_aliases_a_bom_crlf_quoted_lines_and_a_pipe_rubric() -> None:
    text = ("Prompt,Model Answer,Topic,Level,Labels,What they look for,Kind\r\n"
            '"How do you\r\nexplain SHAP to a PM?","Start from the decision.\r\n\r\n- Then the features",'
            "Explainability\u00a0for\u00a0action,H,shap|trust,Names the decision | Uses one example | "
            "Warns about correlation,scenario\r\n"
            "What is AUC?,Area under the ROC curve.,Metrics,easy,,,\r\n")
    result = read("Team notes.csv", b"\xef\xbb\xbf" + text.encode("utf-8"))
    first, second = result.questions
    assert first["prompt"] == "How do you\nexplain SHAP to a PM?"
    assert first["answer"] == "Start from the decision.\n\n- Then the features"
    assert first["category"] == "Explainability for action"
    assert (first["difficulty"], first["kind"], first["tags"]) == ("hard", "scenario", ["shap", "trust"])
    assert first["looking_for"] == ["Names the decision", "Uses one example", "Warns about correlation"]
    assert first["source"] == "imported:Team notes.csv"
    assert (second["category"], second["difficulty"], second["kind"], second["tags"]) == ("Metrics", "easy",
                                                                                          "explain", [])


def test_csv_rubric_one_point_per_line_with_bullets_and_an_id_column_kept() -> None:
    text = 'id,question,looking_for\nmy-own-id,Why A/B test?,"- Causality\n- Randomisation\n* Power"\n'
    [question] = read("x.csv", text).questions
    assert question["id"] == "my-own-id"
    assert question["looking_for"] == ["Causality", "Randomisation", "Power"]


def test_excel_unicode_text_utf16_with_tabs_is_read_too() -> None:
    result = read("export.txt", "question\tanswer\r\nWhat is lift?\tA ratio.\r\n".encode("utf-16"))
    assert result.format == "tsv" and [(q["prompt"], q["answer"]) for q in result.questions] == [
        ("What is lift?", "A ratio.")]


def test_a_tab_separated_file_and_a_missing_category_uses_the_file_name() -> None:
    result = read("my_ml-list.tsv", "question\tanswer\nWhat is dropout?\tA regulariser.\n")
    [question] = result.questions
    assert (question["category"], question["answer"]) == ("My ml list", "A regulariser.")
    assert "no category column: every question goes to the category 'My ml list'" in messages(result)


def test_cells_our_export_protected_lose_the_apostrophe_and_formulas_are_kept_as_text() -> None:
    text = "question,answer,tags\n'=SUM(A1:A3) is what?,'-1 is the answer,'@team\n=HYPERLINK(\"x\"),+44 number,\n"
    first, second = read("f.csv", text).questions
    assert (first["prompt"], first["answer"], first["tags"]) == ("=SUM(A1:A3) is what?", "-1 is the answer", ["@team"])
    assert (second["prompt"], second["answer"]) == ('=HYPERLINK("x")', "+44 number")
    notes = messages(read("f.csv", text))
    assert any(n.startswith("rows 2, 3: prompt starts with '='") and "never runs formulas" in n for n in notes)
    only_bullets = "question,answer\nQ?,- a Markdown list\n"
    assert not any("never runs" in n for n in messages(read("b.csv", only_bullets)))


def test_repeated_questions_are_dropped_and_the_rows_named() -> None:
    text = "question\nWhat is recall?\nWhat is precision?\n  what is   RECALL? \nwhat is recall?\n"
    result = read("d.csv", text)
    assert [q["prompt"] for q in result.questions] == ["What is recall?", "What is precision?"]
    assert "rows 4, 5: repeats the question of row 2; left out" in messages(result)
    assert result.skipped_rows == 2


def test_unknown_difficulty_kind_and_bad_id_are_fixed_with_a_note() -> None:
    text = "id,question,difficulty,kind\nBad ID!,Q one?,brutal,riddle\n,Q two?,,\n"
    result = read("n.csv", text)
    one, two = result.questions
    assert (one["difficulty"], one["kind"], one["id"]) == ("medium", "explain", make_id("Q one?"))
    shown = messages(result)
    assert "row 2: difficulty 'brutal' not recognised; set to medium (use easy, medium or hard)" in shown
    assert any(s.startswith("row 2: unknown kind 'riddle'") for s in shown)
    assert any(s.startswith("row 2: id 'bad id!' is not a valid id") for s in shown)
    assert "row 3: no difficulty; set to medium" in shown and two["difficulty"] == "medium"


def test_a_short_rubric_becomes_the_outline_and_the_question_still_imports() -> None:
    result = read("s.csv", "question,looking_for\nQ?,one point|two points\n")
    [question] = result.questions
    assert question["looking_for"] == [] and question["strong_answer"] == ["one point", "two points"]
    assert any("fewer than 3 rubric points" in m for m in messages(result))


def test_a_row_with_more_cells_than_the_header_is_left_out() -> None:
    result = read("c.csv", "question,answer\nGood?,Yes\nBad, unquoted, commas,here\n")
    assert [q["prompt"] for q in result.questions] == ["Good?"]
    assert any(m.startswith("row 3: more cells than the header has columns (2)") for m in messages(result))


# --- bad input ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "expected"), [
    ("empty.csv", b"", "empty.csv is empty: there is nothing to import."),
    ("blank.csv", b"\xef\xbb\xbf \r\n\r\n", "blank.csv is empty: there is nothing to import."),
    ("semi.csv", b"question;answer;category\nWhat?;That;X\n", "seem to separate columns with semicolons"
     .replace("seem ", "seems ")),
    ("nohead.csv", b"prompt text,answer text\nA?,B\n", "nohead.csv has no question column: its first row has "
     "'prompt text', 'answer text'"),
    ("header-only.csv", b"question,answer\n", "has a header row but no questions under it"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "looks like a binary file, not text"),
    ("deck.txt", b"PK\x03\x04" + bytes(100), "is a ZIP archive (an Anki .apkg or an Excel .xlsx?)"),
    ("latin1.csv", "question\nCaf\xe9?\n".encode("latin-1"), "is not UTF-8 text (byte 0xe9 on line 2)"),
    ("big.csv", b"question\n" + b"x" * importers.MAX_IMPORT_BYTES, f"the limit is {importers.MAX_IMPORT_MB} MB"),
])
def test_bad_files_get_one_clear_message(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(ImportFailed) as info:
        read_questions(name, data)
    assert expected in str(info.value)


def test_the_import_limit_is_the_upload_limit_of_the_app() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert importers.MAX_IMPORT_MB == config["server"]["maxUploadSize"]


def test_an_oversized_file_on_disk_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(importers.MAX_IMPORT_BYTES + 1)
    with pytest.raises(ImportFailed, match=f"huge.csv is {importers.MAX_IMPORT_MB}.0 MB; the limit is {importers.MAX_IMPORT_MB} MB"):
        importers.read_path(path)


def test_an_uploaded_name_never_carries_a_path() -> None:
    assert importers.source_name("../../etc/passwd.csv") == "passwd.csv"
    assert importers.source_name("C:\\Users\\me\\list.csv") == "list.csv"
    assert importers.source_name("") == "imported"


# --- Anki ------------------------------------------------------------------------------------------------------------------

ANKI = (
    "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
    "a1b2\tBasic\tML Interviews::Statistics\tWhat is a <b>p-value</b>?\tThe probability<br>of data this "
    "extreme<div>if H0 holds.</div><ul><li>not P(H0)</li><li>&lt;0.05 is a convention</li></ul>\tstats hard\n"
    "# a comment line\n"
    'c3d4\tBasic\tML Interviews::Statistics\t"Bias &amp; variance?"\t"<i>Tab\there</i> and ""quotes"""\t\n'
)


def test_anki_notes_in_plain_text_with_header_lines_html_deck_and_tags() -> None:
    result = read("deck.txt", ANKI)
    assert result.format == "anki"
    first, second = result.questions
    assert first["prompt"] == "What is a **p-value**?"
    assert first["answer"] == "The probability\nof data this extreme\n\nif H0 holds.\n\n- not P(H0)\n- <0.05 is a convention"
    assert (first["category"], first["difficulty"], first["tags"]) == ("Statistics", "hard", ["stats"])
    assert (second["prompt"], second["answer"]) == ("Bias & variance?", '*Tab here* and "quotes"')
    assert "1 note(s) without a difficulty tag (easy, medium, hard or difficulty::...): set to medium" in \
        messages(result)


def test_anki_tags_from_our_export_give_back_the_category_name() -> None:
    text = "#separator:tab\n#html:true\n#tags column:3\nQ one?\tA\tmlprep::fairness-bias-ethics difficulty::easy x\n"
    [question] = read("mlprep.txt", text, known_categories=["Fairness, bias & ethics"]).questions
    assert (question["category"], question["difficulty"], question["tags"]) == ("Fairness, bias & ethics", "easy",
                                                                                 ["x"])
    [unknown] = read("mlprep.txt", text).questions
    assert unknown["category"] == "Fairness bias ethics"


def test_anki_own_export_of_our_notes_keeps_our_category_over_the_default_deck() -> None:
    # The header lines and columns Anki 26.9 writes for File > Export > Notes in Plain Text (all options on).
    text = ("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n"
            "v+[*G?]Qq%\tBasic\tDefault\tWhy audit a model?\t<b>What the interviewer is looking for</b><ul><li>"
            "Harm</li></ul>\tdifficulty::hard mlprep::fairness-bias-ethics star\n"
            "w+[*G?]Qq%\tBasic\tDefault\tA note of the user's own\tback\t\n")
    ours, theirs = read("back.txt", text, known_categories=["Fairness, bias & ethics"]).questions
    assert (ours["category"], ours["difficulty"], ours["tags"]) == ("Fairness, bias & ethics", "hard", ["star"])
    assert ours["answer"] == "**What the interviewer is looking for**\n\n- Harm"
    assert theirs["category"] == "Back"  # "Default" says nothing: the file name is used


def test_an_old_anki_export_without_header_lines_has_tags_last() -> None:
    [question] = read("old.txt", "Front text\tBack <br>text\ttag1 tag2\n").questions
    assert (question["prompt"], question["answer"], question["tags"]) == ("Front text", "Back\ntext", ["tag1", "tag2"])
    assert question["category"] == "Old"


def test_a_txt_file_with_a_header_row_is_read_as_tab_separated_columns() -> None:
    result = read("list.txt", "Question\tAnswer\tCategory\nWhat is F1?\tHarmonic mean.\tMetrics\n")
    assert result.format == "tsv" and result.questions[0]["category"] == "Metrics"


@pytest.mark.parametrize(("html", "markdown"), [
    ("line one<br>line two", "line one\nline two"),
    ("<div>para one</div><div>para two</div>", "para one\n\npara two"),
    ("<p>a <b>bold</b> and <strong> strong </strong> word</p>", "a **bold** and **strong** word"),
    ("<i>it</i> <em>em</em> <code>x = 1</code>", "*it* *em* `x = 1`"),
    ("<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>", "- one\n- two\n\n1. first\n2. second"),
    ("&lt;script&gt; &amp; &nbsp;x", "<script> & x"),
    ('<script>alert(1)</script><style>p{}</style><img src="http://x/y.png">kept <a href="http://x">link</a>',
     "kept link"),
    ("{{c1::Paris::capital}} is [sound:a.mp3]it", "Paris is it"),
    ('<span style="color:red">red</span><font>f</font>', "redf"),
])
def test_anki_html_becomes_markdown_and_no_tag_survives(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown
    assert not re.search(r"<[a-z/]", html_to_markdown(html).replace("<script>", ""))


# --- YAML ---------------------------------------------------------------------------------------------------------------------

def test_our_yaml_format_imports_with_ids_kept_and_the_loaders_problems_reported() -> None:
    text = SMALL_BANK + "  - id: broken\n    prompt: No kind\n    difficulty: easy\n    looking_for: [a, b, c]\n"
    result = read("product.yaml", text)
    assert [q["id"] for q in result.questions] == ["prod-one", "prod-two", "prod-three"]
    assert result.questions[0]["category"] == "Product sense & business impact"
    assert result.questions[0]["source"] == "imported:product.yaml"
    assert "line 25: broken: kind: missing or empty; every question needs one; left out" in messages(result)


def test_yaml_with_a_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"category: X\nquestions:\n  - id: x\n    prompt: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ImportFailed, match="YAML tag not allowed"):
        read("evil.yaml", text)
    assert not marker.exists()


@pytest.mark.parametrize(("name", "text", "line"), [
    ("team.csv", 'question,answer\nWhat is AUC?,"Area under the curve\nWhy A/B test?,Causality\nWhat is drift?,Change\n', 2),
    ("team.tsv", 'question\tanswer\nWhat is AUC?\tArea\nWhy "A/B"?\tok\n"Unclosed\tx\nNext\ty\n', 4),
    ("deck.txt", '#separator:tab\n#html:true\nFront one\tBack one\n"Front two\tBack two\nFront three\tBack three\n', 4),
])
def test_an_unbalanced_quote_stops_the_import_and_names_its_line(name: str, text: str, line: int) -> None:
    with pytest.raises(ImportFailed, match=f"line {line}: a quoted field starts here and is never closed"):
        read(name, text)


def test_quotes_inside_fields_and_doubled_quotes_are_not_taken_for_an_open_quote() -> None:
    text = 'question,answer\nWhy "A/B"?,"He said ""hi""\nand left"\nNext?,"a, b"\n'
    assert len(read("ok.csv", text).questions) == 2
