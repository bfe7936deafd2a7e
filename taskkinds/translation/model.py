"""Payload and result of a short translation task (version 1). Qt-free.

Version 1 grew optional parts without a version bump: a payload may carry a glossary,
translation-memory units and memory files; a result may carry dismissed warnings and
segments filled from the memory that still await review. Payloads and results without
them validate and dump exactly as before.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    StringConstraints,
    field_validator,
    model_serializer,
    model_validator,
)

SegmentId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
# BCP 47 tags as platforms write them: fr, en-GB, pt-BR, zh-Hant-TW.
LanguageTag = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]

MAX_SEGMENT_CHARS = 5_000
MAX_GLOSSARY_TERMS = 2_000
MAX_MEMORY_UNITS = 2_000
MEMORY_FILE_SUFFIXES = (".tmx", ".xlf", ".xliff", ".po")

_Term = Annotated[str, StringConstraints(min_length=1, max_length=200)]
_Text = Annotated[str, Field(min_length=1, max_length=MAX_SEGMENT_CHARS)]


class Segment(BaseModel):
    """One short source text to translate."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: SegmentId
    source: Annotated[str, Field(min_length=1, max_length=MAX_SEGMENT_CHARS)]
    note: Annotated[str, Field(max_length=2_000)] | None = None
    max_length: Annotated[int, Field(ge=1, le=MAX_SEGMENT_CHARS)] | None = None


class GlossaryTerm(BaseModel):
    """A source term with the translations to use and the ones to avoid.

    ``targets`` lists accepted translations (any one will do); ``forbidden`` lists
    translations that must not appear. Matching ignores case unless ``case_sensitive``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    source: _Term
    targets: tuple[_Term, ...] = ()
    forbidden: tuple[_Term, ...] = ()
    note: Annotated[str, Field(max_length=1_000)] | None = None
    case_sensitive: bool = False

    @field_validator("source", "targets", "forbidden", mode="after")
    @classmethod
    def _not_blank(cls, value: str | tuple[str, ...]) -> str | tuple[str, ...]:
        for text in (value,) if isinstance(value, str) else value:
            if not text.strip():
                raise ValueError("a glossary term cannot be blank")
        return value


class MemoryUnit(BaseModel):
    """One source/target pair of the bundle's translation memory, in the task's languages."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    source: _Text
    target: _Text
    note: Annotated[str, Field(max_length=1_000)] | None = None


def _check_media_path(path: str) -> str:
    pure = PurePosixPath(path)
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or any(c in path for c in "\\:")
        or not path.strip()
    ):
        raise ValueError(f"'{path}' is not a file inside the bundle")
    if not path.lower().endswith(MEMORY_FILE_SUFFIXES):
        raise ValueError(f"'{path}' is not a TMX, XLIFF or PO file")
    return path


MediaPath = Annotated[str, StringConstraints(min_length=1, max_length=255)]


def _drop_empty(handler: SerializerFunctionWrapHandler, model: BaseModel, *names: str) -> Any:
    """Dump ``model`` without the optional parts it does not use, as older builds wrote it."""
    data = handler(model)
    if isinstance(data, dict):
        for name in names:
            if name in data and not data[name]:
                del data[name]
    return data


class TranslationPayload(BaseModel):
    """What a bundle gives for one translation task.

    ``glossary`` and ``memory`` are inline; ``memory_files`` names TMX, XLIFF or PO
    files shipped as media of the bundle (read with ``formats.bundle_memory``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    version: Literal[1] = 1
    source_lang: LanguageTag
    target_lang: LanguageTag
    segments: Annotated[list[Segment], Field(min_length=1, max_length=500)]
    context: Annotated[str, Field(max_length=4_000)] | None = None
    # Applies to every segment that does not set its own limit.
    max_length: Annotated[int, Field(ge=1, le=MAX_SEGMENT_CHARS)] | None = None
    glossary: Annotated[tuple[GlossaryTerm, ...], Field(max_length=MAX_GLOSSARY_TERMS)] = ()
    memory: Annotated[tuple[MemoryUnit, ...], Field(max_length=MAX_MEMORY_UNITS)] = ()
    memory_files: Annotated[tuple[MediaPath, ...], Field(max_length=16)] = ()

    @field_validator("memory_files", mode="after")
    @classmethod
    def _safe_memory_files(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_media_path(path) for path in value)

    @model_validator(mode="after")
    def _unique_segment_ids(self) -> TranslationPayload:
        seen: set[str] = set()
        for segment in self.segments:
            if segment.id in seen:
                raise ValueError(f"segment id '{segment.id}' appears twice")
            seen.add(segment.id)
        return self

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_empty(handler, self, "glossary", "memory", "memory_files")

    def limit_for(self, segment: Segment) -> int | None:
        """The character limit that applies to ``segment``, if any."""
        return segment.max_length if segment.max_length is not None else self.max_length


DismissalKey = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class TranslationResult(BaseModel):
    """What the contributor sends: a target text per segment id.

    ``dismissed`` holds the keys (``qa.dismissal_key``) of warnings the contributor
    looked at and chose to keep; errors cannot be dismissed. ``needs_review`` lists
    segments pre-filled from a 100 % memory match that the contributor has not yet
    confirmed or edited.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: Literal[1] = 1
    targets: dict[SegmentId, Annotated[str, Field(max_length=4 * MAX_SEGMENT_CHARS)]]
    dismissed: Annotated[list[DismissalKey], Field(max_length=5_000)] = Field(default_factory=list)
    needs_review: Annotated[list[SegmentId], Field(max_length=500)] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> Any:
        return _drop_empty(handler, self, "dismissed", "needs_review")


def new_result(payload: TranslationPayload) -> TranslationResult:
    """An empty result with one blank target per segment."""
    return TranslationResult(targets={segment.id: "" for segment in payload.segments})


def summarize(payload: TranslationPayload) -> str:
    """One line for the task queue: the first source segment, shortened."""
    first = " ".join(payload.segments[0].source.split())
    more = len(payload.segments) - 1
    text = first if len(first) <= 80 else first[:77] + "…"
    return f"{text} (+{more})" if more else text
