"""A small bar chart: labelled bars, an optional second series and a reference line.

It knows nothing of what it counts: values come in as floats, a formatter callable
turns them into text (axis ticks, tooltips, the accessible description). Colours come
from the widget's palette, so light and dark themes both work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

__all__ = ["BarChart", "ChartColours", "nice_ticks"]

Formatter = Callable[[float], str]
SecondMode = Literal["stacked", "side"]

# Okabe–Ito vermillion: distinct from the highlight blue for colour-blind readers too.
REFERENCE_COLOUR = "#D55E00"
BAR_SHARE = 0.7  # of each slot's width; the rest is the gap between bars
MAX_BAR_WIDTH = 56.0


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis values (1, 2, 2.5 or 5 times a power of ten) covering ``low``…``high``."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    steps = round((last - first) / step)
    return [first + i * step for i in range(steps + 1)]


@dataclass(frozen=True)
class ChartColours:
    """The colours of one paint, derived from a palette."""

    background: QColor
    frame: QColor
    first: QColor
    second: QColor
    hover: QColor
    grid: QColor
    axis: QColor
    text: QColor
    muted: QColor
    reference: QColor

    @classmethod
    def from_palette(cls, palette: QPalette, reference: QColor | None = None) -> ChartColours:
        background = palette.color(QPalette.ColorRole.Base)
        dark = background.lightness() < 128
        text = palette.color(QPalette.ColorRole.Text)
        first = palette.color(QPalette.ColorRole.Highlight)
        if dark:
            first = first.lighter(130)
        second = QColor(first)
        second.setAlpha(130 if dark else 90)
        hover = first.lighter(120) if dark else first.darker(125)
        grid, axis, muted = QColor(text), QColor(text), QColor(text)
        grid.setAlpha(28)
        axis.setAlpha(110)
        muted.setAlpha(170)
        return cls(
            background=background,
            frame=palette.color(QPalette.ColorRole.Mid),
            first=first,
            second=second,
            hover=hover,
            grid=grid,
            axis=axis,
            text=text,
            muted=muted,
            reference=QColor(reference) if reference is not None else QColor(REFERENCE_COLOUR),
        )


@dataclass(frozen=True)
class _Layout:
    plot: QRectF
    low: float
    high: float
    ticks: list[float]
    slot: float
    label_every: int

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.plot.bottom() - share * self.plot.height()


class BarChart(QWidget):
    """Bars with labels under them; hover a bar for its values.

    ``set_bars`` gives the labels and values (and, optionally, a second series drawn
    stacked on the first or beside it); ``set_reference`` draws a horizontal line.
    Without bars the chart shows its message (``set_message``), e.g. "Computing…".
    """

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._titles: list[str] = []
        self._first: list[float] = []
        self._second: list[float] | None = None
        self._names = ("", "")
        self._mode: SecondMode = "stacked"
        self._format: Formatter = _plain
        self._reference: float | None = None
        self._reference_label = ""
        self._reference_colour: QColor | None = None
        self._message = ""
        self._hovered: int | None = None
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(accessible_name or self.tr("Bar chart"))

    # ---------------------------------------------------------------- data

    def set_bars(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        second: Sequence[float] | None = None,
        *,
        titles: Sequence[str] | None = None,
    ) -> None:
        """One bar per label; ``titles`` (longer labels) head the tooltips when given.

        Raises ``ValueError`` when the sequences differ in length.
        """
        if len(values) != len(labels) or (second is not None and len(second) != len(labels)):
            raise ValueError("a bar chart needs one value per label in each series")
        if titles is not None and len(titles) != len(labels):
            raise ValueError("a bar chart needs one title per label")
        self._labels = [str(label) for label in labels]
        self._titles = [str(t) for t in titles] if titles is not None else list(self._labels)
        self._first = [_finite(v) for v in values]
        self._second = [_finite(v) for v in second] if second is not None else None
        self._hovered = None
        self._describe()
        self.update()

    def set_series_names(self, first: str, second: str = "") -> None:
        """Names shown in the legend and the tooltips."""
        self._names = (first, second)
        self._describe()
        self.update()

    def set_second_mode(self, mode: SecondMode) -> None:
        """``stacked`` on top of the first series, or ``side`` by side with it."""
        self._mode = mode
        self.update()

    def set_value_formatter(self, formatter: Formatter) -> None:
        self._format = formatter
        self._describe()
        self.update()

    def set_reference(
        self, value: float | None, label: str = "", colour: QColor | str | None = None
    ) -> None:
        """A dashed line across the chart at ``value`` (None removes it); ``label`` and the
        value name it in the legend."""
        self._reference = _finite(value) if value is not None else None
        self._reference_label = label
        self._reference_colour = QColor(colour) if colour is not None else None
        self.update()

    def set_message(self, text: str) -> None:
        """What the chart says while it has no bars."""
        self._message = text
        self.update()

    def clear(self, message: str = "") -> None:
        self._message = message
        self.set_bars([], [])

    def bar_count(self) -> int:
        return len(self._labels)

    def values(self) -> list[float]:
        return list(self._first)

    # ---------------------------------------------------------------- geometry

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(520, 240)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(200, 120)

    def _tops(self) -> list[float]:
        if self._second is None:
            return list(self._first)
        if self._mode == "stacked":
            return [a + b for a, b in zip(self._first, self._second, strict=True)]
        return [max(a, b) for a, b in zip(self._first, self._second, strict=True)]

    def _layout(self) -> _Layout:
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        candidates = [0.0, *self._tops(), *self._first, *(self._second or [])]
        if self._reference is not None:
            candidates.append(self._reference)
        low, high = min(candidates), max(candidates)
        if high <= low:
            high = low + 1.0
        ticks = nice_ticks(low, high)
        low, high = min(ticks[0], low), max(ticks[-1], high)
        if high <= low:
            high = low + 1.0
        tick_width = max(metrics.horizontalAdvance(self._format(t)) for t in ticks)
        legend = line + 6 if any(self._names) or self._reference_label else 4
        top = legend + line // 2
        plot = QRectF(
            tick_width + 12.0,
            float(top),
            max(1.0, self.width() - tick_width - 12.0 - 8.0),
            max(1.0, self.height() - top - line - 10.0),
        )
        count = max(1, len(self._labels))
        slot = plot.width() / count
        widest = max((metrics.horizontalAdvance(label) for label in self._labels), default=0)
        label_every = max(1, math.ceil((widest + 10) / max(slot, 1.0)))
        return _Layout(plot, low, high, ticks, slot, label_every)

    def bar_rect(self, index: int, series: int = 0) -> QRectF:
        """Where bar ``index`` of ``series`` (0 first, 1 second) is drawn, in widget pixels."""
        layout = self._layout()
        return self._bar_rect(layout, index, series)

    def _bar_rect(self, layout: _Layout, index: int, series: int) -> QRectF:
        width = min(layout.slot * BAR_SHARE, MAX_BAR_WIDTH)
        centre = layout.plot.left() + layout.slot * (index + 0.5)
        side = self._second is not None and self._mode == "side"
        if side:
            width /= 2
            left = centre - width if series == 0 else centre
        else:
            left = centre - width / 2
        if series == 0:
            base, value = 0.0, self._first[index]
        else:
            assert self._second is not None
            value = self._second[index]
            base = 0.0 if side else self._first[index]
        y0, y1 = layout.y(base), layout.y(base + value)
        return QRectF(left, min(y0, y1), max(width, 1.0), abs(y1 - y0))

    def bar_at(self, point: QPointF) -> int | None:
        """The bar whose slot holds ``point`` (the whole column, not only the drawn bar)."""
        if not self._labels:
            return None
        layout = self._layout()
        if not layout.plot.adjusted(0, -4, 0, 4).contains(point):
            return None
        index = int((point.x() - layout.plot.left()) // layout.slot)
        return index if 0 <= index < len(self._labels) else None

    def tooltip_text(self, index: int) -> str:
        """The title of bar ``index`` and its values, one per line."""
        first_name = self._names[0] or self.tr("Value")
        lines = [self._titles[index], f"{first_name}: {self._format(self._first[index])}"]
        if self._second is not None:
            second_name = self._names[1] or self.tr("Second")
            lines.append(f"{second_name}: {self._format(self._second[index])}")
        return "\n".join(lines)

    def _describe(self) -> None:
        # Screen readers cannot see bars: the description reads the chart out.
        parts = [
            f"{label}: {self._format(value)}"
            for label, value in zip(self._titles, self._first, strict=True)
        ]
        name = self._names[0]
        self.setAccessibleDescription(f"{name} — " + "; ".join(parts) if name else "; ".join(parts))

    # ---------------------------------------------------------------- events

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            index = self.bar_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(index), self)
            return True
        return super().event(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        index = self.bar_at(event.position())
        if index != self._hovered:
            self._hovered = index
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if self._hovered is not None:
            self._hovered = None
            self.update()
        super().leaveEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.update()
        super().changeEvent(event)

    # ---------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        colours = ChartColours.from_palette(self.palette(), self._reference_colour)
        painter = QPainter(self)
        painter.fillRect(self.rect(), colours.background)
        painter.setPen(QPen(colours.frame, 1))
        painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        if not self._labels:
            painter.setPen(colours.muted)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
            painter.end()
            return
        layout = self._layout()
        self._paint_axis(painter, layout, colours)
        self._paint_bars(painter, layout, colours)
        self._paint_reference(painter, layout, colours)
        self._paint_legend(painter, colours)
        painter.end()

    def _paint_axis(self, painter: QPainter, layout: _Layout, colours: ChartColours) -> None:
        metrics = painter.fontMetrics()
        plot = layout.plot
        for tick in layout.ticks:
            y = round(layout.y(tick)) + 0.5
            painter.setPen(QPen(colours.axis if tick == 0 else colours.grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(colours.muted)
            text_rect = QRectF(0, y - metrics.height() / 2, plot.left() - 6, metrics.height())
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(text_rect, align, self._format(tick))
        last = len(self._labels) - 1
        painter.setPen(colours.text)
        for index, label in enumerate(self._labels):
            # The newest bar (on the right) always keeps its label.
            if (last - index) % layout.label_every:
                continue
            centre = plot.left() + layout.slot * (index + 0.5)
            room = layout.slot * layout.label_every
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(room - 4))
            rect = QRectF(centre - room / 2, plot.bottom() + 4, room, metrics.height())
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)

    def _paint_bars(self, painter: QPainter, layout: _Layout, colours: ChartColours) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for index in range(len(self._labels)):
            first = colours.hover if index == self._hovered else colours.first
            painter.fillRect(self._bar_rect(layout, index, 0), first)
            if self._second is not None and self._second[index]:
                rect = self._bar_rect(layout, index, 1)
                painter.fillRect(rect, colours.second)
                painter.setPen(QPen(first, 1))
                painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
                painter.setPen(Qt.PenStyle.NoPen)

    def _paint_reference(self, painter: QPainter, layout: _Layout, colours: ChartColours) -> None:
        if self._reference is None:
            return
        y = round(layout.y(self._reference)) + 0.5
        painter.setPen(QPen(colours.reference, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(layout.plot.left(), y), QPointF(layout.plot.right(), y))

    def _legend(self, colours: ChartColours) -> list[tuple[str, QColor, bool]]:
        """(text, colour, is a line) of each legend entry, left to right."""
        entries = []
        if self._names[0]:
            entries.append((self._names[0], colours.first, False))
        if self._second is not None and self._names[1]:
            entries.append((self._names[1], colours.second, False))
        if self._reference is not None and self._reference_label:
            text = f"{self._reference_label} {self._format(self._reference)}"
            entries.append((text, colours.reference, True))
        return entries

    def _paint_legend(self, painter: QPainter, colours: ChartColours) -> None:
        # In the top margin, right-aligned: a label on the chart itself would cover bars.
        metrics = painter.fontMetrics()
        box = metrics.height() * 0.7
        x = self.width() - 8.0
        for name, colour, is_line in reversed(self._legend(colours)):
            width = metrics.horizontalAdvance(name)
            x -= width
            painter.setPen(colours.text)
            text_rect = QRectF(x, 4, width, metrics.height())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft, name)
            middle = 4 + metrics.height() / 2
            if is_line:
                x -= 2 * box + 6
                painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
                painter.drawLine(QPointF(x, middle), QPointF(x + 2 * box, middle))
            else:
                x -= box + 6
                square = QRectF(x, middle - box / 2, box, box)
                painter.fillRect(square, colour)
                painter.setPen(QPen(colours.first, 1))
                painter.drawRect(square.adjusted(0.5, 0.5, -0.5, -0.5))
            x -= 14


def _plain(value: float) -> str:
    return f"{value:g}"


def _finite(value: float) -> float:
    number = float(value)
    return number if math.isfinite(number) else 0.0
