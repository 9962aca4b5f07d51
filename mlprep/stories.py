"""The story bank: the candidate's STAR stories, their themes, their links to behavioral questions,
how well the bank covers the themes and questions, completeness hints, and timed rehearsals.

Stories live in the ``stories`` table, links in ``story_links`` (story id, question id), rehearsals
in ``story_rehearsals``; every row is keyed by text (UUIDs), so a backup restores idempotently.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from mlprep.db import Store
from mlprep.db import stories as stories_db
from mlprep.db.stories import delete_story, set_links  # noqa: F401 - part of this module's interface
from mlprep.timeutil import iso, utc_now

# The fixed theme vocabulary: the focus areas behavioral interviewers score.
THEMES: tuple[str, ...] = (
    "conflict", "failure", "leadership", "ambiguity", "influence", "ethics", "deadline", "mentoring",
    "disagreement-with-manager", "ownership", "learning", "impact", "feedback", "prioritisation",
)
BEHAVIORAL_CATEGORY = "Behavioral stories (STAR)"
BEHAVIORAL_KIND = "behavioral"
MAX_QUESTIONS_PER_STORY = 3  # told for more questions than this, a story sounds rehearsed and thin
REHEARSE_S = 120  # a story told in two minutes
SITUATION_MAX_SENTENCES = 2
SITUATION_MAX_WORDS = 60
STAR_FIELDS = ("situation", "task", "action", "result", "learned")
FIELD_LABELS = {"situation": "Situation", "task": "Task", "action": "Action", "result": "Result",
                "learned": "What I learned"}


class StoryError(ValueError):
    """A story could not be saved; the message says what to fix."""


@dataclass
class Story:
    """One STAR story and the behavioral questions it answers."""

    id: str
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    learned: str = ""
    themes: list[str] = field(default_factory=list)
    question_ids: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""

    def text(self) -> str:
        """Everything written in the story, for search."""
        return " ".join([self.title, *(getattr(self, f) for f in STAR_FIELDS), " ".join(self.themes)])


def new_story_id() -> str:
    return uuid.uuid4().hex


# -- saving and reading ------------------------------------------------------------------------------


def save_story(store: Store, story: Story, now: datetime | None = None) -> str:
    """Insert or update a story and replace its links; returns its id."""
    title = " ".join(story.title.split())
    if not title:
        raise StoryError("A story needs a title: a few words you would recognise it by.")
    unknown = [t for t in story.themes if t not in THEMES]
    if unknown:
        raise StoryError(f"Unknown theme(s) {', '.join(unknown)}; use {', '.join(THEMES)}.")
    at = iso(now or utc_now())
    story_id = story.id or new_story_id()
    themes = json.dumps([t for t in THEMES if t in set(story.themes)])
    row = {"id": story_id, "title": title, **{f: getattr(story, f).strip() for f in STAR_FIELDS},
           "themes": themes, "created_at": at, "updated_at": at}
    stories_db.upsert_story(store, row, story.question_ids)
    return story_id


def _story(row: dict) -> Story:
    """A story from its row; a damaged themes column (not a JSON list of text) reads as no theme."""
    try:
        themes = json.loads(row["themes"] or "[]")
    except (TypeError, ValueError):
        themes = []
    if not isinstance(themes, list):
        themes = []
    text = {f: str(row[f]) if row[f] is not None else "" for f in ("title", *STAR_FIELDS)}
    return Story(**{**row, **text, "themes": [str(t) for t in themes]})


def all_stories(store: Store) -> list[Story]:
    """Every story, by title."""
    return [_story(row) for row in stories_db.story_rows(store)]


def get_story(store: Store, story_id: str) -> Story | None:
    found = stories_db.story_rows(store, story_id=story_id)
    return _story(found[0]) if found else None


def stories_for_question(store: Store, question_id: str) -> list[Story]:
    """The stories linked to a question, by title."""
    return [_story(row) for row in stories_db.story_rows(store, question_id=question_id)]


def link_question(store: Store, story_id: str, question_id: str) -> bool:
    """Attach an existing story to one more question (its other links stay); False if the story is gone."""
    if get_story(store, story_id) is None:
        return False
    stories_db.add_link(store, story_id, question_id)
    return True


def add_theme(store: Store, story_id: str, theme: str, now: datetime | None = None) -> bool:
    """Tag an existing story with one more theme; False if the story is gone. Raises StoryError for a theme
    outside the vocabulary."""
    story = get_story(store, story_id)
    if story is None:
        return False
    if theme not in THEMES:
        raise StoryError(f"Unknown theme {theme}; use {', '.join(THEMES)}.")
    if theme not in story.themes:
        story.themes.append(theme)
        save_story(store, story, now=now)
    return True


# -- search, coverage, hints ---------------------------------------------------------------------------


def search(stories: Sequence[Story], text: str = "", themes: Iterable[str] = ()) -> list[Story]:
    """Stories containing every word of ``text`` (any field, any case) and, if given, any of ``themes``."""
    words = text.lower().split()
    wanted = set(themes)
    found = []
    for story in stories:
        haystack = story.text().lower()
        if all(w in haystack for w in words) and (not wanted or wanted & set(story.themes)):
            found.append(story)
    return found


def is_behavioral(question: dict | pd.Series) -> bool:
    return question.get("kind") == BEHAVIORAL_KIND or question.get("category") == BEHAVIORAL_CATEGORY


def behavioral_questions(questions: pd.DataFrame) -> pd.DataFrame:
    """The bank's behavioral questions: kind behavioral, or in the STAR category."""
    mask = (questions["kind"] == BEHAVIORAL_KIND) | (questions["category"] == BEHAVIORAL_CATEGORY)
    return questions[mask]


