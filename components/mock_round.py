"""The mock interview screens: set up a round, answer against a countdown, take a follow-up, grade, summary.

The round lives in SQLite (mlprep.mock) and its id in the URL (``/mock?round=<id>``), so a refresh
shows the same question with its countdown running from the original start. Session state only
holds widget values and one message for the next run:
- ``mock.notice`` / ``mock.error``: one message for the next run.
- ``mock.round_type``, ``mock.length``, ``mock.target_s``: the setup form.
- ``mock.abandoning``: the id of the round whose "Abandon" was clicked and awaits confirmation.
Widget keys carry the review id minted when the question was shown: ``mock_answer_<rid>``,
``mock_audio_<rid>``, ``mock_followup_<rid>``, ``mock_followup_audio_<rid>``, ``mock_next_<rid>``,
``mock_hit_<rid>_<i>``, ``mock_follow_hit_<rid>_<i>``, ``mock_rate_<rid>_<rating>``.
"""

from __future__ import annotations

import random
import time
from functools import partial

import streamlit as st

from components import keys, messages, pages
from components.context import Context
from components.draft_saver import render_draft_saver
from components.question_view import bullets, render_prompt, rubric_checkboxes, ticked
from components.timer import render_timer
from mlprep import mock
from mlprep.db import StoreError
from mlprep.rating import RATING_FSRS_NAMES, RATING_LABELS, Rating
from mlprep.readiness import MOCK_WEIGHT
from mlprep.recordings import RECORDING_NOTE, SAMPLE_RATE, RecordingError, recording_file, save_recording
from mlprep.text import inert_markdown
from mlprep.timeutil import format_local, parse_iso_or_none

ERROR, NOTICE = messages.keys("mock")
ROUND_TYPE = "mock.round_type"
LENGTH = "mock.length"
TARGET = "mock.target_s"
ABANDONING = "mock.abandoning"
fmt = mock.format_duration


def render_messages() -> None:
    messages.show("mock")


# -- setup ---------------------------------------------------------------------------------------------


def _on_start(ctx: Context) -> None:
    round_type = st.session_state.get(ROUND_TYPE) or "mixed"
    count = int(st.session_state.get(LENGTH) or mock.DEFAULT_QUESTIONS)
    target_s = int(st.session_state.get(TARGET) or mock.DEFAULT_TARGET_S)
    seed = random.SystemRandom().randrange(2**31)
    scores = ctx.in_track(ctx.scores())  # the track chosen in the sidebar
    weak_order: list[str] = []
    try:
        if round_type == "weak":
            weak_order = mock.weak_question_order(scores, ctx.store.missed_points(), ctx.settings.rounds)
        questions = ctx.bank.questions[ctx.bank.questions["track"] == ctx.track]
        ids = mock.select_questions(questions, round_type, count, seed,
                                    exclude=set(scores.loc[scores["suspended"], "id"]), weak_order=weak_order,
                                    level=ctx.settings.level)
        plan = [(qid, mock.pick_follow_up(ctx.bank.question(qid)["follow_ups"], seed, qid)) for qid in ids]
        round_id = mock.create_round(ctx.store, round_type, plan, target_s, mock.FOLLOW_UP_S, seed)
    except (mock.MockError, StoreError) as exc:
        st.session_state[ERROR] = f"The round could not start: {exc}"
        return
    if len(ids) < count:
        st.session_state[NOTICE] = f"Only {len(ids)} question(s) fit this round type."
    st.query_params["round"] = round_id


def _on_resume(round_id: str) -> None:
    st.query_params["round"] = round_id


def _on_leave() -> None:
    st.query_params.pop("round", None)


def _on_ask_abandon(round_id: str) -> None:
    st.session_state[ABANDONING] = round_id


def _on_keep() -> None:
    st.session_state.pop(ABANDONING, None)


