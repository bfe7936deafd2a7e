"""The waveform's envelope at any zoom, from a min/max pyramid computed once. Qt-free.

Level 0 holds the minimum and maximum of every block of 256 samples; each further level
merges 4 blocks of the one below. ``WaveformPeaks.envelope`` answers from the coarsest
level whose blocks still fit in one screen column, so drawing costs the same whether the
view shows two seconds or the whole hour; zoomed in closer than 256 samples a column,
it reads the samples themselves.

``WaveformPeaks.from_file`` computes level 0 block by block while the clip decodes, so
the waveform of a long clip costs little more than decoding it. The object is immutable
and thread-safe: it can be built off the UI thread and read from it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from taskkinds.transcription.audio import DEFAULT_MAX_SECONDS, Clip, load_clip

__all__ = ["BLOCK", "LEVEL_FACTOR", "WaveformPeaks", "decode_with_peaks"]

Samples = npt.NDArray[np.float32]
Envelope = tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]

BLOCK = 256  # samples per level-0 block
LEVEL_FACTOR = 4  # blocks of one level merged into a block of the next


class WaveformPeaks:
    """Minimum and maximum of a mono clip's samples at every zoom.

    ``samples`` (read-only float32) stay available, for playback and the closest zooms.
    """

    samples: Samples
    sample_rate: int
    duration: float

    def __init__(self, samples: npt.ArrayLike, sample_rate: int) -> None:
        """Peaks of ``samples`` (one dimension) at ``sample_rate`` samples a second.

        Raises ``ValueError`` when the samples are not one-dimensional or the rate is not
        positive.
        """
        mono = np.asarray(samples, dtype=np.float32)
        if mono.ndim != 1:
            raise ValueError(f"expected mono samples (one dimension), got shape {mono.shape}")
        builder = _LevelZero()
        builder.add(mono)
        self._setup(mono, sample_rate, *builder.finish())

    @classmethod
    def from_clip(cls, clip: Clip) -> WaveformPeaks:
        """Peaks of a decoded ``Clip``."""
        return cls(clip.samples, clip.sample_rate)

    @classmethod
    def from_file(
        cls, path: Path | str, *, max_seconds: float = DEFAULT_MAX_SECONDS
    ) -> WaveformPeaks:
        """Decode the clip at ``path`` and compute its peaks in the same pass.

        Raises ``AudioUnreadable`` as ``load_clip`` does.
        """
        return decode_with_peaks(path, max_seconds=max_seconds)[1]

    def _setup(self, samples: Samples, sample_rate: int, mins: Samples, maxs: Samples) -> None:
        if sample_rate <= 0:
            raise ValueError(f"the sample rate must be positive, got {sample_rate}")
        if not samples.flags.writeable and samples.flags.c_contiguous:
            self.samples = samples
        else:
            self.samples = np.ascontiguousarray(samples).copy()
            self.samples.flags.writeable = False
        self.sample_rate = int(sample_rate)
        self.duration = samples.shape[0] / self.sample_rate
        self._levels = _pyramid(np.clip(mins, -1.0, 1.0), np.clip(maxs, -1.0, 1.0))

    @property
    def levels(self) -> int:
        """How many block levels the pyramid has (the samples themselves not counted)."""
        return len(self._levels)

    def envelope(self, start_s: float, end_s: float, columns: int) -> Envelope:
        """``(mins, maxs)``: float32 arrays of ``columns`` values in [-1, 1] for the span.

        Column ``i`` covers ``[start_s + i·w, start_s + (i+1)·w)`` with ``w`` the span over
        ``columns``; its range contains every sample of that interval and nothing further
        than one column away. Columns outside the clip are 0 (silence). Raises
        ``ValueError`` when ``columns`` is under 1 or the span is empty or not finite.
        """
        if columns < 1:
            raise ValueError(f"columns must be at least 1, got {columns}")
        if not (np.isfinite(start_s) and np.isfinite(end_s)) or end_s <= start_s:
            raise ValueError(f"the span must be finite and not empty, got {start_s}..{end_s}")
        mins = np.zeros(columns, dtype=np.float32)
        maxs = np.zeros(columns, dtype=np.float32)
        total = self.samples.shape[0]
        per_column = (end_s - start_s) * self.sample_rate / columns
        edges = start_s * self.sample_rate + np.arange(columns + 1, dtype=np.float64) * per_column
        # Seconds rarely land on whole samples exactly: snap what rounding moved off them.
        nearest = np.round(edges)
        edges = np.where(np.abs(edges - nearest) < 1e-6, nearest, edges)
        # Columns that overlap the clip: [first, last).
        first = int(np.searchsorted(edges[1:], 0.0, side="right"))
        last = int(np.searchsorted(edges[:-1], float(total), side="left"))
        if first >= last:
            return mins, maxs
        block, low, high = self._level_for(per_column)
        bounds = np.clip(edges[first : last + 1], 0.0, float(total)) / block
        starts = np.floor(bounds[:-1]).astype(np.int64)
        stop = min(int(np.ceil(bounds[-1])), low.shape[0])
        base = int(starts[0])
        low, high = low[base:stop], high[base:stop]
        offsets = np.minimum(starts - base, low.shape[0] - 1)
        col_min = np.fmin.reduceat(low, offsets)
        col_max = np.fmax.reduceat(high, offsets)
        # A block straddling a column's right edge counts for that column too: no peak is lost.
        following = np.append(offsets[1:], low.shape[0])
        straddles = (np.ceil(bounds[1:]) - base > following) & (following < low.shape[0])
        col_min[straddles] = np.fmin(col_min[straddles], low[following[straddles]])
        col_max[straddles] = np.fmax(col_max[straddles], high[following[straddles]])
        mins[first:last] = np.clip(np.nan_to_num(col_min), -1.0, 1.0)
        maxs[first:last] = np.clip(np.nan_to_num(col_max), -1.0, 1.0)
        return mins, maxs

    def _level_for(self, samples_per_column: float) -> tuple[int, Samples, Samples]:
        """The coarsest level whose blocks fit in a column: (block size, mins, maxs)."""
        if samples_per_column < BLOCK or not self._levels:
            return 1, self.samples, self.samples
        level = int(np.log(samples_per_column / BLOCK) / np.log(LEVEL_FACTOR))
        level = min(max(level, 0), len(self._levels) - 1)
        while level > 0 and BLOCK * LEVEL_FACTOR**level > samples_per_column:
            level -= 1  # guards against rounding in the logarithm
        mins, maxs = self._levels[level]
        return BLOCK * LEVEL_FACTOR**level, mins, maxs


def decode_with_peaks(
    path: Path | str, *, max_seconds: float = DEFAULT_MAX_SECONDS
) -> tuple[Clip, WaveformPeaks]:
    """Decode the clip at ``path`` and compute its waveform peaks while decoding.

    The peaks share the clip's samples (no copy). Raises ``AudioUnreadable`` as
    ``load_clip`` does.
    """
    builder = _LevelZero()
    clip = load_clip(path, max_seconds=max_seconds, on_block=builder.add)
    peaks = WaveformPeaks.__new__(WaveformPeaks)
    peaks._setup(clip.samples, clip.sample_rate, *builder.finish())
    return clip, peaks


class _LevelZero:
    """Minimum and maximum of each block of ``BLOCK`` samples, fed any number at a time."""

    def __init__(self) -> None:
        self._mins: list[Samples] = []
        self._maxs: list[Samples] = []
        self._carry = np.empty(0, dtype=np.float32)

    def add(self, samples: Samples) -> None:
        if self._carry.shape[0]:
            take = min(BLOCK - self._carry.shape[0], samples.shape[0])
            self._carry = np.concatenate([self._carry, samples[:take]])
            samples = samples[take:]
            if self._carry.shape[0] < BLOCK:
                return
            self._reduce(self._carry.reshape(1, BLOCK))
            self._carry = np.empty(0, dtype=np.float32)
        whole = samples.shape[0] - samples.shape[0] % BLOCK
        if whole:
            self._reduce(samples[:whole].reshape(-1, BLOCK))
        if whole < samples.shape[0]:
            self._carry = samples[whole:].copy()

    def _reduce(self, blocks: Samples) -> None:
        # fmin/fmax skip NaN, and run faster than min/max along a short axis.
        self._mins.append(np.fmin.reduce(blocks, axis=1))
        self._maxs.append(np.fmax.reduce(blocks, axis=1))

    def finish(self) -> tuple[Samples, Samples]:
        if self._carry.shape[0]:
            self._reduce(self._carry.reshape(1, -1))
            self._carry = np.empty(0, dtype=np.float32)
        if not self._mins:
            return np.empty(0, dtype=np.float32), np.empty(0, dtype=np.float32)
        return np.concatenate(self._mins), np.concatenate(self._maxs)


def _pyramid(mins: Samples, maxs: Samples) -> list[tuple[Samples, Samples]]:
    """Level 0 and every coarser level, each merging ``LEVEL_FACTOR`` blocks of the last."""
    levels: list[tuple[Samples, Samples]] = []
    if mins.shape[0] == 0:
        return levels
    for array in (mins, maxs):
        array.flags.writeable = False
    levels.append((mins, maxs))
    while mins.shape[0] > 1:
        mins, maxs = _merged(mins, np.fmin), _merged(maxs, np.fmax)
        mins.flags.writeable = False
        maxs.flags.writeable = False
        levels.append((mins, maxs))
    return levels


def _merged(values: Samples, combine: np.ufunc) -> Samples:
    short = -values.shape[0] % LEVEL_FACTOR
    if short:  # NaN padding, which fmin and fmax ignore
        values = np.concatenate([values, np.full(short, np.nan, dtype=np.float32)])
    merged: Samples = combine.reduce(values.reshape(-1, LEVEL_FACTOR), axis=1)
    return merged
