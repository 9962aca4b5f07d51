"""Mock interview rounds: which questions, the round's progress in SQLite, and the round summary.

A round is a few questions asked one at a time against a countdown, each followed by one of its
follow-ups with a short timer, then graded at the end. Everything a round needs to survive a
browser refresh lives in the database (``mock_rounds`` and ``mock_answers``): which question is
on screen, when it was shown (UTC epoch seconds, so a countdown resumes from the original start),
the text typed so far and any recording (the SQL is in ``mlprep.db.mock_rounds``). Grading writes
ordinary reviews with ``mode="mock"`` through ``Store.record_review``; the review id is minted when the question is shown and kept in
``mock_answers.review_id``, so grading twice can never write twice.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import zip_longest
from typing import Any

import pandas as pd
from fsrs import Scheduler

from mlprep.attempts import Attempt, Recorded, record_attempt
from mlprep.bank import Bank
from mlprep.db import Store
from mlprep.db import mock_rounds as rounds_db
from mlprep.db.mock_rounds import (  # noqa: F401 - the round's stages and row reads, used with the round
    STAGE_ANSWER,
    STAGE_DONE,
    STAGE_FOLLOW_UP,
    STAGE_GRADING,
    finished_rounds,
    open_round_id,
    past_rounds,
    save_audio,
    save_text,
)
from mlprep.rating import RATING_LABELS, Rating
from mlprep.readiness import SOLID_THRESHOLD, attempt_score
from mlprep.study import ROUND_TYPES, above_level
from mlprep.timeutil import parse_iso_or_none
from mlprep.weak_areas import weak_areas

# The round types a candidate can pick: every loop round type Settings offers (same categories), plus two.
MOCK_ROUNDS: dict[str, str] = {
    **{key: label for key, (label, _) in ROUND_TYPES.items()},
    "mixed": "Mixed",
    "weak": "My weak areas",
}
MIN_QUESTIONS = 3
MAX_QUESTIONS = 8
DEFAULT_QUESTIONS = 5
TIME_CHOICES_S = (60, 90, 120, 180, 240, 300)  # time per question the candidate can pick
DEFAULT_TARGET_S = 120
FOLLOW_UP_S = 60  # the follow-up's own, shorter timer
WEAKEST_POINTS = 3  # how many weakest rubric points the summary lists



class MockError(ValueError):
    """A round could not be planned or changed; the message says what to do."""


# -- choosing the questions -------------------------------------------------------------------


def _usable(questions: pd.DataFrame) -> pd.Series:
    """Questions a mock can use well: a rubric to grade against and a follow-up to ask."""
    return questions["looking_for"].map(len).gt(0) & questions["follow_ups"].map(len).gt(0)


def _spread(pool: pd.DataFrame, seed: int) -> list[str]:
    """Every id of ``pool``, shuffled within each category and taking turns between categories."""
    rng = random.Random(seed)
    groups = []
    for _, group in sorted(pool.groupby("category"), key=lambda kv: kv[0]):
        ids = sorted(group["id"])
        rng.shuffle(ids)
        groups.append(ids)
    rng.shuffle(groups)
    return [qid for turn in zip_longest(*groups) for qid in turn if qid is not None]


def weak_question_order(scores: pd.DataFrame, missed: pd.DataFrame,
                        rounds: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Question ids weakest first: practised questions that are not solid (weakest area first, in the order
    of the one ranking, ``weak_areas.rank_categories``, then lowest score), then the weak areas' next
    questions taking turns between areas, then the rest."""
    areas = weak_areas(scores, missed, rounds=rounds, include_ready=True)
    rank = {a.area: i for i, a in enumerate(areas)}
    live = scores[~scores["suspended"]]
    weak = live[live["practised"] & ~live["solid"]]
    weak = weak.assign(_rank=weak["category"].map(rank).fillna(len(rank))).sort_values(["_rank", "score", "id"])
    ordered: list[str] = weak["id"].tolist()
    for turn in zip_longest(*[a.next_questions for a in areas]):
        ordered += [ref.id for ref in turn if ref is not None]
    ordered += live[live["practised"]].sort_values(["score", "id"])["id"].tolist()
    ordered += sorted(live["id"])
    return list(dict.fromkeys(ordered))


