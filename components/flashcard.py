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
- ``study.details``: the tab last opened under a revealed card (Outline, Follow-ups, ...), kept across cards.
- ``study.suspended``: the question just suspended, while its "Suspended ... Undo" message is on screen.
- ``study.revealed_after``: ``{review_id: seconds}`` of the cards rated in this session, so Undo brings back
  the answering time as it was.
Widget keys carry the review id: ``answer_<rid>``, ``clarify_<rid>``, ``audio_<rid>``, ``hit_<rid>_<i>``,
``rate_<rid>_<1..4|auto>``, ``details_<rid>``; the keyboard (components/shortcuts.py) finds the buttons by them.
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
from components.shortcuts import RUBRIC_KEYS, render_shortcuts
from components.story_views import render_linked_stories, render_star
from components.timer import render_timer
from mlprep import stories
from mlprep.attempts import Attempt, rating_from_ticks, record_attempt
from mlprep.db import StoreError
from mlprep.rating import RATING_FSRS_NAMES, RATING_LABELS, Rating
from mlprep.recordings import RECORDING_NOTE, SAMPLE_RATE, recording_file
from mlprep.review import Review
from mlprep.schedule import card_from_json, format_interval, preview_intervals
from mlprep.study import CLARIFY_KINDS
from mlprep.text import inert_markdown
from mlprep.timeutil import format_local, utc_now

CURRENT = "study.current"
SESSION = "study.session_id"
RATED = keys.STUDY_RATED
RESULTS = "study.results"
DETAILS = "study.details"
SUSPENDED = "study.suspended"
REVEALED_AFTER = "study.revealed_after"
ERROR, NOTICE = messages.keys("study")


def init_state() -> None:
    st.session_state.setdefault(SESSION, uuid.uuid4().hex)
    st.session_state.setdefault(RATED, [])
    st.session_state.setdefault(RESULTS, [])
    st.session_state.setdefault(REVEALED_AFTER, {})


def opens_with_clarify(question: dict[str, Any] | None) -> bool:
    """Scenario and design questions open with the clarify step, unless the bank marks them
    ``clarify_first: false`` (a question that is itself about what to ask)."""
    if question is None or question.get("kind") not in CLARIFY_KINDS:
        return False
    flag = question.get("clarify_first")
    return flag is None or flag != flag or bool(flag)  # missing or NaN: the default, clarify first


def show(qid: str, question: dict[str, Any] | None) -> dict[str, Any]:
    """Put a question on screen with a fresh review id, at its first step."""
    now = time.time()
    current = {"qid": qid, "review_id": uuid.uuid4().hex, "shown_at": now, "started_at": now,
               "phase": "clarify" if opens_with_clarify(question) else "answer", "clarify": ""}
    st.session_state[CURRENT] = current
    return current


def restore(review: Review, question: dict[str, Any] | None) -> dict[str, Any]:
    """Put a voided review's card back as it was when rated: revealed, with its ticks, answer, clarifying
    questions and time. A fresh review id, since the voided one stays in the log."""
    now = time.time()
    duration = float(review.duration_s or 0.0)
    revealed_after = st.session_state.get(REVEALED_AFTER, {}).get(review.id, round(duration))
    rid = uuid.uuid4().hex
    current = {"qid": review.question_id, "review_id": rid, "shown_at": now - duration,
               "started_at": now - duration, "phase": "revealed", "clarify": review.clarify_text,
               "revealed_after": revealed_after}
    st.session_state[CURRENT] = current
    if review.answer_text:
        st.session_state[keys.answer(rid)] = review.answer_text
    points = [str(p) for p in (question or {}).get("looking_for", [])]
    hits = set(review.rubric_hits)
    for i, point in enumerate(points):
        if point in hits:
            st.session_state[keys.hit(rid, i)] = True
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
    st.session_state[REVEALED_AFTER][review_id] = current.get("revealed_after", 0)
    st.session_state.pop(SUSPENDED, None)
    if recorded.recording_error:
        st.session_state[ERROR] = recorded.recording_error
    st.session_state[RATED].append(current["qid"])
    st.session_state[RESULTS].append((int(recorded.rating), recorded.duration_s))
    st.session_state[NOTICE] = f"Saved: {recorded.summary}."
    st.session_state[CURRENT] = None
    st.rerun()  # the whole page, at once: from the rate row's fragment it would rerun the fragment first


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
    if voided is not None and voided.question_id == qid:
        restore(voided, question)
    else:
        show(qid, question)
    st.session_state.pop(SUSPENDED, None)
    st.session_state[NOTICE] = "Undone: the rating is voided and the card is back as it was."


