"""Reading question lists written elsewhere: our YAML, CSV with a header row, Anki's "Notes in Plain Text".

``read_questions(name, data)`` turns a file's bytes into questions in the bank's schema (plain dicts:
id, category, prompt, difficulty, kind, tags, looking_for, ...) and messages for the user. It never
writes anything: saving is ``mlprep.userbank``'s job. A file that cannot be imported at all raises
``ImportFailed`` with one sentence saying what is wrong and what to do.

Rules, kept simple and shown in the app:
- ids: ``<slug of the prompt's first words>-<6 hex of sha256(prompt)>`` (a CSV ``id`` column is kept);
- two rows asking the same question (ignoring case and spacing) keep the first;
- difficulty: easy/medium/hard, e/m/h, beginner/intermediate/advanced, 1/2/3 ...; missing -> medium;
- kind: a valid ``kind`` column, else ``behavioral`` when the category contains "behavio" or the prompt
  starts like "Tell me about a time" / "Describe a time", else ``explain``;
- a cell our CSV export protected with a leading apostrophe ('=...) gets the apostrophe removed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from mlprep import bank as bank_mod
from mlprep.weak_areas import FORMULA_PREFIXES

MAX_IMPORT_MB = 5  # the same as server.maxUploadSize in .streamlit/config.toml
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
UPLOAD_TYPES = ("csv", "tsv", "txt", "yaml", "yml")
DEFAULT_DIFFICULTY = "medium"
DEFAULT_KIND = "explain"
ID_WORDS = 6
ID_SLUG_MAX = 48
ID_HASH_CHARS = 6
SHOWN_ROWS = 12  # a message names at most this many rows, then "and N more"
MLPREP_TAG = "mlprep::"  # our Anki export tags each note with its category: mlprep::<category-slug>
DIFFICULTY_TAG = "difficulty::"
ANKI_DEFAULT_DECK = "default"

QUESTION_FIELDS = ("id", "category", "prompt", "difficulty", "kind", "level", "tags", "looking_for", "follow_ups",
                   "strong_answer", "pitfalls", "framework", "answer", "source")
LIST_FIELDS = bank_mod.LIST_FIELDS

DIFFICULTY_SPELLINGS = {
    "easy": ("easy", "e", "1", "beginner", "basic", "junior", "simple", "low"),
    "medium": ("medium", "m", "med", "2", "intermediate", "mid", "moderate", "normal", "average"),
    "hard": ("hard", "h", "3", "advanced", "difficult", "expert", "senior", "high"),
}
# Public lists whose licences ask for credit wherever their questions are shown (the Bank page shows these).
KNOWN_CREDITS = {
    "ds-theory.csv": "questions and community answers from alexeygrigorev/data-science-interviews (theory.md), "
                     "CC BY 4.0, (c) Alexey Grigorev and contributors",
    "behavioral.csv": "questions from yangshun/tech-interview-handbook (behavioral interview questions), MIT, "
                      "(c) 2017-present Yangshun Tay",
}
_DIFFICULTY = {spelling: name for name, spellings in DIFFICULTY_SPELLINGS.items() for spelling in spellings}

# Header names (lower case, runs of non-letters as "_") and the field each one fills.
COLUMN_ALIASES = {
    "id": ("id", "question_id", "qid"),
    "prompt": ("question", "prompt", "q", "front", "text", "question_text", "title"),
    "answer": ("answer", "a", "back", "solution", "response", "explanation", "model_answer", "sample_answer"),
    "category": ("category", "topic", "section", "subject", "area", "deck", "group"),
    "difficulty": ("difficulty", "level", "diff", "difficulty_level"),  # "level" often means difficulty in lists
    "level": ("seniority", "target_level", "role_level"),
    "kind": ("kind", "type", "question_type"),
    "tags": ("tags", "tag", "labels", "keywords", "company", "companies"),
    "looking_for": ("looking_for", "rubric", "what_they_look_for", "what_they_are_looking_for",
                    "what_the_interviewer_is_looking_for", "key_points", "criteria", "rubric_points"),
    "follow_ups": ("follow_ups", "followups", "follow_up", "follow_up_questions"),
    "pitfalls": ("pitfalls", "mistakes", "common_mistakes"),
    "strong_answer": ("strong_answer", "outline", "answer_outline", "strong_answer_outline"),
    "framework": ("framework",),
    "source": ("source",),
}
_COLUMN = {alias: name for name, aliases in COLUMN_ALIASES.items() for alias in aliases}

_BEHAVIORAL_PROMPT = re.compile(
    r"^\s*(tell me about a time|describe a (time|situation)|give (me )?an example of a time|"
    r"talk about a time|walk me through a time|have you ever)", re.IGNORECASE)
_ANKI_HEADER = re.compile(r"^#(separator|html|tags|columns|notetype|deck|guid|notetype column|deck column|"
                          r"tags column|guid column)\s*:", re.IGNORECASE)
_ANKI_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
_LOOKS_HTML = re.compile(r"<(br|div|p|b|i|u|ul|ol|li|span|strong|em|code|pre|img|a|font|sub|sup|hr)\b[^>]*>",
                         re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_SOUND = re.compile(r"\[sound:[^\]]*\]")


class ImportFailed(ValueError):
    """The whole file cannot be imported; the message says why and what to do."""


@dataclass(frozen=True)
class ImportMessage:
    """Something the user should know about some rows: ``skipped`` rows were left out, notes were imported."""

    message: str
    rows: tuple[int, ...] = ()
    skipped: bool = False
    unit: str = "row"  # CSV rows count like a spreadsheet (the header is row 1); Anki and YAML count lines

    def where(self) -> str:
        if not self.rows:
            return ""
        shown = ", ".join(map(str, self.rows[:SHOWN_ROWS]))
        more = f" and {len(self.rows) - SHOWN_ROWS} more" if len(self.rows) > SHOWN_ROWS else ""
        return f"{self.unit}{'s' if len(self.rows) > 1 else ''} {shown}{more}"

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class ImportResult:
    """What a file would import: the questions (bank schema) and the messages, nothing written yet."""

    name: str
    format: str
    questions: list[dict[str, Any]]
    messages: list[ImportMessage] = field(default_factory=list)
    rows_read: int = 0

    @property
    def skipped_rows(self) -> int:
        return sum(len(m.rows) for m in self.messages if m.skipped)

    def categories(self) -> dict[str, int]:
        return dict(Counter(q["category"] for q in self.questions).most_common())

    def difficulties(self) -> dict[str, int]:
        counts = Counter(q["difficulty"] for q in self.questions)
        return {d: counts[d] for d in bank_mod.DIFFICULTIES if counts[d]}

    def kinds(self) -> dict[str, int]:
        return dict(Counter(q["kind"] for q in self.questions).most_common())


class _Messages:
    """Collects messages, grouping the rows that share one."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._rows: dict[tuple[str, bool], list[int]] = {}

    def add(self, message: str, row: int | None = None, skipped: bool = False) -> None:
        rows = self._rows.setdefault((message, skipped), [])
        if row is not None:
            rows.append(row)

    def result(self) -> list[ImportMessage]:
        found = [ImportMessage(msg, tuple(rows), skipped, self.unit) for (msg, skipped), rows in self._rows.items()]
        return sorted(found, key=lambda m: (m.rows[0] if m.rows else 0, not m.skipped))


