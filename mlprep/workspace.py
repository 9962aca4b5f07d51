"""A data directory opened for use: its store, its bank, the user's settings and the scheduler they imply.

The command line and the app share it: the CLI opens one per command, the app's ``components.context`` adds
Streamlit caching around the same object. What "due" means, the readiness target and a category's readiness
are defined once, in ``mlprep.readiness``; a Workspace only puts the pieces together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from fsrs import Scheduler

from mlprep import paths, readiness, study, userbank
from mlprep import weak_areas as weak_areas_mod
from mlprep.bank import SHIPPED_TRACK, Bank
from mlprep.db import Store, StoreError
from mlprep.settings import Settings
from mlprep.timeutil import local_day, local_midnight

PLAN_KEY = "plan"  # the day's questions to make solid, per track: {"day": "YYYY-MM-DD", track: [ids]}


@dataclass
class Workspace:
    """The loaded state every command and page works from (as of one read of the version and settings)."""

    store: Store
    bank: Bank
    scheduler: Scheduler
    version: int
    settings: Settings

    @classmethod
    def for_store(cls, store: Store, bank: Bank, today: date | None = None) -> Workspace:
        """Read the version and the settings (one query) and make the scheduler they imply."""
        version, stored = store.meta_snapshot()
        settings = Settings.from_dict(stored)
        scheduler = study.scheduler_for(settings.interview_date, today or date.today())
        return cls(store=store, bank=bank, scheduler=scheduler, version=version, settings=settings)

    @classmethod
    def open(cls, data_dir: str | Path | None = None, bank_paths: list[Path] | None = None,
             check: bool = False) -> Workspace:
        """Open a data dir (default: $MLPREP_DATA_DIR or the user data dir) with its enabled banks."""
        directory = paths.data_dir(data_dir)
        store = Store(directory, check=check)
        bank = userbank.load(directory, bank_paths)
        return cls.for_store(store, bank)

    @property
    def tracks(self) -> list[str]:
        """The bank's tracks, the shipped one first."""
        return self.bank.tracks

    @property
    def track(self) -> str:
        """The track the pages work on: the one last chosen if it still exists, else the shipped track."""
        tracks = self.tracks
        if self.settings.track in tracks:
            return self.settings.track
        return SHIPPED_TRACK if SHIPPED_TRACK in tracks or not tracks else tracks[0]

    def choose_track(self, track: str) -> None:
        """Make ``track`` the one the pages work on (kept in the settings as the last one used)."""
        if track != self.settings.track:
            self.store.save_settings(replace(self.settings, track=track))

    def scores(self, now: datetime | None = None) -> pd.DataFrame:
        """Per-question readiness now (see ``readiness.question_scores``), every track."""
        return readiness.question_scores(self.bank.questions, self.store.cards(), self.scheduler, now)

    def in_track(self, scores: pd.DataFrame, track: str | None = None) -> pd.DataFrame:
        """The rows of ``scores`` in ``track`` (default: the current track)."""
        return scores[scores["track"] == (track or self.track)]

    def ranking(self, scores: pd.DataFrame) -> pd.DataFrame:
        """The track's categories ranked weakest first (``weak_areas.rank_categories``), unsuspended only."""
        live = scores[~scores["suspended"]]
        return weak_areas_mod.rank_categories(readiness.category_readiness(live), self.settings.rounds)

    def weak_areas(self, scores: pd.DataFrame | None = None, track: str | None = None,
                   missed: pd.DataFrame | None = None, **options) -> list[weak_areas_mod.WeakArea]:
        """The weak-area list ranked by ``rank_categories`` (unsuspended questions only), of ``scores`` (rows of
        one track), or else of ``track``'s questions (default: the current track)."""
        if scores is None:
            scores = self.in_track(self.scores(), track)
        live = scores[~scores["suspended"]]
        missed = self.store.missed_points() if missed is None else missed
        return weak_areas_mod.weak_areas(live, missed, rounds=self.settings.rounds, **options)

    def new_left_today(self, now: datetime | None = None) -> int:
        """New questions still allowed today under the daily cap set on Settings."""
        midnight = local_midnight(now or datetime.now(UTC))
        return max(0, self.settings.new_per_day - self.store.new_questions_since(midnight))

    def make_solid_today(self, scores: pd.DataFrame, now: datetime | None = None) -> tuple[str, ...]:
        """Today's questions to make solid before the interview, picked once a day per track and kept."""
        now = now or datetime.now(UTC)
        day = local_day(now)
        days = self.settings.days_to_interview(date.fromisoformat(day))
        if days is None or days < 0:
            return ()
        kept = self.store.get_setting(PLAN_KEY)
        if isinstance(kept, dict) and kept.get("day") == day and isinstance(kept.get(self.track), list):
            return tuple(str(q) for q in kept[self.track])
        picks = study.pick_to_make_solid(scores, self.track, days, self.settings.rounds, now)
        kept = kept if isinstance(kept, dict) and kept.get("day") == day else {"day": day}
        try:
            self.store.set_setting(PLAN_KEY, {**kept, self.track: list(picks)})
        except StoreError:
            pass  # a busy database: the same picks are made again on the next read
        return picks

    def todays_queue(self, scores: pd.DataFrame, exclude: set[str] | frozenset[str] = frozenset(),
                     filters: study.Filters | None = None, order: str = study.DEFAULT_ORDER, seed: int = 0,
                     now: datetime | None = None) -> study.Queue:
        """What Study serves: with no filter and the default order, today's plan (the number Home shows)."""
        filters = filters or study.Filters(track=self.track)
        return study.build_queue(scores, order, filters, exclude=exclude, now=now,
                                 new_left_today=self.new_left_today(now), seed=seed, level=self.settings.level,
                                 make_solid=self.make_solid_today(scores, now))
