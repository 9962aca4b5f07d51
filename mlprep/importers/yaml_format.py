"""Our own YAML format, read by the bank loader itself, so an import keeps exactly what the loader keeps."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml

from mlprep import bank as bank_mod
from mlprep.importers.common import (
    ImportFailed,
    ImportResult,
    _finish,
    _Messages,
    raise_nothing,
)
from mlprep.question import LIST_FIELDS, QUESTION_FIELDS

# --- YAML (our own format) ----------------------------------------------------------------------------------------

def parse_yaml(name: str, text: str) -> ImportResult:
    """A bank file in our schema, checked by the bank loader itself."""
    safe_name = bank_mod.slugify(Path(name).stem) or "imported"
    with tempfile.TemporaryDirectory(prefix="mlprep-import-") as tmp:
        path = Path(tmp) / f"{safe_name}.yaml"
        path.write_text(text, encoding="utf-8")
        rows, info = bank_mod.load_file(path)
    notes = _Messages("line")
    for problem in info.problems:
        if problem.qid == "-" and not rows:
            raise ImportFailed(f"{name}: line {problem.line}: {problem.message}")
        notes.add(f"{problem.qid}: {problem.field}: {problem.message}" + ("; left out" if problem.skipped else ""),
                  problem.line, skipped=problem.skipped)
    if not rows:
        if not info.problems:
            raise ImportFailed(f"{name} has no questions: its 'questions' list is empty.")
        raise_nothing(name, notes)
    try:
        raw = yaml.load(text, Loader=bank_mod.YamlLoader)  # noqa: S506 - the safe loader, as the bank uses
    except yaml.YAMLError:
        raw = {}
    with_source = {str(q.get("id")) for q in (raw or {}).get("questions") or [] if isinstance(q, dict) and
                   q.get("source")}
    candidates = []
    for row in rows:
        question = {key: row[key] for key in QUESTION_FIELDS}
        for key in LIST_FIELDS:
            question[key] = list(question[key])
        question["follow_ups"] = bank_mod.follow_ups_for_yaml(question["follow_ups"], row["follow_up_replies"])
        if question["level"] == "any":
            question["level"] = ""  # the default: not written out
        if row["id"] not in with_source:
            question["source"] = f"imported:{name}"
        candidates.append((int(row["line"]), question))
    return _finish(name, "yaml", candidates, notes, len(rows) + sum(1 for p in info.problems if p.skipped))
