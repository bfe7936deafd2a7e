"""The bar chart draws its bars, its second series and its reference line, and says its values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from widgets.barchart import REFERENCE_COLOUR, BarChart, ChartColours, nice_ticks


def euros(value: float) -> str:
    return f"€{value:.2f}"


@pytest.fixture
def chart(qtbot: QtBot) -> BarChart:
    widget = BarChart(accessible_name="Earnings per month")
    qtbot.addWidget(widget)
    widget.resize(480, 260)
    widget.set_value_formatter(euros)
    widget.set_series_names("Earned", "Pending")
    widget.set_bars(
        ["Jan", "Feb", "Mar"],
        [1.0, 3.0, 2.0],
        [0.0, 0.0, 1.0],
        titles=["January 2026", "February 2026", "March 2026"],
    )
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def pixel(image: QImage, point: QPointF) -> QColor:
    return image.pixelColor(round(point.x()), round(point.y()))


def close_to(colour: QColor, expected: QColor, tolerance: int = 12) -> bool:
    return all(
        abs(a - b) <= tolerance
        for a, b in zip(colour.getRgb()[:3], expected.getRgb()[:3], strict=True)
    )


def test_bars_are_drawn_in_the_highlight_colour_with_heights_in_proportion(chart: BarChart) -> None:
    image = chart.grab().toImage()
    colours = ChartColours.from_palette(chart.palette())
    for index in range(3):
        assert close_to(pixel(image, chart.bar_rect(index).center()), colours.first)
    jan, feb = chart.bar_rect(0), chart.bar_rect(1)
    assert feb.height() == pytest.approx(3 * jan.height(), rel=0.02)
    assert jan.bottom() == pytest.approx(feb.bottom())
    # Between two bars the background shows.
    gap = QPointF((jan.right() + feb.left()) / 2, jan.center().y())
    assert close_to(pixel(image, gap), chart.palette().color(QPalette.ColorRole.Base), 40)


def test_the_second_series_stacks_on_the_first_or_stands_beside_it(chart: BarChart) -> None:
    first, second = chart.bar_rect(2, 0), chart.bar_rect(2, 1)
    assert second.bottom() == pytest.approx(first.top())
    assert second.height() == pytest.approx(first.height() / 2, rel=0.02)
    image = chart.grab().toImage()
    colours = ChartColours.from_palette(chart.palette())
    stacked = pixel(image, second.center())
    assert not close_to(stacked, colours.first) and stacked != colours.background

    chart.set_second_mode("side")
    first, second = chart.bar_rect(2, 0), chart.bar_rect(2, 1)
    assert second.bottom() == pytest.approx(first.bottom())
    assert second.left() == pytest.approx(first.right())


def test_the_reference_line_crosses_the_chart_at_its_value(chart: BarChart) -> None:
    chart.set_reference(2.5, "Cap")
    feb = chart.bar_rect(1)
    at_value = feb.bottom() - feb.height() * 2.5 / 3.0
    image = chart.grab().toImage()
    # Dashed: look along a few pixels between the first two bars.
    x0 = round(chart.bar_rect(0).right()) + 2
    found = [pixel(image, QPointF(x, at_value)) for x in range(x0, x0 + 12)]
    assert any(close_to(c, QColor(REFERENCE_COLOUR), 30) for c in found)


def test_hovering_a_bar_explains_it_with_the_formatter(chart: BarChart, qtbot: QtBot) -> None:
    assert chart.tooltip_text(2) == "March 2026\nEarned: €2.00\nPending: €1.00"
    centre = chart.bar_rect(2).center().toPoint()
    assert chart.bar_at(QPointF(centre)) == 2
    assert chart.bar_at(QPointF(2, 2)) is None  # the tick labels, not a bar
    event = QHelpEvent(QEvent.Type.ToolTip, centre, chart.mapToGlobal(centre))
    QApplication.sendEvent(chart, event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    assert QToolTip.text() == "March 2026\nEarned: €2.00\nPending: €1.00"
    QToolTip.hideText()

    before = pixel(chart.grab().toImage(), chart.bar_rect(0).center())
    QTest.mouseMove(chart, chart.bar_rect(0).center().toPoint())
    qtbot.waitUntil(lambda: pixel(chart.grab().toImage(), chart.bar_rect(0).center()) != before)


def test_the_chart_reads_out_its_values_and_says_when_it_has_none(
    qtbot: QtBot, chart: BarChart
) -> None:
    assert chart.accessibleName() == "Earnings per month"
    assert "February 2026: €3.00" in chart.accessibleDescription()
    assert chart.sizeHint().width() > chart.minimumSizeHint().width() > 0

    chart.clear("Computing…")
    assert chart.bar_count() == 0 and chart.bar_at(QPointF(100, 100)) is None
    image = chart.grab().toImage()
    background = chart.palette().color(QPalette.ColorRole.Base)
    centre_row = [image.pixelColor(x, image.height() // 2) for x in range(image.width())]
    assert any(not close_to(c, background, 40) for c in centre_row)  # the message is drawn


def test_bars_need_one_value_per_label(chart: BarChart) -> None:
    with pytest.raises(ValueError, match="one value per label"):
        chart.set_bars(["a", "b"], [1.0])
    with pytest.raises(ValueError, match="one value per label"):
        chart.set_bars(["a"], [1.0], [1.0, 2.0])


def test_axis_ticks_are_round_numbers() -> None:
    assert nice_ticks(0, 2.0) == [0, 0.5, 1.0, 1.5, 2.0]
    assert nice_ticks(0, 2600) == [0, 1000, 2000, 3000]
    assert nice_ticks(0, 7.3) == [0, 2, 4, 6, 8]
    assert nice_ticks(0, 9) == pytest.approx([0, 2.5, 5.0, 7.5, 10])
    assert nice_ticks(1, 1) == [1]


def test_crowded_labels_keep_the_newest_and_skip_some(qtbot: QtBot) -> None:
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(240, 200)
    chart.set_bars([f"Label {i}" for i in range(30)], [float(i) for i in range(30)])
    chart.show()
    qtbot.waitExposed(chart)
    assert chart.bar_rect(29).height() > chart.bar_rect(1).height() > 0
    assert chart.grab().width() == 240
    assert chart.bar_at(QPointF(chart.bar_rect(29).center())) == 29
    assert chart.bar_at(QPointF(QPoint(chart.width() - 2, 100))) is None
