"""The numbers behind the Dashboard: streak, activity, trend history, forecast, rubric gaps.

Pure functions over DataFrames the store and the readiness model produce.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

import pandas as pd

from mlprep.readiness import OVERALL, overall_readiness
from mlprep.timeutil import local_day, local_zone

FORECAST_DAYS = 14
ACTIVITY_MIN_WEEKS = 4  # the calendar shows at least a month, so a first week of practice is not a lone column
ACTIVITY_MAX_WEEKS = 26
GAPS_PER_CATEGORY = 3


def streak(active_days: list[str], today: date) -> int:
    """Consecutive days with a review, ending today (or yesterday, so a streak survives until you study)."""
    days = {date.fromisoformat(d) for d in active_days if d}
    current = today if today in days else today - timedelta(days=1)
    count = 0
    while current in days:
        count += 1
        current -= timedelta(days=1)
    return count


def activity_weeks(active_days: list[str], today: date) -> int:
    """How many weeks the activity calendar spans: from the week of the first review to this week, at least
    ACTIVITY_MIN_WEEKS and at most ACTIVITY_MAX_WEEKS (``active_days`` are YYYY-MM-DD, oldest first)."""
    days = [date.fromisoformat(d) for d in active_days if d]
    if not days:
        return ACTIVITY_MIN_WEEKS
    first = min(days)
    span = ((today - timedelta(days=today.weekday())) - (first - timedelta(days=first.weekday()))).days // 7 + 1
    return max(ACTIVITY_MIN_WEEKS, min(ACTIVITY_MAX_WEEKS, span))


def reviews_since(per_day: pd.DataFrame, first_day: date) -> int:
    if per_day.empty:
        return 0
    return int(per_day.loc[pd.to_datetime(per_day["day"]).dt.date >= first_day, "reviews"].sum())


def snapshot_rows(per_category: pd.DataFrame, overall: str = OVERALL) -> list[tuple[str, float, int, int]]:
    """Rows for a daily snapshot: each category and the overall mean (named ``overall``, one per track)."""
    rows = [(str(r.category), float(r.readiness), int(r.solid), int(r.target)) for r in per_category.itertuples()]
    rows.append((overall, overall_readiness(per_category), int(per_category["solid"].sum()),
                 int(per_category["target"].sum())))
    return rows


def trend_history(snapshots: pd.DataFrame, per_category: pd.DataFrame, today: str,
                  overall: str = OVERALL) -> pd.DataFrame:
    """Stored snapshots plus today's live values (which replace a snapshot taken earlier today)."""
    live = pd.DataFrame(snapshot_rows(per_category, overall), columns=["category", "readiness", "solid", "target"])
    live.insert(0, "day", today)
    stored = snapshots[snapshots["day"] != today] if len(snapshots) else snapshots
    frames = [f for f in (stored, live) if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else live


def forecast(scores: pd.DataFrame, today: date, until: date | None = None,
             zone: tzinfo | None = None) -> pd.DataFrame:
    """Reviews due per day in ``zone`` (default: the machine's) from today to ``until`` (default
    FORECAST_DAYS); overdue ones count today."""
    end = until if until and until > today else today + timedelta(days=FORECAST_DAYS - 1)
    live = scores[scores["practised"] & ~scores["suspended"]]
    days = live["due"].dt.tz_convert(zone or local_zone()).dt.strftime("%Y-%m-%d")
    counts = days.where(days > today.isoformat(), today.isoformat()).value_counts()
    span = [(today + timedelta(days=i)).isoformat() for i in range((end - today).days + 1)]
    return pd.DataFrame({"day": span, "due": [int(counts.get(d, 0)) for d in span]})


def rubric_gaps(missed: pd.DataFrame, questions: pd.DataFrame, per_category: int = GAPS_PER_CATEGORY) -> pd.DataFrame:
    """The rubric points most often left unticked, per category: category, point, missed, question."""
    columns = ["category", "point", "missed", "question"]
    if missed.empty:
        return pd.DataFrame(columns=columns)
    lookup = questions.set_index("id")[["category", "prompt"]]
    merged = missed.join(lookup, on="question_id", how="inner")  # questions no longer in the bank drop out
    if merged.empty:
        return pd.DataFrame(columns=columns)
    merged = merged.rename(columns={"prompt": "question"})
    merged = merged.sort_values(["category", "missed", "point"], ascending=[True, False, True], kind="stable")
    return merged.groupby("category", sort=True).head(per_category)[columns].reset_index(drop=True)


def last_n_days_start(today: date, n: int) -> date:
    return today - timedelta(days=n - 1)


def local_today(now: datetime, zone: tzinfo | None = None) -> date:
    """The calendar day of ``now`` in ``zone`` (default: the machine's)."""
    return date.fromisoformat(local_day(now, zone))
