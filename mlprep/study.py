"""What to study next: filters, queue orders and the scheduler a user's settings imply."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
from fsrs import Scheduler

from mlprep.readiness import due_mask, readiness_target
from mlprep.schedule import MAX_INTERVAL_DAYS, SchedulerConfig, make_scheduler

ORDERS: dict[str, str] = {
    "due": "Due first, then new",
    "new": "New only",
    "weakest": "Weakest first",
    "shuffle": "Shuffle",
}
DEFAULT_ORDER = "due"
DEFAULT_NEW_PER_DAY = 20
DEFAULT_TARGET_S = 120  # the answer timer's target, settable on Settings
CLARIFY_KINDS = ("scenario", "design")  # questions that open with "what would you ask first?"


QUEUE_COLUMNS = ("id", "category", "difficulty", "level", "practised", "suspended", "due", "score", "solid")
PLAN_CATEGORIES_FROM = 2_000  # the categories a queue covers are counted over its first cards (a plan is shorter)


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the bank to; empty means everything (in the ``track``, when one is given)."""

    categories: tuple[str, ...] = ()  # category slugs
    difficulties: tuple[str, ...] = ()
    text: str = ""
    track: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the track is chosen (then the queue is not today's plan)."""
        return bool(self.categories or self.difficulties or self.text.strip())

    def apply(self, scores: pd.DataFrame) -> pd.DataFrame:
        frame = scores
        if self.track:
            frame = frame[frame["track"] == self.track]
        if self.categories:
            frame = frame[frame["category_slug"].isin(self.categories)]
        if self.difficulties:
            frame = frame[frame["difficulty"].isin(self.difficulties)]
        needle = self.text.strip().lower()
        if needle:
            haystack = frame["prompt"].str.lower() + " " + frame["id"] + " " + frame["tags"].map(" ".join)
            frame = frame[haystack.str.contains(needle, regex=False)]
        return frame


@dataclass
class Queue:
    """The ordered question ids left to study now, and why the queue may be short."""

    ids: list[str]
    matching: frozenset[str] = frozenset()  # every question the filters let through (rated or not)
    due: int = 0
    new_available: int = 0
    new_allowed: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    make_solid: int = 0  # questions of today's plan picked to make solid before the interview
    past_cap: bool = False  # a category was asked for past today's new-question limit: served anyway
    categories: dict[str, int] = field(default_factory=dict)  # category -> cards in the queue, in queue order


def above_level(levels: pd.Series, target: str) -> pd.Series:
    """True for questions aimed above the target level ("any" as a target prefers nothing)."""
    if target not in LEVEL_RANK or target == "any":
        return pd.Series(False, index=levels.index)
    return levels.map(LEVEL_RANK).fillna(0) > LEVEL_RANK[target]


def build_queue(scores: pd.DataFrame, order: str, filters: Filters, exclude: set[str] | frozenset[str] = frozenset(),
                now: datetime | None = None, new_left_today: int = DEFAULT_NEW_PER_DAY, seed: int = 0,
                level: str = "any", make_solid: tuple[str, ...] = ()) -> Queue:
    """Order the filtered, unsuspended questions; ``exclude`` holds ids already rated this session.

    The default order ("due") with no narrowing filter is today's plan: due cards, then new ones up to the
    daily cap, then ``make_solid`` (the day's picks, see ``pick_to_make_solid``) not yet reviewed. A link to
    a category is never a dead end: past the cap it serves that category's new questions, then its weakest.
    New questions at or below the target ``level`` come before those aimed above it.
    """
    now = now or datetime.now(UTC)
    chosen = filters.apply(scores)
    frame = _with_turns(chosen[[c for c in QUEUE_COLUMNS if c in chosen.columns]])  # narrow: cheaper sorts
    matching = frozenset(frame["id"].tolist())
    frame = frame[~frame["suspended"] & ~frame["id"].isin(exclude)]
    practised = frame[frame["practised"]]
    new = frame[~frame["practised"]]
    above = above_level(new["level"], level) if "level" in new else pd.Series(False, index=new.index)
    new = new.assign(_above=above).sort_values(["_above", "_turn", "_d", "category"], kind="stable")
    is_due = due_mask(practised, now)
    due = practised[is_due].sort_values(["due", "id"])
    past_cap, solid_ids = False, []
    if order == "due":
        allowed = max(0, new_left_today)
        ids = due["id"].tolist() + new["id"].head(allowed).tolist()
        if make_solid and not filters.narrowed:
            waiting = set(practised.loc[~is_due, "id"])
            solid_ids = [q for q in make_solid if q in waiting and q not in ids]
            ids += solid_ids
        if not ids and filters.categories:
            ids = new["id"].tolist() + practised[~is_due].sort_values(["score", "id"])["id"].tolist()
            past_cap = bool(ids)
        queue = Queue(ids, matching, due=len(due), new_available=len(new), new_allowed=min(allowed, len(new)),
                      make_solid=len(solid_ids), past_cap=past_cap)
    else:
        if order == "new":
            ids = new["id"].tolist()
        elif order == "weakest":
            ids = practised.sort_values(["score", "id"])["id"].tolist() + new["id"].tolist()
        elif order == "shuffle":
            ids = frame["id"].tolist()
            random.Random(seed).shuffle(ids)
        else:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        queue = Queue(ids, matching, due=len(due), new_available=len(new), new_allowed=len(new))
    served = frame.set_index("id").loc[queue.ids[:PLAN_CATEGORIES_FROM], "category"].tolist() if queue.ids else []
    for category in served:
        queue.categories[category] = queue.categories.get(category, 0) + 1
    return queue


def after_rating(queue: Queue, qid: str, category_of: Callable[[str], str | None]) -> Queue | None:
    """Today's plan (the default order, no narrowing) once ``qid``, a card of it, has been rated and so left
    it: what ``build_queue`` would give with ``qid`` excluded, without sorting the bank again. None when the
    queue is not such a plan or ``qid`` is not in it (then build it again).

    A due card leaves the due part; a new card leaves the new part, and the day's new-card allowance shrinks
    by that same card, so no other new card comes in; a card picked to make solid leaves the picks.
    """
    if queue.past_cap or qid not in queue.ids:
        return None
    at = queue.ids.index(qid)
    ids = queue.ids[:at] + queue.ids[at + 1:]
    due, new_available, new_allowed, make_solid = queue.due, queue.new_available, queue.new_allowed, queue.make_solid
    if at < due:
        due -= 1
    elif at < due + new_allowed:
        new_available, new_allowed = new_available - 1, new_allowed - 1
    elif at < due + new_allowed + make_solid:
        make_solid -= 1
    else:
        return None
    categories = dict(queue.categories)
    if at < PLAN_CATEGORIES_FROM:  # the counts cover the first cards only: one leaves, the next one comes in
        changes = [(category_of(qid), -1)]
        if len(ids) >= PLAN_CATEGORIES_FROM:
            changes.append((category_of(ids[PLAN_CATEGORIES_FROM - 1]), 1))
        for name, delta in changes:
            if name is not None:
                categories[name] = categories.get(name, 0) + delta
        categories = {name: n for name, n in categories.items() if n > 0}
    return Queue(ids, queue.matching, due=due, new_available=new_available, new_allowed=new_allowed,
                 make_solid=make_solid, categories=categories)


def pick_to_make_solid(scores: pd.DataFrame, track: str, days_left: int | None,
                       rounds: list[str] | tuple[str, ...] = (), now: datetime | None = None) -> tuple[str, ...]:
    """The day's questions to make solid before the interview (none without an interview date ahead).

    The gap (solid questions still missing to reach each category's target, in the loop's categories, or
    every category without a loop) is spread evenly over the days left; the picks are the weakest practised,
    not solid, not due questions of those categories. Picked once a day, so the plan only shrinks as you rate.
    """
    if days_left is None or days_left < 0:
        return ()
    now = now or datetime.now(UTC)
    live = scores[~scores["suspended"] & (scores["track"] == track)] if track else scores[~scores["suspended"]]
    chosen = set(round_weights(rounds)) if rounds else set(live["category"])
    live = live[live["category"].isin(chosen)]
    gap = 0
    for _, group in live.groupby("category"):
        gap += max(0, readiness_target(len(group)) - int(group["solid"].sum()))
    quota = -(-gap // max(1, days_left + 1))
    waiting = live[live["practised"] & ~live["solid"] & ~due_mask(live, now)]
    return tuple(waiting.sort_values(["score", "id"])["id"].head(quota))


_DIFFICULTY_RANK = {"easy": 0, "medium": 1, "hard": 2}
LEVEL_RANK = {"any": 0, "mid": 1, "senior": 2, "staff": 3}


def _with_turns(frame: pd.DataFrame) -> pd.DataFrame:
    """Each question's turn in its category (easy first), so new questions take turns between categories.

    Turns are counted over every question the filters let through, rated or not, so rating a category's first
    question moves that category back in line instead of letting it win again.
    """
    ordered = frame.assign(_d=frame["difficulty"].map(_DIFFICULTY_RANK).fillna(1)).sort_values(["_d", "id"],
                                                                                                kind="stable")
    return ordered.assign(_turn=ordered.groupby("category").cumcount())


def days_until(interview: date | None, today: date) -> int | None:
    return None if interview is None else (interview - today).days


def scheduler_for(interview: date | None, today: date) -> Scheduler:
    """The scheduler for a user: with an interview date, no interval reaches past it."""
    days = days_until(interview, today)
    horizon = MAX_INTERVAL_DAYS if days is None or days < 1 else days
    return make_scheduler(SchedulerConfig(maximum_interval=horizon))


# Sprint mode: the round types of an interview loop, and the categories each one draws on.
ROUND_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "product": ("Product & ML design", ("Product sense & business impact", "Clarifying & problem framing",
                                        "Monitoring & ML system design")),
    "behavioral": ("Behavioral", ("Behavioral stories (STAR)", "Collaboration & growth",
                                  "Communicating with non-technical stakeholders")),
    "mlops": ("MLOps & incidents", ("Production incidents & MLOps", "Monitoring & ML system design")),
    "experimentation": ("Experimentation & metrics", ("Experimentation & offline/online gaps",
                                                      "Product sense & business impact")),
    "responsible-ai": ("Responsible AI", ("Fairness, bias & ethics", "Explainability for action")),
    "stakeholders": ("Stakeholder communication", ("Communicating with non-technical stakeholders",
                                                   "Explainability for action")),
    "llm": ("LLM & GenAI systems", ("LLM & GenAI products", "Cost, latency & capacity",
                                    "Privacy, data governance & regulation")),
    "leadership": ("Leadership & project deep dive", ("Technical leadership", "Project deep dive",
                                                       "Prioritisation & sizing")),
}
ROUND_WEIGHT = 0.5  # added to a category's weight for each chosen round that draws on it


def round_weights(rounds: list[str] | tuple[str, ...]) -> dict[str, float]:
    """Weak-area weights for a loop: 1 for every category, plus ROUND_WEIGHT per chosen round using it."""
    weights: dict[str, float] = {}
    for key in rounds:
        for category in ROUND_TYPES.get(key, ("", ()))[1]:
            weights[category] = weights.get(category, 1.0) + ROUND_WEIGHT
    return weights


def weight_notes(rounds: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Why a category counts more, per weighted category: 'counts ×1.5 for your loop's Behavioral round'."""
    notes = {}
    for category, weight in round_weights(rounds).items():
        names = [ROUND_TYPES[k][0] for k in dict.fromkeys(rounds) if category in ROUND_TYPES.get(k, ("", ()))[1]]
        notes[category] = f"counts ×{weight:g} for your loop's {' and '.join(names)} round{'s' if len(names) > 1 else ''}"
    return notes
