"""The user's own bank files in ``<data dir>/banks``: imports, questions added in the app, edits, on/off.

- An import becomes one YAML file named after the source file (``ds-theory.csv`` -> ``banks/ds-theory.yaml``);
  importing the same file again replaces it, keeping rubric points added in the app. Questions added with
  the Bank page's form go to ``banks/my-questions.yaml``.
- Files are written atomically (a temp file in the same folder, checked by the bank loader, then
  ``os.replace``), so a failure never leaves half a file; a write the loader would reject is refused.
- Only files in ``<data dir>/banks`` are ever written; the shipped bank is read-only. Reviews are never
  touched: editing keeps a question's id (and so its history); a deleted question just stops appearing.
- Which bank files are switched off is kept in ``<data dir>/bank-settings.json``;
  ``enabled_bank_paths`` is what the app and the command line load.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from mlprep import bank as bank_mod
from mlprep import paths
from mlprep.importers import (
    DEFAULT_DIFFICULTY,
    QUESTION_FIELDS,
    ImportMessage,
    ImportResult,
    category_from_name,
    guess_kind,
    make_id,
    one_line,
    prompt_key,
    source_name,
)
from mlprep.question import BOOL_FIELDS
from mlprep.yamlsafety import MAX_FILE_BYTES, read_limited

MY_QUESTIONS = "my-questions.yaml"
MY_CATEGORY = "My questions"
SOURCE_MINE = "mine"
SETTINGS_FILE = "bank-settings.json"
FILE_NAME_MAX = 60
_LOCK = threading.RLock()  # one writer at a time per process (each browser tab is a thread)


class BankEditError(ValueError):
    """A write to a user bank was refused; nothing was changed. The message says why."""


# --- where files are ------------------------------------------------------------------------------------------

def banks_dir(data_dir: Path) -> Path:
    return paths.user_banks_dir(data_dir)


def all_bank_paths(data_dir: Path) -> list[Path]:
    """Every bank the user has, switched on or not: the shipped folder and the user's folder."""
    return paths.default_bank_paths(data_dir)


def target_path(data_dir: Path, name: str) -> Path:
    """The bank file an import of ``name`` is saved to: a sanitised name, always inside <data dir>/banks.

    An earlier import of the same file name is replaced; a file written by a different import (or by hand)
    is never overwritten: the name gets a number (``-2``, ``-3`` ...) instead.
    """
    stem = bank_mod.slugify(Path(source_name(name)).stem)[:FILE_NAME_MAX].strip("-") or "imported"
    if f"{stem}.yaml" == MY_QUESTIONS:
        stem += "-imported"
    folder = banks_dir(data_dir)
    path = folder / f"{stem}.yaml"
    n = 1
    while path.exists() and not _imported_from(path, source_name(name)):
        n += 1
        path = folder / f"{stem}-{n}.yaml"
    if path.resolve().parent != folder.resolve():  # cannot happen with a slug; checked all the same
        raise BankEditError(f"refusing to write outside {folder}")
    return path


def _imported_from(path: Path, name: str) -> bool:
    """Whether the bank file at ``path`` was written by an import of a file called ``name``."""
    try:
        doc = read_bank_doc(path)
    except BankEditError:
        return False
    sources = {str(q.get("source") or "") for q in doc["questions"] if isinstance(q, dict)}
    mine = f"imported:{name}"
    return bool(sources) and all(s == mine or s.startswith(mine + " (") for s in sources)


def own_path(data_dir: Path, shown: str) -> Path | None:
    """The real path of a bank file (as the bank names it) when it is one of the user's, else None."""
    path = Path(shown)
    if not path.is_absolute():
        path = paths.REPO_ROOT / path
    path = path.resolve()
    if path.parent == banks_dir(data_dir).resolve() and path.suffix in bank_mod.BANK_SUFFIXES:
        return path
    return None


def bank_key(data_dir: Path, path: Path) -> str:
    """How a bank file is named in the settings: ``shipped/<file>`` or ``banks/<file>``."""
    resolved = path.resolve()
    if resolved.parent == paths.SHIPPED_BANK_DIR.resolve():
        return f"shipped/{path.name}"
    if resolved.parent == banks_dir(data_dir).resolve():
        return f"banks/{path.name}"
    return str(resolved)


# --- switched on or off ---------------------------------------------------------------------------------------------

