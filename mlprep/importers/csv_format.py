"""CSV and TSV with a header row: columns found by their many spellings, one question per row."""

from __future__ import annotations

import csv
import io
from typing import Any

from mlprep.importers.common import (
    _COLUMN,
    COLUMN_ALIASES,
    DEFAULT_DIFFICULTY,
    ImportFailed,
    ImportResult,
    _finish,
    _Messages,
    _note_formulas,
    _question,
    category_from_name,
    header_name,
    raise_nothing,
    refuse_unclosed_quote,
)
from mlprep.spreadsheet import unprotect_cell

# --- CSV ------------------------------------------------------------------------------------------------------

def _delimiter(header_line: str, fmt: str, name: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", "\t", ";", "|")}
    if fmt == "tsv" or (counts["\t"] and counts["\t"] >= counts[","]):
        return "\t"
    if counts[","]:
        return ","
    if _COLUMN.get(header_name(header_line)) == "prompt":
        return ","  # one column of questions
    for sep, label in ((";", "semicolons"), ("|", "pipes")):
        if counts[sep]:
            raise ImportFailed(f"{name}: the header row {header_line.strip()[:80]!r} is one column, so the file "
                               f"seems to separate columns with {label}. Save it as comma-separated CSV (in Excel: "
                               "Save As > CSV UTF-8) or tab-separated .tsv, then import it again.")
    return ","


def parse_csv(name: str, text: str, fmt: str = "csv") -> ImportResult:
    """A CSV (or TSV) file with a header row; header names are matched case-insensitively with aliases."""
    header_line = next((line for line in text.split("\n") if line.strip()), "")
    delimiter = _delimiter(header_line, fmt, name)
    refuse_unclosed_quote(name, text.split("\n"), delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFailed(f"{name}: cannot read line {reader.line_num} as CSV ({exc}); check the quotes there "
                           "(a cell with a line break or a comma must be in double quotes).") from exc
    start = next((i for i, r in enumerate(records) if any(c.strip() for c in r)), None)
    if start is None:
        raise ImportFailed(f"{name} is empty: there is nothing to import.")
    header = records[start]
    notes = _Messages("row")
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(header):
        target = _COLUMN.get(header_name(cell))
        if target and target not in columns.values():
            columns[index] = target
        elif cell.strip():
            ignored.append(cell.strip())
    if "prompt" not in columns.values():
        shown = ", ".join(repr(c.strip()) for c in header[:6] if c.strip()) or "nothing"
        raise ImportFailed(f"{name} has no question column: its first row has {shown}. The first row must name "
                           "the columns; call the one with the questions 'question' (or prompt, front, q).")
    if ignored:
        notes.add(f"columns ignored: {', '.join(ignored)} (mlprep reads {', '.join(COLUMN_ALIASES)})")
    if "difficulty" not in columns.values():
        notes.add(f"no difficulty column: every question is set to {DEFAULT_DIFFICULTY}")
    default_category = category_from_name(name)
    if "category" not in columns.values():
        notes.add(f"no category column: every question goes to the category {default_category!r}")
    candidates: list[tuple[int, dict[str, Any]]] = []
    rows_read = 0
    for index in range(start + 1, len(records)):
        record, row = records[index], index + 1
        if not any(c.strip() for c in record):
            continue
        rows_read += 1
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            notes.add(f"more cells than the header has columns ({len(header)}): a "
                      f"{'tab' if delimiter == chr(9) else 'comma'} inside a cell that is not in double quotes? "
                      "Left out", row, skipped=True)
            continue
        fields = {columns[i]: unprotect_cell(cell) for i, cell in enumerate(record) if i in columns}
        _note_formulas(notes, row, fields)
        question = _question(fields, row=row, name=name, default_category=default_category, notes=notes)
        if question is not None:
            candidates.append((row, question))
    if not rows_read:
        raise ImportFailed(f"{name} has a header row but no questions under it.")
    if not candidates:
        raise_nothing(name, notes)
    return _finish(name, "csv" if delimiter == "," else "tsv", candidates, notes, rows_read)
