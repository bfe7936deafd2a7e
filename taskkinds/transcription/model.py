"""Payload and result of an audio transcription task (version 1). Qt-free.

Times in a result are *clip time*: seconds from the clip's first sample. The payload's
``offset_s`` says where the clip starts in the recording it was cut from; timestamps
typed into the text and subtitle exports add it (see ``timecode``).

The result's ``text`` is always the whole transcript. When the contributor cuts it into
timed ``segments``, ``text`` is their texts joined by line breaks, and validation
refuses a result where the two disagree; build such results with ``result_from_segments``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "AUDIO_SUFFIXES",
    "MAX_DURATION_S",
    "MAX_OFFSET_S",
    "MAX_SEGMENTS",
    "MAX_SEGMENT_CHARS",
    "MAX_TEXT_CHARS",
    "Segment",
    "Style",
    "TranscriptionPayload",
    "TranscriptionResult",
    "joined_text",
    "new_result",
    "result_from_segments",
    "result_from_text",
    "summarize",
]

AUDIO_SUFFIXES = (".opus", ".ogg", ".oga", ".flac", ".wav", ".mp3")
MAX_DURATION_S = 2 * 3600.0  # "seconds to a few minutes"; anything longer is a mistake
MAX_OFFSET_S = 100 * 3600.0
MAX_TEXT_CHARS = 100_000
MAX_SEGMENT_CHARS = 5_000
MAX_SEGMENTS = 2_000
MAX_TAGS = 50
MAX_SPEAKERS = 20
MAX_LABEL_CHARS = 40

Style = Literal["clean", "verbatim"]

# BCP 47 tags as platforms write them: fr, en-GB, pt-BR, zh-Hant-TW.
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
Seconds = Annotated[float, Field(ge=0, le=MAX_DURATION_S, allow_inf_nan=False)]

# A tag name starts with a letter and holds letters, digits, spaces, ' _ and -.
_TAG_NAME = re.compile(r"[^\W\d_][\w' -]*")


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("must not contain line breaks, tabs or other control characters")
    return value


def _unbracketed(value: object) -> object:
    """Accept ``[inaudible]`` as well as ``inaudible`` for a tag name."""
    if isinstance(value, str):
        value = value.strip()
        if len(value) >= 2 and value[0] == "[" and value[-1] == "]":
            value = value[1:-1].strip()
    return value


def _tag_name(value: str) -> str:
    if not _TAG_NAME.fullmatch(value):
        raise ValueError(
            f"'{value}' is not a tag name: use letters, digits, spaces, ' _ or -, "
            "starting with a letter, such as 'inaudible'"
        )
    return value


def _speaker_label(value: str) -> str:
    if any(char in "[]<>" for char in value):
        raise ValueError(f"speaker label '{value}' must not contain [ ] < or >")
    return _no_control_characters(value)


TagName = Annotated[
    str,
    BeforeValidator(_unbracketed),
    StringConstraints(min_length=1, max_length=MAX_LABEL_CHARS),
    AfterValidator(_tag_name),
]
SpeakerLabel = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_LABEL_CHARS),
    AfterValidator(_speaker_label),
]
AudioPath = Annotated[str, StringConstraints(min_length=1, max_length=255)]


def _unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{what} '{value}' appears twice")
        seen.add(key)


class TranscriptionPayload(BaseModel):
    """What a bundle gives for one transcription task.

    ``audio`` is the clip's media path inside the bundle (``audio/0004.opus``; Opus,
    Ogg Vorbis, FLAC, WAV or MP3); ``duration_s`` the clip's length as announced by the
    platform; ``language`` a BCP 47 tag; ``style`` the platform's verbatim rule (clean
    verbatim leaves filler words out, full verbatim keeps them); ``allowed_tags`` the
    tag names that may appear as ``[name]``; ``speakers`` the labels segments may
    carry; ``offset_s`` where the clip starts in the recording it was cut from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    version: Literal[1] = 1
    audio: AudioPath
    duration_s: Annotated[float, Field(gt=0, le=MAX_DURATION_S, allow_inf_nan=False)]
    language: LanguageTag
    style: Style = "clean"
    allowed_tags: Annotated[list[TagName], Field(max_length=MAX_TAGS)] = []
    speakers: Annotated[list[SpeakerLabel], Field(max_length=MAX_SPEAKERS)] = []
    offset_s: Annotated[float, Field(ge=0, le=MAX_OFFSET_S, allow_inf_nan=False)] = 0.0
    context: Annotated[str, Field(max_length=2_000)] | None = None

    @model_validator(mode="after")
    def _check(self) -> TranscriptionPayload:
        if not self.audio.lower().endswith(AUDIO_SUFFIXES):
            known = ", ".join(AUDIO_SUFFIXES)
            raise ValueError(f"audio '{self.audio}' is not a clip this kind plays ({known})")
        _unique(self.allowed_tags, "tag")
        _unique(self.speakers, "speaker")
        return self


class Segment(BaseModel):
    """A timed piece of the transcript, in clip time, with an optional speaker label.

    The model accepts an end before the start or times past the clip's end, so a draft
    being edited always saves; the checks report them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    start: Seconds
    end: Seconds
    speaker: SpeakerLabel | None = None
    text: Annotated[str, Field(max_length=MAX_SEGMENT_CHARS)] = ""


def joined_text(segments: list[Segment] | tuple[Segment, ...]) -> str:
    """The transcript of ``segments``: their texts, one per line, in the order given."""
    return "\n".join(segment.text for segment in segments)


class TranscriptionResult(BaseModel):
    """What the contributor sends: the transcript, optionally cut into timed segments."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: Literal[1] = 1
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)] = ""
    segments: Annotated[list[Segment], Field(max_length=MAX_SEGMENTS)] = []

    @model_validator(mode="after")
    def _text_matches_segments(self) -> TranscriptionResult:
        if self.segments and self.text != joined_text(self.segments):
            raise ValueError(
                "text must be the segments' texts joined by line breaks "
                "(build the result with result_from_segments)"
            )
        return self


def result_from_segments(segments: list[Segment] | tuple[Segment, ...]) -> TranscriptionResult:
    """A result cut into ``segments``, its text kept in step with them.

    Raises ``pydantic.ValidationError`` when there are more than ``MAX_SEGMENTS``
    segments or the joined text exceeds ``MAX_TEXT_CHARS``.
    """
    return TranscriptionResult(text=joined_text(segments), segments=list(segments))


def result_from_text(text: str) -> TranscriptionResult:
    """A result without segments. Raises ``pydantic.ValidationError`` for an over-long text."""
    return TranscriptionResult(text=text)


def new_result(payload: TranscriptionPayload) -> TranscriptionResult:
    """An empty result: no text, no segments."""
    return TranscriptionResult()


_STYLE_NAMES = {"clean": "clean verbatim", "verbatim": "full verbatim"}


def summarize(payload: TranscriptionPayload) -> str:
    """One line for the task queue, at most 80 characters:
    ``Phone call to a help desk · 0:12 in en, clean verbatim, 2 speakers``."""
    whole = round(payload.duration_s)
    facts = f"{whole // 60}:{whole % 60:02d} in {payload.language}, {_STYLE_NAMES[payload.style]}"
    if len(payload.speakers) > 1:
        facts += f", {len(payload.speakers)} speakers"
    context = " ".join((payload.context or "").split())
    if not context:
        return f"Transcribe {facts}"
    room = 80 - len(facts) - 3
    if len(context) > room:
        context = context[: max(room - 1, 0)].rstrip() + "…"
    return f"{context} · {facts}"