# --- small rules ---------------------------------------------------------------------------------------------

def source_name(name: str) -> str:
    """The base name of an uploaded or given file, whatever path or slashes it came with."""
    base = PureWindowsPath(PurePosixPath(str(name)).name).name
    return "".join(ch for ch in base if ch.isprintable()).strip() or "imported"


def prompt_key(prompt: str) -> str:
    """Two prompts are the same question when this is equal (case and spacing ignored)."""
    return " ".join(prompt.casefold().split())


def make_id(prompt: str) -> str:
    """A stable id: the slug of the prompt's first words plus a short hash of the prompt."""
    words = re.sub(r"[\W_]+", " ", " ".join(prompt.split()[:ID_WORDS]))  # dashes and quotes of any kind split words
    slug = bank_mod.slugify(words)[:ID_SLUG_MAX].strip("-") or "q"
    digest = hashlib.sha256(prompt_key(prompt).encode("utf-8")).hexdigest()[:ID_HASH_CHARS]
    return f"{slug}-{digest}"


def normalise_difficulty(value: str) -> str | None:
    """easy | medium | hard from common spellings, or None when unknown."""
    return _DIFFICULTY.get(" ".join(str(value).casefold().split()))


def guess_kind(category: str, prompt: str) -> str:
    """``behavioral`` for behavioral-looking categories or prompts, else ``explain``."""
    if "behavio" in category.casefold() or _BEHAVIORAL_PROMPT.match(prompt):
        return "behavioral"
    return DEFAULT_KIND


