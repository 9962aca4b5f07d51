"""Every page of the app, defined once: where it lives, its name in the sidebar, its icon.

The app uses Streamlit's classic ``pages/`` folder (each page calls ``layout.page_setup``, which draws the
shared sidebar from this list); every link and page switch names a page through these constants.
"""

from __future__ import annotations

from typing import NamedTuple


class Page(NamedTuple):
    path: str  # relative to the app's folder, as st.page_link and st.switch_page take it
    label: str
    icon: str


HOME = Page("app.py", "Home", ":material/home:")
STUDY = Page("pages/study.py", "Study", ":material/school:")
MOCK = Page("pages/mock.py", "Mock interview", ":material/timer:")
STORIES = Page("pages/stories.py", "Story bank", ":material/auto_stories:")
DASHBOARD = Page("pages/dashboard.py", "Dashboard", ":material/monitoring:")
BANK = Page("pages/bank.py", "Bank", ":material/library_books:")
SETTINGS = Page("pages/settings.py", "Settings", ":material/settings:")

ALL = (HOME, STUDY, MOCK, STORIES, DASHBOARD, BANK, SETTINGS)
