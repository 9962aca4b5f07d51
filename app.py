"""mlprep: the Home page. Run with `make run` (or `streamlit run app.py`)."""

from datetime import date

import streamlit as st

from components import pages
from components.brief_download import render_brief_downloads
from components.context import ranking, todays_plan
from components.layout import page_setup
from mlprep import readiness
from mlprep.text import inert_markdown

COVERS_SHOWN = 5  # categories named in the plan's line; the rest are counted

ctx = page_setup("Home")
st.title("mlprep")
st.markdown(
    "Flashcards for the machine-learning interview questions **beyond the math**: product sense, explaining "
    "models to the business, talking to non-technical people, offline/online gaps, fairness, production "
    "incidents, monitoring, behavioral stories, and what 2026 loops add: LLM products, cost and latency, "
    "privacy, the project deep dive, prioritisation and technical leadership. Answer, reveal what the "
    "interviewer is looking for, tick what you covered, rate yourself; the dashboard shows where you are weak."
)
scores = ctx.in_track(ctx.scores())
live = scores[~scores["suspended"]]
ranked = ranking(ctx)
plan = todays_plan(ctx)
days = ctx.settings.days_to_interview(date.today())

if len(ctx.tracks) > 1:
    st.caption(f"Track: **{inert_markdown(ctx.track)}** (switch in the sidebar).")
cols = st.columns(4)
cols[0].metric("Questions", len(live))
cols[1].metric("Practised", int(live["practised"].sum()))
cols[2].metric("Readiness", f"{readiness.overall_readiness(ranked):.0%}")
cols[3].metric("Today", f"{len(plan.ids)} cards" if plan.ids else "done",
               help="Exactly what Study serves by default today; it goes down as you rate.")

st.subheader("Today's plan")
if plan.ids:
    parts = [f"{plan.due} due" if plan.due else "", f"{plan.new_allowed} new" if plan.new_allowed else "",
             f"{plan.make_solid} to make solid before the interview" if plan.make_solid else ""]
    when = f" Interview in {days} day(s)." if days is not None and days >= 0 else ""
    st.info(f"**Today: {len(plan.ids)} cards**: {', '.join(p for p in parts if p)}.{when}", icon=":material/event:")
    ranked_counts = sorted(plan.categories.items(), key=lambda cn: -cn[1])
    covers = ", ".join(f"{inert_markdown(c)} ({n})" for c, n in ranked_counts[:COVERS_SHOWN])
    more = len(ranked_counts) - COVERS_SHOWN
    st.write(f"It covers {covers}" + (f" and {more} more categor{'y' if more == 1 else 'ies'}." if more > 0 else "."))
    st.page_link(pages.STUDY.path, label="Start today's plan", icon=":material/school:")
elif live.empty:
    st.warning("This track has no questions to study: add or import some on the Bank page.")
else:
    st.success("**Done for today.** Everything due is reviewed and today's new questions are in. Keep going if "
               "you like: Study offers new questions or your weakest ones.", icon=":material/check_circle:")
    st.page_link(pages.STUDY.path, label="Keep going", icon=":material/school:")

st.subheader("Where to start")
if not live["practised"].any():
    st.write("You have not rated anything yet. Start with a few questions from any category: answer out loud "
             "or in the box, then reveal the rubric and be honest with the ticks.")
    st.page_link(pages.STUDY.path, label="Study your first questions", icon=":material/school:")
elif len(ranked):
    weakest = ranked.iloc[0]
    note = f"; it {weakest['weight_note']}" if weakest["weight_note"] else ""
    st.write(f"Your weakest category is **{inert_markdown(weakest['category'])}** ({weakest['label']}{note}).")
    st.page_link(pages.STUDY.path, label=f"Study {inert_markdown(weakest['category'])}", icon=":material/school:",
                 query_params={"category": weakest["category_slug"]})
    st.page_link(pages.DASHBOARD.path, label="See the dashboard", icon=":material/monitoring:")

st.subheader("The interview-day brief")
render_brief_downloads(ctx, "home")
