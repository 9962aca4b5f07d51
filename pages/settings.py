"""Settings: where data lives, what the bank loaded (and its problems), study preferences."""

from datetime import date

import pandas as pd
import streamlit as st

from components.backup_panel import render_backup
from components.layout import page_setup
from components.messages import guarded, write_or_report
from components.messages import show as show_messages
from mlprep import paths
from mlprep.bank import LEVEL_LABELS, LEVELS
from mlprep.settings import ANSWER_TARGET_RANGE_S, NEW_PER_DAY_RANGE, Settings
from mlprep.study import ROUND_TYPES
from mlprep.text import inert_markdown

ctx = page_setup("Settings")
st.title("Settings")

st.subheader("Your data")
st.write("Progress is saved in one SQLite file, written the moment you rate:")
st.code(str(ctx.store.path), language=None)
st.caption(f"Change the folder by starting mlprep with the environment variable `{paths.DATA_DIR_ENV}` set. "
           f"Schema version {ctx.store.schema_version()}.")

st.subheader("Study")
saved = ctx.settings
for note in saved.notes:
    st.warning(f"A saved setting could not be read: {inert_markdown(note)}.", icon=":material/warning:")
today = date.today()
passed = saved.interview_date is not None and saved.interview_date < today
if passed:
    st.info(f"Your interview date ({saved.interview_date:%d %b %Y}) has passed. Set the next one, or leave the "
            "date empty to study without a deadline.", icon=":material/event_busy:")
with st.form("study_settings"):
    new_per_day = st.number_input("New questions per day (Due order)", min_value=NEW_PER_DAY_RANGE[0],
                                  max_value=NEW_PER_DAY_RANGE[1], step=1, value=saved.new_per_day)
    target = st.number_input("Answer timer target (seconds)", min_value=ANSWER_TARGET_RANGE_S[0],
                             max_value=ANSWER_TARGET_RANGE_S[1], step=15, value=saved.answer_target_s,
                             help="Most interview answers should land in about two minutes.")
    level = st.selectbox("Level you are interviewing for", LEVELS, index=LEVELS.index(saved.level),
                         format_func=LEVEL_LABELS.get,
                         help="Questions at or below this level come first; leadership questions are senior and staff.")
    st.markdown("**Sprint to an interview**")
    interview = st.date_input("Interview date (optional)", value=None if passed else saved.interview_date,
                              min_value=today, format="YYYY-MM-DD",
                              help="With a date, no review is scheduled past it and Home shows a daily plan.")
    rounds = st.multiselect("Round types in your loop", list(ROUND_TYPES), default=list(saved.rounds),
                            format_func=lambda k: ROUND_TYPES[k][0],
                            help="The weak-area list and the daily plan weigh the categories these rounds use.")
    if st.form_submit_button("Save settings", type="primary"):
        chosen = Settings(new_per_day=int(new_per_day), answer_target_s=int(target), interview_date=interview,
                          rounds=tuple(rounds), level=level)
        if write_or_report(ctx.store.save_settings, chosen):
            st.toast("Settings saved.")
            st.rerun()

st.subheader("Suspended and flagged questions")
show_messages("settings")
scores = ctx.scores()
marked = scores[scores["suspended"] | scores["flagged"]]
if marked.empty:
    st.caption("None. Suspend or flag a question from its card on the Study page.")
for row in marked.itertuples():
    cols = st.columns([6, 1, 1])
    state = ", ".join(s for s, on in (("suspended", row.suspended), ("flagged", row.flagged)) if on)
    cols[0].markdown(f"**{inert_markdown(row.category)}** · {state}  \n{inert_markdown(' '.join(row.prompt.split())[:160])}")
    if row.suspended:
        cols[1].button("Resume", key=f"resume_{row.id}", on_click=guarded,
                       args=("settings", "Resume", ctx.store.set_card_flags, row.id), kwargs={"suspended": False})
    if row.flagged:
        cols[2].button("Unflag", key=f"unflag_{row.id}", on_click=guarded,
                       args=("settings", "Unflag", ctx.store.set_card_flags, row.id), kwargs={"flagged": False})

render_backup(ctx)

st.subheader("Question bank")
st.write(f"{len(ctx.bank.questions)} questions loaded from {len(ctx.bank.files)} file(s).")
st.dataframe(pd.DataFrame([{"File": f.path, "Category": f.category or "(not loaded)", "Questions": f.loaded,
                            "Problems": len(f.problems)} for f in ctx.bank.files]),
             hide_index=True, width="stretch")
if ctx.bank.problems:
    st.error(f"{len(ctx.bank.problems)} problem(s). Questions with errors are skipped; everything else loads. "
             "Fix the file and reload the page.", icon=":material/error:")
    st.code("\n".join(str(p) for p in ctx.bank.problems), language=None)
else:
    st.success("No problems in the bank files.", icon=":material/check_circle:")
st.caption(f"Add your own bank files (YAML, same format as `data/questions/`) to `{paths.user_banks_dir(ctx.store.directory)}`.")
