"""Limits that keep a hostile YAML file from crashing or exhausting the process before it is parsed.

PyYAML's C composer recurses once per nesting level (a file nested 30,000 levels deep kills the process),
and aliases let a few hundred bytes expand to billions of nodes. ``structure_problem`` checks a text
against bounded nesting, alias expansion and size; ordinary bank files (no anchors, shallow) pass a quick
scan, anything else is walked event by event with libyaml's parser, which does not recurse.
"""

from __future__ import annotations

import os
import re
import stat

import yaml

MAX_FILE_BYTES = 20 * 1024 * 1024  # a bank file of 5,000 questions is about 12 MB
MAX_DEPTH = 64  # a question is nested 4-5 levels deep
MAX_NODES = 2_000_000  # after expanding aliases; 5,000 questions make about 600,000

_ANCHOR_MARK = re.compile(r"[&*](?=[^\s,\[\]{}])")  # a "&name" or "*name" token, if preceded by a separator
_SEPARATORS = frozenset(" \t\n[{,:-")
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_SPACES = " " * (2 * MAX_DEPTH + 1)  # a line indented this far is nested too deep
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_limited(path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes, refusing more than ``limit`` without reading past it (so /dev/zero ends at once).

    Raises ValueError with a message naming the limit.
    """
    with open(path, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError("not a regular file (a device, pipe or socket)")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit // (1024 * 1024)} MB")
    return data


def _quick_depth(text: str) -> int:
    if text.count("[") + text.count("{") <= MAX_DEPTH // 2:
        return 0
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def structure_problem(text: str) -> str | None:
    """Why this YAML text must not be parsed (too deep, too many nodes once aliases expand), or None."""
    if len(text) > MAX_FILE_BYTES:
        return f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it into smaller files"
    # Plain substring searches first (much faster than a regex over 10 MB): no "&" or "*" means no anchor.
    may_alias = ("&" in text or "*" in text) and \
        any(m.start() == 0 or text[m.start() - 1] in _SEPARATORS for m in _ANCHOR_MARK.finditer(text))
    deep_indent = text.startswith(_DEEP_SPACES) or ("\n" + _DEEP_SPACES) in text  # a line that far in
    if not may_alias and not deep_indent and _quick_depth(text) <= MAX_DEPTH // 2:
        return None
    depth = 0
    nodes = 0
    anchors: dict[str, int] = {}
    starts: list[tuple[int, str | None]] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return f"nested more than {MAX_DEPTH} levels deep; a bank file needs about 5"
                starts.append((nodes, event.anchor))
                nodes += 1
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                start, anchor = starts.pop()
                if anchor:
                    anchors[anchor] = nodes - start
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor:
                    anchors[event.anchor] = 1
            elif isinstance(event, yaml.AliasEvent):
                nodes += anchors.get(event.anchor, 1)
            if nodes > MAX_NODES:
                return (f"expands to more than {MAX_NODES:,} values (anchors and aliases repeated inside each other); "
                        "write the questions out without aliases")
    except yaml.YAMLError:
        return None  # a plain syntax error: the parser itself reports it with its line
    return None
