"""The readiness model: attempts, question scores that fade, '6 of 8 solid' per category."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from mlprep.bank import load_bank
from mlprep.db import NewReview, Store, new_review_id
from mlprep.readiness import (
    TARGET_SOLID,
    attempt_score,
    band,
    category_readiness,
    question_scores,
    suggested_rating,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_an_attempt_weighs_rubric_share_and_rating() -> None:
    assert attempt_score(3, 2, 4) == pytest.approx(0.7 * 0.5 + 0.3 * 0.75)
    assert attempt_score(4, 3, 3) == pytest.approx(1.0)
    assert attempt_score(2, 0, 0) == pytest.approx(0.4)  # no rubric: the rating alone


def test_ticks_suggest_a_rating() -> None:
    assert [suggested_rating(h, 4) for h in range(5)] == [1, 2, 3, 3, 4]
    assert suggested_rating(0, 0) is None


def test_bands() -> None:
    assert (band(0.39), band(0.4), band(0.69), band(0.7)) == ("weak", "developing", "developing", "ready")


def _rate(store: Store, scheduler, qid: str, rating: int, hits: int, total: int, at: datetime,
          mode: str = "study") -> None:
    store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=rating, rated_at=at, mode=mode,
                                  rubric_hits=["h"] * hits, rubric_missed=["m"] * (total - hits)), scheduler)


def test_a_solid_answer_counts_today_and_fades_when_not_reviewed(bank_dir, store: Store, scheduler) -> None:
    bank = load_bank([bank_dir])
    _rate(store, scheduler, "prod-one", 4, 3, 3, T0)
    today = question_scores(bank.questions, store.cards(), scheduler, T0 + timedelta(hours=1)).set_index("id")
    assert today.loc["prod-one", "solid"] and today.loc["prod-one", "retrievability"] == pytest.approx(1.0)
    later = question_scores(bank.questions, store.cards(), scheduler, T0 + timedelta(days=400)).set_index("id")
    assert later.loc["prod-one", "score"] < today.loc["prod-one", "score"]
    assert not later.loc["prod-one", "solid"]
    assert not today.loc["prod-two", "practised"] and today.loc["prod-two", "score"] == 0


def test_the_last_two_attempts_count_and_mock_weighs_double(bank_dir, store: Store, scheduler) -> None:
    bank = load_bank([bank_dir])
    _rate(store, scheduler, "prod-one", 1, 0, 3, T0)
    _rate(store, scheduler, "prod-one", 4, 3, 3, T0 + timedelta(days=1))
    _rate(store, scheduler, "prod-one", 1, 0, 3, T0 + timedelta(days=2), mode="mock")
    row = question_scores(bank.questions, store.cards(), scheduler, T0 + timedelta(days=2)).set_index("id")
    assert row.loc["prod-one", "attempt_mean"] == pytest.approx((1.0 * 1 + 0.0 * 2) / 3)


def test_category_readiness_counts_solid_questions_against_a_capped_target() -> None:
    scores = pd.DataFrame({
        "id": [f"q{i}" for i in range(12)], "category": ["A"] * 10 + ["B"] * 2,
        "category_slug": ["a"] * 10 + ["b"] * 2, "practised": [True] * 12,
        "solid": [True] * 6 + [False] * 4 + [True, False], "overdue": [False] * 12,
    })
    table = category_readiness(scores).set_index("category")
    assert table.loc["A", "label"] == f"6 of {TARGET_SOLID} solid"
    assert table.loc["A", "readiness"] == pytest.approx(6 / 8) and table.loc["A", "band"] == "ready"
    assert table.loc["B", "label"] == "1 of 2 solid" and table.loc["B", "band"] == "developing"
    assert category_readiness(scores).iloc[0]["category"] == "B"  # weakest first


def test_importing_more_questions_never_lowers_readiness() -> None:
    base = {"category": "A", "category_slug": "a", "practised": True, "overdue": False}
    small = pd.DataFrame([{**base, "id": f"q{i}", "solid": True} for i in range(8)])
    big = pd.concat([small, pd.DataFrame([{**base, "id": f"n{i}", "solid": False, "practised": False}
                                          for i in range(100)])])
    assert category_readiness(big).loc[0, "readiness"] == category_readiness(small).loc[0, "readiness"] == 1.0
