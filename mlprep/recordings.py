"""Spoken answers: WAV clips saved under the data dir (never sent anywhere), and their length."""

from __future__ import annotations

import io
import re
import wave
from pathlib import Path

RECORDINGS_DIRNAME = "recordings"
MAX_RECORDING_BYTES = 50 * 1024 * 1024
UPLOAD_LIMIT_BYTES = 32 * 1024 * 1024  # server.maxUploadSize: a longer clip never reaches the server
SAMPLE_RATE = 16_000  # st.audio_input records mono 16-bit WAV at this rate
BYTES_PER_SECOND = SAMPLE_RATE * 2
MAX_RECORDING_S = UPLOAD_LIMIT_BYTES // BYTES_PER_SECOND  # 1,048 s: every timer the app offers fits
RECORDING_NOTE = f"Recordings up to {MAX_RECORDING_S // 60} minutes are kept."
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RecordingError(ValueError):
    """The clip could not be used; the message says why."""


def wav_duration(data: bytes) -> float:
    """Length of a WAV clip in seconds."""
    try:
        with wave.open(io.BytesIO(data)) as clip:
            rate = clip.getframerate()
            return clip.getnframes() / rate if rate else 0.0
    except (wave.Error, EOFError) as exc:
        raise RecordingError(f"the recording is not a readable WAV file ({exc})") from exc


def save_recording(data_dir: Path, review_id: str, data: bytes) -> tuple[str, float]:
    """Save a clip as recordings/<review_id>.wav inside the data dir.

    Returns the path relative to the data dir and the clip's length in seconds.
    """
    if not _SAFE_ID.match(review_id):
        raise RecordingError("invalid review id for a recording")
    if len(data) > MAX_RECORDING_BYTES:
        raise RecordingError("the recording is larger than 50 MB")
    duration = wav_duration(data)
    folder = Path(data_dir) / RECORDINGS_DIRNAME
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{review_id}.wav"
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # all or nothing
    return f"{RECORDINGS_DIRNAME}/{target.name}", round(duration, 1)


def recording_file(data_dir: Path, relative: str | None) -> Path | None:
    """The saved clip for a review, if it is still there and inside the data dir."""
    if not relative:
        return None
    base = (Path(data_dir) / RECORDINGS_DIRNAME).resolve()
    path = (Path(data_dir) / relative).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path
