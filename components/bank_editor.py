"""The Bank page's pieces (question table, bank files, import with preview, add and edit forms, exports)
and the Study card's "Add rubric points" box for the user's own questions.

Every write happens in an ``on_click`` callback, through ``mlprep.userbank``; nothing is written before a
button is pressed. Session state (one browser tab each):
- ``bank.notice`` / ``bank.error``: one message for the next run;
- ``bank.upload_round`` and ``bank.add_round``: bumped after a save so the uploader and the add form empty
  (their keys are ``bank.upload_<round>`` and ``bank.add<round>.<field>``);
- ``bank.search``, ``bank.category``: the question table's filters; ``bank.edit_id``: the question being
  edited, whose form fields are ``bank.edit.<id>.<field>``; ``bank.delete_ok.<id>``: the delete confirmation.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from components import messages
from components.context import Context
from mlprep import bank as bank_mod
from mlprep import exporters, importers, userbank
from mlprep.db import StoreError
from mlprep.text import inert_markdown

ERROR, NOTICE = messages.keys("bank")
UPLOAD_ROUND = "bank.upload_round"
ADD_ROUND = "bank.add_round"
FORMAT_LABELS = {"csv": "CSV", "tsv": "tab-separated text", "anki": "Anki plain text", "yaml": "mlprep YAML"}
EXPORT_LABELS = {"csv": "CSV (spreadsheets, and back into mlprep)", "anki": "Anki (File > Import)"}
PREVIEW_ROWS = 10
TAB = "bank.tab"  # which of the Bank page's tabs is open (only that one runs)
TABS = ("Questions", "Banks", "Import a file", "Add a question", "Edit or delete", "Export")
TABLE_ROWS = 1_000  # rows of the question table sent to the browser
EDIT_CHOICES = 300  # of the user's questions listed at once in the edit picker
LIST_HELP = "One per line."


def render_messages() -> None:
    messages.show("bank", notice_as="success")


def all_banks(ctx: Context) -> bank_mod.Bank:
    """Every bank file, switched on or not (for the file list and for clashes with an import)."""
    return userbank.load(ctx.store.directory, everything=True)


# --- the question table --------------------------------------------------------------------------------------

@st.cache_resource(show_spinner=False, max_entries=4)  # a table of a big bank is megabytes: keep few
def _browse_table(_bank: bank_mod.Bank, bank_key: str, text: str, category: str | None) -> pd.DataFrame:
    """The question table for one bank version and filter; shared by sessions, never mutated."""
    return userbank.browse_table(_bank.questions, text, category)


def render_question_table(bank: bank_mod.Bank) -> None:
    cols = st.columns([3, 2])
    text = cols[0].text_input("Search", key="bank.search", placeholder="words in the question, answer, id or tags")
    category = cols[1].selectbox("Category", [None, *bank.categories], key="bank.category",
                                 format_func=lambda c: "All categories" if c is None else c)
    table = _browse_table(bank, bank.key, text or "", category)
    count = f"{len(table)} of {len(bank.questions)} questions"
    if len(table) > TABLE_ROWS:
        count = (f"{len(table):,} of {len(bank.questions):,} questions match; the first {TABLE_ROWS:,} are listed "
                 "(search or pick a category to narrow them)")
    st.caption(f"{count}. A question with 0 rubric points has no rubric yet: its answer is shown on reveal, and you "
               "can add points under Edit.")
    # Every row is sent to the browser on each run of the page: a bank of thousands would cost seconds.
    st.dataframe(table.head(TABLE_ROWS), hide_index=True, width="stretch", height=380,
                 column_config={"prompt": st.column_config.TextColumn("question", width="large"),
                                "rubric points": st.column_config.NumberColumn(help="0 = no rubric yet")})
    for line in importers.credits_for(bank.questions["source"]):
        st.caption(f"Credit: {line}.")


# --- bank files ----------------------------------------------------------------------------------------------------

def _on_toggle(data_dir: Path, path: str, key: str) -> None:
    messages.guarded("bank", "Switching the bank file", userbank.set_bank_enabled, data_dir, Path(path),
                     bool(st.session_state.get(key)))


def render_bank_files(ctx: Context) -> None:
    data_dir = ctx.store.directory
    everything = all_banks(ctx)
    loaded = {f.path: f for f in everything.files}
    tracks = everything.tracks
    for state in userbank.bank_file_states(data_dir):
        info = loaded.get(bank_mod.display_path(state.path))
        key = f"bank.on.{state.key}"
        cols = st.columns([3, 3, 1, 1], vertical_alignment="center")
        cols[0].toggle(state.path.name, value=state.enabled, key=key, on_change=_on_toggle,
                       args=(data_dir, str(state.path), key),
                       help="Switched off, its questions leave Study, the Dashboard and exports; nothing is deleted.")
        cols[1].caption(f"{'yours' if state.mine else 'shipped'} · {inert_markdown(info.category) if info else ''}")
        cols[2].caption(f"{info.loaded if info else 0} questions")
        problems = info.problems if info else []
        cols[3].caption(f"{len(problems)} problem(s)" if problems else "no problems")
        if state.mine:
            _track_mover(ctx, state.path, tracks, info.track if info else "")
        if problems:
            with st.expander(f"Problems in {inert_markdown(state.path.name)}"):
                st.code("\n".join(str(p) for p in problems), language=None)
    st.caption(f"Your files are in `{userbank.banks_dir(data_dir)}`; the shipped bank is read-only.")


def _on_move(data_dir: Path, path: str, key: str) -> None:
    track = st.session_state.get(key) or ""
    try:
        if messages.guarded("bank", "Moving the bank file", userbank.set_file_track, data_dir, path, track):
            messages.leave("bank", notice=f"{Path(path).name} is now in the track “{bank_mod.clean_track(track)}”.")
    except userbank.BankEditError as exc:
        messages.leave("bank", error=f"Not moved: {exc}")


def _track_mover(ctx: Context, path: Path, tracks: list[str], loaded_track: str) -> None:
    """Which track one of the user's files is in; pick or type another to move it there. The track comes from
    the loaded bank; only a file none of whose questions loaded is read again (parsing every file on each
    run of the page took seconds at 5,000 questions)."""
    current = loaded_track or userbank.file_track(path)
    key = f"bank.track.{path.name}"
    st.session_state[key] = current
    st.columns([2, 3])[0].selectbox(f"Track of {path.name}", list(dict.fromkeys([current, *tracks])), key=key,
                 accept_new_options=True, on_change=_on_move, args=(ctx.store.directory, str(path), key),
                 help="Move this file's questions to another track (pick one, or type a new name). Their "
                      "reviews stay; each track's readiness counts only its own questions.")


# --- import ---------------------------------------------------------------------------------------------------------

def _track_key(upload_key: str, name: str) -> str:
    """The import preview's track box: one per uploaded file, so a new file starts from its own default."""
    return f"bank.import_track.{upload_key}.{name}"
