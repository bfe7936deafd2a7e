"""The image canvas: zoom around the cursor, crisp pixels when zoomed in, pan, overlay,
and mouse events reported in image coordinates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from widgets.imagecanvas import ImageCanvas, OverlayMode


def gradient_image(width: int, height: int) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    return np.stack([xx % 256, yy % 256, (xx + yy) % 256], axis=2).astype(np.uint8)


@pytest.fixture
def canvas(qtbot) -> ImageCanvas:  # type: ignore[no-untyped-def]
    widget = ImageCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_image(gradient_image(200, 150))
    return widget


def wheel(widget: ImageCanvas, pos: QPointF, notches: int, modifiers: Qt.KeyboardModifier) -> None:
    event = QWheelEvent(
        pos,
        widget.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def close_to(a: QPointF, b: QPointF, tolerance: float = 1e-6) -> bool:
    return math.hypot(a.x() - b.x(), a.y() - b.y()) <= tolerance


def test_the_image_is_fitted_and_centred_and_coordinates_round_trip(canvas: ImageCanvas) -> None:
    assert canvas.scale() == pytest.approx(2.0)  # 200 × 150 in 400 × 300
    assert close_to(canvas.image_to_widget((0, 0)), QPointF(0, 0))
    assert close_to(canvas.image_to_widget((200, 150)), QPointF(400, 300))
    point = QPointF(123.4, 56.7)
    assert close_to(canvas.widget_to_image(canvas.image_to_widget(point)), point)


def test_ctrl_wheel_zooms_around_the_cursor_both_ways(canvas: ImageCanvas) -> None:
    cursor = QPointF(97, 61)
    under = canvas.widget_to_image(cursor)
    wheel(canvas, cursor, 3, Qt.KeyboardModifier.ControlModifier)
    assert canvas.scale() > 2.0
    assert close_to(canvas.widget_to_image(cursor), under, 1e-6)
    zoomed = canvas.scale()
    wheel(canvas, cursor, -1, Qt.KeyboardModifier.ControlModifier)
    assert 2.0 < canvas.scale() < zoomed
    assert close_to(canvas.widget_to_image(cursor), under, 1e-6)


def test_zoom_stops_at_3200_percent_and_at_fit(canvas: ImageCanvas) -> None:
    canvas.set_scale(1000)
    assert canvas.scale() == pytest.approx(32.0)
    canvas.set_scale(0.01)
    assert canvas.scale() == pytest.approx(canvas.fit_scale())


def test_plus_minus_and_zero_keys_zoom_and_fit(qtbot, canvas: ImageCanvas) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.scale() > 2.0
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    bigger = canvas.scale()
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.scale() < bigger
    qtbot.keyClick(canvas, Qt.Key.Key_0)
    assert canvas.scale() == pytest.approx(2.0)


def test_pixels_are_blocks_when_zoomed_in(qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(256, 256)
    canvas.show()
    qtbot.waitExposed(canvas)
    checker = np.zeros((8, 8, 3), dtype=np.uint8)
    checker[(np.add.outer(np.arange(8), np.arange(8)) % 2) == 1] = 255
    canvas.set_image(checker)
    canvas.set_overlay_opacity(0)
    canvas.set_scale(32, canvas.image_to_widget((0, 0)))
    assert not canvas.smooth_pixels()
    grabbed = canvas.grab().toImage()
    # 0.1 image pixel from a black/white border: a smooth scale would blend there.
    for x, expected in ((0.9, 0), (1.1, 255), (1.5, 255), (2.1, 0)):
        point = canvas.image_to_widget((x, 0.5)).toPoint()
        assert QColor(grabbed.pixel(point)).red() == expected, (x, point)


def test_a_large_image_is_drawn_from_a_preview_until_zoomed_in(qtbot) -> None:  # type: ignore[no-untyped-def]
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(600, 400)
    canvas.show()
    canvas.set_image(gradient_image(4096, 2731))
    assert not canvas.uses_full_resolution()
    canvas.grab()  # paints from the preview without error
    canvas.set_scale(1.0)
    assert canvas.uses_full_resolution()
    canvas.grab()


def test_mouse_events_come_out_in_image_coordinates(qtbot, canvas: ImageCanvas) -> None:  # type: ignore[no-untyped-def]
    pressed: list[tuple[QPointF, object, object]] = []
    canvas.pressed.connect(lambda *args: pressed.append(args))
    with qtbot.waitSignal(canvas.released):
        qtbot.mouseClick(
            canvas,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ShiftModifier,
            canvas.image_to_widget((50, 40)).toPoint(),
        )
    position, button, modifiers = pressed[0]
    assert close_to(position, QPointF(50, 40), 0.5)
    assert button == Qt.MouseButton.LeftButton
    assert modifiers & Qt.KeyboardModifier.ShiftModifier


def test_middle_drag_and_plain_wheel_pan_without_reporting_clicks(
    qtbot, canvas: ImageCanvas
) -> None:  # type: ignore[no-untyped-def]
    canvas.set_scale(8)
    pressed: list[object] = []
    canvas.pressed.connect(lambda *args: pressed.append(args))
    before = canvas.widget_to_image(QPointF(200, 150))
    qtbot.mousePress(canvas, Qt.MouseButton.MiddleButton, pos=QPoint(200, 150))
    qtbot.mouseMove(canvas, QPoint(240, 170))
    qtbot.mouseRelease(canvas, Qt.MouseButton.MiddleButton, pos=QPoint(240, 170))
    after = canvas.widget_to_image(QPointF(200, 150))
    assert pressed == []
    assert after.x() == pytest.approx(before.x() - 40 / 8)
    assert after.y() == pytest.approx(before.y() - 20 / 8)
    wheel(canvas, QPointF(200, 150), -1, Qt.KeyboardModifier.NoModifier)
    assert canvas.widget_to_image(QPointF(200, 150)).y() > after.y()


def test_space_drag_pans(qtbot, canvas: ImageCanvas) -> None:  # type: ignore[no-untyped-def]
    canvas.set_scale(8)
    before = canvas.widget_to_image(QPointF(200, 150))
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(canvas, QPoint(180, 150))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(180, 150))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert canvas.widget_to_image(QPointF(200, 150)).x() == pytest.approx(before.x() + 20 / 8)


def test_the_wheel_can_be_captured_by_a_tool(qtbot, canvas: ImageCanvas) -> None:  # type: ignore[no-untyped-def]
    canvas.set_wheel_captured(True)
    with qtbot.waitSignal(canvas.wheelTurned) as turned:
        wheel(canvas, QPointF(100, 100), 2, Qt.KeyboardModifier.NoModifier)
    assert turned.args[0] == pytest.approx(2)
    assert canvas.scale() == pytest.approx(2.0)


def square(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


def test_a_region_with_a_hole_is_filled_even_odd_and_cut_out_over_a_checkerboard(
    canvas: ImageCanvas,
) -> None:
    canvas.set_image(np.full((150, 200, 3), 10, dtype=np.uint8))
    canvas.set_regions([(square(20, 20, 100), [square(50, 50, 40)])])
    canvas.set_overlay_opacity(1.0)
    filled = canvas.grab().toImage()

    def colour(image, x: float, y: float) -> QColor:  # type: ignore[no-untyped-def]
        return QColor(image.pixel(canvas.image_to_widget((x, y)).toPoint()))

    assert colour(filled, 30, 30) == canvas.fill_colour  # inside the region
    assert colour(filled, 70, 70).red() == 10  # the hole shows the image
    assert colour(filled, 150, 130).red() == 10  # outside
    canvas.set_overlay_mode(OverlayMode.OUTLINE)
    assert colour(canvas.grab().toImage(), 30, 30).red() == 10
    canvas.set_overlay_mode(OverlayMode.CUTOUT)
    cut = canvas.grab().toImage()
    assert colour(cut, 30, 30).red() == 10  # the image inside
    assert colour(cut, 70, 70).red() >= 200  # checkerboard in the hole
    assert colour(cut, 150, 130).red() >= 200  # and outside


def test_a_2000_vertex_polygon_paints(canvas: ImageCanvas) -> None:
    angles = np.linspace(0, 2 * np.pi, 2000, endpoint=False)
    ring = np.column_stack([100 + 60 * np.cos(angles), 75 + 60 * np.sin(angles)])
    canvas.set_regions([(ring, [])])
    canvas.set_show_vertices(True)
    canvas.set_highlight((160, 75), bad=True)
    canvas.set_preview_path([(0, 0), (10, 10)], closed=False)
    canvas.set_stroke_preview([(5, 5), (20, 20)], 4, erase=True)
    canvas.set_brush_cursor(5)
    canvas.set_hint_box((10, 10, 50, 50))
    image = canvas.grab().toImage()
    assert not image.isNull()
    assert canvas.regions_path().elementCount() >= 2000
