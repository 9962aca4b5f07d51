"""The persistence package: the only place SQL runs.

- ``store``: the progress database (connection, transactions, error translation, move-aside, the review
  log, cards, settings, tallies and snapshots);
- ``schema``: forward migrations and the tallies derived from the log;
- ``mock_rounds``, ``stories``, ``backup``: the rows of mock rounds, STAR stories and backups.

Everything outside this package calls these functions and methods; none of it writes SQL.
"""

from mlprep.db.store import NewReview, Store, StoreError, UnreadableDatabase, move_aside, new_review_id

__all__ = ["NewReview", "Store", "StoreError", "UnreadableDatabase", "move_aside", "new_review_id"]
