"""The weak-area list: which categories to study next and why, as Markdown, CSV or JSON.

The Dashboard's downloads and ``python -m mlprep weak-areas`` both call
``weak_areas`` and one of the ``to_*`` functions, so they say the same thing.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pandas as pd

from mlprep.readiness import band, category_readiness

FORMATS = ("md", "csv", "json")
NEXT_QUESTIONS = 3
TOP_MISSED = 3
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class QuestionRef:
    id: str
    prompt: str
    difficulty: str


@dataclass
class WeakArea:
    """One category, with the reasons it is weak and what to study next."""

    area: str
    slug: str
    readiness: float
    band: str
    label: str
    priority: float
    questions: int
    untouched: list[QuestionRef] = field(default_factory=list)
    practised_weak: list[QuestionRef] = field(default_factory=list)
    avg_rating: float | None = None
    overdue: int = 0
    top_missed: list[tuple[str, int]] = field(default_factory=list)
    next_questions: list[QuestionRef] = field(default_factory=list)


def _refs(frame: pd.DataFrame) -> list[QuestionRef]:
    return [QuestionRef(str(r.id), str(r.prompt).strip(), str(r.difficulty)) for r in frame.itertuples()]


_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


def weak_areas(scores: pd.DataFrame, missed: pd.DataFrame, weights: dict[str, float] | None = None,
               top: int | None = None, include_ready: bool = False) -> list[WeakArea]:
    """Categories weakest first (priority = (1 - readiness) x the category's weight).

    ``scores`` comes from readiness.question_scores; ``missed`` from Store.missed_points.
    Suspended questions are left out. Ready categories are left out unless ``include_ready``.
    """
    scores = scores[~scores["suspended"]]
    per_category = category_readiness(scores)
    weights = weights or {}
    missed_by_q = missed.groupby("question_id") if len(missed) else None
    areas: list[WeakArea] = []
    for row in per_category.itertuples():
        if row.band == "ready" and not include_ready:
            continue
        group = scores[scores["category"] == row.category]
        untouched = group[~group["practised"]].copy()
        untouched["order"] = untouched["difficulty"].map(_DIFFICULTY_ORDER).fillna(1)
        untouched = untouched.sort_values(["order", "id"])
        weak = group[group["practised"] & ~group["solid"]].sort_values(["overdue", "score"], ascending=[False, True])
        practised = group[group["practised"]]
        avg = float((practised["avg_rating"] * practised["reps"]).sum() / practised["reps"].sum()) \
            if len(practised) else None
        top_missed: list[tuple[str, int]] = []
        if missed_by_q is not None:
            ids = set(group["id"])
            subset = missed[missed["question_id"].isin(ids)]
            if len(subset):
                counts = subset.groupby("point")["missed"].sum().sort_values(ascending=False, kind="stable")
                top_missed = [(str(p), int(c)) for p, c in counts.head(TOP_MISSED).items()]
        next_q = pd.concat([weak, untouched]).head(NEXT_QUESTIONS)
        weight = float(weights.get(row.category, 1.0))
        areas.append(WeakArea(
            area=row.category, slug=row.category_slug, readiness=round(float(row.readiness), 3),
            band=band(float(row.readiness)), label=row.label, priority=round((1 - float(row.readiness)) * weight, 3),
            questions=int(row.questions), untouched=_refs(untouched), practised_weak=_refs(weak),
            avg_rating=round(avg, 2) if avg is not None else None, overdue=int(row.overdue),
            top_missed=top_missed, next_questions=_refs(next_q),
        ))
    areas.sort(key=lambda a: (-a.priority, a.readiness, a.area))
    return areas[:top] if top else areas


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_markdown(areas: list[WeakArea], generated: datetime | None = None) -> str:
    """A study plan to paste into notes: a heading per area, checkboxes for the next questions."""
    generated = generated or datetime.now(UTC)
    lines = ["# mlprep weak-area study plan", "",
             f"Generated {generated.astimezone().strftime('%Y-%m-%d %H:%M')}. Weakest first.", ""]
    if not areas:
        lines.append("No weak areas: every category is ready. Keep reviewing what is due.")
    for area in areas:
        lines += [f"## {area.area} — {area.label} ({area.band}, readiness {area.readiness:.0%})", ""]
        facts = [f"{len(area.untouched)} untouched", f"{len(area.practised_weak)} practised but not solid",
                 f"{area.overdue} overdue"]
        if area.avg_rating is not None:
            facts.append(f"average rating {area.avg_rating:.1f} / 4")
        lines += ["- " + ", ".join(facts), ""]
        if area.top_missed:
            lines.append("Rubric points you miss most:")
            lines += [f"- {_one_line(point)} (missed {count}x)" for point, count in area.top_missed]
            lines.append("")
        if area.next_questions:
            lines.append("Study next:")
            lines += [f"- [ ] {_one_line(q.prompt)} _({q.difficulty}, `{q.id}`)_" for q in area.next_questions]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def safe_cell(value: object) -> object:
    """A spreadsheet will not run a cell we wrote: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


CSV_COLUMNS = ["area", "readiness", "band", "solid", "questions", "untouched", "practised_weak", "avg_rating",
               "overdue", "top_missed", "next_questions"]


def to_csv(areas: list[WeakArea]) -> str:
    """One row per weak area."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in areas:
        writer.writerow([safe_cell(v) for v in [
            a.area, a.readiness, a.band, a.label, a.questions, len(a.untouched), len(a.practised_weak),
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
