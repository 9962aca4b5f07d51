"""Settings' backup section: download your progress, restore it from a file."""

from __future__ import annotations

import streamlit as st

from components.context import Context
from mlprep.db import StoreError, backup

RESULT = "backup.result"


def _restore(ctx: Context) -> None:
    upload = st.session_state.get("backup_upload")
    if upload is None:
        st.session_state[RESULT] = ("warning", "Choose a backup file first.")
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
        result = backup.import_backup(ctx.store, text, ctx.scheduler)
    except UnicodeDecodeError:
        st.session_state[RESULT] = ("error", f"{upload.name} is not a text backup. Choose a .json or .csv file "
                                             "made by mlprep's backup.")
    except (backup.BackupError, StoreError) as exc:
        st.session_state[RESULT] = ("error", f"Nothing was imported from {upload.name}: {exc}")
    else:
        st.session_state[RESULT] = ("success", f"Restored from {upload.name}: {result.summary()}.")


def render_backup(ctx: Context) -> None:
    st.subheader("Back up and restore")
    st.write("A backup holds your whole review log, stories and settings. Restoring adds what is missing "
             "and never duplicates: restoring the same file twice adds nothing.")
    cols = st.columns(2)
    cols[0].download_button("Download backup (JSON, everything)", lambda: backup.export(ctx.store, "json"),
                            "mlprep-progress.json", "application/json", key="backup_json", on_click="ignore",
                            icon=":material/download:", width="stretch")
    cols[1].download_button("Download review log (CSV)", lambda: backup.export(ctx.store, "csv"),
                            "mlprep-reviews.csv", "text/csv", key="backup_csv", on_click="ignore",
                            icon=":material/download:", width="stretch")
    st.file_uploader("Restore from a backup file", type=["json", "csv"], key="backup_upload")
    st.button("Restore", key="backup_restore", on_click=_restore, args=(ctx,), icon=":material/upload:")
    if result := st.session_state.pop(RESULT, None):
        getattr(st, result[0])(result[1])
