"""Study: one question at a time; answer, reveal the rubric, tick, rate."""

import streamlit as st

from components import flashcard
from components.context import study_queue
from components.filters import linked_track, render_filters
from components.layout import page_setup
from components.messages import write_or_report
from components.summary import render_summary

ctx = page_setup("Study")
if (other := linked_track(ctx.bank, ctx.track)) and write_or_report(ctx.choose_track, other):
    st.rerun()  # a link into a category of another track: that track it is
flashcard.init_state()
st.title("Study")
filters, order = render_filters(ctx.bank, ctx.track)
flashcard.render_messages(ctx)

scores = ctx.scores()
rated = st.session_state[flashcard.RATED]
queue = study_queue(ctx, filters, order, rated, seed=hash(st.session_state[flashcard.SESSION]) % 10_000)
current = st.session_state.get(flashcard.CURRENT)
if current and (ctx.bank.question(current["qid"]) is None or current["qid"] not in queue.matching):
    current = None  # the filters changed, or the question vanished from the bank
if current is None and queue.ids:
    current = flashcard.show(queue.ids[0], ctx.bank.question(queue.ids[0]))

if current is None:
    render_summary(ctx, scores, filters, queue, order)
    st.stop()
if queue.past_cap:
    st.caption("Past today's new-question limit on purpose: you asked for this category, so its questions "
               "are served anyway.")

question = ctx.bank.question(current["qid"])
row = scores[scores["id"] == current["qid"]].iloc[0]
left = len([q for q in queue.ids if q != current["qid"]])
target_s = ctx.settings.answer_target_s
flashcard.render_card(ctx, question, current, f"{left} more in this queue", target_s, bool(row["flagged"]))
flashcard.render_card_actions(ctx, current["qid"], bool(row["flagged"]))
