"""A waveform view of one audio clip: zoom, scroll, playhead, selection, segment spans.

Knows nothing of tasks. Peaks come from a :class:`PeakSource` (the clip's duration
and a min/max envelope for any span), asked only for the visible span at the
widget's width and cached, so a paint is a pixmap blit. The playhead is drawn on top
of that pixmap: moving it repaints two thin strips, never the whole view.

The view only draws and reports: a click asks for a seek (``seekRequested``), the
editor answers with ``set_position``; a drag selects a time span; segment edges
drag within their neighbours and the clip. Setters called by the program never emit the
signals of user actions; ``viewChanged`` follows every change of the visible span.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from widgets.waveform_input import NO_SELECTION, WaveformInput
from widgets.waveform_model import (
    PeakCache,
    PeakSource,
    Segment,
    Tick,
    decimals_for_step,
    format_time,
)
from widgets.waveform_model import ruler_ticks as compute_ticks
from widgets.waveform_paint import (
    PLAYHEAD_HALF_WIDTH,
    Band,
    WaveColours,
    draw_bands,
    draw_message,
    draw_playhead,
    draw_position_indicator,
    draw_ruler,
    draw_selection,
    draw_wave,
)

__all__ = ["NO_SELECTION", "PeakSource", "Segment", "WaveformView"]

MAX_ZOOM_SPAN = 0.02  # seconds across the whole view at the deepest zoom
BUTTON_ZOOM_STEP = 2.0  # zoom_in / zoom_out / the +/- keys
FOLLOW_MARGIN = 0.05  # fraction of the view kept ahead of / behind the playhead when paging
PEAK_CACHE_SIZE = 8
INDICATOR_HEIGHT = 3


class WaveformView(QWidget):
    """The waveform of one clip, with a ruler along the bottom.

    Signals (the first five only for what the user did):

    - ``seekRequested(seconds)``: a click, or Left/Right (±1 s, Shift ±5 s) with focus.
    - ``selectionChanged(start, end)``: while a drag selects; ``NO_SELECTION`` (-1, -1)
      when a click clears it.
    - ``segmentEdgeDragged(index, edge, seconds)``: live while an edge moves;
      ``segmentEdgeMoved(index, edge, seconds)`` once on release, if it moved.
      ``edge`` is ``"start"`` or ``"end"``.
    - ``segmentActivated(index)``: a double click on a segment.
    - ``viewChanged(first, last)``: the visible span in clip seconds, after any zoom, scroll,
      page to follow the playhead, or new source.
    """

    seekRequested = Signal(float)
    selectionChanged = Signal(float, float)
    segmentEdgeDragged = Signal(int, str, float)
    segmentEdgeMoved = Signal(int, str, float)
    segmentActivated = Signal(int)
    viewChanged = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waveformView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(60)
        self.setAccessibleName(self.tr("Waveform"))
        self.setAccessibleDescription(
            self.tr(
                "Audio waveform. Click to move the playhead, drag to select, drag a segment "
                "edge to adjust it, Ctrl+wheel to zoom, Left and Right to move by a second."
            )
        )
        self._source: PeakSource | None = None
        self._duration = 0.0
        self._first = 0.0  # visible span, clip seconds
        self._span = 0.0
        self._position = 0.0
        self._selection: tuple[float, float] | None = None
        self._segments: list[Segment] = []
        self._speaker_slots: dict[str, int] = {}
        self._current = -1
        self._offset = 0.0
        self._follow = True
        self._peaks = PeakCache(None, PEAK_CACHE_SIZE)
        self._static: QPixmap | None = None
        self._input = WaveformInput(self)

    # -- the clip

    def set_source(self, source: PeakSource | None) -> None:
        """Show ``source`` (None for none), whole. Clears the selection and the peak cache."""
        self._source = source
        duration = float(source.duration) if source is not None else 0.0
        self._duration = duration if math.isfinite(duration) and duration > 0 else 0.0
        self._peaks = PeakCache(source, PEAK_CACHE_SIZE)
        self._selection = None
        self._input.cancel()
        self._speaker_slots = {}
        self._assign_speakers()
        self._position = min(max(self._position, 0.0), self._duration)
        self._first, self._span = 0.0, self._duration
        self._invalidate()
        self.viewChanged.emit(*self.visible_range())

    def source(self) -> PeakSource | None:
        return self._source

    def duration(self) -> float:
        """Seconds of the clip; 0 without one."""
        return self._duration

    def has_audio(self) -> bool:
        return self._source is not None and self._duration > 0

    def invalidate_peaks(self) -> None:
        """Forget cached peaks (the source learnt more of its audio) and ask again."""
        self._peaks.clear()
        self._invalidate()

    # -- view

    def visible_range(self) -> tuple[float, float]:
        """``(first, last)`` clip seconds across the view."""
        return self._first, self._first + self._span

    def is_zoomed(self) -> bool:
        return self.has_audio() and self._span < self._duration * (1 - 1e-9)

    def time_at(self, x: float) -> float:
        """Clip seconds under widget x (not clamped to the clip)."""
        return self._first + x / max(self.width(), 1) * self._span

    def x_at(self, seconds: float) -> float:
        """Widget x of clip ``seconds``."""
        if self._span <= 0:
            return 0.0
        return (seconds - self._first) / self._span * max(self.width(), 1)

    def min_span(self) -> float:
        return min(MAX_ZOOM_SPAN, self._duration)

    def set_view(self, first: float, span: float) -> None:
        """Show ``span`` seconds from ``first``, clamped to the zoom limits and the clip."""
        if not self.has_audio():
            return
        span = min(max(span, self.min_span()), self._duration)
        first = min(max(first, 0.0), self._duration - span)
        if (first, span) == (self._first, self._span):
            return
        self._first, self._span = first, span
        self._invalidate()
        self.viewChanged.emit(*self.visible_range())

    def zoom_at(self, factor: float, x: float | None = None) -> None:
        """Zoom in by ``factor`` (< 1 zooms out) keeping the time under widget ``x``
        (default: the middle) where it is, as far as the clip's ends allow."""
        if not self.has_audio():
            return
        x = self.width() / 2 if x is None else x
        fixed = self.time_at(x)
        span = min(max(self._span / factor, self.min_span()), self._duration)
        self.set_view(fixed - x / max(self.width(), 1) * span, span)

    def _zoom_anchor(self) -> float | None:
        x = self.x_at(self._position)
        return x if 0 <= x <= self.width() else None

    def zoom_in(self) -> None:
        """Zoom in around the playhead when it is in view, else around the middle."""
        self.zoom_at(BUTTON_ZOOM_STEP, self._zoom_anchor())

    def zoom_out(self) -> None:
        self.zoom_at(1 / BUTTON_ZOOM_STEP, self._zoom_anchor())

    def zoom_to_fit(self) -> None:
        """Show the whole clip."""
        self.set_view(0.0, self._duration)

    def scroll_by(self, seconds: float) -> None:
        self.set_view(self._first + seconds, self._span)

    def set_follow_playhead(self, follow: bool) -> None:
        """Whether a zoomed view pages along when the playhead leaves it (on by default)."""
        self._follow = follow

    def follows_playhead(self) -> bool:
        return self._follow

    # -- playhead

    def position(self) -> float:
        return self._position

    def set_position(self, seconds: float) -> None:
        """Move the playhead (called many times a second while playing). Repaints the two
        strips under the old and the new playhead, or the view when it pages to follow."""
        # Without audio yet, keep the position for the clip about to come.
        upper = self._duration if self.has_audio() else math.inf
        seconds = min(max(float(seconds), 0.0), upper)
        if seconds == self._position:
            return
        old_x = self._playhead_x()
        self._position = seconds
        if self._follow and self.is_zoomed() and not self.is_dragging():
            last = self._first + self._span
            if seconds < self._first or seconds > last - FOLLOW_MARGIN * self._span:
                before = self._first
                self.set_view(seconds - FOLLOW_MARGIN * self._span, self._span)
                if self._first != before:
                    return  # set_view repaints everything
        new_x = self._playhead_x()
        if new_x != old_x:
            for x in (old_x, new_x):
                if x is not None:
                    self.update(self._playhead_strip(x))

    def _playhead_x(self) -> int | None:
        if not self.has_audio():
            return None
        x = self.x_at(self._position)
        if x < 0 or x > self.width():
            return None
        return min(int(x), self.width() - 1)

    def _playhead_strip(self, x: int) -> QRect:
        return QRect(x - PLAYHEAD_HALF_WIDTH - 1, 0, 2 * PLAYHEAD_HALF_WIDTH + 3, self.height())

    # -- selection

    def selection(self) -> tuple[float, float] | None:
        """``(start, end)`` in clip seconds, or None."""
        return self._selection

    def set_selection(self, start: float, end: float) -> None:
        """Select ``[start, end]`` (in either order, clamped to the clip); does not emit."""
        lo, hi = sorted((start, end))
        self._selection = (max(lo, 0.0), min(hi, self._duration))
        self._invalidate()

    def clear_selection(self) -> None:
        """Remove the selection; does not emit."""
        if self._selection is not None:
            self._selection = None
            self._invalidate()

    # -- segments

    def set_segments(self, segments: Iterable[tuple[float, float, str]]) -> None:
        """Spans ``(start, end, label)`` in clip seconds, drawn as bands coloured by label
        and numbered from 1 in the order given; indices in signals follow that order."""
        self._segments = [Segment(float(s), float(e), str(label)) for s, e, label in segments]
        self._input.segments_replaced(len(self._segments))
        self._assign_speakers()
        self._invalidate()

    def segments(self) -> list[Segment]:
        """The segments as shown, edges dragged by the user included."""
        return list(self._segments)

    def set_current_segment(self, index: int) -> None:
        """Highlight segment ``index``; -1 for none."""
        if index != self._current:
            self._current = index
            self._invalidate()

    def current_segment(self) -> int:
        return self._current

    def segment_at(self, seconds: float) -> int:
        """The segment under ``seconds`` (the current one first), or -1."""
        inside = [i for i, s in enumerate(self._segments) if s.start <= seconds <= s.end]
        if self._current in inside:
            return self._current
        return inside[0] if inside else -1

    def _assign_speakers(self) -> None:
        # A label keeps its colour as long as the clip is shown, whatever is edited.
        for segment in self._segments:
            self._speaker_slots.setdefault(segment.label, len(self._speaker_slots))

    # -- ruler

    def set_time_offset(self, seconds: float) -> None:
        """Seconds added to the ruler's labels: where the clip starts in its recording."""
        if seconds != self._offset:
            self._offset = float(seconds)
            self._invalidate()

    def time_offset(self) -> float:
        return self._offset

    def ruler_ticks(self) -> list[Tick]:
        """The ruler's ticks for the current view: clip seconds and the label shown
        (recording time, the offset included)."""
        if not self.has_audio() or self.width() <= 0:
            return []
        metrics = QFontMetrics(self.font())
        longest = self._duration + abs(self._offset)

        def spacing(step: float) -> float:
            sample = format_time(longest, decimals_for_step(step))
            return metrics.horizontalAdvance(sample) + 4 * metrics.averageCharWidth()

        first, last = self.visible_range()
        return compute_ticks(first, last, self.width() / self._span, spacing, self._offset)

    # -- geometry

    def _ruler_height(self) -> int:
        return QFontMetrics(self.font()).height() + 6 + INDICATOR_HEIGHT

    def _header_height(self) -> int:
        return QFontMetrics(self.font()).height() + 4 if self._segments else 0

    def waveform_area(self) -> QRect:
        """Where the waveform is drawn: between the segment labels and the ruler."""
        header = self._header_height()
        return QRect(0, header, self.width(), self.height() - header - self._ruler_height())

    def ruler_area(self) -> QRect:
        ruler = self._ruler_height()
        return QRect(0, self.height() - ruler, self.width(), ruler)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(600, 120)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, 60)

    # -- painting

    def _invalidate(self) -> None:
        self._static = None
        self.update()

    def _render_static(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(QSize(max(self.width(), 1), max(self.height(), 1)) * ratio)
        pixmap.setDevicePixelRatio(ratio)
        colours = WaveColours.from_palette(self.palette())
        pixmap.fill(colours.background)
        painter = QPainter(pixmap)
        painter.setFont(self.font())
        try:
            self._paint_layers(painter, colours)
        finally:
            painter.end()
        return pixmap

    def _paint_layers(self, painter: QPainter, colours: WaveColours) -> None:
        if not self.has_audio():
            text = (
                self.tr("No audio loaded")
                if self._source is None
                else self.tr("The audio clip is empty")
            )
            draw_message(painter, self.rect(), text, colours)
            return
        wave, ruler = self.waveform_area(), self.ruler_area()
        header = QRect(0, 0, self.width(), self._header_height())
        band_area = QRect(0, 0, self.width(), ruler.top())
        bands = [
            Band(self.x_at(s.start), self.x_at(s.end), s.label, i, self._speaker_slots[s.label])
            for i, s in enumerate(self._segments)
        ]
        visible = [b for b in bands if b.x1 >= -2 and b.x0 <= self.width() + 2]
        current = [b for b in visible if b.segment == self._current]
        others = [b for b in visible if b.segment != self._current]
        draw_bands(painter, band_area, header, others + current, self._current, colours)
        if self._selection is not None:
            start, end = self._selection
            draw_selection(painter, wave, self.x_at(start), self.x_at(end), colours)
        peaks = self._peaks.get(*self.visible_range(), self.width())
        if peaks is not None and wave.height() > 2:
            draw_wave(painter, wave, peaks[0], peaks[1], colours)
        elif peaks is None:
            draw_message(painter, wave, self.tr("The waveform could not be read"), colours)
        ticks = [(self.x_at(t.seconds), t.label, t.major) for t in self.ruler_ticks()]
        draw_ruler(painter, ruler.adjusted(0, 0, 0, -INDICATOR_HEIGHT), ticks, colours)
        if self.is_zoomed():
            indicator = QRect(
                0, ruler.bottom() - INDICATOR_HEIGHT + 1, self.width(), INDICATOR_HEIGHT
            )
            first, last = self.visible_range()
            draw_position_indicator(
                painter, indicator, first / self._duration, last / self._duration, colours
            )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        if self._static is None or self._static.deviceIndependentSize().toSize() != self.size():
            self._static = self._render_static()
        painter = QPainter(self)
        # Qt clips to the dirty region, so a playhead move blits two thin strips.
        painter.drawPixmap(0, 0, self._static)
        x = self._playhead_x()
        if x is not None:
            draw_playhead(painter, x, self.height(), WaveColours.from_palette(self.palette()))
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        self._static = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
        ):
            self._invalidate()
        super().changeEvent(event)

    # -- input (interpreted by WaveformInput)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._input.press(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._input.move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._input.release(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self._input.double_click(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        self._input.wheel(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        self._input.key(event)

    def event(self, event: QEvent) -> bool:
        # With focus, Left/Right move the playhead even if the window binds them too.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._input.wants_key(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        self._input.leave()
        super().leaveEvent(event)

    def is_dragging(self) -> bool:
        """A selection or an edge drag is under way (the view then does not page)."""
        return self._input.dragging()

    def _move_edge(self, index: int, edge: str, seconds: float) -> None:
        start, end, label = self._segments[index]
        start, end = (seconds, end) if edge == "start" else (start, seconds)
        self._segments[index] = Segment(start, end, label)
        self._invalidate()

    def _set_user_selection(self, selection: tuple[float, float] | None) -> None:
        self._selection = selection
        self._invalidate()
