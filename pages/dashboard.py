"""Dashboard: where am I weak, and what do I study next?"""

from datetime import UTC, datetime

import streamlit as st

from components import dashboard_sections as section
from components.context import weak_areas_and_gaps
from components.layout import due_counts, page_setup
from mlprep import dashboard, readiness
from mlprep.study import round_weights

ctx = page_setup("Dashboard")
st.title("Dashboard")
scores = ctx.scores()
live = scores[~scores["suspended"]]
per_category = readiness.category_readiness(live)
today = dashboard.local_today(datetime.now(UTC))
interview = ctx.settings.interview_date
has_reviews = bool(live["practised"].any())
areas, gaps = weak_areas_and_gaps(ctx, round_weights(list(ctx.settings.rounds)))

section.headline(ctx, live, per_category, today, due_counts(scores)[0])
section.readiness_by_category(per_category, has_reviews)
section.weak_area_list(areas)
left, right = st.columns(2, gap="large")
with left:
    section.trend(ctx, per_category, today, interview)
with right:
    section.forecast(live, today, interview)
section.activity(ctx, today, has_reviews)
section.rubric_gaps(gaps)
st.subheader("How readiness is computed")
st.write(readiness.EXPLANATION)
