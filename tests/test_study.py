"""Queues, sprint mode, FSRS settings for essay questions, recordings, the timer and local time."""

from __future__ import annotations

import io
import wave
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from components.timer import timer_html
from mlprep.recordings import RecordingError, recording_file, save_recording, wav_duration
from mlprep.schedule import format_interval, make_scheduler, new_card, preview_intervals, review
from mlprep.study import (
    Filters,
    after_rating,
    build_queue,
    pick_to_make_solid,
    round_weights,
    scheduler_for,
    weight_notes,
)
from mlprep.timeutil import format_local, local_day, local_midnight

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def scores_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"category": "A", "category_slug": "a", "prompt": "p", "difficulty": "easy", "tags": [], "track": "T",
            "practised": False, "score": 0.0, "solid": False, "suspended": False, "due": pd.NaT}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["due"] = pd.to_datetime(frame["due"], utc=True)
    return frame


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(b"\0\0" * int(seconds * rate))
    return buffer.getvalue()


def test_due_order_puts_due_cards_first_then_new_up_to_the_daily_cap() -> None:
    scores = scores_frame([
        {"id": "new1"}, {"id": "new2"}, {"id": "new3"},
        {"id": "later", "practised": True, "due": NOW + timedelta(days=3)},
        {"id": "due2", "practised": True, "due": NOW - timedelta(hours=1)},
        {"id": "due1", "practised": True, "due": NOW - timedelta(days=2)},
        {"id": "paused", "practised": True, "due": NOW - timedelta(days=5), "suspended": True},
    ])
    queue = build_queue(scores, "due", Filters(), now=NOW, new_left_today=2)
    assert queue.ids == ["due1", "due2", "new1", "new2"]
    assert (queue.due, queue.new_available, queue.new_allowed) == (2, 3, 2)


def test_new_only_weakest_first_and_shuffle() -> None:
    scores = scores_frame([
        {"id": "n1"}, {"id": "w", "practised": True, "score": 0.2, "due": NOW + timedelta(days=1)},
        {"id": "s", "practised": True, "score": 0.9, "due": NOW + timedelta(days=1)},
    ])
    assert build_queue(scores, "new", Filters(), now=NOW).ids == ["n1"]
    assert build_queue(scores, "weakest", Filters(), now=NOW).ids == ["w", "s", "n1"]
    shuffled = build_queue(scores, "shuffle", Filters(), now=NOW, seed=1).ids
    assert sorted(shuffled) == ["n1", "s", "w"] and shuffled == build_queue(scores, "shuffle", Filters(),
                                                                           now=NOW, seed=1).ids
    assert build_queue(scores, "new", Filters(), exclude={"n1"}, now=NOW).ids == []


def test_new_questions_take_turns_between_categories_easy_first() -> None:
    scores = scores_frame([
        {"id": "a-hard", "difficulty": "hard"}, {"id": "a-easy"},
        {"id": "b-easy", "category": "B", "category_slug": "b"},
        {"id": "b-med", "category": "B", "category_slug": "b", "difficulty": "medium"},
    ])
    assert build_queue(scores, "due", Filters(), now=NOW).ids == ["a-easy", "b-easy", "b-med", "a-hard"]


def test_filters_by_category_difficulty_and_text() -> None:
    scores = scores_frame([{"id": "x1", "prompt": "Drift in production", "tags": ["monitoring"]},
                           {"id": "x2", "category_slug": "b", "difficulty": "hard", "prompt": "Other"}])
    assert Filters(categories=("b",)).apply(scores)["id"].tolist() == ["x2"]
    assert Filters(difficulties=("easy",)).apply(scores)["id"].tolist() == ["x1"]
    assert Filters(text="MONITOR").apply(scores)["id"].tolist() == ["x1"]


def test_again_is_tomorrow_and_no_interval_passes_the_interview_date() -> None:
    scheduler = make_scheduler()
    assert scheduler.learning_steps == () and scheduler.relearning_steps == () and not scheduler.enable_fuzzing
    intervals = preview_intervals(scheduler, new_card("q", NOW), NOW)
    assert intervals[1] >= timedelta(days=1)
    assert intervals[1] <= intervals[2] < intervals[3] < intervals[4]
    sprint = scheduler_for(date(2026, 5, 4), date(2026, 5, 1))
    assert sprint.maximum_interval == 3
    card, at = new_card("q", NOW), NOW
    for _ in range(6):  # Nailed it every time: intervals grow, but never past the interview
        card = review(sprint, card, 4, at)
        assert card.due - at <= timedelta(days=3)
        at = card.due
    assert scheduler_for(None, date(2026, 5, 1)).maximum_interval == 36500


