"""Dashboard: where am I weak, and what do I study next? (For the track chosen in the sidebar.)"""

from datetime import UTC, datetime

import streamlit as st

from components import dashboard_sections as section
from components.brief_download import render_brief_downloads
from components.context import weak_areas_and_gaps
from components.layout import due_counts, page_setup
from mlprep import dashboard, readiness

ctx = page_setup("Dashboard")
st.title("Dashboard")
every_track = ctx.scores()
scores = ctx.in_track(every_track)
live = scores[~scores["suspended"]]
today = dashboard.local_today(datetime.now(UTC))
interview = ctx.settings.interview_date
has_reviews = bool(live["practised"].any())
areas, gaps, ranked = weak_areas_and_gaps(ctx)

section.tracks(ctx, every_track)
section.headline(ctx, live, ranked, today, due_counts(scores)[0])
section.readiness_by_category(ranked, has_reviews)
section.weak_area_list(areas, ctx.track)
render_brief_downloads(ctx, "dashboard")
left, right = st.columns(2, gap="large")
with left:
    section.trend(ctx, ranked, today, interview)
with right:
    section.forecast(ctx, live, today, interview)
section.activity(ctx, today, has_reviews)
section.rubric_gaps(gaps)
st.subheader("How readiness is computed")
st.write(readiness.EXPLANATION)
