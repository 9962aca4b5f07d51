"""What every page needs from the core, cached the Streamlit way.

- the Store (one per data dir, ``st.cache_resource``; it holds no connection),
- the Bank (the core caches it by file modification times),
- question scores (``st.cache_resource`` keyed on ``meta.version``, the day and the bank: one shared frame,
  never mutated, so a rerun does not pay for a copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st
from fsrs import Scheduler

from mlprep import bank as bank_mod
from mlprep import paths, readiness, study, userbank
from mlprep.store import Store
from mlprep.timeutil import local_midnight


@st.cache_resource(show_spinner=False)
def _store(directory: str) -> Store:
    return Store(Path(directory))


def get_store() -> Store:
    """The store for the current data dir. Raises StoreError with a message for the user."""
    return _store(str(paths.data_dir()))


def get_bank() -> bank_mod.Bank:
    """The shipped bank plus the user's banks, minus those switched off on the Bank page."""
    directory = paths.data_dir()
    return bank_mod.load_bank(userbank.enabled_bank_paths(directory), paths.cache_dir(directory))


def interview_date(store: Store) -> date | None:
    value = store.get_setting("interview_date")
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def loop_rounds(store: Store) -> list[str]:
    """The round types of the user's interview loop (Settings), known ones only."""
    return [r for r in (store.get_setting("rounds") or []) if r in study.ROUND_TYPES]


def get_scheduler(store: Store) -> Scheduler:
    return study.scheduler_for(interview_date(store), date.today())


@st.cache_resource(show_spinner=False, max_entries=4)  # shared, not copied per rerun: treat as read-only
def _scores(_bank: bank_mod.Bank, bank_key: str, _store: Store, db: str, version: int, day: str,
            horizon: int) -> pd.DataFrame:
    scheduler = study.make_scheduler(study.SchedulerConfig(maximum_interval=horizon))
    return readiness.question_scores(_bank.questions, _store.cards(), scheduler, datetime.now(UTC))


@dataclass
class Context:
    """The loaded state a page renders from."""

    store: Store
    bank: bank_mod.Bank
    scheduler: Scheduler
    version: int

    def scores(self) -> pd.DataFrame:
        """Per-question readiness; recomputed only after a write, on a new day or a bank change."""
        return _scores(self.bank, self.bank.key, self.store, str(self.store.path), self.version, date.today().isoformat(),
                       self.scheduler.maximum_interval)


def load_context() -> Context:
    store = get_store()
    return Context(store=store, bank=get_bank(), scheduler=get_scheduler(store), version=store.version())


def new_cards_left(ctx: Context) -> int:
    """New questions still allowed today under the daily cap set on Settings."""
    cap = int(ctx.store.get_setting("new_per_day", study.DEFAULT_NEW_PER_DAY))
    return max(0, cap - ctx.store.new_questions_since(local_midnight(datetime.now(UTC))))
