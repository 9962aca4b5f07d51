"""Mock rounds: which questions are asked, a round that survives a refresh, grading once, the summary."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mlprep import mock
from mlprep.bank import load_bank
from mlprep.db import NewReview, Store, new_review_id
from mlprep.db.schema import SCHEMA_VERSION
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.rating import Rating
from mlprep.readiness import question_scores

T0 = 1_800_000_000.0  # a fixed UTC epoch second


def grade(store: Store, scheduler, round_id: str, answer, rating: int, hits: list[str], missed: list[str]):
    """Grade one answer with these ticks, as the mock page does (the rubric is the ticked plus the missed)."""
    question = {"id": answer.question_id, "looking_for": hits + missed, "hash": "", "category": ""}
    return mock.grade_answer(store, scheduler, round_id, answer.review_id, question, hits, Rating(rating))


@pytest.fixture(scope="module")
def shipped():
    return load_bank([SHIPPED_BANK_DIR])


@pytest.fixture
def small(bank_dir: Path):
    return load_bank([bank_dir])


def plan_for(bank, ids: list[str], seed: int = 1) -> list[tuple[str, str]]:
    return [(q, mock.pick_follow_up(bank.question(q)["follow_ups"], seed, q)) for q in ids]


def test_the_same_seed_gives_the_same_round_and_another_seed_another(shipped) -> None:
    first = mock.select_questions(shipped.questions, "mixed", 5, seed=7)
    assert first == mock.select_questions(shipped.questions, "mixed", 5, seed=7)
    assert first != mock.select_questions(shipped.questions, "mixed", 5, seed=8)
    assert len(set(first)) == 5


def test_a_mixed_round_takes_each_question_from_a_different_category(shipped) -> None:
    ids = mock.select_questions(shipped.questions, "mixed", 8, seed=3)
    categories = [shipped.question(q)["category"] for q in ids]
    assert len(set(categories)) == 8


@pytest.mark.parametrize("round_type", ["product", "behavioral", "mlops"])
def test_a_round_type_draws_only_on_its_categories(shipped, round_type: str) -> None:
    from mlprep.study import ROUND_TYPES

    ids = mock.select_questions(shipped.questions, round_type, 8, seed=11)
    assert len(ids) == 8
    assert {shipped.question(q)["category"] for q in ids} <= set(ROUND_TYPES[round_type][1])


def test_questions_with_a_rubric_and_a_follow_up_come_first_and_suspended_ones_never(small) -> None:
    ids = mock.select_questions(small.questions, "product", 3, seed=5)
    assert ids[0] == "prod-one"  # the only one with a follow-up
    assert sorted(ids) == ["prod-one", "prod-three", "prod-two"]
    assert "prod-one" not in mock.select_questions(small.questions, "product", 3, seed=5, exclude={"prod-one"})


def test_a_round_has_three_to_eight_questions_of_a_known_type(small) -> None:
    with pytest.raises(mock.MockError, match="3 to 8"):
        mock.select_questions(small.questions, "mixed", 2, seed=0)
    with pytest.raises(mock.MockError, match="unknown round type"):
        mock.select_questions(small.questions, "trivia", 3, seed=0)


def test_my_weak_areas_asks_the_questions_i_did_worst_on_first(store: Store, scheduler, shipped) -> None:
    bad = ["fair-underrepresented-bias", "incident-realtime-degradation"]
    for qid in bad:
        store.record_review(NewReview(id=new_review_id(), question_id=qid, rating=1,
                                      rubric_missed=["a", "b", "c"]), scheduler)
    good = "star-tight-deadline"
    store.record_review(NewReview(id=new_review_id(), question_id=good, rating=4, rubric_hits=["a", "b"]), scheduler)
    scores = question_scores(shipped.questions, store.cards(), scheduler)
    order = mock.weak_question_order(scores, store.missed_points())
    ids = mock.select_questions(shipped.questions, "weak", 8, seed=0, weak_order=order)
    assert set(ids[:2]) == set(bad) and good not in ids


def test_the_follow_up_is_one_of_the_questions_and_the_same_for_the_same_seed() -> None:
    options = ["Why?", "What if latency must be under 50 ms?", "Your PM disagrees."]
    picked = mock.pick_follow_up(options, 4, "q1")
    assert picked in options and picked == mock.pick_follow_up(options, 4, "q1")
    assert mock.pick_follow_up([], 4, "q1") == ""


def test_a_new_round_shows_its_first_question_with_a_review_id_and_a_start_time(store: Store, small) -> None:
    rid = mock.create_round(store, "product", plan_for(small, ["prod-one", "prod-two", "prod-three"]), 120, now=T0)
    rnd = mock.load_round(store, rid)
    assert rnd.stage == mock.STAGE_ANSWER and rnd.position == 0 and rnd.question_count == 3
    assert rnd.current.question_id == "prod-one" and rnd.current.started_at == T0 and rnd.current.review_id
    assert rnd.current.follow_up == "What about cold start?"
    assert [a.review_id for a in rnd.answers[1:]] == [None, None]  # minted only when shown
    assert mock.open_round_id(store) == rid
    assert mock.load_round(store, "no-such-round") is None


def test_answer_then_follow_up_then_the_next_question_then_grading(store: Store, small) -> None:
    rid = mock.create_round(store, "product", plan_for(small, ["prod-one", "prod-two", "prod-three"]), 60, now=T0)
    first = mock.load_round(store, rid).current
    assert mock.advance(store, rid, first.review_id, mock.STAGE_ANSWER, text="Ask who the users are", now=T0 + 75)
    rnd = mock.load_round(store, rid)
    assert rnd.stage == mock.STAGE_FOLLOW_UP and rnd.current.follow_up_started_at == T0 + 75
    # A double click on the answer's "Done" arrives late: nothing changes.
    assert not mock.advance(store, rid, first.review_id, mock.STAGE_ANSWER, text="other", now=T0 + 76)
    assert mock.advance(store, rid, first.review_id, mock.STAGE_FOLLOW_UP, text="Popular items", now=T0 + 100)
    rnd = mock.load_round(store, rid)
    assert (rnd.position, rnd.stage) == (1, mock.STAGE_ANSWER) and rnd.current.started_at == T0 + 100
    done = rnd.answers[0]
    assert (done.answer_text, done.answer_s, done.follow_up_text, done.follow_up_s) == \
        ("Ask who the users are", 75.0, "Popular items", 25.0)
    # prod-two and prod-three have no follow-up: straight on to the next question, then grading.
    assert mock.advance(store, rid, rnd.current.review_id, mock.STAGE_ANSWER, text="DAU", now=T0 + 130)
    rnd = mock.load_round(store, rid)
    assert (rnd.position, rnd.stage) == (2, mock.STAGE_ANSWER)
    assert mock.advance(store, rid, rnd.current.review_id, mock.STAGE_ANSWER, text="", now=T0 + 140)
    assert mock.load_round(store, rid).stage == mock.STAGE_GRADING


def test_a_round_reloaded_from_the_database_is_where_it_was(store: Store, small) -> None:
    """What a browser refresh relies on: position, the original start time and the text typed so far."""
    rid = mock.create_round(store, "product", plan_for(small, ["prod-two", "prod-three", "prod-one"]), 120, now=T0)
    first = mock.load_round(store, rid).current
    mock.advance(store, rid, first.review_id, mock.STAGE_ANSWER, text="answer one", now=T0 + 50)
    second = mock.load_round(store, rid).current
    mock.advance(store, rid, second.review_id, mock.STAGE_ANSWER, text="answer two", now=T0 + 110)
    third = mock.load_round(store, rid).current
    assert mock.save_text(store, third.review_id, "half of answer three")  # the box lost focus
    reloaded = mock.load_round(store, rid)  # a new session: nothing from session state
    assert reloaded.position == 2 and reloaded.current.question_id == "prod-one"
    assert reloaded.current.started_at == T0 + 110
    assert reloaded.current.answer_text == "half of answer three"
    assert [a.answer_text for a in reloaded.answers[:2]] == ["answer one", "answer two"]


def test_grading_writes_one_mock_review_per_answer_and_finishes_the_round(store: Store, scheduler, small) -> None:
    rid = mock.create_round(store, "product", plan_for(small, ["prod-one", "prod-two", "prod-three"]), 60, now=T0)
    texts = iter(["users first", "retention", "rules"])
    while (rnd := mock.load_round(store, rid)).stage != mock.STAGE_GRADING:
        text = next(texts) if rnd.stage == mock.STAGE_ANSWER else "cold start: popular items"
        mock.advance(store, rid, rnd.current.review_id, rnd.stage, text=text, now=T0 + 90 * (rnd.position + 1))
    assert mock.finished_rounds(store) == 0
    rnd = mock.load_round(store, rid)
    first = rnd.answers[0]
    assert grade(store, scheduler, rid, first, 3, ["Asks who the users are"], ["Compares approaches", "Defines success"])
    assert not grade(store, scheduler, rid, first, 1, [], [])  # graded twice: once
    review = store.review(first.review_id)
    assert (review["mode"], review["rating"], review["session_id"]) == ("mock", 3, rid)
    assert review["answer_text"] == "users first\n\nFollow-up: What about cold start?\ncold start: popular items"
    assert review["duration_s"] == first.answer_s == 90.0
    assert mock.load_round(store, rid).stage == mock.STAGE_GRADING
    for answer in rnd.answers[1:]:
        grade(store, scheduler, rid, answer, 2, ["a"], ["b", "c"])
    assert mock.load_round(store, rid).stage == mock.STAGE_DONE and mock.finished_rounds(store) == 1
    assert store.review_count() == 3 and set(store.reviews()["mode"]) == {"mock"}
    assert store.cards()["reps"].tolist() == [1, 1, 1]  # the grades schedule the questions
    assert mock.open_round_id(store) is None


def test_an_abandoned_round_takes_no_clicks_and_is_not_offered_again(store: Store, scheduler, small) -> None:
    rid = mock.create_round(store, "product", plan_for(small, ["prod-one", "prod-two", "prod-three"]), 60, now=T0)
    review_id = mock.load_round(store, rid).current.review_id
    mock.abandon_round(store, rid)
    assert not mock.advance(store, rid, review_id, mock.STAGE_ANSWER, text="late")
    assert not mock.save_text(store, review_id, "late")
    assert mock.open_round_id(store) is None and store.review_count() == 0


def _finished_round() -> tuple[mock.MockRound, list[mock.AnswerResult]]:
    rnd = mock.MockRound(id="r1", round_type="product", target_s=120, follow_up_s=60, seed=1, position=2,
                         stage=mock.STAGE_DONE, created_at="2026-03-01T09:00:00.000000Z",
                         finished_at="2026-03-01T09:20:00.000000Z")
    results = [
        mock.AnswerResult(0, "prod-one", "How would you improve recommendations?", "What about cold start?",
                          150.0, 40.0, 120, 60, ["Asks who the users are"],
                          ["Compares approaches", "Defines success beyond accuracy"], 2),
        mock.AnswerResult(1, "prod-two", "Pick a north-star | metric.", "Why not revenue?", 95.0, 62.0, 120, 60,
                          ["Names one metric", "Explains why", "Adds a guardrail"], [], 4),
        mock.AnswerResult(2, "inc-one", "CTR dropped 30%.", "", 110.0, None, 120, 60,
                          ["Rolls back first"], ["Checks recent changes", "Communicates", "Post-mortem"], 1),
    ]
    return rnd, results


def test_the_summary_has_time_coverage_weakest_points_and_what_to_study_next() -> None:
    rnd, results = _finished_round()
    text = mock.summary_markdown(rnd, results)
    assert text.startswith("# Mock interview: Product & ML design, 3 questions\n")
    assert "2:00 per question, 1:00 per follow-up" in text
    assert "| 1 | How would you improve recommendations? (`prod-one`) | 2:30 | +30 s | 0:40 | 1/3 | Shaky |" in text
    assert "Pick a north-star \\| metric." in text  # a pipe in a prompt does not break the table
    assert "| 3 | CTR dropped 30%. (`inc-one`) | 1:50 | - | - | 1/4 | Blanked |" in text
    assert "**Rubric coverage:** 5 of 10 points (50%)." in text
    assert "1 of 3 answers ran over 2:00" in text
    weakest = text.split("## Weakest points")[1].split("## Study next")[0]
    assert weakest.strip().splitlines() == [
        "- Checks recent changes (question 3, covered 1/4)",
        "- Compares approaches (question 1, covered 1/3)",
    ]
    study = text.split("## Study next")[1].strip().splitlines()
    assert study[0].startswith("- [ ] CTR dropped 30%. _(`inc-one`, rated Blanked")
    assert study[1].startswith("- [ ] How would you improve recommendations?") and len(study) == 2
    assert mock.summary_filename(rnd).startswith("mlprep-mock-product-2026")


def test_a_round_with_every_answer_solid_says_so() -> None:
    rnd, results = _finished_round()
    text = mock.summary_markdown(rnd, [results[1]])
    assert "every rubric point was covered" in text and "Every answer in this round was solid" in text


def test_results_join_the_answers_with_their_reviews(store: Store, scheduler, small) -> None:
    rid = mock.create_round(store, "product", plan_for(small, ["prod-two", "prod-three", "inc-one"]), 60, now=T0)
    for step in range(3):
        rnd = mock.load_round(store, rid)
        mock.advance(store, rid, rnd.current.review_id, rnd.stage, text=f"a{step}", now=T0 + 70 * (step + 1))
    rnd = mock.load_round(store, rid)
    grade(store, scheduler, rid, rnd.answers[0], 3, ["Names one metric"],
          ["Explains why it tracks user value", "Adds a guardrail"])
    results = mock.round_results(store, rnd, small)
    assert [r.question_id for r in results] == ["prod-two", "prod-three", "inc-one"]
    assert results[0].graded and results[0].hits == ["Names one metric"] and results[0].over_s == 10.0
    assert not results[1].graded and results[1].answer_s == 70.0
    assert "Pick a north-star metric" in results[0].prompt


def test_a_version_1_database_migrates_to_the_current_schema_keeping_its_stories(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "mlprep.sqlite3")
    from mlprep.db.schema import MIGRATIONS, statements

    for statement in statements(MIGRATIONS[1]):
        conn.execute(statement)
    conn.execute("INSERT INTO stories (id, title, created_at, updated_at) VALUES ('s1', 'Old story', 'x', 'x')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store(data_dir)
    assert store.schema_version() == SCHEMA_VERSION == 3
    columns = {r[1] for r in store.query("PRAGMA table_info(mock_answers)")}
    assert {"follow_up_hits", "follow_up_missed"} <= columns
    assert store.query("SELECT title FROM stories") == [("Old story",)]
    tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"mock_rounds", "mock_answers", "story_rehearsals"} <= tables


def test_every_round_write_bumps_the_store_version_that_caches_key_on(store: Store, small) -> None:
    before = store.version()
    rid = mock.create_round(store, "product", plan_for(small, ["prod-one", "prod-two", "prod-three"]), 60)
    review_id = mock.load_round(store, rid).current.review_id
    mock.save_text(store, review_id, "x")
    mock.advance(store, rid, review_id, mock.STAGE_ANSWER)
    assert store.version() == before + 3
    assert mock.past_rounds(store).empty  # nothing finished yet


def test_the_coaching_of_the_follow_up_asked_is_found_for_grading() -> None:
    question = {"follow_ups": ["Why?", "What then?"], "follow_up_replies": [["Because"], []]}
    assert mock.follow_up_coaching(question, "Why?") == ["Because"]
    assert mock.follow_up_coaching(question, "What then?") == [] and mock.follow_up_coaching(question, "Other") == []


def test_the_summary_gives_each_answer_the_follow_up_and_its_answer_the_coaching_and_the_points_missed() -> None:
    from dataclasses import replace

    rnd, results = _finished_round()
    results[0] = replace(results[0], answer_text="Start with who the hobbyists are,\nthen content-based.",
                         follow_up_text="Popular posts in the hobby.",
                         follow_up_coaching=["Popularity within the hobby plus one onboarding question"])
    each = mock.summary_markdown(rnd, results).split("## Each answer")[1].split("## Weakest points")[0]
    first = each.split("**2. ")[0]
    assert "**1. How would you improve recommendations?**" in first
    assert "Your answer (2:30): “Start with who the hobbyists are, then content-based.”" in first
    assert "Follow-up: *What about cold start?*" in first and "Your reply (0:40): “Popular posts in the hobby.”" in first
    assert "A good reply to the follow-up covers:\n\n- Popularity within the hobby plus one onboarding question" in first
    assert "Rubric points missed (2 of 3):\n\n- Compares approaches\n- Defines success beyond accuracy" in first
    assert "Rubric: every point covered." in each.split("**2. ")[1]
    assert "Your answer (1:50): _nothing written (a recording" in each.split("**3. ")[1]


COACHED_BANK = """\
category: Coached
questions:
  - id: coached-one
    prompt: A coached question?
    difficulty: easy
    kind: explain
    looking_for: [One, Two, Three]
    follow_ups:
      - ask: Why?
        good_reply: [Because of the users, Names a trade-off]
  - id: plain-one
    prompt: A question with a plain follow-up?
    difficulty: easy
    kind: explain
    looking_for: [Alpha, Beta, Gamma]
    follow_ups: [And then?]
