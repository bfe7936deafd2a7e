"""Checks shown before a clipping is submitted, and its grade against a gold clipping.

Qt-free and numpy-only (no OpenCV), so the mock server can grade without it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from taskkinds.base import Problem, Severity
from taskkinds.photo_clip.geometry import (
    as_array,
    points_in_ring,
    region_area,
    rings_cross,
    self_intersects,
)
from taskkinds.photo_clip.masks import Mask, rasterize_window
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region

__all__ = ["MAX_GRADE_PIXELS", "OUTSIDE_TOLERANCE", "boundary_f", "grade", "iou", "validate"]

ERROR = Severity.ERROR
# Outlines traced along pixel edges reach the image border exactly; clicks may overshoot.
OUTSIDE_TOLERANCE = 0.5


def validate(payload: PhotoClipPayload, result: PhotoClipResult) -> list[Problem]:
    """Problems with ``result``, all errors (they block submitting), in region order.

    Codes: ``no_region`` (nothing clipped yet; alone when it applies);
    ``self_intersecting`` (an outer ring or a hole whose edges cross);
    ``hole_outside`` (a hole not inside its outer ring: crossing it, running along it
    or lying beside it; touching it at a point is fine); ``too_small`` (area under
    ``payload.min_area``, not checked while the outer ring crosses itself);
    ``outside_image`` (a point more than half a pixel outside
    ``[0, width] × [0, height]``). ``where`` is the region's index, as a string.
    Raises nothing.
    """
    if not result.regions:
        return [
            Problem(
                "no_region",
                "Nothing is clipped yet. Draw around the object, or use an assist, "
                "before submitting.",
                ERROR,
            )
        ]
    problems: list[Problem] = []
    for index, region in enumerate(result.regions):
        problems.extend(_region_problems(payload, region, str(index)))
    return problems


def _region_problems(payload: PhotoClipPayload, region: Region, where: str) -> Iterator[Problem]:
    name = f"Region {int(where) + 1}"
    crossed = self_intersects(region.outer)
    if crossed:
        yield Problem(
            "self_intersecting",
            f"{name} crosses itself. Move the points so its outline does not cross.",
            ERROR,
            where,
        )
    crossing_holes = [n for n, hole in enumerate(region.holes, 1) if self_intersects(hole)]
    if crossing_holes:
        yield Problem(
            "self_intersecting",
            f"{name}: {_holes(crossing_holes, 'crosses itself', 'cross themselves')}. "
            "Move the points so no outline crosses.",
            ERROR,
            where,
        )
    outside = [n for n, hole in enumerate(region.holes, 1) if _hole_outside(region.outer, hole)]
    if outside:
        yield Problem(
            "hole_outside",
            f"{name}: {_holes(outside, 'reaches', 'reach')} outside the region. "
            "Keep holes inside the outline, or delete them.",
            ERROR,
            where,
        )
    area = region_area(region)
    if not crossed and area < payload.min_area:  # a crossed outline has no meaningful area
        yield Problem(
            "too_small",
            f"{name} is too small ({area:.0f} square pixels, at least "
            f"{payload.min_area:.0f} needed). Enlarge it or delete it.",
            ERROR,
            where,
        )
    points = np.concatenate([as_array(ring) for ring in (region.outer, *region.holes)])
    lo, hi = points.min(axis=0), points.max(axis=0)
    if (
        lo[0] < -OUTSIDE_TOLERANCE
        or lo[1] < -OUTSIDE_TOLERANCE
        or hi[0] > payload.width + OUTSIDE_TOLERANCE
        or hi[1] > payload.height + OUTSIDE_TOLERANCE
    ):
        yield Problem(
            "outside_image",
            f"{name} goes outside the photo. Move its points inside the image.",
            ERROR,
            where,
        )


def _holes(numbers: list[int], one: str, many: str) -> str:
    """'hole 2 <one>' or 'holes 1, 3 <many>'."""
    listed = ", ".join(str(n) for n in numbers)
    return f"hole {listed} {one}" if len(numbers) == 1 else f"holes {listed} {many}"


def _hole_outside(outer: list[tuple[float, float]], hole: list[tuple[float, float]]) -> bool:
    """A hole is outside when it crosses the outer ring, or when a vertex or an edge
    midpoint of it lies outside the outer ring and not on it."""
    if rings_cross(outer, hole):
        return True
    ring = as_array(hole)
    probes = np.concatenate([ring, (ring + np.roll(ring, -1, axis=0)) / 2])
    inside = points_in_ring(probes, outer)
    if inside.all():
        return False
    return bool(np.any(_distance_to_ring(probes[~inside], as_array(outer)) > 1e-6))


def _distance_to_ring(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    a, b = ring, np.roll(ring, -1, axis=0)
    ab = b - a
    length2 = np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-24)
    best = np.full(len(points), np.inf)
    step = max(1, 1_000_000 // len(ring))
    for start in range(0, len(points), step):
        p = points[start : start + step, None, :]
        t = np.clip(np.einsum("pkj,kj->pk", p - a, ab) / length2, 0, 1)
        nearest = a + t[..., None] * ab
        best[start : start + step] = np.hypot(*(p - nearest).transpose(2, 0, 1)).min(axis=1)
    return best


# --- grade -----------------------------------------------------------------------------


# Grading compares pixels; past this many the two results are compared at a coarser
# scale, so a result drawn far outside its image cannot exhaust memory.
MAX_GRADE_PIXELS = 25_000_000


def _scaled(result: PhotoClipResult, factor: float) -> list[Region]:
    if factor == 1:
        return result.regions
    return [
        Region(
            outer=[(x / factor, y / factor) for x, y in region.outer],
            holes=[[(x / factor, y / factor) for x, y in hole] for hole in region.holes],
        )
        for region in result.regions
    ]


def _masks_of(first: PhotoClipResult, second: PhotoClipResult) -> tuple[Mask, Mask]:
    """Both results rasterized on one grid covering both (they need no image size)."""
    rings = [as_array(r.outer) for r in (*first.regions, *second.regions)]
    if not rings:
        empty = np.zeros((0, 0), dtype=bool)
        return empty, empty
    points = np.concatenate(rings)
    span = points.max(axis=0) - points.min(axis=0) + 2
    factor = max(1, math.ceil(math.sqrt(float(span[0]) * float(span[1]) / MAX_GRADE_PIXELS)))
    regions = _scaled(first, factor), _scaled(second, factor)
    points = points / factor
    x0, y0 = math.floor(points[:, 0].min()), math.floor(points[:, 1].min())
    w = math.ceil(points[:, 0].max()) - x0
    h = math.ceil(points[:, 1].max()) - y0
    return (
        rasterize_window(regions[0], x0, y0, w, h),
        rasterize_window(regions[1], x0, y0, w, h),
    )


def iou(mask: Mask, gold_mask: Mask) -> float:
    """Intersection over union of two same-shaped masks; 1.0 when both are empty."""
    union = np.count_nonzero(mask | gold_mask)
    if union == 0:
        return 1.0
    return np.count_nonzero(mask & gold_mask) / union


def grade(result: PhotoClipResult, gold: PhotoClipResult) -> float:
    """IoU in [0, 1] between the pixels of ``result`` and of ``gold``.

    Both are rasterized with the pixel-centre rule of ``masks`` (a pixel counts when
    its centre is inside a region and outside its holes; overlapping regions count
    once) over the box around both, so no image size is needed. A box over
    ``MAX_GRADE_PIXELS`` is sampled on a coarser grid (whole-pixel steps), which
    approximates the IoU. 1.0 when both are
    empty, 0.0 when only one is. ``boundary_f`` gives a boundary score to show beside
    it. Raises nothing.
    """
    mask, gold_mask = _masks_of(result, gold)
    return iou(mask, gold_mask)


def _boundary(mask: Mask) -> Mask:
    """Set pixels with a 4-neighbour unset (or off the mask's edge)."""
    padded = np.pad(mask, 1, constant_values=False)
    interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:] & mask
    return mask & ~interior