def _on_flag(ctx: Context, qid: str, **flags: bool) -> None:
    try:
        ctx.store.set_card_flags(qid, **flags)
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    if flags.get("suspended"):
        st.session_state[CURRENT] = None
        st.session_state[SUSPENDED] = qid
    elif flags.get("flagged"):
        st.session_state[NOTICE] = "Flagged: this question is listed under Flagged in Settings; Unflag to clear it."
    elif "flagged" in flags:
        st.session_state[NOTICE] = "Unflagged."


def _on_unsuspend(ctx: Context, qid: str) -> None:
    """Undo a suspend: the question is back in its queues and on screen."""
    try:
        ctx.store.set_card_flags(qid, suspended=False)
    except StoreError as exc:
        st.session_state[ERROR] = f"The question is still suspended: {exc}"
        return
    st.session_state.pop(SUSPENDED, None)
    show(qid, ctx.bank.question(qid))
    st.session_state[NOTICE] = "Resumed: the question is back in your queues."


def render_messages(ctx: Context) -> None:
    """The pending error or notice, and while a question is just suspended, its message with an Undo."""
    messages.show("study")
    qid = st.session_state.get(SUSPENDED)
    if not qid:
        return
    with st.container(border=True, key="suspended_notice"):
        cols = st.columns([6, 1], vertical_alignment="center")
        question = ctx.bank.question(qid)
        title = " ".join(str(question["prompt"]).split()) if question else qid
        title = title if len(title) <= 80 else title[:79].rstrip() + "…"
        cols[0].markdown(f":material/pause_circle: **Suspended:** {inert_markdown(title)} — it leaves every "
                         "queue until you resume it (here, or in Settings).")
        cols[1].button("Undo", key="unsuspend", on_click=_on_unsuspend, args=(ctx, qid), icon=":material/undo:",
                       help="Resume this question and bring it back on screen", width="stretch")


def render_card(ctx: Context, question: dict[str, Any], current: dict[str, Any], position: str,
                target_s: int, flagged: bool = False) -> None:
    """The card on screen in its current phase, and the keyboard that drives it."""
    rid, phase = current["review_id"], current["phase"]
    with st.container(border=True):
        header = f"{inert_markdown(question['category'])} · {question['difficulty']} · {question['kind']} · {position}"
        if flagged:
            header += " · :orange-badge[:material/flag: Flagged]"
        st.caption(header)
        render_prompt(question["prompt"])
        if phase == "clarify":
            st.text_area("Clarify first: what would you ask the interviewer before answering?",
                         key=keys.clarify(rid), height=90,
                         placeholder="What would you ask first? The goal, the users, the data, the constraints... "
                                     "(Esc leaves the box, then Space starts the answer)")
            cols = st.columns([2, 1, 3])
            cols[0].button("Start answering", key=f"start_{rid}", type="primary", shortcut="space",
                           on_click=_on_start, args=(rid,), icon=":material/timer:")
            cols[1].button("Reveal", key=f"reveal_{rid}", on_click=_on_reveal, args=(rid,),
                           icon=":material/visibility:")
            render_story_popover(ctx, question)
            render_shortcuts(rid, phase)
            return
        if current.get("clarify"):
            st.caption("Your clarifying questions: " + inert_markdown(" ".join(current["clarify"].split())))
        if phase == "answer":
            render_timer(int(rid[:8], 16), time.time() - current["started_at"], target_s)
            render_answer_inputs(rid)
            cols = st.columns([2, 3], vertical_alignment="center")
            cols[0].button("Reveal what they look for", key=f"reveal_{rid}", type="primary", shortcut="space",
                           on_click=_on_reveal, args=(rid,), icon=":material/visibility:")
            with cols[1]:
                render_story_popover(ctx, question)
            render_shortcuts(rid, phase)
            return
        took = int(current.get("revealed_after", 0))
        over = f", {took - target_s} s over the {target_s // 60}:{target_s % 60:02d} target" \
            if took > target_s else ""
        answered = st.session_state.get(keys.answer(rid)) or ""
        behavioral = stories.is_behavioral(question)
        cols = st.columns([4, 1], vertical_alignment="top") if behavioral else [st.container()]
        with cols[0].expander(f"Your answer ({took // 60}:{took % 60:02d}{over})" + ("" if answered.strip()
                              else " · nothing typed"), icon=":material/edit_note:"):
            render_answer_inputs(rid)
        if behavioral:
            with cols[1]:
                render_story_popover(ctx, question)
        render_rating(ctx, question, rid)
        if not question["looking_for"]:
            with st.form(key=f"add_rubric_{rid}", border=False):
                render_add_rubric(ctx, question, rid)  # Bank issue: "no rubric yet" marker + add points
        render_details(ctx, question, rid)
        render_shortcuts(rid, phase)


