"""Story bank: your STAR stories, tagged by theme and linked to the behavioral questions they answer."""

import streamlit as st

from components import story_views as views
from components.layout import page_setup
from mlprep import stories

ctx = page_setup("Story bank")
st.title("Story bank")
st.caption("Behavioral rounds are won with a handful of specific, first-person stories with a measurable "
           "result. Write them once, tag their themes, link them to the questions they answer; they show up "
           "beside those questions when you study.")
views.render_messages()
views.render_rehearsal(ctx)

all_stories = stories.all_stories(ctx.store)
behavioral_frame = stories.behavioral_questions(ctx.bank.questions)
behavioral = dict(zip(behavioral_frame["id"], behavioral_frame["prompt"]))
prompts = dict(zip(ctx.bank.questions["id"], ctx.bank.questions["prompt"]))

st.session_state.setdefault(views.VIEW, views.LIST)
view = st.radio("View", views.VIEWS, key=views.VIEW, horizontal=True, label_visibility="collapsed")
if view == views.WRITE:
    views.render_story_form(ctx, behavioral)
elif view == views.COVERAGE:
    views.render_coverage(ctx, all_stories, behavioral)
else:
    found = views.render_search(all_stories)
    views.render_story_list(ctx, found, len(all_stories), prompts)
