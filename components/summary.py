"""What the Study page shows when the queue is empty: the session so far and what comes next."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from components import flashcard, pages
from components.context import Context
from components.filters import ORDER
from mlprep.rating import RATING_LABELS
from mlprep.schedule import format_interval
from mlprep.study import DEFAULT_ORDER, Filters, Queue
from mlprep.timeutil import format_local


def _set_order(order: str) -> None:
    st.session_state[ORDER] = order


def render_summary(ctx: Context, scores: pd.DataFrame, filters: Filters, queue: Queue, order: str) -> None:
    results = st.session_state.get(flashcard.RESULTS, [])
    if ctx.bank.questions.empty:
        st.warning("The question bank is empty or failed to load: see Settings for the problems.")
        return
    if order == DEFAULT_ORDER and not filters.narrowed:
        st.success("**Done for today.** Everything due is reviewed and today's new questions are in. Keep going "
                   "if you like, with new questions or your weakest ones.", icon=":material/check_circle:")
    if results:
        st.subheader("Session done")
        mix = Counter(r for r, _ in results)
        minutes = sum(d for _, d in results) / 60
        cols = st.columns(3)
        cols[0].metric("Cards rated", len(results))
        cols[1].metric("Time answering", f"{minutes:.0f} min" if minutes >= 1 else "< 1 min")
        cols[2].metric("Solid or better", f"{mix[3] + mix[4]} of {len(results)}")
        st.write(" · ".join(f"{RATING_LABELS[r]}: {mix[r]}" for r in RATING_LABELS))
    else:
        st.subheader("Nothing to study in this queue")
    live = filters.apply(scores)
    live = live[live["practised"] & ~live["suspended"]]
    now = datetime.now(UTC)
    upcoming = live[live["due"] > pd.Timestamp(now)]
    if len(upcoming):
        nxt = upcoming["due"].min()
        st.info(f"Next review due in {format_interval(nxt.to_pydatetime() - now)} "
                f"({format_local(nxt.to_pydatetime())}); "
                f"{int((upcoming['due'] <= pd.Timestamp(now) + pd.Timedelta(days=1)).sum())} due within a day.",
                icon=":material/event:")
    if queue.new_available > queue.new_allowed:
        st.caption(f"{queue.new_available - queue.new_allowed} new question(s) wait behind today's new-card limit.")
    cols = st.columns(3)
    cols[0].button("Keep going: new questions only", on_click=_set_order, args=("new",), key="more_new")
    cols[1].button("Keep going: weakest first", on_click=_set_order, args=("weakest",), key="more_weak")
    cols[2].page_link(pages.DASHBOARD.path, label="See the dashboard", icon=":material/monitoring:")
