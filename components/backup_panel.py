"""Settings' backup section: download your progress (with your banks, and recordings on request), restore it."""

from __future__ import annotations

import streamlit as st

from components.context import Context
from mlprep import backups
from mlprep.db import StoreError, backup

RESULT = "backup.result"


def _restore(ctx: Context) -> None:
    upload = st.session_state.get("backup_upload")
    if upload is None:
        st.session_state[RESULT] = ("warning", "Choose a backup file first.")
        return
    try:
        result = backups.restore(ctx.store, ctx.store.directory, upload.getvalue(), ctx.scheduler)
    except (backup.BackupError, backups.RestoreError, StoreError) as exc:
        st.session_state[RESULT] = ("error", f"Nothing was imported from {upload.name}: {exc}")
    except OSError as exc:
        st.session_state[RESULT] = ("error", f"The progress was restored but not every file could be written "
                                             f"({exc.strerror}); free some space and restore {upload.name} again.")
    else:
        st.session_state[RESULT] = ("success", f"Restored from {upload.name}: {result.summary()}.")


def render_backup(ctx: Context) -> None:
    st.subheader("Back up and restore")
    st.write("**JSON** holds everything but recordings: your review log, stories, mock rounds, settings and your "
             "own banks (imported and added questions, rubric points you added, their tracks). **ZIP** is the "
             "same plus your spoken answers. **CSV** is the review log only, for a spreadsheet. Restoring adds "
             "what is missing and never duplicates: restoring the same file twice adds nothing.")
    data_dir = ctx.store.directory
    cols = st.columns(3)
    cols[0].download_button("Backup (JSON, everything but recordings)",
                            lambda: backups.export(ctx.store, data_dir, "json"), "mlprep-progress.json",
                            "application/json", key="backup_json", on_click="ignore", icon=":material/download:",
                            width="stretch")
    cols[1].download_button("Backup with recordings (ZIP)", lambda: backups.export(ctx.store, data_dir, "zip"),
                            "mlprep-backup.zip", "application/zip", key="backup_zip", on_click="ignore",
                            icon=":material/download:", width="stretch")
    cols[2].download_button("Review log (CSV)", lambda: backups.export(ctx.store, data_dir, "csv"),
                            "mlprep-reviews.csv", "text/csv", key="backup_csv", on_click="ignore",
                            icon=":material/download:", width="stretch")
    st.file_uploader("Restore from a backup file", type=["json", "csv", "zip"], key="backup_upload")
    st.button("Restore", key="backup_restore", on_click=_restore, args=(ctx,), icon=":material/upload:")
    if result := st.session_state.pop(RESULT, None):
        getattr(st, result[0])(result[1])