def select_questions(questions: pd.DataFrame, round_type: str, count: int, seed: int,
                     exclude: Collection[str] = (), weak_order: Sequence[str] = (), level: str = "any") -> list[str]:
    """The question ids of a round, in the order they are asked; the same seed gives the same round.

    ``questions`` is the bank's frame, ``exclude`` the suspended ids, ``weak_order`` (for "weak")
    the ids weakest first from ``weak_question_order``. Questions with a rubric and a follow-up come
    first, those at or below the target ``level`` before those aimed above it; fewer than ``count`` are
    returned only when the pool is smaller.
    """
    if round_type not in MOCK_ROUNDS:
        raise MockError(f"unknown round type {round_type!r}; use one of {', '.join(MOCK_ROUNDS)}")
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise MockError(f"a round has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {count}")
    pool = questions[~questions["id"].isin(set(exclude))]
    if round_type in ROUND_TYPES:
        pool = pool[pool["category"].isin(ROUND_TYPES[round_type][1])]
    usable = pool[_usable(pool)]
    above = above_level(usable["level"], level) if "level" in usable else pd.Series(False, index=usable.index)
    spread = _spread(usable[~above], seed) + _spread(usable[above], seed) + _spread(pool[~_usable(pool)], seed)
    if round_type == "weak":
        good = set(usable["id"])
        first = [q for q in weak_order if q in good]
        spread = list(dict.fromkeys(first + [q for q in weak_order if q in set(pool["id"])] + spread))
    return spread[:count]


def follow_up_coaching(question: Mapping[str, Any], asked: str) -> list[str]:
    """What a good reply to the follow-up ``asked`` covers, from the bank's coaching ([] when not coached)."""
    replies = list(question.get("follow_up_replies") or [])
    for ask, reply in zip(question.get("follow_ups") or [], replies):
        if ask == asked:
            return [str(r) for r in reply]
    return []


def pick_follow_up(follow_ups: Sequence[str], seed: int, question_id: str) -> str:
    """One of the question's follow-ups, the same one for the same seed ('' when it has none)."""
    items = [str(f) for f in follow_ups]
    return random.Random(f"{seed}:{question_id}").choice(items) if items else ""


# -- the round in the database --------------------------------------------------------------------


@dataclass
class MockAnswer:
    """One question of a round: what was asked, when, and what the candidate said."""

    id: str
    round_id: str
    position: int
    question_id: str
    follow_up: str
    review_id: str | None = None
    started_at: float | None = None  # UTC epoch seconds
    answered_at: float | None = None
    answer_text: str = ""
    audio_path: str | None = None
    follow_up_started_at: float | None = None
    follow_up_ended_at: float | None = None
    follow_up_text: str = ""
    follow_up_audio_path: str | None = None
    follow_up_hits: list[str] | None = None  # good-reply points the reply covered; None until graded
    follow_up_missed: list[str] | None = None

    @property
    def answer_s(self) -> float | None:
        """Seconds from the question being shown to "done answering"."""
        if self.started_at is None or self.answered_at is None:
            return None
        return round(self.answered_at - self.started_at, 1)

    @property
    def follow_up_s(self) -> float | None:
        if self.follow_up_started_at is None or self.follow_up_ended_at is None:
            return None
        return round(self.follow_up_ended_at - self.follow_up_started_at, 1)


@dataclass
class MockRound:
    """A round and its questions; ``position`` and ``stage`` say what is on screen."""

    id: str
    round_type: str
    target_s: int
    follow_up_s: int
    seed: int
    position: int
    stage: str
    created_at: str
    finished_at: str | None = None
    abandoned_at: str | None = None
    answers: list[MockAnswer] = field(default_factory=list)

    @property
    def label(self) -> str:
        return MOCK_ROUNDS.get(self.round_type, self.round_type)

    @property
    def question_count(self) -> int:
        return len(self.answers)

    @property
    def in_progress(self) -> bool:
        return self.stage in (STAGE_ANSWER, STAGE_FOLLOW_UP) and self.abandoned_at is None

    @property
    def current(self) -> MockAnswer | None:
        """The question on screen while answering (or taking its follow-up)."""
        return self.answers[self.position] if self.in_progress and self.position < len(self.answers) else None




