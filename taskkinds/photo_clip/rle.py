"""COCO run-length encoding of masks, compatible with pycocotools. Qt-free, numpy-only.

A COCO RLE walks the mask column by column (column-major, "Fortran" order) and
lists alternating run lengths, starting with a run of unset pixels (possibly 0).
The compressed form stores those counts as a string: each count from the fourth
on is replaced by its difference with the count two places before it, then
written as signed 5-bit groups, least significant first, each group as the
character ``48 + group`` with bit 0x20 set when more groups follow (pycocotools'
``rleToString``/``rleFrString``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "counts_from_mask",
    "counts_from_string",
    "counts_to_string",
    "decode",
    "encode",
    "encode_window",
    "mask_from_counts",
]

Mask = npt.NDArray[np.bool_]
_MAX_GROUPS = 13  # 64-bit values need at most 13 groups of 5 bits


def counts_from_mask(mask: Mask) -> list[int]:
    """The uncompressed COCO counts of a 2-D mask."""
    return encode_window(mask, 0, 0, mask.shape[0], mask.shape[1])


def encode_window(window: Mask, x0: int, y0: int, height: int, width: int) -> list[int]:
    """The uncompressed counts of a ``height × width`` mask that is unset everywhere
    except, possibly, in ``window`` placed with its top-left pixel at ``(x0, y0)``.

    Lets exporters encode one region from its bounding box without building a
    full-size mask. Raises ``ValueError`` when the window does not fit the mask.
    """
    h, w = window.shape
    if x0 < 0 or y0 < 0 or x0 + w > width or y0 + h > height:
        raise ValueError(f"a {w} × {h} window at ({x0}, {y0}) does not fit {width} × {height}")
    total = height * width
    # Pad each column with an unset pixel above and below so runs stop at column ends.
    padded = np.zeros((h + 2, w), dtype=np.int8)
    padded[1:-1] = window
    flat = padded.ravel(order="F")
    change = np.flatnonzero(np.diff(flat))
    starts, ends = change[flat[change + 1] == 1] + 1, change[flat[change + 1] == 0] + 1
    # Back to full-mask indices (column-major): padded index → (column, row).
    column_s, row_s = np.divmod(starts, h + 2)
    column_e, row_e = np.divmod(ends, h + 2)
    starts = (x0 + column_s) * height + y0 + row_s - 1
    ends = (x0 + column_e) * height + y0 + row_e - 1
    if len(starts) > 1:  # a run that fills a column to its foot continues in the next one
        joined = ends[:-1] == starts[1:]
        starts = starts[np.concatenate([[True], ~joined])]
        ends = ends[np.concatenate([~joined, [True]])]
    edges = np.empty(2 * len(starts) + 2, dtype=np.int64)
    edges[0], edges[-1] = 0, total
    edges[1:-1:2], edges[2:-1:2] = starts, ends
    if len(starts) and ends[-1] == total:
        edges = edges[:-1]  # like pycocotools: no empty unset run after the last set one
    return [int(c) for c in np.diff(edges)]


def mask_from_counts(counts: Sequence[int], height: int, width: int) -> Mask:
    """The ``height × width`` mask of uncompressed counts.

    Raises ``ValueError`` when a count is negative or they do not add up to the mask.
    """
    runs = np.asarray(counts, dtype=np.int64)
    if np.any(runs < 0):
        raise ValueError("an RLE count is negative")
    if int(runs.sum()) != height * width:
        raise ValueError(
            f"the RLE counts add up to {int(runs.sum())} pixels, not {height} × {width}"
        )
    values = np.arange(len(runs)) % 2 == 1
    flat = np.repeat(values, runs)
    return flat.reshape((width, height)).T.copy()


def counts_to_string(counts: Sequence[int]) -> str:
    """Compress counts into pycocotools' string form."""
    x = np.asarray(counts, dtype=np.int64).copy()
    if len(x) > 3:
        x[3:] -= np.asarray(counts, dtype=np.int64)[1:-2]
    chars = np.zeros((len(x), _MAX_GROUPS), dtype=np.uint8)
    used = np.zeros((len(x), _MAX_GROUPS), dtype=bool)
    active = np.ones(len(x), dtype=bool)
    for group in range(_MAX_GROUPS):
        c = x & 0x1F
        x >>= 5  # arithmetic shift: negative values stay negative
        more = np.where(c & 0x10, x != -1, x != 0) & active
        chars[:, group] = c | np.where(more, 0x20, 0)
        used[:, group] = active
        active = more
        if not active.any():
            break
    return (chars[used] + 48).tobytes().decode("ascii")


def counts_from_string(text: str | bytes) -> list[int]:
    """Decompress pycocotools' string form into counts.

    Raises ``ValueError`` on a character outside ``0``–``o`` or a string cut short.
    """
    raw = np.frombuffer(text.encode("ascii") if isinstance(text, str) else text, np.uint8)
    if len(raw) == 0:
        return []
    if np.any((raw < 48) | (raw > 111)):
        raise ValueError("a compressed RLE holds only the characters '0' to 'o'")
    c = raw.astype(np.int64) - 48
    last = (c & 0x20) == 0
    if not last[-1]:
        raise ValueError("the compressed RLE is cut short")
    ends = np.flatnonzero(last)
    starts = np.concatenate([[0], ends[:-1] + 1])
    lengths = ends - starts + 1
    if lengths.max() > _MAX_GROUPS:
        raise ValueError("a compressed RLE count is too large")
    position = np.arange(len(c)) - np.repeat(starts, lengths)
    x = np.add.reduceat((c & 0x1F) << (5 * position), starts)
    negative = (c[ends] & 0x10) != 0
    x[negative] -= np.left_shift(1, 5 * lengths[negative])
    # Undo the differences: count[i] = x[i] + count[i-2] for i > 2.
    counts = x.copy()
    counts[1::2] = np.cumsum(x[1::2])
    if len(x) > 2:
        counts[2::2] = np.cumsum(x[2::2])
    if np.any(counts < 0) or np.any(counts >= 2**32):
        raise ValueError("the compressed RLE decodes to impossible counts")
    return [int(v) for v in counts]


def encode(mask: Mask) -> dict[str, Any]:
    """A mask as COCO compressed RLE: ``{"size": [height, width], "counts": str}``."""
    height, width = mask.shape
    return {"size": [int(height), int(width)], "counts": counts_to_string(counts_from_mask(mask))}


def decode(rle: Mapping[str, Any]) -> Mask:
    """The mask of a COCO RLE, compressed (``counts`` a string) or not (a list of ints).

    Raises ``ValueError`` when the RLE is malformed or does not fill its ``size``.
    """
    try:
        height, width = (int(v) for v in rle["size"])
        counts = rle["counts"]
    except (KeyError, TypeError, ValueError):
        raise ValueError("an RLE needs 'size': [height, width] and 'counts'") from None
    if height < 0 or width < 0:
        raise ValueError("an RLE cannot have a negative size")
    if isinstance(counts, str | bytes):
        counts = counts_from_string(counts)
    elif not isinstance(counts, list) or not all(isinstance(v, int) for v in counts):
        raise ValueError("RLE 'counts' is a string or a list of integers")
    return mask_from_counts(counts, height, width)
