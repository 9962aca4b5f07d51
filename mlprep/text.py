"""Making question and user text safe to show as Markdown."""

from __future__ import annotations

import html
import re

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")
_HTML_IMG_OR_TAG = re.compile(r"[<>]")


def inert_markdown(text: str) -> str:
    """Markdown that renders the text but cannot run or fetch anything.

    Raw HTML is escaped (shown as text) and Markdown images become a plain note,
    so a question cannot load a remote picture or run a script.
    """
    text = _IMAGE.sub(lambda m: f"*(image not shown: {m.group(1) or 'no description'})*", text)
    text = text.replace("![", "!\\[")  # reference-style and unclosed images: never an image
    return _HTML_IMG_OR_TAG.sub(lambda m: html.escape(m.group(0)), text)
