"""Masks for clipping: regions to pixels and back, brush strokes, add and subtract.

Qt-free. A *mask* is a 2-D ``bool`` array indexed ``[row, column]`` (``[y, x]``).
``rasterize`` needs numpy only; turning a mask back into regions traces outlines
with OpenCV (``opencv-python-headless``), imported when first needed.

Pixel rule (the same everywhere, so edits round-trip): pixel ``(i, j)`` is set when
its centre ``(i + 0.5, j + 0.5)`` is inside the outer ring (even-odd rule) and inside
no hole. Outlines traced from a mask run along pixel edges, so an outline turned
back into pixels gives exactly the mask it came from before simplification.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from taskkinds.photo_clip.geometry import (
    as_array,
    rings_cross,
    self_intersects,
    signed_area,
    simplify,
)
from taskkinds.photo_clip.model import MAX_HOLES, MAX_POINTS, MAX_REGIONS, Point, Region

__all__ = [
    "DEFAULT_TOLERANCE",
    "Mask",
    "mask_bounds",
    "mask_to_regions",
    "rasterize",
    "rasterize_window",
    "stroke_mask",
    "subtract",
    "union",
]

Mask = npt.NDArray[np.bool_]
# Half a pixel diagonal and a bit: removes the stair steps of traced outlines.
DEFAULT_TOLERANCE = 0.75


@dataclass(frozen=True)
class _Window:
    """A rectangle of whole pixels: columns x0..x0+w-1, rows y0..y0+h-1."""

    x0: int
    y0: int
    w: int
    h: int

    @classmethod
    def around(cls, rings: Sequence[npt.NDArray[np.float64]]) -> _Window:
        """The whole pixels touched by the box around ``rings``."""
        points = np.concatenate(rings)
        lo, hi = points.min(axis=0), points.max(axis=0)
        x0, y0 = math.floor(lo[0]), math.floor(lo[1])
        return cls(x0, y0, math.ceil(hi[0]) - x0, math.ceil(hi[1]) - y0)

    def intersect(self, other: _Window) -> _Window:
        x0, y0 = max(self.x0, other.x0), max(self.y0, other.y0)
        x1 = min(self.x0 + self.w, other.x0 + other.w)
        y1 = min(self.y0 + self.h, other.y0 + other.h)
        return _Window(x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    def merge(self, other: _Window) -> _Window:
        if self.empty:
            return other
        if other.empty:
            return self
        x0, y0 = min(self.x0, other.x0), min(self.y0, other.y0)
        x1 = max(self.x0 + self.w, other.x0 + other.w)
        y1 = max(self.y0 + self.h, other.y0 + other.h)
        return _Window(x0, y0, x1 - x0, y1 - y0)

    @property
    def empty(self) -> bool:
        return self.w <= 0 or self.h <= 0

    @property
    def slices(self) -> tuple[slice, slice]:
        return slice(self.y0, self.y0 + self.h), slice(self.x0, self.x0 + self.w)


def _ring_parity(ring: npt.NDArray[np.float64], window: _Window) -> Mask:
    """Pixels of ``window`` whose centres are inside ``ring`` (even-odd), by scanlines:
    each edge toggles, on every row whose centre line it crosses, the pixels right of
    the crossing; a running XOR along each row then fills the spans."""
    mask = np.zeros((window.h, window.w), dtype=bool)
    if len(ring) < 3 or window.empty:
        return mask
    a, b = ring, np.roll(ring, -1, axis=0)
    y_lo, y_hi = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
    # Rows whose centre y0 + r + 0.5 lies in [y_lo, y_hi): half-open, so a vertex
    # on a centre line counts once and horizontal edges never count.
    first = np.clip(np.ceil(y_lo - window.y0 - 0.5), 0, window.h).astype(np.int64)
    stop = np.clip(np.ceil(y_hi - window.y0 - 0.5), 0, window.h).astype(np.int64)
    counts = np.maximum(stop - first, 0)
    total = int(counts.sum())
    if total == 0:
        return mask
    edge = np.repeat(np.arange(len(a)), counts)
    rows = first[edge] + np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    yc = window.y0 + rows + 0.5
    ax, ay, bx, by = a[edge, 0], a[edge, 1], b[edge, 0], b[edge, 1]
    x = ax + (yc - ay) * (bx - ax) / (by - ay)
    columns = np.clip(np.ceil(x - window.x0 - 0.5), 0, window.w).astype(np.int64)
    toggles = np.zeros((window.h, window.w + 1), dtype=np.uint8)
    np.bitwise_xor.at(toggles, (rows, columns), 1)
    np.bitwise_xor.accumulate(toggles, axis=1, out=toggles)
    return toggles[:, : window.w].view(bool)


def _fill(regions: Sequence[Region], window: _Window, out: Mask) -> None:
    """OR the pixels of ``regions`` that fall in ``window`` into ``out`` (window-sized)."""
    for region in regions:
        outer = as_array(region.outer)
        part = _Window.around([outer]).intersect(window)
        if part.empty:
            continue
        filled = _ring_parity(outer, part)
        for hole in region.holes:
            filled &= ~_ring_parity(as_array(hole), part)
        rows = slice(part.y0 - window.y0, part.y0 - window.y0 + part.h)
        columns = slice(part.x0 - window.x0, part.x0 - window.x0 + part.w)
        out[rows, columns] |= filled


def rasterize(regions: Sequence[Region], width: int, height: int) -> Mask:
    """The ``height × width`` mask of the union of ``regions`` (parts outside the image
    are dropped). Raises ``ValueError`` for a negative size."""
    if width < 0 or height < 0:
        raise ValueError(f"a mask cannot be {width} × {height}")
    mask = np.zeros((height, width), dtype=bool)
    _fill(regions, _Window(0, 0, width, height), mask)
    return mask


def rasterize_window(regions: Sequence[Region], x0: int, y0: int, width: int, height: int) -> Mask:
    """The mask of ``regions`` over the pixels ``x0 ≤ x < x0+width``, ``y0 ≤ y < y0+height``
    (the window may extend outside the image, e.g. to compare two results)."""
    mask = np.zeros((height, width), dtype=bool)
    _fill(regions, _Window(x0, y0, width, height), mask)
    return mask


def mask_bounds(mask: Mask) -> tuple[int, int, int, int] | None:
    """``(x0, y0, x1, y1)`` (exclusive ends) of the set pixels, or None when none is set."""
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if not len(rows):
        return None
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _cv2() -> Any:
    import cv2  # OpenCV is heavy: only the operations that trace outlines load it

    return cv2


def _simple_ring(ring: npt.NDArray[np.float64], tolerance: float, outer: Any = None) -> list[Point]:
    """Simplify a traced ring within ``tolerance``, halving it while the result crosses
    itself (or ``outer``) or has over ``MAX_POINTS`` vertices; the traced ring itself
    never crosses. A huge, ragged outline is coarsened rather than refused."""
    if len(ring) <= 8:  # a pixel or two: nothing to gain
        return [(float(x), float(y)) for x, y in ring]
    step = tolerance
    while step >= 0.1:
        candidate = simplify(ring, step)
        if (
            len(candidate) <= MAX_POINTS
            and not self_intersects(candidate)
            and (outer is None or not rings_cross(candidate, outer))
        ):
            return candidate
        step /= 2
    exact = [(float(x), float(y)) for x, y in ring]
    while len(exact) > MAX_POINTS:
        tolerance = max(tolerance, 0.5) * 2
        exact = simplify(ring, tolerance)
    return exact


def mask_to_regions(
    mask: Mask,
    *,
    origin: tuple[int, int] = (0, 0),
    tolerance: float = DEFAULT_TOLERANCE,
    min_area: float = 0.0,
    min_hole_area: float = 0.0,
    label: str | None = None,
) -> list[Region]:
    """Regions whose pixels are the set pixels of ``mask`` (8-connected pieces, holes
    4-connected), largest first, at most ``MAX_REGIONS``.

    ``origin`` is the image position of ``mask[0, 0]`` (for a crop). Outlines run along
    pixel edges, then are simplified by Douglas–Peucker within ``tolerance`` pixels
    (0 keeps them exact), never so far that a ring crosses itself or its outer ring.
    Pieces under ``min_area`` square pixels are dropped; holes under ``min_hole_area``
    are filled, as are all but the ``MAX_HOLES`` largest holes of a piece. Every region
    gets ``label``. Raises ``ValueError`` when ``mask`` is not 2-D.
    """
    if mask.ndim != 2:
        raise ValueError(f"a mask has two dimensions, not {mask.ndim}")
    bounds = mask_bounds(mask)
    if bounds is None:
        return []
    cv2 = _cv2()
    x0, y0, x1, y1 = bounds
    crop = mask[y0:y1, x0:x1]
    # Doubled grid: odd cells are pixels, even cells their edges and corners. Dilating
    # the pixels marks the edges and corners around them, so OpenCV's outlines (which
    # pass through the centres of boundary cells) run along pixel edges, exactly.
    grid = np.zeros((2 * crop.shape[0] + 1, 2 * crop.shape[1] + 1), dtype=np.uint8)
    grid[1::2, 1::2] = crop
    grid = cv2.dilate(grid, np.ones((3, 3), np.uint8))
    contours, hierarchy = cv2.findContours(grid, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    links = hierarchy[0]
    shift = np.array([origin[0] + x0, origin[1] + y0], dtype=np.float64)
    pieces: list[tuple[float, Region]] = []
    for index, contour in enumerate(contours):
        if links[index][3] != -1:
            continue  # a hole; taken with its outer ring below
        outer = contour.reshape(-1, 2) / 2.0 + shift
        area = abs(signed_area(outer))
        if area < min_area or len(outer) < 3:
            continue
        outer_ring = _simple_ring(outer, tolerance)
        traced: list[tuple[float, npt.NDArray[np.float64]]] = []
        child = links[index][2]
        while child != -1:
            hole = contours[child].reshape(-1, 2) / 2.0 + shift
            hole_area = abs(signed_area(hole))
            if len(hole) >= 3 and hole_area >= max(min_hole_area, 1e-9):
                traced.append((hole_area, hole))
            child = links[child][0]
        traced.sort(key=lambda pair: -pair[0])
        kept = traced[:MAX_HOLES]  # the largest; the rest are filled
        area -= sum(hole_area for hole_area, _ in kept)
        holes = [_simple_ring(hole, tolerance, outer_ring) for _, hole in kept]
        region = Region(outer=outer_ring, holes=holes, label=label)
        pieces.append((area, region))
    pieces.sort(key=lambda pair: -pair[0])
    return [region for _, region in pieces[:MAX_REGIONS]]


def stroke_mask(points: Sequence[Point], radius: float, width: int, height: int) -> Mask:
    """The ``height × width`` mask of a brush stroke: pixels whose centres lie within
    ``radius`` of the polyline through ``points`` (one point makes a disc).
    Raises ``ValueError`` for a negative radius."""
    if radius < 0:
        raise ValueError(f"a brush cannot have a radius of {radius}")
    mask = np.zeros((height, width), dtype=bool)
    pts = as_array(points)
    if not len(pts):
        return mask
    segments = zip(pts, pts[1:], strict=False) if len(pts) > 1 else [(pts[0], pts[0])]
    for a, b in segments:
        x0 = max(0, math.floor(min(a[0], b[0]) - radius))
        y0 = max(0, math.floor(min(a[1], b[1]) - radius))
        x1 = min(width, math.ceil(max(a[0], b[0]) + radius) + 1)
        y1 = min(height, math.ceil(max(a[1], b[1]) + radius) + 1)
        if x1 <= x0 or y1 <= y0:
            continue
        xs = np.arange(x0, x1) + 0.5
        ys = (np.arange(y0, y1) + 0.5)[:, None]
        ab = b - a
        length2 = float(ab @ ab)
        t = np.clip(((xs - a[0]) * ab[0] + (ys - a[1]) * ab[1]) / max(length2, 1e-12), 0, 1)
        dx, dy = xs - (a[0] + t * ab[0]), ys - (a[1] + t * ab[1])
        mask[y0:y1, x0:x1] |= dx * dx + dy * dy <= radius * radius
    return mask


def _common_label(regions: Sequence[Region]) -> str | None:
    """The label every region has, or None when they differ or there is none."""
    labels = {region.label for region in regions}
    return labels.pop() if len(labels) == 1 else None


def _combine(
    regions: Sequence[Region],
    other: Sequence[Region] | Mask,
    width: int,
    height: int,
    add: bool,
    tolerance: float,
) -> list[Region]:
    image = _Window(0, 0, width, height)
    nothing = _Window(0, 0, 0, 0)
    if isinstance(other, np.ndarray):
        if other.shape != (height, width):
            raise ValueError(
                f"the mask is {other.shape[1]} × {other.shape[0]}, the image {width} × {height}"
            )
        bounds = mask_bounds(other)
        reach = (
            _Window(*bounds[:2], bounds[2] - bounds[0], bounds[3] - bounds[1])
            if bounds
            else nothing
        )
    else:
        reach = (
            _Window.around([as_array(r.outer) for r in other]).intersect(image)
            if other
            else nothing
        )
    if reach.empty:
        return list(regions)
    # Only regions near the edit are redrawn from pixels; the others stay exactly as drawn.
    near = _Window(reach.x0 - 1, reach.y0 - 1, reach.w + 2, reach.h + 2)
    touched = [r for r in regions if not _Window.around([as_array(r.outer)]).intersect(near).empty]
    untouched = [r for r in regions if not any(r is t for t in touched)]
    window = reach if add else nothing
    if touched:
        window = window.merge(_Window.around([as_array(r.outer) for r in touched]).intersect(image))
    if window.empty:
        return untouched
    if touched or regions:
        label = _common_label(touched or regions)
    else:
        label = None if isinstance(other, np.ndarray) else _common_label(other)
    if isinstance(other, np.ndarray):
        edit = other[window.slices]
    else:
        edit = np.zeros((window.h, window.w), dtype=bool)
        _fill(other, window, edit)
    base = np.zeros((window.h, window.w), dtype=bool)
    _fill(touched, window, base)
    combined = base | edit if add else base & ~edit
    redrawn = mask_to_regions(
        combined, origin=(window.x0, window.y0), tolerance=tolerance, label=label
    )
    return [*untouched, *redrawn][:MAX_REGIONS]


def union(
    regions: Sequence[Region],
    other: Sequence[Region] | Mask,
    width: int,
    height: int,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Region]:
    """``regions`` with ``other`` (regions, or a full-size mask such as a brush stroke)
    added. Regions whose box does not reach the edit come back unchanged, first; the
    others are merged with it through pixels (clipped to the ``width × height`` image,
    outlined with ``mask_to_regions``), keeping their label when they share one. At
    most ``MAX_REGIONS`` come back. Raises ``ValueError`` when a mask's shape is not
    ``(height, width)``."""
    return _combine(regions, other, width, height, True, tolerance)


def subtract(
    regions: Sequence[Region],
    other: Sequence[Region] | Mask,
    width: int,
    height: int,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[Region]:
    """``regions`` with ``other`` taken away (eraser, subtract tool, cutting a hole);
    regions the edit does not reach come back unchanged; see ``union``."""
    return _combine(regions, other, width, height, False, tolerance)
