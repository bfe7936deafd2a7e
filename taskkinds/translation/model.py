"""Payload and result of a short translation task (version 1). Qt-free."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SegmentId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
# BCP 47 tags as platforms write them: fr, en-GB, pt-BR, zh-Hant-TW.
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]

MAX_SEGMENT_CHARS = 5_000


class Segment(BaseModel):
    """One short source text to translate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SegmentId
    source: Annotated[str, Field(min_length=1, max_length=MAX_SEGMENT_CHARS)]
    note: Annotated[str, Field(max_length=2_000)] | None = None
    max_length: Annotated[int, Field(ge=1, le=MAX_SEGMENT_CHARS)] | None = None


class TranslationPayload(BaseModel):
    """What a bundle gives for one translation task."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    source_lang: LanguageTag
    target_lang: LanguageTag
    segments: Annotated[list[Segment], Field(min_length=1, max_length=500)]
    context: Annotated[str, Field(max_length=4_000)] | None = None
    # Applies to every segment that does not set its own limit.
    max_length: Annotated[int, Field(ge=1, le=MAX_SEGMENT_CHARS)] | None = None

    @model_validator(mode="after")
    def _unique_segment_ids(self) -> TranslationPayload:
        seen: set[str] = set()
        for segment in self.segments:
            if segment.id in seen:
                raise ValueError(f"segment id '{segment.id}' appears twice")
            seen.add(segment.id)
        return self

    def limit_for(self, segment: Segment) -> int | None:
        """The character limit that applies to ``segment``, if any."""
        return segment.max_length if segment.max_length is not None else self.max_length


class TranslationResult(BaseModel):
    """What the contributor sends: a target text per segment id."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    targets: dict[SegmentId, Annotated[str, Field(max_length=4 * MAX_SEGMENT_CHARS)]]


def new_result(payload: TranslationPayload) -> TranslationResult:
    """An empty result with one blank target per segment."""
    return TranslationResult(targets={segment.id: "" for segment in payload.segments})


def summarize(payload: TranslationPayload) -> str:
    """One line for the task queue: the first source segment, shortened."""
    first = " ".join(payload.segments[0].source.split())
    more = len(payload.segments) - 1
    text = first if len(first) <= 80 else first[:77] + "…"
    return f"{text} (+{more})" if more else text
