"""The study card: clarify, answer against a timer (typed or spoken), reveal, tick the rubric, rate.

Session state used here (one browser tab each):
- ``study.current``: the card on screen, ``{"qid", "review_id", "shown_at", "started_at", "phase",
  "clarify"}``; phase is ``clarify`` (scenario and design questions start there), ``answer`` or
  ``revealed``. ``review_id`` is minted when the card is shown and travels with every click, so a
  double or late click can neither write twice nor rate another card.
- ``study.session_id``: this tab's study session (Undo voids within it).
- ``study.rated``: question ids rated in this session (left out of the queue).
- ``study.results``: ``[(rating, duration_s)]`` for the session summary.
- ``study.notice`` / ``study.error``: one message for the next run.
Widget keys carry the review id: ``answer_<rid>``, ``clarify_<rid>``, ``audio_<rid>``, ``hit_<rid>_<i>``.
"""

from __future__ import annotations

import time
import uuid
from functools import partial
from typing import Any

import streamlit as st

from components import keys, messages
from components.bank_editor import render_add_rubric
from components.context import Context, remember_rating
from components.question_view import bullets, render_follow_ups, render_prompt, rubric_checkboxes, ticked
from components.story_views import render_linked_stories
from components.timer import render_timer
from mlprep.attempts import Attempt, record_attempt
from mlprep.db import StoreError
from mlprep.rating import RATING_FSRS_NAMES, RATING_LABELS, Rating
from mlprep.recordings import RECORDING_NOTE, SAMPLE_RATE, recording_file
from mlprep.schedule import card_from_json, format_interval, preview_intervals
from mlprep.study import CLARIFY_KINDS
from mlprep.text import inert_markdown
from mlprep.timeutil import format_local, utc_now

CURRENT = "study.current"
SESSION = "study.session_id"
RATED = keys.STUDY_RATED
RESULTS = "study.results"
ERROR, NOTICE = messages.keys("study")


def init_state() -> None:
    st.session_state.setdefault(SESSION, uuid.uuid4().hex)
    st.session_state.setdefault(RATED, [])
    st.session_state.setdefault(RESULTS, [])


def show(qid: str, kind: str, answer: str = "") -> dict[str, Any]:
    """Put a question on screen with a fresh review id."""
    review_id = uuid.uuid4().hex
    now = time.time()
    current = {"qid": qid, "review_id": review_id, "shown_at": now, "started_at": now,
               "phase": "clarify" if kind in CLARIFY_KINDS else "answer", "clarify": ""}
    st.session_state[CURRENT] = current
    if answer:
        st.session_state[keys.answer(review_id)] = answer
    return current


def _mine(review_id: str) -> dict[str, Any] | None:
    """The card on screen if the click belongs to it, else None (a double, late or stale click)."""
    current = st.session_state.get(CURRENT)
    return current if current and current["review_id"] == review_id else None


def _on_start(review_id: str) -> None:
    if (current := _mine(review_id)) and current["phase"] == "clarify":
        current["clarify"] = st.session_state.get(keys.clarify(review_id), "") or ""
        current["started_at"] = time.time()
        current["phase"] = "answer"


def _on_reveal(review_id: str) -> None:
    if (current := _mine(review_id)) and current["phase"] != "revealed":
        if current["phase"] == "clarify":  # revealing straight from the clarify step
            current["clarify"] = st.session_state.get(keys.clarify(review_id), "") or ""
            current["started_at"] = time.time()
        current["revealed_after"] = round(time.time() - current["started_at"])
        current["phase"] = "revealed"


