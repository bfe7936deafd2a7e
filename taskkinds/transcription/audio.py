"""Decoding a task's audio clip into mono samples, refusing damaged or hostile files. Qt-free.

soundfile (libsndfile) decodes Opus and Vorbis in Ogg, FLAC, WAV and MP3. The clip is
read in blocks straight into one preallocated float32 array, mixed down to mono on the
way, so a long clip costs little more than its decode. A clip is refused before any
sample is decoded when its header announces more than ``max_seconds``, and while
decoding when it turns out longer than announced.

A file cut short does not always make libsndfile fail: WAV and Ogg just look shorter,
MP3 and FLAC may stop early. Each case is checked (the WAV header's data size, the last
Ogg page, the frame count announced by FLAC and MP3) so a truncated clip is reported
rather than silently played in part.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

__all__ = [
    "DEFAULT_MAX_SECONDS",
    "FORMATS",
    "AudioUnreadable",
    "Clip",
    "load_clip",
]

Samples = npt.NDArray[np.float32]
BlockListener = Callable[[Samples], None]

# Above the payload's own limit (two hours): this bound only protects memory from a hostile header.
DEFAULT_MAX_SECONDS = 3 * 3600.0
# libsndfile's major format names of the clips a bundle may carry.
FORMATS = ("OGG", "FLAC", "WAV", "WAVEX", "MP3")
MIN_SAMPLE_RATE = 1_000
MAX_SAMPLE_RATE = 384_000
MAX_CHANNELS = 64
# Whatever the sample rate, at most as many samples as three hours at 48 kHz (2 GB of float32).
MAX_FRAMES = 3 * 3600 * 48_000
BLOCK_FRAMES = 64 * 1024  # a multiple of the waveform's 256-sample blocks
# MP3 lengths are estimates (encoder delay and padding): forgive a shortfall of two MPEG frames.
_MP3_SLACK_FRAMES = 2 * 1152
_UNKNOWN_FRAMES = 2**62
_OGG_TAIL_BYTES = 65_307 + 27  # the largest possible Ogg page, and one more header

DAMAGED_ADVICE = "Download the bundle again or ask for a new copy."
_TOO_LONG_ADVICE = "Ask the task's publisher for a shorter clip."


class AudioUnreadable(ValueError):
    """A clip that cannot be turned into samples; the message names it and says what to do.

    ``reason`` completes "The audio clip '<name>' …", for instance "is damaged or truncated:
    the FLAC decoder lost its place after 2.0 s".
    """

    def __init__(self, path: Path | str, reason: str, advice: str = DAMAGED_ADVICE) -> None:
        self.path = Path(path)
        self.reason = reason
        self.advice = advice
        super().__init__(f"The audio clip '{self.path.name}' {reason}. {advice}")


@dataclass(frozen=True, eq=False)
class Clip:
    """A decoded clip: ``samples`` are mono float32 (channels averaged), read-only.

    ``channels`` is how many the file had before the mix-down; ``format`` and ``subtype``
    are libsndfile's names ("OGG"/"OPUS", "FLAC"/"PCM_16", …).
    """

    path: Path
    samples: Samples
    sample_rate: int
    channels: int
    format: str
    subtype: str

    @property
    def frames(self) -> int:
        """How many samples the clip has (per channel)."""
        return int(self.samples.shape[0])

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.sample_rate


def load_clip(
    path: Path | str,
    *,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    on_block: BlockListener | None = None,
) -> Clip:
    """Decode the clip at ``path`` into a mono float32 ``Clip``.

    ``on_block``, when given, is called with each decoded block in order (a read-only view
    into the clip's samples, mostly ``BLOCK_FRAMES`` long) while the data is still in the
    processor's cache; the waveform peaks are computed that way.

    Raises ``AudioUnreadable`` when the file is missing, empty, not Opus/Vorbis/FLAC/WAV/MP3,
    longer than ``max_seconds``, silent for lack of any sample, truncated or otherwise damaged.
    """
    path = Path(path)
    _check_file(path)
    try:
        with soundfile.SoundFile(path) as sound:
            _check_header(path, sound, max_seconds)
            announced = _announced_frames(sound)
            max_frames = int(_max_seconds(max_seconds, sound.samplerate) * sound.samplerate)
            samples = _decode(path, sound, announced, max_frames, on_block)
            clip = Clip(
                path=path,
                samples=samples,
                sample_rate=int(sound.samplerate),
                channels=int(sound.channels),
                format=str(sound.format),
                subtype=str(sound.subtype),
            )
    except AudioUnreadable:
        raise
    except (soundfile.SoundFileError, RuntimeError) as exc:  # libsndfile refused the header
        raise AudioUnreadable(
            path,
            "is not in a format Ouvrage plays (Opus, Ogg Vorbis, FLAC, WAV or MP3), "
            f"or its header is damaged ({_libsndfile_message(exc)})",
        ) from exc
    except MemoryError:
        raise AudioUnreadable(
            path, "is too long to fit in this computer's memory", _TOO_LONG_ADVICE
        ) from None
    _check_length(clip, announced)
    return clip


def _check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise AudioUnreadable(
            path, "is missing", "Import the bundle again to restore it."
        ) from None
    except OSError as exc:
        raise AudioUnreadable(path, f"cannot be read ({exc.strerror})", DAMAGED_ADVICE) from None
    if not path.is_file():
        raise AudioUnreadable(path, "is not a file", DAMAGED_ADVICE)
    if size == 0:
        raise AudioUnreadable(path, "is empty (0 bytes)", DAMAGED_ADVICE)


def _check_header(path: Path, sound: soundfile.SoundFile, max_seconds: float) -> None:
    if sound.format not in FORMATS:
        raise AudioUnreadable(
            path,
            f"is in the {sound.format} format, not Opus, Ogg Vorbis, FLAC, WAV or MP3",
            "Ask the task's publisher for a copy in one of those formats.",
        )
    if not MIN_SAMPLE_RATE <= sound.samplerate <= MAX_SAMPLE_RATE:
        raise AudioUnreadable(
            path, f"is damaged: its header claims {sound.samplerate} samples a second"
        )
    if not 1 <= sound.channels <= MAX_CHANNELS:
        raise AudioUnreadable(path, f"is damaged: its header claims {sound.channels} channels")
    announced = _announced_frames(sound)
    if announced > _max_seconds(max_seconds, sound.samplerate) * sound.samplerate:
        raise _too_long(
            path, announced / sound.samplerate, _max_seconds(max_seconds, sound.samplerate)
        )
    if sound.format in ("WAV", "WAVEX"):
        _check_wav_size(path, sound)
    elif sound.format == "OGG":
        _check_ogg_end(path)


def _announced_frames(sound: soundfile.SoundFile) -> int:
    """The header's frame count; 0 when it does not know (libsndfile then says SF_COUNT_MAX)."""
    frames = int(sound.frames)
    return 0 if frames >= _UNKNOWN_FRAMES else frames


def _decode(
    path: Path,
    sound: soundfile.SoundFile,
    announced: int,
    max_frames: int,
    on_block: BlockListener | None,
) -> Samples:
    """Read every frame into one mono array, growing it only if the header undercounted."""
    sanitise = sound.subtype in ("FLOAT", "DOUBLE")  # only these can hold NaN, ∞ or > 1
    channels = int(sound.channels)
    scratch = np.empty((BLOCK_FRAMES, channels), dtype=np.float32) if channels > 1 else None
    mixed = np.empty(announced, dtype=np.float32)
    done = 0
    while True:
        if done == mixed.shape[0]:
            # At the announced end: a probe of one frame tells whether the header undercounted.
            probe = np.empty(1, dtype=np.float32)
            if _read_mono(path, sound, probe, scratch, done) == 0:
                break
            if done >= max_frames:
                raise _too_long(path, None, max_frames / sound.samplerate)
            mixed = _grown(mixed, min(max_frames, 2 * done + BLOCK_FRAMES))
            mixed[done] = probe[0]
            got = 1
        else:
            wanted = min(BLOCK_FRAMES, mixed.shape[0] - done)
            got = _read_mono(path, sound, mixed[done : done + wanted], scratch, done)
            if got == 0:
                break
        block = mixed[done : done + got]
        if sanitise:
            np.nan_to_num(block, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
            np.clip(block, -1.0, 1.0, out=block)
        if on_block is not None:
            view = block.view()
            view.flags.writeable = False
            on_block(view)
        done += got
    samples = mixed[:done]
    samples.flags.writeable = False
    return samples


def _read_mono(
    path: Path,
    sound: soundfile.SoundFile,
    out: Samples,
    scratch: npt.NDArray[np.float32] | None,
    done: int,
) -> int:
    """Decode up to ``len(out)`` frames into ``out``, mixed down; how many were decoded."""
    wanted = out.shape[0]
    try:
        if scratch is None:
            return int(sound.read(wanted, dtype="float32", out=out).shape[0])
        got = int(sound.read(wanted, dtype="float32", out=scratch[:wanted]).shape[0])
    except (soundfile.SoundFileError, RuntimeError) as exc:
        raise AudioUnreadable(
            path,
            f"is damaged or truncated: decoding stopped after {done / sound.samplerate:.1f} s "
            f"({_libsndfile_message(exc)})",
        ) from exc
    np.sum(scratch[:got], axis=1, out=out[:got])
    out[:got] *= np.float32(1.0 / scratch.shape[1])
    return got


def _grown(samples: Samples, frames: int) -> Samples:
    grown = np.empty(frames, dtype=np.float32)
    grown[: samples.shape[0]] = samples
    return grown


def _max_seconds(max_seconds: float, sample_rate: int) -> float:
    return min(max_seconds, MAX_FRAMES / sample_rate)


def _check_length(clip: Clip, announced: int) -> None:
    if clip.frames == 0:
        raise AudioUnreadable(clip.path, "holds no sound (it has no samples)")
    slack = _MP3_SLACK_FRAMES if clip.format == "MP3" else 0
    if clip.frames + slack < announced:
        raise AudioUnreadable(
            clip.path,
            f"is damaged or truncated: it stops after {clip.duration:.1f} s of the "
            f"{announced / clip.sample_rate:.1f} s its header announces",
        )


def _check_wav_size(path: Path, sound: soundfile.SoundFile) -> None:
    """A WAV cut short decodes as a shorter clip: compare its data size with its header's."""
    # libsndfile's log says "data : 160000 (should be 158399)" when the file holds less.
    found = re.search(r"^data\s*:\s*(\d+)\s*\(should be (\d+)\)", sound.extra_info, re.M)
    if found is None:
        return
    declared, present = int(found.group(1)), int(found.group(2))
    streamed = declared == 0 or declared >= 0x7FFFFFFF  # a recorder that never knew the size
    if present < declared and not streamed:
        raise AudioUnreadable(
            path,
            f"is damaged or truncated: its header announces {declared} bytes of sound "
            f"but the file holds {present}",
        )


def _check_ogg_end(path: Path) -> None:
    """An Ogg file cut short decodes as a shorter clip: its last page must be complete."""
    with path.open("rb") as stream:
        size = stream.seek(0, 2)
        stream.seek(max(0, size - _OGG_TAIL_BYTES))
        tail = stream.read()
    start = len(tail)
    while (start := tail.rfind(b"OggS", 0, start)) >= 0:
        if _ogg_page_end(tail, start) == len(tail):
            return
    raise AudioUnreadable(path, "is damaged or truncated: its last Ogg page is incomplete")


def _ogg_page_end(data: bytes, start: int) -> int | None:
    """Where the Ogg page starting at ``start`` ends, or None if no page header is there."""
    header_end = start + 27
    if header_end > len(data) or data[start + 4] != 0:  # stream structure version 0
        return None
    (segments,) = struct.unpack_from("<B", data, start + 26)
    if header_end + segments > len(data):
        return None
    return header_end + segments + sum(data[header_end : header_end + segments])


def _too_long(path: Path, seconds: float | None, max_seconds: float) -> AudioUnreadable:
    lasts = f"lasts {_duration_text(seconds)}, " if seconds is not None else "lasts "
    return AudioUnreadable(
        path,
        f"is too long: it {lasts}more than the {_duration_text(max_seconds)} Ouvrage plays safely",
        _TOO_LONG_ADVICE,
    )


def _duration_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes % 60 else f"{minutes // 60} h"


def _libsndfile_message(exc: BaseException) -> str:
    """libsndfile's own words, without the file name the message already gives."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^Error opening .*?: ", "", text).removeprefix("Error : ")
    return text.strip().rstrip(".")
