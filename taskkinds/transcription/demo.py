"""The transcription demo: synthetic speech clips whose exact transcript is known. Qt-free.

Each clip is spoken by espeak-ng from sentences written here, so the sentences are the
reference transcripts and no third party holds rights in the audio. One clip is cut
from a longer recording (a non-zero ``offset_s``); one mixes two voices that overlap
(``[crosstalk]``), a noise burst (``[noise]``) and background hiss.

``python -m taskkinds.transcription.demo`` (needs the ``espeak-ng`` program) rewrites
``resources/demo/transcription``: the Opus clips, ``references.json`` (the gold result
of each task, by task id) and the demo spec (``SPEC_PATH``). Loading the spec and the
references needs neither espeak-ng nor Qt.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import soundfile as sf

from taskkinds.transcription.model import (
    Segment,
    Style,
    TranscriptionPayload,
    TranscriptionResult,
    result_from_segments,
    result_from_text,
)

__all__ = [
    "DEMO_BUNDLE_ID",
    "DEMO_CLIPS",
    "DEMO_DIR",
    "DEMO_ROOT",
    "REFERENCES_PATH",
    "SAMPLE_RATE",
    "SPEC_PATH",
    "DemoClip",
    "Line",
    "Noise",
    "demo_golds",
    "load_spec",
    "reference_text",
    "write_demo",
]

DEMO_ROOT = Path(__file__).resolve().parents[2] / "resources" / "demo"
DEMO_DIR = DEMO_ROOT / "transcription"
SPEC_PATH = DEMO_ROOT / "transcription.json"
REFERENCES_PATH = DEMO_DIR / "references.json"
DEMO_BUNDLE_ID = "demo-transcription"
SAMPLE_RATE = 16_000  # one of the rates Opus encodes natively

Audio = npt.NDArray[np.float32]

_LEAD_IN_S = 0.4  # silence before the first line and after the last
_GAP_S = 0.35  # silence between lines
_SEGMENT_PAD_S = 0.1  # a gold segment starts this much before its words, ends this much after
_SEED = 20_240_611


@dataclass(frozen=True)
class Line:
    """One sentence spoken by one voice.

    ``text`` is both what espeak-ng says and the reference transcript. ``overlap_s``
    starts the line that long before the previous one ends; ``tag`` (``crosstalk``) is
    written before the text in the reference.
    """

    text: str
    voice: str  # an espeak-ng voice, with an optional variant: "en-us", "en-gb+f3"
    speaker: str | None = None
    pitch: int = 50
    speed: int = 150
    overlap_s: float = 0.0
    tag: str | None = None


@dataclass(frozen=True)
class Noise:
    """A burst of noise, transcribed ``[noise]``."""

    seconds: float


@dataclass(frozen=True)
class DemoClip:
    """One demo task: its recording, and which part of it the clip keeps.

    The recording is ``parts`` one after the other; the clip starts just before part
    ``keep_from`` (earlier parts exist only in the longer recording, which is what gives
    the task its ``offset_s``). A clip of one line has a plain-text reference; longer
    ones are cut into segments.
    """

    task_id: str
    language: str
    style: Style
    context: str
    parts: tuple[Line | Noise, ...]
    allowed_tags: tuple[str, ...] = ("inaudible", "noise")
    speakers: tuple[str, ...] = ()
    keep_from: int = 0
    hiss: bool = False

    @property
    def kept(self) -> tuple[Line | Noise, ...]:
        return self.parts[self.keep_from :]

    @property
    def audio_path(self) -> str:
        return f"audio/{self.task_id}.opus"


DEMO_CLIPS: tuple[DemoClip, ...] = (
    DemoClip(
        task_id="en-weather",
        language="en",
        style="clean",
        context="Local radio: weather report",
        parts=(
            Line(
                "The weather will be sunny this afternoon, with a light breeze from the west.",
                "en-us",
            ),
        ),
    ),
    DemoClip(
        task_id="en-lecture-bees",
        language="en",
        style="clean",
        context="Lecture on bees, cut from a longer recording",
        parts=(
            Line("Welcome back to the second part of today's lecture.", "en-gb", pitch=40),
            Line("Last time, we talked about the hive and its queen.", "en-gb", pitch=40),
            Line("Bees visit thousands of flowers every day to collect nectar.", "en-gb", pitch=40),
            Line("Next week, we will see how they find their way home.", "en-gb", pitch=40),
        ),
        keep_from=2,
    ),
    DemoClip(
        task_id="fr-gare",
        language="fr",
        style="clean",
        context="Annonce en gare",
        parts=(
            Line(
                "Le train pour Lyon partira avec dix minutes de retard, voie numéro trois.",
                "fr-fr",
                speed=140,
            ),
        ),
        allowed_tags=("inaudible", "bruit", "rires"),
    ),
    DemoClip(
        task_id="fr-reservation",
        language="fr",
        style="verbatim",
        context="Appel à un restaurant (verbatim intégral : gardez les euh)",
        parts=(
            Line(
                "Alors, euh, je voudrais réserver une table pour deux personnes ce soir.",
                "fr-fr+f2",
                pitch=65,
                speed=140,
            ),
        ),
        allowed_tags=("inaudible", "bruit", "rires"),
    ),
    DemoClip(
        task_id="en-helpdesk-call",
        language="en",
        style="clean",
        context="Phone call to a help desk",
        parts=(
            Line(
                "Good morning, you are through to the help desk. How can I help?",
                "en-us",
                speaker="Agent",
                pitch=35,
            ),
            Line(
                "Hi, my printer stopped working this morning.",
                "en-gb+f3",
                speaker="Caller",
                pitch=70,
                overlap_s=0.7,
                tag="crosstalk",
            ),
            Noise(0.8),
            Line("Let's restart it together. Is the green light on?", "en-us", "Agent", 35),
            Line("Yes, it is blinking now.", "en-gb+f3", "Caller", 70),
        ),
        allowed_tags=("inaudible", "crosstalk", "noise"),
        speakers=("Agent", "Caller"),
        hiss=True,
    ),
)

_INSTRUCTIONS = (
    "Type what you hear in each clip, in the clip's language.\n\n"
    "• Clean verbatim: leave out filler words (um, uh, euh, ben) and false starts. "
    "Full verbatim: keep them.\n"
    "• Use only the tags offered with the task, in square brackets: [inaudible] for words "
    "you cannot make out, [crosstalk] where voices overlap, [noise] for a loud noise.\n"
    "• Ctrl+J inserts a timestamp at the play head; it counts from the start of the whole "
    "recording, not of the clip.\n"
    "• When several people speak, cut the clip into segments and give each its speaker.\n"
    "• These clips are synthetic speech with a known transcript: they double as practice."
)


def reference_text(part: Line | Noise) -> str:
    """What the reference transcript says for ``part``."""
    if isinstance(part, Noise):
        return "[noise]"
    return f"[{part.tag}] {part.text}" if part.tag else part.text


# --- loading (no espeak-ng needed) --------------------------------------------------------


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The demo spec, as ``app.demo`` reads it. Raises ``OSError`` or ``ValueError``."""
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def demo_golds(path: Path = REFERENCES_PATH) -> dict[str, TranscriptionResult]:
    """The reference result of every demo task, by task id (for practice grading).
    Raises ``OSError``, ``ValueError`` or ``pydantic.ValidationError``."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return {task_id: TranscriptionResult.model_validate(gold) for task_id, gold in document.items()}


# --- generation (needs espeak-ng) ---------------------------------------------------------


def _speak(line: Line, workdir: Path) -> Audio:
    """``line`` spoken by espeak-ng at ``SAMPLE_RATE``, peaking at 0.8, without the silence
    before and after it. Raises ``OSError`` if espeak-ng produced no sound."""
    wav = workdir / "line.wav"
    command = ["espeak-ng", "-v", line.voice, "-p", str(line.pitch), "-s", str(line.speed)]
    subprocess.run([*command, "-w", str(wav), line.text], check=True, capture_output=True)
    samples, rate = sf.read(wav, dtype="float64", always_2d=False)
    audio = _resample(np.asarray(samples, dtype=np.float64), rate, SAMPLE_RATE)
    loud = np.flatnonzero(np.abs(audio) > 0.01)
    if not loud.size:
        raise OSError(f"espeak-ng said nothing for '{line.text}' with voice '{line.voice}'")
    spoken = audio[loud[0] : loud[-1] + 1]
    return (spoken * (0.8 / float(np.abs(spoken).max()))).astype(np.float32)


def _resample(samples: npt.NDArray[np.float64], rate: int, target: int) -> Audio:
    """Band-limited resampling through the FFT (fine for clips of a few seconds)."""
    if rate == target:
        return samples.astype(np.float32)
    count = round(len(samples) * target / rate)
    spectrum = np.fft.rfft(samples)[: count // 2 + 1]
    return (np.fft.irfft(spectrum, count) * (count / len(samples))).astype(np.float32)


def _noise_burst(rng: np.random.Generator, seconds: float) -> Audio:
    count = round(seconds * SAMPLE_RATE)
    # Low-passed white noise with short fades: a rumble, not a click.
    noise = np.convolve(rng.standard_normal(count), np.ones(6) / 6, mode="same")
    fade = np.minimum(1.0, np.minimum(np.arange(count), np.arange(count)[::-1]) / 320)
    return (0.35 * noise / np.abs(noise).max() * fade).astype(np.float32)


@dataclass
class _Placed:
    part: Line | Noise
    start: int  # samples
    audio: Audio = field(repr=False)

    @property
    def end(self) -> int:
        return self.start + len(self.audio)


def _record(clip: DemoClip, workdir: Path, rng: np.random.Generator) -> tuple[Audio, list[_Placed]]:
    """The whole recording of ``clip`` and where each part sits in it."""
    placed: list[_Placed] = []
    cursor = round(_LEAD_IN_S * SAMPLE_RATE)
    for part in clip.parts:
        if isinstance(part, Noise):
            audio = _noise_burst(rng, part.seconds)
            start = cursor
        else:
            audio = _speak(part, workdir)
            start = cursor
            if part.overlap_s and placed:
                start = max(0, placed[-1].end - round(part.overlap_s * SAMPLE_RATE))
        placed.append(_Placed(part, start, audio))
        cursor = start + len(audio) + round(_GAP_S * SAMPLE_RATE)
    mix = np.zeros(max(p.end for p in placed) + round(_LEAD_IN_S * SAMPLE_RATE), np.float32)
    for item in placed:
        mix[item.start : item.end] += item.audio
    if clip.hiss:
        mix += (0.01 * rng.standard_normal(len(mix))).astype(np.float32)
    peak = float(np.abs(mix).max())
    return (mix * (0.9 / peak) if peak > 0.9 else mix).astype(np.float32), placed


def _gold(clip: DemoClip, kept: list[_Placed], clip_start: int, clip_length: int) -> dict[str, Any]:
    if len(kept) == 1:
        return result_from_text(reference_text(kept[0].part)).model_dump(mode="json")
    bounds = []
    for item in kept:
        start = max(0, item.start - clip_start - round(_SEGMENT_PAD_S * SAMPLE_RATE))
        end = min(clip_length, item.end - clip_start + round(_SEGMENT_PAD_S * SAMPLE_RATE))
        bounds.append([start, end])
    # Where lines overlap or pads meet, the earlier segment ends where the next begins.
    for before, after in zip(bounds, bounds[1:], strict=False):
        before[1] = min(before[1], after[0])
    segments = [
        Segment(
            start=round(start / SAMPLE_RATE, 3),
            end=round(end / SAMPLE_RATE, 3),
            speaker=item.part.speaker if isinstance(item.part, Line) else None,
            text=reference_text(item.part),
        )
        for item, (start, end) in zip(kept, bounds, strict=True)
    ]
    return result_from_segments(segments).model_dump(mode="json")


def write_demo(folder: Path = DEMO_DIR, spec_path: Path = SPEC_PATH) -> list[Path]:
    """Synthesise every clip of ``DEMO_CLIPS`` into ``folder`` as 16 kHz mono Opus, with
    ``references.json`` there, and write the demo spec to ``spec_path``; returns the files
    written. Raises ``FileNotFoundError`` without espeak-ng, ``OSError`` otherwise."""
    if shutil.which("espeak-ng") is None:
        raise FileNotFoundError("espeak-ng is needed to generate the demo clips; install it")
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(_SEED)
    written: list[Path] = []
    tasks: list[dict[str, Any]] = []
    media: dict[str, str] = {}
    golds: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as workdir:
        for clip in DEMO_CLIPS:
            recording, placed = _record(clip, Path(workdir), rng)
            # A cut clip starts in the middle of the silence before its first line.
            clip_start = 0
            if clip.keep_from:
                clip_start = placed[clip.keep_from].start - round(_GAP_S / 2 * SAMPLE_RATE)
            audio = recording[clip_start:]
            path = folder / f"{clip.task_id}.opus"
            sf.write(path, audio, SAMPLE_RATE, format="OGG", subtype="OPUS")
            written.append(path)
            payload = TranscriptionPayload(
                audio=clip.audio_path,
                duration_s=round(len(audio) / SAMPLE_RATE, 3),
                language=clip.language,
                style=clip.style,
                allowed_tags=list(clip.allowed_tags),
                speakers=list(clip.speakers),
                offset_s=round(clip_start / SAMPLE_RATE, 3),
                context=clip.context,
            )
            tasks.append(
                {
                    "id": clip.task_id,
                    "payload": payload.model_dump(mode="json", exclude_none=True),
                    "media": [clip.audio_path],
                }
            )
            media[clip.audio_path] = path.relative_to(DEMO_ROOT).as_posix()
            golds[clip.task_id] = _gold(clip, placed[clip.keep_from :], clip_start, len(audio))
    references = folder / REFERENCES_PATH.name
    references.write_text(_json(golds), encoding="utf-8")
    spec = {
        "bundle_id": DEMO_BUNDLE_ID,
        "kind": "transcription",
        "title": "Demo · Transcribe short clips (English, French)",
        "instructions": _INSTRUCTIONS,
        "reward_per_task": "0.10",
        "currency": "EUR",
        "estimated_minutes_per_task": 1.5,
        "media": media,
        "tasks": tasks,
    }
    spec_path.write_text(_json(spec), encoding="utf-8")
    return [*written, references, spec_path]


def _json(document: Sequence[Any] | dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] = ()) -> int:
    try:
        written = write_demo()
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"Cannot generate the transcription demo: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"{path.stat().st_size:>8} {path.relative_to(DEMO_ROOT.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
