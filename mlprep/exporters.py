"""Writing questions out: CSV (spreadsheets, and back into mlprep) and Anki's "Notes in Plain Text".

Both take the bank's question rows (``Bank.questions``), optionally narrowed to one category with
``select_category``. The CSV keeps every field, so importing it again gives the same questions (ids
included); a cell a spreadsheet would run as a formula gets a leading apostrophe, which the importer
removes again. The Anki text has Anki's own header lines, so File > Import reads it with no questions
asked: Front = the prompt, Back = the rubric, the outline and the answer as HTML (all text escaped),
Tags = the question's tags plus ``mlprep::<category-slug>`` and ``difficulty::<level>``.
"""

from __future__ import annotations

import csv
import html
import io
from typing import Any

import pandas as pd

from mlprep.bank import slugify
from mlprep.importers import BULLET, DIFFICULTY_TAG, GOOD_REPLY_LINE, MLPREP_TAG, one_line
from mlprep.question import QUESTION_FIELDS
from mlprep.spreadsheet import protect_cell, safe_cell  # noqa: F401 - safe_cell: the one rule, shared

EXPORT_FORMATS = ("csv", "anki")
# Every field of the schema's one list, in the order people read a question (the answer beside the prompt), with
# the question's level written as "seniority": "level" means difficulty in many question lists.
CSV_COLUMNS = ["id", "category", "prompt", "answer", "difficulty", "kind", "seniority", "tags", "looking_for",
               "follow_ups", "pitfalls", "strong_answer", "framework", "source", "clarify_first"]
CSV_FIELD = {"seniority": "level"}
if sorted(CSV_FIELD.get(c, c) for c in CSV_COLUMNS) != sorted(QUESTION_FIELDS):
    raise RuntimeError("CSV_COLUMNS must hold every field of mlprep.question.QUESTION_FIELDS exactly once")
TAG_SEPARATOR = "|"
ANKI_HEADER = ["#separator:tab", "#html:true", "#notetype:Basic", "#columns:Front\tBack\tTags", "#tags column:3"]
FILE_SUFFIX = {"csv": ".csv", "anki": ".txt"}


