"""What every importer shares: limits, messages, the result, the small rules (ids, difficulty, kind,
cells), and the finishing step that validates with the bank loader's own rules."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from mlprep import bank as bank_mod
from mlprep.question import parse_flag
from mlprep.spreadsheet import looks_like_formula

MAX_IMPORT_MB = 32  # the same as server.maxUploadSize in .streamlit/config.toml (recordings need that much)
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
    "clarify_first": ("clarify_first",),
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
    slug = bank_mod.ascii_slug(words)[:ID_SLUG_MAX].strip("-") or "q"  # the hash that follows keeps ids distinct
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
    try:
        clarify_first = parse_flag(fields.get("clarify_first"))
    except ValueError:
        notes.add(f"clarify_first {one_line(fields.get('clarify_first', ''))!r} is not true or false; left unset",
                  row)
        clarify_first = None
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
        "clarify_first": clarify_first,
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
        if value and looks_like_formula(value):
            notes.add(f"{column} starts with {value[0]!r}: imported as plain text (mlprep never runs formulas, "
                      "and its CSV export protects such cells with a leading apostrophe)", row)


def header_name(cell: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", cell.strip().strip("\ufeff").casefold()).strip("_")


def raise_nothing(name: str, notes: _Messages) -> None:
    reasons = "; ".join(str(m) for m in notes.result() if m.skipped)[:300]
    raise ImportFailed(f"{name}: no row could be imported ({reasons}).")


def unclosed_quote_line(lines: list[str], delimiter: str) -> int | None:
    """The 1-based line where a quoted field opens and is never closed, or None.

    The csv module would read everything after such a quote as one field: every later row would silently
    merge into one question. A quote opens a field only at its start (after a delimiter or at a line's
    start); inside it, a doubled quote is a literal quote and a single one closes it.
    """
    in_quote, opened = False, 0
    for number, line in enumerate(lines, start=1):
        pos, at_field_start, end = 0, True, len(line)
        while pos < end:  # jumps from quote to quote and from field to field (str.find), not char by char
            if in_quote:
                close = line.find('"', pos)
                if close < 0:
                    break  # the rest of the line is inside the quote
                if line.startswith('"', close + 1):
                    pos = close + 2  # a doubled quote: a literal one
                    continue
                in_quote, pos, at_field_start = False, close + 1, False
            elif at_field_start and line[pos] == '"':
                in_quote, opened, pos = True, number, pos + 1
            else:
                sep = line.find(delimiter, pos)
                if sep < 0:
                    break
                pos, at_field_start = sep + 1, True
    return opened if in_quote else None


def refuse_unclosed_quote(name: str, lines: list[str], delimiter: str, first_line: int = 1) -> None:
    """Stop an import whose quotes do not balance, naming the line where the open quote is."""
    opened = unclosed_quote_line(lines, delimiter)
    if opened is not None:
        raise ImportFailed(f"{name}: line {opened + first_line - 1}: a quoted field starts here and is never closed, "
                           "so every row after it would be read as one question. Close the quote (or remove it) "
                           "and import again.")
