"""The interview-day brief as two downloads (Markdown, and HTML to print), on Home and the Dashboard."""

from __future__ import annotations

import streamlit as st

from components.context import Context
from mlprep import brief
from mlprep.db import StoreError
from mlprep.workspace import Workspace


def _made(ctx: Context, fmt: str) -> str:
    """Built when the button is pressed, outside the page's run: from a plain Workspace (no Streamlit state)."""
    try:
        return brief.render(brief.build(Workspace.for_store(ctx.store, ctx.bank), track=ctx.track), fmt)
    except StoreError as exc:
        return f"The brief could not be made: {exc}. Press the button again in a moment.\n"


def render_brief_downloads(ctx: Context, where: str) -> None:
    """Two download buttons; the brief is built only when one is pressed."""
    st.caption("One document for the night before: your loop, your weakest areas with their strong-answer outlines and the points "
               "you usually miss, and your STAR stories by theme.")
    cols = st.columns(2)
    for col, (fmt, label, mime, name) in zip(cols, (
            ("md", "Interview-day brief (Markdown)", "text/markdown", "mlprep-brief.md"),
            ("html", "Interview-day brief (HTML, to print)", "text/html", "mlprep-brief.html"))):
        col.download_button(label, lambda fmt=fmt: _made(ctx, fmt), name, mime, key=f"{where}.brief_{fmt}",
                            on_click="ignore", icon=":material/description:", width="stretch")
