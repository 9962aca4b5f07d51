"""Spreadsheet safety, in one place: a cell we write is never run as a formula, and a cell our export
protected reads back unchanged."""

from __future__ import annotations

# A cell starting with one of these is a formula (or a DDE trigger) to Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """A spreadsheet will not run a cell we wrote: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def protect_cell(value: str) -> str:
    """``safe_cell``, plus an apostrophe before text that already starts with apostrophes followed by = + - @, so
    the importer's removal of exactly one apostrophe gives the text back unchanged."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return str(safe_cell(value))


def unprotect_cell(value: str) -> str:
    """Undo the one apostrophe our CSV export puts before a cell starting with = + - @ (or with apostrophes and
    then one of those)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def looks_like_formula(value: str) -> bool:
    """Would a spreadsheet run this cell? Markdown bullets ('- item', '+ item') are not counted."""
    return value[:1] in ("=", "@") or (value[:1] in ("+", "-") and value[1:2] not in (" ", "-", ""))
