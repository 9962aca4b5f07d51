"""Reading question lists written elsewhere: our YAML, CSV with a header row, Anki's "Notes in Plain Text".

One module per format (``csv_format``, ``anki``, ``yaml_format``), with ``decoding`` (bytes to text, which
format), ``html_markdown`` (Anki HTML to Markdown) and ``common`` (the rules every format shares). This
package's names are the public interface.

``read_questions(name, data)`` turns a file's bytes into questions in the bank's schema (plain dicts:
id, category, prompt, difficulty, kind, tags, looking_for, ...) and messages for the user. It never
writes anything: saving is ``mlprep.userbank``'s job. A file that cannot be imported at all raises
``ImportFailed`` with one sentence saying what is wrong and what to do.

Rules, kept simple and shown in the app:
- ids: ``<slug of the prompt's first words>-<6 hex of sha256(prompt)>`` (a CSV ``id`` column is kept);
- two rows asking the same question (ignoring case and spacing) keep the first;
- difficulty: easy/medium/hard, e/m/h, beginner/intermediate/advanced, 1/2/3 ...; missing -> medium;
- kind: a valid ``kind`` column, else ``behavioral`` when the category contains "behavio" or the prompt
  starts like "Tell me about a time" / "Describe a time", else ``explain``;
- a cell our CSV export protected with a leading apostrophe ('=...) gets the apostrophe removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mlprep.bank import paused_gc
from mlprep.importers.anki import parse_anki
from mlprep.importers.common import (
    BULLET,
    DEFAULT_DIFFICULTY,
    DEFAULT_KIND,
    DIFFICULTY_TAG,
    GOOD_REPLY_LINE,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MB,
    MLPREP_TAG,
    UPLOAD_TYPES,
    ImportFailed,
    ImportMessage,
    ImportResult,
    category_from_name,
    credits_for,
    guess_kind,
    make_id,
    normalise_difficulty,
    one_line,
    prompt_key,
    source_name,
    split_follow_ups,
    split_lines,
    split_tags,
)
from mlprep.importers.csv_format import parse_csv
from mlprep.importers.decoding import decode, detect_format
from mlprep.importers.html_markdown import html_to_markdown
from mlprep.importers.yaml_format import parse_yaml
from mlprep.question import LIST_FIELDS, QUESTION_FIELDS
from mlprep.yamlsafety import read_limited

__all__ = [
    "BULLET",
    "DEFAULT_DIFFICULTY",
    "DEFAULT_KIND",
    "DIFFICULTY_TAG",
    "GOOD_REPLY_LINE",
    "ImportFailed",
    "ImportMessage",
    "ImportResult",
    "LIST_FIELDS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_MB",
    "MLPREP_TAG",
    "QUESTION_FIELDS",
    "UPLOAD_TYPES",
    "category_from_name",
    "credits_for",
    "decode",
    "detect_format",
    "guess_kind",
    "html_to_markdown",
    "make_id",
    "normalise_difficulty",
    "one_line",
    "parse_anki",
    "parse_csv",
    "parse_yaml",
    "prompt_key",
    "read_path",
    "read_questions",
    "source_name",
    "split_follow_ups",
    "split_lines",
    "split_tags",
]


# --- the entry point ------------------------------------------------------------------------------------------------

def read_questions(name: str, data: bytes, known_categories: Iterable[str] = ()) -> ImportResult:
    """Parse one file (YAML, CSV/TSV or Anki plain text) into questions; nothing is written.

    ``known_categories`` (the bank's category names) lets an Anki export's ``mlprep::<slug>`` tag find its
    category's exact name again.
    """
    name = source_name(name)
    text = decode(data, name)
    fmt = detect_format(name, text)
    with paused_gc():  # tens of thousands of new rows, none of them garbage yet
        if fmt == "yaml":
            return parse_yaml(name, text)
        if fmt == "anki":
            return parse_anki(name, text, known_categories)
        return parse_csv(name, text, fmt)


def read_path(path: Path, known_categories: Iterable[str] = ()) -> ImportResult:
    """``read_questions`` for a file on disk, refusing oversized files before reading them."""
    try:
        if path.is_dir():
            raise IsADirectoryError(path)
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFailed(f"{path.name} is {size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB. "
                               "Split it into smaller files and import them one by one.")
        data = read_limited(path, MAX_IMPORT_BYTES)  # a device or pipe has no size: refused, never read
    except ImportFailed:
        raise
    except ValueError as exc:
        raise ImportFailed(f"{path} is {exc}: import a CSV, Anki text or YAML file of at most {MAX_IMPORT_MB} MB "
                           "(split a larger one).") from None
    except IsADirectoryError as exc:
        raise ImportFailed(f"{path} is a folder; give one file to import.") from exc
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path} does not exist; check the path.") from exc
    except OSError as exc:
        raise ImportFailed(f"cannot read {path} ({exc.strerror}); check its permissions.") from exc
    return read_questions(path.name, data, known_categories)