def _on_abandon(ctx: Context, round_id: str) -> None:
    st.session_state.pop(ABANDONING, None)
    try:
        mock.abandon_round(ctx.store, round_id)
    except StoreError as exc:
        st.session_state[ERROR] = str(exc)
        return
    st.query_params.pop("round", None)
    st.session_state[NOTICE] = "Round abandoned: nothing was rated."


def _confirm_abandon(ctx: Context, round_id: str) -> None:
    """After "Abandon": are you sure? (Abandoning cannot be undone; nothing of the round gets rated.)"""
    if st.session_state.get(ABANDONING) != round_id:
        return
    with st.container(border=True):
        st.warning("Abandon this round? It cannot be resumed afterwards, and none of its answers will be graded "
                   "or rated (what you wrote stays in your data).", icon=":material/warning:")
        cols = st.columns([1, 1, 3])
        cols[0].button("Yes, abandon it", key="mock_abandon_confirm", on_click=_on_abandon, args=(ctx, round_id),
                       icon=":material/close:")
        cols[1].button("Keep going", key="mock_abandon_cancel", type="primary", on_click=_on_keep)


def render_setup(ctx: Context) -> None:
    """The open round to resume, if any, and the form that starts a new one."""
    open_id = mock.open_round_id(ctx.store)
    if open_id and (rnd := mock.load_round(ctx.store, open_id)):
        where = f"question {rnd.position + 1} of {rnd.question_count}" if rnd.in_progress else "grading"
        st.info(f"You have a round in progress ({inert_markdown(rnd.label)}, {where}).", icon=":material/pending:")
        cols = st.columns([1, 1, 4])
        cols[0].button("Resume it", key="mock_resume", type="primary", on_click=_on_resume, args=(open_id,),
                       icon=":material/play_arrow:")
        cols[1].button("Abandon it", key="mock_abandon_open", on_click=_on_ask_abandon, args=(open_id,))
        _confirm_abandon(ctx, open_id)
    st.write("A timed round, one question at a time, as in a real loop: answer out loud (recorded) or in "
             "writing, take the interviewer's follow-up, then grade every answer against its rubric at the end.")
    default_target = ctx.settings.answer_target_s
    st.session_state.setdefault(TARGET, default_target if default_target in mock.TIME_CHOICES_S
                                else mock.DEFAULT_TARGET_S)
    st.session_state.setdefault(LENGTH, mock.DEFAULT_QUESTIONS)
    st.session_state.setdefault(ROUND_TYPE, "mixed")
    with st.form("mock_setup"):
        st.radio("Round", list(mock.MOCK_ROUNDS), format_func=mock.MOCK_ROUNDS.get, key=ROUND_TYPE, horizontal=True)
        cols = st.columns(2)
        cols[0].slider("Questions", mock.MIN_QUESTIONS, mock.MAX_QUESTIONS, key=LENGTH)
        cols[1].select_slider("Time per question", mock.TIME_CHOICES_S, format_func=fmt, key=TARGET)
        st.caption(f"After each answer the interviewer asks one follow-up, with its own {fmt(mock.FOLLOW_UP_S)} "
                   "timer. Running over is allowed and recorded. Graded answers count as mock attempts "
                   f"(weighted {MOCK_WEIGHT:g}x in readiness).")
        st.form_submit_button("Start the round", type="primary", on_click=_on_start, args=(ctx,),
                              icon=":material/timer:")


def render_past_rounds(ctx: Context) -> None:
    past = mock.past_rounds(ctx.store)
    if past.empty:
        return
    st.subheader("Finished rounds")
    for row in past.itertuples():
        finished = parse_iso_or_none(row.finished_at)
        when = format_local(finished, fmt="%a %d %b, %H:%M") if finished else "(no date)"
        st.page_link(pages.MOCK.path, label=f"{when} · {inert_markdown(mock.MOCK_ROUNDS.get(row.round_type, row.round_type))} · "
                     f"{row.questions} questions", icon=":material/summarize:", query_params={"round": row.id})


# -- answering -------------------------------------------------------------------------------------------