STUDY_TRACK = "bank.study_track"  # set by "Study them now": the page switches the track and opens Study


def _plan(ctx_dir: Path, uploaded: Any, existing: bank_mod.Bank, track: str = "") -> userbank.ImportPlan:
    result = importers.read_questions(uploaded.name, uploaded.getvalue(), existing.categories)
    return userbank.plan_import(ctx_dir, result, existing, track)


def _on_save_import(data_dir: Path, key: str) -> None:
    uploaded = st.session_state.get(key)
    if uploaded is None:
        st.session_state[ERROR] = "The file is gone (the page was reloaded?); upload it again."
        return
    try:
        existing = userbank.load(data_dir, everything=True)
        plan = _plan(data_dir, uploaded, existing, st.session_state.get(_track_key(key, uploaded.name)) or "")
        path = userbank.save_import(data_dir, plan)
    except (importers.ImportFailed, userbank.BankEditError, OSError) as exc:
        st.session_state[ERROR] = f"Nothing was saved: {exc}"
        return
    st.session_state[NOTICE] = (f"Saved {len(plan.questions)} questions from {plan.result.name} to "
                                f"{userbank.banks_dir(data_dir).name}/{path.name}, in the track "
                                f"“{plan.track}”. Pick that track in the sidebar to study them.")
    st.session_state[STUDY_TRACK + ".offer"] = plan.track
    st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1


