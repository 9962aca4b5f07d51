"""Invariants of the shipped question bank (data/questions/, described in its README.md).

These tests read the real bank, not a fixture: they fail when a bank file breaks the
schema's content rules, drops below the agreed counts, reuses a prompt, or loses one
of the brief's seven questions.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mlprep.bank import Bank, load_bank
from mlprep.paths import REPO_ROOT, SHIPPED_BANK_DIR
from mlprep.similarity import similar_pairs

README = SHIPPED_BANK_DIR / "README.md"
# Outside data/questions/: the loader reads every .yaml file there as a category file.
ALLOW_LIST = REPO_ROOT / "data" / "similar-allowed.yaml"

MIN_QUESTIONS = 330
CATEGORIES = 16
MIN_PER_CATEGORY = 20
MIN_LLM_QUESTIONS = 30
LLM_CATEGORY = "LLM & GenAI products"
MIN_PER_DIFFICULTY = 3
RUBRIC_POINTS = (3, 6)
STRONG_ANSWER_BULLETS = (4, 8)
TAGS_PER_QUESTION = (1, 5)
SIMILARITY_THRESHOLD = 0.6
ALLOWED_SOURCES = {"original", "brief"}
KEBAB_CASE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

ID_PREFIXES = {
    "product-sense": "product-",
    "framing": "framing-",
    "explainability": "explain-",
    "communication": "comms-",
    "experimentation": "exp-",
    "fairness": "fair-",
    "incidents": "incident-",
    "monitoring": "monitor-",
    "behavioral": "star-",
    "collaboration": "collab-",
    "llm-products": "llm-",
    "cost-latency": "cost-",
    "privacy": "privacy-",
    "deep-dive": "deepdive-",
    "prioritisation": "prio-",
    "leadership": "lead-",
}

# The brief's seven questions, each with key-word groups taken from the brief's
# "What they are looking for" line. A group is satisfied when any of its words
# appears (case-insensitive substring) in the question's joined looking_for text.
BRIEF_RUBRICS: dict[str, list[list[str]]] = {
    "product-niche-recsys": [
        ["audience", "users"],
        ["data"],
        ["goal", "business"],
        ["collaborative"],
        ["content-based", "content based"],
        ["hybrid"],
        ["stage"],
        ["user experience"],
        ["accuracy"],
    ],
    "explain-churn-reasons": [
        ["explainab", "xai"],
        ["intervention", "action"],
        ["feature", "signal"],
        ["actionable", "insight"],
        ["retention"],
    ],
    "comms-explain-to-executive": [
        ["technical term", "terminology", "jargon"],
        ["jargon", "plain"],
        ["impact"],
        ["audience", "listener", "care"],
        ["empathy", "empathise", "perspective"],
    ],
    "exp-ab-flat-despite-offline": [
        ["systematic", "order"],
        ["offline"],
        ["online"],
        ["data drift"],
        ["concept drift"],
        ["implementation"],
        ["production"],
    ],
    "fair-underrepresented-bias": [
        ["ethic"],
        ["bias"],
        ["data"],
        ["algorithm"],
        ["feedback loop"],
        ["raise", "conversation", "push back"],
        ["option", "solution", "mitigation"],
    ],
    "incident-realtime-degradation": [
        ["mlops"],
        ["monitor"],
        ["data drift"],
        ["model drift"],
        ["latency"],
        ["error rate"],
        ["response", "rollback", "fallback"],
        ["order", "priorit", "first"],
    ],
    "monitor-recsys-design": [
        ["data pipeline"],
        ["feature store"],
        ["model registry", "registry"],
        ["alert"],
        ["anomaly"],
        ["data quality", "validation", "schema"],
    ],
}


# ---------------------------------------------------------------- helpers


def readme_table() -> dict[str, str]:
    """File name -> category, from the README's table of bank files."""
    row = re.compile(r"^\|\s*`([\w.-]+\.ya?ml)`\s*\|\s*(.+?)\s*\|\s*$")
    table = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            table[match.group(1)] = match.group(2)
    return table


def readme_tags() -> set[str]:
    """The tag vocabulary: every README line of the form "- `tag` — meaning"."""
    tag = re.compile(r"^- `([^`]+)`")
    return {m.group(1) for line in README.read_text(encoding="utf-8").splitlines() if (m := tag.match(line))}


def load_allow_list() -> list[dict]:
    data = yaml.safe_load(ALLOW_LIST.read_text(encoding="utf-8")) or {}
    return list(data.get("pairs") or [])


def offenders(pairs: list[str], what: str) -> str:
    return f"{len(pairs)} question(s) {what}:\n  " + "\n  ".join(pairs)


def where(row: pd.Series) -> str:
    return f"{row['file']}:{row['line']}: {row['id']}"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank([SHIPPED_BANK_DIR])


@pytest.fixture(scope="module")
def questions(bank: Bank) -> pd.DataFrame:
    return bank.questions


# ---------------------------------------------------------------- loading and counts


