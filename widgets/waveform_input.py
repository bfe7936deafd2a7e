"""What the mouse, the wheel and the keys do on a waveform view.

Kept apart from the view so the view stays about drawing: this object turns Qt
events into the view's state changes and signals (seek, select, edge drags, zoom).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent

from widgets.waveform_model import clamp_edge

if TYPE_CHECKING:
    from widgets.waveform import WaveformView

__all__ = [
    "EDGE_GRAB_PX",
    "MIN_SEGMENT",
    "NO_SELECTION",
    "NUDGE_LARGE_SECONDS",
    "NUDGE_SECONDS",
    "WaveformInput",
]

MIN_SEGMENT = 0.1  # seconds a segment keeps while one of its edges is dragged
EDGE_GRAB_PX = 5  # how near an edge the pointer grabs it
DRAG_THRESHOLD_PX = 3  # a press that moves less than this is a click
WHEEL_ZOOM_STEP = 1.25  # per wheel notch
SCROLL_FRACTION = 0.1  # of the visible span per wheel notch
NUDGE_SECONDS, NUDGE_LARGE_SECONDS = 1.0, 5.0  # Left/Right, Shift+Left/Right
NO_SELECTION = (-1.0, -1.0)  # what selectionChanged carries when a click clears it


@dataclass
class _Drag:
    kind: str  # "pending" (maybe a click), "select" or "edge"
    press_x: float
    anchor: float = 0.0  # pending/select: the fixed end of the selection, in seconds
    index: int = -1  # edge: the segment
    edge: str = ""  # edge: "start" or "end"
    original: float = 0.0  # edge: where it was at the press
    grab: float = 0.0  # edge: seconds from the pointer to the edge at the press
    before: tuple[float, float] | None = None  # the selection when the press came


class WaveformInput:
    """Interprets input on one :class:`WaveformView`."""

    def __init__(self, view: WaveformView) -> None:
        self._view = view
        self._drag: _Drag | None = None

    def dragging(self) -> bool:
        return self._drag is not None and self._drag.kind != "pending"

    def cancel(self) -> None:
        """Forget a gesture under way without reporting it."""
        self._drag = None

    def segments_replaced(self, count: int) -> None:
        if self._drag is not None and self._drag.kind == "edge" and self._drag.index >= count:
            self._drag = None

    # -- hit testing

    def edge_at(self, x: float) -> tuple[int, str] | None:
        """The segment edge within grabbing distance of widget ``x``, nearest first; between
        two touching segments, the one the pointer is inside."""
        view = self._view
        best: tuple[float, int, str] | None = None
        for index, segment in enumerate(view.segments()):
            for edge, seconds in (("start", segment.start), ("end", segment.end)):
                edge_x = view.x_at(seconds)
                distance = abs(x - edge_x)
                if distance > EDGE_GRAB_PX:
                    continue
                outside = x < edge_x if edge == "start" else x > edge_x
                score = distance + (0.5 if outside else 0.0)
                if best is None or score < best[0]:
                    best = (score, index, edge)
        return None if best is None else (best[1], best[2])

    def _time(self, x: float) -> float:
        return min(max(self._view.time_at(x), 0.0), self._view.duration())

    def _update_hover(self, x: float) -> None:
        if self._view.has_audio() and self.edge_at(x) is not None:
            self._view.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self._view.unsetCursor()

    # -- mouse

    def press(self, event: QMouseEvent) -> None:
        view = self._view
        view.setFocus(Qt.FocusReason.MouseFocusReason)
        if event.button() != Qt.MouseButton.LeftButton or not view.has_audio():
            return
        x = event.position().x()
        seconds = self._time(x)
        before = view.selection()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            # Extend: keep the end of the selection (or the playhead) far from the click.
            if before is None:
                anchor = view.position()
            else:
                anchor = (
                    before[0] if abs(seconds - before[0]) > abs(seconds - before[1]) else before[1]
                )
            self._drag = _Drag("select", x, anchor=anchor, before=before)
            self._select_to(seconds)
            return
        hit = self.edge_at(x)
        if hit is not None:
            index, edge = hit
            segment = view.segments()[index]
            original = segment.start if edge == "start" else segment.end
            self._drag = _Drag(
                "edge", x, index=index, edge=edge, original=original, grab=original - seconds
            )
            return
        self._drag = _Drag("pending", x, anchor=seconds, before=before)

    def move(self, event: QMouseEvent) -> None:
        x = event.position().x()
        drag = self._drag
        if drag is None:
            self._update_hover(x)
            return
        if drag.kind == "pending" and abs(x - drag.press_x) >= DRAG_THRESHOLD_PX:
            drag.kind = "select"
        if drag.kind == "select":
            self._select_to(self._time(x))
        elif drag.kind == "edge":
            self._edge_to(drag, self._view.time_at(x) + drag.grab)

    def release(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        view = self._view
        if drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if drag.kind == "pending":  # a click: seek there, and drop any selection
            if view.selection() is not None:
                view._set_user_selection(None)
                view.selectionChanged.emit(*NO_SELECTION)
            view.seekRequested.emit(drag.anchor)
        elif drag.kind == "select":
            selection = view.selection()
            if selection is not None and selection[1] <= selection[0]:
                view._set_user_selection(None)
                view.selectionChanged.emit(*NO_SELECTION)
        elif drag.kind == "edge":
            segment = view.segments()[drag.index]
            final = segment.start if drag.edge == "start" else segment.end
            if final != drag.original:
                view.segmentEdgeMoved.emit(drag.index, drag.edge, final)
        self._update_hover(event.position().x())

    def double_click(self, event: QMouseEvent) -> None:
        view = self._view
        if event.button() != Qt.MouseButton.LeftButton or not view.has_audio():
            return
        index = view.segment_at(self._time(event.position().x()))
        if index >= 0:
            self._drag = None
            view.segmentActivated.emit(index)
        else:
            self.press(event)  # the second press of a double click still counts as a press

    def leave(self) -> None:
        if self._drag is None:
            self._view.unsetCursor()

    def _select_to(self, seconds: float) -> None:
        assert self._drag is not None
        view = self._view
        selection = tuple(sorted((self._drag.anchor, seconds)))
        if selection != view.selection():
            view._set_user_selection((selection[0], selection[1]))
            view.selectionChanged.emit(selection[0], selection[1])

    def _edge_to(self, drag: _Drag, seconds: float) -> None:
        view = self._view
        segments = view.segments()
        if drag.index >= len(segments):
            return
        seconds = clamp_edge(segments, drag.index, drag.edge, seconds, view.duration(), MIN_SEGMENT)
        current = segments[drag.index].start if drag.edge == "start" else segments[drag.index].end
        if seconds != current:
            view._move_edge(drag.index, drag.edge, seconds)
            view.segmentEdgeDragged.emit(drag.index, drag.edge, seconds)

    # -- wheel and keys

    def wheel(self, event: QWheelEvent) -> None:
        view = self._view
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120
        if not view.has_audio() or steps == 0:
            event.ignore()
            return
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            view.zoom_at(WHEEL_ZOOM_STEP**steps, event.position().x())
        elif view.is_zoomed():
            # Down (or a horizontal push right) moves on in time.
            first, last = view.visible_range()
            view.scroll_by(-steps * SCROLL_FRACTION * (last - first))
        else:
            event.ignore()  # nothing to scroll: let a scroll area around us have it
            return
        event.accept()

    def wants_key(self, event: QKeyEvent) -> bool:
        """Whether ``key`` would act, so a window shortcut on the same key yields to us."""
        if event.key() == Qt.Key.Key_Escape:
            return self.dragging()
        return self._view.has_audio() and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right)

    def key(self, event: QKeyEvent) -> None:
        view = self._view
        key = event.key()
        modifiers = event.modifiers()
        drag = self._drag
        if key == Qt.Key.Key_Escape and drag is not None and drag.kind != "pending":
            self._drag = None
            if drag.kind == "edge":
                view._move_edge(drag.index, drag.edge, drag.original)
                view.segmentEdgeDragged.emit(drag.index, drag.edge, drag.original)
            else:
                view._set_user_selection(drag.before)
                view.selectionChanged.emit(*(drag.before or NO_SELECTION))
            return
        if not view.has_audio():
            event.ignore()
            return
        plain = (
            not modifiers & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        )
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and plain:
            step = (
                NUDGE_LARGE_SECONDS
                if modifiers & Qt.KeyboardModifier.ShiftModifier
                else NUDGE_SECONDS
            )
            step = -step if key == Qt.Key.Key_Left else step
            view.seekRequested.emit(min(max(view.position() + step, 0.0), view.duration()))
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal) and plain:
            view.zoom_in()
        elif key == Qt.Key.Key_Minus and plain:
            view.zoom_out()
        elif key == Qt.Key.Key_0 and plain:
            view.zoom_to_fit()
        else:
            event.ignore()  # the editor around us may want it
