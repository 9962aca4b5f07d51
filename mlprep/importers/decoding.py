"""Bytes to text (UTF-8 with or without BOM, UTF-16 from Excel, a clear refusal of binary files) and the
format a file is in."""

from __future__ import annotations

import re
from pathlib import Path

from mlprep.importers.common import (
    _ANKI_HEADER,
    _COLUMN,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MB,
    ImportFailed,
    header_name,
)

# --- decoding -------------------------------------------------------------------------------------------------

def decode(data: bytes, name: str = "the file") -> str:
    """The file's text with LF line ends; raises ImportFailed for empty, oversized, binary or non-UTF-8 files."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(f"{name} is {len(data) / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB. "
                           "Split it into smaller files and import them one by one.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFailed(f"{name} is a ZIP archive (an Anki .apkg or an Excel .xlsx?), not text. In Anki use "
                           "File > Export > Notes in Plain Text; in a spreadsheet, save as CSV UTF-8.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailed(f"{name} is not valid UTF-16 text; save it as CSV UTF-8.") from exc
    else:
        control = sum(1 for b in data[:4096] if b < 32 and b not in (9, 10, 12, 13))
        if b"\x00" in data[:4096] or control > len(data[:4096]) // 10:
            raise ImportFailed(f"{name} looks like a binary file, not text. Import a CSV, an Anki "
                               "'Notes in Plain Text' export (.txt) or a YAML bank.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportFailed(f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line}). Save it "
                               "as 'CSV UTF-8' (Excel) or with UTF-8 encoding, then import it again.") from exc
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name} is empty: there is nothing to import.")
    return text


def detect_format(name: str, text: str) -> str:
    """``yaml``, ``csv``, ``tsv`` or ``anki`` from the file's extension, else from its first line."""
    suffix = Path(name).suffix.lower()
    first = next((line for line in text.split("\n") if line.strip()), "")
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    if suffix == ".tsv":
        return "tsv"
    if _ANKI_HEADER.match(first) or first.startswith("tags:"):
        return "anki"
    if suffix == ".txt":
        cells = [header_name(c) for c in first.split("\t")]
        return "tsv" if "prompt" in {_COLUMN.get(c) for c in cells} else "anki"
    if re.match(r"^(---|category\s*:|questions\s*:|description\s*:)", first):
        return "yaml"
    return "csv"
