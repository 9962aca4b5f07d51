"""Shared fixtures: every test gets its own data dir and, where it needs one, its own small bank."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SECOND_FILE, SMALL_BANK, write

from mlprep.db import Store
from mlprep.schedule import make_scheduler


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("MLPREP_DATA_DIR", str(directory))
    return directory


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "bank"
    write(directory / "product.yaml", SMALL_BANK)
    write(directory / "incidents.yaml", SECOND_FILE)
    return directory


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


@pytest.fixture
def scheduler():
    return make_scheduler()
