"""Widget keys that are written in one place and read in another (a callback, a test): defined once here."""

from __future__ import annotations

STUDY_RATED = "study.rated"  # the ids rated in this browser session (Study's queue and today's plan skip them)


def answer(review_id: str) -> str:
    """The Study card's answer box."""
    return f"answer_{review_id}"


def clarify(review_id: str) -> str:
    """The Study card's clarifying-questions box."""
    return f"clarify_{review_id}"


def audio(review_id: str) -> str:
    """The Study card's recorder."""
    return f"audio_{review_id}"


def hit(review_id: str, index: int) -> str:
    """The Study card's rubric point ``index`` (ticked or not)."""
    return f"hit_{review_id}_{index}"


def mock_text(review_id: str, follow_up: bool = False) -> str:
    """A mock round's answer box (or its follow-up's)."""
    return f"mock_followup_{review_id}" if follow_up else f"mock_answer_{review_id}"


def mock_audio(review_id: str, follow_up: bool = False) -> str:
    """A mock round's recorder (or its follow-up's)."""
    return f"mock_followup_audio_{review_id}" if follow_up else f"mock_audio_{review_id}"


def mock_hit(review_id: str, index: int) -> str:
    """A mock round's grading checkbox for rubric point ``index``."""
    return f"mock_hit_{review_id}_{index}"


def mock_follow_hit(review_id: str, index: int) -> str:
    """A mock round's grading checkbox for point ``index`` of what a good follow-up reply covers."""
    return f"mock_follow_hit_{review_id}_{index}"
