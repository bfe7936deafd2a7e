"""Segment edits and tag scanning the transcription editor calls. Qt-free, pure.

Every edit takes a sequence of ``Segment`` and returns a new list; nothing is changed in
place. Edits by index expect segments in time order and not overlapping, which is what
``normalize_segments`` returns and what the edits keep: after any of them, no two
segments overlap (touching is fine) and none leaves ``[0, duration_s]``.

Tags are ``[name]`` tokens in the text. Timestamp tokens such as ``[00:01:23]`` (see
``timecode``) are not tags and are skipped by the scanner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from taskkinds.transcription.model import Segment
from taskkinds.transcription.timecode import find_timestamps

__all__ = [
    "MIN_SEGMENT_S",
    "BracketProblem",
    "SegmentEditError",
    "TagToken",
    "add_segment",
    "assign_speaker",
    "insert_token",
    "merge_with_next",
    "move_edge",
    "normalize_segments",
    "remove_segment",
    "scan_tags",
    "segment_at",
    "set_text",
    "sort_segments",
    "split_segment",
    "tag_key",
]

MIN_SEGMENT_S = 0.1  # moving an edge never makes a segment shorter than this


class SegmentEditError(ValueError):
    """An edit that cannot be done where it was asked; the message says what to do."""


def _finite(seconds: float) -> float:
    if not math.isfinite(seconds):
        raise SegmentEditError(f"A time must be a number of seconds, not {seconds!r}.")
    return seconds


def sort_segments(segments: Sequence[Segment]) -> list[Segment]:
    """The segments by start time, then end time (stable for equal times)."""
    return sorted(segments, key=lambda segment: (segment.start, segment.end))


def normalize_segments(segments: Sequence[Segment], duration_s: float) -> list[Segment]:
    """The segments in time order, inside ``[0, duration_s]`` and not overlapping.

    Reversed edges are swapped, times are clamped into the clip, then each segment's
    start is pushed to the previous one's end where they overlap (its end follows if
    needed, which may leave it zero-length for the checks to report). Texts and speakers
    are kept; no segment is dropped.
    """
    clamped = []
    for segment in segments:
        start = min(max(segment.start, 0.0), duration_s)
        end = min(max(segment.end, 0.0), duration_s)
        start, end = min(start, end), max(start, end)
        clamped.append(segment.model_copy(update={"start": start, "end": end}))
    normalized: list[Segment] = []
    previous_end = 0.0
    for segment in sort_segments(clamped):
        start = max(segment.start, previous_end)
        end = max(segment.end, start)
        if (start, end) != (segment.start, segment.end):
            segment = segment.model_copy(update={"start": start, "end": end})
        normalized.append(segment)
        previous_end = end
    return normalized


def segment_at(segments: Sequence[Segment], time_s: float) -> int | None:
    """Index of the segment with ``start <= time_s < end``, or None in a gap."""
    for index, segment in enumerate(segments):
        if segment.start <= time_s < segment.end:
            return index
    return None


def add_segment(
    segments: Sequence[Segment],
    start_s: float,
    end_s: float,
    duration_s: float,
    *,
    speaker: str | None = None,
    text: str = "",
) -> tuple[list[Segment], int]:
    """Add a segment from ``start_s`` to ``end_s``, shortened to fit the gap it starts in.

    Returns the new list (in time order) and the new segment's index. Raises
    ``SegmentEditError`` when ``start_s`` lies inside a segment or at the clip's end, or
    a time is not finite.
    """
    start = min(max(_finite(start_s), 0.0), duration_s)
    end_s = _finite(end_s)
    if segment_at(segments, start) is not None or start >= duration_s:
        raise SegmentEditError(
            "There is already a segment here. Move the play head to a gap to add one."
        )
    following = [segment.start for segment in segments if segment.start >= start]
    limit = min([duration_s, *following])
    end = min(max(end_s, start), limit)
    if end <= start:
        raise SegmentEditError("There is no room here. Move the play head to a gap to add one.")
    added = Segment(start=start, end=end, speaker=speaker, text=text)
    ordered = sort_segments([*segments, added])
    return ordered, next(i for i, segment in enumerate(ordered) if segment is added)


def _position(segments: Sequence[Segment], index: int) -> int:
    """``index`` as a position from the start; raises ``IndexError`` if there is no such
    segment (negative indices count from the end, as for lists)."""
    if not -len(segments) <= index < len(segments):
        raise IndexError(f"there is no segment {index} (there are {len(segments)})")
    return index % len(segments)


def remove_segment(segments: Sequence[Segment], index: int) -> list[Segment]:
    """The segments without the one at ``index``; raises ``IndexError`` if there is none."""
    position = _position(segments, index)
    return [*segments[:position], *segments[position + 1 :]]


def split_segment(
    segments: Sequence[Segment], index: int, at_s: float, text_position: int
) -> list[Segment]:
    """Split the segment at ``index`` in two at time ``at_s`` and text cursor ``text_position``.

    The first part keeps ``text[:text_position]``, the second ``text[text_position:]``,
    each without the spaces at the cut; both keep the speaker. ``text_position`` is
    clamped into the text. Raises ``SegmentEditError`` unless ``at_s`` lies strictly
    inside the segment, and ``IndexError`` for a bad index.
    """
    position = _position(segments, index)
    segment = segments[position]
    if not segment.start < _finite(at_s) < segment.end:
        raise SegmentEditError(
            "Put the play head inside the segment to split it there "
            f"(it runs from {segment.start:.2f} s to {segment.end:.2f} s)."
        )
    cut = min(max(text_position, 0), len(segment.text))
    first = segment.model_copy(update={"end": at_s, "text": segment.text[:cut].rstrip()})
    second = segment.model_copy(update={"start": at_s, "text": segment.text[cut:].lstrip()})
    return [*segments[:position], first, second, *segments[position + 1 :]]


def merge_with_next(segments: Sequence[Segment], index: int) -> list[Segment]:
    """Merge the segment at ``index`` with the one after it.

    The merged segment spans both; its text is both texts joined by a space (an empty
    one adds nothing); its speaker is the first one's, or the second's when the first
    has none. Raises ``SegmentEditError`` for the last segment, ``IndexError`` for a
    bad index.
    """
    position = _position(segments, index)
    if position + 1 >= len(segments):
        raise SegmentEditError("This is the last segment: there is nothing after it to merge.")
    first, second = segments[position], segments[position + 1]
    merged = Segment(
        start=min(first.start, second.start),
        end=max(first.end, second.end),
        speaker=first.speaker if first.speaker is not None else second.speaker,
        text=" ".join(text for text in (first.text.rstrip(), second.text.lstrip()) if text),
    )
    return [*segments[:position], merged, *segments[position + 2 :]]


def move_edge(
    segments: Sequence[Segment],
    index: int,
    edge: Literal["start", "end"],
    to_s: float,
    duration_s: float,
) -> list[Segment]:
    """Move one edge of the segment at ``index`` towards ``to_s``, clamped.

    A start stays at or after the previous segment's end (or 0) and at least
    ``MIN_SEGMENT_S`` before the segment's end, when there is room; an end stays at or
    before the next segment's start (or ``duration_s``) and at least ``MIN_SEGMENT_S``
    after the start, when there is room. Never creates an overlap. Raises
    ``IndexError`` for a bad index, ``SegmentEditError`` for a time that is not finite.
    """
    position = _position(segments, index)
    segment = segments[position]
    to_s = _finite(to_s)
    if edge == "start":
        lower = segments[position - 1].end if position > 0 else 0.0
        new_start = max(lower, min(to_s, segment.end - MIN_SEGMENT_S))
        moved = segment.model_copy(update={"start": min(new_start, segment.end)})
    else:
        upper = segments[position + 1].start if position + 1 < len(segments) else duration_s
        upper = min(upper, duration_s)
        new_end = min(upper, max(to_s, segment.start + MIN_SEGMENT_S))
        moved = segment.model_copy(update={"end": max(new_end, segment.start)})
    return [*segments[:position], moved, *segments[position + 1 :]]


def assign_speaker(segments: Sequence[Segment], index: int, speaker: str | None) -> list[Segment]:
    """The segment at ``index`` with ``speaker`` (None clears it). Raises ``IndexError``."""
    return _replace(segments, index, speaker=speaker)


def set_text(segments: Sequence[Segment], index: int, text: str) -> list[Segment]:
    """The segment at ``index`` with ``text``. Raises ``IndexError``."""
    return _replace(segments, index, text=text)


def _replace(segments: Sequence[Segment], index: int, **changes: object) -> list[Segment]:
    position = _position(segments, index)
    segment = segments[position]
    # Validate, so a too-long text or a bad label fails here and not at save time.
    changed = Segment.model_validate({**segment.model_dump(), **changes})
    return [*segments[:position], changed, *segments[position + 1 :]]


def insert_token(text: str, position: int, token: str) -> tuple[str, int]:
    """Insert ``token`` (a tag or timestamp) at ``position``, spaced from the words around it.

    A space is added before the token unless it starts the text or follows whitespace,
    and after it unless it ends the text or is followed by whitespace or punctuation.
    Returns the new text and the cursor position just after the token and its space.
    """
    position = min(max(position, 0), len(text))
    before, after = text[:position], text[position:]
    lead = " " if before and not before[-1].isspace() else ""
    trail = " " if after and not after[0].isspace() and after[0] not in ".,;:!?)]…" else ""
    inserted = f"{lead}{token}{trail}"
    return before + inserted + after, position + len(inserted)


# --- tags ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagToken:
    """A well-formed ``[name]`` in a text: ``text[start:end]``; ``name`` as written, trimmed."""

    start: int
    end: int
    name: str


@dataclass(frozen=True)
class BracketProblem:
    """A bracket that does not make a tag: ``text[start:end]`` is the offending part.

    ``kind`` is ``unclosed`` (``[inaudible`` with no ``]`` on its line), ``unopened``
    (a ``]`` with no ``[`` before it) or ``empty`` (``[]`` or ``[  ]``).
    """

    start: int
    end: int
    kind: Literal["unclosed", "unopened", "empty"]


def tag_key(name: str) -> str:
    """How tag names compare: case-insensitive, inner spaces collapsed."""
    return " ".join(name.split()).casefold()


def scan_tags(text: str) -> tuple[list[TagToken], list[BracketProblem]]:
    """The tags of ``text`` and the brackets that do not form one, each in text order.

    A tag never spans a line break. A ``[`` followed by another ``[`` before any ``]``
    is unclosed. Timestamp tokens are skipped.
    """
    skip = {index for token in find_timestamps(text) for index in range(token.start, token.end)}
    tags: list[TagToken] = []
    problems: list[BracketProblem] = []
    opened: int | None = None

    def close_unclosed(at: int) -> None:
        if opened is not None:
            problems.append(BracketProblem(opened, at, "unclosed"))

    for index, char in enumerate(text):
        if index in skip:
            continue
        if char == "[":
            close_unclosed(_first_word_end(text, opened, index))
            opened = index
        elif char == "]":
            if opened is None:
                problems.append(BracketProblem(index, index + 1, "unopened"))
            elif not text[opened + 1 : index].strip():
                problems.append(BracketProblem(opened, index + 1, "empty"))
            else:
                tags.append(TagToken(opened, index + 1, text[opened + 1 : index].strip()))
            opened = None
        elif char == "\n":
            close_unclosed(_first_word_end(text, opened, index))
            opened = None
    close_unclosed(_first_word_end(text, opened, len(text)))
    return tags, problems


def _first_word_end(text: str, start: int | None, limit: int) -> int:
    """Where the first word after ``[`` at ``start`` ends, at most ``limit``: an unclosed
    tag's span is ``[inaudible``, not the rest of its line."""
    if start is None:
        return limit
    end = start + 1
    while end < limit and text[end].isspace():
        end += 1
    while end < limit and not text[end].isspace() and text[end] not in "[]":
        end += 1
    return end
