"""The Study page's filters, also driven by the URL (``/study?category=slug``)."""

from __future__ import annotations

import streamlit as st

from mlprep.bank import DIFFICULTIES, Bank
from mlprep.study import DEFAULT_ORDER, ORDERS, Filters

CATEGORIES = "filter.categories"
DIFFICULTY = "filter.difficulties"
TEXT = "filter.text"
ORDER = "filter.order"
APPLIED_URL = "filter.applied_url"


def _slugs(bank: Bank, track: str) -> dict[str, str]:
    return bank.category_names(track)


def _sync_url() -> None:
    slugs = st.session_state.get(CATEGORIES) or []
    if slugs:
        st.query_params["category"] = ",".join(slugs)
    else:
        st.query_params.pop("category", None)
    st.session_state[APPLIED_URL] = st.query_params.get("category", "")


def linked_track(bank: Bank, track: str) -> str | None:
    """The other track a Study link's categories (``?category=a,b``) belong to, when none is in ``track``."""
    wanted = [s for s in st.query_params.get("category", "").split(",") if s]
    if not wanted or wanted == (st.session_state.get(APPLIED_URL) or "").split(",") or set(wanted) & set(_slugs(bank, track)):
        return None
    owners = set(bank.questions.loc[bank.questions["category_slug"].isin(wanted), "track"])
    return owners.pop() if len(owners) == 1 else None


def render_filters(bank: Bank, track: str = "") -> tuple[Filters, str]:
    """Draw the filter row (the categories of ``track``); returns the filters and the queue order."""
    names = _slugs(bank, track)
    wanted = st.query_params.get("category", "")
    if wanted != st.session_state.get(APPLIED_URL):  # a link into Study: the URL wins once
        st.session_state[CATEGORIES] = [s for s in wanted.split(",") if s in names]
        st.session_state[APPLIED_URL] = wanted
    st.session_state.setdefault(ORDER, DEFAULT_ORDER)
    cols = st.columns([3, 2, 2, 2])
    cols[0].multiselect("Categories", list(names), format_func=names.get, key=CATEGORIES,
                        placeholder="All categories", on_change=_sync_url)
    cols[1].multiselect("Difficulty", DIFFICULTIES, key=DIFFICULTY, placeholder="Any difficulty")
    cols[2].text_input("Search", key=TEXT, placeholder="word, tag or id")
    cols[3].selectbox("Order", list(ORDERS), format_func=ORDERS.get, key=ORDER)
    chosen = [c for c in st.session_state[CATEGORIES] if c in names]  # a track switch drops the others
    filters = Filters(tuple(chosen), tuple(st.session_state.get(DIFFICULTY) or ()),
                      st.session_state.get(TEXT) or "", track)
    return filters, st.session_state[ORDER]
