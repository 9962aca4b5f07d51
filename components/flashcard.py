"""The study card: prompt, answer box, reveal, rubric checklist and rating buttons.

Session state used here (one browser tab each):
- ``study.current``: the card on screen, ``{"qid", "review_id", "shown_at", "revealed"}``.
  ``review_id`` is minted when the card is shown and travels with every click,
  so a double or late click can neither write twice nor rate another card.
- ``study.session_id``: this tab's study session (Undo voids within it).
- ``study.rated``: question ids rated in this session (left out of the queue).
- ``study.results``: ``[(rating, duration_s)]`` for the session summary.
- ``study.notice`` / ``study.error``: one message for the next run.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import streamlit as st

from components.context import Context
from mlprep.readiness import suggested_rating
from mlprep.schedule import RATING_FSRS_NAMES, RATING_LABELS, card_from_json, format_interval, preview_intervals
from mlprep.store import NewReview, StoreError, utc_now
from mlprep.text import inert_markdown

CURRENT = "study.current"
SESSION = "study.session_id"
RATED = "study.rated"
RESULTS = "study.results"
NOTICE = "study.notice"
ERROR = "study.error"


def init_state() -> None:
    st.session_state.setdefault(SESSION, uuid.uuid4().hex)
    st.session_state.setdefault(RATED, [])
    st.session_state.setdefault(RESULTS, [])


def show(qid: str, answer: str = "") -> dict[str, Any]:
    """Put a question on screen with a fresh review id."""
    review_id = uuid.uuid4().hex
    current = {"qid": qid, "review_id": review_id, "shown_at": time.time(), "revealed": False}
    st.session_state[CURRENT] = current
    if answer:
        st.session_state[f"answer_{review_id}"] = answer
    return current


def _on_reveal(review_id: str) -> None:
    current = st.session_state.get(CURRENT)
    if current and current["review_id"] == review_id:
        current["revealed"] = True


def _on_rate(ctx: Context, review_id: str, rating: int) -> None:
    """Record the rating of the card on screen; ignore a click that belongs to another card."""
    current = st.session_state.get(CURRENT)
    if not current or current["review_id"] != review_id or not current["revealed"]:
        return  # a double, late or stale click: the card it was meant for is gone
    question = ctx.bank.question(current["qid"])
    if question is None:
        st.session_state[ERROR] = "That question is no longer in the bank, so it was not rated."
        st.session_state[CURRENT] = None
        return
    points = list(question["looking_for"])
    hits = [p for i, p in enumerate(points) if st.session_state.get(f"hit_{review_id}_{i}")]
    missed = [p for p in points if p not in hits]
    if rating == 0:  # "rate from my ticks"
        rating = suggested_rating(len(hits), len(points)) or 3
    duration = round(time.time() - current["shown_at"], 1)
    review = NewReview(
        id=review_id, question_id=current["qid"], rating=rating, question_hash=question["hash"],
        category=question["category"], rubric_hits=hits, rubric_missed=missed,
        answer_text=st.session_state.get(f"answer_{review_id}", "") or "", duration_s=duration,
        session_id=st.session_state[SESSION], rated_at=utc_now(),
    )
    try:
        ctx.store.record_review(review, ctx.scheduler)
    except StoreError as exc:
        st.session_state[ERROR] = f"Your rating was not saved: {exc} Your answer is still on screen; rate again."
        return
    st.session_state[RATED].append(current["qid"])
    st.session_state[RESULTS].append((rating, duration))
    st.session_state[NOTICE] = f"Saved: {RATING_LABELS[rating]} ({len(hits)}/{len(points)} rubric points)."
    st.session_state[CURRENT] = None


def _on_undo(ctx: Context) -> None:
    try:
        voided = ctx.store.last_review_in_session(st.session_state[SESSION])
        qid = ctx.store.void_last_review(st.session_state[SESSION])
    except StoreError as exc:
        st.session_state[ERROR] = f"Undo failed: {exc}"
        return
    if qid is None:
        st.session_state[NOTICE] = "Nothing to undo in this session."
        return
    rated = st.session_state[RATED]
    if qid in rated:
        rated.reverse()
        rated.remove(qid)
        rated.reverse()
    if st.session_state[RESULTS]:
        st.session_state[RESULTS].pop()
    show(qid, answer=(voided or {}).get("answer_text") or "")
    st.session_state[NOTICE] = "Undone: the rating is voided and the card is back as it was."


def _on_flag(ctx: Context, qid: str, **flags: bool) -> None:
    try:
        ctx.store.set_card_flags(qid, **flags)
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    if flags.get("suspended"):
        st.session_state[CURRENT] = None
        st.session_state[NOTICE] = "Suspended: this question leaves every queue until you resume it in Settings."


def render_messages() -> None:
    if msg := st.session_state.pop(ERROR, None):
        st.error(msg, icon=":material/error:")
    if msg := st.session_state.pop(NOTICE, None):
        st.toast(msg)


def render_prompt(prompt: str) -> None:
    """The question as a heading (its first paragraph) and any further paragraphs as text."""
    first, _, rest = prompt.strip().partition("\n\n")
    st.markdown(f"#### {inert_markdown(' '.join(first.split()))}")
    if rest.strip():
        st.markdown(inert_markdown(rest))


def render_card(ctx: Context, question: dict[str, Any], current: dict[str, Any], position: str) -> None:
    """The card on screen, before and after Reveal."""
    rid = current["review_id"]
    with st.container(border=True):
        st.caption(f"{question['category']} · {question['difficulty']} · {question['kind']} · {position}")
        render_prompt(question["prompt"])
        st.text_area("Your answer (optional)", key=f"answer_{rid}", height=140,
                     placeholder="Type your answer, or answer out loud, then press Reveal. "
                                 "Tip: press Tab to leave the box, then Space to reveal and 1-4 to rate.")
        if not current["revealed"]:
            st.button("Reveal what they look for", key=f"reveal_{rid}", type="primary", shortcut="space",
                      on_click=_on_reveal, args=(rid,), icon=":material/visibility:")
            return
        render_rubric_form(ctx, question, rid)


def render_rubric_form(ctx: Context, question: dict[str, Any], rid: str) -> None:
    points = list(question["looking_for"])
    with st.form(key=f"rate_form_{rid}", border=False):
        if points:
            st.markdown("**What the interviewer is looking for** — tick what you covered:")
            for i, point in enumerate(points):
                st.checkbox(inert_markdown(point), key=f"hit_{rid}_{i}")
        else:
            st.info("No rubric yet for this question: compare with the answer below and rate yourself.")
        if question.get("answer"):
            with st.expander("Answer", expanded=not points):
                st.markdown(inert_markdown(question["answer"]))
        _bullets("Outline of a strong answer", question.get("strong_answer"))
        _bullets("Follow-ups they may ask", question.get("follow_ups"))
        _bullets("Pitfalls", question.get("pitfalls"))
        if question.get("framework"):
            st.caption(f"Framework: {inert_markdown(question['framework'])}")
        st.caption("Rate yourself. Suggested from your ticks: under 25% Blanked, under 50% Shaky, "
                   "under 85% Solid, else Nailed it.")
        card = card_from_json(ctx.store.card_json(question["id"]), question["id"], utc_now())
        intervals = preview_intervals(ctx.scheduler, card, utc_now())
        cols = st.columns(5)
        for rating, col in zip(RATING_LABELS, cols):
            with col:
                st.form_submit_button(
                    RATING_LABELS[rating], key=f"rate_{rid}_{rating}", shortcut=str(rating),
                    on_click=_on_rate, args=(ctx, rid, rating), width="stretch",
                    help=f"{RATING_FSRS_NAMES[rating]}: next review in {format_interval(intervals[rating])}",
                    type="primary" if rating == 3 else "secondary",
                )
                st.caption(f"{RATING_FSRS_NAMES[rating]} · next in {format_interval(intervals[rating])}")
        with cols[4]:
            st.form_submit_button("From my ticks", key=f"rate_{rid}_auto", shortcut="5", on_click=_on_rate,
                                  args=(ctx, rid, 0), width="stretch", disabled=not points,
                                  help="Save the rating your ticks suggest")


def _bullets(title: str, items: list[str] | None) -> None:
    if items is not None and len(items):
        st.markdown(f"**{title}**\n\n" + "\n".join(f"- {inert_markdown(str(i))}" for i in items))


def render_card_actions(ctx: Context, qid: str, flagged: bool) -> None:
    cols = st.columns([1, 1, 1, 2])
    cols[0].button("Undo", key="undo", on_click=_on_undo, args=(ctx,), icon=":material/undo:",
                   help="Void your last rating in this session and bring its card back",
                   disabled=not st.session_state[RATED], shortcut="u")
    cols[1].button("Unflag" if flagged else "Flag", key=f"flag_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"flagged": not flagged}, icon=":material/flag:",
                   help="Mark this question to come back to (shown in Settings)")
    cols[2].button("Suspend", key=f"suspend_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"suspended": True}, icon=":material/pause_circle:",
                   help="Take this question out of every queue until you resume it in Settings")
