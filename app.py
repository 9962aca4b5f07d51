"""mlprep: the Home page. Run with `make run` (or `streamlit run app.py`)."""

import streamlit as st

from components.layout import page_setup
from mlprep import readiness

ctx = page_setup("Home", ":material/home:")
st.title("mlprep")
st.markdown(
    "Flashcards for the machine-learning interview questions **beyond the math**: product sense, explaining "
    "models to the business, talking to non-technical people, offline/online gaps, fairness, production "
    "incidents, monitoring and behavioral stories. Answer, reveal what the interviewer is looking for, tick "
    "what you covered, rate yourself; the dashboard shows where you are weak."
)
scores = ctx.scores()
live = scores[~scores["suspended"]]
per_category = readiness.category_readiness(live)

cols = st.columns(3)
cols[0].metric("Questions", len(live))
cols[1].metric("Practised", int(live["practised"].sum()))
cols[2].metric("Readiness", f"{readiness.overall_readiness(per_category):.0%}")

st.subheader("Where to start")
if not live["practised"].any():
    st.write("You have not rated anything yet. Start with a few questions from any category: answer out loud "
             "or in the box, then reveal the rubric and be honest with the ticks.")
    st.page_link("pages/study.py", label="Study your first questions", icon=":material/school:")
else:
    weakest = per_category.iloc[0]
    st.write(f"Your weakest category is **{weakest['category']}** ({weakest['label']}).")
    st.page_link("pages/study.py", label=f"Study {weakest['category']}", icon=":material/school:",
                 query_params={"category": weakest["category_slug"]})
    st.page_link("pages/study.py", label="Study what is due", icon=":material/event:")
    st.page_link("pages/dashboard.py", label="See the dashboard", icon=":material/monitoring:")
