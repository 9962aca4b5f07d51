"""The one way pages show what happened: an error or a notice a callback left for the next rerun, and a
write that reports a one-line error instead of raising.

Callbacks run before the script, so they leave their message in session state under ``keys(area)``;
the page shows it once with ``show(area)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from mlprep.db import StoreError
from mlprep.text import inert_markdown


def keys(area: str) -> tuple[str, str]:
    """The session-state keys of an area's pending error and notice."""
    return f"{area}.error", f"{area}.notice"


def leave(area: str, *, error: str | None = None, notice: str | None = None) -> None:
    """Leave a message for the area's next render (from a callback)."""
    error_key, notice_key = keys(area)
    if error:
        st.session_state[error_key] = error
    if notice:
        st.session_state[notice_key] = notice


def show(area: str, notice_as: str = "toast") -> None:
    """Show (once) the area's pending error and notice; a notice as a toast or as a success box."""
    error_key, notice_key = keys(area)
    if msg := st.session_state.pop(error_key, None):
        st.error(inert_markdown(msg), icon=":material/error:")
    if msg := st.session_state.pop(notice_key, None):
        if notice_as == "success":
            st.success(inert_markdown(msg), icon=":material/check_circle:")
        else:
            st.toast(inert_markdown(msg))


def write_or_report(write: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run a write; if the store refuses (busy, read-only, full disk), show its one-line message instead.

    Returns whether the write went through. Nothing typed on the page is lost: the caller keeps its widgets.
    """
    try:
        write(*args, **kwargs)
    except StoreError as exc:
        st.error(inert_markdown(str(exc)), icon=":material/error:")
        return False
    return True