def test_interval_labels_are_short() -> None:
    assert [format_interval(timedelta(minutes=m)) for m in (10, 90, 60 * 24 * 4, 60 * 24 * 100)] == \
        ["10 min", "2 h", "4 d", "3 mo"]


def test_round_weights_say_why_a_category_counts_more() -> None:
    weights = round_weights(["behavioral", "stakeholders"])
    assert weights["Communicating with non-technical stakeholders"] == 2.0
    assert weights["Behavioral stories (STAR)"] == 1.5 and "Fairness, bias & ethics" not in weights
    notes = weight_notes(["behavioral", "stakeholders"])
    assert notes["Behavioral stories (STAR)"] == "counts ×1.5 for your loop's Behavioral round"
    assert notes["Communicating with non-technical stakeholders"] == (
        "counts ×2 for your loop's Behavioral and Stakeholder communication rounds")


def test_the_day_picks_enough_weak_questions_to_close_the_gap_by_the_interview() -> None:
    shaky = [{"id": f"b{i}", "category": "Behavioral stories (STAR)", "practised": True, "score": i / 10,
              "due": NOW + timedelta(days=2)} for i in range(10)]
    scores = scores_frame(
        shaky + [{"id": f"f{i}", "category": "Fairness, bias & ethics"} for i in range(10)]
        + [{"id": "due", "category": "Behavioral stories (STAR)", "practised": True, "due": NOW},
           {"id": "other-track", "category": "Behavioral stories (STAR)", "practised": True, "track": "U",
            "due": NOW + timedelta(days=2)}])
    # Behavioral: 11 questions, target 8, none solid: a gap of 8 over 4 days (today included) is 2 a day.
    picks = pick_to_make_solid(scores, "T", days_left=3, rounds=["behavioral"], now=NOW)
    assert picks == ("b0", "b1")  # the weakest practised ones that are not due; never another track's
    # Without a loop every category counts: 8 + 8 over one day.
    assert len(pick_to_make_solid(scores, "T", days_left=0, now=NOW)) == 10  # only 10 are practised, not due
    assert pick_to_make_solid(scores, "T", days_left=None, now=NOW) == ()
    queue = build_queue(scores, "due", Filters(track="T"), now=NOW, new_left_today=1, make_solid=picks)
    assert queue.ids == ["due", "f0", "b0", "b1"] and queue.make_solid == 2
    assert queue.categories == {"Behavioral stories (STAR)": 3, "Fairness, bias & ethics": 1}
    narrowed = build_queue(scores, "due", Filters(text="b", track="T"), now=NOW, new_left_today=1, make_solid=picks)
    assert "b0" not in narrowed.ids  # a filtered queue is not the plan


def test_the_plan_after_a_rating_is_the_plan_built_again_without_that_card() -> None:
    shaky = [{"id": f"b{i}", "category": "Behavioral stories (STAR)", "practised": True, "score": i / 10,
              "due": NOW + timedelta(days=2)} for i in range(4)]
    scores = scores_frame(
        shaky + [{"id": f"f{i}", "category": "Fairness, bias & ethics"} for i in range(4)]
        + [{"id": f"d{i}", "category": "Product sense", "practised": True, "due": NOW - timedelta(hours=i + 1)}
           for i in range(3)])
    category_of = dict(zip(scores["id"], scores["category"])).get
    picks = ("b0", "b1")
    plan = build_queue(scores, "due", Filters(track="T"), now=NOW, new_left_today=2, make_solid=picks)
    assert plan.ids == ["d2", "d1", "d0", "f0", "f1", "b0", "b1"]
    for rated in plan.ids:  # a due card, a new one (the day's allowance shrinks with it), a pick to make solid
        new_left = 1 if rated.startswith("f") else 2
        rebuilt = build_queue(scores, "due", Filters(track="T"), exclude={rated}, now=NOW, new_left_today=new_left,
                              make_solid=picks)
        assert after_rating(plan, rated, category_of) == rebuilt, rated
    assert after_rating(plan, "f3", category_of) is None  # not in the plan: build it again
    fairness = scores[scores["category"] == "Fairness, bias & ethics"]
    link = build_queue(fairness, "due", Filters(categories=("a",)), now=NOW, new_left_today=0)
    assert link.past_cap and after_rating(link, link.ids[0], category_of) is None


