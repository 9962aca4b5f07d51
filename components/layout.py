"""The frame every page shares: page config, the sidebar (navigation, what is due, data dir).

Pages live in the classic ``pages/`` folder, so each page script runs on its
own; each one starts with ``page_setup(...)``, which is why the sidebar is the
same everywhere, even when a page is opened directly by its URL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pyarrow as pa
import streamlit as st

from components import messages, pages
from components.context import Context, load_context, todays_plan
from mlprep import paths
from mlprep.dashboard import snapshot_rows
from mlprep.db import StoreError, UnreadableDatabase, move_aside
from mlprep.db.store import NotTheSameFile, file_identity
from mlprep.paths import db_path
from mlprep.readiness import category_readiness, due_mask, overall_name
from mlprep.text import inert_markdown
from mlprep.timeutil import local_day

ICON = paths.REPO_ROOT / "assets" / "icon.png"

# Arrow's own allocator (mimalloc) keeps the memory pandas' string columns free: the bench's peak RSS (5,000
# questions, 200,000 reviews) was 331 MB, 292-295 MB with the system allocator, at the same speed.
pa.set_memory_pool(pa.system_memory_pool())


def due_counts(scores: pd.DataFrame, now: datetime | None = None) -> tuple[int, int]:
    """(due now, never studied), leaving out suspended questions."""
    now = now or datetime.now(UTC)
    live = scores[~scores["suspended"]]
    due = int(due_mask(live, now).sum())
    return due, int((~live["practised"]).sum())


SNAPSHOT_DAY = "layout.snapshot_day"


def _snapshot_once_a_day(ctx: Context, scores: pd.DataFrame) -> None:
    """On the day's first activity, record readiness per category for the trend chart (no history replay).

    Checked once per browser session and day, not on every rerun.
    """
    today = local_day(datetime.now(UTC))
    if st.session_state.get(SNAPSHOT_DAY) == today or not scores["practised"].any():
        return
    try:
        if not ctx.store.has_snapshot(today):
            rows = []
            for track in ctx.tracks:
                live = ctx.in_track(scores, track)
                rows += snapshot_rows(category_readiness(live[~live["suspended"]]), overall_name(track))
            ctx.store.write_snapshot(today, rows)
        st.session_state[SNAPSHOT_DAY] = today
    except StoreError:
        pass  # a busy database must not stop the page: the snapshot is retried on the next run


MOVED_ASIDE = "layout.moved_aside"
TRACK = "layout.track"


def _choose_track(ctx: Context) -> None:
    chosen = st.session_state.get(TRACK)
    if chosen:
        try:
            ctx.choose_track(chosen)
        except StoreError as exc:
            messages.leave("layout", error=f"The track was not switched: {exc}")


def _track_selector(ctx: Context) -> None:
    """The track every page works on; shown only when there is more than one."""
    tracks = ctx.tracks
    if len(tracks) < 2:
        return
    st.session_state[TRACK] = ctx.track
    st.selectbox("Track", tracks, key=TRACK, on_change=_choose_track, args=(ctx,),
                 help="Readiness, the plan, the Dashboard and mock weak areas are per track. Each imported "
                      "file is a track of its own; move a bank to another track on the Bank page.")


def _move_aside(judged: tuple[int, int] | None) -> None:
    """Move aside exactly the file that was judged damaged; a stale button (another tab moved it already)
    renames nothing."""
    try:
        st.session_state[MOVED_ASIDE] = str(move_aside(paths.data_dir(), judged))
    except NotTheSameFile as exc:
        messages.leave("layout", notice=str(exc))


def page_setup(title: str) -> Context:
    """Configure the page and draw the shared sidebar; stops the page with a clear message on a store error."""
    # A local icon file: a Material icon as page_icon makes the browser fetch it from Google's font CDN.
    st.set_page_config(page_title=f"{title} · mlprep", page_icon=str(ICON), layout="wide")
    with st.sidebar:
        st.markdown("### mlprep")
        st.caption("ML interviews, beyond the math")
        for page in pages.ALL:
            st.page_link(page.path, label=page.label, icon=page.icon)
        st.divider()
    try:
        ctx = load_context()
    except StoreError as exc:
        st.sidebar.caption(f"Data: `{paths.data_dir()}`")
        st.error(f"**Your progress could not be opened.** {inert_markdown(str(exc))}", icon=":material/error:")
        if isinstance(exc, UnreadableDatabase):
            st.button("Move the damaged file aside and start fresh", key="move_aside", type="primary",
                      on_click=_move_aside, args=(file_identity(db_path(paths.data_dir())),),
                      icon=":material/restart_alt:")
        st.stop()
        raise  # unreachable: st.stop ends the script
    messages.show("layout", notice_as="success")
    if moved := st.session_state.pop(MOVED_ASIDE, None):
        st.success(f"The damaged file was kept as `{moved}`. You are starting with a fresh progress file; "
                   "restore a backup on Settings if you have one.", icon=":material/check_circle:")
    scores = ctx.scores()
    _snapshot_once_a_day(ctx, scores)
    track_scores = ctx.in_track(scores)
    due, new = due_counts(track_scores)
    plan = todays_plan(ctx)
    with st.sidebar:
        _track_selector(ctx)
        st.metric("Today", f"{len(plan.ids)} cards" if plan.ids else "done",
                  help="Today's plan, exactly what Study serves by default: due cards, then new ones up to "
                       "your daily limit" + (", then questions to make solid before the interview."
                                            if ctx.settings.interview_date else "."))
        st.caption(f"{due} due · {new} never studied · {len(track_scores)} in this track")
        days = ctx.settings.days_to_interview(date.today())
        if days is not None:
            when = ctx.settings.interview_date
            st.caption(f"Interview in {days} day(s), {when:%a %d %b}" if days >= 0 else "Interview date has passed")
        if ctx.bank.problems:
            st.warning(f"{len(ctx.bank.problems)} problem(s) in the question bank: see Settings.",
                       icon=":material/warning:")
        st.caption(f"Data: `{ctx.store.directory}`")
    return ctx
