"""No file crashes mlprep: deep nesting, alias bombs, endless or oversized input each get a one-line message,
and the rest of the bank still loads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SMALL_BANK, write

from mlprep.bank import load_bank
from mlprep.cli import main
from mlprep.db import Store
from mlprep.db.backup import BackupError, parse

DEEP = "category: Deep\nquestions: " + "[" * 30_000 + "]" * 30_000 + "\n"


def laughs() -> str:
    """A few hundred bytes whose aliases expand to 9**9 values, used as a question id."""
    text = 'category: Laughs\nquestions:\n  - id: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        text += f"  - id: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


@pytest.mark.parametrize(("content", "message"), [
    (DEEP, "nested more than 64 levels deep"),
    (laughs(), "expands to more than 2,000,000 values"),
])
def test_validate_refuses_a_hostile_file_in_one_line_instead_of_crashing(tmp_path: Path, content: str,
                                                                       message: str) -> None:
    bad = write(tmp_path / "bad.yaml", content)
    result = subprocess.run([sys.executable, "-m", "mlprep", "validate", str(bad)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result  # not 139 (a segfault) or a MemoryError
    assert message in result.stdout and "Traceback" not in result.stderr


def test_a_hostile_file_in_the_bank_leaves_the_rest_loaded(tmp_path: Path) -> None:
    write(tmp_path / "bank" / "good.yaml", SMALL_BANK)
    write(tmp_path / "bank" / "deep.yaml", DEEP)
    write(tmp_path / "bank" / "laughs.yaml", laughs())
    bank = load_bank([tmp_path / "bank"])
    assert len(bank.questions) == 3
    assert sorted(p.file.rsplit("/", 1)[-1] for p in bank.problems) == ["deep.yaml", "laughs.yaml"]


def test_importing_endless_or_oversized_input_is_refused_with_a_message(data_dir: Path, capsys) -> None:
    assert main(["import", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err
    assert main(["progress", "import", "/dev/zero"]) == 2
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "not an mlprep progress backup"),
    ('{"format": "mlprep-progress", "version": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested far deeper"),
    ('{"format": "mlprep-progress", "version": "abc"}', "not a backup format version"),
    ('{"format": "mlprep-progress", "version": 1, "reviews": [1, 2]}', "review 1: row"),
])
def test_a_malformed_backup_is_a_one_line_error(tmp_path: Path, scheduler, text: str, message: str) -> None:
    from mlprep.db.backup import import_backup

    store = Store(tmp_path / "data")
    with pytest.raises(BackupError, match=message):
        import_backup(store, text, scheduler) if "reviews" in text else parse(text)
    assert store.review_count() == 0


def test_the_shipped_bank_passes_the_limits_unchanged() -> None:
    from mlprep.paths import SHIPPED_BANK_DIR

    assert not load_bank([SHIPPED_BANK_DIR]).problems
    assert json.loads(json.dumps({"ok": 1}))  # the JSON module itself is untouched
