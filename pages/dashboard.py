"""Dashboard: where am I weak, and what do I study next?"""

import streamlit as st

from components.context import loop_rounds
from components.layout import page_setup
from mlprep import charts, readiness, weak_areas
from mlprep.study import round_weights

ctx = page_setup("Dashboard", ":material/monitoring:")
st.title("Dashboard")
scores = ctx.scores()
live = scores[~scores["suspended"]]
per_category = readiness.category_readiness(live)
activity = ctx.store.activity()

cols = st.columns(4)
cols[0].metric("Overall readiness", f"{readiness.overall_readiness(per_category):.0%}")
cols[1].metric("Practised", f"{int(live['practised'].sum())} / {len(live)}")
cols[2].metric("Reviews", activity["reviews"])
cols[3].metric("Days active", activity["days_active"])

st.subheader("Readiness by category")
if activity["reviews"] == 0:
    st.info("No ratings yet. Study a few questions and your readiness per category appears here.",
            icon=":material/info:")
    st.page_link("pages/study.py", label="Start studying", icon=":material/school:")
else:
    event = st.altair_chart(charts.readiness_bars(per_category), on_select="rerun", key="readiness_chart",
                            width="stretch")
    link = charts.category_link(event)
    if link:
        st.switch_page("pages/study.py", query_params={"category": link.split("=", 1)[1]})
    st.caption("Click a bar to study that category.")
with st.expander("How readiness is computed"):
    st.write(readiness.EXPLANATION)

st.subheader("Weak areas")
areas = weak_areas.weak_areas(live, ctx.store.missed_points(), weights=round_weights(loop_rounds(ctx.store)))
if not areas:
    st.success("Every category is ready. Keep reviewing what is due.")
else:
    st.dataframe(
        [{"Area": a.area, "Solid": a.label, "Band": a.band, "Untouched": len(a.untouched),
          "Practised, not solid": len(a.practised_weak), "Avg rating": a.avg_rating, "Overdue": a.overdue,
          "Most missed": a.top_missed[0][0] if a.top_missed else "",
          "Study next": a.next_questions[0].prompt if a.next_questions else ""} for a in areas],
        hide_index=True, width="stretch")
cols = st.columns(3)
cols[0].download_button("Download study plan (Markdown)", weak_areas.to_markdown(areas), "mlprep-weak-areas.md",
                        "text/markdown", key="dl_md", icon=":material/download:", on_click="ignore")
cols[1].download_button("Download weak areas (CSV)", weak_areas.to_csv(areas), "mlprep-weak-areas.csv",
                        "text/csv", key="dl_csv", icon=":material/download:", on_click="ignore")