def _settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def disabled_banks(data_dir: Path) -> set[str]:
    """Keys (see ``bank_key``) of the bank files the user switched off; unreadable settings mean none."""
    try:
        data = json.loads(_settings_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    disabled = data.get("disabled") if isinstance(data, dict) else None
    return {str(k) for k in disabled} if isinstance(disabled, list) else set()


def set_bank_enabled(data_dir: Path, path: Path, enabled: bool) -> None:
    """Switch one bank file on or off (its questions stay on disk, their reviews in the log)."""
    with _LOCK:
        disabled = disabled_banks(data_dir)
        key = bank_key(data_dir, path)
        disabled = disabled - {key} if enabled else disabled | {key}
        _write_text(_settings_path(data_dir), json.dumps({"disabled": sorted(disabled)}, indent=2) + "\n")


def is_enabled(data_dir: Path, path: Path) -> bool:
    return bank_key(data_dir, path) not in disabled_banks(data_dir)


def enabled_bank_paths(data_dir: Path) -> list[Path]:
    """What the app and the command line load: the shipped bank and the user's banks, minus those switched off."""
    defaults = all_bank_paths(data_dir)
    disabled = disabled_banks(data_dir)
    if not disabled:
        return defaults
    return [p for p in bank_mod.bank_files(defaults) if bank_key(data_dir, p) not in disabled]


def load(data_dir: Path, bank_paths: list[Path] | None = None, everything: bool = False) -> bank_mod.Bank:
    """The bank the app and the command line work from: the enabled banks (``everything``: switched off ones
    too; or ``bank_paths``), with the user's own files as tracks of their own unless they name one."""
    chosen = bank_paths if bank_paths is not None else (
        all_bank_paths(data_dir) if everything else enabled_bank_paths(data_dir))
    return bank_mod.load_bank(chosen, paths.cache_dir(data_dir), own_dir=banks_dir(data_dir))


@dataclass
class BankFileState:
    """One bank file as the Bank page lists it."""

    path: Path
    key: str
    mine: bool
    enabled: bool


def bank_file_states(data_dir: Path) -> list[BankFileState]:
    """Every bank file (shipped first, then the user's), with whether it is the user's and switched on."""
    disabled = disabled_banks(data_dir)
    mine_dir = banks_dir(data_dir).resolve()
    states = []
    for path in bank_mod.bank_files(all_bank_paths(data_dir)):
        key = bank_key(data_dir, path)
        states.append(BankFileState(path, key, path.resolve().parent == mine_dir, key not in disabled))
    return states


# --- reading and writing files ----------------------------------------------------------------------------------------

_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter when PyYAML was built with it


class _BankDumper(bank_mod.QuickResolver, _SafeDumper):  # type: ignore[misc,valid-type]
    """The safe dumper with the bank loader's quicker tag resolver (the emitter asks it twice per value)."""


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


def _node(value: Any, dumper: Any) -> yaml.Node:
    """A value as a YAML node: text, lists and mappings built directly (multi-line text as a readable ``|``
    block, collections in block style); anything else (numbers, dates, null in a hand-written file) by the
    safe representer."""
    kind = type(value)
    if kind is str:
        return yaml.ScalarNode(_STR, value, style="|" if "\n" in value else None)
    if kind is list or kind is tuple:
        return yaml.SequenceNode(_SEQ, [_node(v, dumper) for v in value], flow_style=False)
    if kind is dict:
        return yaml.MappingNode(_MAP, [(_node(k, dumper), _node(v, dumper)) for k, v in value.items()],
                                flow_style=False)
    return dumper.represent_data(value)


def dump_yaml(doc: dict[str, Any]) -> str:
    """A bank document as YAML text (safe types only; unicode kept; keys in our order)."""
    stream = io.StringIO()
    dumper = _BankDumper(stream, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    try:
        with bank_mod.paused_gc():  # a node per value: 50,000 questions make a million
            dumper.open()
            dumper.serialize(_node(doc, dumper))
            dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Serialise writers: threads of this process, and (where fcntl exists) other processes too."""
    folder.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        try:
            import fcntl
        except ImportError:  # Windows: the thread lock is all we have
            yield
            return
        with open(folder / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _write_text(path: Path, text: str, check: bool = False) -> None:
    """Write atomically: a temp file in the same folder, optionally checked by the bank loader, then os.replace.

    A checked bank file's parse is kept in the data dir's parse cache (``paths.cache_dir``, beside the banks
    folder), so the app's next load does not parse the file again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        cache = paths.cache_dir(path.parent.parent)  # bank files live in <data dir>/banks
        checked = _check_written(path, tmp, cache) if check else None
        old = path.stat().st_mtime_ns if path.exists() else None
        os.replace(tmp, path)
        if old is not None and path.stat().st_mtime_ns <= old:
            # The bank cache keys on mtime and size: make sure a quick second write is seen as a change.
            os.utime(path, ns=(path.stat().st_atime_ns, old + 1_000))
        if checked is not None:
            bank_mod.remember_check(path, checked, cache)
    finally:
        tmp.unlink(missing_ok=True)


def _errors(shown: str, checked: bank_mod.Checked) -> list[bank_mod.Problem]:
    return [p for p in bank_mod.file_result(shown, checked)[1].problems if p.skipped]


def _check_written(path: Path, tmp: Path, cache: Path) -> bank_mod.Checked:
    """Refuse the write if the new text has loader errors the old file did not have; returns the new text's
    check (as the loader will see the file at ``path``)."""
    def signature(p: bank_mod.Problem) -> tuple[str, str, str]:
        return p.qid, p.field, p.message

    shown = bank_mod.display_path(path)
    before = {signature(p) for p in _errors(shown, bank_mod.cached_check(path, shown, cache))} \
        if path.exists() else set()
    checked = bank_mod.check_file(tmp, shown)
    new = [p for p in _errors(shown, checked) if signature(p) not in before]
    if new:
        p = new[0]
        raise BankEditError(f"not saved: {p.qid}: {p.field}: {p.message}")
    return checked


def read_bank_doc(path: Path) -> dict[str, Any]:
    """A user bank file as a dict with a ``questions`` list; BankEditError if it is not a bank file."""
    try:
        doc = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=bank_mod.YamlLoader)  # noqa: S506 - safe loader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankEditError(f"cannot read {path.name} ({exc.__class__.__name__}); fix the file first") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("questions"), list):
        raise BankEditError(f"{path.name} is not a bank file (no 'questions' list); fix the file first")
    return doc


def _ordered(question: dict[str, Any], file_category: str) -> dict[str, Any]:
    """A question as written: our field order, empty fields left out, the category only when it differs."""
    out: dict[str, Any] = {}
    for key in QUESTION_FIELDS:
        value = question.get(key)
        if value in (None, "", []) or (key == "category" and one_line(str(value)) == one_line(file_category)):
            continue
        out[key] = list(value) if isinstance(value, (list, tuple)) else value
    for key, value in question.items():  # fields we do not know (a hand-written file) stay as they were
        if key not in out and key not in QUESTION_FIELDS:
            out[key] = value
    return out


def _doc(category: str, description: str, questions: list[dict[str, Any]], track: str = "") -> dict[str, Any]:
    head: dict[str, Any] = {"category": category}
    if track:
        head["track"] = track
    return {**head, "description": description, "questions": [_ordered(q, category) for q in questions]}


# --- imports -----------------------------------------------------------------------------------------------------------

@dataclass
class ImportPlan:
    """What saving an import would do: the file it writes and the questions it keeps, nothing written yet."""

    result: ImportResult
    target: Path
    questions: list[dict[str, Any]]
    messages: list[ImportMessage] = field(default_factory=list)
    replaces: int = 0  # questions in the earlier import of the same file (replaced)
    removed: int = 0  # of those, no longer in the file
    kept_edits: int = 0  # questions whose rubric or outline added in the app were kept
    already_there: int = 0  # questions left out because the user's banks already have them
    track: str = ""  # the track the file joins: by default a track of its own, named after the file

    @property
    def file_name(self) -> str:
        return f"{paths.USER_BANKS_DIRNAME}/{self.target.name}"


def plan_import(data_dir: Path, result: ImportResult, existing: bank_mod.Bank, track: str = "") -> ImportPlan:
    """Decide what an import would save: questions already in other banks (same id or same question) are
    left out with a message; an earlier import of the same file is replaced, keeping rubric points added since.
    The file joins ``track`` (default: the earlier import's track, else a new track named after the file).
    """
    target = target_path(data_dir, result.name)
    shown_target = bank_mod.display_path(target)
    others = existing.questions[existing.questions["file"] != shown_target]
    by_id = dict(zip(others["id"], others["file"]))
    by_prompt = {prompt_key(p): (q, f) for p, q, f in zip(others["prompt"], others["id"], others["file"])}
    old: dict[str, dict[str, Any]] = {}
    if target.exists():
        try:
            old = {str(q.get("id")): q for q in read_bank_doc(target)["questions"] if isinstance(q, dict)}
        except BankEditError:
            old = {}
    collisions: dict[str, list[str]] = {}
    kept: list[dict[str, Any]] = []
    kept_edits = 0
    for question in result.questions:
        if question["id"] in by_id:
            collisions.setdefault(f"id already in {Path(by_id[question['id']]).name}", []).append(question["id"])
            continue
        same = by_prompt.get(prompt_key(question["prompt"]))
        if same:
            collisions.setdefault(f"same question already in {Path(same[1]).name}", []).append(question["id"])
            continue
        question = dict(question)
        previous = old.get(question["id"])
        if previous:
            restored = False
            for key in ("looking_for", "strong_answer", "follow_ups", "pitfalls", "framework"):
                if not question.get(key) and previous.get(key):
                    question[key] = previous[key]
                    restored = True
            kept_edits += restored
        kept.append(question)
    messages = [ImportMessage(f"left out, {reason}: {', '.join(ids[:5])}{' ...' if len(ids) > 5 else ''}",
                              skipped=True) for reason, ids in collisions.items()]
    new_ids = {q["id"] for q in kept}
    track = bank_mod.clean_track(track) or (file_track(target) if target.exists() else "") or \
        category_from_name(result.name)
    return ImportPlan(result, target, kept, messages, replaces=len(old),
                      removed=sum(1 for qid in old if qid not in new_ids), kept_edits=kept_edits,
                      already_there=sum(len(ids) for ids in collisions.values()), track=track)


def save_import(data_dir: Path, plan: ImportPlan) -> Path:
    """Write the planned questions to their bank file (atomically); returns the file."""
    if not plan.questions:
        raise BankEditError("nothing to save: no question is left to import")
    categories = {q["category"] for q in plan.questions}
    category = next(iter(categories)) if len(categories) == 1 else category_from_name(plan.result.name)
    description = f"Imported from {plan.result.name} on {date.today().isoformat()}."
    with _locked(plan.target.parent):
        _write_text(plan.target, dump_yaml(_doc(category, description, plan.questions, plan.track)), check=True)
    return plan.target


def file_track(path: Path) -> str:
    """The track a user bank file belongs to: its ``track:`` key, else the track named after the file."""
    try:
        named = bank_mod.clean_track(read_bank_doc(path).get("track"))
    except BankEditError:
        named = ""
    return named or bank_mod.track_from_file(path)


def set_file_track(data_dir: Path, path: Path | str, track: str) -> str:
    """Move one of the user's bank files to ``track`` (a new or an existing one); returns the clean name."""
    name = bank_mod.clean_track(track)
    if not name:
        raise BankEditError("a track needs a name; type one or pick an existing track")
    file = _own_file(data_dir, path)
    with _locked(file.parent):
        doc = read_bank_doc(file)
        moved = {"category": doc.get("category"), "track": name}
        moved.update({k: v for k, v in doc.items() if k not in moved})
        _write_text(file, dump_yaml(moved), check=True)
    return name


# --- questions added and edited in the app ------------------------------------------------------------------------------

def clean_question(fields: dict[str, Any]) -> dict[str, Any]:
    """Form input as a question: text trimmed, lists without empty items, category spaces normalised."""
    question: dict[str, Any] = {}
    for key in QUESTION_FIELDS:
        if key not in fields:
            continue
        value = fields[key]
        if key in bank_mod.LIST_FIELDS:
            question[key] = [one_line(v) for v in (value or []) if one_line(v)]
        elif key in BOOL_FIELDS:
            question[key] = None if value is None or value != value else bool(value)  # unset: None or NaN
        elif key in ("category", "framework", "difficulty", "kind", "id"):
            question[key] = one_line(value or "")
        else:
            question[key] = str(value or "").strip()
    return question


def _check_rubric(question: dict[str, Any]) -> None:
    points = question.get("looking_for") or []
    if 0 < len(points) < bank_mod.MIN_RUBRIC_POINTS:
        raise BankEditError(f"a rubric needs at least {bank_mod.MIN_RUBRIC_POINTS} points (you gave {len(points)}); "
                            "add more, or leave it empty for now")


def add_question(data_dir: Path, fields: dict[str, Any], existing: bank_mod.Bank) -> str:
    """Append a question to ``banks/my-questions.yaml``; returns its new id."""
    question = clean_question(fields)
    if not question.get("prompt"):
        raise BankEditError("the question text is empty; write the question first")
    question["category"] = question.get("category") or MY_CATEGORY
    if question.get("difficulty") not in bank_mod.DIFFICULTIES:
        question["difficulty"] = DEFAULT_DIFFICULTY
    if question.get("kind") not in bank_mod.KINDS:
        question["kind"] = guess_kind(question["category"], question["prompt"])
    question["id"] = make_id(question["prompt"])
    question["source"] = SOURCE_MINE
    _check_rubric(question)
    questions = existing.questions
    same = questions[(questions["id"] == question["id"])
                     | (questions["prompt"].map(prompt_key) == prompt_key(question["prompt"]))]
    if not same.empty:
        raise BankEditError(f"this question is already in the bank ({same.iloc[0]['id']} in "
                            f"{Path(same.iloc[0]['file']).name}); edit that one instead")
    path = banks_dir(data_dir) / MY_QUESTIONS
    with _locked(path.parent):
        doc = read_bank_doc(path) if path.exists() else _doc(MY_CATEGORY, "Questions you added on the Bank page.", [])
        if any(isinstance(q, dict) and q.get("id") == question["id"] for q in doc["questions"]):
            raise BankEditError(f"this question is already in {MY_QUESTIONS}")
        doc["questions"].append(_ordered(question, str(doc.get("category") or "")))
        _write_text(path, dump_yaml(doc), check=True)
    return question["id"]


def _own_file(data_dir: Path, path: Path | str) -> Path:
    found = own_path(data_dir, str(path))
    if found is None:
        raise BankEditError("only questions in your own banks can be changed; the shipped bank is read-only")
    if not found.exists():
        raise BankEditError(f"{found.name} no longer exists; reload the page")
    return found


def update_question(data_dir: Path, path: Path | str, qid: str, changes: dict[str, Any]) -> None:
    """Change fields of one of the user's questions; the id (and so the review history) is kept."""
    file = _own_file(data_dir, path)
    changes = clean_question({k: v for k, v in changes.items() if k not in ("id", "source")})
    if "prompt" in changes and not changes["prompt"]:
        raise BankEditError("the question text cannot be empty")
    _check_rubric(changes)
    with _locked(file.parent):
        doc = read_bank_doc(file)
        category = str(doc.get("category") or "")
        for index, item in enumerate(doc["questions"]):
            if isinstance(item, dict) and str(item.get("id")) == qid:
                merged = {**item, **changes}
                if not merged.get("category"):
                    merged.pop("category", None)
                doc["questions"][index] = _ordered(merged, category)
                break
        else:
            raise BankEditError(f"no question {qid!r} in {file.name}; reload the page")
        _write_text(file, dump_yaml(doc), check=True)


def delete_question(data_dir: Path, path: Path | str, qid: str) -> None:
    """Remove one of the user's questions from its file; its reviews stay in the log."""
    file = _own_file(data_dir, path)
    with _locked(file.parent):
        doc = read_bank_doc(file)
        kept = [q for q in doc["questions"] if not (isinstance(q, dict) and str(q.get("id")) == qid)]
        if len(kept) == len(doc["questions"]):
            raise BankEditError(f"no question {qid!r} in {file.name}; reload the page")
        doc["questions"] = kept
        _write_text(file, dump_yaml(doc), check=True)


def own_questions(data_dir: Path, questions: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``Bank.questions`` that live in the user's own bank files."""
    if len(questions) == 0:
        return questions
    owned = {shown: own_path(data_dir, shown) is not None for shown in questions["file"].unique()}
    return questions[questions["file"].map(owned)]


def browse_table(questions: pd.DataFrame, text: str = "", category: str | None = None) -> pd.DataFrame:
    """The Bank page's table: one row per question matching the search text (prompt, id, tags, category,
    answer) and category, with its rubric size."""
    frame = questions
    if category:
        frame = frame[frame["category"] == category]
    needle = " ".join(text.casefold().split())
    if needle and len(frame):
        haystack = (frame["prompt"] + " " + frame["id"] + " " + frame["category"] + " "
                    + frame["tags"].map(" ".join) + " " + frame["answer"]).map(lambda s: " ".join(s.casefold().split()))
        frame = frame[haystack.str.contains(needle, regex=False)]
    return pd.DataFrame({
        "id": frame["id"], "category": frame["category"], "difficulty": frame["difficulty"], "kind": frame["kind"],
        "rubric points": frame["looking_for"].map(len), "source": frame["source"],
        "prompt": frame["prompt"].map(one_line),
    }).reset_index(drop=True)


# --- backups ---------------------------------------------------------------------------------------------------------

BACKUP_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,100}\.ya?ml$")


def export_files(data_dir: Path) -> dict[str, Any]:
    """The user's bank files (as text: questions, rubric points added in the app, each file's track) and
    which banks are switched off, for a backup."""
    files = []
    for path in bank_mod.bank_files([banks_dir(data_dir)]):
        try:
            files.append({"name": path.name, "text": read_limited(path).decode("utf-8-sig")})
        except (OSError, ValueError, UnicodeDecodeError):
            continue  # a file the loader cannot read either; it is listed as a problem on the Bank page
    return {"files": files, "disabled": sorted(disabled_banks(data_dir))}


@dataclass
class CheckedFiles:
    """Bank files from a backup, each checked by the loader; nothing written yet."""

    files: list[tuple[str, str]]
    disabled: list[str]


def check_files(payload: Any) -> CheckedFiles:
    """Refuse (BankEditError, naming the file) a backup's banks the loader would reject or that are unsafe."""
    if payload is None:
        return CheckedFiles([], [])
    if not isinstance(payload, dict) or not isinstance(payload.get("files", []), list):
        raise BankEditError("banks: expected {\"files\": [...], \"disabled\": [...]}")
    disabled = payload.get("disabled") or []
    if not isinstance(disabled, list) or not all(isinstance(d, str) and len(d) < 200 for d in disabled):
        raise BankEditError("banks: disabled must be a list of bank names")
    checked = []
    with tempfile.TemporaryDirectory() as scratch:
        for number, item in enumerate(payload.get("files") or [], 1):
            name = item.get("name") if isinstance(item, dict) else None
            text = item.get("text") if isinstance(item, dict) else None
            if not isinstance(name, str) or not BACKUP_NAME.match(name):
                raise BankEditError(f"bank file {number}: {str(name)[:40]!r} is not a bank file name")
            if not isinstance(text, str) or len(text) > MAX_FILE_BYTES:
                raise BankEditError(f"banks/{name}: not text, or larger than the bank file limit")
            trial = Path(scratch) / name
            trial.write_text(text, encoding="utf-8")
            if errors := [p for p in bank_mod.load_file(trial)[1].problems if p.skipped and p.qid == "-"]:
                raise BankEditError(f"banks/{name}: {errors[0].message}")
            checked.append((name, text))
    return CheckedFiles(checked, disabled)


def restore_files(data_dir: Path, checked: CheckedFiles) -> tuple[int, list[str]]:
    """Write a backup's bank files: a file that is already there and the same is left alone; one that differs
    is kept as ``<name>.before-restore`` (no longer loaded) and replaced. Returns (written, files kept aside)."""
    folder = banks_dir(data_dir)
    written, kept = 0, []
    with _locked(folder):
        for name, text in checked.files:
            path = folder / name
            if path.exists():
                try:
                    if path.read_text(encoding="utf-8-sig") == text:
                        continue
                except (OSError, UnicodeDecodeError):
                    pass
                aside = path.with_name(f"{name}.before-restore")
                n = 1
                while aside.exists():
                    n += 1
                    aside = path.with_name(f"{name}.before-restore-{n}")
                os.replace(path, aside)
                kept.append(aside.name)
            _write_text(path, text)
            written += 1
        if checked.disabled:
            merged = disabled_banks(data_dir) | set(checked.disabled)
            _write_text(_settings_path(data_dir), json.dumps({"disabled": sorted(merged)}, indent=2) + "\n")
    return written, kept