def render_answer_inputs(rid: str) -> None:
    """The answer box and the recorder (kept on a revealed card too, folded, so their values stay)."""
    st.text_area("Your answer (optional)", key=keys.answer(rid), height=140,
                 placeholder="Type your answer, or record it below. Esc leaves the box; then Space reveals, "
                             "a letter ticks a rubric point and 1-4 rate.")
    st.audio_input("Or say it out loud (saved only on this computer)", sample_rate=SAMPLE_RATE,
                   help=RECORDING_NOTE, key=keys.audio(rid))


@st.fragment
def render_rating(ctx: Context, question: dict[str, Any], rid: str) -> None:
    """The rubric checkboxes and the rate buttons, with the rating the ticks suggest highlighted.

    A fragment: a tick reruns only this part (the suggestion follows the ticks); a rating reruns the page.
    """
    if _mine(rid) is None or st.session_state[CURRENT]["phase"] != "revealed":
        st.rerun()  # rated (or undone) from inside the fragment: the whole page shows the next card
    points = [str(p) for p in question["looking_for"]]
    with st.container(key=f"rubric_{rid}"):
        if points:
            st.markdown("**What the interviewer is looking for** — tick what you covered "
                        "(click, or press the point's letter):")
            rubric_checkboxes(points, partial(keys.hit, rid), RUBRIC_KEYS)
            hits = len(ticked(points, partial(keys.hit, rid)))
            suggested: Rating | None = rating_from_ticks(hits, len(points))
            st.markdown(f"**Suggested: {suggested.label}, {hits} of {len(points)} points** "
                        f"— press 5 to rate from your ticks, or 1-4 to choose.")
        else:
            suggested = None
            st.info("No rubric yet for this question: compare with the answer and rate yourself.")
            if question.get("answer"):
                st.markdown(inert_markdown(question["answer"]))
    now = utc_now()
    card = card_from_json(ctx.store.card_json(question["id"]), question["id"], now)
    intervals = preview_intervals(ctx.scheduler, card, now)
    with st.container(key=f"rate_row_{rid}"):
        cols = st.columns([1, 1, 1, 1, 1.3])
        for rating, col in zip(RATING_LABELS, cols):
            with col:
                st.button(
                    RATING_LABELS[rating], key=f"rate_{rid}_{rating}", shortcut=str(rating), on_click=_on_rate,
                    args=(ctx, rid, Rating(rating)), width="stretch",
                    type="primary" if rating == suggested else "secondary",
                    help=f"{RATING_FSRS_NAMES[rating]}: next review in {format_interval(intervals[rating])}"
                         + (" (the suggestion from your ticks)" if rating == suggested else ""),
                )
                st.caption(f"{RATING_FSRS_NAMES[rating]} · next in **{format_interval(intervals[rating])}**")
        cols[4].button("From my ticks", key=f"rate_{rid}_auto", shortcut="5", on_click=_on_rate,
                       args=(ctx, rid, None), disabled=not points, width="stretch",
                       help="Save the suggested rating: under 25% of the points Blanked, under 50% Shaky, "
                            "under 85% Solid, else Nailed it")


