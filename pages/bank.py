"""Bank: browse every question, switch bank files on or off, import a file, add, edit, export."""

import streamlit as st

from components import bank_editor, pages
from components.layout import page_setup

ctx = page_setup("Bank")
st.title("Bank")
st.write("Every question mlprep knows: the shipped bank and your own. Bring your own lists (a spreadsheet, an "
         "Anki deck, a colleague's notes) and study them beside ours.")
bank_editor.render_messages()
bank_editor.offer_study(ctx)
if bank_editor.study_switch_requested():
    st.switch_page(pages.STUDY.path)

# Only the open tab runs and is drawn: all six at once (every bank file's switch, the forms) took the browser
# about a second to draw at 5,000 questions.
browse, files, upload, add, edit, export = st.tabs(list(bank_editor.TABS), key=bank_editor.TAB, on_change="rerun")

if browse.open:
    with browse:
        bank_editor.render_question_table(ctx.bank)

if files.open:
    with files:
        st.write("Each file can be switched off: its questions leave Study, the Dashboard and exports until you "
                 "switch it on again. Nothing is deleted, and your reviews are kept.")
        bank_editor.render_bank_files(ctx)

if upload.open:
    with upload:
        st.write("Upload a file to see what it would add. Nothing is saved until you press Save; the file becomes "
                 "one bank of yours, named after it (importing it again replaces it), and by default a track of "
                 "its own.")
        bank_editor.render_import(ctx)

if add.open:
    with add:
        st.write("Write a question of your own. A rubric is optional: without one, the answer is shown on reveal.")
        bank_editor.render_add_form(ctx)

if edit.open:
    with edit:
        st.write("Change or delete one of your own questions (imported or added here).")
        bank_editor.render_edit(ctx)

if export.open:
    with export:
        st.write("Download the questions that are switched on, for a spreadsheet or for Anki.")
        bank_editor.render_export(ctx.bank)
