"""The typed Question: one field list for the schema, symmetric to_dict/from_dict, the same from a file and
from the loaded bank."""

from __future__ import annotations

import yaml

from mlprep import importers
from mlprep.bank import load_bank
from mlprep.paths import SHIPPED_BANK_DIR
from mlprep.question import QUESTION_FIELDS, FollowUp, Question


def test_every_shipped_question_reads_the_same_from_its_file_and_from_the_loaded_bank() -> None:
    bank = load_bank([SHIPPED_BANK_DIR])
    for path in sorted(SHIPPED_BANK_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in doc["questions"]:
            from_file = Question.from_dict({"category": doc["category"], **item})
            assert bank.get(item["id"]) == from_file, item["id"]
            assert Question.from_dict(from_file.to_dict()) == from_file


def test_coached_and_plain_follow_ups_keep_their_form() -> None:
    question = Question(id="q", category="C", prompt="P", difficulty="easy", kind="explain",
                        follow_ups=(FollowUp("Why?", ("Because", "And so")), FollowUp("Plain one")))
    assert question.to_dict()["follow_ups"] == [{"ask": "Why?", "good_reply": ["Because", "And so"]}, "Plain one"]
    assert Question.from_dict(question.to_dict()) == question


def test_the_importers_and_the_loader_share_one_field_list() -> None:
    assert importers.QUESTION_FIELDS is QUESTION_FIELDS
    assert QUESTION_FIELDS[:5] == ("id", "category", "prompt", "difficulty", "kind")
