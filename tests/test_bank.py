"""The bank loader and validator: good files load as rows, bad ones are reported with file and line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers import SECOND_FILE, SMALL_BANK, write

from mlprep.bank import load_bank, load_file, problems_in_paths, question_hash, slugify


def test_a_good_bank_loads_one_row_per_question_with_lists_kept(bank_dir: Path) -> None:
    bank = load_bank([bank_dir])
    assert bank.problems == []
    assert len(bank.questions) == 4
    row = bank.question("prod-one")
    assert row["looking_for"] == ["Asks who the users are", "Compares collaborative and content-based approaches",
                                  "Defines success beyond accuracy"]
    assert row["tags"] == ["recommendation"]
    assert row["category_slug"] == "product-sense-business-impact"
    assert row["hash"] == question_hash(row["prompt"], row["looking_for"])
    assert sorted(bank.categories) == ["Product sense & business impact", "Production incidents & MLOps"]


def test_a_yaml_syntax_error_is_reported_with_its_line_and_the_other_files_still_load(bank_dir: Path) -> None:
    write(bank_dir / "broken.yaml", "category: Broken\nquestions:\n  - id: x\n    prompt: [unclosed\n")
    bank = load_bank([bank_dir])
    assert len(bank.questions) == 4
    [problem] = bank.problems
    assert problem.file.endswith("broken.yaml")
    assert "YAML syntax error" in problem.message
    assert problem.line >= 4


def test_duplicate_ids_within_a_file_and_across_files_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", SMALL_BANK + SMALL_BANK.split("questions:\n", 1)[1].split("  - id: prod-two")[0])
    write(tmp_path / "b.yaml", SECOND_FILE.replace("inc-one", "prod-two"))
    bank = load_bank([tmp_path])
    messages = [str(p) for p in bank.problems]
    assert any("a.yaml" in m and "prod-one: id: duplicate id" in m for m in messages), messages
    assert any("b.yaml:3: prod-two: id: duplicate id (first defined at" in m for m in messages), messages
    assert sorted(bank.questions["id"]) == ["prod-one", "prod-three", "prod-two"]


def test_missing_fields_bad_values_and_non_list_rubric_name_file_line_id_and_field(tmp_path: Path) -> None:
    write(tmp_path / "bad.yaml", """\
        category: Fairness, bias & ethics
        questions:
          - id: no-prompt
            difficulty: easy
            kind: scenario
            looking_for: [a, b, c]
          - id: bad-difficulty
            prompt: Q
            difficulty: trivial
            kind: scenario
            looking_for: [a, b, c]
          - id: rubric-string
            prompt: Q
            difficulty: easy
            kind: scenario
            looking_for: just one string
          - id: short-rubric
            prompt: Q
            difficulty: easy
            kind: debug
            looking_for: [a]
          - id: fine
            prompt: Q
            difficulty: easy
            kind: debug
            looking_for: [a, b, c]
        """)
    _, info = load_file(tmp_path / "bad.yaml")
    shown = {str(p).split("bad.yaml:", 1)[1] for p in info.problems}
    assert "3: no-prompt: prompt: missing or empty; every question needs one" in shown
    assert "9: bad-difficulty: difficulty: unknown difficulty 'trivial'; use one of easy, medium, hard" in shown
    assert "16: rubric-string: looking_for: must be a list (one '- item' per line)" in shown
    assert "21: short-rubric: looking_for: needs at least 3 points (has 1)" in shown
    assert info.loaded == 1


def test_a_file_that_is_not_utf8_is_reported_not_crashed_on(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes("category: Caf\xe9\nquestions: []\n".encode("latin-1"))
    _, info = load_file(tmp_path / "latin1.yaml")
    [problem] = info.problems
    assert problem.line == 1 and "not UTF-8" in problem.message


def test_python_tags_are_rejected_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write(tmp_path / "evil.yaml", f"""\
        category: Evil
        questions:
          - id: evil
            prompt: !!python/object/apply:os.system ["touch {marker}"]
            difficulty: easy
            kind: debug
            looking_for: [a, b, c]
        """)
    _, info = load_file(tmp_path / "evil.yaml")
    assert not marker.exists()
    [problem] = info.problems
    assert "YAML tag not allowed" in problem.message and problem.line == 4


def test_a_bom_and_crlf_line_ends_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "crlf.yaml").write_bytes(b"\xef\xbb\xbf" + SMALL_BANK.replace("\n", "\r\n").encode("utf-8"))
    rows, info = load_file(tmp_path / "crlf.yaml")
    assert info.problems == [] and len(rows) == 3


def test_non_breaking_spaces_in_a_category_name_are_normalised() -> None:
    assert slugify("Supervised\u00a0machine learning") == "supervised-machine-learning"


def test_the_cache_reloads_when_a_file_changes(bank_dir: Path) -> None:
    first = load_bank([bank_dir])
    assert load_bank([bank_dir]) is first
    path = bank_dir / "incidents.yaml"
    path.write_text(SECOND_FILE.replace("inc-one", "inc-renamed"), encoding="utf-8")
    later = time.time() + 5
    os.utime(path, (later, later))
    reloaded = load_bank([bank_dir])
    assert reloaded is not first and "inc-renamed" in set(reloaded.questions["id"])


def test_validate_counts_files_and_problems_across_paths(bank_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "other" / "dup.yaml", SECOND_FILE)
    count, problems = problems_in_paths([bank_dir, tmp_path / "other"])
    assert count == 3
    assert [p.field for p in problems] == ["id"]


def test_clarify_first_is_an_optional_true_or_false(tmp_path: Path) -> None:
    write(tmp_path / "flags.yaml", """\
        category: Problem framing
        questions:
          - id: asks-first
            prompt: Which questions do you ask first?
            difficulty: easy
            kind: scenario
            clarify_first: false
            looking_for: [a, b, c]
          - id: by-kind
            prompt: Q
            difficulty: easy
            kind: scenario
            looking_for: [a, b, c]
          - id: not-a-flag
            prompt: Q
            difficulty: easy
            kind: design
            clarify_first: sometimes
            looking_for: [a, b, c]
        """)
    rows, info = load_file(tmp_path / "flags.yaml")
    assert {r["id"]: r["clarify_first"] for r in rows} == {"asks-first": False, "by-kind": None}
    shown = {str(p).split("flags.yaml:", 1)[1] for p in info.problems}
    assert "18: not-a-flag: clarify_first: must be true or false, not 'sometimes'" in shown


def test_the_shipped_questions_about_what_to_ask_skip_the_clarify_step() -> None:
    from mlprep.paths import SHIPPED_BANK_DIR

    questions = load_bank([SHIPPED_BANK_DIR]).questions.set_index("id")
    skip = set(questions.index[questions["clarify_first"].eq(False)])
    assert {"framing-fake-reviews-first-questions", "framing-interviewer-wont-clarify"} <= skip
    assert questions.loc["product-niche-recsys", "clarify_first"] is None  # an ordinary scenario: by its kind


# The loader builds plain documents itself (faster than PyYAML's constructor) and leaves the rest to the
# safe constructor: both must give the same data as yaml.safe_load, aliases shared as PyYAML shares them.
YAML_CASES = [
    "a: 1\nb: 1.5\nc: yes\nd: ~\ne: 2024-01-01\nf: '1'\ng: 0x1F\nh: -.inf\nj: 1_000\nl:\nm: ''\n",
    "base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n",
    "a: !!set {x, y}\nb: !!omap [x: 1]\n",
    "1: one\n2.5: two\ntrue: t\nnull: n\n2024-01-01: d\n",
    "- !!str 12\n- !!int '3'\n- !!float 1\n- !!binary aGVsbG8=\n",
    "a: |\n  multi\n  line\nb: >\n  fold\n  ed\nc: \"esc\\tape\"\n",
    "{a: [b, {c: d}], e: null}",
]


def _fast_load(text: str) -> object:
    from mlprep.bank import YamlLoader, _construct

    loader = YamlLoader(text)
    try:
        return _construct(loader, loader.get_single_node())
    finally:
        loader.dispose()


def test_the_fast_yaml_builder_gives_the_safe_loaders_data() -> None:
    import yaml

    for text in YAML_CASES:
        assert _fast_load(text) == yaml.load(text, Loader=yaml.SafeLoader), text  # noqa: S506 - the safe loader
    with pytest.raises(yaml.constructor.ConstructorError, match="unhashable"):
        _fast_load("? [1, 2]\n: x\n")  # a list as a key: refused as the safe loader refuses it
    shared = _fast_load("a: &x [1, 2]\nb: *x\n")
    assert shared == {"a": [1, 2], "b": [1, 2]} and shared["a"] is shared["b"]
    looped = _fast_load("&a [*a, x]\n")
    assert looped[0] is looped and looped[1] == "x"


def test_a_bad_question_in_a_big_file_still_names_its_field_line(tmp_path: Path) -> None:
    good = "".join(f"  - id: q{i}\n    prompt: Question {i}?\n    difficulty: easy\n    kind: explain\n"
                   f"    looking_for: [a, b, c]\n" for i in range(300))
    write(tmp_path / "big.yaml", "category: Big\nquestions:\n" + good
          + "  - id: q-bad\n    prompt: Bad?\n    difficulty: easy\n    kind: explain\n    looking_for: [a]\n")
    rows, info = load_file(tmp_path / "big.yaml")
    assert len(rows) == 300
    [problem] = info.problems
    assert (problem.qid, problem.field, problem.line) == ("q-bad", "looking_for", 3 + 5 * 300 + 4)