"""


def _write_coached_bank(bank_dir: Path):
    from helpers import write

    from mlprep.bank import load_bank

    write(bank_dir / "coached.yaml", COACHED_BANK)
    return load_bank([bank_dir])


def test_results_carry_the_coaching_of_the_follow_up_asked(store: Store, scheduler, bank_dir) -> None:
    bank = _write_coached_bank(bank_dir)
    rid = mock.create_round(store, "mixed", [("coached-one", "Why?")], 60, now=T0)
    rnd = mock.load_round(store, rid)
    mock.advance(store, rid, rnd.current.review_id, rnd.stage, text="my answer", now=T0 + 30)
    rnd = mock.load_round(store, rid)
    mock.advance(store, rid, rnd.current.review_id, rnd.stage, text="my reply", now=T0 + 60)
    [result] = mock.round_results(store, mock.load_round(store, rid), bank)
    assert (result.answer_text, result.follow_up_text, result.follow_up_coaching) == (
        "my answer", "my reply", ["Because of the users", "Names a trade-off"])


def _coached_round_in_grading(store: Store, bank_dir: Path):
    bank = _write_coached_bank(bank_dir)
    rid = mock.create_round(store, "mixed", [("coached-one", "Why?"), ("plain-one", "And then?")], 60, now=T0)
    while (rnd := mock.load_round(store, rid)).in_progress:
        mock.advance(store, rid, rnd.current.review_id, rnd.stage, text="said something", now=T0 + 30)
    return bank, rid, mock.load_round(store, rid)


def test_a_follow_up_reply_is_graded_once_against_its_coaching_and_kept_with_the_round(store: Store, scheduler,
                                                                                        bank_dir: Path) -> None:
    bank, rid, rnd = _coached_round_in_grading(store, bank_dir)
    coached, plain = rnd.answers
    question = bank.question("coached-one")
    recorded = mock.grade_answer(store, scheduler, rid, coached.review_id, question, ["One"], Rating(3),
                                 follow_up_ticked=["Names a trade-off"])
    assert recorded is not None
    again = mock.load_round(store, rid).answers[0]  # as after a reload
    assert again.follow_up_hits == ["Names a trade-off"] and again.follow_up_missed == ["Because of the users"]
    # A second grade (a double click) keeps the first; an uncoached follow-up has nothing to grade.
    assert not mock.grade_follow_up(store, rid, coached.review_id, question, ["Because of the users"])
    assert mock.load_round(store, rid).answers[0].follow_up_hits == ["Names a trade-off"]
    assert not mock.grade_follow_up(store, rid, plain.review_id, bank.question("plain-one"), ["And then?"])
    mock.grade_answer(store, scheduler, rid, plain.review_id, bank.question("plain-one"), ["Alpha"], Rating(2),
                      follow_up_ticked=None)
    rnd = mock.load_round(store, rid)
    assert rnd.stage == mock.STAGE_DONE and rnd.answers[1].follow_up_hits is None
    first, second = mock.round_results(store, rnd, bank)
    assert (first.follow_up_grade, second.follow_up_grade) == ("1/2", "-")
    text = mock.summary_markdown(rnd, [first, second])
    assert next(line for line in text.splitlines() if line.startswith("| 1 |")).endswith("| Solid | 1/2 |")
    assert next(line for line in text.splitlines() if line.startswith("| 2 |")).endswith("| Shaky | - |")
    assert ("Follow-up graded: your reply covered 1 of 2 points a good reply covers:\n\n"
            "- ✓ Names a trade-off\n- ✗ Because of the users (missed)") in text
    # A finished round takes no more follow-up grades.
    assert not mock.grade_follow_up(store, rid, plain.review_id, question, [])


def test_a_coached_follow_up_not_graded_says_so_in_the_summary() -> None:
    from dataclasses import replace

    rnd, results = _finished_round()
    results[0] = replace(results[0], follow_up_coaching=["Popularity within the hobby"])
    text = mock.summary_markdown(rnd, results)
    assert "| Shaky | not graded |" in text and "Follow-up reply: not graded." in text
    assert "| 2 | Pick a north-star \\| metric. (`prod-two`) | 1:35 | - | 1:02 | 3/3 | Nailed it | - |" in text


def test_an_abandoned_round_takes_no_follow_up_grade(store: Store, bank_dir: Path) -> None:
    bank, rid, rnd = _coached_round_in_grading(store, bank_dir)
    mock.abandon_round(store, rid)
    assert not mock.grade_follow_up(store, rid, rnd.answers[0].review_id, bank.question("coached-one"), ["One"])
