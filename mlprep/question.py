"""A question of the bank, as a typed object, and the one list of the question schema's fields.

``QUESTION_FIELDS`` is the schema's field list in file order; the loader, the importers, the exporters and the
user banks all use it. ``Question.from_dict`` reads either a bank file's mapping (follow-ups as text or
``{ask, good_reply}``) or a row of the loaded bank (follow-ups as asks plus ``follow_up_replies``);
``to_dict`` gives the file form back, so ``Question.from_dict(q.to_dict()) == q``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class FollowUp:
    """A follow-up the interviewer may ask, and what a good reply covers (empty when not coached)."""

    ask: str
    good_reply: tuple[str, ...] = ()

    def to_dict(self) -> str | dict[str, Any]:
        return {"ask": self.ask, "good_reply": list(self.good_reply)} if self.good_reply else self.ask

    @classmethod
    def from_dict(cls, value: str | Mapping[str, Any]) -> FollowUp:
        if isinstance(value, Mapping):
            reply = value.get("good_reply") or ()
            return cls(str(value["ask"]).strip(),
                       tuple(str(r).strip() for r in ([reply] if isinstance(reply, str) else reply)))
        return cls(str(value).strip())


@dataclass(frozen=True)
class Question:
    """One question in the bank schema (data/questions/README.md)."""

    id: str
    category: str
    prompt: str
    difficulty: str
    kind: str
    level: str = "any"
    tags: tuple[str, ...] = ()
    looking_for: tuple[str, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    strong_answer: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    framework: str = ""
    answer: str = ""
    source: str = "original"
    clarify_first: bool | None = None  # None: by kind (scenario and design clarify first); False: never

    def to_dict(self) -> dict[str, Any]:
        """The file form: lists as lists, follow-ups as text or ``{ask, good_reply}``, empty fields left out."""
        out: dict[str, Any] = {}
        for name in QUESTION_FIELDS:
            value = getattr(self, name)
            if name == "follow_ups":
                value = [f.to_dict() for f in value]
            elif isinstance(value, tuple):
                value = list(value)
            if value not in ("", [], None) and not (name == "level" and value == "any"):
                out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Question:
        """From a file mapping or a loaded row (see the module docstring); unknown keys are ignored."""
        values: dict[str, Any] = {}
        for name in QUESTION_FIELDS:
            value = data.get(name)
            if value is None or (isinstance(value, float) and value != value):  # missing or NaN
                continue
            if name == "follow_ups":
                values[name] = _follow_ups(value, data.get("follow_up_replies"))
            elif name in BOOL_FIELDS:
                values[name] = parse_flag(value)
            elif name in LIST_FIELDS:
                values[name] = tuple(str(v).strip() for v in value)
            else:  # text is kept as the loader keeps it: trimmed
                values[name] = str(value).strip() or ("any" if name == "level" else "")
        return cls(**values)


def _follow_ups(asks: Sequence[Any], replies: Sequence[Sequence[str]] | None) -> tuple[FollowUp, ...]:
    items = [FollowUp.from_dict(a) for a in asks]
    if replies is not None and len(replies):
        items = [FollowUp(f.ask, tuple(str(r).strip() for r in replies[i]) if i < len(replies) else f.good_reply)
                 for i, f in enumerate(items)]
    return tuple(items)


QUESTION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Question))
LIST_FIELDS: tuple[str, ...] = ("tags", "looking_for", "follow_ups", "pitfalls", "strong_answer")
BOOL_FIELDS: tuple[str, ...] = ("clarify_first",)
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def parse_flag(value: Any) -> bool | None:
    """A yes/no field from a file (true/false) or a CSV cell (true/false, yes/no, 1/0); None when unset.
    ValueError for anything else."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text == "":
        return None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"{value!r} is not true or false")
