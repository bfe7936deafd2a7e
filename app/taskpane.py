"""The right-hand side of the work tab: task header, instructions, the kind's editor, problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.accessibility import fill_missing_names
from app.appearance import tone
from app.formatting import money

if TYPE_CHECKING:
    from taskkinds import Problem


class TaskPane(QStackedWidget):
    """Shows either the "nothing open" page or one task with its editor."""

    importRequested = Signal()
    submitClicked = Signal()
    previousClicked = Signal()
    nextClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = QLocale()
        self.editor: QWidget | None = None
        self.addWidget(self._build_placeholder())
        self._task_page: QWidget | None = None  # built when the first task opens
        self._detail_parts: list[str] = []  # kind, position, reward, due date, lease

    # -- pages

    def _build_placeholder(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.placeholder_title = QLabel(page)
        self.placeholder_title.setObjectName("placeholderTitle")
        self.placeholder_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder_text = QLabel(page)
        self.placeholder_text.setWordWrap(True)
        self.placeholder_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton(self.tr("Import a bundle…"), page)
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(self.importRequested)
        layout.addWidget(self.placeholder_title)
        layout.addWidget(self.placeholder_text)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_task_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 8)

        self.title = QLabel(page)
        self.title.setObjectName("taskTitle")
        self.title.setWordWrap(True)
        self.details = QLabel(page)
        self.details.setObjectName("taskDetails")
        self.details.setWordWrap(True)  # longer in some languages: never what sets the width
        self.save_state = QLabel(page)
        self.save_state.setObjectName("saveState")
        self.save_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.details)
        head.addLayout(titles, 1)
        head.addWidget(self.save_state)
        layout.addLayout(head)

        self.instructions_toggle = QToolButton(page)
        self.instructions_toggle.setObjectName("instructionsToggle")
        self.instructions_toggle.setText(self.tr("Instructions"))
        self.instructions_toggle.setCheckable(True)
        self.instructions_toggle.setChecked(True)
        self.instructions_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.instructions_toggle.setArrowType(Qt.ArrowType.DownArrow)
        self.instructions_toggle.setToolTip(self.tr("Show or hide the bundle's instructions"))
        self.instructions_toggle.setAccessibleDescription(
            self.tr("Shows or hides the bundle's instructions above the editor")
        )
        self.instructions = QLabel(page)
        self.instructions.setObjectName("instructions")
        self.instructions.setWordWrap(True)
        self.instructions.setTextFormat(Qt.TextFormat.PlainText)
        self.instructions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.instructions.setAccessibleName(self.tr("Instructions"))
        # Long instructions scroll inside a few lines instead of pushing the editor away;
        # the area takes keyboard focus, so arrows and Page Up/Down scroll it.
        self.instructions_area = QScrollArea(page)
        self.instructions_area.setObjectName("instructionsArea")
        self.instructions_area.setWidget(self.instructions)
        self.instructions_area.setWidgetResizable(True)
        self.instructions_area.setFrameShape(QFrame.Shape.NoFrame)
        self.instructions_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.instructions_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.instructions_area.setAccessibleName(self.tr("Instructions"))
        self.instructions_toggle.toggled.connect(self._toggle_instructions)
        layout.addWidget(self.instructions_toggle)
        layout.addWidget(self.instructions_area)

        self.editor_frame = QFrame(page)
        self.editor_layout = QVBoxLayout(self.editor_frame)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor_frame, 1)

        self.problem_list = QListWidget(page)
        self.problem_list.setObjectName("problemList")
        self.problem_list.setAccessibleName(self.tr("Problems to fix before submitting"))
        self.problem_list.setMaximumHeight(self.problem_list.fontMetrics().lineSpacing() * 4 + 12)
        layout.addWidget(self.problem_list)

        buttons = QHBoxLayout()
        self.previous_button = QPushButton(self.tr("◀ Previous"), page)
        self.previous_button.setToolTip(self.tr("Previous task (Alt+Left)"))
        self.next_button = QPushButton(self.tr("Next ▶"), page)
        self.next_button.setToolTip(self.tr("Next task (Alt+Right)"))
        self.submit_button = QPushButton(self.tr("Submit"), page)
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setToolTip(
            self.tr("Check and queue the result for sending (Ctrl+Enter)")
        )
        self.submit_button.setDefault(False)
        self.previous_button.clicked.connect(self.previousClicked)
        self.next_button.clicked.connect(self.nextClicked)
        self.submit_button.clicked.connect(self.submitClicked)
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)
        return page

    def _toggle_instructions(self, shown: bool) -> None:
        self.instructions_area.setVisible(shown and bool(self.instructions.text()))
        self._fit_instructions()
        self.instructions_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    # -- what the window calls

    def show_message(self, title: str, text: str) -> None:
        """A plain message page, e.g. while the profile opens or when it cannot."""
        self._drop_editor()
        self.placeholder_title.setText(title)
        self.placeholder_text.setText(text)
        self.import_button.hide()
        self.setCurrentIndex(0)

    def show_placeholder(self, has_tasks: bool) -> None:
        self._drop_editor()
        if has_tasks:
            self.placeholder_title.setText(self.tr("Pick a task"))
            self.placeholder_text.setText(
                self.tr("Choose a task in the list, or press Alt+Right to open the next one.")
            )
            self.import_button.hide()
        else:
            self.placeholder_title.setText(self.tr("No tasks yet"))
            self.placeholder_text.setText(
                self.tr("Import a bundle of tasks: a .zip file from the platform or a USB stick. "
                        "Once imported, you can work without a network.")
            )  # fmt: skip
            self.import_button.show()
        self.setCurrentIndex(0)

    def _ensure_task_page(self) -> None:
        if self._task_page is None:
            self._task_page = self._build_task_page()
            self.addWidget(self._task_page)

    def show_task(
        self,
        task: dict,
        editor: QWidget,
        *,
        read_only: bool,
        position: str,
        kind_title: str,
        lease: str = "",
    ) -> None:
        self._ensure_task_page()
        self._drop_editor()
        self.editor = editor
        self.editor_layout.addWidget(editor)
        self.title.setText(task["bundle_title"])
        reward = money(task["reward"], task["currency"], self._locale)
        deadline = QDateTime.fromString(task["deadline"], Qt.DateFormat.ISODate).toLocalTime()
        parts = [
            kind_title,
            position,
            self.tr("Reward %1").replace("%1", reward),
            self.tr("Due %1").replace(  # the date and its time on one line
                "%1",
                self._locale.toString(deadline, QLocale.FormatType.ShortFormat).replace(
                    " ", "\u00a0"
                ),
            ),
        ]
        if lease:
            parts.append(lease)
        self._detail_parts = parts
        self.details.setText("  ·  ".join(part for part in parts if part))
        self.instructions.setText(task["instructions"])
        self._toggle_instructions(self.instructions_toggle.isChecked())
        fill_missing_names(editor, self.tr("%1 editor").replace("%1", kind_title))
        self.submit_button.setEnabled(not read_only)
        if task["state"] == "rejected":
            note = task.get("note") or self.tr("no reason given")
            self.set_save_state(self.tr("Refused by the server: %1").replace("%1", note))
        elif task["state"] == "accepted":
            self.set_save_state(self.tr("Accepted — read only"))
        else:
            self.set_save_state(self.tr("Submitted — read only") if read_only else "")
        self.setCurrentIndex(1)

    def set_position(self, position: str) -> None:
        """Change the "Task n of N" part of the task's details."""
        parts = self._detail_parts
        if parts:
            parts[1] = position
            self.details.setText("  ·  ".join(part for part in parts if part))

    def _fit_instructions(self) -> None:
        """As tall as the text, up to six lines; the rest scrolls."""
        if not self.instructions.text():
            return
        width = max(200, self.instructions_area.viewport().width())
        needed = self.instructions.heightForWidth(width)
        most = self.instructions.fontMetrics().lineSpacing() * 6 + 18
        self.instructions_area.setFixedHeight(min(max(needed, 0), most) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._task_page is not None and self.instructions_area.isVisible():
            self._fit_instructions()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._task_page is not None:
            self._fit_instructions()  # the text zoom changed

    def set_save_state(self, text: str) -> None:
        if self._task_page is not None:
            self.save_state.setText(text)

    def set_problems(self, problems: list[Problem]) -> None:
        if self._task_page is None:
            return
        self.problem_list.clear()
        if not problems:
            self.problem_list.addItem(QListWidgetItem(self.tr("✔ No problems found")))
            return
        for problem in problems:
            mark = "✖" if problem.blocking else "⚠"
            where = f"[{problem.where}] " if problem.where else ""
            item = QListWidgetItem(f"{mark} {where}{problem.message}")
            item.setForeground(tone("error") if problem.blocking else tone("warning"))
            self.problem_list.addItem(item)

    def _drop_editor(self) -> None:
        if self.editor is not None:
            self.editor_layout.removeWidget(self.editor)
            self.editor.hide()
            self.editor.deleteLater()
            self.editor = None
