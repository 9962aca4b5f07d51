"""What every page needs from the core (a ``mlprep.workspace.Workspace``), cached the Streamlit way.

- the Store (one per data dir, ``st.cache_resource``; it holds no connection),
- the Bank (the core caches it by file modification times),
- question scores (keyed on ``meta.version``, the day and the bank: one shared frame, never mutated, so a
  rerun does not pay for a copy; after this session's own rating only that question's row is recomputed),
- today's plan (after this session's own rating, the kept plan without that card),
- what a page derives once per write (``memo``) or once per shared frame (``per_frame``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components import keys
from mlprep import bank as bank_mod
from mlprep import dashboard, paths, readiness, study, userbank, weak_areas
from mlprep.db import Store
from mlprep.workspace import Workspace


@st.cache_resource(show_spinner=False)
def _store(directory: str) -> Store:
    return Store(Path(directory), check=True)  # once per server: damage shows at start, not mid-page


def get_store() -> Store:
    """The store for the current data dir. Raises StoreError with a message for the user."""
    return _store(str(paths.data_dir()))


def get_bank() -> bank_mod.Bank:
    """The shipped bank plus the user's banks, minus those switched off on the Bank page."""
    directory = paths.data_dir()
    return userbank.load(directory)


# Question scores, one frame per (database, bank, day, horizon), shared by every session and never mutated.
# After this session's own rating the frame is patched (one row) instead of recomputed for every question.
_SCORES: dict[tuple[str, str, str, int], tuple[int, pd.DataFrame]] = {}
_SCORES_LOCK = threading.Lock()
MAX_SCORE_FRAMES = 4
RATED_VERSION = "scores.rated"  # session state: (version a rating of ours produced, question id)


def remember_rating(version: int, question_id: str) -> None:
    """Note that this session's rating of ``question_id`` produced ``version`` (Store.record_review's return)."""
    if version:
        st.session_state[RATED_VERSION] = (version, question_id)


def _patched(frame: pd.DataFrame, ctx: Context, qid: str, now: datetime) -> pd.DataFrame | None:
    """``frame`` with ``qid``'s row recomputed, or None if the question is not in it."""
    position = ctx.bank.question_position(qid)
    if position is None or position >= len(frame) or frame.iat[position, 0] != qid:
        return None
    values = readiness.scores_of_card(ctx.store.cards(qid), ctx.scheduler, now)
    if values is None:
        return None
    patched = frame.copy()
    for column, value in values.items():  # only the columns a review changes: the text columns stay as they are
        patched.iat[position, patched.columns.get_loc(column)] = value
    return patched


