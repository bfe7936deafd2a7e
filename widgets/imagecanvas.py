"""A zoomable, pannable image canvas with a polygon overlay. Knows nothing of tasks.

The canvas only draws and reports: mouse events come out as signals in IMAGE
coordinates (pixel ``(i, j)`` spans ``[i, i+1] × [j, j+1]``), so the tools that
interpret them live with the editor. Zoom runs from fit to 3200 % around the
cursor (Ctrl+wheel, +/-, 0 = fit); pan with Space-drag, the middle button or the
plain wheel. Pixels are drawn nearest-neighbour when zoomed in, smoothly when
zoomed out; a large image is drawn from a downscaled preview until the zoom
needs its full resolution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # numpy is not needed to paint a photo: arrays come from the tools
    import numpy as np

    RingLike = Sequence[Sequence[float]] | np.ndarray

__all__ = ["PREVIEW_SIDE", "ImageCanvas", "OverlayMode"]

PREVIEW_SIDE = 2048  # longest side of the preview drawn while zoomed out
MAX_SCALE = 32.0  # 3200 %
ZOOM_STEP = 1.25
PointLike = tuple[float, float] | Sequence[float] | QPointF


class OverlayMode(Enum):
    """How the regions are shown over the image."""

    FILLED = "filled"  # translucent fill and outline
    OUTLINE = "outline"  # outline only
    CUTOUT = "cutout"  # the image only inside the regions, over a checkerboard


def _qpoint(point: PointLike) -> QPointF:
    if isinstance(point, QPointF):
        return point
    return QPointF(float(point[0]), float(point[1]))


def _polygon(points: RingLike) -> QPolygonF:
    pairs = points.tolist() if hasattr(points, "tolist") else points  # an (n, 2) array
    return QPolygonF([QPointF(float(x), float(y)) for x, y in pairs])


def _checkerboard() -> QBrush:
    tile = QPixmap(16, 16)
    tile.fill(QColor(204, 204, 204))
    painter = QPainter(tile)
    painter.fillRect(0, 0, 8, 8, QColor(255, 255, 255))
    painter.fillRect(8, 8, 8, 8, QColor(255, 255, 255))
    painter.end()
    return QBrush(tile)


def rgb_to_qimage(pixels: np.ndarray) -> QImage:
    """A QImage owning a copy of an ``(h, w, 3)`` uint8 RGB array, in a fast-to-draw format.

    Raises ``ValueError`` for any other shape or type."""
    import numpy as np

    if pixels.ndim != 3 or pixels.shape[2] != 3 or pixels.dtype != np.uint8:
        raise ValueError(f"expected an (h, w, 3) uint8 array, got {pixels.shape} {pixels.dtype}")
    pixels = np.ascontiguousarray(pixels)
    height, width = pixels.shape[:2]
    wrapper = QImage(pixels.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888)
    return wrapper.convertToFormat(QImage.Format.Format_RGB32)


class ImageCanvas(QWidget):
    """Shows one image with regions (polygons with holes) and edit aids over it.

    Signals carry ``(image_pos: QPointF, button(s), modifiers)``; ``pressed`` and
    ``released`` give the button, ``moved`` the buttons held. Pan gestures are
    consumed by the canvas and not reported. While ``set_wheel_captured(True)``,
    the plain wheel emits ``wheelTurned(steps, modifiers)`` instead of scrolling.
    """

    pressed = Signal(QPointF, object, object)
    moved = Signal(QPointF, object, object)
    released = Signal(QPointF, object, object)
    doubleClicked = Signal(QPointF, object, object)
    wheelTurned = Signal(float, object)
    viewChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageCanvas")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(200, 150)
        self._full: QImage | None = None
        self._preview: QImage | None = None
        self._preview_ratio = 1.0  # preview pixels per image pixel
        self._image_size = (0, 0)
        self._scale = 1.0  # widget pixels per image pixel
        self._offset = QPointF(0.0, 0.0)  # widget position of image (0, 0)
        self._fitted = True
        self._pan_from: QPointF | None = None
        self._space_down = False
        self._wheel_captured = False
        self._cursor_pos: QPointF | None = None
        # overlay, all in image coordinates, built once per change
        self._regions_path = QPainterPath()
        self._vertices: list[QPolygonF] = []
        self._ring_counts: list[int] = []  # rings per region, to find a region's polygons
        self._selected: int | None = None
        self._show_vertices = False
        self._mode = OverlayMode.FILLED
        self._opacity = 0.4
        self._preview_path: QPainterPath | None = None
        self._preview_points = QPolygonF()
        self._stroke: tuple[QPainterPath, float, bool] | None = None
        self._hint_box: QRectF | None = None
        self._highlight: tuple[QPointF, bool] | None = None
        self._brush_radius: float | None = None
        self._checker = _checkerboard()
        self.fill_colour = QColor(30, 144, 255)
        self.outline_colour = QColor(0, 90, 200)
        self.selection_colour = QColor(0, 200, 220)

    # -- image

    def set_preview(self, image: QImage, full_size: tuple[int, int]) -> None:
        """Show a reduced ``image`` of a photo of ``full_size`` until ``set_image`` brings it.

        Image coordinates stay those of the full photo, so tools work at once.
        """
        if self._full is not None:
            return  # the full image came first
        self._preview = image
        self._preview_ratio = image.width() / full_size[0]
        self._image_size = full_size
        self.fit()

    def set_image(self, image: QImage | np.ndarray) -> None:
        """Show ``image`` (a QImage, or an ``(h, w, 3)`` uint8 RGB array), fitted."""
        full = image if isinstance(image, QImage) else rgb_to_qimage(image)
        if full.format() not in (QImage.Format.Format_RGB32, QImage.Format.Format_ARGB32):
            full = full.convertToFormat(QImage.Format.Format_RGB32)
        had_preview = self._preview is not None and self._image_size == (
            full.width(),
            full.height(),
        )
        self._full = full
        self._image_size = (full.width(), full.height())
        longest = max(self._image_size)
        if (
            had_preview
            and self._preview is not None
            and max(self._preview.width(), self._preview.height()) >= PREVIEW_SIDE // 2
        ):
            # Keep the early preview (and the contributor's view): scaling 24 MP again
            # would block the UI thread for no visible gain.
            self._view_changed()
            return
        if longest > PREVIEW_SIDE:
            self._preview = full.scaled(
                round(full.width() * PREVIEW_SIDE / longest),
                round(full.height() * PREVIEW_SIDE / longest),
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            self._preview_ratio = self._preview.width() / full.width()
        else:
            self._preview, self._preview_ratio = None, 1.0
        self.fit()

    def image_size(self) -> tuple[int, int]:
        """``(width, height)`` of the image, ``(0, 0)`` when there is none."""
        return self._image_size

    def has_image(self) -> bool:
        """The full-resolution image is there."""
        return self._full is not None

    def shows_photo(self) -> bool:
        """Something of the photo is on screen: the early preview or the full image."""
        return self._full is not None or self._preview is not None

    # -- view: mapping, zoom and pan

    def scale(self) -> float:
        """Widget pixels per image pixel (1.0 is 100 %)."""
        return self._scale

    def image_to_widget(self, point: PointLike) -> QPointF:
        p = _qpoint(point)
        return QPointF(
            p.x() * self._scale + self._offset.x(), p.y() * self._scale + self._offset.y()
        )

    def widget_to_image(self, point: PointLike) -> QPointF:
        p = _qpoint(point)
        return QPointF(
            (p.x() - self._offset.x()) / self._scale, (p.y() - self._offset.y()) / self._scale
        )

    def view_transform(self) -> QTransform:
        """Image → widget coordinates."""
        return QTransform(self._scale, 0, 0, self._scale, self._offset.x(), self._offset.y())

    def fit_scale(self) -> float:
        width, height = self._image_size
        if not width or not height:
            return 1.0
        # A widget not laid out yet has no size: never a zero scale.
        return max(min(self.width() / width, self.height() / height), 1e-3)

    def min_scale(self) -> float:
        return min(self.fit_scale(), MAX_SCALE)

    def fit(self) -> None:
        """Show the whole image, centred (the "0" key)."""
        self._fitted = True
        self._scale = self.min_scale()
        width, height = self._image_size
        self._offset = QPointF(
            (self.width() - width * self._scale) / 2, (self.height() - height * self._scale) / 2
        )
        self._view_changed()

    def zoom_at(self, factor: float, widget_pos: PointLike | None = None) -> None:
        """Multiply the zoom by ``factor`` (clamped to fit … 3200 %), keeping the image
        point under ``widget_pos`` (default: the centre) where it is."""
        anchor = _qpoint(widget_pos) if widget_pos is not None else QPointF(self.rect().center())
        self.set_scale(self._scale * factor, anchor)

    def set_scale(self, scale: float, widget_pos: PointLike | None = None) -> None:
        """Set the zoom (widget pixels per image pixel), keeping ``widget_pos`` fixed."""
        if not self.has_image():
            return
        anchor = _qpoint(widget_pos) if widget_pos is not None else QPointF(self.rect().center())
        lo = self.min_scale()
        scale = min(max(scale, lo), max(MAX_SCALE, lo))
        if scale <= lo + 1e-12:
            self.fit()
            return
        fixed = self.widget_to_image(anchor)
        self._scale = scale
        self._fitted = False
        self._offset = QPointF(anchor.x() - fixed.x() * scale, anchor.y() - fixed.y() * scale)
        self._view_changed()

    def pan_by(self, dx: float, dy: float) -> None:
        """Move the image by ``(dx, dy)`` widget pixels, keeping some of it in view."""
        if not self.has_image() or self._fitted:
            return
        width, height = self._image_size
        x = self._offset.x() + dx
        y = self._offset.y() + dy
        w, h = width * self._scale, height * self._scale
        # Half the view may show beyond the image edge, never more.
        x = min(max(x, self.width() / 2 - w), self.width() / 2)
        y = min(max(y, self.height() / 2 - h), self.height() / 2)
        self._offset = QPointF(x, y)
        self._view_changed()

    def _view_changed(self) -> None:
        self.update()
        self.viewChanged.emit()

    def uses_full_resolution(self) -> bool:
        """Whether the current zoom draws from the full image rather than the preview."""
        return self._preview is None or self._scale > self._preview_ratio

    def smooth_pixels(self) -> bool:
        """Whether pixels are currently interpolated (zoomed out) or drawn as blocks."""
        return self._scale < 1.0

    # -- overlay

    def set_regions(self, regions: Sequence[tuple[RingLike, Sequence[RingLike]]]) -> None:
        """Regions as ``(outer, holes)`` rings of ``(x, y)`` image points, filled even-odd."""
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        vertices: list[QPolygonF] = []
        ring_counts: list[int] = []
        for outer, holes in regions:
            for ring in (outer, *holes):
                polygon = _polygon(ring)
                path.addPolygon(polygon)
                path.closeSubpath()
                vertices.append(polygon)
            ring_counts.append(1 + len(holes))
        self._regions_path = path
        self._vertices = vertices
        self._ring_counts = ring_counts
        if self._selected is not None and self._selected >= len(ring_counts):
            self._selected = None
        self.update()

    def set_selected_region(self, index: int | None) -> None:
        """Outline region ``index`` (in the order of ``set_regions``) as selected; None clears."""
        valid = index is not None and 0 <= index < len(self._ring_counts)
        self._selected = index if valid else None
        self.update()

    def selected_region(self) -> int | None:
        return self._selected

    def _selected_path(self) -> QPainterPath | None:
        if self._selected is None:
            return None
        first = sum(self._ring_counts[: self._selected])
        path = QPainterPath()
        for polygon in self._vertices[first : first + self._ring_counts[self._selected]]:
            path.addPolygon(polygon)
            path.closeSubpath()
        return path

    def move_vertex(self, ring: int, index: int, point: PointLike) -> None:
        """Move one vertex of the regions last set: ``ring`` counts the rings in the order
        given (each region's outer ring, then its holes). Cheap enough for every mouse move
        of a drag: only the path is rebuilt from the cached polygons."""
        self._vertices[ring][index] = _qpoint(point)
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for polygon in self._vertices:
            path.addPolygon(polygon)
            path.closeSubpath()
        self._regions_path = path
        self.update()

    def regions_path(self) -> QPainterPath:
        return QPainterPath(self._regions_path)

    def set_overlay_mode(self, mode: OverlayMode) -> None:
        self._mode = mode
        self.update()

    def overlay_mode(self) -> OverlayMode:
        return self._mode

    def set_overlay_opacity(self, opacity: float) -> None:
        """Opacity of the regions' fill, 0.0 … 1.0."""
        self._opacity = min(max(opacity, 0.0), 1.0)
        self.update()

    def overlay_opacity(self) -> float:
        return self._opacity

    def set_show_vertices(self, show: bool) -> None:
        self._show_vertices = show
        self.update()

    def set_preview_path(
        self, points: RingLike | None, closed: bool = False, markers: RingLike | None = None
    ) -> None:
        """A polyline being drawn (dashed), or None to clear it. Dots mark ``markers``
        (the clicked points of a snapped path), or else every point."""
        if points is None or len(points) == 0:
            self._preview_path, self._preview_points = None, QPolygonF()
        else:
            polygon = _polygon(points)
            path = QPainterPath()
            path.addPolygon(polygon)
            if closed:
                path.closeSubpath()
            dots = polygon if markers is None else _polygon(markers)
            self._preview_path, self._preview_points = path, dots
        self.update()

    def set_stroke_preview(self, points: RingLike | None, radius: float, erase: bool) -> None:
        """A brush stroke in progress: ``radius`` image pixels around the polyline."""
        if points is None or len(points) == 0:
            self._stroke = None
        else:
            path = QPainterPath()
            polygon = _polygon(points)
            path.addPolygon(polygon)
            if len(polygon) == 1:
                path.lineTo(polygon[0])
            self._stroke = (path, radius, erase)
        self.update()

    def set_hint_box(self, box: QRectF | tuple[float, float, float, float] | None) -> None:
        """A dashed rectangle ``(x, y, w, h)`` in image pixels, or None."""
        self._hint_box = QRectF(*box) if isinstance(box, tuple) else box
        self.update()

    def set_highlight(self, point: PointLike | None, bad: bool = False) -> None:
        """Mark one vertex (image point), red when ``bad``; None clears it."""
        self._highlight = None if point is None else (_qpoint(point), bad)
        self.update()

    def set_brush_cursor(self, radius: float | None) -> None:
        """Show a circle of ``radius`` image pixels under the mouse, or None."""
        self._brush_radius = radius
        self.update()

    def set_wheel_captured(self, captured: bool) -> None:
        self._wheel_captured = captured

    # -- painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()).darker(120))
        if self._full is None and self._preview is None:
            painter.end()
            return
        view = self.view_transform()
        width, height = self._image_size
        visible = QRectF(
            self.widget_to_image(QPointF(0, 0)),
            self.widget_to_image(QPointF(self.width(), self.height())),
        ).intersected(QRectF(0, 0, width, height))
        if visible.isEmpty():
            painter.end()
            return
        # Whole pixels, so nearest-neighbour blocks line up with image pixels.
        left, top = int(visible.left()), int(visible.top())
        right = min(width, math.ceil(visible.right()))
        bottom = min(height, math.ceil(visible.bottom()))
        source = QRectF(left, top, right - left, bottom - top)
        if self._mode is OverlayMode.CUTOUT:
            painter.fillRect(view.mapRect(source), self._checker)
            painter.setTransform(view)
            painter.setClipPath(self._regions_path)
        else:
            painter.setTransform(view)
        self._draw_image(painter, source)
        painter.setClipping(False)
        self._draw_overlay(painter)
        painter.end()

    def _draw_image(self, painter: QPainter, source: QRectF) -> None:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth_pixels())
        if self._full is not None and (self.uses_full_resolution() or self._preview is None):
            painter.drawImage(source, self._full, source)
        else:
            assert self._preview is not None
            r = self._preview_ratio
            scaled = QRectF(source.x() * r, source.y() * r, source.width() * r, source.height() * r)
            painter.drawImage(source, self._preview, scaled)

    def _cosmetic(
        self, colour: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine
    ) -> QPen:
        pen = QPen(colour, width, style)
        pen.setCosmetic(True)
        return pen

    def _draw_overlay(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self._mode is OverlayMode.FILLED:
            fill = QColor(self.fill_colour)
            fill.setAlphaF(self._opacity)
            painter.fillPath(self._regions_path, fill)
        if self._mode is not OverlayMode.CUTOUT or self._show_vertices:
            painter.strokePath(self._regions_path, self._cosmetic(self.outline_colour, 1.5))
        selected = self._selected_path()
        if selected is not None:
            painter.strokePath(selected, self._cosmetic(QColor(255, 255, 255), 4))
            painter.strokePath(selected, self._cosmetic(self.selection_colour, 2.5))
        if self._show_vertices and self._vertices:
            painter.setPen(self._cosmetic(self.outline_colour, 5))
            for polygon in self._vertices:
                painter.drawPoints(polygon)
        if self._hint_box is not None:
            painter.setPen(self._cosmetic(QColor(255, 200, 0), 1.5, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self._hint_box)
        if self._stroke is not None:
            path, radius, erase = self._stroke
            colour = QColor(220, 40, 40, 110) if erase else QColor(40, 180, 90, 110)
            pen = QPen(colour, 2 * radius, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.strokePath(path, pen)
        if self._preview_path is not None:
            painter.strokePath(self._preview_path, self._cosmetic(QColor(255, 255, 255), 3))
            dashed = self._cosmetic(QColor(255, 80, 0), 1.5, Qt.PenStyle.DashLine)
            painter.strokePath(self._preview_path, dashed)
            painter.setPen(self._cosmetic(QColor(255, 80, 0), 6))
            painter.drawPoints(self._preview_points)
        if self._highlight is not None:
            point, bad = self._highlight
            painter.setPen(self._cosmetic(QColor(220, 30, 30) if bad else QColor(255, 230, 0), 10))
            painter.drawPoint(point)
        painter.resetTransform()
        if self._brush_radius is not None and self._cursor_pos is not None:
            painter.setPen(self._cosmetic(QColor(255, 255, 255), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = self._brush_radius * self._scale
            painter.drawEllipse(self._cursor_pos, r, r)

    # -- input

    def _pan_button(self, event: QMouseEvent) -> bool:
        return event.button() == Qt.MouseButton.MiddleButton or (
            self._space_down and event.button() == Qt.MouseButton.LeftButton
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._pan_button(event):
            self._pan_from = event.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        self.pressed.emit(self.widget_to_image(event.position()), event.button(), event.modifiers())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        position = event.position()
        self._cursor_pos = position
        if self._pan_from is not None:
            delta = position - self._pan_from
            self._pan_from = position
            self.pan_by(delta.x(), delta.y())
            return
        if self._brush_radius is not None:
            self.update()
        self.moved.emit(self.widget_to_image(position), event.buttons(), event.modifiers())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._pan_from is not None and (
            event.button() == Qt.MouseButton.MiddleButton
            or event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = None
            self.unsetCursor()
            return
        self.released.emit(
            self.widget_to_image(event.position()), event.button(), event.modifiers()
        )

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        # Qt turns the second press of a double click into this event: report the press
        # too, so a tool counting clicks never loses one.
        self.mousePressEvent(event)
        if self._pan_from is not None:
            return
        self.doubleClicked.emit(
            self.widget_to_image(event.position()), event.button(), event.modifiers()
        )

    def leaveEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        self._cursor_pos = None
        self.update()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_at(ZOOM_STEP**steps, event.position())
        elif self._wheel_captured:
            self.wheelTurned.emit(steps, event.modifiers())
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.pan_by(steps * 60, 0)
        else:
            self.pan_by(delta.x() / 2, delta.y() / 2)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        anchor = self._cursor_pos if self._cursor_pos is not None else None
        ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and not ctrl:
            self.zoom_at(ZOOM_STEP, anchor)
        elif key == Qt.Key.Key_Minus and not ctrl:
            self.zoom_at(1 / ZOOM_STEP, anchor)
        elif key == Qt.Key.Key_0 and not ctrl:
            self.fit()
        else:
            event.ignore()  # the parent (an editor) may want it

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self._pan_from = None
            self.unsetCursor()
        else:
            event.ignore()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        if self._fitted:
            self.fit()
        super().resizeEvent(event)