def test_a_category_asked_for_past_the_new_card_cap_is_served_anyway() -> None:
    scores = scores_frame([{"id": "x1", "category_slug": "x"}, {"id": "x2", "category_slug": "x"},
                           {"id": "x3", "category_slug": "x", "practised": True, "score": 0.3,
                            "due": NOW + timedelta(days=3)}, {"id": "y1", "category_slug": "y"}])
    queue = build_queue(scores, "due", Filters(categories=("x",)), now=NOW, new_left_today=0)
    assert queue.ids == ["x1", "x2", "x3"] and queue.past_cap
    assert build_queue(scores, "due", Filters(), now=NOW, new_left_today=0).ids == []
    within = build_queue(scores, "due", Filters(categories=("x",)), now=NOW, new_left_today=5)
    assert within.ids == ["x1", "x2"] and not within.past_cap


def test_a_recording_is_saved_under_the_data_dir_with_its_length(tmp_path: Path) -> None:
    relative, seconds = save_recording(tmp_path, "abc123", wav_bytes(2.5))
    assert relative == "recordings/abc123.wav" and seconds == 2.5
    assert recording_file(tmp_path, relative) == (tmp_path / relative).resolve()
    assert recording_file(tmp_path, "../../etc/passwd") is None
    with pytest.raises(RecordingError):
        save_recording(tmp_path, "../evil", wav_bytes(1))
    with pytest.raises(RecordingError, match="not a readable WAV"):
        save_recording(tmp_path, "bad", b"not a wav")
    assert not (tmp_path / "recordings" / "bad.wav").exists()
    assert wav_duration(wav_bytes(1, rate=16000)) == 1.0


def test_the_timer_script_gets_numbers_only() -> None:
    html = timer_html(uid=42, elapsed_s=3.5, target_s=120)
    assert 'id="mlprep-timer-42"' in html and "start = 3500" in html and "target = 120" in html
    assert "0:00 / 2:00" in html


def test_local_days_and_midnights_across_a_daylight_saving_change() -> None:
    zone = ZoneInfo("America/New_York")  # clocks jump from 02:00 to 03:00 on 2026-03-08
    before = datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)  # 01:30 EST
    after = datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)  # 03:30 EDT
    assert local_day(before, zone) == local_day(after, zone) == "2026-03-08"
    assert local_midnight(after, zone) == datetime(2026, 3, 8, 5, 0, tzinfo=timezone.utc)  # midnight EST
    next_day = datetime(2026, 3, 9, 12, 0, tzinfo=timezone.utc)
    assert local_midnight(next_day, zone) == datetime(2026, 3, 9, 4, 0, tzinfo=timezone.utc)  # midnight EDT
    assert format_local(after, zone, "%H:%M %Z") == "03:30 EDT"
    assert local_day(datetime(2026, 3, 9, 3, 59, tzinfo=timezone.utc), zone) == "2026-03-08"


def test_after_rating_a_new_question_the_next_comes_from_another_category() -> None:
    rows = [{"id": f"{c}{i}", "category": c.upper(), "category_slug": c} for c in "ab" for i in range(3)]
    scores = scores_frame(rows)
    assert build_queue(scores, "due", Filters(), now=NOW).ids[:2] == ["a0", "b0"]
    scores.loc[scores["id"] == "a0", ["practised", "due"]] = [True, pd.Timestamp(NOW + timedelta(days=1))]
    assert build_queue(scores, "due", Filters(), exclude={"a0"}, now=NOW).ids[:3] == ["b0", "a1", "b1"]


def test_every_recording_the_app_allows_fits_under_the_upload_limit() -> None:
    import tomllib

    from helpers import ROOT

    from mlprep import mock, recordings
    from mlprep.settings import ANSWER_TARGET_RANGE_S

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert recordings.UPLOAD_LIMIT_BYTES == config["server"]["maxUploadSize"] * 1024 * 1024
    longest_mock = max(mock.TIME_CHOICES_S) + mock.FOLLOW_UP_S
    assert recordings.MAX_RECORDING_S >= max(longest_mock, ANSWER_TARGET_RANGE_S[1])
    assert recordings.MAX_RECORDING_BYTES >= recordings.UPLOAD_LIMIT_BYTES  # saving never refuses what arrived