def _on_text(ctx: Context, review_id: str, follow_up: bool) -> None:
    key = keys.mock_text(review_id, follow_up)
    try:
        mock.save_text(ctx.store, review_id, st.session_state.get(key) or "", follow_up=follow_up)
    except StoreError as exc:
        st.session_state[ERROR] = f"Your answer was not saved yet: {exc}"


def _on_audio(ctx: Context, review_id: str, follow_up: bool) -> None:
    key = keys.mock_audio(review_id, follow_up)
    clip = st.session_state.get(key)
    path = None
    try:
        if clip is not None:
            path, _ = save_recording(ctx.store.directory, f"{review_id}-followup" if follow_up else review_id,
                                     clip.getvalue())
        mock.save_audio(ctx.store, review_id, path, follow_up=follow_up)
    except (RecordingError, OSError, StoreError) as exc:
        st.session_state[ERROR] = f"Your recording could not be saved ({exc}); type the answer instead."


def _on_next(ctx: Context, round_id: str, review_id: str, stage: str) -> None:
    key = keys.mock_text(review_id, stage == mock.STAGE_FOLLOW_UP)
    text = st.session_state.get(key)
    try:
        mock.advance(ctx.store, round_id, review_id, stage, text=None if text is None else str(text))
    except StoreError as exc:
        st.session_state[ERROR] = f"Could not move on: {exc} Your answer is still on screen."


def _next_label(rnd: mock.MockRound, answer: mock.MockAnswer) -> str:
    if rnd.stage == mock.STAGE_ANSWER and answer.follow_up:
        return "Done: take the follow-up"
    return "Next question" if answer.position + 1 < rnd.question_count else "Finish and grade"


def _saved_clip(ctx: Context, key: str, relative: str | None) -> None:
    """After a refresh the recorder is empty: play back the clip already saved."""
    if st.session_state.get(key) is None and (clip := recording_file(ctx.store.directory, relative)):
        st.caption("Your saved recording:")
        st.audio(str(clip))


def render_question(ctx: Context, rnd: mock.MockRound) -> None:
    """The question on screen with its countdown (or its follow-up with the short one)."""
    answer = rnd.current
    assert answer is not None and answer.review_id and answer.started_at is not None
    rid, question = answer.review_id, ctx.bank.question(answer.question_id)
    follow_up = rnd.stage == mock.STAGE_FOLLOW_UP
    st.progress(answer.position / rnd.question_count,
                text=f"Question {answer.position + 1} of {rnd.question_count} · {rnd.label}")
    with st.container(border=True):
        if question is None:
            st.warning(f"Question `{answer.question_id}` is no longer in the bank; answer from memory or move on.")
        else:
            st.caption(f"{inert_markdown(question['category'])} · {question['difficulty']} · {question['kind']}")
            render_prompt(question["prompt"])
        if not follow_up:
            render_timer(int(rid[:8], 16), time.time() - answer.started_at, rnd.target_s)
            text_key, audio_key, saved_audio = keys.mock_text(rid), keys.mock_audio(rid), answer.audio_path
            st.session_state.setdefault(text_key, answer.answer_text)
            label = "Your answer"
        else:
            took = answer.answer_s or 0.0
            over = f", {took - rnd.target_s:.0f} s over" if took > rnd.target_s else ""
            st.caption(f"You answered in {fmt(took)} of {fmt(rnd.target_s)}{over}.")
            st.markdown(f"**Follow-up:** {inert_markdown(answer.follow_up)}")
            render_timer(int(rid[8:16], 16), time.time() - (answer.follow_up_started_at or time.time()),
                         rnd.follow_up_s)
            text_key, audio_key = keys.mock_text(rid, True), keys.mock_audio(rid, True)
            saved_audio = answer.follow_up_audio_path
            st.session_state.setdefault(text_key, answer.follow_up_text)
            label = "Your answer to the follow-up"
        st.text_area(label, key=text_key, height=160, on_change=_on_text, args=(ctx, rid, follow_up),
                     placeholder="Speak (record below) or write your answer. It is kept as you go.")
        st.audio_input("Record your answer (saved only on this computer)", sample_rate=SAMPLE_RATE,
                       help=RECORDING_NOTE, key=audio_key,
                       on_change=_on_audio, args=(ctx, rid, follow_up))
        _saved_clip(ctx, audio_key, saved_audio)
        st.button(_next_label(rnd, answer), key=f"mock_next_{rid}", type="primary", on_click=_on_next,
                  args=(ctx, rnd.id, rid, rnd.stage), icon=":material/arrow_forward:")
    st.button("Abandon this round", key="mock_abandon", on_click=_on_ask_abandon, args=(rnd.id,),
              icon=":material/close:", help="Stop here; nothing from this round is rated. You are asked to confirm.",
              disabled=st.session_state.get(ABANDONING) == rnd.id)
    _confirm_abandon(ctx, rnd.id)
    render_draft_saver()  # last, so its empty element adds no gap inside the card