def render_import(ctx: Context) -> None:
    st.session_state.setdefault(UPLOAD_ROUND, 0)
    key = f"bank.upload_{st.session_state[UPLOAD_ROUND]}"
    uploaded = st.file_uploader(
        "CSV, Anki plain text or mlprep YAML", type=list(importers.UPLOAD_TYPES), key=key,
        max_upload_size=importers.MAX_IMPORT_MB,
        help=f"At most {importers.MAX_IMPORT_MB} MB. Nothing is saved until you press Save.")
    st.caption("**CSV**: a header row naming the columns: question (or prompt), answer, category, difficulty, "
               "tags, looking_for (rubric points, one per line or separated by |). **Anki**: File > Export > "
               "Notes in Plain Text (.txt). **YAML**: a bank file in mlprep's own format. UTF-8, with or "
               "without a BOM.")
    if uploaded is None:
        return
    track_key = _track_key(key, uploaded.name)
    try:
        plan = _plan(ctx.store.directory, uploaded, all_banks(ctx), st.session_state.get(track_key) or "")
    except (importers.ImportFailed, userbank.BankEditError) as exc:
        st.error(inert_markdown(f"**{importers.source_name(uploaded.name)} cannot be imported.** {exc}"),
                 icon=":material/error:")
        return
    tracks = list(dict.fromkeys([plan.track, *all_banks(ctx).tracks]))
    st.selectbox("Track", tracks, index=0, key=track_key, accept_new_options=True,
                 help="By default an imported file is a track of its own, so it never changes the readiness of "
                      "another track. Pick an existing track to join it, or type a new name.")
    render_preview(plan)
    n = len(plan.questions)
    st.button(f"Save {n} questions to my banks", key="bank.save_import", type="primary", disabled=not n,
              on_click=_on_save_import, args=(ctx.store.directory, key), icon=":material/save:")


def offer_study(ctx: Context) -> None:
    """After a save: a button that switches to the new track and opens Study."""
    track = st.session_state.get(STUDY_TRACK + ".offer")
    if track and track != ctx.track and track in ctx.tracks:
        st.button(f"Study “{track}” now", key="bank.study_new_track", icon=":material/school:",
                  on_click=_on_study_track, args=(ctx, track))


def _on_study_track(ctx: Context, track: str) -> None:
    try:
        ctx.choose_track(track)
    except StoreError as exc:
        st.session_state[ERROR] = f"The track was not switched: {exc}"
        return
    st.session_state[STUDY_TRACK] = track
    st.session_state.pop(STUDY_TRACK + ".offer", None)


def study_switch_requested() -> bool:
    """Whether "Study them now" was pressed (the page then opens Study)."""
    return bool(st.session_state.pop(STUDY_TRACK, None))


