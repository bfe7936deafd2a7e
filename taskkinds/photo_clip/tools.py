"""Editing logic behind the clipping editor's tools: history, vertex picking, region edits.

Qt-free (the editor turns mouse events into these calls), so it is fast to test.
Region lists are treated as immutable: every edit returns a new list and leaves
the regions it did not touch as the same objects.

History and the scissors' trace need no numpy: the editor builds them before its
first frame, and numpy (with the geometry and masks built on it) is imported by the
first edit that computes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taskkinds.photo_clip.model import Point, Region

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "EdgeHit",
    "History",
    "VertexIndex",
    "VertexRef",
    "add_polygon",
    "cut_polygon",
    "ring_points",
    "with_ring",
    "with_vertex_inserted",
    "with_vertex_removed",
    "without_region",
    "region_at",
    "ScissorsTrace",
]

Regions = tuple[Region, ...]


class History:
    """Undo/redo over immutable snapshots of the region list (unlimited)."""

    def __init__(self, regions: Sequence[Region] = ()) -> None:
        self._done: list[Regions] = [tuple(regions)]
        self._undone: list[Regions] = []

    @property
    def current(self) -> Regions:
        return self._done[-1]

    def push(self, regions: Sequence[Region]) -> None:
        """Record an edit; it clears what could be redone."""
        self._done.append(tuple(regions))
        self._undone.clear()

    def can_undo(self) -> bool:
        return len(self._done) > 1

    def can_redo(self) -> bool:
        return bool(self._undone)

    def undo(self) -> bool:
        """Step back one edit; False when there is none."""
        if not self.can_undo():
            return False
        self._undone.append(self._done.pop())
        return True

    def redo(self) -> bool:
        """Re-apply the last undone edit; False when there is none."""
        if not self._undone:
            return False
        self._done.append(self._undone.pop())
        return True


@dataclass(frozen=True)
class VertexRef:
    """One vertex: region number, ring (0 the outer ring, k the k-th hole) and index."""

    region: int
    ring: int
    index: int


@dataclass(frozen=True)
class EdgeHit:
    """A point on an edge: the vertex it would be inserted before, and where."""

    region: int
    ring: int
    index: int  # insert at this index (between index-1 and index)
    point: Point


def ring_points(regions: Sequence[Region], region: int, ring: int) -> list[Point]:
    """The vertices of one ring; raises ``IndexError`` when it does not exist."""
    item = regions[region]
    return list(item.outer if ring == 0 else item.holes[ring - 1])


def with_ring(
    regions: Sequence[Region], region: int, ring: int, points: Sequence[Point]
) -> list[Region]:
    """A new list where one ring is replaced by ``points`` (at least 3)."""
    item = regions[region]
    rings = [(float(x), float(y)) for x, y in points]
    if ring == 0:
        changed = Region(outer=rings, holes=item.holes, label=item.label)
    else:
        holes = list(item.holes)
        holes[ring - 1] = rings
        changed = Region(outer=item.outer, holes=holes, label=item.label)
    out = list(regions)
    out[region] = changed
    return out


def with_vertex_inserted(regions: Sequence[Region], hit: EdgeHit) -> list[Region]:
    points = ring_points(regions, hit.region, hit.ring)
    points.insert(hit.index, hit.point)
    return with_ring(regions, hit.region, hit.ring, points)


def with_vertex_removed(regions: Sequence[Region], ref: VertexRef) -> list[Region]:
    """Remove one vertex. A ring left with under 3 vertices goes: a hole disappears,
    an outer ring takes its region with it."""
    points = ring_points(regions, ref.region, ref.ring)
    del points[ref.index]
    if len(points) >= 3:
        return with_ring(regions, ref.region, ref.ring, points)
    out = list(regions)
    if ref.ring == 0:
        del out[ref.region]
    else:
        item = out[ref.region]
        holes = [h for k, h in enumerate(item.holes) if k != ref.ring - 1]
        out[ref.region] = Region(outer=item.outer, holes=holes, label=item.label)
    return out


class VertexIndex:
    """Every vertex and edge of a region list in flat arrays, for picking under the mouse."""

    def __init__(self, regions: Sequence[Region]) -> None:
        import numpy as np

        from taskkinds.photo_clip.geometry import as_array

        starts: list[npt.NDArray[np.float64]] = []
        refs: list[npt.NDArray[np.int64]] = []
        for r, region in enumerate(regions):
            for k, ring in enumerate((region.outer, *region.holes)):
                pts = as_array(ring)
                starts.append(pts)
                n = len(pts)
                refs.append(
                    np.column_stack([np.full(n, r), np.full(n, k), np.arange(n)]).astype(np.int64)
                )
        self.points = np.concatenate(starts) if starts else np.zeros((0, 2))
        self.refs = np.concatenate(refs) if refs else np.zeros((0, 3), dtype=np.int64)
        # Each edge runs from a vertex to the next one of its ring.
        ends = [np.roll(pts, -1, axis=0) for pts in starts]
        self.ends = np.concatenate(ends) if ends else np.zeros((0, 2))

    def nearest_vertex(self, point: Point, radius: float) -> VertexRef | None:
        """The vertex closest to ``point`` within ``radius``, or None."""
        if not len(self.points):
            return None
        import numpy as np

        distances = np.hypot(self.points[:, 0] - point[0], self.points[:, 1] - point[1])
        best = int(np.argmin(distances))
        if distances[best] > radius:
            return None
        r, k, i = (int(v) for v in self.refs[best])
        return VertexRef(r, k, i)

    def nearest_edge(self, point: Point, radius: float) -> EdgeHit | None:
        """The closest point on an edge within ``radius`` of ``point``, or None."""
        if not len(self.points):
            return None
        import numpy as np

        a, b = self.points, self.ends
        ab = b - a
        length2 = np.einsum("ij,ij->i", ab, ab)
        p = np.array(point, dtype=np.float64)
        t = np.clip(np.einsum("ij,ij->i", p - a, ab) / np.maximum(length2, 1e-12), 0.0, 1.0)
        nearest = a + t[:, None] * ab
        distances = np.hypot(nearest[:, 0] - p[0], nearest[:, 1] - p[1])
        best = int(np.argmin(distances))
        if distances[best] > radius:
            return None
        r, k, i = (int(v) for v in self.refs[best])
        x, y = nearest[best]
        return EdgeHit(r, k, i + 1, (float(x), float(y)))


def _boxes_meet(regions: Sequence[Region], ring: Sequence[Point]) -> bool:
    from taskkinds.photo_clip.geometry import bounding_box

    box = bounding_box(ring)
    for region in regions:
        other = bounding_box(region.outer)
        if (
            box.x <= other.right
            and other.x <= box.right
            and box.y <= other.bottom
            and other.y <= box.bottom
        ):
            return True
    return False


def add_polygon(
    regions: Sequence[Region], ring: Sequence[Point], width: int, height: int
) -> list[Region]:
    """``regions`` with the polygon ``ring`` added: kept exactly as drawn when it is
    apart from every region, merged through pixels (``union``) when it may overlap."""
    if len(ring) < 3:
        return list(regions)
    polygon = Region(outer=[(float(x), float(y)) for x, y in ring])
    if not _boxes_meet(regions, ring):
        return [*regions, polygon]
    from taskkinds.photo_clip.masks import union

    return union(regions, [polygon], width, height)


def cut_polygon(
    regions: Sequence[Region], ring: Sequence[Point], width: int, height: int
) -> list[Region]:
    """``regions`` with the polygon ``ring`` taken away (a hole when it lies inside)."""
    if len(ring) < 3 or not _boxes_meet(regions, ring):
        return list(regions)
    from taskkinds.photo_clip.masks import subtract

    return subtract(regions, [Region(outer=[(float(x), float(y)) for x, y in ring])], width, height)


def region_at(regions: Sequence[Region], point: Point) -> int | None:
    """The index of the region drawn on top at ``point`` (the last one listed that holds
    it, holes excluded), or None."""
    from taskkinds.photo_clip.geometry import point_in_region

    for index in range(len(regions) - 1, -1, -1):
        if point_in_region(point, regions[index]):
            return index
    return None


def without_region(regions: Sequence[Region], index: int) -> list[Region]:
    """``regions`` with the one at ``index`` removed."""
    return [region for i, region in enumerate(regions) if i != index]


class ScissorsTrace:
    """The anchors clicked with the scissors and the edge-following legs between them.

    Legs arrive later, from background work: ``set_leg`` keeps one only if its anchors
    are still the current ones, so a late answer for an undone anchor is dropped. Until
    its leg arrives, a pair of anchors is joined by a straight line.
    """

    def __init__(self) -> None:
        self.anchors: list[Point] = []
        self._legs: dict[tuple[Point, Point], list[Point]] = {}
        self.live: list[Point] | None = None  # from the last anchor to the cursor

    def add(self, point: Point) -> None:
        self.anchors.append(point)
        self.live = None

    def pop(self) -> None:
        if self.anchors:
            self.anchors.pop()
        self.live = None

    def clear(self) -> None:
        self.anchors.clear()
        self._legs.clear()
        self.live = None

    def set_leg(self, start: Point, end: Point, path: Sequence[Point]) -> bool:
        """Keep the snapped ``path`` from ``start`` to ``end``; False if no longer wanted."""
        pairs = set(zip(self.anchors, self.anchors[1:], strict=False))
        if (start, end) not in pairs:
            return False
        self._legs[(start, end)] = [start, *path[1:-1], end]
        return True

    def set_live(self, start: Point, path: Sequence[Point] | None) -> bool:
        """Keep the snapped path from the last anchor ``start`` to the cursor."""
        if not self.anchors or self.anchors[-1] != start:
            return False
        self.live = None if path is None else list(path)
        return True

    def missing_legs(self) -> list[tuple[Point, Point]]:
        """Pairs of consecutive anchors whose snapped leg has not arrived."""
        return [
            pair
            for pair in zip(self.anchors, self.anchors[1:], strict=False)
            if pair not in self._legs
        ]

    def path(self, cursor: Point | None = None) -> list[Point]:
        """The traced outline so far, then the live leg (or a straight line) to ``cursor``."""
        if not self.anchors:
            return []
        points = [self.anchors[0]]
        for start, end in zip(self.anchors, self.anchors[1:], strict=False):
            points.extend(self._legs.get((start, end), [start, end])[1:])
        if self.live is not None and len(self.live) > 1:
            points.extend(self.live[1:])
        elif cursor is not None:
            points.append(cursor)
        return points
