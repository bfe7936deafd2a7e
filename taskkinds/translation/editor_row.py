"""One segment of the translation editor: its source with the glossary's terms marked,
the target box, a character counter, a "needs review" badge and the segment's problems,
each warning with a link to dismiss it (or to fix or confirm what it is about).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFontMetrics, QTextOption
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from taskkinds.base import Problem
from taskkinds.translation import qa
from taskkinds.translation.glossary import TermHit
from taskkinds.translation.model import Segment

translate = QCoreApplication.translate

__all__ = [
    "CONFIRM_LINK",
    "DISMISS_LINK",
    "FIX_SPACING_LINK",
    "SegmentRow",
    "TargetEdit",
    "escape",
    "problems_html",
    "source_html",
]

ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#8a5a00"
TERM_BACKGROUND = "#fff1b8"
FORBIDDEN_BACKGROUND = "#ffd8d3"
ON_LIGHT = "#1f2328"  # text on the light highlights above, in every theme (dark included)

# Links in a row's problems: what to do, then the warning's dismissal key or segment id.
DISMISS_LINK = "dismiss:"
CONFIRM_LINK = "confirm:"
FIX_SPACING_LINK = "fix-spacing:"

# Adds the editor's entries (spelling) to a target's standard context menu.
MenuDecorator = Callable[["TargetEdit", int, QMenu], None]


def escape(text: str) -> str:
    """``text`` safe inside rich text (no markup from a source or a memory gets through)."""
    return html.escape(text, quote=True)


class TargetEdit(QPlainTextEdit):
    """A few lines of target text; Tab moves focus instead of inserting a tab."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        lines = QFontMetrics(self.font()).lineSpacing()
        self.setMinimumHeight(lines * 2 + 14)
        self.setMaximumHeight(lines * 5 + 14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.decorate_menu: MenuDecorator | None = None

    def build_menu(self, position: int, at: QPoint | None = None) -> QMenu:
        """The context menu for the text at ``position``: the editor's entries, then Qt's."""
        menu = self.createStandardContextMenu(at if at is not None else QPoint(0, 0))
        if self.decorate_menu is not None:
            self.decorate_menu(self, position, menu)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            position = self.textCursor().position()
        else:
            position = self.cursorForPosition(event.pos()).position()
        menu = self.build_menu(position, event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()


class SegmentRow(QFrame):
    """One source segment, its target field, counter, review badge and problems."""

    linkActivated = Signal(str)  # a link of the problems (dismiss, confirm, fix)

    def __init__(self, number: int, segment: Segment, limit: int | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.segment = segment
        self.limit = limit
        self.hits: list[TermHit] = []
        self._flagged: frozenset[int] = frozenset()
        self.setObjectName("segmentRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        header = QLabel(self.tr("Segment %1").replace("%1", str(number)), self)
        header.setObjectName("segmentHeader")
        top.addWidget(header)
        top.addStretch(1)
        self.badge = QLabel(self.tr("Needs review"), self)
        self.badge.setObjectName("reviewBadge")
        self.badge.setToolTip(
            self.tr("Filled in from a 100 % memory match. Edit it, or confirm it with Alt+Enter.")
        )
        self.badge.setStyleSheet(
            "QLabel#reviewBadge { background: #fff4d6; color: #7a4d00;"
            " border: 1px solid #e3b341; border-radius: 8px; padding: 0 8px; font-size: 11px; }"
        )
        self.badge.hide()
        top.addWidget(self.badge)
        layout.addLayout(top)

        self.source = QLabel(self)
        self.source.setObjectName("sourceText")
        self.source.setWordWrap(True)
        self.source.setTextFormat(Qt.TextFormat.RichText)
        self.source.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source.setAccessibleName(
            self.tr("Source text of segment %1").replace("%1", str(number))
        )
        self.source.setText(source_html(segment.source, []))
        layout.addWidget(self.source)

        if segment.note:
            note = QLabel(segment.note, self)
            note.setObjectName("segmentNote")
            note.setWordWrap(True)
            note.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(note)

        self.target = TargetEdit(self)
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
        self.problems.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.problems.linkActivated.connect(self.linkActivated)
        self.problems.hide()
        layout.addWidget(self.problems)

        self.target.textChanged.connect(self.update_counter)
        self.update_counter()

    def update_counter(self) -> None:
        count = len(self.text())
        if self.limit is None:
            self.counter.setText(self.tr("%n character(s)", None, count))
            self.counter.setProperty("over", False)
        else:
            self.counter.setText(f"{count} / {self.limit}")
            self.counter.setProperty("over", count > self.limit)
        # Re-polish so the style sheet picks up the "over" property.
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)

    def text(self) -> str:
        # Not toPlainText(): it turns no-break spaces, which French typography needs, into
        # plain ones. Raw text separates paragraphs and lines with U+2029 and U+2028.
        raw = self.target.document().toRawText()
        return raw.replace("\u2029", "\n").replace("\u2028", "\n")

    @property
    def needs_review(self) -> bool:
        return not self.badge.isHidden()

    def set_needs_review(self, needed: bool) -> None:
        self.badge.setVisible(needed)

    def show_terms(self, hits: Sequence[TermHit], flagged: Collection[int] = ()) -> None:
        """Mark the glossary's terms in the source; ``flagged`` hits (by index) are terms
        whose forbidden translation the target uses."""
        flags = frozenset(flagged)
        if list(hits) == self.hits and flags == self._flagged:
            return
        self.hits, self._flagged = list(hits), flags
        self.source.setText(source_html(self.segment.source, self.hits, flags))

    def show_problems(self, problems: Sequence[Problem], *, actionable: bool = True) -> None:
        if not problems:
            self.problems.hide()
            self.problems.clear()
            return
        self.problems.setText(problems_html(problems, actionable=actionable))
        self.problems.show()


def source_html(text: str, hits: Sequence[TermHit], flagged: Collection[int] = ()) -> str:
    """``text`` as rich text with each glossary hit on a light background (red when
    flagged), spaces and line breaks kept as written."""
    parts: list[str] = []
    last = 0
    for index, hit in enumerate(hits):
        parts.append(escape(text[last : hit.start]))
        background = FORBIDDEN_BACKGROUND if index in flagged else TERM_BACKGROUND
        parts.append(
            f'<span style="background-color:{background}; color:{ON_LIGHT}">'
            f"{escape(text[hit.start : hit.end])}"
            "</span>"
        )
        last = hit.end
    parts.append(escape(text[last:]))
    return '<span style="white-space:pre-wrap">' + "".join(parts) + "</span>"


def problems_html(problems: Sequence[Problem], *, actionable: bool = True) -> str:
    """One line per problem: ✖ errors, ⚠ warnings; with ``actionable``, each warning gets
    a Dismiss link (or Confirm, for an unreviewed memory match) and French spacing a Fix."""
    lines = []
    for problem in problems:
        colour = ERROR_COLOUR if problem.blocking else WARNING_COLOUR
        mark = "✖" if problem.blocking else "⚠"
        line = f'<span style="color:{colour}">{mark} {escape(problem.message)}</span>'
        links = []
        if actionable and not problem.blocking:
            if problem.code == "french_spacing":
                links.append(
                    _link(FIX_SPACING_LINK + problem.where, translate("SegmentRow", "Fix spacing"))
                )
            if problem.code == "unreviewed_match":
                links.append(
                    _link(CONFIRM_LINK + problem.where, translate("SegmentRow", "Confirm"))
                )
            else:
                links.append(
                    _link(
                        DISMISS_LINK + qa.dismissal_key(problem), translate("SegmentRow", "Dismiss")
                    )
                )
        if links:
            line += "&nbsp;&nbsp;" + "&nbsp;·&nbsp;".join(links)
        lines.append(line)
    return "<br>".join(lines)


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'
