"""How a question is drawn, the same on Study and in mock rounds: the prompt, bullet lists, the follow-ups with
their coaching, the rubric checkboxes, and which of them are ticked. Every bank text goes through
``inert_markdown`` (no HTML, no remote images)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from mlprep.text import inert_markdown


def render_prompt(prompt: str) -> None:
    """The question as a heading (its first paragraph) and any further paragraphs as text."""
    first, _, rest = prompt.strip().partition("\n\n")
    st.markdown(f"#### {inert_markdown(' '.join(first.split()))}")
    if rest.strip():
        st.markdown(inert_markdown(rest))


def bullets(title: str, items: Sequence[Any] | None) -> None:
    """A bold title and one bullet per item; nothing when there are no items."""
    if items is not None and len(items):
        st.markdown(f"**{title}**\n\n" + "\n".join(f"- {inert_markdown(str(i))}" for i in items))


def render_follow_ups(question: dict[str, Any]) -> None:
    """Each follow-up, with what a good reply covers as bullets under it when the bank coaches it."""
    asks = list(question.get("follow_ups") or [])
    if not asks:
        return
    replies = list(question.get("follow_up_replies") or [])
    coached = any(len(r) for r in replies)
    lines = ["**Follow-ups they may ask**" + (" — and, under each, what a good reply covers" if coached else ""), ""]
    for i, ask in enumerate(asks):
        lines.append(f"- *{inert_markdown(str(ask))}*")
        lines += [f"    - {inert_markdown(str(g))}" for g in (replies[i] if i < len(replies) else [])]
    st.markdown("\n".join(lines))


def rubric_checkboxes(points: Sequence[str], key_of: Callable[[int], str], letters: str = "") -> None:
    """One checkbox per rubric point, keyed by ``key_of(index)``; with ``letters``, point i shows the key
    ``letters[i]`` that ticks it."""
    for i, point in enumerate(points):
        key = f":gray-background[**{letters[i].upper()}**] " if i < len(letters) else ""
        st.checkbox(key + inert_markdown(point), key=key_of(i))


def ticked(points: Sequence[str], key_of: Callable[[int], str]) -> list[str]:
    """The rubric points whose checkbox (``key_of(index)``) is ticked, in rubric order."""
    return [str(p) for i, p in enumerate(points) if st.session_state.get(key_of(i))]
