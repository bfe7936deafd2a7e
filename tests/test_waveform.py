"""The waveform view: whole clip at a glance, click to seek, drag to select, segment edges
that drag within their neighbours, zoom around the cursor, a cheap playhead, the ruler."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget

from widgets.waveform import NO_SELECTION, WaveformView
from widgets.waveform_model import Segment, clamp_edge, format_time, ruler_step, ruler_ticks
from widgets.waveform_paint import WaveColours

WIDTH, HEIGHT = 1000, 140  # 100 px per second over the fitted 10 s clip
Y = 70  # a height inside the waveform


class FakePeaks:
    """A 10 s clip, loud (±0.9) from 2 s to 4 s and silent elsewhere; records each call."""

    def __init__(self, duration: float = 10.0, loud: tuple[float, float] = (2.0, 4.0)) -> None:
        self.duration = duration
        self.loud = loud
        self.calls: list[tuple[float, float, int]] = []

    def envelope(self, start_s: float, end_s: float, columns: int) -> tuple[np.ndarray, np.ndarray]:
        self.calls.append((start_s, end_s, columns))
        edges = np.linspace(start_s, end_s, columns + 1)
        inside = (edges[1:] > self.loud[0]) & (edges[:-1] < self.loud[1])
        amplitude = np.where(inside, 0.9, 0.0).astype(np.float32)
        return -amplitude, amplitude


@pytest.fixture
def peaks() -> FakePeaks:
    return FakePeaks()


@pytest.fixture
def view(qtbot, peaks: FakePeaks) -> WaveformView:  # type: ignore[no-untyped-def]
    widget = WaveformView()
    qtbot.addWidget(widget)
    widget.resize(WIDTH, HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_source(peaks)
    return widget


SEGMENTS = [(1.0, 3.0, "Ana"), (3.5, 6.0, "Ben"), (7.0, 9.5, "Ana")]


def mouse_move(widget: QWidget, x: float, held: bool = True) -> None:
    buttons = Qt.MouseButton.LeftButton if held else Qt.MouseButton.NoButton
    position = QPointF(x, Y)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        position,
        widget.mapToGlobal(position),
        Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def drag(qtbot, widget: QWidget, x0: int, x1: int) -> None:  # type: ignore[no-untyped-def]
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=QPoint(x0, Y))
    for x in np.linspace(x0, x1, 6)[1:].tolist():
        mouse_move(widget, x)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=QPoint(x1, Y))


def wheel(widget: QWidget, x: float, notches: float, modifiers: Qt.KeyboardModifier) -> bool:
    position = QPointF(x, Y)
    event = QWheelEvent(
        position,
        widget.mapToGlobal(position),
        QPoint(0, 0),
        QPoint(0, round(120 * notches)),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


class PaintSpy(QObject):
    """Records the region of every paint event the watched widget gets."""

    def __init__(self) -> None:
        super().__init__()
        self.regions: list[list[QRect]] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            self.regions.append(list(event.region()))  # type: ignore[attr-defined]
        return False


def record(signal) -> list[tuple]:  # type: ignore[no-untyped-def]
    seen: list[tuple] = []
    signal.connect(lambda *args: seen.append(args))
    return seen


# -- peaks and painting


def test_the_whole_clip_is_asked_for_at_the_widget_width(view: WaveformView, peaks) -> None:  # type: ignore[no-untyped-def]
    view.grab()
    assert view.visible_range() == (0.0, 10.0)
    assert peaks.calls == [(0.0, 10.0, WIDTH)]
    view.grab()
    assert len(peaks.calls) == 1  # a repaint is served from the cache


def test_a_zoom_asks_for_the_new_span_only(view: WaveformView, peaks: FakePeaks) -> None:
    view.grab()
    view.set_view(2.0, 4.0)
    view.grab()
    assert peaks.calls[-1] == (2.0, 6.0, WIDTH)
    view.zoom_to_fit()
    view.grab()
    assert len(peaks.calls) == 2  # back to fit: cached


def test_moving_the_playhead_repaints_two_thin_strips_and_asks_no_peaks(
    view: WaveformView, peaks: FakePeaks
) -> None:
    view.grab()
    QApplication.processEvents()
    calls = len(peaks.calls)
    spy = PaintSpy()
    view.installEventFilter(spy)
    try:
        for seconds in (3.0, 3.04, 3.1, 5.0):
            view.set_position(seconds)
            QApplication.processEvents()
    finally:
        view.removeEventFilter(spy)
    assert len(spy.regions) == 4, "one paint per playhead move"
    for rects in spy.regions:  # the old and the new strip (merged when they overlap)
        assert sum(rect.width() for rect in rects) <= 2 * 11, rects
        assert all(rect.height() == HEIGHT for rect in rects)
    assert len(peaks.calls) == calls
    image = view.grab().toImage()
    playhead = WaveColours.from_palette(view.palette()).playhead
    assert QColor(image.pixel(500, Y)) == playhead


def test_the_waveform_is_drawn_where_the_clip_is_loud_and_not_where_it_is_silent(
    view: WaveformView,
) -> None:
    colours = WaveColours.from_palette(view.palette())
    image = view.grab().toImage()
    area = view.waveform_area()
    half_up = area.top() + area.height() // 4  # halfway between the middle and the top
    assert QColor(image.pixel(300, half_up)) == colours.wave  # 3 s: loud
    assert QColor(image.pixel(700, half_up)) == colours.background  # 7 s: silent
    half_down = area.bottom() - area.height() // 4
    assert QColor(image.pixel(300, half_down)) == colours.wave


def test_a_dark_palette_gives_a_dark_view(view: WaveformView) -> None:
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Window, QColor(45, 45, 45))
    dark.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    view.setPalette(dark)
    image = view.grab().toImage()
    area = view.waveform_area()
    assert QColor(image.pixel(700, area.top() + 5)).lightness() < 60
    assert WaveColours.from_palette(dark).dark


def test_without_audio_a_grey_message_shows_and_nothing_breaks(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 100)
    view.show()
    seeks = record(view.seekRequested)
    for source in (None, FakePeaks(duration=0.0)):
        view.set_source(source)
        assert not view.has_audio()
        image = view.grab().toImage()
        background = WaveColours.from_palette(view.palette()).background
        middle = [QColor(image.pixel(x, y)) for x in range(150, 250) for y in range(40, 60)]
        assert any(colour != background for colour in middle)  # the message
        assert QColor(image.pixel(5, 5)) == background
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 50))
        drag(qtbot, view, 50, 200)
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(100, 50))
        wheel(view, 100, 1, Qt.KeyboardModifier.ControlModifier)
        wheel(view, 100, -1, Qt.KeyboardModifier.NoModifier)
        qtbot.keyClick(view, Qt.Key.Key_Right)
        view.zoom_in()
        view.zoom_out()
        view.zoom_to_fit()
        view.set_position(3.0)
        view.set_segments(SEGMENTS)
        view.set_selection(1.0, 2.0)
        view.set_time_offset(30.0)
        assert view.ruler_ticks() == []
        view.grab()
    assert seeks == []


def test_a_failing_source_shows_a_message_instead_of_a_waveform(qtbot) -> None:  # type: ignore[no-untyped-def]
    class Broken(FakePeaks):
        def envelope(self, start_s: float, end_s: float, columns: int):  # type: ignore[no-untyped-def]
            raise OSError("the file went away")

    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 100)
    view.set_source(Broken())
    assert not view.grab().toImage().isNull()


def test_peaks_of_the_wrong_length_are_fitted_to_the_width(qtbot) -> None:  # type: ignore[no-untyped-def]
    class Sloppy(FakePeaks):
        def envelope(self, start_s: float, end_s: float, columns: int):  # type: ignore[no-untyped-def]
            return np.array([-0.5, -0.1]), np.array([0.5, np.nan, 0.2])

    view = WaveformView()
    qtbot.addWidget(view)
    view.resize(400, 100)
    view.set_source(Sloppy())
    view.grab()


# -- mouse


def test_a_click_seeks_to_the_time_under_it(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.seekRequested) as seek:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(250, Y))
    assert seek.args[0] == pytest.approx(2.5)
    assert view.selection() is None


def test_a_drag_selects_the_span_and_a_click_clears_it(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    changes = record(view.selectionChanged)
    seeks = record(view.seekRequested)
    drag(qtbot, view, 450, 200)  # right to left
    assert view.selection() == pytest.approx((2.0, 4.5))
    assert changes[-1] == pytest.approx((2.0, 4.5))
    assert seeks == []
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(800, Y))
    assert view.selection() is None
    assert changes[-1] == NO_SELECTION
    assert seeks == [pytest.approx((8.0,))]


def test_shift_click_extends_the_selection(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    view.set_selection(2.0, 4.0)
    qtbot.mouseClick(
        view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(600, Y)
    )
    assert view.selection() == pytest.approx((2.0, 6.0))


def test_a_selection_stays_inside_the_clip(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    drag(qtbot, view, 800, 1300)
    assert view.selection() == pytest.approx((8.0, 10.0))


def test_near_a_segment_edge_the_cursor_becomes_a_resize_arrow(view: WaveformView) -> None:
    view.set_segments(SEGMENTS)
    mouse_move(view, 303, held=False)  # 3 px from the end of the first segment
    assert view.cursor().shape() == Qt.CursorShape.SizeHorCursor
    mouse_move(view, 320, held=False)
    assert view.cursor().shape() == Qt.CursorShape.ArrowCursor


def test_a_dragged_edge_moves_and_stops_at_its_neighbour(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    view.set_segments(SEGMENTS)
    live = record(view.segmentEdgeDragged)
    with qtbot.waitSignal(view.segmentEdgeMoved) as moved:
        drag(qtbot, view, 300, 500)  # end of "Ana" towards 5 s, past Ben's start at 3.5 s
    assert moved.args == [0, "end", pytest.approx(3.5)]
    assert view.segments()[0] == Segment(1.0, pytest.approx(3.5), "Ana")
    assert live and all(args[2] <= 3.5 for args in live)
    # Now touching: each side of the shared edge grabs its own segment.
    with qtbot.waitSignal(view.segmentEdgeMoved) as moved:
        drag(qtbot, view, 352, 420)
    assert moved.args == [1, "start", pytest.approx(4.18)]
    assert view.segments()[0].end == pytest.approx(3.5)


def test_edges_stay_in_the_clip_and_segments_keep_a_minimum_length(
    qtbot, view: WaveformView
) -> None:  # type: ignore[no-untyped-def]
    view.set_segments(SEGMENTS)
    moved = record(view.segmentEdgeMoved)
    drag(qtbot, view, 100, -80)  # start of the first segment, off the left edge
    drag(qtbot, view, 950, 1400)  # end of the last one, off the right edge
    drag(qtbot, view, 350, 900)  # start of the middle one, past its own end
    assert moved == [
        (0, "start", pytest.approx(0.0)),
        (2, "end", pytest.approx(10.0)),
        (1, "start", pytest.approx(5.9)),
    ]


def test_escape_puts_a_dragged_edge_back(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    view.set_segments(SEGMENTS)
    moved = record(view.segmentEdgeMoved)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(300, Y))
    mouse_move(view, 330)
    assert view.segments()[0].end == pytest.approx(3.3)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(330, Y))
    assert view.segments()[0].end == pytest.approx(3.0)
    assert moved == []


def test_a_double_click_on_a_segment_activates_it(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    view.set_segments(SEGMENTS)
    with qtbot.waitSignal(view.segmentActivated) as activated:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=QPoint(480, Y))
    assert activated.args == [1]


def test_the_current_segment_is_drawn_stronger(view: WaveformView) -> None:
    view.set_segments(SEGMENTS)
    plain = QColor(view.grab().toImage().pixel(150, Y))
    view.set_current_segment(0)
    assert view.current_segment() == 0
    strong = QColor(view.grab().toImage().pixel(150, Y))
    assert strong != plain


# -- zoom and scroll


def test_ctrl_wheel_zooms_around_the_cursor(view: WaveformView) -> None:
    x = 737.0
    under = view.time_at(x)
    assert wheel(view, x, 3, Qt.KeyboardModifier.ControlModifier)
    first, last = view.visible_range()
    assert last - first < 10.0
    assert view.time_at(x) == pytest.approx(under)
    wheel(view, x, -1, Qt.KeyboardModifier.ControlModifier)
    assert view.time_at(x) == pytest.approx(under)
    assert view.visible_range()[1] - view.visible_range()[0] > last - first


def test_zoom_stops_at_20_ms_and_at_the_whole_clip(view: WaveformView) -> None:
    view.zoom_at(1e6, 500)
    first, last = view.visible_range()
    assert last - first == pytest.approx(0.02)
    view.zoom_out()
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx(0.04)
    view.zoom_at(1e-6)
    assert view.visible_range() == (0.0, 10.0)
    assert not view.is_zoomed()
    view.zoom_in()
    assert view.is_zoomed()
    view.zoom_to_fit()
    assert view.visible_range() == (0.0, 10.0)


def test_the_plain_wheel_scrolls_a_zoomed_view_and_the_ends_hold(view: WaveformView) -> None:
    assert not wheel(view, 500, -1, Qt.KeyboardModifier.NoModifier)  # fitted: not ours
    view.set_view(4.0, 2.0)
    views = record(view.viewChanged)
    assert wheel(view, 500, -1, Qt.KeyboardModifier.NoModifier)
    assert view.visible_range() == pytest.approx((4.2, 6.2))
    wheel(view, 500, 2, Qt.KeyboardModifier.ShiftModifier)
    assert view.visible_range() == pytest.approx((3.8, 5.8))
    wheel(view, 500, 100, Qt.KeyboardModifier.NoModifier)
    assert view.visible_range() == pytest.approx((0.0, 2.0))
    assert views[-1] == pytest.approx((0.0, 2.0))


def test_a_zoomed_view_pages_to_follow_the_playhead_unless_told_not_to(
    view: WaveformView,
) -> None:
    view.set_view(0.0, 2.0)
    view.set_position(1.0)
    assert view.visible_range() == (0.0, 2.0)
    view.set_position(1.95)  # into the last 5 %
    assert view.visible_range() == pytest.approx((1.85, 3.85))
    view.set_position(0.5)  # a seek back
    assert view.visible_range()[0] <= 0.5 <= view.visible_range()[1]
    view.set_follow_playhead(False)
    before = view.visible_range()
    view.set_position(9.0)
    assert view.visible_range() == before


# -- keys


def test_left_and_right_ask_to_seek_by_one_or_five_seconds(qtbot, view: WaveformView) -> None:  # type: ignore[no-untyped-def]
    view.set_position(4.0)
    seeks = record(view.seekRequested)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert seeks == [(5.0,), (0.0,), (9.0,)]
    assert view.position() == 4.0  # the editor moves the playhead, not the view


def test_the_view_takes_focus_and_says_what_it_is(view: WaveformView) -> None:
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert view.accessibleName()
    assert view.accessibleDescription()
    assert view.sizeHint().width() == 600 and view.sizeHint().height() == 120
    assert view.minimumHeight() == 60


# -- ruler


def test_ruler_labels_show_the_recording_time(view: WaveformView) -> None:
    view.set_time_offset(62.5)
    ticks = [tick for tick in view.ruler_ticks() if tick.major]
    assert ticks[0].seconds == pytest.approx(0.5)  # on a round second of the recording
    assert ticks[0].label == "01:03"
    for tick in ticks:
        assert tick.label == format_time(tick.seconds + 62.5)
    view.set_time_offset(3600.0)
    assert view.ruler_ticks()[0].label == "1:00:00"
    view.grab()


def test_ruler_labels_gain_decimals_when_zoomed_in(view: WaveformView) -> None:
    view.set_view(1.0, 0.5)
    labels = [tick.label for tick in view.ruler_ticks() if tick.major]
    assert len(labels) >= 3
    assert all("." in label for label in labels)
    assert len(set(labels)) == len(labels)


def test_time_labels() -> None:
    assert format_time(0) == "00:00"
    assert format_time(65.4) == "01:05"
    assert format_time(59.9996, 3) == "01:00.000"
    assert format_time(3725.25, 2) == "1:02:05.25"
    assert format_time(-1.5, 1) == "-00:01.5"


def test_ruler_steps_grow_as_labels_get_crowded() -> None:
    assert ruler_step(100.0, lambda step: 50.0) == (0.5, 0.1)
    assert ruler_step(0.001, lambda step: 50.0)[0] == 7200.0
    ticks = ruler_ticks(0.0, 10.0, 100.0, lambda step: 50.0, 0.0)
    assert [t.label for t in ticks if t.major][:3] == ["00:00.0", "00:00.5", "00:01.0"]


def test_an_edge_of_an_overlapping_segment_may_move_out_but_not_further_in() -> None:
    segments = [Segment(0.0, 5.0, "a"), Segment(4.0, 8.0, "b")]
    assert clamp_edge(segments, 1, "start", 3.0, 10.0, 0.1) == 4.0
    assert clamp_edge(segments, 1, "start", 6.0, 10.0, 0.1) == 6.0
    with pytest.raises(ValueError):
        clamp_edge(segments, 0, "middle", 1.0, 10.0, 0.1)
