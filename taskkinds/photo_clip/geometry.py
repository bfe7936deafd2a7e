"""Polygon geometry for clipping: areas, containment, crossings, simplification, boxes.

Qt-free and numpy-only. A *ring* is a closed polygon given as its vertices in order
(the last vertex joins the first and is not repeated), as a sequence of ``(x, y)``
pairs in image pixels (see ``model``) or an ``(n, 2)`` float array. Raster work
(masks, brush strokes, add/subtract) lives in ``masks``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

from taskkinds.photo_clip.model import Box, Point, Region

__all__ = [
    "as_array",
    "bounding_box",
    "moved_vertex_crosses",
    "point_in_region",
    "point_in_ring",
    "points_in_ring",
    "region_area",
    "regions_area",
    "regions_bounding_box",
    "rings_cross",
    "self_intersects",
    "signed_area",
    "simplify",
    "simplify_path",
]

FloatArray = npt.NDArray[np.float64]
RingLike = Sequence[Point] | FloatArray

_PAIR_CHUNK = 2_000_000  # candidate edge pairs tested per numpy batch
_ON_EDGE = 1e-9


def as_array(points: RingLike) -> FloatArray:
    """The points as a contiguous ``(n, 2)`` float64 array (a copy only when needed)."""
    array = np.asarray(points, dtype=np.float64)
    if array.size == 0:
        return array.reshape(0, 2)
    if array.ndim != 2 or array.shape[1] != 2:
        raise ValueError(f"expected (x, y) points, got an array of shape {array.shape}")
    return array


# --- areas, boxes, containment ---------------------------------------------------------


def signed_area(ring: RingLike) -> float:
    """Shoelace area of ``ring``: positive when its vertices run clockwise on screen
    (y pointing down), negative when anticlockwise, 0 for fewer than 3 vertices."""
    pts = as_array(ring)
    if len(pts) < 3:
        return 0.0
    x, y = pts[:, 0], pts[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0


def region_area(region: Region) -> float:
    """Area of the outer ring less the areas of the holes, in square pixels (never negative).

    Holes are assumed inside the outer ring and apart from each other; ``checks``
    reports those that are not.
    """
    area = abs(signed_area(region.outer)) - sum(abs(signed_area(hole)) for hole in region.holes)
    return max(area, 0.0)


def regions_area(regions: Iterable[Region]) -> float:
    """Sum of ``region_area`` (overlaps between regions are counted twice)."""
    return sum(region_area(region) for region in regions)


def bounding_box(points: RingLike) -> Box:
    """The smallest box holding every point; raises ``ValueError`` when there is none."""
    pts = as_array(points)
    if len(pts) == 0:
        raise ValueError("no points, so no bounding box")
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return Box(x=float(lo[0]), y=float(lo[1]), w=float(hi[0] - lo[0]), h=float(hi[1] - lo[1]))


def regions_bounding_box(regions: Iterable[Region]) -> Box | None:
    """The box around every outer ring, or None when there is no region."""
    outers = [as_array(region.outer) for region in regions]
    return bounding_box(np.concatenate(outers)) if outers else None


def points_in_ring(points: RingLike, ring: RingLike) -> npt.NDArray[np.bool_]:
    """For each point, whether it lies inside ``ring`` (even-odd rule).

    A point exactly on an edge may go either way; use it only where that does not matter.
    """
    pts, poly = as_array(points), as_array(ring)
    inside = np.zeros(len(pts), dtype=bool)
    if len(poly) < 3 or len(pts) == 0:
        return inside
    a, b = poly, np.roll(poly, -1, axis=0)
    # Chunks bound the (points × edges) temporaries to a few MB.
    step = max(1, 1_000_000 // len(poly))
    for start in range(0, len(pts), step):
        px = pts[start : start + step, 0:1]
        py = pts[start : start + step, 1:2]
        straddles = (a[:, 1] > py) != (b[:, 1] > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = a[:, 0] + (py - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        crossings = np.count_nonzero(straddles & (px < x_cross), axis=1)
        inside[start : start + step] = crossings % 2 == 1
    return inside


def point_in_ring(point: Point, ring: RingLike) -> bool:
    """Whether ``point`` lies inside ``ring`` (even-odd rule)."""
    return bool(points_in_ring([point], ring)[0])


def point_in_region(point: Point, region: Region) -> bool:
    """Whether ``point`` is inside the outer ring and outside every hole."""
    if not point_in_ring(point, region.outer):
        return False
    return not any(point_in_ring(point, hole) for hole in region.holes)


# --- crossings ----------------------------------------------------------------------------


def _orient(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """Twice the signed area of each triangle a[k], b[k], c[k] (0 when collinear)."""
    return (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0])


def _strictly_between(point: FloatArray, a: FloatArray, b: FloatArray) -> npt.NDArray[np.bool_]:
    """For points known to be on line a–b: whether each lies strictly inside the segment."""
    ab = b - a
    t = np.einsum("ij,ij->i", point - a, ab)
    return (t > 0) & (t < np.einsum("ij,ij->i", ab, ab))


def _segments_cross(
    p: FloatArray,
    q: FloatArray,
    r: FloatArray,
    s: FloatArray,
    before_p: FloatArray,
    before_r: FloatArray,
) -> bool:
    """Whether any segment p[k]–q[k] crosses r[k]–s[k].

    A crossing is: both interiors crossing at one point; a collinear overlap of positive
    length; or the ring passing through the other edge at a vertex (``before_p`` is the
    vertex before p, so the ring runs before_p → p → q: p on r–s with before_p and q on
    opposite sides). Touching at a point without passing through is not a crossing.
    """
    d1, d2 = _orient(r, s, p), _orient(r, s, q)
    d3, d4 = _orient(p, q, r), _orient(p, q, s)
    if np.any((d1 * d2 < 0) & (d3 * d4 < 0)):
        return True
    for on_line, point, seg_a, seg_b, before, after in (
        (d1 == 0, p, r, s, before_p, q),
        (d3 == 0, r, p, q, before_r, s),
    ):
        if np.any(on_line):
            k = np.flatnonzero(on_line)
            inside = _strictly_between(point[k], seg_a[k], seg_b[k])
            k = k[inside]
            sides = _orient(seg_a[k], seg_b[k], before[k]) * _orient(seg_a[k], seg_b[k], after[k])
            if np.any(sides < 0):
                return True
    collinear = (d1 == 0) & (d2 == 0) & (d3 == 0) & (d4 == 0)
    if not np.any(collinear):
        return False
    p, q, r, s = p[collinear], q[collinear], r[collinear], s[collinear]
    # Project on the longer axis of p–q; overlapping means the intervals share a length.
    axis = (np.abs(q[:, 0] - p[:, 0]) < np.abs(q[:, 1] - p[:, 1])).astype(int)
    rows = np.arange(len(p))
    a0, a1 = p[rows, axis], q[rows, axis]
    b0, b1 = r[rows, axis], s[rows, axis]
    lo = np.maximum(np.minimum(a0, a1), np.minimum(b0, b1))
    hi = np.minimum(np.maximum(a0, a1), np.maximum(b0, b1))
    return bool(np.any(hi - lo > _ON_EDGE))


def _edge_pairs_cross(
    start: FloatArray,
    end: FloatArray,
    before: FloatArray,
    group: npt.NDArray[np.int64],
    ring_size: int | None,
) -> bool:
    """Sweep-and-prune over edges: sort by the lower bound on one axis, pair only edges
    whose intervals overlap on both axes, then test those pairs in numpy batches.

    With ``ring_size`` (one ring) pairs of neighbouring edges are skipped; otherwise
    only pairs from different ``group`` values are tested.
    """
    n = len(start)
    lo, hi = np.minimum(start, end), np.maximum(start, end)
    best: tuple[int, int, npt.NDArray[np.int32], npt.NDArray[np.intp]] | None = None
    for axis in (0, 1):  # sweep along the axis that yields fewer candidate pairs
        order = np.argsort(lo[:, axis], kind="stable")
        stop = np.searchsorted(lo[order, axis], hi[order, axis], side="right")
        counts = np.maximum(stop - np.arange(n) - 1, 0).astype(np.int32)
        total = int(counts.sum())
        if best is None or total < best[0]:
            best = (total, axis, counts, order)
    assert best is not None
    _, axis, counts, order = best
    # In sweep order the intervals on the sweep axis overlap by construction.
    cross_lo, cross_hi = lo[order, 1 - axis], hi[order, 1 - axis]
    cumulative = np.cumsum(counts, dtype=np.int64)
    first = 0
    while first < n:
        done = int(cumulative[first]) - int(counts[first])
        last = int(np.searchsorted(cumulative, done + _PAIR_CHUNK, side="right"))
        last = min(max(last, first + 1), n)
        chunk = counts[first:last]
        i = np.repeat(np.arange(first, last, dtype=np.int32), chunk)
        first = last
        if not len(i):
            continue
        j = np.arange(len(i), dtype=np.int32) + 1
        j += i - np.repeat((np.cumsum(chunk, dtype=np.int32) - chunk), chunk)
        keep = (cross_lo[j] <= cross_hi[i]) & (cross_lo[i] <= cross_hi[j])
        a, b = order[i[keep]], order[j[keep]]
        if ring_size is not None:
            gap = np.abs(a - b)
            apart = (gap != 1) & (gap != ring_size - 1)
        else:
            apart = group[a] != group[b]
        a, b = a[apart], b[apart]
        if len(a) and _segments_cross(start[a], end[a], start[b], end[b], before[a], before[b]):
            return True
    return False


def self_intersects(ring: RingLike) -> bool:
    """Whether two non-neighbouring edges of ``ring`` cross or overlap along a length.

    Touching at a single point (a pinch, as mask outlines have where two pixels meet
    diagonally) is allowed. Roughly O(n log n + k) for k nearby edge pairs.
    """
    pts = as_array(ring)
    if len(pts) < 4:
        return False
    return _edge_pairs_cross(
        pts,
        np.roll(pts, -1, axis=0),
        np.roll(pts, 1, axis=0),
        np.zeros(len(pts), np.int64),
        len(pts),
    )


def rings_cross(first: RingLike, second: RingLike) -> bool:
    """Whether an edge of ``first`` crosses an edge of ``second`` (touching is allowed).

    Edges outside the box where both rings overlap are set aside first, so a small
    ring tested against a large one costs little more than a scan of the large one.
    """
    a, b = as_array(first), as_array(second)
    if len(a) < 2 or len(b) < 2:
        return False
    lo = np.maximum(a.min(axis=0), b.min(axis=0))
    hi = np.minimum(a.max(axis=0), b.max(axis=0))
    if np.any(lo > hi):
        return False
    parts = []
    for ring in (a, b):
        start, end, before = ring, np.roll(ring, -1, axis=0), np.roll(ring, 1, axis=0)
        near = np.all(np.maximum(start, end) >= lo, axis=1) & np.all(
            np.minimum(start, end) <= hi, axis=1
        )
        parts.append((start[near], end[near], before[near]))
    group = np.repeat(np.array([0, 1], dtype=np.int64), [len(parts[0][0]), len(parts[1][0])])
    if not (len(parts[0][0]) and len(parts[1][0])):
        return False
    return _edge_pairs_cross(
        np.concatenate([parts[0][0], parts[1][0]]),
        np.concatenate([parts[0][1], parts[1][1]]),
        np.concatenate([parts[0][2], parts[1][2]]),
        group,
        None,
    )


def moved_vertex_crosses(ring: RingLike, index: int, new_point: Point) -> bool:
    """Whether moving vertex ``index`` of ``ring`` to ``new_point`` makes one of its two
    edges cross another edge. O(n) with no Python loop: for live feedback while dragging.

    Raises ``IndexError`` when ``index`` is not a vertex of the ring.
    """
    pts = as_array(ring).copy()
    n = len(pts)
    if not -n <= index < n:
        raise IndexError(f"vertex {index} does not exist in a ring of {n}")
    index %= n
    pts[index] = new_point
    if n < 4:
        return False
    starts, ends, befores = pts, np.roll(pts, -1, axis=0), np.roll(pts, 1, axis=0)
    for edge in ((index - 1) % n, index):
        mask = np.ones(n, dtype=bool)
        mask[np.array([edge - 1, edge, edge + 1]) % n] = False  # itself and its neighbours
        count = int(mask.sum())
        p, q, before = (np.broadcast_to(v[edge], (count, 2)) for v in (starts, ends, befores))
        if _segments_cross(p, q, starts[mask], ends[mask], before, befores[mask]):
            return True
    return False


# --- simplification -----------------------------------------------------------------------


def _distance_to_segment(points: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    ab = b - a
    length2 = float(np.dot(ab, ab))
    if length2 == 0.0:
        return np.hypot(points[:, 0] - a[0], points[:, 1] - a[1])
    t = np.clip(((points - a) @ ab) / length2, 0.0, 1.0)
    nearest = a + t[:, None] * ab
    return np.hypot(points[:, 0] - nearest[:, 0], points[:, 1] - nearest[:, 1])


def _douglas_peucker(chain: FloatArray, tolerance: float) -> npt.NDArray[np.bool_]:
    """Which points of an open chain Douglas–Peucker keeps (both ends always)."""
    keep = np.zeros(len(chain), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(chain) - 1)]
    while stack:
        first, last = stack.pop()
        if last <= first + 1:
            continue
        distances = _distance_to_segment(chain[first + 1 : last], chain[first], chain[last])
        farthest = int(np.argmax(distances))
        if distances[farthest] > tolerance:
            middle = first + 1 + farthest
            keep[middle] = True
            stack.append((first, middle))
            stack.append((middle, last))
    return keep


def simplify_path(points: RingLike, tolerance: float) -> list[Point]:
    """An open polyline with Douglas–Peucker: no dropped point lies farther than
    ``tolerance`` pixels from the result. Both ends are kept."""
    pts = as_array(points)
    if len(pts) <= 2 or tolerance <= 0:
        return [(float(x), float(y)) for x, y in pts]
    kept = pts[_douglas_peucker(pts, tolerance)]
    return [(float(x), float(y)) for x, y in kept]


def simplify(ring: RingLike, tolerance: float) -> list[Point]:
    """A closed ring with Douglas–Peucker (split at vertex 0 and the vertex farthest
    from it). Returns the ring unchanged when simplifying would leave fewer than 3
    vertices. The result may self-intersect where the ring has narrow parts: callers
    that need a simple ring check it with ``self_intersects``."""
    pts = as_array(ring)
    unchanged = [(float(x), float(y)) for x, y in pts]
    if len(pts) <= 3 or tolerance <= 0:
        return unchanged
    farthest = int(np.argmax(np.hypot(*(pts - pts[0]).T)))
    if farthest == 0:
        return unchanged
    first = _douglas_peucker(pts[: farthest + 1], tolerance)
    second = _douglas_peucker(np.concatenate([pts[farthest:], pts[:1]]), tolerance)
    keep = np.concatenate([first[:-1], second[:-1]])
    if int(keep.sum()) < 3:
        return unchanged
    return [(float(x), float(y)) for x, y in pts[keep]]
