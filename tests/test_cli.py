"""python -m mlprep: validate, stats, weak-areas, progress rebuild; errors are one line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, write

from mlprep.cli import main


def run(*args: str, env_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mlprep", *args]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_validate_passes_on_the_shipped_bank() -> None:
    result = run("validate", "data/questions")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_validate_prints_file_line_id_field_message_and_fails(tmp_path: Path, capsys) -> None:
    write(tmp_path / "bad.yaml", "category: X\nquestions:\n  - id: q\n    prompt: P\n    difficulty: easy\n"
          "    kind: nope\n    looking_for: [a, b, c]\n")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.yaml'}:6: q: kind: unknown kind 'nope'" in out


def test_errors_are_one_line_and_exit_non_zero(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert result.stderr.startswith("mlprep: error: path not found")


def test_a_corrupt_database_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "mlprep.sqlite3").write_bytes(b"garbage" * 50)
    result = run("weak-areas", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is not a readable mlprep database" in result.stderr


def test_stats_json(bank_dir: Path, data_dir: Path, capsys) -> None:
    assert main(["stats", "--json", "--bank", str(bank_dir)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["questions"] == 4 and stats["difficulty"] == {"easy": 1, "hard": 2, "medium": 1}


def test_weak_areas_in_every_format(bank_dir: Path, data_dir: Path, tmp_path: Path, capsys) -> None:
    assert main(["weak-areas", "--bank", str(bank_dir), "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("# mlprep weak-area study plan")
    assert main(["weak-areas", "--bank", str(bank_dir), "--format", "json", "--top", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    out = tmp_path / "plan.csv"
    assert main(["weak-areas", "--bank", str(bank_dir), "--format", "csv", "--output", str(out)]) == 0
    assert out.read_text().startswith("area,kind,readiness")


def test_progress_rebuild(data_dir: Path, capsys) -> None:
    assert main(["progress", "rebuild"]) == 0
    assert "rebuilt 0 card(s)" in capsys.readouterr().out
