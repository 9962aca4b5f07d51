"""The question bank: its YAML schema, validation and loading into pandas.

A bank is a set of YAML files, one category each (see data/questions/README.md).
Loading never raises on bad content: every problem becomes a ``Problem`` naming
file, line, question id and field, the bad file or question is skipped, and
everything else still loads.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from mlprep.paths import REPO_ROOT
from mlprep.question import BOOL_FIELDS, LIST_FIELDS, QUESTION_FIELDS, Question
from mlprep.yamlsafety import read_limited, structure_problem

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML was built with it


class QuickResolver:
    """A mixin for the safe loader and dumper: the same implicit tags as PyYAML's resolver, looked up once per
    first character instead of list-building per call (the composer and the emitter call it for every value)."""

    _by_first = {first: tuple(resolvers) + tuple(_SafeLoader.yaml_implicit_resolvers.get(None, ()))
                 for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items() if first is not None}
    _wildcards = tuple(_SafeLoader.yaml_implicit_resolvers.get(None, ()))

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if self.yaml_path_resolvers:  # type: ignore[attr-defined]  # none in the safe classes; exact if ever added
            return super().resolve(kind, value, implicit)  # type: ignore[misc]
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._by_first.get(value[:1], self._wildcards):
                    if regexp.match(value):
                        return tag
            return yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
        return yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG


    if not _SafeLoader.yaml_path_resolvers:  # none in the safe classes: the per-node hooks have no work
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


class YamlLoader(QuickResolver, _SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader (never the full one), with the quicker resolver."""