def _now(now: float | None) -> float:
    return time.time() if now is None else float(now)


def create_round(store: Store, round_type: str, plan: Sequence[tuple[str, str]], target_s: int,
                 follow_up_s: int = FOLLOW_UP_S, seed: int = 0, now: float | None = None) -> str:
    """Save a new round (``plan`` is ``[(question_id, follow_up), ...]``) and show its first question.

    Returns the round id.
    """
    if round_type not in MOCK_ROUNDS:
        raise MockError(f"unknown round type {round_type!r}; use one of {', '.join(MOCK_ROUNDS)}")
    if not plan:
        raise MockError("no questions to ask: the bank has none for this round type; pick another round")
    return rounds_db.insert_round(store, round_type, plan, int(target_s), int(follow_up_s), int(seed), _now(now))


def load_round(store: Store, round_id: str) -> MockRound | None:
    """The round with its questions, or None if there is no such round."""
    found = rounds_db.round_rows(store, str(round_id))
    if found is None:
        return None
    row, answers = found
    rnd = MockRound(**row)
    rnd.answers = [MockAnswer(**{**answer, "follow_up_hits": _point_list(answer.get("follow_up_hits")),
                                 "follow_up_missed": _point_list(answer.get("follow_up_missed"))})
                   for answer in answers]
    return rnd if _readable(rnd) else None


def _point_list(stored: Any) -> list[str] | None:
    """A stored JSON list of points (None when not graded, or when the stored value is not such a list)."""
    if not isinstance(stored, str):
        return None
    try:
        items = json.loads(stored)
    except ValueError:
        return None
    return [str(i) for i in items] if isinstance(items, list) else None


def _readable(rnd: MockRound) -> bool:
    """Whether a stored round is one this module wrote (a damaged or hand-edited row is treated as no round)."""
    def number(value: Any, optional: bool = True) -> bool:
        return (value is None and optional) or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                                and value == value and abs(value) < 1e12)

    if rnd.stage not in (STAGE_ANSWER, STAGE_FOLLOW_UP, STAGE_GRADING, STAGE_DONE):
        return False
    if not all(number(v, optional=False) for v in (rnd.target_s, rnd.follow_up_s, rnd.position)):
        return False
    if parse_iso_or_none(rnd.created_at) is None or not isinstance(rnd.round_type, str):
        return False
    for answer in rnd.answers:
        if not isinstance(answer.question_id, str) or not isinstance(answer.follow_up, str):
            return False
        if not all(number(v) for v in (answer.position, answer.started_at, answer.answered_at,
                                       answer.follow_up_started_at, answer.follow_up_ended_at)):
            return False
        if not isinstance(answer.answer_text, str) or not isinstance(answer.follow_up_text, str):
            return False
    in_progress = rnd.stage in (STAGE_ANSWER, STAGE_FOLLOW_UP) and rnd.abandoned_at is None
    if in_progress and not (0 <= rnd.position < len(rnd.answers)):
        return False
    current = rnd.answers[int(rnd.position)] if in_progress else None
    return current is None or (bool(current.review_id) and current.started_at is not None)


def advance(store: Store, round_id: str, review_id: str, stage: str, text: str | None = None,
            now: float | None = None) -> bool:
    """"Done" on the question (or follow-up) on screen: save its text and time, then move on.

    After an answer comes its follow-up (if it has one); after a follow-up, the next question, or
    grading after the last. ``review_id`` and ``stage`` say what the click was made on: a double or
    stale click (the round has moved on) changes nothing and returns False.
    """
    return rounds_db.advance(store, round_id, review_id, stage, text, _now(now))


