"""The photo clipping editor's shape edits: closing polygons, selecting and deleting
regions, moving, inserting and deleting vertices, and brush or eraser strokes.

A mixin of ``PhotoClipEditor``: it reads the editor's state and calls its helpers
(``_commit``, ``_cancel``, ``_pick``…); it holds no state of its own. What computes
on pixels or arrays (numpy, the masks, the scissors) is imported by the edit that
needs it, so the editor's first frame does not wait for numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from taskkinds.photo_clip.editor_toolbar import Tool
from taskkinds.photo_clip.model import Point, Region
from taskkinds.photo_clip.tools import (
    VertexRef,
    add_polygon,
    cut_polygon,
    region_at,
    ring_points,
    with_ring,
    with_vertex_inserted,
    with_vertex_removed,
    without_region,
)

# A mixin says its context: self.tr() would look texts up under the editor class's name.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from taskkinds.photo_clip.editor import PhotoClipEditor

    _Base = PhotoClipEditor
else:
    _Base = object

PICK_PIXELS = 8.0  # how near (in screen pixels) the mouse must be to grab a vertex or edge
EDGE_PIXELS = 6.0


class ShapeEdits(_Base):
    """Polygon closing, region selection, vertex edit and brush strokes."""

    # polygon and scissors

    def close_polygon(self) -> None:
        """Close the open polygon (Enter): add it, or cut it out when subtracting."""
        points, subtracting = self._points, self._subtract_held or self.subtract_action.isChecked()
        self._cancel()
        if len(points) < 3:
            return
        if self.tool is Tool.SCISSORS:
            from taskkinds.photo_clip.assists import scissors_path

            image = self.image
            assert image is not None
            self.status.setText(translate("ShapeEdits", "Snapping to the edges…"))
            edits = self._edits

            def done(outcome: Any) -> None:
                if self._assist_failed(outcome, edits):
                    return
                self._place_polygon(outcome[:-1] if len(outcome) > 3 else points, subtracting)

            self._run(lambda: scissors_path(image, [*points, points[0]]), done)
            return
        self._place_polygon(points, subtracting)

    def _place_polygon(self, points: Sequence[Point], subtracting: bool) -> None:
        width, height = self._size()
        edit = cut_polygon if subtracting else add_polygon
        self._commit(edit(self.history.current, points, width, height))
        self._update_hint()

    def remove_last_point(self) -> None:
        if self._points:
            self._points.pop()
            self._trace.pop()
            if self._points:
                self._preview_open()
            else:
                self._cancel()

    # selection

    def _select(self, index: int | None) -> None:
        self._selected = index
        self.canvas.set_selected_region(index)
        self.delete_action.setEnabled(index is not None and not self._read_only)

    @property
    def selected_region(self) -> int | None:
        return self._selected

    def delete_selected_region(self) -> None:
        """Remove the selected region (Delete, with nothing under the mouse to delete)."""
        if self._selected is None or self._read_only:
            return
        index = self._selected
        self._commit(without_region(self.history.current, index))
        self.status.setText(translate("ShapeEdits", "Region deleted: Ctrl+Z brings it back."))

    # vertex edit

    def _start_drag(self, p: Point) -> None:
        index = self._vertex_index()
        ref = index.nearest_vertex(p, self._pick(PICK_PIXELS))
        base = list(self.history.current)
        inserted = False
        if ref is None:
            hit = index.nearest_edge(p, self._pick(EDGE_PIXELS))
            if hit is None:
                self._select(region_at(self.history.current, p))
                return
            base = with_vertex_inserted(base, hit)
            ref, inserted = VertexRef(hit.region, hit.ring, hit.index), True
        self._drag, self._drag_ring = (ref, base, False), None
        if inserted:
            self._show_regions(base)
            self._show_drag(base, ref, p)

    def _show_drag(self, base: list[Region], ref: VertexRef, p: Point) -> None:
        import numpy as np

        from taskkinds.photo_clip.geometry import moved_vertex_crosses

        if self._drag_ring is None:  # converted once per drag, not once per move
            self._drag_ring = np.asarray(ring_points(base, ref.region, ref.ring), dtype=float)
        crosses = moved_vertex_crosses(self._drag_ring, ref.index, p)
        flat_ring = sum(1 + len(r.holes) for r in base[: ref.region]) + ref.ring
        self.canvas.move_vertex(flat_ring, ref.index, p)
        self.canvas.set_highlight(p, bad=crosses)
        self._drag = (ref, base, crosses)

    def _drag_or_hover(self, p: Point) -> None:
        if self._drag is not None:
            ref, base, _ = self._drag
            self._show_drag(base, ref, p)
            return
        ref = self._vertex_index().nearest_vertex(p, self._pick(PICK_PIXELS))
        if ref != self._hover:
            self._hover = ref
            point = (
                None if ref is None else ring_points(self.regions, ref.region, ref.ring)[ref.index]
            )
            self.canvas.set_highlight(point)

    def _finish_drag(self, p: Point) -> None:
        from taskkinds.photo_clip.geometry import moved_vertex_crosses

        assert self._drag is not None
        ref, base, _ = self._drag
        ring = ring_points(base, ref.region, ref.ring)
        self._drag = None
        if moved_vertex_crosses(ring, ref.index, p):
            self._show_regions(self.history.current)
            self.canvas.set_highlight(None)
            self.status.setText(
                translate("ShapeEdits", "That move would make the outline cross itself: undone.")
            )
            return
        ring[ref.index] = p
        self._commit(with_ring(base, ref.region, ref.ring, ring))

    def delete_hovered_vertex(self) -> None:
        """Delete the vertex under the mouse, or else the selected region (Delete)."""
        if self._hover is not None and self._drag is None:
            ref, self._hover = self._hover, None
            self._commit(with_vertex_removed(self.history.current, ref))
        elif self._selected is not None:
            self.delete_selected_region()

    # brush and eraser

    def _erasing(self) -> bool:
        return self.tool is Tool.ERASER

    def _finish_stroke(self, p: Point) -> None:
        from taskkinds.photo_clip.masks import stroke_mask, subtract, union

        assert self._stroke is not None
        points, self._stroke = [*self._stroke, p], None
        self.canvas.set_stroke_preview(None, 0, False)
        width, height = self._size()
        mask = stroke_mask(points, self._brush_radius, width, height)
        edit = subtract if self._erasing() else union
        regions = edit(self.history.current, mask, width, height)
        if list(regions) != list(self.history.current):
            self._commit(regions)

    def _wheel(self, steps: float, modifiers: Any) -> None:
        self.brush_size.setValue(round(self._brush_radius * 1.15**steps + (1 if steps > 0 else -1)))

    def _brush_size_changed(self, value: int) -> None:
        self._brush_radius = float(value)
        if self.tool in (Tool.BRUSH, Tool.ERASER):
            self.canvas.set_brush_cursor(self._brush_radius)
