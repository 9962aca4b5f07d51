"""The weak-area list: weakest first, with reasons, in Markdown, CSV and JSON from one function."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone

from mlprep.bank import load_bank
from mlprep.db import NewReview, new_review_id
from mlprep.readiness import question_scores
from mlprep.weak_areas import render, safe_cell, to_csv, to_json, to_markdown, weak_areas

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def _areas(bank_dir, store, scheduler, **kwargs):
    bank = load_bank([bank_dir])
    store.record_review(NewReview(id=new_review_id(), question_id="prod-one", rating=2, rated_at=T0,
                                  rubric_hits=["Asks who the users are"],
                                  rubric_missed=["Compares collaborative and content-based approaches",
                                                 "Defines success beyond accuracy"]), scheduler)
    scores = question_scores(bank.questions, store.cards(), scheduler, T0 + timedelta(hours=1))
    return weak_areas(scores, store.missed_points(), **kwargs)


def test_weak_areas_list_reasons_and_the_next_questions(bank_dir, store, scheduler) -> None:
    areas = _areas(bank_dir, store, scheduler)
    product = next(a for a in areas if a.area == "Product sense & business impact")
    assert [q.id for q in product.practised_weak] == ["prod-one"]
    assert [q.id for q in product.untouched] == ["prod-two", "prod-three"]
    assert product.avg_rating == 2.0
    assert product.top_missed[0][1] == 1
    assert [q.id for q in product.next_questions] == ["prod-one", "prod-two", "prod-three"]
    assert product.label == "0 of 3 solid"


def test_round_weights_put_a_chosen_category_first(bank_dir, store, scheduler) -> None:
    areas = _areas(bank_dir, store, scheduler, rounds=["mlops"])
    assert areas[0].area == "Production incidents & MLOps"
    assert areas[0].weight == 1.5 and areas[0].weight_note == "counts ×1.5 for your loop's MLOps & incidents round"


def test_markdown_is_a_study_plan_with_checkboxes(bank_dir, store, scheduler) -> None:
    text = to_markdown(_areas(bank_dir, store, scheduler))
    assert text.startswith("# mlprep weak-area study plan")
    assert "## Product sense & business impact — 0 of 3 solid" in text
    assert "- [ ] How would you improve recommendations for a niche hobby app?" in text
    assert "Rubric points you miss most:" in text


def test_csv_has_one_row_per_area_and_json_parses(bank_dir, store, scheduler) -> None:
    areas = _areas(bank_dir, store, scheduler)
    rows = list(csv.DictReader(io.StringIO(to_csv(areas))))
    assert [r["area"] for r in rows] == [a.area for a in areas]
    assert json.loads(to_json(areas))[0]["area"] == areas[0].area
    assert render(areas, "csv") == to_csv(areas)


def test_spreadsheet_formulas_are_written_inert() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM") == "'@SUM" and safe_cell("plain") == "plain" and safe_cell(3) == 3


def test_an_empty_list_still_renders() -> None:
    assert "No weak categories" in to_markdown([])
    assert to_csv([]).startswith("area,")