def abandon_round(store: Store, round_id: str, now: float | None = None) -> None:
    """Leave a round unfinished; its answers stay in the database, nothing is rated."""
    rounds_db.abandon(store, round_id, _now(now))


def _answer_text(answer: MockAnswer) -> str:
    """What goes into the review log: the answer, then the follow-up and its answer."""
    text = answer.answer_text.strip()
    if answer.follow_up and answer.follow_up_text.strip():
        text += f"\n\nFollow-up: {answer.follow_up}\n{answer.follow_up_text.strip()}"
    return text.strip()


def grade_follow_up(store: Store, round_id: str, review_id: str, question: Mapping[str, Any],
                    ticked: Sequence[str]) -> bool:
    """Keep the candidate's grade of one follow-up reply: which of the coached good-reply points it covered.

    Only while the round is being graded, only for a coached follow-up, and only once (the first grade stays).
    Returns whether it was stored.
    """
    rnd = load_round(store, round_id)
    answer = next((a for a in rnd.answers if a.review_id == review_id), None) if rnd else None
    if answer is None or str(question["id"]) != answer.question_id:
        return False
    coaching = follow_up_coaching(question, answer.follow_up)
    if not coaching:
        return False
    covered = {str(t) for t in ticked}
    hits = [p for p in coaching if p in covered]
    missed = [p for p in coaching if p not in covered]
    return rounds_db.grade_follow_up(store, round_id, review_id, hits, missed)


def grade_answer(store: Store, scheduler: Scheduler, round_id: str, review_id: str, question: Mapping[str, Any],
                 ticked: Sequence[str], rating: Rating | None = None, now: datetime | None = None,
                 follow_up_ticked: Sequence[str] | None = None) -> Recorded | None:
    """Record the candidate's grade of one answer as a mock review (idempotent on the review id), through the
    same ``record_attempt`` as Study. ``rating`` None rates from the ticks. ``follow_up_ticked`` (the good-reply
    points the follow-up reply covered) is kept with the round first, when the follow-up is coached.

    The round is finished when its last answer is graded. Returns what was recorded, or None when nothing
    was written (no such answer, a round not being graded, or graded already).
    """
    rnd = load_round(store, round_id)
    if rnd is None or rnd.abandoned_at or rnd.stage not in (STAGE_GRADING, STAGE_DONE):
        return None
    answer = next((a for a in rnd.answers if a.review_id == review_id), None)
    if answer is None or str(question["id"]) != answer.question_id:
        return None
    if follow_up_ticked is not None and rnd.stage == STAGE_GRADING:
        grade_follow_up(store, round_id, review_id, question, follow_up_ticked)
    recorded = record_attempt(store, scheduler, Attempt(
        review_id=review_id, question=question, ticked=ticked, rating=rating, answer_text=_answer_text(answer),
        duration_s=answer.answer_s, audio_path=answer.audio_path, mode="mock", session_id=round_id, rated_at=now))
    rounds_db.finish_if_graded(store, round_id, now or datetime.now(UTC))
    return recorded if recorded.version else None


# -- results and the summary ---------------------------------------------------------------------


@dataclass
class AnswerResult:
    """One graded (or not yet graded) question of a round, ready to show or summarise."""

    position: int
    question_id: str
    prompt: str
    follow_up: str
    answer_s: float | None
    follow_up_s: float | None
    target_s: int
    follow_up_target_s: int
    hits: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    rating: int | None = None
    answer_text: str = ""
    follow_up_text: str = ""
    follow_up_coaching: list[str] = field(default_factory=list)  # what a good reply to the follow-up covers
    follow_up_hits: list[str] | None = None  # the good-reply points the reply covered (None: not graded)
    follow_up_missed: list[str] | None = None

    @property
    def over_s(self) -> float:
        return max(0.0, (self.answer_s or 0.0) - self.target_s)

    @property
    def graded(self) -> bool:
        return self.rating is not None

    @property
    def coverage(self) -> float | None:
        total = len(self.hits) + len(self.missed)
        return len(self.hits) / total if total else None

    @property
    def follow_up_graded(self) -> bool:
        return self.follow_up_hits is not None

    @property
    def follow_up_grade(self) -> str:
        """'2/3' good-reply points covered, 'not graded', or '-' when the follow-up has no coaching."""
        if self.follow_up_hits is not None:
            return f"{len(self.follow_up_hits)}/{len(self.follow_up_hits) + len(self.follow_up_missed or [])}"
        return "not graded" if self.follow_up_coaching else "-"

    @property
    def score(self) -> float | None:
        """The readiness model's attempt score for this answer."""
        if self.rating is None:
            return None
        return attempt_score(self.rating, len(self.hits), len(self.hits) + len(self.missed))


