"""mlprep: the Home page. Run with `make run` (or `streamlit run app.py`)."""

from datetime import date

import streamlit as st

from components import pages
from components.layout import due_counts, page_setup
from mlprep import readiness
from mlprep.study import daily_plan
from mlprep.text import inert_markdown

ctx = page_setup("Home")
st.title("mlprep")
st.markdown(
    "Flashcards for the machine-learning interview questions **beyond the math**: product sense, explaining "
    "models to the business, talking to non-technical people, offline/online gaps, fairness, production "
    "incidents, monitoring, behavioral stories, and what 2026 loops add: LLM products, cost and latency, "
    "privacy, the project deep dive, prioritisation and technical leadership. Answer, reveal what the "
    "interviewer is looking for, tick what you covered, rate yourself; the dashboard shows where you are weak."
)
scores = ctx.scores()
live = scores[~scores["suspended"]]
per_category = readiness.category_readiness(live)

days = ctx.settings.days_to_interview(date.today())
cols = st.columns(4)
cols[0].metric("Questions", len(live))
cols[1].metric("Practised", int(live["practised"].sum()))
cols[2].metric("Readiness", f"{readiness.overall_readiness(per_category):.0%}")
if days is not None and days >= 0:
    plan = daily_plan(scores, days, list(ctx.settings.rounds))
    cols[3].metric("Today", f"{plan.cards_today} cards", help="What to study each day to cover what is due and "
                   "make the loop's categories solid before the interview.")
    st.info(f"**Today: {plan.cards_today} cards.** Interview in {days} day(s): {plan.due_now} due now and "
            f"{plan.to_make_solid} more question(s) to make solid, spread over the days left.",
            icon=":material/event:")
else:
    cols[3].metric("Due now", due_counts(scores)[0])

st.subheader("Where to start")
if not live["practised"].any():
    st.write("You have not rated anything yet. Start with a few questions from any category: answer out loud "
             "or in the box, then reveal the rubric and be honest with the ticks.")
    st.page_link(pages.STUDY.path, label="Study your first questions", icon=":material/school:")
else:
    weakest = per_category.iloc[0]
    st.write(f"Your weakest category is **{inert_markdown(weakest['category'])}** ({weakest['label']}).")
    st.page_link(pages.STUDY.path, label=f"Study {inert_markdown(weakest['category'])}", icon=":material/school:",
                 query_params={"category": weakest["category_slug"]})
    st.page_link(pages.STUDY.path, label="Study what is due", icon=":material/event:")
    st.page_link(pages.DASHBOARD.path, label="See the dashboard", icon=":material/monitoring:")