def test_shipped_bank_loads_without_problems(bank: Bank) -> None:
    assert not bank.problems, "\n".join(str(p) for p in bank.problems)


def test_bank_has_at_least_330_questions(questions: pd.DataFrame) -> None:
    assert len(questions) >= MIN_QUESTIONS, f"only {len(questions)} questions"


def test_bank_files_and_categories_match_the_readme_table(bank: Bank, questions: pd.DataFrame) -> None:
    table = readme_table()
    assert len(table) == CATEGORIES, f"README table lists {len(table)} files: {sorted(table)}"
    assert set(table.values()) == set(questions["category"]), (
        f"missing: {sorted(set(table.values()) - set(questions['category']))}; "
        f"not in README: {sorted(set(questions['category']) - set(table.values()))}"
    )
    loaded = {Path(f.path).name: f.category for f in bank.files}
    assert loaded == table


def test_each_category_has_at_least_20_questions(questions: pd.DataFrame) -> None:
    counts = questions.groupby("category").size()
    short = [f"{cat}: {n}" for cat, n in counts.items() if n < MIN_PER_CATEGORY]
    assert not short, offenders(short, f"categories below {MIN_PER_CATEGORY}")


def test_each_category_has_at_least_three_questions_of_each_difficulty(questions: pd.DataFrame) -> None:
    counts = questions.groupby(["category", "difficulty"]).size()
    short = [
        f"{cat}: {level} = {counts.get((cat, level), 0)}"
        for cat in sorted(questions["category"].unique())
        for level in ("easy", "medium", "hard")
        if counts.get((cat, level), 0) < MIN_PER_DIFFICULTY
    ]
    assert not short, "\n".join(short)


def test_bank_content_is_original_or_brief_only(questions: pd.DataFrame) -> None:
    bad = [f"{where(r)} (source {r['source']!r})" for _, r in questions.iterrows() if r["source"] not in ALLOWED_SOURCES]
    assert not bad, offenders(bad, "with a source other than original or brief")


def test_the_llm_category_has_at_least_30_questions(questions: pd.DataFrame) -> None:
    assert (questions["category"] == LLM_CATEGORY).sum() >= MIN_LLM_QUESTIONS


def test_at_least_330_original_or_brief_questions(questions: pd.DataFrame) -> None:
    assert questions["source"].isin(ALLOWED_SOURCES).sum() >= MIN_QUESTIONS


# ---------------------------------------------------------------- per-question content


def test_every_question_has_3_to_6_rubric_points(questions: pd.DataFrame) -> None:
    low, high = RUBRIC_POINTS
    bad = [f"{where(r)} ({len(r['looking_for'])})" for _, r in questions.iterrows()
           if not low <= len(r["looking_for"]) <= high]
    assert not bad, offenders(bad, f"without {low}-{high} looking_for points")


def test_every_question_has_a_follow_up(questions: pd.DataFrame) -> None:
    bad = [where(r) for _, r in questions.iterrows() if len(r["follow_ups"]) < 1]
    assert not bad, offenders(bad, "without a follow-up")


def test_every_follow_up_in_the_shipped_bank_is_coached(questions: pd.DataFrame) -> None:
    bad = [f"{where(r)}: {ask[:60]!r}" for _, r in questions.iterrows()
           for ask, reply in zip(r["follow_ups"], r["follow_up_replies"]) if not 1 <= len(reply) <= 3]
    assert not bad, offenders(bad, "with a follow-up that has no 1-3 good-reply bullets")