def _near(points: Mask, tolerance_px: int) -> Mask:
    """Pixels within ``tolerance_px`` (Euclidean) of a set pixel of ``points``."""
    if tolerance_px <= 0:
        return points.copy()
    r = tolerance_px
    padded = np.pad(points, r, constant_values=False)
    near = np.zeros_like(points)
    h, w = points.shape
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy <= r * r:
                near |= padded[r + dy : r + dy + h, r + dx : r + dx + w]
    return near


def boundary_f(mask: Mask, gold_mask: Mask, tolerance_px: int = 2) -> float:
    """Boundary F-score in [0, 1] of two same-shaped masks (as in DAVIS).

    The boundary of a mask is its set pixels with an unset 4-neighbour. Precision is
    the share of ``mask``'s boundary pixels within ``tolerance_px`` of ``gold_mask``'s
    boundary, recall the converse; the score is their harmonic mean. 1.0 when both
    are empty, 0.0 when only one is. Raises ``ValueError`` when the shapes differ.
    """
    if mask.shape != gold_mask.shape:
        raise ValueError(f"masks of shapes {mask.shape} and {gold_mask.shape} cannot be compared")
    edge, gold_edge = _boundary(mask), _boundary(gold_mask)
    found, expected = np.count_nonzero(edge), np.count_nonzero(gold_edge)
    if found == 0 and expected == 0:
        return 1.0
    if found == 0 or expected == 0:
        return 0.0
    precision = np.count_nonzero(edge & _near(gold_edge, tolerance_px)) / found
    recall = np.count_nonzero(gold_edge & _near(edge, tolerance_px)) / expected
    if precision + recall == 0:
        return 0.0
    return float(2 * precision * recall / (precision + recall))
