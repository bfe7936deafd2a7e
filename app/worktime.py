"""Measuring work as it happens: active time on the open task, break reminders, long runs.

``WorkTime`` watches the application's input events and focus: a key, click or wheel
inside the open task's editor is activity; the editor (or the window) losing the focus
stops the count. When a task closes, its seconds go to the store on the database
worker. A banner offers a break after long continuous work, with a snooze.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from app.activity import DEFAULT_IDLE_AFTER_S, BreakReminder, KindRun, TaskTime, TaskTimer

__all__ = ["BreakBanner", "WorkTime"]

log = logging.getLogger(__name__)

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
CHECK_MS = 30_000


class BreakBanner(QWidget):
    """"You have worked 50 minutes without a break" with Snooze and Done buttons."""

    snoozed = Signal()
    rested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("breakBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.snooze_button = QPushButton(self.tr("Remind me later"), self)
        self.snooze_button.clicked.connect(self._snooze)
        layout.addWidget(self.snooze_button)
        self.rest_button = QPushButton(self.tr("I took a break"), self)
        self.rest_button.clicked.connect(self._rest)
        layout.addWidget(self.rest_button)
        self.hide()

    def show_for(self, minutes: int) -> None:
        self.label.setText(
            self.tr(
                "You have worked %1 minutes without a break. A few minutes away from the "
                "screen keeps your accuracy up; your work is saved."
            ).replace("%1", str(minutes))
        )
        self.show()

    def _snooze(self) -> None:
        self.hide()
        self.snoozed.emit()

    def _rest(self) -> None:
        self.hide()
        self.rested.emit()


class WorkTime(QObject):
    """Active time for the task whose editor ``editor()`` returns, and break reminders."""

    finished = Signal(object)  # a TaskTime, when a task stops being measured
    suggestion = Signal(str)  # a one-line suggestion for the status bar

    def __init__(
        self,
        editor: Callable[[], QWidget | None],
        banner: BreakBanner,
        *,
        idle_after_s: float = DEFAULT_IDLE_AFTER_S,
        break_minutes: float = 50.0,
        snooze_minutes: float = 10.0,
        kind_run: int = 25,
        watch: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._watching = False
        self._editor = editor
        self.timer = TaskTimer(idle_after_s)
        self.reminder = BreakReminder(break_minutes, snooze_minutes)
        self.run = KindRun(kind_run)
        self.banner = banner
        banner.snoozed.connect(self.reminder.snooze)
        banner.rested.connect(self.reminder.took_break)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        self._check = QTimer(self)
        self._check.setInterval(CHECK_MS)
        self._check.timeout.connect(self.check_break)
        self._check.start()
        if watch:
            self.watch()

    @property
    def watching(self) -> bool:
        """Whether activity in the editor is being counted (``watch``)."""
        return self._watching

    def watch(self) -> None:
        """Count keys, clicks and scrolls in the editor as activity from now on.

        It takes an application-wide event filter, and PySide sets up every Qt class it
        has not yet used (15-20 ms) the first time a filter meets one of Qt's private
        events: the window installs it once its first screen is painted (``watch=False``).
        """
        app = QApplication.instance()
        if not self._watching and app is not None:
            self._watching = True
            app.installEventFilter(self)

    def start(self, key: str) -> None:
        """A task's editor was opened: measure it (and hand over the previous task's)."""
        self._finish(self.timer.start(key, focused=self._editor_has_focus()))

    def stop(self) -> None:
        self._finish(self.timer.stop())

    def submitted(self, kind: str, kind_title: str) -> None:
        """A task was submitted: stop its clock and note the run of this kind."""
        self.stop()
        if self.run.submitted(kind):
            self.suggestion.emit(
                self.tr(
                    "%1 %2 tasks in a row: switching to another kind for a while helps "
                    "you stay accurate."
                )
                .replace("%1", str(self.run.count))
                .replace("%2", kind_title)
            )

    def check_break(self) -> None:
        if self.reminder.due() and not self.banner.isVisible():
            self.banner.show_for(round(self.reminder.worked_s() / 60))

    def _finish(self, measured: TaskTime | None) -> None:
        if measured is not None:
            self.finished.emit(measured)

    def _editor_has_focus(self) -> bool:
        editor = self._editor()
        focus = QApplication.focusWidget()
        return editor is not None and focus is not None and (
            focus is editor or editor.isAncestorOf(focus)
        )

    def _focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self.timer.set_focused(self._editor_has_focus())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in _ACTIVITY and self.timer.key is not None:
            editor = self._editor()
            if editor is not None and isinstance(watched, QWidget) and (
                watched is editor or editor.isAncestorOf(watched)
            ):
                self.timer.activity()
                self.reminder.activity()
        return False

    def close(self) -> None:
        self.stop()
        self._check.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
