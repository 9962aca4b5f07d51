"""Unit tests for the TF-IDF cosine similarity used to catch near-duplicate prompts."""

from __future__ import annotations

import math

import pytest

from mlprep.similarity import all_pairs, similar_pairs, tfidf_matrix, tokenize


def test_tokenize_lowercases_and_drops_short_tokens_and_stop_words() -> None:
    assert tokenize("The A/B test of a Model, v2 on 3 GPUs!") == ["test", "model", "v2", "gpus"]


def test_identical_texts_score_one() -> None:
    pairs = similar_pairs({"a": "Design a churn model", "b": "Design a churn model", "c": "Fraud alerts"}, 0.99)
    assert [(a, b) for a, b, _ in pairs] == [("a", "b")]
    assert pairs[0][2] == pytest.approx(1.0)


def test_disjoint_texts_score_zero() -> None:
    [(_, _, score)] = all_pairs({"a": "churn prediction model", "b": "fraud alerting pipeline"})
    assert score == 0.0


def test_stop_words_are_ignored() -> None:
    [(_, _, score)] = all_pairs({"a": "How would you monitor the model?", "b": "monitor model"})
    assert score == pytest.approx(1.0)


def test_text_of_only_stop_words_scores_zero() -> None:
    [(_, _, score)] = all_pairs({"a": "what is it that you would do", "b": "monitor model"})
    assert score == 0.0


def test_threshold_is_respected_and_inclusive() -> None:
    texts = {"a": "churn model features", "b": "churn model drift", "c": "fraud alerting pipeline"}
    scores = {(a, b): s for a, b, s in all_pairs(texts)}
    middle = scores[("a", "b")]
    assert 0.0 < middle < 1.0
    assert [(a, b) for a, b, _ in similar_pairs(texts, middle)] == [("a", "b")]
    assert similar_pairs(texts, middle + 0.01) == []
    assert len(similar_pairs(texts, 0.0)) == 3


def test_pairs_are_sorted_by_score_descending() -> None:
    texts = {"a": "churn model features", "b": "churn model drift", "c": "churn alerts", "d": "churn model features"}
    scores = [s for _, _, s in similar_pairs(texts, 0.0)]
    assert scores == sorted(scores, reverse=True)
    assert similar_pairs(texts, 0.0)[0][:2] == ("a", "d")


def test_rows_are_l2_normalised_with_smoothed_idf() -> None:
    matrix, vocabulary = tfidf_matrix(["churn churn model", "model"])
    assert vocabulary == ["churn", "model"]
    idf_churn = math.log(3 / 2) + 1  # in 1 of 2 texts
    idf_model = math.log(3 / 3) + 1  # in both texts
    norm = math.hypot(2 * idf_churn, idf_model)
    assert matrix[0].tolist() == pytest.approx([2 * idf_churn / norm, idf_model / norm])
    assert matrix[1].tolist() == pytest.approx([0.0, 1.0])


def test_empty_input_gives_no_pairs() -> None:
    assert similar_pairs({}, 0.5) == []
