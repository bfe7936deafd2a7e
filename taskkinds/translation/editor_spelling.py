"""Spelling in the translation editor's targets: misspelled words get a red wavy underline
as one types; right-clicking one offers suggestions and "Add to dictionary" at the top
of the menu. Forbidden glossary translations get a red background in the same pass.

The dictionary loads off the UI thread (it takes a fraction of a second); until it has,
nothing is underlined. Personal words are kept in the editor's settings under
``translation/personal/<language>``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QAction,
    QColor,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from taskkinds.translation.editor_row import FORBIDDEN_BACKGROUND, ON_LIGHT, TargetEdit
from taskkinds.translation.glossary import find_term
from taskkinds.translation.spelling import Speller, speller_for

# A mixin says its context: self.tr() would look texts up under the editor class's name.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from taskkinds.translation.editor import TranslationEditor

    _Base = TranslationEditor
else:
    _Base = object

__all__ = ["SpellingAssist", "TargetHighlighter", "underlined_words"]

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 5
_SPELLING_COLOUR = QColor("#d1242f")


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


class TargetHighlighter(QSyntaxHighlighter):
    """Marks a target's misspelled words and the glossary's forbidden translations."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.speller: Speller | None = None  # set once its dictionary is loaded
        self.accepted: tuple[str, ...] = ()  # glossary words never counted as misspelled
        self.forbidden: tuple[tuple[str, bool], ...] = ()  # (text, case-sensitive)

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt API
        for phrase, case_sensitive in self.forbidden:
            for start, end in find_term(text, phrase, case_sensitive):
                marked = QTextCharFormat()
                marked.setBackground(QColor(FORBIDDEN_BACKGROUND))
                marked.setForeground(QColor(ON_LIGHT))  # readable in a dark theme too
                marked.setToolTip(self.tr("The glossary forbids this translation"))
                self.setFormat(start, end - start, marked)
        if self.speller is None:
            return
        for start, end in self.speller.misspelled(text, self.accepted):
            for index in range(start, end):  # keep a forbidden term's background under it
                wavy = QTextCharFormat(self.format(index))
                wavy.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                wavy.setUnderlineColor(_SPELLING_COLOUR)
                self.setFormat(index, 1, wavy)


def underlined_words(edit: QPlainTextEdit) -> list[str]:
    """The words of ``edit`` drawn with the spelling underline, as laid out now."""
    words = []
    block = edit.document().firstBlock()
    while block.isValid():
        text = block.text()
        for span in block.layout().formats():
            if span.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
                start = span.start
                if words and start == words[-1][1]:  # one word drawn a character at a time
                    words[-1] = (
                        words[-1][0] + text[start : start + span.length],
                        start + span.length,
                    )
                else:
                    words.append((text[start : start + span.length], start + span.length))
        block = block.next()
    return [word for word, _ in words]


class SpellingAssist(_Base):
    """Loading the dictionary, underlining, the context menu and the personal dictionary."""

    def _start_spelling(self) -> None:
        language = self.payload.target_lang
        self.speller = speller_for(language, self._personal_words())
        self.highlighters = [TargetHighlighter(row.target.document()) for row in self.rows]
        for row in self.rows:
            row.target.decorate_menu = self._decorate_menu
        if self.speller is None:
            self.panel.show_status(
                translate(
                    "SpellingAssist",
                    "There is no offline dictionary for %1: spelling is not checked.",
                ).replace("%1", language)
            )
            return
        speller = self.speller
        if speller.loaded:
            self._spelling_loaded(None)
        else:
            self._run(speller.load, self._spelling_loaded)

    def _spelling_loaded(self, outcome: Any) -> None:
        if isinstance(outcome, Exception):
            log.warning(
                "loading the %s dictionary failed", self.payload.target_lang, exc_info=outcome
            )
            return
        for highlighter in self.highlighters:
            highlighter.speller = self.speller
        self._rehighlight()

    @property
    def spelling_ready(self) -> bool:
        return bool(self.highlighters) and self.highlighters[0].speller is not None

    def _rehighlight(self) -> None:
        for highlighter in self.highlighters:
            highlighter.rehighlight()

    def _set_spelling_terms(self, accepted: Iterable[str]) -> None:
        """Words the glossary uses (never misspelled) and each row's forbidden translations."""
        words = tuple(sorted(set(accepted)))
        for row, highlighter in zip(self.rows, self.highlighters, strict=True):
            forbidden = tuple(
                dict.fromkeys(
                    (text, hit.term.case_sensitive)
                    for hit in row.hits
                    for text in hit.term.forbidden
                )
            )
            if words != highlighter.accepted or forbidden != highlighter.forbidden:
                highlighter.accepted, highlighter.forbidden = words, forbidden
                highlighter.rehighlight()

    # -- context menu

    def _decorate_menu(self, edit: TargetEdit, position: int, menu: QMenu) -> None:
        """Suggestions for the misspelled word at ``position`` and "Add to dictionary",
        above the standard entries."""
        speller = self.speller
        if speller is None or not self.spelling_ready or edit.isReadOnly():
            return
        block = edit.document().findBlock(position)
        offset = position - block.position()
        text = block.text()
        accepted = self.highlighters[0].accepted
        span = next(
            ((s, e) for s, e in speller.misspelled(text, accepted) if s <= offset <= e), None
        )
        if span is None:
            return
        start, end = block.position() + span[0], block.position() + span[1]
        word = text[span[0] : span[1]]
        first = menu.actions()[0] if menu.actions() else None
        entries: list[QAction] = []
        for suggestion in speller.suggestions(word, MAX_SUGGESTIONS):
            action = QAction(suggestion, menu)
            font = action.font()
            font.setBold(True)
            action.setFont(font)
            action.triggered.connect(
                lambda _=False, s=suggestion: self._replace_word(edit, start, end, word, s)
            )
            entries.append(action)
        if not entries:
            none = QAction(translate("SpellingAssist", "No suggestions"), menu)
            none.setEnabled(False)
            entries.append(none)
        add = QAction(
            translate("SpellingAssist", "Add “%1” to the dictionary").replace("%1", word), menu
        )
        add.setObjectName("addToDictionary")
        add.triggered.connect(lambda _=False: self.add_to_dictionary(word))
        entries.append(add)
        menu.insertActions(first, entries)
        menu.insertSeparator(first)

    def _replace_word(self, edit: TargetEdit, start: int, end: int, word: str, new: str) -> None:
        cursor = QTextCursor(edit.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() == word:  # the text did not change under the menu
            cursor.insertText(new)
            edit.setTextCursor(cursor)

    # -- personal dictionary

    def _personal_key(self) -> str:
        return f"translation/personal/{_primary(self.payload.target_lang)}"

    def _personal_words(self) -> list[str]:
        if self._settings is None:
            return []
        value = self._settings.value(self._personal_key(), [])
        if isinstance(value, str):  # an ini file gives back a one-item list as a string
            value = [value]
        return [str(word) for word in value or [] if str(word).strip()]

    def add_to_dictionary(self, word: str) -> None:
        """Accept ``word`` from now on, in every task of this language."""
        if self.speller is None:
            return
        self.speller.add_word(word)
        if self._settings is not None:
            self._settings.setValue(self._personal_key(), sorted(self.speller.personal_words))
            self._settings.sync()
        self._rehighlight()
