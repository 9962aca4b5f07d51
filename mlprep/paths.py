"""Where mlprep finds its question bank and keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "mlprep"
DATA_DIR_ENV = "MLPREP_DATA_DIR"
REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BANK_DIR = REPO_ROOT / "data" / "questions"
DB_FILENAME = "mlprep.sqlite3"
USER_BANKS_DIRNAME = "banks"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the override, else $MLPREP_DATA_DIR, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def db_path(directory: Path) -> Path:
    """The progress database inside a data directory."""
    return directory / DB_FILENAME


def user_banks_dir(directory: Path) -> Path:
    """Where the user's own (imported or written) bank files live."""
    return directory / USER_BANKS_DIRNAME


def cache_dir(directory: Path) -> Path:
    """Where parsed bank files are cached (safe to delete at any time)."""
    return directory / "cache"


def default_bank_paths(directory: Path) -> list[Path]:
    """The shipped bank plus the user's banks, in load order."""
    return [SHIPPED_BANK_DIR, user_banks_dir(directory)]