def render_preview(plan: userbank.ImportPlan) -> None:
    """What the file would add: counts, categories, difficulties, problems and the first rows."""
    result = plan.result
    st.markdown(f"**Preview of {inert_markdown(result.name)}** (read as {FORMAT_LABELS.get(result.format, result.format)}): "
                f"{result.rows_read} rows read. Nothing is saved yet.")
    no_rubric = sum(1 for q in plan.questions if not q["looking_for"])
    cols = st.columns(4)
    cols[0].metric("Questions to save", len(plan.questions))
    cols[1].metric("Categories", len({q["category"] for q in plan.questions}))
    cols[2].metric("Rows left out", result.skipped_rows + plan.already_there,
                   help="Repeated, empty or invalid rows, and questions already in your banks.")
    cols[3].metric("No rubric yet", no_rubric, help="Studyable: the answer is shown on reveal; add points later.")
    frame = pd.DataFrame(plan.questions, columns=list(importers.QUESTION_FIELDS))
    left, right = st.columns([3, 2])
    left.dataframe(frame.groupby("category").size().sort_values(ascending=False).rename("questions").reset_index(),
                   hide_index=True, width="stretch")
    counts = frame["difficulty"].value_counts()
    right.dataframe(pd.DataFrame({"difficulty": bank_mod.DIFFICULTIES,
                                  "questions": [int(counts.get(d, 0)) for d in bank_mod.DIFFICULTIES]}),
                    hide_index=True, width="stretch")
    messages = result.messages + plan.messages
    skipped = [str(m) for m in messages if m.skipped]
    notes = [str(m) for m in messages if not m.skipped]
    if skipped:
        st.warning("**Left out:**\n" + "\n".join(f"- {inert_markdown(importers.one_line(m))}" for m in skipped),
                   icon=":material/warning:")
    if notes:
        st.info("**Notes:**\n" + "\n".join(f"- {inert_markdown(importers.one_line(m))}" for m in notes),
                icon=":material/info:")
    if plan.replaces:
        st.info(f"This replaces your earlier import of this file ({plan.replaces} questions; {plan.removed} no "
                f"longer in it). Rubric points you added are kept; reviews are never deleted.",
                icon=":material/sync:")
    st.markdown(f"First {min(PREVIEW_ROWS, len(frame))} questions:")
    first = frame.head(PREVIEW_ROWS)
    st.dataframe(pd.DataFrame({"id": first["id"], "category": first["category"], "difficulty": first["difficulty"],
                               "kind": first["kind"], "question": first["prompt"].map(importers.one_line),
                               "answer": first["answer"].map(lambda a: importers.one_line(a)[:120])}),
                 hide_index=True, width="stretch")
    st.caption(f"Saves to `{plan.file_name}` in your data folder, in the track “{inert_markdown(plan.track)}”.")


# --- add and edit -------------------------------------------------------------------------------------------------------

def _lines(value: Any) -> str:
    return "\n".join(str(v) for v in value) if isinstance(value, (list, tuple)) or hasattr(value, "tolist") else ""


def question_fields(prefix: str, current: dict[str, Any], categories: list[str]) -> None:
    """The form fields of one question; their values are read back with ``read_fields(prefix)``."""
    st.text_area("Question", value=current.get("prompt", ""), key=f"{prefix}.prompt", height=90)
    cols = st.columns([3, 1, 1])
    options = list(dict.fromkeys([*categories, current.get("category") or userbank.MY_CATEGORY]))
    chosen = current.get("category") or userbank.MY_CATEGORY
    cols[0].selectbox("Category", options, index=options.index(chosen), key=f"{prefix}.category",
                      accept_new_options=True, help="Pick one, or type a new category name.")
    difficulty = current.get("difficulty") or importers.DEFAULT_DIFFICULTY
    cols[1].selectbox("Difficulty", bank_mod.DIFFICULTIES, index=bank_mod.DIFFICULTIES.index(difficulty),
                      key=f"{prefix}.difficulty")
    kind = current.get("kind") or importers.DEFAULT_KIND
    cols[2].selectbox("Kind", bank_mod.KINDS, index=bank_mod.KINDS.index(kind), key=f"{prefix}.kind")
    st.text_area("What the interviewer is looking for (the rubric)", value=_lines(current.get("looking_for")),
                 key=f"{prefix}.looking_for", height=110,
                 help=f"One point per line: at least {bank_mod.MIN_RUBRIC_POINTS}, or none for now.")
    st.text_area("Answer (Markdown)", value=current.get("answer", ""), key=f"{prefix}.answer", height=110,
                 help="Shown on reveal; the whole answer when there is no rubric yet.")
    with st.expander("More: outline, follow-ups, pitfalls, tags, framework"):
        st.text_area("Outline of a strong answer", value=_lines(current.get("strong_answer")),
                     key=f"{prefix}.strong_answer", help=LIST_HELP)
        st.text_area("Follow-ups they may ask", value=_lines(current.get("follow_ups")), key=f"{prefix}.follow_ups",
                     help=LIST_HELP)
        st.text_area("Pitfalls", value=_lines(current.get("pitfalls")), key=f"{prefix}.pitfalls", help=LIST_HELP)
        st.text_input("Tags", value=", ".join(current.get("tags") if current.get("tags") is not None else []),
                      key=f"{prefix}.tags", help="Separated by commas.")
        st.text_input("Framework", value=current.get("framework", ""), key=f"{prefix}.framework")