DETAIL_TABS = ("Outline", "Follow-ups", "Pitfalls", "Last time")


def _on_details(rid: str) -> None:
    st.session_state[DETAILS] = st.session_state.get(f"details_{rid}")


def render_details(ctx: Context, question: dict[str, Any], rid: str) -> None:
    """The rest of a revealed card, one click away in tabs; the tab last opened stays open on the next card."""
    labels = list(DETAIL_TABS)
    if question.get("answer") and question["looking_for"]:
        labels.insert(0, "Answer")
    chosen = st.session_state.get(DETAILS)
    tabs = dict(zip(labels, st.tabs(labels, key=f"details_{rid}", default=chosen if chosen in labels else None,
                                     on_change=_on_details, args=(rid,))))
    if "Answer" in tabs and tabs["Answer"].open:
        with tabs["Answer"]:
            st.markdown(inert_markdown(question["answer"]))
    if tabs["Outline"].open:
        with tabs["Outline"]:
            bullets("Outline of a strong answer", question.get("strong_answer"))
            if question.get("framework"):
                st.caption(f"Framework: {inert_markdown(question['framework'])}")
            if not len(question.get("strong_answer") or ()) and not question.get("framework"):
                st.caption("No outline for this question.")
    if tabs["Follow-ups"].open:
        with tabs["Follow-ups"]:
            render_follow_ups(question)
            if not len(question.get("follow_ups") or ()):
                st.caption("No follow-ups for this question.")
    if tabs["Pitfalls"].open:
        with tabs["Pitfalls"]:
            bullets("Pitfalls", question.get("pitfalls"))
            if not len(question.get("pitfalls") or ()):
                st.caption("No pitfalls listed for this question.")
    if tabs["Last time"].open:
        with tabs["Last time"]:
            render_history(ctx, question)


def render_history(ctx: Context, question: dict[str, Any]) -> None:
    """What happened last time: the answer given and the rubric points missed."""
    try:
        last = ctx.store.last_review(question["id"])
    except StoreError:
        last = None
    if last is None:
        st.caption("First attempt at this question.")
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


def render_story_popover(ctx: Context, question: dict[str, Any]) -> None:
    """Beside a behavioral question: the candidate's stories, readable without leaving the card."""
    if stories.is_behavioral(question):
        with st.popover("Your stories", icon=":material/auto_stories:", width="stretch"):
            render_story_list_for(ctx, question, f"pop_{question['id']}")


def render_story_list_for(ctx: Context, question: dict[str, Any], where: str) -> None:
    """The stories linked to the question, then any story by theme, each readable in place."""
    render_linked_stories(ctx, question)
    try:
        everything = stories.all_stories(ctx.store)
    except StoreError:
        return
    themes = sorted({theme for story in everything for theme in story.themes})
    if not themes:
        return
    theme = st.selectbox("Or read one by theme", themes, index=None, key=f"story_theme_{where}",
                         placeholder="Pick a theme", format_func=inert_markdown)
    for story in stories.search(everything, themes=[theme]) if theme else ():
        with st.expander(inert_markdown(" ".join(story.title.split())), icon=":material/auto_stories:"):
            st.caption(inert_markdown(" · ".join(story.themes)))
            render_star(story)


def render_card_actions(ctx: Context, qid: str, flagged: bool) -> None:
    cols = st.columns([1, 1, 1, 2])
    cols[0].button("Undo", key="undo", on_click=_on_undo, args=(ctx,), icon=":material/undo:",
                   help="Void your last rating in this session and bring its card back as it was (key U)",
                   disabled=not st.session_state[RATED], shortcut="u")
    cols[1].button("Unflag" if flagged else "Flag", key=f"flag_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"flagged": not flagged}, icon=":material/flag:",
                   help="Mark this question to come back to (listed in Settings)")
    cols[2].button("Suspend", key=f"suspend_{qid}", on_click=_on_flag, args=(ctx, qid),
                   kwargs={"suspended": True}, icon=":material/pause_circle:",
                   help="Take this question out of every queue until you resume it (Undo, or Settings)")
