"""Debounced draft saving: quiet typing is saved quickly, busy typing at least once a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

SaveFn = Callable[[str, dict[str, Any]], None]


class DraftAutosaver(QObject):
    """Collects edits per task and hands the latest content to ``save``.

    A save happens ``quiet_ms`` after the last edit, and never later than
    ``max_ms`` after the first unsaved edit, so a killed process loses at most
    about a second of typing even while the contributor types without pause.
    """

    def __init__(
        self,
        save: SaveFn,
        *,
        quiet_ms: int = 300,
        max_ms: int = 1000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._quiet_ms = quiet_ms
        self._max_ms = max_ms
        self._pending: dict[str, dict[str, Any]] = {}
        self._first_edit: float | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    @property
    def dirty(self) -> bool:
        return bool(self._pending)

    def edited(self, task_key: str, content: dict[str, Any]) -> None:
        now = time.monotonic()
        if self._first_edit is None:
            self._first_edit = now
        self._pending[task_key] = content
        waited_ms = (now - self._first_edit) * 1000
        self._timer.start(int(max(0, min(self._quiet_ms, self._max_ms - waited_ms))))

    def discard(self, task_key: str) -> None:
        """Forget unsaved edits of a task (it was just submitted)."""
        self._pending.pop(task_key, None)
        if not self._pending:
            self._timer.stop()
            self._first_edit = None

    def flush(self) -> None:
        """Save everything pending now (task switch, close, timer)."""
        self._timer.stop()
        pending, self._pending = self._pending, {}
        self._first_edit = None
        for key, content in pending.items():
            self._save(key, content)