def _on_rate(ctx: Context, review_id: str, rating: Rating | None) -> None:
    """Record the rating of the card on screen (None: rate from my ticks); ignore a click meant for another card."""
    current = _mine(review_id)
    if not current or current["phase"] != "revealed":
        return
    question = ctx.bank.question(current["qid"])
    if question is None:
        st.session_state[ERROR] = "That question is no longer in the bank, so it was not rated."
        st.session_state[CURRENT] = None
        return
    clip = st.session_state.get(keys.audio(review_id))
    attempt = Attempt(
        review_id=review_id, question=question, ticked=ticked(question["looking_for"], partial(keys.hit, review_id)),
        rating=rating, answer_text=st.session_state.get(keys.answer(review_id), "") or "",
        clarify_text=current.get("clarify", ""), duration_s=round(time.time() - current["started_at"], 1),
        clip=clip.getvalue() if clip is not None else None, session_id=st.session_state[SESSION])
    try:
        recorded = record_attempt(ctx.store, ctx.scheduler, attempt)
    except StoreError as exc:
        st.session_state[ERROR] = f"Your rating was not saved: {exc} Your answer is still on screen; rate again."
        return
    remember_rating(recorded.version, current["qid"])
    if recorded.recording_error:
        st.session_state[ERROR] = recorded.recording_error
    st.session_state[RATED].append(current["qid"])
    st.session_state[RESULTS].append((int(recorded.rating), recorded.duration_s))
    st.session_state[NOTICE] = f"Saved: {recorded.summary}."
    st.session_state[CURRENT] = None


def _on_undo(ctx: Context) -> None:
    try:
        voided = ctx.store.last_review_in_session(st.session_state[SESSION])
        qid = ctx.store.void_last_review(st.session_state[SESSION], ctx.scheduler)
    except StoreError as exc:
        st.session_state[ERROR] = f"Undo failed: {exc}"
        return
    if qid is None:
        st.session_state[NOTICE] = "Nothing to undo in this session."
        return
    rated = st.session_state[RATED]
    if qid in rated:
        del rated[len(rated) - 1 - rated[::-1].index(qid)]
    if st.session_state[RESULTS]:
        st.session_state[RESULTS].pop()
    question = ctx.bank.question(qid)
    show(qid, question["kind"] if question else "explain", answer=voided.answer_text if voided else "")
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
    messages.show("study")


def render_card(ctx: Context, question: dict[str, Any], current: dict[str, Any], position: str,
                target_s: int) -> None:
    """The card on screen in its current phase."""
    rid, phase = current["review_id"], current["phase"]
    with st.container(border=True):
        st.caption(f"{inert_markdown(question['category'])} · {question['difficulty']} · {question['kind']} · {position}")
        render_prompt(question["prompt"])
        if phase == "clarify":
            st.text_area("Clarify first: what would you ask the interviewer before answering?",
                         key=keys.clarify(rid), height=90,
                         placeholder="What would you ask first? The goal, the users, the data, the constraints...")
            cols = st.columns([2, 1, 3])
            cols[0].button("Start answering", key=f"start_{rid}", type="primary", shortcut="space",
                           on_click=_on_start, args=(rid,), icon=":material/timer:")
            cols[1].button("Reveal", key=f"reveal_{rid}", on_click=_on_reveal, args=(rid,),
                           icon=":material/visibility:")
            return
        if current.get("clarify"):
            st.caption("Your clarifying questions: " + inert_markdown(" ".join(current["clarify"].split())))
        if phase == "answer":
            render_timer(int(rid[:8], 16), time.time() - current["started_at"], target_s)
        else:
            took = int(current.get("revealed_after", 0))
            over = f", {took - target_s} s over the {target_s // 60}:{target_s % 60:02d} target" \
                if took > target_s else ""
            st.caption(f"You answered for {took // 60}:{took % 60:02d}{over}.")
        st.text_area("Your answer (optional)", key=keys.answer(rid), height=140,
                     placeholder="Type your answer, or record it below. Tip: press Tab to leave the box, "
                                 "then Space to reveal and 1-4 to rate.")
        st.audio_input("Or say it out loud (saved only on this computer)", sample_rate=SAMPLE_RATE,
                       help=RECORDING_NOTE, key=keys.audio(rid))
        if phase == "answer":
            st.button("Reveal what they look for", key=f"reveal_{rid}", type="primary", shortcut="space",
                      on_click=_on_reveal, args=(rid,), icon=":material/visibility:")
            return
        left, right = st.columns([3, 2], gap="large")
        with left:
            render_rubric_form(ctx, question, rid)
        with right:
            render_history(ctx, question)


