"""Command-line commands for bringing questions in and out: ``import`` and ``export-bank``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def register(sub: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None],
             bank_paths: Callable[[argparse.Namespace], list[Path]]) -> None:
    """Add this module's subcommands to the ``python -m mlprep`` parser."""
