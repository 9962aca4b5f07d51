"""Where a command's text goes: a file named by --output (with a line on stderr) or stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from mlprep.errors import CliError


def emit(text: str, output: str | None, summary: str) -> None:
    """Write ``text`` to ``output`` (saying ``summary`` on stderr), or to stdout when there is no output file."""
    if not output:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise CliError(f"cannot write {output}: {exc.strerror}") from exc
    print(f"{summary} to {output}", file=sys.stderr)