def test_every_question_has_a_level_set_in_its_file(questions: pd.DataFrame) -> None:
    levels = {}
    for path in SHIPPED_BANK_DIR.glob("*.yaml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            levels[item["id"]] = item.get("level")
    bad = [where(r) for _, r in questions.iterrows() if levels.get(r["id"]) not in ("any", "mid", "senior", "staff")]
    assert not bad, offenders(bad, "without a level (any, mid, senior or staff)")


def test_leadership_questions_are_for_senior_and_staff(questions: pd.DataFrame) -> None:
    leadership = questions[questions["category"] == "Technical leadership"]
    assert len(leadership) and set(leadership["level"]) <= {"senior", "staff"}


def test_every_question_has_a_pitfall(questions: pd.DataFrame) -> None:
    bad = [where(r) for _, r in questions.iterrows() if len(r["pitfalls"]) < 1]
    assert not bad, offenders(bad, "without a pitfall")


def test_every_question_has_4_to_8_strong_answer_bullets(questions: pd.DataFrame) -> None:
    low, high = STRONG_ANSWER_BULLETS
    bad = [f"{where(r)} ({len(r['strong_answer'])})" for _, r in questions.iterrows()
           if not low <= len(r["strong_answer"]) <= high]
    assert not bad, offenders(bad, f"without {low}-{high} strong_answer bullets")


def test_behavioral_questions_have_a_star_framework(questions: pd.DataFrame) -> None:
    behavioral = questions[questions["kind"] == "behavioral"]
    bad = [f"{where(r)} (framework {r['framework']!r})" for _, r in behavioral.iterrows()
           if "STAR" not in r["framework"]]
    assert not bad, offenders(bad, "of kind behavioral whose framework does not mention STAR")


# ---------------------------------------------------------------- ids and tags


def test_ids_are_unique_across_files() -> None:
    seen: Counter[str] = Counter()
    for name in readme_table():
        data = yaml.safe_load((SHIPPED_BANK_DIR / name).read_text(encoding="utf-8")) or {}
        seen.update(str(q.get("id")) for q in data.get("questions") or [] if isinstance(q, dict))
    dupes = [f"{qid} x{n}" for qid, n in seen.items() if n > 1]
    assert not dupes, offenders(dupes, "ids used more than once")


def test_ids_are_kebab_case(questions: pd.DataFrame) -> None:
    bad = [where(r) for _, r in questions.iterrows() if not KEBAB_CASE.match(r["id"])]
    assert not bad, offenders(bad, "with an id that is not kebab-case")


def test_ids_start_with_their_file_prefix(questions: pd.DataFrame) -> None:
    assert {Path(name).stem for name in readme_table()} == set(ID_PREFIXES)
    bad = []
    for _, r in questions.iterrows():
        prefix = ID_PREFIXES.get(Path(r["file"]).stem)
        if prefix is None or not r["id"].startswith(prefix):
            bad.append(f"{where(r)} (expected prefix {prefix!r})")
    assert not bad, offenders(bad, "whose id does not start with its file's prefix")


def test_every_tag_is_in_the_readme_vocabulary(questions: pd.DataFrame) -> None:
    vocabulary = readme_tags()
    assert len(vocabulary) > 50, "could not parse the README tag vocabulary"
    bad = [f"{where(r)}: {tag}" for _, r in questions.iterrows() for tag in r["tags"] if tag not in vocabulary]
    assert not bad, offenders(bad, "tags outside the README vocabulary")


def test_every_question_has_1_to_5_tags(questions: pd.DataFrame) -> None:
    low, high = TAGS_PER_QUESTION
    bad = [f"{where(r)} ({len(r['tags'])})" for _, r in questions.iterrows() if not low <= len(r["tags"]) <= high]
    assert not bad, offenders(bad, f"without {low}-{high} tags")


# ---------------------------------------------------------------- near-duplicates


def test_no_two_prompts_are_near_duplicates(questions: pd.DataFrame) -> None:
    allowed = {frozenset((str(p["a"]), str(p["b"]))) for p in load_allow_list()}
    files = dict(zip(questions["id"], questions["file"], strict=True))
    pairs = similar_pairs(dict(zip(questions["id"], questions["prompt"], strict=True)), SIMILARITY_THRESHOLD)
    bad = [f"{score:.3f}  {a} ({files[a]})  ~  {b} ({files[b]})"
           for a, b, score in pairs if frozenset((a, b)) not in allowed]
    if bad:
        print("\n".join(bad))
    assert not bad, (f"{len(bad)} prompt pair(s) with TF-IDF cosine >= {SIMILARITY_THRESHOLD}; reword one "
                     f"or allow-list the pair in {ALLOW_LIST.name}:\n  " + "\n  ".join(bad))


def test_allow_listed_pairs_name_existing_ids_and_give_a_reason(questions: pd.DataFrame) -> None:
    ids = set(questions["id"])
    bad = []
    for index, entry in enumerate(load_allow_list()):
        if not isinstance(entry, dict):
            bad.append(f"entry {index}: not a mapping")
            continue
        for key in ("a", "b"):
            if str(entry.get(key)) not in ids:
                bad.append(f"entry {index}: {key}={entry.get(key)!r} is not a question id")
        if entry.get("a") == entry.get("b"):
            bad.append(f"entry {index}: a and b are the same id")
        if not str(entry.get("reason") or "").strip():
            bad.append(f"entry {index}: empty reason")
    assert not bad, "\n".join(bad)


# ---------------------------------------------------------------- the brief's questions


@pytest.mark.parametrize("qid", sorted(BRIEF_RUBRICS))
def test_brief_question_is_present_with_source_brief(bank: Bank, qid: str) -> None:
    question = bank.question(qid)
    assert question is not None, f"{qid} is missing"
    assert question["source"] == "brief"


@pytest.mark.parametrize("qid", sorted(BRIEF_RUBRICS))
def test_brief_question_rubric_covers_the_brief(bank: Bank, qid: str) -> None:
    question = bank.question(qid)
    assert question is not None, f"{qid} is missing"
    rubric = " ".join(question["looking_for"]).lower()
    missing = [group for group in BRIEF_RUBRICS[qid] if not any(word in rubric for word in group)]
    assert not missing, f"{qid}'s looking_for mentions none of: {missing}"


def test_brief_has_exactly_seven_questions(questions: pd.DataFrame) -> None:
    assert sorted(questions.loc[questions["source"] == "brief", "id"]) == sorted(BRIEF_RUBRICS)
