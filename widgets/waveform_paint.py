"""Drawing of the waveform view, separate from the widget that handles input.

Each function paints one layer into a given rectangle with colours taken from the
widget's palette; none keeps state. The widget composes them into a cached pixmap
and draws only the playhead on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

__all__ = [
    "PLAYHEAD_HALF_WIDTH",
    "Band",
    "WaveColours",
    "draw_bands",
    "draw_message",
    "draw_playhead",
    "draw_position_indicator",
    "draw_ruler",
    "draw_selection",
    "draw_wave",
]

PLAYHEAD_HALF_WIDTH = 4  # pixels each side of the playhead line that its marker covers
AMPLITUDE_FILL = 0.92  # a full-scale peak stops just short of the area's edge

# Okabe–Ito colours, which stay distinct for colour-blind readers; blue last because
# the waveform itself is usually drawn in the (blue) highlight colour.
SPEAKER_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#0072B2")


class Band(NamedTuple):
    """A segment as drawn: pixel span, label, index, and its speaker's colour slot."""

    x0: float
    x1: float
    label: str
    segment: int  # its index in the list given to the view
    colour_slot: int


@dataclass(frozen=True)
class WaveColours:
    """The colours of one paint, derived from a palette so light and dark themes both work."""

    background: QColor
    wave: QColor
    axis: QColor
    ruler: QColor
    ruler_text: QColor
    tick: QColor
    selection: QColor
    text: QColor
    message: QColor
    playhead: QColor
    dark: bool

    @classmethod
    def from_palette(cls, palette: QPalette) -> WaveColours:
        background = palette.color(QPalette.ColorRole.Base)
        dark = background.lightness() < 128
        ruler_text = palette.color(QPalette.ColorRole.WindowText)
        tick = QColor(ruler_text)
        tick.setAlpha(140)
        axis = QColor(palette.color(QPalette.ColorRole.Text))
        axis.setAlpha(60)
        wave = palette.color(QPalette.ColorRole.Highlight)
        if dark:
            wave = wave.lighter(130)
        return cls(
            background=background,
            wave=wave,
            axis=axis,
            ruler=palette.color(QPalette.ColorRole.Window),
            ruler_text=ruler_text,
            tick=tick,
            selection=palette.color(QPalette.ColorRole.Highlight),
            text=palette.color(QPalette.ColorRole.Text),
            message=palette.color(QPalette.ColorRole.PlaceholderText),
            playhead=QColor(255, 90, 80) if dark else QColor(210, 30, 30),
            dark=dark,
        )

    def speaker(self, slot: int, alpha: int) -> QColor:
        colour = QColor(SPEAKER_COLOURS[slot % len(SPEAKER_COLOURS)])
        colour.setAlpha(alpha)
        return colour


def _line_pen(colour: QColor, width: float = 1.0) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    return pen


def draw_wave(
    painter: QPainter, area: QRect, mins: np.ndarray, maxs: np.ndarray, colours: WaveColours
) -> None:
    """One vertical line per column from its min to its max, around the area's middle."""
    centre = area.top() + area.height() / 2
    half = area.height() / 2 * AMPLITUDE_FILL
    painter.setPen(_line_pen(colours.axis))
    painter.drawLine(QPointF(area.left(), centre), QPointF(area.right() + 1, centre))
    if len(mins) == 0:
        return
    lo = np.clip(mins.astype(np.float64), -1.0, 1.0)
    hi = np.clip(maxs.astype(np.float64), -1.0, 1.0)
    # Join each column to the previous one, so a view zoomed in past one sample per
    # column shows a continuous trace rather than dots.
    lo[1:], hi[1:] = np.minimum(lo[1:], hi[:-1]), np.maximum(hi[1:], lo[:-1])
    top = centre - hi * half
    bottom = np.maximum(centre - lo * half, top + 1.0)  # at least one pixel per column
    xs = area.left() + np.arange(len(lo)) + 0.5
    lines = [
        QLineF(x, y0, x, y1)
        for x, y0, y1 in zip(xs.tolist(), top.tolist(), bottom.tolist(), strict=True)
    ]
    # One logical pixel wide, not cosmetic: on a 2x screen a column covers two device pixels.
    painter.setPen(QPen(colours.wave, 1.0))
    painter.drawLines(lines)


