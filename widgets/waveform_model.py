"""The Qt-free model of the waveform view: the peak source contract and its cache, ruler
ticks and time labels, and how far a segment edge may be dragged.

Pure functions and plain data, so the rules the widget follows are tested without a screen.
"""

from __future__ import annotations

import logging
import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, Protocol

import numpy as np

__all__ = [
    "PeakCache",
    "PeakSource",
    "RULER_STEPS",
    "LabelSpacing",
    "Segment",
    "Tick",
    "clamp_edge",
    "decimals_for_step",
    "format_time",
    "ruler_step",
    "ruler_ticks",
]


log = logging.getLogger(__name__)

Peaks = tuple[np.ndarray, np.ndarray]


class PeakSource(Protocol):
    """Where the view gets its peaks. ``envelope`` returns float32 ``(mins, maxs)``, each of
    length ``columns``, in [-1, 1]: the extremes of the signal in each of ``columns`` equal
    slices of ``[start_s, end_s]``."""

    @property
    def duration(self) -> float: ...

    def envelope(self, start_s: float, end_s: float, columns: int) -> Peaks: ...


class PeakCache:
    """The last few envelopes asked of one source, by ``(start, end, columns)``, so a
    repaint, a playhead move or a return to an earlier view asks the source nothing."""

    def __init__(self, source: PeakSource | None, size: int = 8) -> None:
        self.source = source
        self._size = size
        self._entries: OrderedDict[tuple[float, float, int], Peaks] = OrderedDict()
        self._failed = False

    def clear(self) -> None:
        """Forget everything (the source learnt more of its audio); a failed source is
        asked again."""
        self._entries.clear()
        self._failed = False

    def get(self, start: float, end: float, columns: int) -> Peaks | None:
        """``(mins, maxs)`` of exactly ``columns`` float32 values, or None when there is no
        source or it raised (logged once; asked again only after :meth:`clear`)."""
        key = (start, end, columns)
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        if self.source is None or self._failed:
            return None
        try:
            mins, maxs = self.source.envelope(start, end, columns)
        except Exception:  # a broken source must not take the whole editor down with it
            log.exception("the peak source failed for %.3f-%.3f s", start, end)
            self._failed = True
            return None
        peaks = (_exactly(mins, columns), _exactly(maxs, columns))
        self._entries[key] = peaks
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return peaks


def _exactly(values: Any, columns: int) -> np.ndarray:
    """``values`` as float32 of exactly ``columns`` entries, whatever the source returned."""
    array = np.nan_to_num(np.asarray(values, dtype=np.float32).ravel())
    if len(array) == columns:
        return array
    if len(array) == 0:
        return np.zeros(columns, dtype=np.float32)
    where = np.linspace(0, len(array) - 1, columns)
    return array[np.round(where).astype(int)]


class Segment(NamedTuple):
    """A span of the clip, in clip seconds, with its label (usually the speaker)."""

    start: float
    end: float
    label: str


class Tick(NamedTuple):
    """A ruler tick at ``seconds`` of the clip; major ticks carry a label."""

    seconds: float
    label: str
    major: bool


# (labelled step, minor step) in seconds, from 1 ms to 2 h between labels.
RULER_STEPS: tuple[tuple[float, float], ...] = (
    (0.001, 0.0002),
    (0.002, 0.0005),
    (0.005, 0.001),
    (0.01, 0.002),
    (0.02, 0.005),
    (0.05, 0.01),
    (0.1, 0.02),
    (0.2, 0.05),
    (0.5, 0.1),
    (1.0, 0.2),
    (2.0, 0.5),
    (5.0, 1.0),
    (10.0, 2.0),
    (15.0, 5.0),
    (30.0, 5.0),
    (60.0, 10.0),
    (120.0, 30.0),
    (300.0, 60.0),
    (600.0, 120.0),
    (900.0, 300.0),
    (1800.0, 300.0),
    (3600.0, 600.0),
    (7200.0, 1800.0),
)


def decimals_for_step(step: float) -> int:
    """How many decimals of a second a label needs to tell ticks ``step`` seconds apart."""
    if step >= 1.0:
        return 0
    return min(3, max(1, math.ceil(-math.log10(step) - 1e-9)))


def format_time(seconds: float, decimals: int = 0) -> str:
    """``mm:ss`` (``h:mm:ss`` from one hour), with ``decimals`` of a second: ``01:05.25``."""
    sign = "-" if seconds < 0 and round(abs(seconds) * 10**decimals) else ""
    units = round(abs(seconds) * 10**decimals)  # rounded once, so 59.999 never shows as 60
    whole, fraction = divmod(units, 10**decimals)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
    if decimals:
        text += f".{fraction:0{decimals}d}"
    return f"{sign}{text}"


# How many pixels labels ``step`` seconds apart need between them (their width and a gap).
LabelSpacing = Callable[[float], float]


def ruler_step(pixels_per_second: float, spacing: LabelSpacing) -> tuple[float, float]:
    """The smallest (labelled, minor) step whose labels get the room ``spacing(step)``
    asks for; the largest step when even that one is too dense."""
    for step, minor in RULER_STEPS:
        if step * pixels_per_second >= spacing(step):
            return step, minor
    return RULER_STEPS[-1]


def ruler_ticks(
    start: float, end: float, pixels_per_second: float, spacing: LabelSpacing, offset: float
) -> list[Tick]:
    """Ticks between clip seconds ``start`` and ``end``, placed on round values of the
    recording's time (clip time + ``offset``) and labelled with it. ``spacing`` is as
    for :func:`ruler_step`."""
    if end <= start or pixels_per_second <= 0:
        return []
    step, minor = ruler_step(pixels_per_second, spacing)
    decimals = decimals_for_step(step)
    per_major = round(step / minor)
    # Integer tick counts, so a long clip never drifts off the round values.
    first = math.ceil((start + offset) / minor - 1e-9)
    last = math.floor((end + offset) / minor + 1e-9)
    ticks: list[Tick] = []
    for k in range(first, last + 1):
        absolute = k * minor
        major = k % per_major == 0
        label = format_time(absolute, decimals) if major else ""
        ticks.append(Tick(absolute - offset, label, major))
    return ticks


def clamp_edge(
    segments: Sequence[Segment],
    index: int,
    edge: str,
    seconds: float,
    duration: float,
    min_length: float,
) -> float:
    """Where an edge being dragged to ``seconds`` may go: inside ``[0, duration]``, not past
    its neighbour in time, and leaving the segment at least ``min_length`` long.

    ``edge`` is ``"start"`` or ``"end"``. Segments that already overlap their neighbour are
    never pushed further in, only allowed back out. Raises ``ValueError`` for another edge
    name and ``IndexError`` for an index out of range.
    """
    if edge not in ("start", "end"):
        raise ValueError(f"edge must be 'start' or 'end', not {edge!r}")
    own = segments[index]
    order = sorted(range(len(segments)), key=lambda i: (segments[i].start, segments[i].end))
    place = order.index(index)
    current = own.start if edge == "start" else own.end
    if edge == "start":
        lo = segments[order[place - 1]].end if place > 0 else 0.0
        lo = max(lo, 0.0)
        hi = own.end - min_length
    else:
        lo = own.start + min_length
        hi = segments[order[place + 1]].start if place + 1 < len(order) else duration
        hi = min(hi, duration)
    # A segment already beyond its limits may stay where it is, but not get worse.
    lo, hi = min(lo, current), max(hi, current)
    return min(max(seconds, lo), hi)
