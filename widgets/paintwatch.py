"""Run something once a widget has painted: work that should wait until what the user is
waiting for is on screen (not merely scheduled to be painted)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

__all__ = ["after_next_paint"]


class _PaintWatch(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            # Posted from inside the paint: it runs once this paint is done.
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_next_paint(widget: QWidget, callback: Callable[[], None]) -> None:
    """Call ``callback`` on the UI thread just after ``widget``'s next paint. Nothing is
    called if the widget is never painted (hidden, or deleted first): pair it with a
    time-out when something must run anyway."""
    _PaintWatch(widget, callback)