def render_history(ctx: Context, question: dict[str, Any]) -> None:
    """What happened last time: the answer given and the rubric points missed."""
    st.markdown("**Last time**")
    try:
        last = ctx.store.last_review(question["id"])
    except StoreError:
        last = None
    if last is None:
        st.caption("First attempt at this question.")
        render_linked_stories(ctx, question)
        return
    when = format_local(last.rated_at, fmt="%d %b %Y")
    st.caption(f"{when}: rated {last.rating.label}")
    if last.question_hash and last.question_hash != question["hash"]:
        st.caption("The question has changed since then.")
    if last.answer_text:
        st.markdown(f"> {inert_markdown(' '.join(last.answer_text.split()))}")
    clip = recording_file(ctx.store.directory, last.audio_path)
    if clip:
        st.audio(str(clip))
    if last.rubric_missed:
        st.markdown("Missed last time:\n" + "\n".join(f"- {inert_markdown(p)}" for p in last.rubric_missed))
    elif last.rubric_total:
        st.caption("You covered every rubric point last time.")
    render_linked_stories(ctx, question)


def render_rubric_form(ctx: Context, question: dict[str, Any], rid: str) -> None:
    points = list(question["looking_for"])
    with st.form(key=f"rate_form_{rid}", border=False):
        if points:
            st.markdown("**What the interviewer is looking for** — tick what you covered:")
            rubric_checkboxes(points, partial(keys.hit, rid))
        else:
            st.info("No rubric yet for this question: compare with the answer below and rate yourself.")
            render_add_rubric(ctx, question, rid)  # Bank issue: "no rubric yet" marker + add points (own banks)
        if question.get("answer"):
            with st.expander("Answer", expanded=not points):
                st.markdown(inert_markdown(question["answer"]))
        bullets("Outline of a strong answer", question.get("strong_answer"))
        render_follow_ups(question)
        bullets("Pitfalls", question.get("pitfalls"))
        if question.get("framework"):
            st.caption(f"Framework: {inert_markdown(question['framework'])}")
        st.caption("Rate yourself. Suggested from your ticks: under 25% Blanked, under 50% Shaky, "
                   "under 85% Solid, else Nailed it.")
        now = utc_now()
        card = card_from_json(ctx.store.card_json(question["id"]), question["id"], now)
        intervals = preview_intervals(ctx.scheduler, card, now)
        cols = st.columns(4)
        for rating, col in zip(RATING_LABELS, cols):
            with col:
                st.form_submit_button(
                    RATING_LABELS[rating], key=f"rate_{rid}_{rating}", shortcut=str(rating), on_click=_on_rate,
                    args=(ctx, rid, rating), width="stretch", type="primary" if rating == 3 else "secondary",
                    help=f"{RATING_FSRS_NAMES[rating]}: next review in {format_interval(intervals[rating])}",
                )
                st.caption(f"{RATING_FSRS_NAMES[rating]} · next in **{format_interval(intervals[rating])}**")
        st.form_submit_button("Rate from my ticks", key=f"rate_{rid}_auto", shortcut="5", on_click=_on_rate,
                              args=(ctx, rid, None), disabled=not points, help="Save the rating your ticks suggest")


def render_card_actions(ctx: Context, qid: str, flagged: bool) -> None:
    cols = st.columns([1, 1, 1, 2])
    cols[0].button("Undo", key="undo", on_click=_on_undo, args=(ctx,), icon=":material/undo:",
                   help="Void your last rating in this session and bring its card back",
                   disabled=not st.session_state[RATED], shortcut="u")
    cols[1].button("Unflag" if flagged else "Flag", key=f"flag_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"flagged": not flagged}, icon=":material/flag:",
                   help="Mark this question to come back to (listed in Settings)")
    cols[2].button("Suspend", key=f"suspend_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"suspended": True}, icon=":material/pause_circle:",
                   help="Take this question out of every queue until you resume it in Settings")

