"""Progress per track, as ``python -m mlprep stats --json`` reports it (a stable interface for scripts).

Per track: ``readiness`` (the mean of its categories'), ``questions``, ``practised``, ``due_today`` and, per
category in the order of the one ranking (weakest first), ``readiness``, ``solid``, ``target``, ``band``,
``practised``, ``questions`` and ``due_today``. Suspended questions are left out. Readiness is rounded to
three decimals.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mlprep import readiness

if TYPE_CHECKING:
    from mlprep.workspace import Workspace


def track_progress(workspace: Workspace, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Every track's progress (the shipped track first), from one read of the scores."""
    now = now or datetime.now(UTC)
    scores = workspace.scores(now)
    out: dict[str, dict[str, Any]] = {}
    for track in workspace.tracks:
        live = workspace.in_track(scores, track)
        live = live[~live["suspended"]]
        due = readiness.due_mask(live, now)
        due_per_category = live.loc[due, "category"].value_counts()
        ranked = workspace.ranking(live)
        out[track] = {
            "readiness": round(readiness.overall_readiness(ranked), 3),
            "questions": len(live),
            "practised": int(live["practised"].sum()),
            "due_today": int(due.sum()),
            "categories": {
                str(row.category): {
                    "readiness": round(float(row.readiness), 3), "solid": int(row.solid), "target": int(row.target),
                    "band": str(row.band), "practised": int(row.practised), "questions": int(row.questions),
                    "due_today": int(due_per_category.get(row.category, 0)),
                } for row in ranked.itertuples()
            },
        }
    return out