def one_line(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return " ".join(str(text).split())


def category_from_name(name: str) -> str:
    """The fallback category for a file without one: its name, made readable ('ds_theory.csv' -> 'Ds theory')."""
    stem = re.sub(r"[-_.]+", " ", Path(source_name(name)).stem).strip()
    stem = one_line(stem) or "Imported"
    return stem[0].upper() + stem[1:]


def unprotect_cell(value: str) -> str:
    """Undo the one apostrophe our CSV export puts before a cell starting with = + - @ (or with apostrophes and
    then one of those)."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _looks_like_formula(value: str) -> bool:
    """Would a spreadsheet run this cell? Markdown bullets ('- item', '+ item') are not counted."""
    return value[:1] in ("=", "@") or (value[:1] in ("+", "-") and value[1:2] not in (" ", "-", ""))


def split_lines(value: str, pipes: bool = False) -> list[str]:
    """A list cell: one item per line (or, with ``pipes``, ``|``-separated on one line); bullets are dropped."""
    text = value.strip()
    if not text:
        return []
    items = text.split("|") if pipes and "\n" not in text else text.split("\n")
    return [BULLET.sub("", item).strip() for item in items if BULLET.sub("", item).strip()]


GOOD_REPLY_LINE = re.compile(r"^\s*>\s?")  # in a follow-ups cell, "> ..." coaches the follow-up above it


def split_follow_ups(value: str) -> list[Any]:
    """A follow-ups cell: one follow-up per line; lines starting with ``>`` are what a good reply to the
    follow-up above covers. Coached follow-ups come back as ``{ask, good_reply}``, the others as text."""
    out: list[Any] = []
    for line in value.strip().split("\n"):
        if GOOD_REPLY_LINE.match(line) and out:
            reply = GOOD_REPLY_LINE.sub("", line).strip()
            if reply:
                if isinstance(out[-1], str):
                    out[-1] = {"ask": out[-1], "good_reply": []}
                out[-1]["good_reply"].append(reply)
            continue
        ask = BULLET.sub("", line).strip()
        if ask:
            out.append(ask)
    return out


def split_tags(value: str) -> list[str]:
    """Tags separated by ``|``, else by ``;`` or ``,``."""
    text = value.strip()
    if not text:
        return []
    for sep in ("|", ";", ","):
        if sep in text:
            return [one_line(t) for t in text.split(sep) if one_line(t)]
    return [one_line(text)]


def credits_for(sources: Iterable[str]) -> list[str]:
    """Credit lines for the known public lists among these ``source`` values (``imported:<file>``)."""
    names = {str(s).removeprefix("imported:").split(" (")[0] for s in sources if str(s).startswith("imported:")}
    return [f"{name}: {KNOWN_CREDITS[name]}" for name in sorted(names) if name in KNOWN_CREDITS]


# --- decoding -------------------------------------------------------------------------------------------------

def decode(data: bytes, name: str = "the file") -> str:
    """The file's text with LF line ends; raises ImportFailed for empty, oversized, binary or non-UTF-8 files."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(f"{name} is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB. "
                           "Split it into smaller files and import them one by one.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFailed(f"{name} is a ZIP archive (an Anki .apkg or an Excel .xlsx?), not text. In Anki use "
                           "File > Export > Notes in Plain Text; in a spreadsheet, save as CSV UTF-8.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailed(f"{name} is not valid UTF-16 text; save it as CSV UTF-8.") from exc
    else:
        control = sum(1 for b in data[:4096] if b < 32 and b not in (9, 10, 12, 13))
        if b"\x00" in data[:4096] or control > len(data[:4096]) // 10:
            raise ImportFailed(f"{name} looks like a binary file, not text. Import a CSV, an Anki "
                               "'Notes in Plain Text' export (.txt) or a YAML bank.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFailed(f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). Save it "
                               "as 'CSV UTF-8' (Excel) or with UTF-8 encoding, then import it again.") from exc
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name} is empty: there is nothing to import.")
    return text