def read_fields(prefix: str) -> dict[str, Any]:
    """The values of ``question_fields(prefix, ...)`` as a question dict (lists split one per line)."""
    get = st.session_state.get
    return {
        "prompt": get(f"{prefix}.prompt") or "", "category": get(f"{prefix}.category") or "",
        "difficulty": get(f"{prefix}.difficulty") or importers.DEFAULT_DIFFICULTY,
        "kind": get(f"{prefix}.kind") or importers.DEFAULT_KIND,
        "looking_for": importers.split_lines(get(f"{prefix}.looking_for") or ""),
        "answer": get(f"{prefix}.answer") or "",
        "strong_answer": importers.split_lines(get(f"{prefix}.strong_answer") or ""),
        "follow_ups": importers.split_lines(get(f"{prefix}.follow_ups") or ""),
        "pitfalls": importers.split_lines(get(f"{prefix}.pitfalls") or ""),
        "tags": importers.split_tags(get(f"{prefix}.tags") or ""),
        "framework": get(f"{prefix}.framework") or "",
    }


def _on_add(data_dir: Path, prefix: str) -> None:
    try:
        existing = userbank.load(data_dir, everything=True)
        qid = userbank.add_question(data_dir, read_fields(prefix), existing)
    except (userbank.BankEditError, OSError) as exc:
        st.session_state[ERROR] = f"Not added: {exc}"
        return
    st.session_state[NOTICE] = f"Added `{qid}` to {userbank.MY_QUESTIONS}."
    st.session_state[ADD_ROUND] = st.session_state.get(ADD_ROUND, 0) + 1


def render_add_form(ctx: Context) -> None:
    prefix = f"bank.add{st.session_state.setdefault(ADD_ROUND, 0)}"
    with st.form(f"{prefix}.form"):
        question_fields(prefix, {}, ctx.bank.categories)
        st.form_submit_button("Add question", type="primary", on_click=_on_add, args=(ctx.store.directory, prefix),
                              icon=":material/add:")
    st.caption(f"Saved to `{userbank.MY_QUESTIONS}` in your banks folder.")


def _on_edit(data_dir: Path, file: str, qid: str, prefix: str) -> None:
    try:
        userbank.update_question(data_dir, file, qid, read_fields(prefix))
    except (userbank.BankEditError, OSError) as exc:
        st.session_state[ERROR] = f"Not saved: {exc}"
        return
    st.session_state[NOTICE] = f"Saved `{qid}`. Its reviews are kept."


def _on_delete(data_dir: Path, file: str, qid: str) -> None:
    try:
        userbank.delete_question(data_dir, file, qid)
    except (userbank.BankEditError, OSError) as exc:
        st.session_state[ERROR] = f"Not deleted: {exc}"
        return
    st.session_state.pop("bank.edit_id", None)
    st.session_state[NOTICE] = f"Deleted `{qid}`. Its reviews stay in your history."


@st.cache_resource(show_spinner=False, max_entries=4)
def _edit_labels(_bank: bank_mod.Bank, data_dir: str, bank_key: str) -> dict[str, str]:
    """id -> label of each of the user's own questions, for one bank version; shared, never mutated."""
    mine = userbank.own_questions(Path(data_dir), _bank.questions)
    return {qid: f"{category} · {importers.one_line(prompt)[:90]}" for qid, category, prompt
            in zip(mine["id"].tolist(), mine["category"].tolist(), mine["prompt"].tolist())}


