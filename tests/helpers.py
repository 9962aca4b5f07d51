"""Test data shared by the unit and page tests: small banks and a file writer."""

from __future__ import annotations

import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SMALL_BANK = """\
category: Product sense & business impact
description: Test category.
questions:
  - id: prod-one
    prompt: How would you improve recommendations for a niche hobby app?
    difficulty: easy
    kind: scenario
    tags: [recommendation]
    looking_for:
      - Asks who the users are
      - Compares collaborative and content-based approaches
      - Defines success beyond accuracy
    follow_ups: [What about cold start?]
    strong_answer: [one, two, three, four]
  - id: prod-two
    prompt: Pick a north-star metric for a language-learning app.
    difficulty: medium
    kind: scenario
    looking_for: [Names one metric, Explains why it tracks user value, Adds a guardrail]
  - id: prod-three
    prompt: When should you not use machine learning at all?
    difficulty: hard
    kind: explain
    looking_for: [Mentions rules or heuristics, Mentions data availability, Mentions cost of errors]
"""

SECOND_FILE = """\
category: Production incidents & MLOps
questions:
  - id: inc-one
    prompt: CTR dropped 30% in two hours. What do you do first?
    difficulty: hard
    kind: debug
    looking_for: [Rolls back first, Checks recent changes, Communicates on a cadence, Plans a post-mortem]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def shipped_count() -> int:
    """How many questions the shipped bank has (tests compare page figures with it, not a fixed number)."""
    from mlprep.bank import load_bank
    from mlprep.paths import SHIPPED_BANK_DIR

    return len(load_bank([SHIPPED_BANK_DIR]).questions)


def shipped_files() -> int:
    """How many category files the shipped bank has."""
    from mlprep.paths import SHIPPED_BANK_DIR

    return len(list(SHIPPED_BANK_DIR.glob("*.yaml")))


def shipped_in_category(category: str) -> int:
    """How many shipped questions one category has."""
    from mlprep.bank import load_bank
    from mlprep.paths import SHIPPED_BANK_DIR

    return int((load_bank([SHIPPED_BANK_DIR]).questions["category"] == category).sum())
