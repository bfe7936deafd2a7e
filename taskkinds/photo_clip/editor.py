"""The photo clipping editor: polygon, vertex edit, brush/eraser, GrabCut box, magic wand,
scissors, with unlimited undo.

It receives a payload, the bundle's media folder and a draft; it emits
``draftChanged`` after every completed edit and ``submitRequested`` when asked to
submit. It never touches the database or the network. Decoding the photo and the
assists run off the UI thread through ``run_background`` (tests pass an inline one).
Editing logic lives in ``tools`` (Qt-free); this module maps mouse and keys onto it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QLabel, QSpinBox, QVBoxLayout, QWidget

from taskkinds.base import Problem
from taskkinds.photo_clip.editor_assists import Assists
from taskkinds.photo_clip.editor_photo import FirstLook, FullPhoto, first_look, full_photo
from taskkinds.photo_clip.editor_shapes import PICK_PIXELS, ShapeEdits
from taskkinds.photo_clip.editor_toolbar import ClipToolbar, Tool
from taskkinds.photo_clip.images import ImageUnreadable
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Point, Region
from taskkinds.photo_clip.tools import (
    History,
    ScissorsTrace,
    VertexIndex,
    VertexRef,
)
from widgets.background import RunBackground, thread_pool_runner
from widgets.imagecanvas import ImageCanvas, OverlayMode
from widgets.imagepreview import PENDING, MediaPreviews
from widgets.paintwatch import after_next_paint

if TYPE_CHECKING:
    # The first frame (the photo's reduced look) needs no numpy; the full photo's pixels
    # and the first edit that computes import it.
    import numpy as np

# The kind's title and the export formats whose names French changes, from its Qt-free
# registry entry (__init__.py): marked here for the translation catalogue.
KIND_WORDS = (
    QT_TRANSLATE_NOOP("TaskKind", "Photo clipping"),
    QT_TRANSLATE_NOOP("TaskKind", "COCO (polygons)"),
    QT_TRANSLATE_NOOP("TaskKind", "PNG masks (zip)"),
)


class PhotoClipEditor(ShapeEdits, Assists, QWidget):
    """Editor for one photo clipping task."""

    draftChanged = Signal(dict)
    submitRequested = Signal(dict)
    # The photo (its reduced first look, or the full image) has been painted, or why it
    # cannot be shown is on screen: the window holds back its start-up work until then.
    contentShown = Signal()

    def __init__(
        self,
        payload: PhotoClipPayload,
        media_dir: Path | None = None,
        draft: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        run_background: RunBackground | None = None,
        previews: MediaPreviews | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("photoClipEditor")
        self._previews = previews  # reduced looks the window started decoding ahead
        self.payload = payload
        self.history = History(_regions_from(draft))
        self.image: np.ndarray | None = None  # the tools' view of the full photo's pixels
        self._photo: FullPhoto | None = None
        self._run = run_background or thread_pool_runner(self)
        self._read_only = False
        self.tool = Tool.POLYGON
        self._points: list[Point] = []  # open polygon or scissors anchors
        self._cursor: Point | None = None
        self._freehand: list[Point] | None = None
        self._subtract_held = False
        self._drag: tuple[VertexRef, list[Region], bool] | None = None  # ref, base, crosses
        self._hover: VertexRef | None = None
        self._drag_ring: np.ndarray | None = None
        self._index: VertexIndex | None = None
        self._stroke: list[Point] | None = None
        self._brush_radius = 12.0
        self._box_start: Point | None = None
        self._edits = 0  # bumped on every commit: a late assist for an older state is dropped
        self._selected: int | None = None  # region chosen with the edit tool
        self._trace = ScissorsTrace()
        self._live_busy = False  # a live scissors leg is being computed
        self._live_wanted: Point | None = None  # the cursor it should be computed for next
        self._waiting_for: Path | None = None  # the photo whose look the window decodes

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.instruction = QLabel(self.tr("Clip: %1").replace("%1", payload.instruction), self)
        self.instruction.setObjectName("clipInstruction")
        self.instruction.setWordWrap(True)
        self.instruction.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.instruction)
        self.toolbar = self._build_toolbar()
        layout.addWidget(self.toolbar)
        self.canvas = ImageCanvas(self)
        self.canvas.setAccessibleName(self.tr("Photo to clip"))
        layout.addWidget(self.canvas, 1)
        self.message = QLabel(self)
        self.message.setObjectName("imageProblem")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout.addWidget(self.message, 1)
        self.status = QLabel(self)
        self.status.setObjectName("clipStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self.problems = QLabel(self)
        self.problems.setObjectName("clipProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.hide()
        layout.addWidget(self.problems)

        canvas = self.canvas
        canvas.pressed.connect(self._pressed)
        canvas.moved.connect(self._moved)
        canvas.released.connect(self._released)
        canvas.doubleClicked.connect(self._double_clicked)
        canvas.wheelTurned.connect(self._wheel)
        if payload.hint_box is not None:
            box = payload.hint_box
            canvas.set_hint_box((box.x, box.y, box.w, box.h))
        self._show_regions(self.history.current)
        self.set_tool(Tool.POLYGON)
        self._open_image(media_dir)

    # -- the editor contract

    def content(self) -> dict[str, Any]:
        """The current result, as the kind's result model dumps it."""
        return PhotoClipResult(regions=list(self.history.current)).model_dump(mode="json")

    def request_submit(self) -> None:
        self.submitRequested.emit(self.content())

    def show_problems(self, problems: list[Problem]) -> None:
        lines = [("✖ " if p.blocking else "⚠ ") + p.message for p in problems]
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._cancel()
        for action in self.toolbar.actions():
            if action not in self.toolbar.view_actions():
                action.setEnabled(not read_only)
        self._select(None)

    def focus_first_empty(self) -> None:
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building

    def _build_toolbar(self) -> ClipToolbar:
        bar = ClipToolbar(self)
        for tool, action in bar.tool_actions.items():
            action.triggered.connect(lambda _=False, tool=tool: self.set_tool(tool))
        bar.undo_action.triggered.connect(self.undo)
        bar.redo_action.triggered.connect(self.redo)
        bar.delete_action.triggered.connect(self.delete_selected_region)
        bar.fit_action.triggered.connect(lambda: self.canvas.fit())
        bar.outline_action.toggled.connect(self._overlay_changed)
        bar.cutout_action.toggled.connect(self._overlay_changed)
        bar.opacity.valueChanged.connect(lambda v: self.canvas.set_overlay_opacity(v / 100))
        bar.brush_size.valueChanged.connect(self._brush_size_changed)
        for control in (bar.opacity, bar.brush_size, bar.tolerance):
            # Back to the photo once a setting is chosen, so the tool keys work again.
            if isinstance(control, QSpinBox):
                control.editingFinished.connect(self._photo_focus)
            else:
                control.sliderReleased.connect(self._photo_focus)
        # The editor's members stay as before; the bar only owns the widgets.
        self.tool_actions = bar.tool_actions
        self.subtract_action, self.undo_action = bar.subtract_action, bar.undo_action
        self.redo_action, self.delete_action = bar.redo_action, bar.delete_action
        self.fit_action, self.outline_action = bar.fit_action, bar.outline_action
        self.cutout_action, self.opacity = bar.cutout_action, bar.opacity
        self.brush_size, self.tolerance = bar.brush_size, bar.tolerance
        return bar

    def _photo_focus(self) -> None:
        self.canvas.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_image(self, media_dir: Path | None) -> None:
        if media_dir is None:
            self._show_message(self.tr("The photo of this task is not available."))
            return
        folder = Path(media_dir).resolve()
        path = (folder / self.payload.image).resolve()
        if not path.is_relative_to(folder):
            self._show_message(self.tr("The photo's path leaves the bundle: the task is damaged."))
            return
        self.status.setText(self.tr("Opening the photo…"))
        # A reduced picture paints first; the full-resolution step starts after it, not
        # beside it, so the two do not share the CPU while the contributor waits.
        ahead = self._previews.take(path) if self._previews is not None else None
        if isinstance(ahead, QImage):
            self._first_look(FirstLook(ahead, None), path)
        elif ahead is PENDING and self._previews is not None:
            self._previews.ready.connect(self._preview_ready)
            self._waiting_for = path
        else:
            self._look_first(path)

    def _look_first(self, path: Path) -> None:
        self._run(lambda: first_look(path), lambda outcome: self._first_look(outcome, path))

    def _preview_ready(self, key: str) -> None:
        path = self._waiting_for
        if path is None or key != str(path) or self._previews is None:
            return
        self._waiting_for = None
        self._previews.ready.disconnect(self._preview_ready)
        ahead = self._previews.take(path)
        if isinstance(ahead, QImage):
            self._first_look(FirstLook(ahead, None), path)
        else:  # not a size or format Qt reduces: the editor's own first look
            self._look_first(path)

    def _first_look(self, outcome: Any, path: Path) -> None:
        if not isinstance(outcome, FirstLook):
            self._image_opened(outcome)
            return
        if outcome.preview is not None and not self.canvas.has_image():
            size = (self.payload.width, self.payload.height)
            self.canvas.set_preview(outcome.preview, size)
            after_next_paint(self.canvas, self.contentShown.emit)
        decoded = outcome.decoded
        self._run(lambda: full_photo(path, decoded), self._image_opened)

    def _image_opened(self, outcome: Any) -> None:
        if isinstance(outcome, ImageUnreadable):
            self._show_message(str(outcome))
            return
        if isinstance(outcome, Exception):
            self._show_message(
                self.tr("The photo cannot be opened: %1").replace("%1", str(outcome))
            )
            return
        self._photo = outcome  # the QImage behind the pixels' view stays alive with it
        self.canvas.set_image(outcome.image)
        self.status.clear()
        after_next_paint(self.canvas, self.contentShown.emit)
        # The tools' view of the pixels (numpy's first import, the first time) is made off
        # the UI thread once the photo is painted; editing starts with it.
        self._run(lambda: outcome.pixels, lambda pixels: self._pixels_ready(outcome, pixels))

    def _pixels_ready(self, photo: FullPhoto, pixels: Any) -> None:
        if photo is not self._photo:
            return  # another photo replaced it meanwhile
        if isinstance(pixels, Exception):
            self._show_message(self.tr("The photo cannot be opened: %1").replace("%1", str(pixels)))
            return
        self.image = pixels
        self._update_hint()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.canvas.hide()
        self.status.clear()
        self.contentShown.emit()

    # -- state and history

    @property
    def regions(self) -> tuple[Region, ...]:
        return self.history.current

    def _size(self) -> tuple[int, int]:
        return self.payload.width, self.payload.height

    def _show_regions(self, regions: Sequence[Region]) -> None:
        self.canvas.set_regions([(r.outer, r.holes) for r in regions])
        self._index = None

    def _vertex_index(self) -> VertexIndex:
        if self._index is None:
            self._index = VertexIndex(self.history.current)
        return self._index

    def _commit(self, regions: Sequence[Region]) -> None:
        self.history.push(regions)
        self._changed()

    def _changed(self) -> None:
        self._edits += 1
        self._select(None)
        self._hover = None
        self.canvas.set_highlight(None)
        self._show_regions(self.history.current)
        self.undo_action.setEnabled(self.history.can_undo() and not self._read_only)
        self.redo_action.setEnabled(self.history.can_redo() and not self._read_only)
        self.draftChanged.emit(self.content())

    def undo(self) -> None:
        if self._read_only:
            return
        self._cancel()
        if self.history.undo():
            self._changed()

    def redo(self) -> None:
        if self._read_only:
            return
        self._cancel()
        if self.history.redo():
            self._changed()

    # -- tools

    def set_tool(self, tool: Tool) -> None:
        self._cancel()
        if tool is not Tool.EDIT:
            self._select(None)
        self.tool = tool
        self.tool_actions[tool].setChecked(True)
        brush = tool in (Tool.BRUSH, Tool.ERASER)
        self.canvas.set_wheel_captured(brush)
        self.canvas.set_brush_cursor(self._brush_radius if brush else None)
        self.canvas.set_show_vertices(tool is Tool.EDIT)
        self._update_hint()

    def _update_hint(self) -> None:
        hints = {
            Tool.POLYGON: self.tr(
                "Click to add points, Shift-drag to draw freehand; Enter or a click on the first "
                "point closes, Backspace removes a point, Esc cancels. Alt subtracts."
            ),
            Tool.EDIT: self.tr(
                "Drag a vertex to move it, click an edge to add one, Delete removes the vertex "
                "under the mouse."
            ),
            Tool.BRUSH: self.tr("Paint to add; the wheel changes the size."),
            Tool.ERASER: self.tr("Paint to erase; the wheel changes the size."),
            Tool.BOX: self.tr("Drag a box around the object to get a proposal."),
            Tool.WAND: self.tr("Click the object to select similar colours; Alt subtracts."),
            Tool.SCISSORS: self.tr(
                "Click points along the edge; Enter closes and snaps to the edges."
            ),
        }
        if self.image is not None:
            self.status.setText(hints[self.tool])

    def _cancel(self) -> None:
        """Drop whatever is half-drawn (Esc)."""
        self._points, self._freehand, self._stroke, self._box_start = [], None, None, None
        self._trace.clear()
        self._live_wanted = None
        self._subtract_held = False
        if self._drag is not None:
            self._drag = None
            self._show_regions(self.history.current)
        self.canvas.set_preview_path(None)
        self.canvas.set_stroke_preview(None, 0, False)
        self.canvas.set_highlight(None)

    def _subtracting(self, modifiers: Any) -> bool:
        alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
        return self.subtract_action.isChecked() or alt

    def _pick(self, pixels: float) -> float:
        return pixels / self.canvas.scale()

    def _editable(self) -> bool:
        return self.image is not None and not self._read_only

    def _pressed(self, pos: QPointF, button: Any, modifiers: Any) -> None:
        if not self._editable() or button != Qt.MouseButton.LeftButton:
            return
        p = (pos.x(), pos.y())
        if self.tool in (Tool.POLYGON, Tool.SCISSORS):
            self._subtract_held |= self._subtracting(modifiers)
            shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            if self.tool is Tool.POLYGON and not self._points and shift:
                self._freehand = [p]
                return
            if len(self._points) >= 3 and math.dist(p, self._points[0]) <= self._pick(PICK_PIXELS):
                self.close_polygon()
                return
            self._points.append(p)
            if self.tool is Tool.SCISSORS:
                self._add_anchor(p)
            self._preview_open()
        elif self.tool is Tool.EDIT:
            self._start_drag(p)
        elif self.tool in (Tool.BRUSH, Tool.ERASER):
            self._stroke = [p]
            self.canvas.set_stroke_preview(self._stroke, self._brush_radius, self._erasing())
        elif self.tool is Tool.BOX:
            self._box_start = p
        elif self.tool is Tool.WAND:
            self._run_wand(p, self._subtracting(modifiers))

    def _moved(self, pos: QPointF, buttons: Any, modifiers: Any) -> None:
        p = (pos.x(), pos.y())
        self._cursor = p
        if not self._editable():
            return
        if self._freehand is not None:
            if math.dist(p, self._freehand[-1]) >= self._pick(1.0):
                self._freehand.append(p)
                self.canvas.set_preview_path(self._freehand)
        elif self._points:
            if self.tool is Tool.SCISSORS:
                self._want_live_leg(p)
            self._preview_open()
        elif self.tool is Tool.EDIT:
            self._drag_or_hover(p)
        elif self._stroke is not None:
            if math.dist(p, self._stroke[-1]) >= self._pick(1.0):
                self._stroke.append(p)
                self.canvas.set_stroke_preview(self._stroke, self._brush_radius, self._erasing())
        elif self._box_start is not None:
            (x0, y0), (x1, y1) = self._box_start, p
            self.canvas.set_preview_path([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], closed=True)

    def _released(self, pos: QPointF, button: Any, modifiers: Any) -> None:
        if not self._editable() or button != Qt.MouseButton.LeftButton:
            return
        p = (pos.x(), pos.y())
        if self._freehand is not None:
            from taskkinds.photo_clip.geometry import simplify_path

            points = simplify_path([*self._freehand, p], max(0.5, self._pick(1.5)))
            self._freehand = None
            self._points = points
            if len(points) >= 3:
                self.close_polygon()
            else:
                self._cancel()
        elif self._drag is not None:
            self._finish_drag(p)
        elif self._stroke is not None:
            self._finish_stroke(p)
        elif self._box_start is not None:
            start, self._box_start = self._box_start, None
            self.canvas.set_preview_path(None)
            self._run_grabcut(start, p)

    def _double_clicked(self, pos: QPointF, button: Any, modifiers: Any) -> None:
        # The double click's second press added a point on top of the first: drop it, close.
        if self.tool not in (Tool.POLYGON, Tool.SCISSORS) or len(self._points) < 2:
            return
        if math.dist(self._points[-1], self._points[-2]) <= self._pick(PICK_PIXELS):
            self._points.pop()
        if len(self._points) >= 3:
            self.close_polygon()

    def _preview_open(self) -> None:
        if self.tool is Tool.SCISSORS:
            self.canvas.set_preview_path(
                self._trace.path(self._cursor), markers=self._trace.anchors
            )
            return
        tail = [self._cursor] if self._cursor is not None else []
        self.canvas.set_preview_path([*self._points, *tail])

    # -- view and keys

    def _overlay_changed(self) -> None:
        if self.cutout_action.isChecked():
            mode = OverlayMode.CUTOUT
        elif self.outline_action.isChecked():
            mode = OverlayMode.OUTLINE
        else:
            mode = OverlayMode.FILLED
        self.canvas.set_overlay_mode(mode)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        K = Qt.Key  # noqa: N806
        if ctrl and key == K.Key_Z:
            self.redo() if shift else self.undo()
        elif ctrl and key == K.Key_Y:
            self.redo()
        elif ctrl:
            super().keyPressEvent(event)
        elif key in (K.Key_Return, K.Key_Enter):
            self.close_polygon()
        elif key == K.Key_Escape:
            if not (self._points or self._freehand or self._stroke or self._box_start):
                self._select(None)
            self._cancel()
        elif key in (K.Key_BracketLeft, K.Key_BracketRight):
            self._wheel(1 if key == K.Key_BracketRight else -1, mods)
        elif key == K.Key_Backspace:
            self.remove_last_point()
        elif key == K.Key_Delete:
            self.delete_hovered_vertex()
        elif key == K.Key_O:
            self.outline_action.toggle()
        elif key == K.Key_C:
            self.cutout_action.toggle()
        elif key == K.Key_B and shift or key == K.Key_X:
            self.set_tool(Tool.ERASER)
        elif key in _TOOL_BY_KEY and not self._read_only:
            self.set_tool(_TOOL_BY_KEY[key])
        else:
            super().keyPressEvent(event)


_TOOL_BY_KEY = {
    Qt.Key.Key_P: Tool.POLYGON,
    Qt.Key.Key_E: Tool.EDIT,
    Qt.Key.Key_B: Tool.BRUSH,
    Qt.Key.Key_G: Tool.BOX,
    Qt.Key.Key_W: Tool.WAND,
    Qt.Key.Key_S: Tool.SCISSORS,
}


def _regions_from(draft: dict[str, Any] | None) -> list[Region]:
    if not draft:
        return []
    try:
        return list(PhotoClipResult.model_validate(draft).regions)
    except ValueError:
        # A draft from an older or damaged build: start empty rather than fail to open.
        return []