@dataclass
class Coverage:
    """Gaps in the story bank."""

    themes_without_story: list[str]
    questions_without_story: list[str]  # behavioral question ids, bank order
    stretched: list[tuple[Story, int]]  # stories linked to more than MAX_QUESTIONS_PER_STORY questions
    themes_covered: int
    questions_covered: int
    questions_total: int


def coverage(stories: Sequence[Story], behavioral_ids: Sequence[str]) -> Coverage:
    """Which themes and behavioral questions have no story yet, and which stories are stretched thin."""
    used_themes = {t for s in stories for t in s.themes}
    linked = {q for s in stories for q in s.question_ids}
    missing = [q for q in behavioral_ids if q not in linked]
    stretched = sorted(((s, len(s.question_ids)) for s in stories if len(s.question_ids) > MAX_QUESTIONS_PER_STORY),
                       key=lambda item: (-item[1], item[0].title))
    return Coverage(
        themes_without_story=[t for t in THEMES if t not in used_themes],
        questions_without_story=missing,
        stretched=stretched,
        themes_covered=sum(1 for t in THEMES if t in used_themes),
        questions_covered=len(behavioral_ids) - len(missing),
        questions_total=len(behavioral_ids),
    )


_NUMBER = re.compile(r"\d|\b(?:half|halved|double|doubled|tripled|twice|percent)\b", re.I)
_WE = re.compile(r"\b(?:we|our|ours|us|we've|we're|we'd)\b", re.I)
_I = re.compile(r"\b(?:i|my|mine|me|i've|i'm|i'd|myself)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?]+(?:\s+|$)")


def pronoun_counts(text: str) -> tuple[int, int]:
    """(we/our/us words, I/my/me words) in a text."""
    return len(_WE.findall(text)), len(_I.findall(text))


def sentence_count(text: str) -> int:
    """Sentences in a text ("3.5" does not end one; a last sentence without a full stop counts)."""
    return sum(1 for part in _SENTENCE_END.split(text) if part.strip())


def hints(story: Story) -> list[str]:
    """Gentle completeness hints, most useful first; an empty list means nothing to suggest."""
    found: list[str] = []
    if not story.situation.strip():
        found.append("No situation yet: set the scene in one or two sentences, with the stakes.")
    elif sentence_count(story.situation) > SITUATION_MAX_SENTENCES or \
            len(story.situation.split()) > SITUATION_MAX_WORDS:
        found.append("Situation is long: keep it to two sentences and spend the time on your actions.")
    if not story.task.strip():
        found.append("No task: say what you were responsible for.")
    if not story.action.strip():
        found.append("No action yet: the actions are most of the story.")
    else:
        we, i = pronoun_counts(story.action)
        if we > i:
            found.append(f"Action is mostly 'we' ({we} we/our, {i} I/my): say what you did yourself.")
    if not story.result.strip():
        found.append("No result yet: say what changed, with a number.")
    elif not _NUMBER.search(story.result):
        found.append("Result has no number: add a metric, a percentage, money or time saved.")
    if not story.learned.strip():
        found.append("No 'what I learned': one sentence on what you would do differently.")
    if not story.themes:
        found.append("No theme: tag it so the coverage view can count it.")
    if not story.question_ids:
        found.append("Not linked to any question yet.")
    return found


# -- rehearsals ----------------------------------------------------------------------------------------------


@dataclass
class Rehearsal:
    """One timed telling of a story."""

    id: str
    story_id: str
    started_at: float  # UTC epoch seconds
    duration_s: float
    target_s: int = REHEARSE_S
    audio_path: str | None = None
    rehearsed_at: str = ""


def record_rehearsal(store: Store, rehearsal_id: str, story_id: str, started_at: float,
                     target_s: int = REHEARSE_S, audio_path: str | None = None, now: float | None = None) -> bool:
    """Keep a rehearsal's time (server time from start to now). Idempotent on ``rehearsal_id``."""
    ended = time.time() if now is None else float(now)
    duration = round(max(0.0, ended - float(started_at)), 1)
    return stories_db.insert_rehearsal(store, {
        "id": rehearsal_id, "story_id": story_id, "started_at": float(started_at), "duration_s": duration,
        "target_s": int(target_s), "audio_path": audio_path, "rehearsed_at": iso(datetime.fromtimestamp(ended, UTC))})


def rehearsals(store: Store, story_id: str, limit: int = 5) -> list[Rehearsal]:
    """A story's rehearsals, newest first."""
    return [Rehearsal(**row) for row in stories_db.rehearsal_rows(store, story_id, limit)]
