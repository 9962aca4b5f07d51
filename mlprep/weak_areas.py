"""The weak-area list: which categories and topics to study next and why, as Markdown, CSV or JSON.

The Dashboard's downloads and ``python -m mlprep weak-areas`` both call
``weak_areas`` and one of the ``to_*`` functions, so they say the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pandas as pd

from mlprep.readiness import BAND_READY_FROM, TARGET_SOLID, band, category_readiness

FORMATS = ("md", "csv", "json")
NEXT_QUESTIONS = 3
TOP_MISSED = 3
TOP_TAGS = 5
MIN_TAG_QUESTIONS = 5  # a tag is a weak "topic" only when enough questions carry it
LISTED = 10  # questions listed per reason; the counts say how many there are in all
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}
_COLUMNS = ["id", "category", "category_slug", "prompt", "difficulty", "tags", "practised", "solid", "score",
            "overdue", "reps", "avg_rating"]


@dataclass
class QuestionRef:
    id: str
    prompt: str
    difficulty: str


@dataclass
class WeakArea:
    """One category (or tag), with the reasons it is weak and what to study next."""

    area: str
    kind: str  # "category" or "tag"
    slug: str
    readiness: float
    band: str
    label: str
    priority: float
    questions: int
    untouched_count: int = 0
    practised_weak_count: int = 0
    untouched: list[QuestionRef] = field(default_factory=list)  # the first LISTED of each, easiest first
    practised_weak: list[QuestionRef] = field(default_factory=list)  # weakest (and overdue) first
    avg_rating: float | None = None
    overdue: int = 0
    top_missed: list[tuple[str, int]] = field(default_factory=list)
    next_questions: list[QuestionRef] = field(default_factory=list)


def _refs(rows: list[dict]) -> list[QuestionRef]:
    return [QuestionRef(str(r["id"]), str(r["prompt"]).strip(), str(r["difficulty"])) for r in rows]


def _area(name: str, kind: str, slug: str, rows: list[dict], missed: dict[str, list[tuple[str, int]]],
          weight: float) -> WeakArea:
    """Everything the list says about one group of questions (plain Python: a few thousand rows at most)."""
    target = min(TARGET_SOLID, len(rows))
    solid = sum(1 for r in rows if r["solid"])
    readiness = min(1.0, solid / target) if target else 0.0
    untouched_all = [r for r in rows if not r["practised"]]
    untouched = sorted(untouched_all, key=lambda r: (_DIFFICULTY_ORDER.get(r["difficulty"], 1), r["id"]))[:LISTED]
    weak_all = [r for r in rows if r["practised"] and not r["solid"]]
    weak = sorted(weak_all, key=lambda r: (not r["overdue"], r["score"]))[:LISTED]
    reps = sum(r["reps"] for r in rows if r["practised"])
    avg = sum(r["avg_rating"] * r["reps"] for r in rows if r["practised"]) / reps if reps else None
    counts: Counter[str] = Counter()
    for r in rows:
        for point, n in missed.get(r["id"], ()):
            counts[point] += n
    top_missed = sorted(counts.items(), key=lambda pc: -pc[1])[:TOP_MISSED]  # stable: first missed first on ties
    return WeakArea(
        area=name, kind=kind, slug=slug, readiness=round(readiness, 3), band=band(readiness),
        label=f"{min(solid, target)} of {target} solid", priority=round((1 - readiness) * weight, 3),
        questions=len(rows), untouched_count=len(untouched_all), practised_weak_count=len(weak_all),
        untouched=_refs(untouched), practised_weak=_refs(weak),
        avg_rating=round(avg, 2) if avg is not None else None, overdue=sum(1 for r in rows if r["overdue"]),
        top_missed=[(str(p), int(c)) for p, c in top_missed], next_questions=_refs((weak + untouched)[:NEXT_QUESTIONS]),
    )


def weak_areas(scores: pd.DataFrame, missed: pd.DataFrame, weights: dict[str, float] | None = None,
               top: int | None = None, include_ready: bool = False, tags: bool = True) -> list[WeakArea]:
    """Categories weakest first (priority = (1 - readiness) x the category's weight), then the weakest tags.

    ``scores`` comes from readiness.question_scores; ``missed`` from Store.missed_points. Suspended
    questions are left out; ready areas too unless ``include_ready``. ``top`` limits the categories.
    """
    live = scores.loc[~scores["suspended"], _COLUMNS]
    weights = weights or {}
    columns = [live[c].tolist() for c in _COLUMNS]  # column-wise is much faster than to_dict("records")
    rows = [dict(zip(_COLUMNS, values)) for values in zip(*columns)]
    by_category: dict[str, list[dict]] = {}
    for r in rows:
        by_category.setdefault(r["category"], []).append(r)
    missed_by_q: dict[str, list[tuple[str, int]]] = {}
    if len(missed):
        for qid, point, n in zip(missed["question_id"].tolist(), missed["point"].tolist(), missed["missed"].tolist()):
            missed_by_q.setdefault(qid, []).append((point, int(n)))
    areas = [_area(row.category, "category", row.category_slug, by_category[row.category], missed_by_q,
                   float(weights.get(row.category, 1.0)))
             for row in category_readiness(live).itertuples()]
    areas = [a for a in areas if include_ready or a.band != "ready"]
    areas.sort(key=lambda a: (-a.priority, a.readiness, a.area))
    if top:
        areas = areas[:top]
    if tags and rows:
        areas += _weak_topics(rows, missed_by_q, weights, include_ready)
    return areas


def _weak_topics(rows: list[dict], missed: dict[str, list[tuple[str, int]]], weights: dict[str, float],
                 include_ready: bool) -> list[WeakArea]:
    """The TOP_TAGS weakest tags carried by at least MIN_TAG_QUESTIONS questions."""
    by_tag: dict[str, list[dict]] = {}
    for r in rows:
        for tag in dict.fromkeys(r["tags"] if isinstance(r["tags"], list) else list(r["tags"])):
            by_tag.setdefault(str(tag), []).append(r)
    candidates = []
    for tag, group in sorted(by_tag.items()):
        if len(group) < MIN_TAG_QUESTIONS:
            continue
        readiness = min(1.0, sum(1 for r in group if r["solid"]) / min(TARGET_SOLID, len(group)))
        if readiness >= BAND_READY_FROM and not include_ready:
            continue
        weight = sum(weights.get(r["category"], 1.0) for r in group) / len(group)
        candidates.append(((1 - readiness) * weight, readiness, tag, weight, group))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [_area(tag, "tag", tag, group, missed, weight) for _, _, tag, weight, group in candidates[:TOP_TAGS]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _markdown_area(area: WeakArea) -> list[str]:
    title = area.area if area.kind == "category" else f"Topic: {area.area}"
    lines = [f"## {title} — {area.label} ({area.band}, readiness {area.readiness:.0%})", ""]
    facts = [f"{area.untouched_count} untouched", f"{area.practised_weak_count} practised but not solid",
             f"{area.overdue} overdue"]
    if area.avg_rating is not None:
        facts.append(f"average rating {area.avg_rating:.1f} / 4")
    lines += ["- " + ", ".join(facts), ""]
    if area.top_missed:
        lines.append("Rubric points you miss most:")
        lines += [f"- {_one_line(point)} (missed {count}x)" for point, count in area.top_missed]
        lines.append("")
    if area.practised_weak:
        lines.append("Practised but not solid yet:")
        lines += [f"- {_one_line(q.prompt)} (`{q.id}`)" for q in area.practised_weak[:5]]
        lines.append("")
    if area.next_questions:
        lines.append("Study next:")
        lines += [f"- [ ] {_one_line(q.prompt)} _({q.difficulty}, `{q.id}`)_" for q in area.next_questions]
        lines.append("")
    return lines


def to_markdown(areas: list[WeakArea], generated: datetime | None = None) -> str:
    """A study plan to paste into notes: a heading per area, checkboxes for the next questions."""
    generated = generated or datetime.now(UTC)
    lines = ["# mlprep weak-area study plan", "",
             f"Generated {generated.astimezone().strftime('%Y-%m-%d %H:%M')}. Weakest first.", ""]
    categories = [a for a in areas if a.kind == "category"]
    topics = [a for a in areas if a.kind == "tag"]
    if not categories:
        lines += ["No weak categories: every category is ready. Keep reviewing what is due.", ""]
    for area in categories:
        lines += _markdown_area(area)
    if topics:
        lines += ["# Weak topics across categories", ""]
        for area in topics:
            lines += _markdown_area(area)
    return "\n".join(lines).rstrip() + "\n"


def safe_cell(value: object) -> object:
    """A spreadsheet will not run a cell we wrote: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


CSV_COLUMNS = ["area", "kind", "readiness", "band", "solid", "questions", "untouched", "practised_weak",
               "avg_rating", "overdue", "top_missed", "next_questions"]


def to_csv(areas: list[WeakArea]) -> str:
    """One row per weak area."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in areas:
        writer.writerow([safe_cell(v) for v in [
            a.area, a.kind, a.readiness, a.band, a.label, a.questions, a.untouched_count, a.practised_weak_count,
            "" if a.avg_rating is None else a.avg_rating, a.overdue,
            " | ".join(f"{_one_line(p)} ({c})" for p, c in a.top_missed),
            " | ".join(_one_line(q.prompt) for q in a.next_questions),
        ]])
    return buffer.getvalue()


def to_json(areas: list[WeakArea]) -> str:
    return json.dumps([asdict(a) for a in areas], indent=2, ensure_ascii=False) + "\n"


def render(areas: list[WeakArea], fmt: str) -> str:
    """The weak-area list in one of FORMATS."""
    if fmt == "md":
        return to_markdown(areas)
    if fmt == "csv":
        return to_csv(areas)
    if fmt == "json":
        return to_json(areas)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