def round_results(store: Store, rnd: MockRound, bank: Bank) -> list[AnswerResult]:
    """Each question of the round with its times and, once graded, its ticks and rating."""
    ids = [a.review_id for a in rnd.answers if a.review_id]
    graded = rounds_db.graded_reviews(store, ids)
    results = []
    for answer in rnd.answers:
        question = bank.question(answer.question_id)
        prompt = " ".join(str(question["prompt"]).split()) if question else answer.question_id
        rating, hits, missed = graded.get(answer.review_id or "", (None, [], []))
        results.append(AnswerResult(answer.position, answer.question_id, prompt, answer.follow_up, answer.answer_s,
                                    answer.follow_up_s, rnd.target_s, rnd.follow_up_s, hits, missed, rating,
                                    answer.answer_text, answer.follow_up_text,
                                    follow_up_coaching(question, answer.follow_up) if question else [],
                                    answer.follow_up_hits, answer.follow_up_missed))
    return results


def format_duration(seconds: float | None) -> str:
    """'2:05', or '-' when there is no time."""
    if seconds is None:
        return "-"
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def overall_coverage(results: Sequence[AnswerResult]) -> tuple[int, int]:
    """Rubric points ticked and rubric points in total, over the graded answers."""
    graded = [r for r in results if r.graded]
    return sum(len(r.hits) for r in graded), sum(len(r.hits) + len(r.missed) for r in graded)


def weakest_points(results: Sequence[AnswerResult], top: int = WEAKEST_POINTS) -> list[tuple[str, AnswerResult]]:
    """The rubric points missed that matter most: the most important missed point of each question
    (rubrics list the most important first), from the least covered question up."""
    graded = sorted((r for r in results if r.graded and r.missed), key=lambda r: (r.coverage or 0.0, r.position))
    return [(r.missed[0], r) for r in graded][:top]


