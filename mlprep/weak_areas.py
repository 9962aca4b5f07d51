"""The weak-area list: which categories and topics to study next and why, as Markdown, CSV or JSON.

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

from mlprep.readiness import BAND_READY_FROM, TARGET_SOLID, band, category_readiness

FORMATS = ("md", "csv", "json")
NEXT_QUESTIONS = 3
TOP_MISSED = 3
TOP_TAGS = 5
MIN_TAG_QUESTIONS = 5  # a tag is a weak "topic" only when enough questions carry it
LISTED = 10  # questions listed per reason; the counts say how many there are in all
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


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


def _refs(frame: pd.DataFrame) -> list[QuestionRef]:
    return [QuestionRef(str(r.id), str(r.prompt).strip(), str(r.difficulty)) for r in frame.itertuples()]


def _area(name: str, kind: str, slug: str, group: pd.DataFrame, missed: pd.DataFrame, weight: float) -> WeakArea:
    """Everything the list says about one group of questions."""
    target = min(TARGET_SOLID, len(group))
    solid = int(group["solid"].sum())
    readiness = min(1.0, solid / target) if target else 0.0
    untouched_all = group[~group["practised"]]
    untouched = untouched_all.assign(_order=untouched_all["difficulty"].map(_DIFFICULTY_ORDER).fillna(1)) \
        .sort_values(["_order", "id"]).head(LISTED)
    weak_all = group[group["practised"] & ~group["solid"]]
    weak = weak_all.sort_values(["overdue", "score"], ascending=[False, True]).head(LISTED)
    practised = group[group["practised"]]
    reps = practised["reps"].sum()
    avg = float((practised["avg_rating"] * practised["reps"]).sum() / reps) if reps else None
    top_missed: list[tuple[str, int]] = []
    if len(missed):
        subset = missed[missed["question_id"].isin(set(group["id"]))]
        if len(subset):
            counts = subset.groupby("point")["missed"].sum().sort_values(ascending=False, kind="stable")
            top_missed = [(str(p), int(c)) for p, c in counts.head(TOP_MISSED).items()]
    return WeakArea(
        area=name, kind=kind, slug=slug, readiness=round(readiness, 3), band=band(readiness),
        label=f"{min(solid, target)} of {target} solid", priority=round((1 - readiness) * weight, 3),
        questions=len(group), untouched_count=len(untouched_all), practised_weak_count=len(weak_all),
        untouched=_refs(untouched), practised_weak=_refs(weak),
        avg_rating=round(avg, 2) if avg is not None else None, overdue=int(group["overdue"].sum()),
        top_missed=top_missed, next_questions=_refs(pd.concat([weak, untouched]).head(NEXT_QUESTIONS)),
    )


def weak_areas(scores: pd.DataFrame, missed: pd.DataFrame, weights: dict[str, float] | None = None,
               top: int | None = None, include_ready: bool = False, tags: bool = True) -> list[WeakArea]:
    """Categories weakest first (priority = (1 - readiness) x the category's weight), then the weakest tags.

    ``scores`` comes from readiness.question_scores; ``missed`` from Store.missed_points. Suspended
    questions are left out; ready areas too unless ``include_ready``. ``top`` limits the categories.
    """
    scores = scores[~scores["suspended"]]
    weights = weights or {}
    by_category = dict(tuple(scores.groupby("category", sort=False)))
    areas = [
        _area(row.category, "category", row.category_slug, by_category[row.category], missed,
              float(weights.get(row.category, 1.0)))
        for row in category_readiness(scores).itertuples()
    ]
    areas = [a for a in areas if include_ready or a.band != "ready"]
    areas.sort(key=lambda a: (-a.priority, a.readiness, a.area))
    if top:
        areas = areas[:top]
    if tags and len(scores):
        areas += _weak_topics(scores, missed, weights, include_ready)
    return areas


def _weak_topics(scores: pd.DataFrame, missed: pd.DataFrame, weights: dict[str, float],
                 include_ready: bool) -> list[WeakArea]:
    """The TOP_TAGS weakest tags carried by at least MIN_TAG_QUESTIONS questions.

    Readiness and priority for every tag come from one groupby; the detailed reasons are built only for
    the tags that make the list (a bank can have hundreds of tags).
    """
    exploded = scores[["id", "tags", "category", "solid"]].explode("tags").dropna(subset=["tags"])
    exploded = exploded.drop_duplicates(["id", "tags"])
    exploded["weight"] = exploded["category"].map(lambda c: weights.get(c, 1.0))
    per_tag = exploded.groupby("tags").agg(questions=("id", "size"), solid=("solid", "sum"), weight=("weight", "mean"))
    per_tag = per_tag[per_tag["questions"] >= MIN_TAG_QUESTIONS]
    readiness = (per_tag["solid"] / per_tag["questions"].clip(upper=TARGET_SOLID)).clip(upper=1.0)
    if not include_ready:
        per_tag, readiness = per_tag[readiness < BAND_READY_FROM], readiness[readiness < BAND_READY_FROM]
    per_tag = per_tag.assign(readiness=readiness, priority=(1 - readiness) * per_tag["weight"])
    chosen = per_tag.sort_values(["priority", "readiness"], ascending=[False, True], kind="stable").head(TOP_TAGS)
    ids_by_tag = exploded[exploded["tags"].isin(chosen.index)].groupby("tags")["id"].apply(set)
    return [_area(str(tag), "tag", str(tag), scores[scores["id"].isin(ids_by_tag[tag])], missed, float(row.weight))
            for tag, row in chosen.iterrows()]


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