def render_edit(ctx: Context) -> None:
    data_dir = ctx.store.directory
    labels = _edit_labels(ctx.bank, str(data_dir), ctx.bank.key)
    if not labels:
        st.caption("None yet: import a file or add a question. (The shipped bank cannot be edited; questions in "
                   "banks switched off are not listed.)")
        return
    choices = list(labels)
    if len(labels) > EDIT_CHOICES:  # thousands of options would be sent to the browser on every run
        find = st.text_input("Find one of your questions", key="bank.edit_find",
                             placeholder="words in the question, its category or its id")
        needle = " ".join((find or "").casefold().split())
        matching = [qid for qid, label in labels.items() if needle in f"{qid} {label}".casefold()] if needle \
            else choices
        if not matching:
            st.caption("None of your questions has these words.")
            return
        choices = matching[:EDIT_CHOICES]
        st.caption(f"{len(matching):,} of your {len(labels):,} questions match"
                   + (f"; the first {EDIT_CHOICES} are listed: add words to narrow them." if len(matching) > EDIT_CHOICES
                      else "."))
    if st.session_state.get("bank.edit_id") not in choices:
        st.session_state["bank.edit_id"] = choices[0]
    qid = st.selectbox(f"One of your {len(labels)} questions", choices, format_func=labels.get,
                       key="bank.edit_id")
    question = ctx.bank.question(qid)
    prefix = f"bank.edit.{qid}"
    with st.form(f"{prefix}.form"):
        question_fields(prefix, question, ctx.bank.categories)
        st.form_submit_button("Save changes", type="primary", on_click=_on_edit,
                              args=(data_dir, question["file"], qid, prefix), icon=":material/save:")
    st.caption(f"`{qid}` in {Path(question['file']).name}. Editing keeps the id, so its reviews are kept.")
    confirm = st.checkbox("Yes, delete this question (its reviews stay in your history)", key=f"bank.delete_ok.{qid}")
    st.button("Delete question", key=f"bank.delete.{qid}", disabled=not confirm, on_click=_on_delete,
              args=(data_dir, question["file"], qid), icon=":material/delete:")


# --- export ------------------------------------------------------------------------------------------------------------

def _export_bytes(questions: pd.DataFrame, fmt: str, category: str | None) -> bytes:
    text = exporters.export_questions(questions, fmt, category)
    # A BOM lets Excel open the CSV as UTF-8; mlprep's importer and other tools skip it.
    return text.encode("utf-8-sig" if fmt == "csv" else "utf-8")


def render_export(bank: bank_mod.Bank) -> None:
    cols = st.columns([2, 3])
    fmt = cols[0].radio("Format", exporters.EXPORT_FORMATS, format_func=EXPORT_LABELS.get, key="bank.export_format")
    category = cols[1].selectbox("Questions", [None, *bank.categories], key="bank.export_category",
                                 format_func=lambda c: "All categories" if c is None else c)
    count = len(exporters.select_category(bank.questions, category))
    st.download_button(f"Download {count} questions", data=partial(_export_bytes, bank.questions, fmt, category),
                       file_name=exporters.export_file_name(fmt, category), key="bank.export",
                       mime="text/csv" if fmt == "csv" else "text/plain", on_click="ignore",
                       icon=":material/download:", disabled=not count)
    st.caption("The same as `python -m mlprep export-bank --format csv|anki [--category C]`. Only banks that are "
               "switched on are exported.")


# --- the Study card ----------------------------------------------------------------------------------------------------

def _on_add_rubric(data_dir: Path, file: str, qid: str, key: str) -> None:
    points = importers.split_lines(st.session_state.get(key) or "")
    try:
        if not points:
            raise userbank.BankEditError("write the points first, one per line")
        userbank.update_question(data_dir, file, qid, {"looking_for": points})
    except (userbank.BankEditError, OSError) as exc:
        messages.leave("study", error=f"Rubric not saved: {exc}")
        return
    messages.leave("study", notice=f"Rubric saved ({len(points)} points): tick what you covered, then rate.")


def render_add_rubric(ctx: Context, question: dict[str, Any], rid: str) -> None:
    """Inside the Study card's rating form, for a question without a rubric: a "no rubric yet" marker and, when
    the question is one of the user's own, a box to add rubric points (saved with their own submit button)."""
    st.badge("no rubric yet", icon=":material/rule:", color="orange")
    file = userbank.own_path(ctx.store.directory, question["file"])
    if file is None:
        return
    with st.expander("Add rubric points"):
        key = f"bank.rubric_{rid}"
        st.text_area(f"What the interviewer is looking for: one point per line, at least "
                     f"{bank_mod.MIN_RUBRIC_POINTS}", key=key, height=110)
        st.form_submit_button("Save rubric points", key=f"bank.rubric_save_{rid}", on_click=_on_add_rubric,
                              args=(ctx.store.directory, str(file), question["id"], key), icon=":material/save:")
