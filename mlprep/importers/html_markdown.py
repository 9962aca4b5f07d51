"""Anki's HTML fields to Markdown; no tag survives."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from mlprep.importers.common import (
    _CLOZE,
    _SOUND,
)


class _MarkdownWriter(HTMLParser):
    """HTML (as Anki stores fields) to Markdown-ish text: line breaks, paragraphs, bold, italics, lists, code.

    Every other tag is dropped (script and style with their content); entities become characters.
    """

    _BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
    _INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
    _SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []  # one entry per open list: [number] for <ol>, [] for <ul>
        self.inline: list[tuple[str, int]] = []  # (marker, where its text starts)
        self.skip = 0
        self.pre = 0

    def text(self) -> str:
        return "".join(self.out)

    def _newline(self, blank: bool = False) -> None:
        text = self.text().rstrip(" ")
        self.out = [text]
        if not text:
            return
        wanted = "\n\n" if blank and not self.lists else "\n"
        if not text.endswith(wanted):
            self.out.append("\n" if text.endswith("\n") else wanted)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "br":
            self.out = [self.text().rstrip(" "), "\n"]
        elif tag == "pre":
            self._newline(blank=True)
            self.out.append("```\n")
            self.pre += 1
        elif tag in ("ul", "ol"):
            self._newline(blank=not self.lists)
            self.lists.append([0] if tag == "ol" else [])
        elif tag == "li":
            self._newline()
            indent = "  " * max(0, len(self.lists) - 1)
            current = self.lists[-1] if self.lists else []
            if current:
                current[0] += 1
                self.out.append(f"{indent}{current[0]}. ")
            else:
                self.out.append(f"{indent}- ")
        elif tag in self._BLOCKS or tag in ("tr", "hr"):
            self._newline(blank=tag not in ("tr",))
            if tag == "hr":
                self.out.append("---\n\n")
        elif tag in self._INLINE and not self.pre:
            self.inline.append((self._INLINE[tag], len(self.text())))
        elif tag in ("td", "th") and not self.text().endswith(("\n", " ")):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "pre" and self.pre:
            self.pre -= 1
            self.out = [self.text().rstrip("\n"), "\n```\n\n"]
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._newline(blank=not self.lists)
        elif tag in self._BLOCKS or tag in ("li", "tr"):
            self._newline(blank=tag in self._BLOCKS)
        elif tag in self._INLINE and self.inline and not self.pre:
            marker, start = self.inline.pop()
            text = self.text()
            inner = text[start:]
            if inner.strip():
                lead = "" if text[:start].endswith((" ", "\n")) or not text[:start] else \
                    inner[: len(inner) - len(inner.lstrip())]
                trail = inner[len(inner.rstrip()):]
                self.out = [text[:start], lead, marker, inner.strip(), marker, trail]
            else:
                self.out = [text]

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.replace("\u00a0", " ")
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
            if self.text().endswith(("\n", " ")) or not self.text():
                data = data.lstrip(" ")
        self.out.append(data)


def html_to_markdown(html_text: str) -> str:
    """Anki field HTML as Markdown text; no raw HTML is kept."""
    html_text = _SOUND.sub("", _CLOZE.sub(r"\1", html_text))
    writer = _MarkdownWriter()
    writer.feed(html_text)
    writer.close()
    lines = [line.rstrip() for line in writer.text().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