def select_category(questions: pd.DataFrame, category: str | None) -> pd.DataFrame:
    """The questions of one category (by name, spacing and case ignored, or by slug); all when None.

    Raises ValueError naming the categories when none matches.
    """
    if not category:
        return questions
    wanted = one_line(category).casefold()
    match = questions[(questions["category"].map(lambda c: one_line(c).casefold()) == wanted)
                      | (questions["category_slug"] == category.strip())]
    if match.empty:
        names = ", ".join(sorted(questions["category"].unique())) or "none"
        raise ValueError(f"no category {category!r}; the categories are: {names}")
    return match


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _items(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else []


def _replies(question: dict[str, Any]) -> list[list[str]]:
    """The good-reply bullets of each follow-up (an empty list for an uncoached one)."""
    replies = question.get("follow_up_replies")
    listed = [_items(r) for r in replies] if isinstance(replies, (list, tuple)) or hasattr(replies, "tolist") else []
    return listed + [[]] * (len(_items(question.get("follow_ups"))) - len(listed))


def follow_ups_cell(question: dict[str, Any]) -> str:
    """Follow-ups one per line, each coached one followed by its good-reply bullets as ``> ...`` lines."""
    lines = []
    for ask, reply in zip(_items(question.get("follow_ups")), _replies(question)):
        lines.append(f"- {ask}" if BULLET.match(ask) or GOOD_REPLY_LINE.match(ask) else ask)
        lines += [f"> {r}" for r in reply]
    return "\n".join(lines)


def csv_row(question: dict[str, Any]) -> list[Any]:
    """One question as CSV cells (lists: tags joined with '|', the others one item per line)."""
    cells = []
    for column in CSV_COLUMNS:
        value = question.get(CSV_FIELD.get(column, column))
        if column == "seniority":
            value = "" if value == "any" else value
        if column == "follow_ups":
            cell = follow_ups_cell(question)
        elif column == "tags":
            cell = TAG_SEPARATOR.join(_items(value))
        elif column in ("looking_for", "follow_ups", "pitfalls", "strong_answer"):
            # The importer drops one leading bullet ("- ", "1. ") per line: give items that start with one an
            # extra bullet, so they come back unchanged.
            cell = "\n".join(f"- {item}" if BULLET.match(item) else item for item in _items(value))
        elif column == "clarify_first":
            cell = "" if value is None or value != value else str(bool(value)).lower()  # unset (None or NaN)
        else:
            cell = _text(value)
        cells.append(protect_cell(cell))
    return cells


def to_csv(questions: pd.DataFrame) -> str:
    """Every question with every field, one row each, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for question in questions.to_dict("records"):
        writer.writerow(csv_row(question))
    return buffer.getvalue()


def _html(text: str) -> str:
    """Text as HTML: escaped, line breaks as <br>, tabs as spaces (so no Anki cell needs quoting)."""
    escaped = html.escape(text.strip(), quote=True).replace("\t", "    ")
    return escaped.replace("\n", "<br>")


def _html_list(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return f"<b>{html.escape(title)}</b><ul>" + "".join(f"<li>{_html(i)}</li>" for i in items) + "</ul>"


def anki_tag(tag: str) -> str:
    """An Anki tag: no spaces (they separate tags) and no quotes."""
    return "-".join(tag.replace('"', "").split())


def anki_fields(question: dict[str, Any]) -> list[str]:
    """Front, Back and Tags of one Anki note."""
    # The prompt's single line breaks are only wrapping (as in Markdown); blank lines separate paragraphs.
    paragraphs = [one_line(par) for par in _text(question.get("prompt")).split("\n\n") if par.strip()]
    front = "<br><br>".join(_html(par) for par in paragraphs)
    if front.startswith("#"):
        front = "&#35;" + front[1:]  # a line starting with '#' is a comment to Anki's reader
    back = "".join([
        _html_list("What the interviewer is looking for", _items(question.get("looking_for"))),
        _html_list("Outline of a strong answer", _items(question.get("strong_answer"))),
        _html_list("Follow-ups they may ask", [
            ask + (f" (a good reply covers: {'; '.join(reply)})" if reply else "")
            for ask, reply in zip(_items(question.get("follow_ups")), _replies(question))]),
    ])
    answer = _text(question.get("answer"))
    if answer.strip():
        back += ("<b>Answer</b><br>" if back else "") + _html(answer)
    tags = [anki_tag(t) for t in _items(question.get("tags")) if anki_tag(t)]
    category = _text(question.get("category"))
    tags += [f"{MLPREP_TAG}{slugify(category) or 'uncategorised'}", f"{DIFFICULTY_TAG}{question.get('difficulty')}"]
    return [front, back, " ".join(dict.fromkeys(tags))]


def to_anki(questions: pd.DataFrame) -> str:
    """Anki "Notes in Plain Text": header lines, then Front<TAB>Back<TAB>Tags per note."""
    buffer = io.StringIO()
    buffer.write("\n".join(ANKI_HEADER) + "\n")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    for question in questions.to_dict("records"):
        writer.writerow(anki_fields(question))
    return buffer.getvalue()


def export_questions(questions: pd.DataFrame, fmt: str, category: str | None = None) -> str:
    """The questions (optionally one category) in one of EXPORT_FORMATS."""
    chosen = select_category(questions, category)
    if fmt == "csv":
        return to_csv(chosen)
    if fmt == "anki":
        return to_anki(chosen)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


def export_file_name(fmt: str, category: str | None = None) -> str:
    """A download name such as ``mlprep-questions-fairness-bias-ethics.csv``."""
    suffix = f"-{slugify(category)}" if category else ""
    return f"mlprep-questions{suffix}{FILE_SUFFIX[fmt]}"