def draw_bands(
    painter: QPainter,
    area: QRect,
    header: QRect,
    bands: Sequence[Band],
    current: int,
    colours: WaveColours,
) -> None:
    """Segments as tinted columns over ``area`` with a labelled tab in ``header``."""
    font = QFont(painter.font())
    bold = QFont(font)
    bold.setBold(True)
    fill_alpha = 70 if colours.dark else 45
    for band in bands:
        is_current = band.segment == current
        x0, x1 = max(band.x0, area.left() - 2.0), min(band.x1, area.right() + 3.0)
        if x1 <= x0:
            continue
        column = QRectF(x0, area.top(), x1 - x0, area.height())
        painter.fillRect(
            column, colours.speaker(band.colour_slot, fill_alpha + (30 if is_current else 0))
        )
        tab = QRectF(x0, header.top(), x1 - x0, header.height())
        painter.fillRect(tab, colours.speaker(band.colour_slot, 200 if is_current else 120))
        edge = colours.speaker(band.colour_slot, 255)
        edge = edge.lighter(120) if colours.dark else edge.darker(130)
        painter.setPen(_line_pen(edge, 2.0 if is_current else 1.0))
        for x in (band.x0, band.x1):
            if area.left() - 2 <= x <= area.right() + 2:
                painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom() + 1))
        painter.setFont(bold if is_current else font)
        text_box = tab.adjusted(5, 0, -3, 0)
        if text_box.width() < 8 or header.height() <= 0:
            continue
        text = f"{band.segment + 1}  {band.label}" if band.label else f"{band.segment + 1}"
        elided = QFontMetrics(painter.font()).elidedText(
            text, Qt.TextElideMode.ElideRight, int(text_box.width())
        )
        painter.setPen(colours.text)
        painter.drawText(
            text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided
        )
    painter.setFont(font)


def draw_selection(
    painter: QPainter, area: QRect, x0: float, x1: float, colours: WaveColours
) -> None:
    """A translucent span between ``x0`` and ``x1`` with solid edges."""
    fill = QColor(colours.selection)
    fill.setAlpha(80 if colours.dark else 60)
    left, right = max(x0, area.left() - 1.0), min(x1, area.right() + 2.0)
    if right > left:
        painter.fillRect(QRectF(left, area.top(), right - left, area.height()), fill)
    painter.setPen(_line_pen(colours.selection))
    for x in (x0, x1):
        if area.left() - 1 <= x <= area.right() + 1:
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom() + 1))


def draw_ruler(
    painter: QPainter,
    area: QRect,
    ticks: Sequence[tuple[float, str, bool]],
    colours: WaveColours,
) -> None:
    """The time ruler: ``(x, label, major)`` ticks hanging from the top edge, labels
    right of their tick; a label that would run off the right edge is left out."""
    painter.fillRect(area, colours.ruler)
    painter.setPen(_line_pen(colours.tick))
    painter.drawLine(area.left(), area.top(), area.right(), area.top())
    metrics = QFontMetrics(painter.font())
    label_top = area.top() + 3
    for x, label, major in ticks:
        length = 6 if major else 3
        painter.setPen(_line_pen(colours.tick))
        painter.drawLine(QPointF(x, area.top()), QPointF(x, area.top() + length))
        if major and label:
            width = metrics.horizontalAdvance(label)
            if x + 3 + width > area.right():
                continue
            painter.setPen(colours.ruler_text)
            box = QRectF(x + 3, label_top, width + 2, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)


def draw_position_indicator(
    painter: QPainter, area: QRect, first: float, last: float, colours: WaveColours
) -> None:
    """Where the visible part (fractions ``first``…``last`` of the clip) lies in the clip."""
    track = QColor(colours.tick)
    track.setAlpha(50)
    painter.fillRect(area, track)
    x0 = area.left() + first * area.width()
    width = max((last - first) * area.width(), 6.0)
    painter.fillRect(QRectF(x0, area.top(), width, area.height()), colours.selection)


def draw_playhead(painter: QPainter, x: float, height: int, colours: WaveColours) -> None:
    """A line over the whole height with a small marker at the top."""
    painter.setPen(_line_pen(colours.playhead, 1.0))
    painter.drawLine(QPointF(x + 0.5, 0), QPointF(x + 0.5, height))
    half = PLAYHEAD_HALF_WIDTH
    marker = QPolygonF(
        [QPointF(x + 0.5 - half, 0), QPointF(x + 0.5 + half, 0), QPointF(x + 0.5, half + 1)]
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colours.playhead)
    painter.drawPolygon(marker)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def draw_message(painter: QPainter, area: QRect, text: str, colours: WaveColours) -> None:
    """A short grey message in the middle of ``area`` (the empty state)."""
    painter.setPen(colours.message)
    painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)