# -- grading ---------------------------------------------------------------------------------------------


def _on_grade(ctx: Context, round_id: str, review_id: str, question_id: str, rating: Rating | None) -> None:
    """Grade one answer of the round (None: from my ticks)."""
    question = ctx.bank.question(question_id) or {"id": question_id, "looking_for": []}
    hits = ticked(question["looking_for"], partial(keys.mock_hit, review_id))
    answer = next((a for a in rnd.answers if a.review_id == review_id), None) if (
        rnd := mock.load_round(ctx.store, round_id)) else None
    coaching = mock.follow_up_coaching(question, answer.follow_up) if answer else []
    follow_hits = ticked(coaching, partial(keys.mock_follow_hit, review_id)) if coaching else None
    try:
        recorded = mock.grade_answer(ctx.store, ctx.scheduler, round_id, review_id, question, hits, rating,
                                     follow_up_ticked=follow_hits)
    except StoreError as exc:
        st.session_state[ERROR] = f"Your grade was not saved: {exc} Grade it again."
        return
    if recorded is not None:
        st.session_state[NOTICE] = f"Saved: {recorded.summary}."


def _render_answer(ctx: Context, rnd: mock.MockRound, answer: mock.MockAnswer, result: mock.AnswerResult) -> None:
    over = f" · **{result.over_s:.0f} s over**" if result.over_s >= 0.5 else ""
    st.markdown(f"**Your answer** ({fmt(result.answer_s)} of {fmt(rnd.target_s)}{over})")
    if answer.answer_text.strip():
        st.markdown("> " + inert_markdown(" ".join(answer.answer_text.split())))
    if clip := recording_file(ctx.store.directory, answer.audio_path):
        st.audio(str(clip))
    if not answer.answer_text.strip() and not answer.audio_path:
        st.caption("Nothing written or recorded.")
    if answer.follow_up:
        st.markdown(f"**Follow-up:** {inert_markdown(answer.follow_up)} ({fmt(result.follow_up_s)} of "
                    f"{fmt(rnd.follow_up_s)})")
        if answer.follow_up_text.strip():
            st.markdown("> " + inert_markdown(" ".join(answer.follow_up_text.split())))
        if clip := recording_file(ctx.store.directory, answer.follow_up_audio_path):
            st.audio(str(clip))