DIFFICULTIES = ("easy", "medium", "hard")
KINDS = ("scenario", "behavioral", "design", "explain", "debug")
LEVELS = ("any", "mid", "senior", "staff")  # the seniority a question is aimed at; "any" suits every level
LEVEL_LABELS = {"any": "Any level", "mid": "Mid-level", "senior": "Senior", "staff": "Staff and above"}
MAX_GOOD_REPLY = 3  # bullets of coaching under one follow-up
MIN_RUBRIC_POINTS = 3
REQUIRED_TEXT = ("id", "prompt", "difficulty", "kind")
OPTIONAL_TEXT = ("framework", "answer", "source", "category", "level")  # a question's own category overrides the file's
KNOWN_FIELDS = set(QUESTION_FIELDS)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Questions the user brought (imported files, the Bank page's form) may have no rubric yet.
NO_RUBRIC_SOURCES = ("imported:", "mine")
BANK_SUFFIXES = (".yaml", ".yml")

COLUMNS = [
    "id", "category", "category_slug", "prompt", "difficulty", "kind", "tags",
    "looking_for", "follow_ups", "pitfalls", "strong_answer", "framework",
    "answer", "source", "file", "line", "hash", "level", "follow_up_replies", "track", "clarify_first",
]

# Tracks: every question belongs to one. The shipped bank (and any bank file given without a ``track:`` key
# outside the user's own folder) is the shipped track; a file in the user's folder without the key is a
# track of its own, named after the file. The key, when present, always wins.
SHIPPED_TRACK = "ML interviews beyond the math"
TRACK_MAX = 80
OWN_QUESTIONS_FILE = "my-questions.yaml"  # the Bank page's "add a question" file
OWN_QUESTIONS_TRACK = "My questions"


def track_from_file(path: Path) -> str:
    """The track of a user bank file that names none: its file name made readable ('ds-theory' -> 'Ds theory')."""
    if path.name == OWN_QUESTIONS_FILE:
        return OWN_QUESTIONS_TRACK
    stem = " ".join(re.sub(r"[-_.]+", " ", path.stem).split()) or "Imported"
    return stem[0].upper() + stem[1:]


def clean_track(value: Any) -> str:
    """A track name as stored: one line, at most TRACK_MAX characters; '' when unusable."""
    return " ".join(value.split())[:TRACK_MAX] if isinstance(value, str) else ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a bank file, printed as ``file:line: id: field: message``."""

    file: str
    line: int
    qid: str
    field: str
    message: str
    skipped: bool = True  # False for warnings: the question still loads

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.qid}: {self.field}: {self.message}"


@dataclass
class BankFile:
    """What one file contributed: its category, how many questions loaded, its problems, and the track its
    questions are in ('' when none loaded: then the file's own ``track:`` line has to be read)."""

    path: str
    category: str
    loaded: int
    problems: list[Problem] = field(default_factory=list)
    track: str = ""


@dataclass
class Bank:
    """Every loaded question (one row each; list fields stay lists) and every problem."""

    questions: pd.DataFrame
    problems: list[Problem]
    files: list[BankFile]
    key: str = ""  # changes whenever a bank file changes; caches key on it
    _positions: dict[str, int] | None = field(default=None, repr=False, compare=False)
    _tracks: list[str] | None = field(default=None, repr=False, compare=False)
    _category_names: dict[str, dict[str, str]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def categories(self) -> list[str]:
        return sorted(self.questions["category"].unique().tolist()) if len(self.questions) else []

    @property
    def tracks(self) -> list[str]:
        """Every track with a question: the shipped track first, then the others by name (worked out once)."""
        if self._tracks is None:
            found = set(self.questions["track"].unique()) if len(self.questions) else set()
            self._tracks = sorted(map(str, found), key=lambda t: (t != SHIPPED_TRACK, t.casefold()))
        return self._tracks

    def category_names(self, track: str = "") -> dict[str, str]:
        """Category slug -> name, sorted by name, of one track (or of every track); worked out once each."""
        if track not in self._category_names:
            questions = self.questions[self.questions["track"] == track] if track else self.questions
            frame = questions[["category_slug", "category"]].drop_duplicates()
            self._category_names[track] = dict(sorted(zip(frame["category_slug"], frame["category"]),
                                                      key=lambda kv: kv[1]))
        return self._category_names[track]

    def question_position(self, qid: str) -> int | None:
        """The row of ``qid`` in ``questions``, or None."""
        if self._positions is None:
            self._positions = {q: i for i, q in enumerate(self.questions["id"])}
        return self._positions.get(qid)

    def category_of(self, qid: str) -> str | None:
        """The category of ``qid``, or None if no question has that id."""
        position = self.question_position(qid)
        return None if position is None else str(self.questions["category"].iat[position])

    def get(self, qid: str) -> Question | None:
        """One question as a typed ``Question``, or None if no question has that id."""
        row = self.question(qid)
        return None if row is None else Question.from_dict(row)

    def question(self, qid: str) -> dict[str, Any] | None:
        """One question as a dict, or None if no question has that id."""
        position = self.question_position(qid)
        return None if position is None else self.questions.iloc[position].to_dict()


def ascii_slug(text: str) -> str:
    """Lowercase ASCII letters and digits joined by dashes; what has no ASCII form is dropped."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def slugify(text: str) -> str:
    """A URL-safe slug: 'Product sense & business impact' -> 'product-sense-business-impact'.

    Letters and symbols with no ASCII form (Cyrillic, Hebrew, CJK, emoji) would vanish, so two such names
    would share a slug: a short hash of the whole name is added then ('поведение' -> 'x-1f0c3a9b').
    """
    folded = unicodedata.normalize("NFKD", text)
    slug = ascii_slug(text)
    lost = any(ord(c) > 127 and unicodedata.category(c)[0] in "LNS" for c in folded)
    if lost:
        digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"x-{digest}"
    return slug


@lru_cache(maxsize=1024)
def _category_slug(category: str) -> str:
    return slugify(category)  # a bank has few categories and thousands of questions


_HASH_JSON = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(..., ensure_ascii=False) uses, made once


def question_hash(prompt: str, looking_for: list[str]) -> str:
    """A short hash of a question's content, stored with each review of it."""
    payload = _HASH_JSON.encode([prompt.strip(), [p.strip() for p in looking_for]])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


def display_path(path: Path) -> str:
    """A path as shown in messages: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def _line_of(node: yaml.Node | None, default: int = 1) -> int:
    return node.start_mark.line + 1 if node is not None else default


def _mapping_lines(node: yaml.Node) -> dict[str, int]:
    """Line of each key of a mapping node (1-based)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _question_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "questions" and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _Unusual(Exception):
    """A document the plain builder leaves to the safe constructor: merge keys, sets, ordered maps, a node
    that contains itself."""


_PLAIN_KEY_TAGS = frozenset({_STR_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                             "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})
_BUILDING = object()


def _plain_document(root: yaml.Node, constructor: Any) -> Any:
    """The data of a tree of plain mappings, lists and scalars, the same as the safe constructor builds.

    Several times faster than the constructor on a 10 MB bank file (no per-node generators). Text is taken
    as is; any other scalar (numbers, booleans, null, dates, or a tag the safe loader refuses) goes through
    the safe constructor itself. A node reached twice through an alias is built once and shared, as the
    constructor does; anything else raises ``_Unusual``.
    """
    return _build(root, constructor, {})


def _build(node: yaml.Node, constructor: Any, built: dict[int, Any]) -> Any:
    """One node of ``_plain_document`` (a plain function, not a closure: a closure calling itself is a reference
    cycle that would keep the whole document alive until the garbage collector runs)."""
    kind = type(node)
    scalar = yaml.ScalarNode
    if kind is scalar:
        return node.value if node.tag == _STR_TAG else constructor.construct_object(node, deep=True)
    done = built.get(id(node))
    if done is not None:
        if done is _BUILDING:
            raise _Unusual  # a collection inside itself
        return done
    built[id(node)] = _BUILDING
    if kind is yaml.SequenceNode and node.tag == _SEQ_TAG:
        out: Any = [child.value if type(child) is scalar and child.tag == _STR_TAG else _build(child, constructor, built)
                    for child in node.value]
    elif kind is yaml.MappingNode and node.tag == _MAP_TAG:
        out = {}
        for key_node, value_node in node.value:
            if type(key_node) is not scalar or key_node.tag not in _PLAIN_KEY_TAGS:
                raise _Unusual  # a merge key ("<<"), a "=" value key or a collection as a key
            key = key_node.value if key_node.tag == _STR_TAG else constructor.construct_object(key_node, deep=True)
            out[key] = value_node.value if type(value_node) is scalar and value_node.tag == _STR_TAG \
                else _build(value_node, constructor, built)
    else:
        raise _Unusual
    built[id(node)] = out
    return out


def _construct(loader: Any, root: yaml.Node) -> Any:
    """The document's data: the fast plain builder when it applies, else the safe constructor."""
    try:
        return _plain_document(root, loader)
    except _Unusual:
        loader.constructed_objects = {}
        loader.recursive_objects = {}
        return loader.construct_document(root)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a big tree of new objects is built (none of it is garbage yet;
    the collector would walk it again and again). Only re-enabled if it was on, so nested or concurrent
    uses leave it as they found it."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _parse(path: Path, shown: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Read and parse one file; on failure return the problem and no data."""
    try:
        raw = read_limited(path)
    except OSError as exc:
        return None, None, [Problem(shown, 1, "-", "-", f"cannot read the file ({exc.strerror}); check its permissions")]
    except ValueError as exc:
        return None, None, [Problem(shown, 1, "-", "-", f"the file is {exc}; split it into smaller files")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, None, [Problem(shown, line, "-", "-",
                                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
    if refused := structure_problem(text):
        return None, None, [Problem(shown, 1, "-", "-", f"not loaded: {refused}")]
    try:
        loader = YamlLoader(text)  # a safe loader, never the full one
        try:
            root = loader.get_single_node()  # one parse: the nodes give line numbers, then the data
            data = _construct(loader, root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, None, [Problem(shown, line, "-", "-",
                                    f"YAML tag not allowed ({exc.problem}); mlprep reads plain YAML only, remove the tag")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, None, [Problem(shown, line, "-", "-", f"YAML syntax error: {reason}; fix the file and reload")]
    return data, root, []


def check_question(item: Any, shown: str, line: int, key_lines: dict[str, int],
                    category: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Validate one question; return the row (or None if it must be skipped) and its problems."""
    if not isinstance(item, dict):
        return None, [Problem(shown, line, "-", "-", "each question must be a mapping of fields (id, prompt, ...)")]
    qid = item.get("id")
    qid_shown = str(qid) if qid not in (None, "") else "-"
    problems: list[Problem] = []

    def bad(field_name: str, message: str, skipped: bool = True) -> None:
        problems.append(Problem(shown, key_lines.get(field_name, line), qid_shown, field_name, message, skipped))

    for name in REQUIRED_TEXT:
        value = item.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            bad(name, "missing or empty; every question needs one")
        elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
            bad(name, f"must be text, not {type(value).__name__}")
    if isinstance(qid, str) and qid.strip() and not ID_PATTERN.match(qid):
        bad("id", "use lowercase letters, digits and dashes only (for example product-niche-recsys)")
    difficulty = item.get("difficulty")
    if isinstance(difficulty, str) and difficulty.strip() and difficulty not in DIFFICULTIES:
        bad("difficulty", f"unknown difficulty {difficulty!r}; use one of {', '.join(DIFFICULTIES)}")
    kind = item.get("kind")
    if isinstance(kind, str) and kind.strip() and kind not in KINDS:
        bad("kind", f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    for name in OPTIONAL_TEXT:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            bad(name, f"must be text, not {type(value).__name__}")

    for name in BOOL_FIELDS:
        if item.get(name) is not None and not isinstance(item.get(name), bool):
            bad(name, f"must be true or false, not {item.get(name)!r}")
    level = item.get("level")
    if isinstance(level, str) and level.strip() and level not in LEVELS:
        bad("level", f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    follow_ups, replies, message = parse_follow_ups(item.get("follow_ups"))
    if message:
        bad("follow_ups", message)
    lists: dict[str, list[str]] = {"follow_ups": follow_ups}
    for name in LIST_FIELDS:
        if name == "follow_ups":
            continue
        value = item.get(name)
        if value is None:
            lists[name] = []
        elif not isinstance(value, list):
            bad(name, "must be a list (one '- item' per line)")
            lists[name] = []
        elif all(type(v) is str for v in value) and all(items := [v.strip() for v in value]):
            lists[name] = items  # the usual case, checked quickly: every item is non-empty text
        elif not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) and str(v).strip() for v in value):
            bad(name, "every item must be non-empty text")
            lists[name] = []
        else:
            lists[name] = [str(v).strip() for v in value]

    has_answer = isinstance(item.get("answer"), str) and item["answer"].strip()
    users_own = isinstance(item.get("source"), str) and item["source"].strip().startswith(NO_RUBRIC_SOURCES)
    n_points = len(lists["looking_for"])
    # A question with an answer text, or one the user brought, may have no rubric yet; a partial rubric is still wrong.
    if (0 < n_points or not (has_answer or users_own)) and n_points < MIN_RUBRIC_POINTS and \
            not any(p.field == "looking_for" for p in problems):
        bad("looking_for", f"needs at least {MIN_RUBRIC_POINTS} points (has {n_points})")
    for name in sorted(set(item) - KNOWN_FIELDS):
        problems.append(Problem(shown, key_lines.get(str(name), line), qid_shown, str(name),
                                f"unknown field (ignored); known fields: {', '.join(sorted(KNOWN_FIELDS))}",
                                skipped=False))
    if any(p.skipped for p in problems):
        return None, problems

    prompt = str(item["prompt"]).strip()
    if isinstance(item.get("category"), str) and item["category"].strip():
        category = " ".join(item["category"].split())
    row = {
        "id": str(qid).strip(),
        "category": category,
        "category_slug": _category_slug(category),
        "prompt": prompt,
        "difficulty": str(difficulty),
        "kind": str(kind),
        **lists,
        "framework": (item.get("framework") or "").strip(),
        "answer": (item.get("answer") or "").strip(),
        "source": (item.get("source") or "original").strip(),
        "file": shown,
        "line": line,
        "hash": question_hash(prompt, lists["looking_for"]),
        "level": (level or "any").strip() if isinstance(level, str) else "any",
        "follow_up_replies": replies,
        "clarify_first": item.get("clarify_first"),
    }
    return row, problems


def parse_follow_ups(value: Any) -> tuple[list[str], list[list[str]], str]:
    """Follow-ups as (asks, good replies per ask, problem). Each item is a question, or a coached one:
    ``{ask: ..., good_reply: [1-3 bullets on what a good reply covers]}``. An empty problem means valid."""
    if value is None:
        return [], [], ""
    if not isinstance(value, list):
        return [], [], "must be a list (one '- item' per line)"
    asks: list[str] = []
    replies: list[list[str]] = []
    for item in value:
        if isinstance(item, dict):
            ask, reply = item.get("ask"), item.get("good_reply", [])
            if isinstance(reply, str):
                reply = [reply]
            if not isinstance(ask, str) or not ask.strip():
                return [], [], "a coached follow-up needs 'ask': the question the interviewer asks"
            if set(item) - {"ask", "good_reply"}:
                return [], [], f"a coached follow-up has only 'ask' and 'good_reply', not {sorted(set(item) - {'ask', 'good_reply'})}"
            if not isinstance(reply, list) or len(reply) > MAX_GOOD_REPLY or \
                    not all(isinstance(r, (str, int, float)) and not isinstance(r, bool) and str(r).strip() for r in reply):
                return [], [], f"'good_reply' must be 1 to {MAX_GOOD_REPLY} bullets of text"
            asks.append(" ".join(ask.split()) if "\n" not in ask.strip() else ask.strip())
            replies.append([str(r).strip() for r in reply])
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            asks.append(str(item).strip())
            replies.append([])
        else:
            return [], [], "every item must be non-empty text or {ask: ..., good_reply: [...]}"
    return asks, replies, ""


def follow_ups_for_yaml(asks: list[str], replies: list[list[str]] | None) -> list[Any]:
    """Follow-ups as written in a bank file: coached ones as mappings, the others as plain text."""
    replies = list(replies or [])
    replies += [[]] * (len(asks) - len(replies))
    return [{"ask": a, "good_reply": list(r)} if r else a for a, r in zip(asks, replies)]


def _check_file(path: Path, shown: str) -> tuple[str, list[dict[str, Any]], list[Problem]]:
    """Parse and validate one file: its category, its valid rows and its problems (no cross-file checks)."""
    with paused_gc():
        return _check_parsed(path, shown)


def _check_parsed(path: Path, shown: str) -> tuple[str, list[dict[str, Any]], list[Problem]]:
    data, root, problems = _parse(path, shown)
    if problems:
        return "", [], problems
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        msg = "the file must be a mapping with 'category' and a list 'questions'"
        return "", [], [Problem(shown, 1, "-", "questions", msg)]
    category = data.get("category")
    if not isinstance(category, str) or not category.strip():
        line = _mapping_lines(root).get("category", 1) if root is not None else 1
        return "", [], [Problem(shown, line, "-", "category", "missing or empty; name the file's category")]
    category = " ".join(category.split())  # non-breaking and doubled spaces become one space
    track = clean_track(data.get("track"))
    if data.get("track") is not None and not track:
        line = _mapping_lines(root).get("track", 1) if root is not None else 1
        problems.append(Problem(shown, line, "-", "track", "not a name; the file's questions join its default "
                                "track (write a short name, or remove the key)", skipped=False))
    nodes = _question_nodes(root)
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(data["questions"]):
        node = nodes[index] if index < len(nodes) else None
        line = _line_of(node)
        row, found = check_question(item, shown, line, {}, category)
        if found and node is not None:  # only then is each field's own line worth finding
            row, found = check_question(item, shown, line, _mapping_lines(node), category)
        problems.extend(found)
        if row is not None:
            row["track"] = track
            rows.append(row)
    return category, rows, problems


# The parse cache: one JSON file per bank file, valid while the file's mtime and size and this module's
# code are unchanged (so a change to the validation rules never serves stale results). JSON, not pickle:
# a file planted in the cache folder can never run code.
_CODE_KEY = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


Checked = tuple[str, list[dict[str, Any]], list[Problem]]  # a file's category, valid rows and problems


def _cache_slot(path: Path, shown: str, cache_dir: Path) -> tuple[str, Path] | None:
    """The parse cache's key for the file as it is now (mtime, size, code, name) and its entry, or None."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = f"{path.resolve()}|{st.st_mtime_ns}|{st.st_size}|{_CODE_KEY}|{shown}"
    return key, cache_dir / f"{hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:20]}.json"


def _store(entry: Path, key: str, checked: Checked) -> None:
    category, rows, problems = checked
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(".part")
        partial.write_text(json.dumps({"key": key, "category": category, "rows": rows,
                                       "problems": [p.__dict__ for p in problems]}, ensure_ascii=False),
                           encoding="utf-8")
        partial.replace(entry)
    except OSError:
        pass  # a cache we cannot write only costs time


def _cached_check(path: Path, shown: str, cache_dir: Path | None) -> Checked:
    slot = _cache_slot(path, shown, cache_dir) if cache_dir is not None else None
    if slot is None:
        return _check_file(path, shown)
    key, entry = slot
    try:
        cached = json.loads(entry.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached["category"], cached["rows"], [Problem(**p) for p in cached["problems"]]
    except (OSError, ValueError, TypeError, KeyError):
        pass  # no cache yet, or a damaged one: parse again
    checked = _check_file(path, shown)
    _store(entry, key, checked)
    return checked


def cached_check(path: Path, shown: str, cache_dir: Path | None) -> Checked:
    """``check_file`` served from the parse cache when the file has not changed since it was last checked."""
    return _cached_check(path, shown, cache_dir)


def check_file(path: Path, shown: str) -> Checked:
    """Parse and validate the file at ``path`` as if it were the bank file shown as ``shown`` (a writer checks
    its temp file this way before moving it into place). No cross-file checks; see ``file_result``."""
    return _check_file(path, shown)


def remember_check(path: Path, checked: Checked, cache_dir: Path) -> None:
    """Put ``check_file``'s result for ``path`` (as the file is now on disk) in the parse cache, so the next
    load does not parse the file again. Only for a result of this very content (the writer's own check)."""
    slot = _cache_slot(path, display_path(path), cache_dir)
    if slot is not None:
        _store(slot[1], slot[0], checked)


def file_result(shown: str, checked: Checked, seen_ids: dict[str, str] | None = None) -> tuple[list[dict[str, Any]], BankFile]:
    """A checked file's rows and BankFile, with duplicate ids (within it, or in ``seen_ids``) reported."""
    seen_ids = {} if seen_ids is None else seen_ids
    category, candidates, found = checked
    problems = list(found)
    rows: list[dict[str, Any]] = []
    for row in candidates:
        if row["id"] in seen_ids:
            problems.append(Problem(shown, row["line"], row["id"], "id", f"duplicate id (first defined at "
                                    f"{seen_ids[row['id']]}); give this question a new id"))
            continue
        seen_ids[row["id"]] = f"{shown}:{row['line']}"
        rows.append(row)
    return rows, BankFile(shown, category, len(rows), problems)


def load_file(path: Path, seen_ids: dict[str, str] | None = None,
              cache_dir: Path | None = None) -> tuple[list[dict[str, Any]], BankFile]:
    """Load and validate one bank file. ``seen_ids`` (id -> where) catches duplicates across files."""
    shown = display_path(path)
    return file_result(shown, _cached_check(path, shown, cache_dir), seen_ids)


def bank_files(paths: list[Path]) -> list[Path]:
    """Expand directories into their YAML files (sorted); missing paths are skipped."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
    return files


def _signature(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    sig = []
    for path in bank_files(paths):
        try:
            st = path.stat()
        except OSError:
            continue
        sig.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sig)


@lru_cache(maxsize=8)
def _load_signature(signature: tuple[tuple[str, int, int], ...], cache_dir: Path | None = None,
                    own_dir: Path | None = None) -> Bank:
    seen: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    files: list[BankFile] = []
    own = own_dir.resolve() if own_dir is not None else None
    with paused_gc():
        for path_text, _, _ in signature:
            path = Path(path_text)
            found, info = load_file(path, seen, cache_dir)
            default = track_from_file(path) if own is not None and path.resolve().parent == own else SHIPPED_TRACK
            for row in found:
                row["track"] = row.get("track") or default
            info.track = found[0]["track"] if found else ""
            rows.extend(found)
            files.append(info)
        frame = pd.DataFrame(rows, columns=COLUMNS)
    problems = [p for f in files for p in f.problems]
    key = hashlib.sha256(repr(signature).encode("utf-8")).hexdigest()[:16]
    return Bank(frame, problems, files, key)


def load_bank(paths: list[Path], cache_dir: Path | None = None, own_dir: Path | None = None) -> Bank:
    """Load every bank file under ``paths``; cached until a file's mtime or size changes.

    With ``cache_dir``, each file's parsed rows are also kept there as JSON, so a new process does not
    parse unchanged YAML again. Files directly in ``own_dir`` (the user's banks folder) that name no track
    are each a track of their own. The returned Bank is shared by callers: treat it as read-only.
    """
    return _load_signature(_signature(paths), cache_dir, own_dir)


def problems_in_paths(paths: list[Path]) -> tuple[int, list[Problem]]:
    """Validate files or directories without caching (for ``mlprep validate``).

    Returns the number of files read and every problem found.
    """
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    files = bank_files(paths)
    for file in files:
        problems.extend(load_file(file, seen)[1].problems)
    return len(files), problems
