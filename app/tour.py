"""The first-run tour: a few cards beside the window, each showing one screen on demo tasks.

Shown once on the first ``--demo`` start (remembered in the store and in the profile's
``window.ini``, which a demo restart keeps), and again from Help › Tour. Non-modal: the
contributor can try each screen while its card is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from app.help import HelpActions
    from app.mainwindow import MainWindow
    from app.store import Store

__all__ = ["TOUR_SETTING", "TourCard", "TourStep", "start_first_run_tour", "tour_steps"]

TOUR_SETTING = "help.tour_shown"
TOUR_INI_KEY = "help/tour_shown"
FIRST_RUN_WAIT_S = 60  # how long the first demo start waits for its bundles


translate = QCoreApplication.translate


@dataclass(frozen=True)
class TourStep:
    title: str
    text: str
    tab: int | None = None  # the view to show: 0 tasks, 1 outbox, 2 catalogue, 3 earnings
    kind: str | None = None  # open the first task of this kind


def tour_steps() -> list[TourStep]:
    return [
        TourStep(
            translate("tour", "Your tasks"),
            translate(
                "tour",
                "The queue lists every task you hold, with its state and reward. Filter it by "
                "kind, bundle or state; Up and Down, or Alt+Left and Alt+Right, open the "
                "previous or next task. Everything works offline.",
            ),
            tab=0,
        ),
        TourStep(
            translate("tour", "Translating"),
            translate(
                "tour",
                "Type the translation under each source segment. Matches from your memory "
                "appear beside it (Ctrl+R takes the best one); problems show as you type. "
                "Drafts are saved within a second. Ctrl+Enter submits.",
            ),
            kind="translation",
        ),
        TourStep(
            translate("tour", "Transcribing"),
            translate(
                "tour",
                "Esc plays and pauses the clip, F1 and F2 skip back and forward, F3 and F4 "
                "change the speed, Ctrl+J stamps the time. Keys can be changed in the "
                "editor's settings.",
            ),
            kind="transcription",
        ),
        TourStep(
            translate("tour", "Clipping photos"),
            translate(
                "tour",
                "Click around the object to outline it (P), or paint with the brush (B). "
                "G draws a box and lets the computer propose the outline. Ctrl+Z undoes; "
                "Ctrl+wheel zooms.",
            ),
            kind="photo_clip",
        ),
        TourStep(
            translate("tour", "Sending results"),
            translate(
                "tour",
                "Submitted results wait in the outbox until a network is there; they go "
                "on their own, or at once with F5. Each one is sent exactly once, even if "
                "the connection breaks.",
            ),
            tab=1,
        ),
        TourStep(
            translate("tour", "Your earnings"),
            translate(
                "tour",
                "What the platform reported: totals by day, week, month and year, your hourly "
                "rate by kind and the yearly cap. Press Ctrl+/ for every shortcut; "
                "Help › Tour shows these cards again.",
            ),
            tab=3,
        ),
    ]


class TourCard(QDialog):
    """One card at a time, with Back, Next and Close; moves the window to each screen."""

    def __init__(self, window: MainWindow, steps: list[TourStep] | None = None) -> None:
        super().__init__(window)
        self.window_ = window
        self.steps = steps or tour_steps()
        self.index = 0
        self.setObjectName("tourCard")
        self.setWindowTitle(translate("tour", "Tour of Ouvrage"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.step_label = QLabel(self)
        self.step_label.setObjectName("tourStep")
        self.title = QLabel(self)
        self.title.setObjectName("tourTitle")
        self.text = QLabel(self)
        self.text.setObjectName("tourText")
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(320)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.step_label)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(translate("tour", "◀ &Back"), self)
        self.next_button = QPushButton(translate("tour", "&Next ▶"), self)
        self.close_button = QPushButton(translate("tour", "&Close"), self)
        self.back_button.setToolTip(translate("tour", "Previous card (Alt+B)"))
        self.next_button.setToolTip(translate("tour", "Next card (Alt+N, Enter)"))
        self.close_button.setToolTip(
            translate("tour", "End the tour (Esc); Help › Tour shows it again")
        )
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self.show_step(self.index - 1))
        self.next_button.clicked.connect(self._next)
        self.close_button.clicked.connect(self.close)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        self.resize(400, 200)

    def start(self) -> None:
        self.show_step(0)
        self._place()
        self.show()
        self.raise_()
        self.next_button.setFocus()

    def _place(self) -> None:
        # Top right of the window, clear of the queue on the left.
        window = self.window_
        corner = window.mapToGlobal(QPoint(max(0, window.width() - self.width() - 24), 72))
        self.move(corner)

    def _next(self) -> None:
        if self.index + 1 >= len(self.steps):
            self.close()
        else:
            self.show_step(self.index + 1)

    def show_step(self, index: int) -> None:
        """Show card ``index`` and bring the window to the screen it describes."""
        self.index = max(0, min(index, len(self.steps) - 1))
        step = self.steps[self.index]
        text = step.text
        if step.kind is not None and not self._open_kind(step.kind):
            text += "\n\n" + translate(
                "tour", "(No task of this kind is in your queue yet: claim one from the Catalogue.)"
            )
        elif step.tab is not None:
            self.window_.tabs.setCurrentIndex(min(step.tab, self.window_.tabs.count() - 1))
        self.step_label.setText(
            translate("tour", "%1 of %2")
            .replace("%1", str(self.index + 1))
            .replace("%2", str(len(self.steps)))
        )
        self.title.setText(step.title)
        self.text.setText(text)
        self.setAccessibleDescription(f"{step.title}. {text}")
        self.back_button.setEnabled(self.index > 0)
        last = self.index == len(self.steps) - 1
        self.next_button.setText(
            translate("tour", "&Done") if last else translate("tour", "&Next ▶")
        )
        self.resize(self.width(), self.sizeHint().height())  # no gap under a short text

    def _open_kind(self, kind_id: str) -> bool:
        window = self.window_
        model = window.queue_model
        for row in range(model.rowCount()):
            task = model.task_at(row)
            if task.kind == kind_id:
                window.tabs.setCurrentIndex(0)
                window.queue_panel.select(task.id)
                window.open_task(task.id)
                return True
        return False


# ---------------------------------------------------------------- the first demo start


def _ini(window: MainWindow) -> QSettings:
    return QSettings(str(window.ctx.profile.root / "window.ini"), QSettings.Format.IniFormat)


def _claim_first_run(store: Store) -> bool:
    """True the first time only: the store remembers that the tour was shown."""
    if store.setting(TOUR_SETTING):
        return False
    store.set_setting(TOUR_SETTING, True)
    return True


def start_first_run_tour(window: MainWindow, actions: HelpActions) -> None:
    """Once the demo's tasks of every kind are in the queue (or after a minute), show the
    tour unless this profile has shown it before."""
    if str(_ini(window).value(TOUR_INI_KEY, "")).lower() in ("true", "1"):
        return
    waited = {"ticks": 0}
    timer = QTimer(window)
    timer.setInterval(500)

    def ready() -> bool:
        if window.ctx.store is None or window.ctx.registry is None:
            return False
        model = window.queue_model
        kinds = {model.task_at(r).kind for r in range(model.rowCount())}
        return kinds >= window.ctx.registry.ids()

    def tick() -> None:
        waited["ticks"] += 1
        if not ready() and waited["ticks"] * 0.5 < FIRST_RUN_WAIT_S:
            return
        timer.stop()
        timer.deleteLater()
        if window.ctx.store is None:
            return
        from app.tasks import op

        op(_claim_first_run, window.ctx.store).success(show).run(window.ctx.db)

    def show(first: Any) -> None:
        if not first or not window.isVisible():
            return
        settings = _ini(window)
        settings.setValue(TOUR_INI_KEY, True)
        settings.sync()
        actions.show_tour()

    timer.timeout.connect(tick)
    timer.start()