def detect_format(name: str, text: str) -> str:
    """``yaml``, ``csv``, ``tsv`` or ``anki`` from the file's extension, else from its first line."""
    suffix = Path(name).suffix.lower()
    first = next((line for line in text.split("\n") if line.strip()), "")
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    if suffix == ".tsv":
        return "tsv"
    if _ANKI_HEADER.match(first) or first.startswith("tags:"):
        return "anki"
    if suffix == ".txt":
        cells = [_header_name(c) for c in first.split("\t")]
        return "tsv" if "prompt" in {_COLUMN.get(c) for c in cells} else "anki"
    if re.match(r"^(---|category\s*:|questions\s*:|description\s*:)", first):
        return "yaml"
    return "csv"


# --- shared finishing ------------------------------------------------------------------------------------------

def _question(fields: dict[str, str], *, row: int, name: str, default_category: str, notes: _Messages,
              known_categories: dict[str, str] | None = None) -> dict[str, Any] | None:
    """One question in the bank's schema from text fields; None (with a message) when the row has no question."""
    prompt = fields.get("prompt", "").strip()
    if not prompt:
        notes.add("no question text; row skipped", row, skipped=True)
        return None
    category = one_line(fields.get("category", ""))
    if not category and "category" in fields:
        notes.add(f"no category; put in {default_category!r}", row)
    category = category or default_category
    raw_difficulty = one_line(fields.get("difficulty", ""))
    difficulty = normalise_difficulty(raw_difficulty) if raw_difficulty else None
    if difficulty is None:
        difficulty = DEFAULT_DIFFICULTY
        if raw_difficulty:
            notes.add(f"difficulty {raw_difficulty!r} not recognised; set to {DEFAULT_DIFFICULTY} (use easy, "
                      "medium or hard)", row)
        elif "difficulty" in fields:  # the column exists but this cell is empty
            notes.add(f"no difficulty; set to {DEFAULT_DIFFICULTY}", row)
    kind = one_line(fields.get("kind", "")).casefold()
    if kind and kind not in bank_mod.KINDS:
        notes.add(f"unknown kind {kind!r}; guessed from the category and the question "
                  f"(kinds: {', '.join(bank_mod.KINDS)})", row)
    if kind not in bank_mod.KINDS:
        kind = guess_kind(category, prompt)
    qid = one_line(fields.get("id", "")).lower()
    if qid and not bank_mod.ID_PATTERN.match(qid):
        notes.add(f"id {qid!r} is not a valid id (lowercase letters, digits, dashes); made one from the question",
                  row)
        qid = ""
    source = one_line(fields.get("source", ""))
    if source not in ("brief", "original", "mine") and not source.startswith("imported:"):
        source = f"imported:{name}" + (f" ({source})" if source else "")
    question: dict[str, Any] = {
        "id": qid or make_id(prompt),
        "category": category,
        "prompt": prompt,
        "difficulty": difficulty,
        "kind": kind,
        "tags": split_tags(fields.get("tags", "")),
        "looking_for": split_lines(fields.get("looking_for", ""), pipes=True),
        "follow_ups": split_follow_ups(fields.get("follow_ups", "")),
        "level": one_line(fields.get("level", "")).lower() if one_line(fields.get("level", "")).lower()
        in bank_mod.LEVELS[1:] else "",
        "strong_answer": split_lines(fields.get("strong_answer", "")),
        "pitfalls": split_lines(fields.get("pitfalls", "")),
        "framework": one_line(fields.get("framework", "")),
        "answer": fields.get("answer", "").strip(),
        "source": source,
    }
    return question


def _finish(name: str, fmt: str, candidates: list[tuple[int, dict[str, Any]]], notes: _Messages,
            rows_read: int) -> ImportResult:
    """Drop repeated questions and invalid ones (with messages), fix short rubrics, return the result."""
    first_row_of: dict[str, int] = {}
    id_row: dict[str, int] = {}
    kept: list[dict[str, Any]] = []
    for row, question in candidates:
        key = prompt_key(question["prompt"])
        if key in first_row_of:
            notes.add(f"repeats the question of {notes.unit} {first_row_of[key]}; left out", row, skipped=True)
            continue
        if question["id"] in id_row:
            notes.add(f"id {question['id']!r} is already used by {notes.unit} {id_row[question['id']]}; left out",
                      row, skipped=True)
            continue
        points = question["looking_for"]
        if 0 < len(points) < bank_mod.MIN_RUBRIC_POINTS:
            question["strong_answer"] = points + question["strong_answer"]
            question["looking_for"] = []
            notes.add(f"fewer than {bank_mod.MIN_RUBRIC_POINTS} rubric points: kept as the outline of a strong "
                      "answer; add rubric points on the Bank page", row)
        problems = _validate(question, name, row)
        if problems:
            for problem in problems:
                notes.add(f"{problem.field}: {problem.message}; left out", row, skipped=True)
            continue
        first_row_of[key] = row
        id_row[question["id"]] = row
        kept.append(question)
    return ImportResult(name, fmt, kept, notes.result(), rows_read)


