"""The outside question corpora (``../shared/corpora`` beside the checkout), for import tests at scale.

They are never copied into the repository. Where they are absent (a clone on its own), a test that needs one
skips with a message saying so; the formats they exercise are also covered by small fixtures the tests write.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import ROOT

CORPORA = ROOT.parent / "shared" / "corpora"


def corpus(name: str) -> Path:
    """The path of one corpus file, or skip the calling test with a clear reason."""
    path = CORPORA / name
    if not path.is_file():
        pytest.skip(f"outside corpus {name} not found: ../shared/corpora is not beside this checkout "
                    "(CI has it; the formats it covers are also tested with small fixtures)")
    return path
