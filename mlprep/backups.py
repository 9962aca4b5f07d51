"""What a backup holds, and restoring one: the one place the app's Settings page and the command line go.

- **JSON** (``export_json``): the progress database (``mlprep.db.backup``: the review log, stories, mock
  rounds, snapshots, suspend/flag choices, settings) plus ``banks``: the user's own bank files (imported and
  added questions, rubric points added on a card, each file's track) and which banks are switched off.
  Restoring it into an empty data dir reproduces every figure on every page.
- **ZIP** (``export_zip``): the same JSON as ``mlprep-progress.json`` plus ``recordings/``, the spoken
  answers (which can be large, so they travel only on request).
- **CSV**: the review log only (``mlprep.db.backup.export_csv``).

A restore checks everything (rows, settings, bank files, recordings' names and sizes) before it writes
anything; the database part is one transaction. Restoring the same file twice adds nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fsrs import Scheduler

from mlprep import userbank
from mlprep.db import Store, backup
from mlprep.recordings import MAX_RECORDING_BYTES, RECORDINGS_DIRNAME
from mlprep.yamlsafety import read_limited

BANKS_KEY = "banks"
ZIP_PROGRESS = "mlprep-progress.json"
RECORDING_NAME = re.compile(r"^[A-Za-z0-9_-]{1,100}\.wav$")
MAX_ZIP_MEMBERS = 100_000


class RestoreError(ValueError):
    """The backup cannot be restored; nothing was changed. The message says why and what to do."""


@dataclass
class RestoreResult:
    progress: backup.ImportResult
    banks_written: int = 0
    banks_kept_aside: list[str] = field(default_factory=list)
    recordings_written: int = 0

    def summary(self) -> str:
        parts = [self.progress.summary()]
        if self.banks_written:
            parts.append(f"{self.banks_written} bank file(s) of yours")
        if self.banks_kept_aside:
            parts.append(f"your earlier {', '.join(self.banks_kept_aside)} kept beside them")
        if self.recordings_written:
            parts.append(f"{self.recordings_written} recording(s)")
        return "; ".join(parts)


def export_json(store: Store, data_dir: Path) -> str:
    """Everything but the recordings, as one JSON document."""
    return backup.export_json(store, {BANKS_KEY: userbank.export_files(data_dir)})


def export_zip(store: Store, data_dir: Path) -> bytes:
    """The JSON backup plus every recording, as a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ZIP_PROGRESS, export_json(store, data_dir))
        folder = Path(data_dir) / RECORDINGS_DIRNAME
        if folder.is_dir():
            for clip in sorted(folder.iterdir()):
                if clip.is_file() and RECORDING_NAME.match(clip.name):
                    archive.write(clip, f"{RECORDINGS_DIRNAME}/{clip.name}", compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def export(store: Store, data_dir: Path, fmt: str) -> str | bytes:
    """A backup in ``fmt``: json (everything but recordings), zip (with recordings) or csv (the review log)."""
    if fmt == "json":
        return export_json(store, data_dir)
    if fmt == "zip":
        return export_zip(store, data_dir)
    if fmt == "csv":
        return backup.export_csv(store)
    raise RestoreError(f"unknown backup format {fmt!r}; use json, zip or csv")


def _from_zip(payload: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """The progress JSON and the recordings of a zip backup, checked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise RestoreError("this zip file is damaged; download the backup again") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise RestoreError("this zip holds far more files than a backup; choose a zip mlprep made")
        names = {m.filename: m for m in members}
        if ZIP_PROGRESS not in names:
            raise RestoreError(f"this zip has no {ZIP_PROGRESS}; choose a backup zip made by mlprep")
        if names[ZIP_PROGRESS].file_size > backup.MAX_BACKUP_BYTES:
            raise RestoreError("the backup in this zip is larger than any mlprep writes")
        clips = []
        for member in members:
            folder, _, name = member.filename.partition("/")
            if member.filename == ZIP_PROGRESS or member.is_dir():
                continue
            if folder != RECORDINGS_DIRNAME or not RECORDING_NAME.match(name):
                raise RestoreError(f"unexpected file {member.filename[:60]!r} in the zip; choose a zip mlprep made")
            if member.file_size > MAX_RECORDING_BYTES:
                raise RestoreError(f"the recording {name} is larger than mlprep keeps")
            clips.append((name, member))
        try:
            text = archive.read(ZIP_PROGRESS).decode("utf-8-sig")
            return text, [(name, archive.read(member)) for name, member in clips]
        except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
            raise RestoreError(f"the zip cannot be read ({exc.__class__.__name__}); download the backup again") from None


def read_file(path: Path) -> bytes:
    """A backup file's bytes, refusing an oversized or endless file before reading it all."""
    try:
        return read_limited(path, backup.MAX_BACKUP_BYTES)
    except ValueError as exc:
        raise RestoreError(f"the file is {exc}; choose a backup made by `progress export`") from None


def restore(store: Store, data_dir: Path, payload: bytes, scheduler: Scheduler) -> RestoreResult:
    """Restore a JSON, CSV or zip backup (detected from its content); RestoreError or BackupError if it is
    refused, and then nothing was written."""
    clips: list[tuple[str, bytes]] = []
    if payload[:2] == b"PK":
        text, clips = _from_zip(payload)
    else:
        try:
            text = payload.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RestoreError("this is not a backup mlprep can read (neither text nor a zip); choose a .json, "
                               ".csv or .zip made by mlprep's backup") from None
    data = backup.parse(text)
    try:
        banks = userbank.check_files(data.get(BANKS_KEY))
    except userbank.BankEditError as exc:
        raise RestoreError(f"{exc}; nothing was imported") from None
    progress = backup.import_data(store, data, scheduler)
    result = RestoreResult(progress)
    result.banks_written, result.banks_kept_aside = userbank.restore_files(data_dir, banks)
    folder = Path(data_dir) / RECORDINGS_DIRNAME
    for name, clip in clips:
        target = folder / name
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            target.write_bytes(clip)
            result.recordings_written += 1
    return result