def _validate(question: dict[str, Any], name: str, row: int) -> list[bank_mod.Problem]:
    """The bank loader's own checks, so nothing is saved that the loader would reject."""
    item = {k: v for k, v in question.items() if v not in ("", [], None)}
    _, problems = bank_mod.check_question(item, name, row, {}, question["category"])  # the loader's own rules
    return [p for p in problems if p.skipped]


def _note_formulas(notes: _Messages, row: int, fields: dict[str, str]) -> None:
    for column, value in fields.items():
        if value and _looks_like_formula(value):
            notes.add(f"{column} starts with {value[0]!r}: imported as plain text (mlprep never runs formulas, "
                      "and its CSV export protects such cells with a leading apostrophe)", row)


# --- CSV ------------------------------------------------------------------------------------------------------

def _header_name(cell: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", cell.strip().strip("\ufeff").casefold()).strip("_")


def _delimiter(header_line: str, fmt: str, name: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", "\t", ";", "|")}
    if fmt == "tsv" or (counts["\t"] and counts["\t"] >= counts[","]):
        return "\t"
    if counts[","]:
        return ","
    if _COLUMN.get(_header_name(header_line)) == "prompt":
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
        target = _COLUMN.get(_header_name(cell))
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
        _raise_nothing(name, notes)
    return _finish(name, "csv" if delimiter == "," else "tsv", candidates, notes, rows_read)


def _raise_nothing(name: str, notes: _Messages) -> None:
    reasons = "; ".join(str(m) for m in notes.result() if m.skipped)[:300]
    raise ImportFailed(f"{name}: no row could be imported ({reasons}).")


# --- Anki "Notes in Plain Text" ---------------------------------------------------------------------------------

class _MarkdownWriter(HTMLParser):
    """HTML (as Anki stores fields) to Markdown-ish text: line breaks, paragraphs, bold, italics, lists, code.

    Every other tag is dropped (script and style with their content); entities become characters.
    """

    _BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
    _INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
    _SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one entry per open list: [number] for <ol>, [] for <ul>
        self.inline: list[tuple[str, int]] = []  # (marker, where its text starts)
        self.skip = 0
        self.pre = 0

    def text(self) -> str:
        return "".join(self.out)

    def _newline(self, blank: bool = False) -> None:
        text = self.text().rstrip(" ")
        self.out = [text]
        if not text:
            return
        wanted = "\n\n" if blank and not self.lists else "\n"
        if not text.endswith(wanted):
            self.out.append("\n" if text.endswith("\n") else wanted)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "br":
            self.out = [self.text().rstrip(" "), "\n"]
        elif tag == "pre":
            self._newline(blank=True)
            self.out.append("```\n")
            self.pre += 1
        elif tag in ("ul", "ol"):
            self._newline(blank=not self.lists)
            self.lists.append([0] if tag == "ol" else [])
        elif tag == "li":
            self._newline()
            indent = "  " * max(0, len(self.lists) - 1)
            current = self.lists[-1] if self.lists else []
            if current:
                current[0] += 1
                self.out.append(f"{indent}{current[0]}. ")
            else:
                self.out.append(f"{indent}- ")
        elif tag in self._BLOCKS or tag in ("tr", "hr"):
            self._newline(blank=tag not in ("tr",))
            if tag == "hr":
                self.out.append("---\n\n")
        elif tag in self._INLINE and not self.pre:
            self.inline.append((self._INLINE[tag], len(self.text())))
        elif tag in ("td", "th") and not self.text().endswith(("\n", " ")):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out = [self.text().rstrip("\n"), "\n```\n\n"]
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=not self.lists)
        elif tag in self._BLOCKS or tag in ("li", "tr"):
            self._newline(blank=tag in self._BLOCKS)
        elif tag in self._INLINE and self.inline and not self.pre:
            marker, start = self.inline.pop()
            text = self.text()
            inner = text[start:]
            if inner.strip():
                lead = "" if text[:start].endswith((" ", "\n")) or not text[:start] else \
                    inner[: len(inner) - len(inner.lstrip())]
                trail = inner[len(inner.rstrip()):]
                self.out = [text[:start], lead, marker, inner.strip(), marker, trail]
            else:
                self.out = [text]

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.replace("\u00a0", " ")
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if self.text().endswith(("\n", " ")) or not self.text():
                data = data.lstrip(" ")
        self.out.append(data)


def html_to_markdown(html_text: str) -> str:
    """Anki field HTML as Markdown text; no raw HTML is kept."""
    html_text = _SOUND.sub("", _CLOZE.sub(r"\1", html_text))
    writer = _MarkdownWriter()
    writer.feed(html_text)
    writer.close()
    lines = [line.rstrip() for line in writer.text().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


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
    by_label = {_COLUMN.get(_header_name(labels[i])): i for i in field_cols if i < len(labels)}
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
        _raise_nothing(name, notes)
    if missing_difficulty:
        notes.add(f"{missing_difficulty} note(s) without a difficulty tag (easy, medium, hard or difficulty::...): "
                  f"set to {DEFAULT_DIFFICULTY}")
    return _finish(name, "anki", candidates, notes, len(records))


# --- YAML (our own format) ----------------------------------------------------------------------------------------

def parse_yaml(name: str, text: str) -> ImportResult:
    """A bank file in our schema, checked by the bank loader itself."""
    safe_name = bank_mod.slugify(Path(name).stem) or "imported"
    with tempfile.TemporaryDirectory(prefix="mlprep-import-") as tmp:
        path = Path(tmp) / f"{safe_name}.yaml"
        path.write_text(text, encoding="utf-8")
        rows, info = bank_mod.load_file(path)
    notes = _Messages("line")
    for problem in info.problems:
        if problem.qid == "-" and not rows:
            raise ImportFailed(f"{name}: line {problem.line}: {problem.message}")
        notes.add(f"{problem.qid}: {problem.field}: {problem.message}" + ("; left out" if problem.skipped else ""),
                  problem.line, skipped=problem.skipped)
    if not rows:
        if not info.problems:
            raise ImportFailed(f"{name} has no questions: its 'questions' list is empty.")
        _raise_nothing(name, notes)
    try:
        raw = yaml.load(text, Loader=bank_mod.YamlLoader)  # noqa: S506 - the safe loader, as the bank uses
    except yaml.YAMLError:
        raw = {}
    with_source = {str(q.get("id")) for q in (raw or {}).get("questions") or [] if isinstance(q, dict) and
                   q.get("source")}
    candidates = []
    for row in rows:
        question = {key: row[key] for key in QUESTION_FIELDS}
        for key in LIST_FIELDS:
            question[key] = list(question[key])
        question["follow_ups"] = bank_mod.follow_ups_for_yaml(question["follow_ups"], row["follow_up_replies"])
        if question["level"] == "any":
            question["level"] = ""  # the default: not written out
        if row["id"] not in with_source:
            question["source"] = f"imported:{name}"
        candidates.append((int(row["line"]), question))
    return _finish(name, "yaml", candidates, notes, len(rows) + sum(1 for p in info.problems if p.skipped))


# --- the entry point ------------------------------------------------------------------------------------------------

def read_questions(name: str, data: bytes, known_categories: Iterable[str] = ()) -> ImportResult:
    """Parse one file (YAML, CSV/TSV or Anki plain text) into questions; nothing is written.

    ``known_categories`` (the bank's category names) lets an Anki export's ``mlprep::<slug>`` tag find its
    category's exact name again.
    """
    name = source_name(name)
    text = decode(data, name)
    fmt = detect_format(name, text)
    if fmt == "yaml":
        return parse_yaml(name, text)
    if fmt == "anki":
        return parse_anki(name, text, known_categories)
    return parse_csv(name, text, fmt)


def read_path(path: Path, known_categories: Iterable[str] = ()) -> ImportResult:
    """``read_questions`` for a file on disk, refusing oversized files before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFailed(f"{path.name} is {size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB. "
                               "Split it into smaller files and import them one by one.")
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise ImportFailed(f"{path} is a folder; give one file to import.") from exc
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path} does not exist; check the path.") from exc
    except OSError as exc:
        raise ImportFailed(f"cannot read {path} ({exc.strerror}); check its permissions.") from exc
    return read_questions(path.name, data, known_categories)
