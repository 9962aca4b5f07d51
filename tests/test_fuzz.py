"""Property tests: any file ends in a result or a clear error, never a traceback or a partial write;
whatever the exporters write, the importers read back unchanged."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mlprep import bank as bank_mod
from mlprep import exporters, importers, userbank

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = st.sampled_from(["list.csv", "deck.txt", "bank.yaml", "sheet.tsv", "notes.yml"])

# Text a person could type: any printable character (accents, emoji, quotes, tabs inside words excluded).
WORDS = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
                min_size=1, max_size=40).map(lambda s: " ".join(s.split())).filter(bool)
PREFIXED = st.builds(lambda p, w: p + w, st.sampled_from(["", "", "=", "+", "-", "@"]), WORDS)


@FAST
@given(name=NAMES, data=st.binary(max_size=2000))
def test_any_bytes_give_a_result_or_a_clear_error(name: str, data: bytes) -> None:
    try:
        result = importers.read_questions(name, data)
    except importers.ImportFailed as exc:
        assert str(exc).strip()
        return
    assert isinstance(result, importers.ImportResult)
    for question in result.questions:
        assert question["prompt"].strip() and question["difficulty"] in bank_mod.DIFFICULTIES


@FAST
@given(name=NAMES, text=st.text(max_size=1500))
def test_any_text_gives_a_result_or_a_clear_error(name: str, text: str) -> None:
    try:
        importers.read_questions(name, text.encode("utf-8", "surrogatepass"))
    except importers.ImportFailed as exc:
        assert str(exc).strip()


YAML_PIECES = st.sampled_from([
    "category: X\n", "questions:\n", "  - id: a\n", "    prompt: P\n", "    difficulty: easy\n", "    kind: debug\n",
    "    looking_for: [a, b, c]\n", "    looking_for: x\n", "- ", ": ", "!!python/object/apply:os.system ['true']\n",
    "&a [*a]\n", "\t", "'", '"', "{", "}", "[", "]", "\n", "    tags: [t]\n", "questions: 3\n", "id: [\n",
])


@FAST
@given(pieces=st.lists(YAML_PIECES, max_size=25))
def test_the_validator_reports_and_never_raises(pieces: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bank.yaml"
        path.write_text("".join(pieces), encoding="utf-8")
        rows, info = bank_mod.load_file(path)
        for problem in info.problems:
            assert str(problem).startswith(str(path)) or str(problem).startswith(bank_mod.display_path(path))
        assert len(rows) == info.loaded


@FAST
@given(name=NAMES, data=st.binary(max_size=1200) | st.text(max_size=1200).map(lambda t: t.encode("utf-8", "replace")))
def test_saving_an_import_is_all_or_nothing(name: str, data: bytes) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        existing = bank_mod.load_bank([])
        try:
            plan = userbank.plan_import(folder, importers.read_questions(name, data), existing)
            target = userbank.save_import(folder, plan)
        except (importers.ImportFailed, userbank.BankEditError):
            target = None
        banks = userbank.banks_dir(folder)
        leftovers = [p.name for p in banks.iterdir()] if banks.exists() else []
        if target is None:
            assert [n for n in leftovers if not n.startswith(".")] == []
        else:
            assert leftovers == [target.name] or set(leftovers) - {target.name} <= {".lock"}
            rows, info = bank_mod.load_file(target)
            assert not [p for p in info.problems if p.skipped] and len(rows) == len(plan.questions)
    finally:
        shutil.rmtree(folder)


# Anki's own markup in a field ([sound:...] clips, {{c1::...}} clozes) is read as markup, not text; and a
# category travels as a slug tag, so it needs at least one letter or digit.
PLAIN = PREFIXED.filter(lambda t: "[sound:" not in t and "{{c" not in t)
CATEGORY = WORDS.filter(lambda t: bank_mod.slugify(t) != "")

QUESTION = st.fixed_dictionaries({
    "prompt": st.lists(PLAIN, min_size=1, max_size=3).map(" ".join),
    "category": CATEGORY,
    "difficulty": st.sampled_from(bank_mod.DIFFICULTIES),
    "kind": st.sampled_from(bank_mod.KINDS),
    "tags": st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), max_size=3, unique=True),
    "looking_for": st.lists(PREFIXED, min_size=3, max_size=4),
    "follow_ups": st.lists(PREFIXED, max_size=2),
    "pitfalls": st.lists(PREFIXED, max_size=2),
    "strong_answer": st.lists(PREFIXED, max_size=3),
    "framework": st.sampled_from(["", "Clarify -> users -> metrics"]),
    "answer": st.sampled_from(["", "A short answer.", "=SUM(A1) is not a formula here"]),
})


def _frame(questions: list[dict]) -> pd.DataFrame:
    rows = []
    for i, q in enumerate(questions):
        rows.append({**q, "id": f"q-{i}", "category_slug": bank_mod.slugify(q["category"]), "source": "original",
                     "file": "x.yaml", "line": 1, "hash": ""})
    return pd.DataFrame(rows, columns=bank_mod.COLUMNS)


@FAST
@given(questions=st.lists(QUESTION, min_size=1, max_size=4, unique_by=lambda q: q["prompt"].lower()))
def test_csv_export_then_import_keeps_every_field(questions: list[dict]) -> None:
    result = importers.read_questions("roundtrip.csv", exporters.to_csv(_frame(questions)).encode("utf-8"))
    assert len(result.questions) == len(questions)
    for original, back in zip(questions, result.questions):
        for field_name in ("prompt", "category", "difficulty", "kind", "tags", "looking_for", "follow_ups",
                           "pitfalls", "strong_answer", "framework", "answer"):
            assert back.get(field_name) or type(original[field_name])() == original[field_name], field_name
            if original[field_name]:
                assert back[field_name] == original[field_name], (field_name, original[field_name], back[field_name])


@FAST
@given(questions=st.lists(QUESTION, min_size=1, max_size=4, unique_by=lambda q: q["prompt"].lower()))
def test_anki_export_then_import_keeps_questions_categories_and_tags(questions: list[dict]) -> None:
    categories = {q["category"] for q in questions}
    # A category travels as the tag mlprep::<slug>: names that differ only in accents or punctuation share one.
    assume(len({bank_mod.slugify(c) for c in categories}) == len(categories))
    frame = _frame(questions)
    result = importers.read_questions("deck.txt", exporters.to_anki(frame).encode("utf-8"),
                                      known_categories=frame["category"].tolist())
    assert [q["prompt"] for q in result.questions] == [q["prompt"] for q in questions]
    assert [q["category"] for q in result.questions] == [q["category"] for q in questions]
    for original, back in zip(questions, result.questions):
        assert set(original["tags"]) <= set(back["tags"])