def keep_newest(table: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Put ``value`` under ``key`` as the newest entry of ``table``, dropping the oldest beyond ``limit``.
    Hold ``_SCORES_LOCK`` around it: the tables are shared by every session's script thread."""
    table.pop(key, None)
    table[key] = value
    while len(table) > limit:
        del table[next(iter(table))]


# What is worked out from a shared, read-only frame (a track's rows of the scores, a chart's data hash), kept while
# the frame is alive: the frame is held, so its id cannot be reused. Pages ask for these on every rerun.
_PER_FRAME: dict[tuple[int, str], tuple[pd.DataFrame, Any]] = {}
MAX_PER_FRAME = 16


def per_frame(frame: pd.DataFrame, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` (something derived from ``frame`` and ``name`` only), computed once per frame object."""
    key = (id(frame), name)
    with _SCORES_LOCK:
        kept = _PER_FRAME.get(key)
    if kept is not None and kept[0] is frame:
        return kept[1]
    value = compute()
    with _SCORES_LOCK:
        keep_newest(_PER_FRAME, key, (frame, value), MAX_PER_FRAME)
    return value


class Context(Workspace):
    """The Workspace a page renders from, with Streamlit-side caching of the question scores."""

    def in_track(self, scores: pd.DataFrame, track: str | None = None) -> pd.DataFrame:
        """``Workspace.in_track``, kept per shared frame and track (treat the result as read-only)."""
        track = track or self.track
        return per_frame(scores, f"track:{track}", lambda: Workspace.in_track(self, scores, track))

    def scores(self) -> pd.DataFrame:
        """Per-question readiness; recomputed only after a write, on a new day or a bank change.

        The frame is shared between sessions: treat it as read-only.
        """
        key = (str(self.store.path), self.bank.key, date.today().isoformat(), self.scheduler.maximum_interval)
        with _SCORES_LOCK:
            cached = _SCORES.get(key)
        if cached and cached[0] == self.version:
            return cached[1]
        now = datetime.now(UTC)
        frame = None
        rated = st.session_state.get(RATED_VERSION)
        if cached and rated and rated[0] == self.version == cached[0] + 1:  # our rating was the only write
            frame = _patched(cached[1], self, rated[1], now)
        if frame is None:
            frame = readiness.question_scores(self.bank.questions, self.store.cards(), self.scheduler, now)
        with _SCORES_LOCK:  # yesterday's frames, banks since changed: the oldest go first
            if key not in _SCORES or _SCORES[key][0] <= self.version:
                keep_newest(_SCORES, key, (self.version, frame), MAX_SCORE_FRAMES)
        return frame


def load_context() -> Context:
    return Context.for_store(get_store(), get_bank())


@st.cache_resource(show_spinner=False, max_entries=8)
def _queue(_ctx: Context, _scores: pd.DataFrame, db: str, version: int, bank_key: str, day: str,
           filters: study.Filters, order: str, exclude: tuple[str, ...], seed: int) -> study.Queue:
    return _ctx.todays_queue(_scores, set(exclude), filters, order, seed)


# The last plan per (database, bank, day, filters): after this session rates a card of it (the only write since),
# the next plan is that one without the card (``study.after_rating``) instead of a new sort of the whole bank.
# A plan is built afresh at least every REBUILD_PLAN_S, so cards that come due meanwhile join it.
_PLANS: dict[tuple[str, str, str, study.Filters], tuple[int, frozenset[str], study.Queue, float]] = {}
MAX_PLANS = 16
REBUILD_PLAN_S = 300.0


def _kept_plan(ctx: Context, key: tuple[str, str, str, study.Filters],
               exclude: frozenset[str]) -> tuple[study.Queue, float] | None:
    """The kept plan as it stands now, with when it was last built in full; None when it must be built."""
    with _SCORES_LOCK:
        kept = _PLANS.get(key)
    if kept is None or time.monotonic() - kept[3] > REBUILD_PLAN_S:
        return None
    version, excluded, plan, built_at = kept
    if version == ctx.version and excluded == exclude:
        return plan, built_at  # a rerun with nothing new
    rated = st.session_state.get(RATED_VERSION)
    if not rated or not (rated[0] == ctx.version == version + 1 and exclude == excluded | {rated[1]}):
        return None  # another write came in between, or this is not the plan the rating was made from
    updated = study.after_rating(plan, rated[1], ctx.bank.category_of)
    return (updated, built_at) if updated is not None else None


def study_queue(ctx: Context, filters: study.Filters, order: str, exclude: list[str], seed: int = 0) -> study.Queue:
    """The Study queue, rebuilt only when something it depends on changes (not on every keystroke's rerun).

    With no filter but the track and the default order it is today's plan: Home and the sidebar show its
    length (``todays_plan``), so the three always agree. After a rating of ours the plan is updated, not rebuilt.
    """
    day, excluded = date.today().isoformat(), frozenset(exclude)
    if order != study.DEFAULT_ORDER or filters.narrowed:
        return _queue(ctx, ctx.scores(), str(ctx.store.path), ctx.version, ctx.bank.key, day, filters, order,
                      tuple(sorted(excluded)), seed if order == "shuffle" else 0)
    key = (str(ctx.store.path), ctx.bank.key, day, filters)
    kept = _kept_plan(ctx, key, excluded)
    if kept is not None:
        plan, built_at = kept
    else:
        plan, built_at = _queue(ctx, ctx.scores(), str(ctx.store.path), ctx.version, ctx.bank.key, day, filters,
                                order, tuple(sorted(excluded)), 0), time.monotonic()
    with _SCORES_LOCK:
        newest = _PLANS.get(key)
        if newest is None or newest[0] <= ctx.version:
            keep_newest(_PLANS, key, (ctx.version, excluded, plan, built_at), MAX_PLANS)
    return plan


def todays_plan(ctx: Context) -> study.Queue:
    """Today's plan for the current track: exactly what Study serves by default in this browser session."""
    return study_queue(ctx, study.Filters(track=ctx.track), study.DEFAULT_ORDER,
                       st.session_state.get(keys.STUDY_RATED, []))


@st.cache_resource(show_spinner=False, max_entries=32)
def _memo(db: str, version: int, bank_key: str, day: str, track: str, name: str, extra: tuple,
          _build: Callable[[], Any]) -> Any:
    return _build()


def memo(ctx: Context, name: str, build: Callable[[], Any], *extra: Any) -> Any:
    """``build()``, kept until the next write, a bank change, a new day or another track (``extra``: anything
    else the value depends on, hashable). For what a page derives from the store on every run; treat the value
    as read-only."""
    return _memo(str(ctx.store.path), ctx.version, ctx.bank.key, date.today().isoformat(), ctx.track, name, extra,
                 build)


@st.cache_resource(show_spinner=False, max_entries=4)
def _ranking(_ctx: Context, db: str, version: int, bank_key: str, day: str, track: str) -> pd.DataFrame:
    return _ctx.ranking(_ctx.in_track(_ctx.scores(), track))


def ranking(ctx: Context) -> pd.DataFrame:
    """The current track's categories, weakest first: the one ranking every page shows. Cheap (no weak-area
    list, no rubric tallies), so Home and the Dashboard's chart need not wait for the whole list after a write."""
    return _ranking(ctx, str(ctx.store.path), ctx.version, ctx.bank.key, date.today().isoformat(), ctx.track)


@st.cache_resource(show_spinner=False, max_entries=4)
def _weak_and_gaps(_ctx: Context, db: str, version: int, bank_key: str, day: str,
                   track: str) -> tuple[list[weak_areas.WeakArea], pd.DataFrame]:
    missed = _ctx.store.missed_points()  # read once: the list and the gaps both use it
    questions = _ctx.bank.questions
    return (_ctx.weak_areas(_ctx.in_track(_ctx.scores(), track), missed=missed),
            dashboard.rubric_gaps(missed, questions[questions["track"] == track]))


def weak_areas_and_gaps(ctx: Context) -> tuple[list[weak_areas.WeakArea], pd.DataFrame, pd.DataFrame]:
    """The current track's weak-area list, rubric gaps and ranked categories (``Workspace.ranking``),
    recomputed only after a write, on a new day or a bank change."""
    areas, gaps = _weak_and_gaps(ctx, str(ctx.store.path), ctx.version, ctx.bank.key, date.today().isoformat(),
                                 ctx.track)
    return areas, gaps, ranking(ctx)
