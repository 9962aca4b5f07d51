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

import numpy as np
import pandas as pd

from mlprep.readiness import BAND_READY_FROM, area_readiness, band, category_readiness, readiness_target
from mlprep.spreadsheet import safe_cell
from mlprep.study import round_weights, weight_notes

FORMATS = ("md", "csv", "json")
PLAN_AREAS = 5  # categories in the printable study plan, unless asked for more
NEXT_QUESTIONS = 3
TOP_MISSED = 3
TOP_TAGS = 5
MIN_TAG_QUESTIONS = 5  # a tag is a weak "topic" only when enough questions carry it
LISTED = 10  # questions listed per reason; the counts say how many there are in all
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
    weight: float = 1.0
    weight_note: str = ""  # 'counts ×1.5: your loop has a Behavioral round' when the loop weights it


def rank_categories(per_category: pd.DataFrame, rounds: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """THE ranking of a track's categories, weakest first; every list of areas in the app comes from it.

    Categories below "ready" come first, by priority = (1 - readiness) x weight, where the weight is 1 plus
    0.5 for each of the loop's round types that draws on the category (``weight_note`` says so); then the
    ready ones, least ready first. Ties go to the lower readiness, then the less practised, then the name. Adds ``weight``,
    ``priority`` and ``weight_note`` to ``per_category`` (from ``readiness.category_readiness``).
    """
    weights, notes = round_weights(rounds), weight_notes(rounds)
    names = per_category["category"].tolist()
    ranked = per_category.assign(weight=[float(weights.get(c, 1.0)) for c in names],
                                 weight_note=[notes.get(c, "") for c in names])
    ranked["priority"] = ((1 - ranked["readiness"].astype(float)) * ranked["weight"]).round(3)
    ranked["_ready"] = ranked["band"] == "ready"
    ranked = ranked.sort_values(["_ready", "priority", "readiness", "practised", "category"],
                                ascending=[True, False, True, True, True], kind="stable")
    return ranked.drop(columns="_ready").reset_index(drop=True)


class _Frame:
    """The scores as arrays, so each area is a set of positions: no per-question Python objects are built."""

    def __init__(self, scores: pd.DataFrame, missed: pd.DataFrame) -> None:
        live = scores.loc[~scores["suspended"], _COLUMNS].reset_index(drop=True)
        self.live = live
        self.ids = live["id"].to_numpy(dtype=object)
        self.prompts = live["prompt"].to_numpy(dtype=object)
        self.difficulty = live["difficulty"].to_numpy(dtype=object)
        self.rank = live["difficulty"].map(_DIFFICULTY_ORDER).fillna(1).to_numpy(dtype=float)
        self.practised = live["practised"].to_numpy(dtype=bool)
        self.solid = live["solid"].to_numpy(dtype=bool)
        self.overdue = live["overdue"].to_numpy(dtype=bool)
        self.score = live["score"].to_numpy(dtype=float)
        self.reps = live["reps"].to_numpy(dtype=float)
        self.avg = np.nan_to_num(live["avg_rating"].to_numpy(dtype=float))
        if len(missed):
            where = pd.Index(self.ids).get_indexer(missed["question_id"].to_numpy(dtype=object))
            keep = where >= 0
            self.missed_pos = where[keep]
            self.missed_point = missed["point"].to_numpy(dtype=object)[keep]
            self.missed_n = missed["missed"].to_numpy(dtype=np.int64)[keep]
        else:
            self.missed_pos = np.array([], dtype=np.int64)
            self.missed_point = np.array([], dtype=object)
            self.missed_n = np.array([], dtype=np.int64)

    def refs(self, positions: np.ndarray) -> list[QuestionRef]:
        return [QuestionRef(str(self.ids[p]), str(self.prompts[p]).strip(), str(self.difficulty[p]))
                for p in positions]

    def top_missed(self, positions: np.ndarray) -> list[tuple[str, int]]:
        """Most-missed rubric points of a group; ties keep the order of first appearance (by question)."""
        chosen = np.flatnonzero(np.isin(self.missed_pos, positions))
        chosen = chosen[np.argsort(self.missed_pos[chosen], kind="stable")]
        counts: Counter[str] = Counter()
        for i in chosen:
            counts[str(self.missed_point[i])] += int(self.missed_n[i])
        return sorted(counts.items(), key=lambda pc: -pc[1])[:TOP_MISSED]


def _area(frame: _Frame, name: str, kind: str, slug: str, positions: np.ndarray, weight: float,
          note: str = "") -> WeakArea:
    """Everything the list says about one group of questions, given by their positions in ``frame``."""
    target = readiness_target(len(positions))
    solid = int(frame.solid[positions].sum())
    readiness = area_readiness(solid, len(positions))
    untouched_all = positions[~frame.practised[positions]]
    untouched = untouched_all[np.lexsort((frame.ids[untouched_all].astype(str), frame.rank[untouched_all]))][:LISTED]
    weak_all = positions[frame.practised[positions] & ~frame.solid[positions]]
    weak = weak_all[np.lexsort((frame.score[weak_all], ~frame.overdue[weak_all]))][:LISTED]
    practised = positions[frame.practised[positions]]
    reps = float(frame.reps[practised].sum())
    avg = float((frame.avg[practised] * frame.reps[practised]).sum()) / reps if reps else None
    return WeakArea(
        area=name, kind=kind, slug=slug, readiness=round(readiness, 3), band=band(readiness),
        label=f"{min(solid, target)} of {target} solid", priority=round((1 - readiness) * weight, 3),
        questions=len(positions), untouched_count=len(untouched_all), practised_weak_count=len(weak_all),
        untouched=frame.refs(untouched), practised_weak=frame.refs(weak),
        avg_rating=round(avg, 2) if avg is not None else None, overdue=int(frame.overdue[positions].sum()),
        top_missed=frame.top_missed(positions),
        next_questions=frame.refs(np.concatenate([weak, untouched])[:NEXT_QUESTIONS]),
        weight=weight, weight_note=note,
    )


def weak_areas(scores: pd.DataFrame, missed: pd.DataFrame, rounds: list[str] | tuple[str, ...] = (),
               top: int | None = None, include_ready: bool = False, tags: bool = True) -> list[WeakArea]:
    """Categories in the order of ``rank_categories`` (weakest first, the loop's rounds weighting), then the
    weakest tags.

    ``scores`` comes from readiness.question_scores (one track's questions); ``missed`` from
    Store.missed_points. Suspended questions are left out; ready areas too unless ``include_ready``.
    ``top`` limits the categories.
    """
    frame = _Frame(scores, missed)
    groups = frame.live.groupby("category", sort=False).indices
    ranked = rank_categories(category_readiness(frame.live), rounds)
    areas = [_area(frame, row.category, "category", row.category_slug, np.sort(groups[row.category]),
                   float(row.weight), row.weight_note)
             for row in ranked.itertuples() if include_ready or row.band != "ready"]
    if top:
        areas = areas[:top]
    if tags and len(frame.live):
        areas += _weak_topics(frame, round_weights(rounds), include_ready)
    return areas


def _weak_topics(frame: _Frame, weights: dict[str, float], include_ready: bool) -> list[WeakArea]:
    """The TOP_TAGS weakest tags carried by at least MIN_TAG_QUESTIONS questions."""
    exploded = frame.live["tags"].explode().dropna()
    pairs = pd.DataFrame({"pos": exploded.index.to_numpy(), "tag": exploded.astype(str).to_numpy()})
    pairs = pairs.drop_duplicates()
    category_weight = frame.live["category"].map(lambda c: weights.get(c, 1.0)).to_numpy(dtype=float)
    candidates = []
    pos = pairs["pos"].to_numpy()
    for tag, rows in sorted(pairs.groupby("tag").indices.items()):
        positions = np.sort(pos[rows])
        if len(positions) < MIN_TAG_QUESTIONS:
            continue
        readiness = area_readiness(int(frame.solid[positions].sum()), len(positions))
        if readiness >= BAND_READY_FROM and not include_ready:
            continue
        weight = float(category_weight[positions].mean())
        candidates.append(((1 - readiness) * weight, readiness, str(tag), weight, positions))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    return [_area(frame, tag, "tag", tag, positions, weight) for _, _, tag, weight, positions in candidates[:TOP_TAGS]]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _markdown_area(area: WeakArea) -> list[str]:
    title = area.area if area.kind == "category" else f"Topic: {area.area}"
    lines = [f"## {title} — {area.label} ({area.band}, readiness {area.readiness:.0%})", ""]
    if area.weight_note:
        lines += [f"_{area.weight_note[0].upper()}{area.weight_note[1:]}._", ""]
    facts = [f"{area.untouched_count} untouched", f"{area.practised_weak_count} practised but not solid",
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
    return lines


def to_markdown(areas: list[WeakArea], generated: datetime | None = None, limit: int | None = PLAN_AREAS,
                track: str = "") -> str:
    """A study plan a person would print: the weak categories in the on-screen order (at most ``limit``),
    each with the rubric points most often missed and the next questions to study, as checkboxes."""
    generated = generated or datetime.now(UTC)
    categories = [a for a in areas if a.kind == "category" and a.band != "ready"]
    shown = categories[:limit] if limit else categories
    lines = ["# mlprep weak-area study plan", ""]
    if track:
        lines += [f"Track: {track}.", ""]
    lines += [f"Generated {generated.astimezone().strftime('%Y-%m-%d %H:%M')}. Weakest first"
             f"{f' ({len(shown)} of {len(categories)} areas below ready)' if len(shown) < len(categories) else ''}.",
             ""]
    if not categories:
        lines += ["No weak categories: every category is ready. Keep reviewing what is due.", ""]
    for area in shown:
        lines += _markdown_area(area)
    return "\n".join(lines).rstrip() + "\n"


CSV_COLUMNS = ["area", "kind", "readiness", "band", "solid", "questions", "untouched", "practised_weak",
               "avg_rating", "overdue", "top_missed", "next_questions", "weight_note"]


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
            " | ".join(_one_line(q.prompt) for q in a.next_questions), a.weight_note,
        ]])
    return buffer.getvalue()


def to_json(areas: list[WeakArea]) -> str:
    return json.dumps([asdict(a) for a in areas], indent=2, ensure_ascii=False) + "\n"


def render(areas: list[WeakArea], fmt: str, limit: int | None = PLAN_AREAS, track: str = "") -> str:
    """The weak-area list in one of FORMATS (the Markdown plan keeps at most ``limit`` categories)."""
    if fmt == "md":
        return to_markdown(areas, limit=limit, track=track)
    if fmt == "csv":
        return to_csv(areas)
    if fmt == "json":
        return to_json(areas)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