def study_next(results: Sequence[AnswerResult]) -> list[AnswerResult]:
    """Graded questions that were not solid (attempt score below the solid threshold), weakest first."""
    weak = [r for r in results if r.score is not None and r.score < SOLID_THRESHOLD]
    return sorted(weak, key=lambda r: (r.score, r.position))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_markdown(rnd: MockRound, results: Sequence[AnswerResult]) -> str:
    """The round summary to keep in notes: time per question, rubric coverage, weakest points, what next."""
    when = (parse_iso_or_none(rnd.finished_at or rnd.created_at) or datetime.now(UTC)).astimezone()
    lines = [f"# Mock interview: {rnd.label}, {len(results)} questions", "",
             f"{'Finished' if rnd.finished_at else 'Started'} {when:%Y-%m-%d %H:%M}. "
             f"{format_duration(rnd.target_s)} per question, {format_duration(rnd.follow_up_s)} per follow-up.", "",
             "| # | Question | Time | Over | Follow-up | Rubric | Rating | Follow-up points |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        over = f"+{int(round(r.over_s))} s" if r.over_s >= 0.5 else "-"
        rubric = f"{len(r.hits)}/{len(r.hits) + len(r.missed)}" if r.graded else "not graded"
        rating = RATING_LABELS[r.rating] if r.rating else "-"
        lines.append(f"| {r.position + 1} | {_cell(_short(r.prompt))} (`{r.question_id}`) | "
                     f"{format_duration(r.answer_s)} | {over} | {format_duration(r.follow_up_s)} | {rubric} | "
                     f"{rating} | {r.follow_up_grade} |")
    hits, total = overall_coverage(results)
    answered = [r.answer_s for r in results if r.answer_s is not None]
    over_count = sum(1 for r in results if r.over_s >= 0.5)
    fu_total = sum(r.follow_up_s or 0.0 for r in results)
    lines += ["", f"**Rubric coverage:** {hits} of {total} points ({hits / total:.0%})." if total
              else "**Rubric coverage:** nothing graded yet.", "",
              f"**Time:** {format_duration(sum(answered))} answering plus {format_duration(fu_total)} on "
              f"follow-ups; {over_count} of {len(results)} answers ran over {format_duration(rnd.target_s)}.", ""]
    lines += ["## Follow-ups asked", ""]
    lines += [f"{r.position + 1}. {_one_line(r.follow_up)}" for r in results if r.follow_up] or ["None."]
    lines += ["", "## Each answer", ""]
    for r in results:
        lines += answer_lines(r)
    lines += ["", "## Weakest points", ""]
    weakest = weakest_points(results)
    lines += [f"- {_one_line(point)} (question {r.position + 1}, covered {len(r.hits)}/{len(r.hits) + len(r.missed)})"
              for point, r in weakest] or ["- None missed: every rubric point was covered."]
    lines += ["", "## Study next", ""]
    nxt = study_next(results)
    lines += [f"- [ ] {_one_line(r.prompt)} _(`{r.question_id}`, rated {RATING_LABELS[r.rating or 1]}, "
              f"{len(r.hits)}/{len(r.hits) + len(r.missed)} points)_" for r in nxt] or \
        ["- Every answer in this round was solid. Try a longer round, less time, or My weak areas."]
    return "\n".join(lines).rstrip() + "\n"


def _said(label: str, text: str, empty: str) -> list[str]:
    """What the candidate said, quoted on one line (a '>' quote would be escaped on the page)."""
    text = " ".join(text.split())
    return [f"{label}: “{text}”" if text else f"{label}: {empty}", ""]


def answer_lines(r: AnswerResult) -> list[str]:
    """One question of the summary: what you said, the follow-up and your reply, what a good reply covers,
    and the rubric points you missed."""
    lines = [f"**{r.position + 1}. {_one_line(r.prompt)}**", ""]
    lines += _said(f"Your answer ({format_duration(r.answer_s)})", r.answer_text,
                   "_nothing written (a recording, if you made one, is kept in the app)_")
    if r.follow_up:
        lines += [f"Follow-up: *{_one_line(r.follow_up)}*", ""]
        lines += _said(f"Your reply ({format_duration(r.follow_up_s)})", r.follow_up_text, "_nothing written_")
        if r.follow_up_hits is not None:
            covered, total = len(r.follow_up_hits), len(r.follow_up_hits) + len(r.follow_up_missed or [])
            lines += [f"Follow-up graded: your reply covered {covered} of {total} points a good reply covers:", ""]
            lines += [f"- ✓ {_one_line(point)}" for point in r.follow_up_hits]
            lines += [f"- ✗ {_one_line(point)} (missed)" for point in r.follow_up_missed or []] + [""]
        elif r.follow_up_coaching:
            lines += ["A good reply to the follow-up covers:", ""]
            lines += [f"- {_one_line(point)}" for point in r.follow_up_coaching] + ["", "Follow-up reply: not graded.", ""]
    if not r.graded:
        lines += ["Rubric: not graded yet.", ""]
    elif r.missed:
        lines += [f"Rubric points missed ({len(r.missed)} of {len(r.hits) + len(r.missed)}):", ""]
        lines += [f"- {_one_line(point)}" for point in r.missed] + [""]
    else:
        lines += ["Rubric: every point covered.", ""]
    return lines


def summary_filename(rnd: MockRound) -> str:
    when = (parse_iso_or_none(rnd.finished_at or rnd.created_at) or datetime.now(UTC)).astimezone()
    return f"mlprep-mock-{rnd.round_type}-{when:%Y%m%d-%H%M}.md"
