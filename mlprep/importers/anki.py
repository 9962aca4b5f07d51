"""Anki's "Notes in Plain Text" export: header lines, HTML fields, decks and tags."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from mlprep import bank as bank_mod
from mlprep.importers.common import (
    _ANKI_SEPARATORS,
    _COLUMN,
    _LOOKS_HTML,
    ANKI_DEFAULT_DECK,
    DEFAULT_DIFFICULTY,
    DIFFICULTY_SPELLINGS,
    DIFFICULTY_TAG,
    MLPREP_TAG,
    ImportFailed,
    ImportResult,
    _finish,
    _Messages,
    _question,
    category_from_name,
    header_name,
    one_line,
    raise_nothing,
    refuse_unclosed_quote,
)
from mlprep.importers.html_markdown import html_to_markdown

# --- Anki "Notes in Plain Text" ---------------------------------------------------------------------------------

def _anki_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines for the CSV reader, leaving out '#' comment lines between records (Anki does the same)."""
    quotes = 0
    for line in lines:
        if quotes % 2 == 0 and line.startswith("#"):
            continue
        quotes += line.count('"')
        yield line + "\n"


def parse_anki(name: str, text: str, known_categories: Iterable[str] = ()) -> ImportResult:
    """Anki's "Notes in Plain Text" export: header lines (#separator:tab, #html:true, #tags column:N, ...),
    then one note per record. The first field is the question, the second the answer (HTML made Markdown).
    The category comes from our ``mlprep::<category>`` tag, else a deck column (but not Anki's "Default"),
    else ``#deck:``, else the file name.
    """
    lines = text.split("\n")
    meta: dict[str, str] = {}
    global_tags: list[str] = []
    body_start = 0
    for index, line in enumerate(lines):
        if index == 0 and line.startswith("tags:"):
            global_tags = line[5:].split()
        elif line.startswith("#") and ":" in line:
            key, _, value = line[1:].partition(":")
            meta[key.strip().casefold()] = value.strip()
        elif line.startswith("#") or not line.strip():
            pass
        else:
            body_start = index
            break
    else:
        body_start = len(lines)
    if "tags" in meta:
        global_tags += meta["tags"].split()
    body = lines[body_start:]
    separator = meta.get("separator", "").strip()
    delimiter = _ANKI_SEPARATORS.get(separator.casefold()) or (separator if len(separator) == 1 else "")
    if not delimiter:
        sample = "\n".join(body[:50])
        delimiter = "\t" if "\t" in sample else next((s for s in (";", ",", "|") if s in sample), "\t")
    refuse_unclosed_quote(name, body, delimiter, first_line=body_start + 1)
    reader = csv.reader(_anki_lines(body), delimiter=delimiter)
    try:
        records = [(reader.line_num + body_start, r) for r in reader]
    except csv.Error as exc:
        raise ImportFailed(f"{name}: cannot read line {reader.line_num + body_start} ({exc}); export it again "
                           "from Anki with File > Export > Notes in Plain Text.") from exc
    records = [(line, r) for line, r in records if any(c.strip() for c in r)]
    if not records:
        raise ImportFailed(f"{name} has Anki header lines but no notes under them.")
    html = meta.get("html", "").casefold()
    is_html = html == "true" if html in ("true", "false") else any(
        _LOOKS_HTML.search(cell) for _, r in records[:200] for cell in r)

    def column(key: str) -> int | None:
        value = meta.get(f"{key} column", "").strip()
        return int(value) - 1 if value.isdigit() and int(value) > 0 else None

    deck_col, tags_col, guid_col, type_col = column("deck"), column("tags"), column("guid"), column("notetype")
    width = max(len(r) for _, r in records)
    if tags_col is None and not meta and width >= 3:
        tags_col = width - 1  # an old export without header lines: tags are the last column
    meta_cols = {c for c in (deck_col, tags_col, guid_col, type_col) if c is not None}
    field_cols = [i for i in range(width) if i not in meta_cols]
    labels = next(csv.reader([meta["columns"]], delimiter=delimiter)) if meta.get("columns") else []
    by_label = {_COLUMN.get(header_name(labels[i])): i for i in field_cols if i < len(labels)}
    prompt_col = by_label.get("prompt", field_cols[0] if field_cols else 0)
    answer_col = by_label.get("answer", next((i for i in field_cols if i != prompt_col), None))
    extra_cols = [i for i in field_cols if i not in (prompt_col, answer_col)]
    categories_by_slug = {bank_mod.slugify(c): one_line(c) for c in known_categories}
    default_category = one_line(meta.get("deck", "").split("::")[-1]) or category_from_name(name)

    notes = _Messages("line")
    candidates: list[tuple[int, dict[str, Any]]] = []
    missing_difficulty = 0

    def cell(record: list[str], index: int | None) -> str:
        if index is None or index >= len(record):
            return ""
        value = record[index]
        return html_to_markdown(value) if is_html else value.strip()

    for line, record in records:
        fields = {"prompt": cell(record, prompt_col), "answer": cell(record, answer_col)}
        extras = [(labels[i] if i < len(labels) else "", cell(record, i)) for i in extra_cols]
        extras = [(label, value) for label, value in extras if value]
        if extras:
            fields["answer"] = "\n\n".join([fields["answer"]] + [f"**{lab}**\n\n{val}" if lab else val
                                                                 for lab, val in extras]).strip()
        tags: list[str] = []
        deck = one_line(record[deck_col].split("::")[-1]) if deck_col is not None and deck_col < len(record) else ""
        category = ""
        for tag in (record[tags_col].split() if tags_col is not None and tags_col < len(record) else []) + global_tags:
            lowered = tag.casefold()
            if lowered.startswith(MLPREP_TAG):
                slug = tag[len(MLPREP_TAG):]
                category = category or categories_by_slug.get(slug) or slug.replace("-", " ").capitalize()
            elif lowered.startswith(DIFFICULTY_TAG) or (lowered in DIFFICULTY_SPELLINGS and "difficulty" not in fields):
                fields["difficulty"] = lowered.removeprefix(DIFFICULTY_TAG)
            elif tag not in tags:
                tags.append(tag)
        missing_difficulty += "difficulty" not in fields
        # Our own category tag is exact; Anki's "Default" deck says nothing about the question.
        fields["category"] = category or (deck if deck.casefold() != ANKI_DEFAULT_DECK else "")
        fields["tags"] = "|".join(tags)
        question = _question(fields, row=line, name=name, default_category=default_category, notes=notes)
        if question is not None:
            candidates.append((line, question))
    if not candidates:
        raise_nothing(name, notes)
    if missing_difficulty:
        notes.add(f"{missing_difficulty} note(s) without a difficulty tag (easy, medium, hard or difficulty::...): "
                  f"set to {DEFAULT_DIFFICULTY}")
    return _finish(name, "anki", candidates, notes, len(records))
