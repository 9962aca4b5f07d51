"""The one way pages show what happened: an error or a notice a callback left for the next rerun, and a
write that reports a one-line error instead of raising.

Callbacks run before the script, so they leave their message in session state under ``keys(area)``;
the page shows it once with ``show(area)``.
"""

from __future__ import annotations

import errno
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


def disk_message(exc: OSError, what: str) -> str:
    """One line for a failed file write, naming a full disk or a read-only folder as such."""
    if exc.errno == errno.ENOSPC:
        return f"{what} was not saved: the disk is full. Free some space and try again; nothing else was lost."
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"{what} was not saved: the folder is read-only. Fix its permissions and try again."
    return f"{what} was not saved ({exc.strerror or exc}). Try again; nothing else was lost."


def guarded(area: str, what: str, write: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run a write from a callback; a refusal (busy, read-only, full disk) becomes the area's one-line error."""
    try:
        write(*args, **kwargs)
    except StoreError as exc:
        leave(area, error=f"{what} was not saved: {exc}")
        return False
    except OSError as exc:
        leave(area, error=disk_message(exc, what))
        return False
    return True


def write_or_report(write: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Run a write; if the store refuses (busy, read-only, full disk), show its one-line message instead.

    Returns whether the write went through. Nothing typed on the page is lost: the caller keeps its widgets.
    """
    try:
        write(*args, **kwargs)
    except StoreError as exc:
        st.error(inert_markdown(str(exc)), icon=":material/error:")
        return False
    except OSError as exc:
        st.error(disk_message(exc, "This change"), icon=":material/error:")
        return False
    return True
