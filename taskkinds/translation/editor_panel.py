"""The translation editor's side panel: memory matches of the current segment with their
differences, its glossary terms, a concordance search and the import buttons.

It only shows what the editor gives it and forwards clicks; the editor owns the memories.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from taskkinds.translation.editor_row import ERROR_COLOUR, ON_LIGHT, TERM_BACKGROUND, escape
from taskkinds.translation.memory import ConcordanceHit, Match
from taskkinds.translation.model import GlossaryTerm

__all__ = [
    "MATCH_LINK",
    "AssistPanel",
    "choose_import_file",
    "concordance_html",
    "diff_html",
    "matches_html",
    "terms_html",
]

MATCH_LINK = "match:"
MAX_MATCHES = 5
_MUTED = "#6e7781"  # grey that reads on light and dark backgrounds
_INSERT = "color:#116329; background-color:#dafbe1; text-decoration:underline"
_DELETE = "color:#b3261e; background-color:#ffebe9; text-decoration:line-through"
_HEADER = "#f3f5f7"
_BLOCK = "margin-bottom:8px"
_ORIGINS = {
    "own": QT_TRANSLATE_NOOP("AssistPanel", "your translation"),
    "bundle": QT_TRANSLATE_NOOP("AssistPanel", "from the bundle"),
    "imported": QT_TRANSLATE_NOOP("AssistPanel", "imported"),
}


translate = QCoreApplication.translate


def choose_import_file(parent: QWidget, caption: str, name_filter: str) -> Path | None:
    """Ask for a file to import; None when the contributor cancels. (Tests replace it.)"""
    chosen, _ = QFileDialog.getOpenFileName(parent, caption, "", name_filter)
    return Path(chosen) if chosen else None


class AssistPanel(QWidget):
    """Matches, glossary terms and concordance for the segment being translated."""

    matchChosen = Signal(int)  # 1-based, as Alt+1…Alt+5
    concordanceRequested = Signal(str)
    importMemoryClicked = Signal()
    importGlossaryClicked = Signal()
    thresholdChanged = Signal(int)  # percent

    def __init__(self, threshold: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assistPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.addWidget(self._heading(self.tr("Memory matches")))
        top.addStretch(1)
        self.threshold = QSpinBox(self)
        self.threshold.setRange(50, 100)
        self.threshold.setPrefix("≥ ")
        self.threshold.setSuffix(" %")
        self.threshold.setValue(threshold)
        self.threshold.setToolTip(self.tr("Show matches at least this similar"))
        self.threshold.setAccessibleName(self.tr("Minimum match"))
        self.threshold.valueChanged.connect(self.thresholdChanged)
        top.addWidget(self.threshold)
        layout.addLayout(top)
        self.match_view = self._browser("matchView", self.tr("Memory matches"))
        self.match_view.anchorClicked.connect(self._anchor)
        layout.addWidget(self.match_view, 5)

        layout.addWidget(self._heading(self.tr("Glossary")))
        self.term_view = self._browser("termView", self.tr("Glossary terms of the segment"))
        layout.addWidget(self.term_view, 2)

        layout.addWidget(self._heading(self.tr("Concordance")))
        self.search = QLineEdit(self)
        self.search.setObjectName("concordanceSearch")
        self.search.setPlaceholderText(self.tr("Search the memory (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Concordance search"))
        self.search.returnPressed.connect(lambda: self.concordanceRequested.emit(self.query()))
        layout.addWidget(self.search)
        self.concordance_view = self._browser("concordanceView", self.tr("Concordance results"))
        layout.addWidget(self.concordance_view, 3)

        # Side by side, or one above the other when the panel is too narrow for both
        # (longer words than English's, a larger text).
        self.buttons = buttons = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.import_memory_button = QPushButton(self.tr("Import memory…"), self)
        self.import_memory_button.setToolTip(
            self.tr("Add translations from a TMX, XLIFF or PO file")
        )
        self.import_memory_button.clicked.connect(self.importMemoryClicked)
        self.import_glossary_button = QPushButton(self.tr("Import glossary…"), self)
        self.import_glossary_button.setToolTip(self.tr("Add terms from a TBX or CSV file"))
        self.import_glossary_button.clicked.connect(self.importGlossaryClicked)
        buttons.addWidget(self.import_memory_button)
        buttons.addWidget(self.import_glossary_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setObjectName("assistStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.hide()
        layout.addWidget(self.status)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        both = (
            self.import_memory_button.sizeHint().width()
            + self.import_glossary_button.sizeHint().width()
            + self.buttons.spacing()
            + self.layout().contentsMargins().left()
        )
        wide = QBoxLayout.Direction.LeftToRight
        narrow = QBoxLayout.Direction.TopToBottom
        direction = wide if event.size().width() >= both else narrow
        if self.buttons.direction() != direction:
            self.buttons.setDirection(direction)

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("assistHeading")
        label.setStyleSheet("font-weight: 600;")
        return label

    def _browser(self, name: str, accessible: str) -> QTextBrowser:
        view = QTextBrowser(self)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setOpenLinks(False)
        view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        view.document().setDocumentMargin(6)
        return view

    def _anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith(MATCH_LINK) and href[len(MATCH_LINK) :].isdigit():
            self.matchChosen.emit(int(href[len(MATCH_LINK) :]))

    def query(self) -> str:
        return self.search.text().strip()

    # -- what the editor shows

    def show_matches(self, matches: Sequence[Match], note: str = "") -> None:
        if matches:
            self.match_view.setHtml(matches_html(matches))
        else:
            self.match_view.setHtml(f'<p style="color:{_MUTED}">{escape(note)}</p>')

    def show_terms(self, terms: Sequence[GlossaryTerm]) -> None:
        if terms:
            self.term_view.setHtml(terms_html(terms))
        else:
            note = self.tr("No glossary term in this segment.")
            self.term_view.setHtml(f'<p style="color:{_MUTED}">{escape(note)}</p>')

    def show_concordance(self, query: str, hits: Sequence[ConcordanceHit]) -> None:
        if not query:
            self.concordance_view.clear()
        elif hits:
            self.concordance_view.setHtml(concordance_html(hits))
        else:
            note = self.tr("Nothing in the memory contains “%1”.").replace("%1", query)
            self.concordance_view.setHtml(f'<p style="color:{_MUTED}">{escape(note)}</p>')

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR};" if error else f"color: {_MUTED};")
        self.status.setVisible(bool(text))


def diff_html(match: Match) -> str:
    """The match's source turned into the new one: text only the match has struck
    through in red, text only the new source has underlined in green."""
    parts = []
    for kind, text in match.diff:
        if kind == "equal":
            parts.append(escape(text))
        else:
            style = _INSERT if kind == "insert" else _DELETE
            parts.append(f'<span style="{style}">{escape(text)}</span>')
    return "".join(parts)


def _score_colour(score: int) -> str:
    return "#116329" if score == 100 else "#0550ae" if score >= 85 else "#8a5a00"


def _short_date(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def matches_html(matches: Sequence[Match]) -> str:
    """Each match: its key and percentage, where it comes from, the differences, its target."""
    blocks = []
    for number, match in enumerate(matches[:MAX_MATCHES], start=1):
        entry = match.entry
        origin = translate("AssistPanel", _ORIGINS.get(entry.origin.value, entry.origin.value))
        when = _short_date(entry.when.date()) if entry.when else ""
        about = " · ".join(part for part in (origin, when, entry.note) if part)
        blocks.append(
            f'<table width="100%" cellspacing="0" cellpadding="3" style="{_BLOCK}">'
            f'<tr><td bgcolor="{_HEADER}" style="color:{ON_LIGHT}">'
            f'<a href="{MATCH_LINK}{number}" style="text-decoration:none">'
            f"<b>Alt+{number}</b></a>&nbsp;&nbsp;"
            f'<b style="color:{_score_colour(match.score)}">{match.score} %</b>'
            f'&nbsp;&nbsp;<span style="color:{_MUTED}">{escape(about)}</span></td></tr>'
            f'<tr><td style="white-space:pre-wrap">{diff_html(match)}</td></tr>'
            f'<tr><td style="white-space:pre-wrap"><b>{escape(entry.target)}</b></td></tr>'
            "</table>"
        )
    return "".join(blocks)


def terms_html(terms: Sequence[GlossaryTerm]) -> str:
    """Each term with the translations to use and, struck through, those to avoid."""
    lines = []
    for term in terms:
        line = f"<b>{escape(term.source)}</b>"
        if term.targets:
            line += " → " + ", ".join(escape(t) for t in term.targets)
        if term.forbidden:
            avoid = ", ".join(f'<span style="{_DELETE}">{escape(t)}</span>' for t in term.forbidden)
            not_word = escape(translate("AssistPanel", "not", "before the terms to avoid"))
            line += f'<br>&nbsp;&nbsp;<span style="color:{_MUTED}">{not_word}</span> {avoid}'
        if term.note:
            line += f'<br>&nbsp;&nbsp;<i style="color:{_MUTED}">{escape(term.note)}</i>'
        lines.append(f"<p>{line}</p>")
    return "".join(lines)


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    parts, last = [], 0
    for start, end in spans:
        parts.append(escape(text[last:start]))
        parts.append(
            f'<b style="background-color:{TERM_BACKGROUND}; color:{ON_LIGHT}">'
            f"{escape(text[start:end])}</b>"
        )
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


def concordance_html(hits: Sequence[ConcordanceHit]) -> str:
    """Each entry containing the query, source over target, the query marked in both."""
    rows = []
    for hit in hits:
        origin = translate(
            "AssistPanel", _ORIGINS.get(hit.entry.origin.value, hit.entry.origin.value)
        )
        rows.append(
            f'<table width="100%" cellspacing="0" cellpadding="3" style="{_BLOCK}">'
            f'<tr><td bgcolor="{_HEADER}">{_marked(hit.entry.source, hit.source_spans)}'
            f'&nbsp;&nbsp;<span style="color:{_MUTED}">{escape(origin)}</span></td></tr>'
            f"<tr><td>{_marked(hit.entry.target, hit.target_spans)}</td></tr></table>"
        )
    return "".join(rows)
