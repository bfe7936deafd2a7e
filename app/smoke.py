"""``ouvrage --smoke-test``: open the window, wait for the queue, open one task of each kind,
then quit — exit 0 when every step worked, 1 with a one-line reason otherwise.

It proves a build (a PyInstaller folder on a USB stick, say) carries everything the
lazily imported editors need, without a screen (``QT_QPA_PLATFORM=offscreen``).
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from app.mainwindow import MainWindow

TIMEOUT_S = 120.0
POLL_MS = 200


class SmokeTest(QObject):
    """Drives ``window`` step by step from a timer; never blocks the event loop."""

    def __init__(
        self, window: MainWindow, *, require_all_kinds: bool = True, timeout_s: float = TIMEOUT_S
    ) -> None:
        super().__init__(window)
        self.window = window
        self.require_all_kinds = require_all_kinds
        self.deadline = time.monotonic() + timeout_s
        self.opened: list[str] = []
        self._waiting_for: str | None = None  # the task being opened
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._step)

    def start(self) -> None:
        self._timer.start()

    def _step(self) -> None:
        window = self.window
        box = window.error_box
        if box is not None and box.isVisible():
            self._finish(1, f"an error was shown: {box.text()}")
            return
        if time.monotonic() > self.deadline:
            self._finish(1, f"timed out; editors opened: {', '.join(self.opened) or 'none'}")
            return
        if not window.ctx.ready or window.ctx.registry is None:
            return
        if self._waiting_for is not None:
            current = window.current
            if current is None or current.key != self._waiting_for or window.pane.editor is None:
                return
            self.opened.append(current.kind.id)
            self._waiting_for = None
        first_of_kind = self._first_task_of_each_kind()
        if self.require_all_kinds and set(first_of_kind) != window.registry.ids():
            return  # the demo's bundles are still downloading
        for kind_id, key in first_of_kind.items():
            if kind_id not in self.opened:
                self._waiting_for = key
                window.open_task(key)
                return
        rows = window.queue_model.rowCount()
        self._finish(0, f"{rows} tasks in the queue; editors opened: {', '.join(self.opened)}")

    def _first_task_of_each_kind(self) -> dict[str, str]:
        model = self.window.queue_model
        found: dict[str, str] = {}
        for row in range(model.rowCount()):
            task = model.task_at(row)
            found.setdefault(task.kind, task.id)
        return found

    def _finish(self, code: int, message: str) -> None:
        self._timer.stop()
        stream = sys.stdout if code == 0 else sys.stderr
        print(f"smoke test {'passed' if code == 0 else 'failed'}: {message}", file=stream)
        stream.flush()
        self.window.close()
        QApplication.exit(code)
