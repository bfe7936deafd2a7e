"""``after_next_paint``: start-up work that waits until what the user waits for is painted."""

from __future__ import annotations

from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel

from widgets.paintwatch import after_next_paint


class Probe(QLabel):
    def __init__(self, order: list[str]) -> None:
        super().__init__("a photo")
        self.order = order

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        self.order.append("paint")


def test_the_callback_runs_once_just_after_the_paint(qtbot) -> None:  # type: ignore[no-untyped-def]
    order: list[str] = []
    widget = Probe(order)
    qtbot.addWidget(widget)
    after_next_paint(widget, lambda: order.append("after"))
    qtbot.wait(50)
    assert order == []  # hidden: nothing painted, nothing run
    widget.show()
    qtbot.waitUntil(lambda: "after" in order)
    assert order[0] == "paint" and order.count("after") == 1
    widget.repaint()
    qtbot.wait(50)
    assert order.count("after") == 1  # the next paint only
