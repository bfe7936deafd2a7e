"""Transcripts as plain text, WebVTT, SRT and JSON. Qt-free.

Every ``to_*`` function takes the items of one kind and returns the bytes of one UTF-8
file, as ``ExportFormat.write`` expects.

Times in subtitle files are *source time*: each cue's clip time plus its payload's
``offset_s``, so cues land where the clip sits in the recording it was cut from, and
several clips of one recording export as one subtitle track. Cues of all items are
sorted by time (subtitle players expect that), so export the clips of one recording
together, and different recordings separately. A result without segments becomes one
cue spanning its whole clip; segments with blank text are left out of subtitles.
The JSON export keeps the result exactly as sent (clip time) beside the offset.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from taskkinds.base import ExportItem, as_model
from taskkinds.transcription.model import TranscriptionPayload, TranscriptionResult
from taskkinds.transcription.segments import sort_segments
from taskkinds.transcription.timecode import cue_time

__all__ = ["JSON_FORMAT", "Cue", "cues", "to_json", "to_plain_text", "to_srt", "to_webvtt"]

JSON_FORMAT = "ouvrage-transcription"  # the "format" field of the JSON export


def _tasks(
    items: Sequence[ExportItem],
) -> list[tuple[ExportItem, TranscriptionPayload, TranscriptionResult]]:
    return [
        (
            item,
            as_model(TranscriptionPayload, item.payload),
            as_model(TranscriptionResult, item.result),
        )
        for item in items
    ]


@dataclass(frozen=True)
class Cue:
    """One subtitle cue in source time, before any format's escaping."""

    task_id: str
    number: int  # 1-based within its task
    start: float
    end: float
    speaker: str | None
    text: str


def cues(items: Sequence[ExportItem]) -> list[Cue]:
    """The cues of every item in source time, sorted by start then end (stable).

    A cue's text has its line ends normalised and blank lines removed, since a blank
    line ends a cue in both WebVTT and SRT. Segments with blank text are left out; a
    result without segments gives one cue over the whole clip (none if its text is blank).
    """
    found: list[Cue] = []
    for item, payload, result in _tasks(items):
        offset = payload.offset_s
        if result.segments:
            spans = [
                (segment.start, segment.end, segment.speaker, segment.text)
                for segment in sort_segments(result.segments)
            ]
        else:
            spans = [(0.0, payload.duration_s, None, result.text)]
        number = 0
        for start, end, speaker, text in spans:
            lines = _cue_lines(text)
            if not lines:
                continue
            number += 1
            found.append(
                Cue(item.task_id, number, offset + start, offset + max(end, start), speaker, lines)
            )
    return sorted(found, key=lambda cue: (cue.start, cue.end))


def _cue_lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


# --- WebVTT ---------------------------------------------------------------------------


def _vtt_escape(text: str) -> str:
    # Escaping > as well turns any "-->" in the text into "--&gt;", which no parser
    # mistakes for a timing line.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_identifier(cue: Cue) -> str:
    # An identifier is one line and must not contain "-->".
    return " ".join(f"{cue.task_id}-{cue.number}".split()).replace("-->", "->")


def to_webvtt(items: Sequence[ExportItem]) -> bytes:
    """A WebVTT file: one cue per segment, identified ``<task id>-<n>``.

    A speaker becomes a voice span (``<v Host>…</v>``); ``&``, ``<`` and ``>`` in the
    text are written as character references. With no cues the file is just the header.
    """
    blocks = ["WEBVTT"]
    for cue in cues(items):
        text = _vtt_escape(cue.text)
        if cue.speaker:
            text = f"<v {_vtt_escape(cue.speaker)}>{text}</v>"
        timing = f"{cue_time(cue.start)} --> {cue_time(cue.end)}"
        blocks.append(f"{_vtt_identifier(cue)}\n{timing}\n{text}")
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


# --- SRT ------------------------------------------------------------------------------


def to_srt(items: Sequence[ExportItem]) -> bytes:
    """A SubRip file: cues numbered from 1, ``HH:MM:SS,mmm`` times, UTF-8, lines ending in LF.

    SRT has no speaker markup, so a speaker is written as ``Host: `` before the text.
    """
    blocks = []
    for number, cue in enumerate(cues(items), start=1):
        text = f"{cue.speaker}: {cue.text}" if cue.speaker else cue.text
        timing = f"{cue_time(cue.start, ',')} --> {cue_time(cue.end, ',')}"
        blocks.append(f"{number}\n{timing}\n{text}\n")
    return "\n".join(blocks).encode("utf-8")


# --- plain text -----------------------------------------------------------------------


def to_plain_text(items: Sequence[ExportItem]) -> bytes:
    """The transcripts as text, in the items' order, each under a ``# <bundle>/<task>``
    line and separated by a blank line. Segments come one per line in time order,
    ``Host: `` before those with a speaker; a result without segments is its text."""
    parts = []
    for item, _, result in _tasks(items):
        if result.segments:
            lines = [
                f"{segment.speaker}: {segment.text}" if segment.speaker else segment.text
                for segment in sort_segments(result.segments)
            ]
            body = "\n".join(lines)
        else:
            body = result.text
        parts.append(f"# {item.bundle_id}/{item.task_id}\n{body.rstrip()}\n")
    return "\n".join(parts).encode("utf-8")


# --- JSON -----------------------------------------------------------------------------


def to_json(items: Sequence[ExportItem]) -> bytes:
    """One JSON document: ``{"format": "ouvrage-transcription", "version": 1, "items": […]}``.

    Each item has ``bundle_id``, ``task_id``, ``audio``, ``language``, ``style``,
    ``duration_s``, ``offset_s`` and ``result``: the result as sent (segment times in
    clip time; add ``offset_s`` for source time), which
    ``TranscriptionResult.model_validate`` reads back unchanged.
    """
    document: dict[str, Any] = {"format": JSON_FORMAT, "version": 1, "items": []}
    for item, payload, result in _tasks(items):
        document["items"].append(
            {
                "bundle_id": item.bundle_id,
                "task_id": item.task_id,
                "audio": payload.audio,
                "language": payload.language,
                "style": payload.style,
                "duration_s": payload.duration_s,
                "offset_s": payload.offset_s,
                "result": result.model_dump(mode="json"),
            }
        )
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
