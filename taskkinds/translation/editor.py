"""The translation editor: source/target pairs with counters and inline problems.

It receives a payload, the media folder and a draft; it emits ``draftChanged``
on every edit and ``submitRequested`` when asked to submit. It never touches
the database or the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeySequence, QShortcut, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from taskkinds.base import Problem
from taskkinds.translation.model import Segment, TranslationPayload, TranslationResult


class _TargetEdit(QPlainTextEdit):
    """A few lines of target text; Tab moves focus instead of inserting a tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        lines = QFontMetrics(self.font()).lineSpacing()
        self.setMinimumHeight(lines * 2 + 14)
        self.setMaximumHeight(lines * 5 + 14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)


class SegmentRow(QFrame):
    """One source segment, its target field, counter and problems."""

    def __init__(self, number: int, segment: Segment, limit: int | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.segment = segment
        self.limit = limit
        self.setObjectName("segmentRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)

        header = QLabel(self.tr("Segment %1").replace("%1", str(number)), self)
        header.setObjectName("segmentHeader")
        layout.addWidget(header)

        self.source = QLabel(segment.source, self)
        self.source.setObjectName("sourceText")
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.PlainText)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source.setAccessibleName(
            self.tr("Source text of segment %1").replace("%1", str(number))
        )
        layout.addWidget(self.source)

        if segment.note:
            note = QLabel(segment.note, self)
            note.setObjectName("segmentNote")
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(note)

        self.target = _TargetEdit(self)
        self.target.setObjectName("targetEdit")
        self.target.setAccessibleName(
            self.tr("Translation of segment %1").replace("%1", str(number))
        )
        self.target.setPlaceholderText(self.tr("Type the translation here"))
        layout.addWidget(self.target)

        self.counter = QLabel(self)
        self.counter.setObjectName("charCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.counter)

        self.problems = QLabel(self)
        self.problems.setObjectName("segmentProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.hide()
        layout.addWidget(self.problems)

        self.target.textChanged.connect(self.update_counter)
        self.update_counter()

    def update_counter(self) -> None:
        count = len(self.text())
        if self.limit is None:
            self.counter.setText(self.tr("%1 characters").replace("%1", str(count)))
            self.counter.setProperty("over", False)
        else:
            self.counter.setText(f"{count} / {self.limit}")
            self.counter.setProperty("over", count > self.limit)
        # Re-polish so the style sheet picks up the "over" property.
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)

    def text(self) -> str:
        return self.target.toPlainText()

    def show_problems(self, problems: list[Problem]) -> None:
        if not problems:
            self.problems.hide()
            self.problems.clear()
            return
        lines = []
        for problem in problems:
            colour = "#b3261e" if problem.blocking else "#8a5a00"
            mark = "✖" if problem.blocking else "⚠"
            lines.append(f'<span style="color:{colour}">{mark} {_escape(problem.message)}</span>')
        self.problems.setText("<br>".join(lines))
        self.problems.show()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TranslationEditor(QWidget):
    """Editor for one translation task."""

    draftChanged = Signal(dict)
    submitRequested = Signal(dict)

    def __init__(
        self,
        payload: TranslationPayload,
        media_dir: Path | None = None,
        draft: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.payload = payload
        self.setObjectName("translationEditor")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)

        languages = QLabel(f"{payload.source_lang} → {payload.target_lang}", self)
        languages.setObjectName("languagePair")
        languages.setAccessibleName(self.tr("Language pair"))
        outer.addWidget(languages)
        if payload.context:
            context = QLabel(payload.context, self)
            context.setObjectName("taskContext")
            context.setWordWrap(True)
            context.setTextFormat(Qt.TextFormat.PlainText)
            outer.addWidget(context)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        rows_layout = QVBoxLayout(body)
        rows_layout.setSpacing(8)
        self.rows: list[SegmentRow] = []
        targets = _targets_from(draft)
        for number, segment in enumerate(payload.segments, start=1):
            row = SegmentRow(number, segment, payload.limit_for(segment), body)
            row.target.setPlainText(targets.get(segment.id, ""))
            row.target.textChanged.connect(self._emit_draft)
            row.target.installEventFilter(self)
            rows_layout.addWidget(row)
            self.rows.append(row)
        rows_layout.addStretch(1)
        scroll.setWidget(body)
        self._scroll = scroll
        outer.addWidget(scroll, 1)

        for keys, step in (("Ctrl+Down", 1), ("Ctrl+Up", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.move_segment(step))
        copy = QShortcut(QKeySequence("Ctrl+B"), self)
        copy.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.activated.connect(self.copy_source)

    # -- the editor contract

    def content(self) -> dict[str, Any]:
        """The current result, as the kind's result model dumps it."""
        result = TranslationResult(targets={row.segment.id: row.text() for row in self.rows})
        return result.model_dump(mode="json")

    def request_submit(self) -> None:
        self.submitRequested.emit(self.content())

    def show_problems(self, problems: list[Problem]) -> None:
        by_segment: dict[str, list[Problem]] = {}
        for problem in problems:
            by_segment.setdefault(problem.where, []).append(problem)
        for row in self.rows:
            row.show_problems(by_segment.get(row.segment.id, []))

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows:
            row.target.setReadOnly(read_only)

    def focus_first_empty(self) -> None:
        for row in self.rows:
            if not row.text().strip():
                self._focus_row(row)
                return
        if self.rows:
            self._focus_row(self.rows[0])

    # -- keyboard

    def current_index(self) -> int:
        for index, row in enumerate(self.rows):
            if row.target.hasFocus():
                return index
        return -1

    def move_segment(self, step: int) -> None:
        index = self.current_index()
        target = max(0, min(len(self.rows) - 1, (index if index >= 0 else -step) + step))
        self._focus_row(self.rows[target])

    def copy_source(self) -> None:
        index = self.current_index()
        if index >= 0 and not self.rows[index].target.isReadOnly():
            self.rows[index].target.setPlainText(self.rows[index].segment.source)
            self.rows[index].target.moveCursor(
                self.rows[index].target.textCursor().MoveOperation.End
            )

    def _focus_row(self, row: SegmentRow) -> None:
        row.target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn:
            for row in self.rows:
                row.setProperty("current", row.target is watched)
                row.style().unpolish(row)
                row.style().polish(row)
        return super().eventFilter(watched, event)

    def _emit_draft(self) -> None:
        self.draftChanged.emit(self.content())


def _targets_from(draft: dict[str, Any] | None) -> dict[str, str]:
    if not draft:
        return {}
    try:
        return dict(TranslationResult.model_validate(draft).targets)
    except ValueError:
        # A draft from an older or damaged build: start empty rather than fail to open.
        return {}
