"""Mock interview: a timed round, one question at a time, a follow-up after each, graded at the end.

The round's id is in the URL (``/mock?round=<id>``) and the round itself in the database, so a
refresh puts the same question back on screen with its countdown still running.
"""

import streamlit as st

from components import mock_round
from components.layout import page_setup
from mlprep import mock

ctx = page_setup("Mock interview")
st.title("Mock interview")
mock_round.render_messages()

round_id = st.query_params.get("round")
rnd = mock.load_round(ctx.store, round_id) if round_id else None
if rnd is None or rnd.abandoned_at:
    if round_id:
        st.warning("That round is not available (it was abandoned or belongs to another data folder). "
                   "Start a new one below.", icon=":material/warning:")
    mock_round.render_setup(ctx)
    mock_round.render_past_rounds(ctx)
    st.stop()

if rnd.in_progress:
    mock_round.render_question(ctx, rnd)
elif rnd.stage == mock.STAGE_GRADING:
    mock_round.render_grading(ctx, rnd)
else:
    mock_round.render_summary(ctx, rnd)