def _render_grade_form(ctx: Context, rnd: mock.MockRound, answer: mock.MockAnswer, question: dict | None) -> None:
    rid = str(answer.review_id)
    points = list(question["looking_for"]) if question else []
    with st.form(key=f"mock_grade_{rid}", border=False):
        st.markdown("**What the interviewer is looking for** — tick what you covered:")
        rubric_checkboxes(points, partial(keys.mock_hit, rid))
        if question:
            coaching = mock.follow_up_coaching(question, answer.follow_up)
            if coaching:
                st.markdown("**A good reply to the follow-up covers** — tick what your reply covered:")
                rubric_checkboxes(coaching, partial(keys.mock_follow_hit, rid))
            with st.expander("Outline of a strong answer"):
                bullets("Outline", question.get("strong_answer"))
                bullets("Pitfalls", question.get("pitfalls"))
        cols = st.columns(4)
        for rating, col in zip(RATING_LABELS, cols):
            col.form_submit_button(RATING_LABELS[rating], key=f"mock_rate_{rid}_{rating}", width="stretch",
                                   on_click=_on_grade, args=(ctx, rnd.id, rid, answer.question_id, rating),
                                   help=RATING_FSRS_NAMES[rating], type="primary" if rating == 3 else "secondary")
        st.form_submit_button("Rate from my ticks", key=f"mock_rate_{rid}_auto", disabled=not points,
                              on_click=_on_grade, args=(ctx, rnd.id, rid, answer.question_id, None))


def _render_follow_up_grade(result: mock.AnswerResult) -> None:
    """The follow-up reply's grade beside the graded answer (nothing when the follow-up is not coached)."""
    if result.follow_up_hits is None:
        if result.follow_up_coaching:
            st.caption("Follow-up reply: not graded.")
        return
    st.markdown(f"**Follow-up reply:** {result.follow_up_grade} good-reply points covered.")
    bullets("Missed in the follow-up", result.follow_up_missed)


def render_grading(ctx: Context, rnd: mock.MockRound) -> None:
    """Every answer beside its rubric; tick, rate, and the round is finished when all are graded."""
    results = mock.round_results(ctx.store, rnd, ctx.bank)
    graded = sum(r.graded for r in results)
    st.subheader(f"Grade your answers ({graded} of {len(results)} done)")
    st.caption("Read each answer beside what the interviewer listens for, tick the points you really covered "
               "and rate it. Each grade is saved at once as a mock review and schedules the question.")
    for answer, result in zip(rnd.answers, results):
        question = ctx.bank.question(answer.question_id)
        with st.container(border=True):
            st.markdown(f"**{answer.position + 1}.** {inert_markdown(result.prompt)}")
            left, right = st.columns(2, gap="large")
            with left:
                _render_answer(ctx, rnd, answer, result)
            with right:
                if result.graded:
                    st.success(f"Rated {RATING_LABELS[int(result.rating or 1)]}: {len(result.hits)} of "
                               f"{len(result.hits) + len(result.missed)} rubric points.", icon=":material/check:")
                    bullets("Missed", result.missed)
                    _render_follow_up_grade(result)
                else:
                    _render_grade_form(ctx, rnd, answer, question)


# -- the summary -----------------------------------------------------------------------------------------------


def render_summary(ctx: Context, rnd: mock.MockRound) -> None:
    """A finished round: headline numbers, the summary (also as a Markdown download), what next."""
    results = mock.round_results(ctx.store, rnd, ctx.bank)
    hits, total = mock.overall_coverage(results)
    st.subheader(f"Round finished: {inert_markdown(rnd.label)}")
    cols = st.columns(4)
    cols[0].metric("Questions", len(results))
    cols[1].metric("Rubric coverage", f"{hits / total:.0%}" if total else "-", help=f"{hits} of {total} points")
    cols[2].metric("Ran over", f"{sum(r.over_s >= 0.5 for r in results)} of {len(results)}")
    cols[3].metric("Time answering", fmt(sum(r.answer_s or 0 for r in results)))
    markdown = mock.summary_markdown(rnd, results)
    body = markdown.split("\n", 2)[2].replace("\n## ", "\n##### ")  # the page has its own title
    st.markdown(inert_markdown(body))
    cols = st.columns([2, 2, 2])
    cols[0].download_button("Download as Markdown", data=markdown, file_name=mock.summary_filename(rnd),
                            mime="text/markdown", on_click="ignore", key="mock_download",
                            icon=":material/download:")
    cols[1].button("Start another round", key="mock_again", on_click=_on_leave, icon=":material/replay:")
