"""A data directory opened for use: its store, its bank, the user's settings and the scheduler they imply.

The command line and the app share it: the CLI opens one per command, the app's ``components.context`` adds
Streamlit caching around the same object. What "due" means, the readiness target and a category's readiness
are defined once, in ``mlprep.readiness``; a Workspace only puts the pieces together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from fsrs import Scheduler

from mlprep import paths, readiness, study, userbank
from mlprep import weak_areas as weak_areas_mod
from mlprep.bank import Bank, load_bank
from mlprep.db import Store
from mlprep.settings import Settings


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
        bank = load_bank(bank_paths if bank_paths is not None else userbank.enabled_bank_paths(directory),
                         paths.cache_dir(directory))
        return cls.for_store(store, bank)

    def scores(self, now: datetime | None = None) -> pd.DataFrame:
        """Per-question readiness now (see ``readiness.question_scores``)."""
        return readiness.question_scores(self.bank.questions, self.store.cards(), self.scheduler, now)

    def weak_areas(self, scores: pd.DataFrame | None = None, **options) -> list[weak_areas_mod.WeakArea]:
        """The weak-area list, weighted by the loop's round types (unsuspended questions only)."""
        scores = self.scores() if scores is None else scores
        live = scores[~scores["suspended"]]
        weights = study.round_weights(list(self.settings.rounds))
        return weak_areas_mod.weak_areas(live, self.store.missed_points(), weights=weights, **options)
