"""The translation editor: source/target pairs beside a panel of memory matches, glossary
terms and concordance, with QA and spelling inline — OmegaT's keys, offline.

It receives a payload, the media folder and a draft; it emits ``draftChanged`` on every
edit and ``submitRequested`` when asked to submit. It never touches the database or the
network: the shell hands it the language pair's memory (``set_memory``) and keeps what
it emits through ``memoryLearned`` (imported translations and terms). Files and the
dictionary are read off the UI thread through ``run_background`` (tests pass an inline one).

Keys (inside the editor): Ctrl+Up/Down previous/next segment, Ctrl+B copy the source,
Ctrl+R replace with the best match, Alt+1…Alt+5 replace with match n, Alt+Enter confirm
the segment and go on, Ctrl+F search the memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from taskkinds.base import Problem
from taskkinds.translation import qa
from taskkinds.translation.editor_memory import MemoryAssist
from taskkinds.translation.editor_panel import MAX_MATCHES, AssistPanel
from taskkinds.translation.editor_row import (
    CONFIRM_LINK,
    DISMISS_LINK,
    FIX_SPACING_LINK,
    SegmentRow,
)
from taskkinds.translation.editor_spelling import SpellingAssist
from taskkinds.translation.glossary import Glossary, glossary_for
from taskkinds.translation.memory import Match, TranslationMemory
from taskkinds.translation.model import GlossaryTerm, TranslationPayload, TranslationResult
from taskkinds.translation.workspace import Workspace
from widgets.background import RunBackground, thread_pool_runner

__all__ = ["TranslationEditor"]

# The kind's title and the export formats whose names French changes, from its Qt-free
# registry entry (__init__.py): marked here for the translation catalogue.
KIND_WORDS = (
    QT_TRANSLATE_NOOP("TaskKind", "Translation"),
    QT_TRANSLATE_NOOP("TaskKind", "TMX 1.4 memory"),
)

DEFAULT_THRESHOLD = 70
# English, "keys word · keys word": the shortcut sheet reads the keys from it.
KEYS_HINT = QT_TRANSLATE_NOOP(
    "TranslationEditor",
    "Ctrl+↑/↓ segment · Ctrl+R, Alt+1–5 match · Alt+Enter confirm · Ctrl+B source · Ctrl+F search",
)


class TranslationEditor(MemoryAssist, SpellingAssist, QWidget):
    """Editor for one translation task."""

    draftChanged = Signal(dict)
    submitRequested = Signal(dict)
    memoryLearned = Signal(list)  # records (workspace.tm_records/term_records) to keep

    def __init__(
        self,
        payload: TranslationPayload,
        media_dir: Path | None = None,
        draft: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        run_background: RunBackground | None = None,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.payload = payload
        self.setObjectName("translationEditor")
        self._run = run_background or thread_pool_runner(self)
        self._settings = settings
        result = _result_from(draft)
        self._dismissed: list[str] = list(result.dismissed)
        self._review: list[str] = [i for i in result.needs_review if result.targets.get(i)]
        self._read_only = False
        self._filling = False  # set while the editor itself fills a target
        self._texts: dict[str, str] = {}  # the last text seen per segment (re-highlights)
        self._current = 0
        self._problems: list[Problem] = []
        self._workspace: Workspace | None = None
        self._local = TranslationMemory(payload.source_lang, payload.target_lang)
        self._local_terms: list[GlossaryTerm] = []
        self._payload_glossary = glossary_for(payload)
        self.glossary: Glossary = self._payload_glossary
        self.extra_glossary: Glossary | None = None  # imported terms the payload lacks
        self.matches: list[Match] = []
        self.match_threshold = self._setting_int("match_threshold", DEFAULT_THRESHOLD, 50, 100)

        self._build(result)
        self._bind_keys()
        self._start_spelling()
        self._glossary_changed()
        self._set_current(0)
        self._show_assist()
        self._load_bundle_memory(Path(media_dir) if media_dir is not None else None)

    # -- the editor contract

    def content(self) -> dict[str, Any]:
        """The current result, as the kind's result model dumps it."""
        return self._result().model_dump(mode="json")

    def _result(self) -> TranslationResult:
        targets = {row.segment.id: row.text() for row in self.rows}
        return TranslationResult(
            targets=targets,
            dismissed=list(self._dismissed),
            needs_review=[i for i in self._review if targets.get(i)],
        )

    def request_submit(self) -> None:
        self.submitRequested.emit(self.content())

    def show_problems(self, problems: list[Problem]) -> None:
        """Show the shell's problems (plus those of imported glossary terms) on their rows,
        without the warnings the contributor dismissed."""
        self._problems = list(problems)
        shown = list(problems)
        if self.extra_glossary is not None:
            for row in self.rows:
                if row.text().strip():
                    shown.extend(
                        self.extra_glossary.problems(row.segment.source, row.text(), row.segment.id)
                    )
        by_segment: dict[str, list[Problem]] = {}
        for problem in qa.visible(shown, self._dismissed):
            by_segment.setdefault(problem.where, []).append(problem)
        for row in self.rows:
            row.show_problems(by_segment.get(row.segment.id, []), actionable=not self._read_only)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for row in self.rows:
            row.target.setReadOnly(read_only)
        self.show_problems(self._problems)

    def focus_first_empty(self) -> None:
        for row in self.rows:
            if not row.text().strip():
                self._focus_row(row)
                return
        if self.rows:
            self._focus_row(self.rows[0])

    # -- building

    def _build(self, result: TranslationResult) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        languages = QLabel(f"{self.payload.source_lang} → {self.payload.target_lang}", self)
        languages.setObjectName("languagePair")
        languages.setAccessibleName(self.tr("Language pair"))
        top.addWidget(languages)
        hint = QLabel(QCoreApplication.translate("TranslationEditor", KEYS_HINT), self)
        hint.setObjectName("keysHint")
        hint.setStyleSheet("color: #57606a; font-size: 11px;")
        hint.setWordWrap(True)  # never what sets the editor's width
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(hint, 1)
        outer.addLayout(top)
        if self.payload.context:
            context = QLabel(self.payload.context, self)
            context.setObjectName("taskContext")
            context.setWordWrap(True)
            context.setTextFormat(Qt.TextFormat.PlainText)
            outer.addWidget(context)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        scroll = QScrollArea(self.splitter)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        rows_layout = QVBoxLayout(body)
        rows_layout.setSpacing(8)
        self.rows: list[SegmentRow] = []
        for number, segment in enumerate(self.payload.segments, start=1):
            row = SegmentRow(number, segment, self.payload.limit_for(segment), body)
            self._set_target(row, result.targets.get(segment.id, ""))
            row.set_needs_review(segment.id in self._review)
            row.target.textChanged.connect(lambda row=row: self._target_changed(row))
            row.target.installEventFilter(self)
            row.linkActivated.connect(lambda href, row=row: self._link(row, href))
            rows_layout.addWidget(row)
            self.rows.append(row)
        rows_layout.addStretch(1)
        scroll.setWidget(body)
        self._scroll = scroll

        self.panel = AssistPanel(self.match_threshold, self.splitter)
        self.panel.setMinimumWidth(240)
        self.panel.matchChosen.connect(self.insert_match)
        self.panel.concordanceRequested.connect(lambda query: self.search_concordance(query))
        self.panel.importMemoryClicked.connect(self.import_memory)
        self.panel.importGlossaryClicked.connect(self.import_glossary)
        self.panel.thresholdChanged.connect(self.set_match_threshold)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        state = self._settings.value("translation/splitter") if self._settings else None
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(self._splitter_moved)
        outer.addWidget(self.splitter, 1)

    def _bind_keys(self) -> None:
        """The editor's keys, active anywhere inside it. In a target box they also win over
        what the box or the window would do with them (see ``eventFilter``)."""
        self._keys: list[tuple[QKeySequence, Callable[[], None]]] = [
            (QKeySequence("Ctrl+Down"), lambda: self.move_segment(1)),
            (QKeySequence("Ctrl+Up"), lambda: self.move_segment(-1)),
            (QKeySequence("Ctrl+B"), self.copy_source),
            (QKeySequence("Ctrl+R"), lambda: self.insert_match(1)),
            (QKeySequence("Alt+Return"), self.confirm_segment),
            (QKeySequence("Alt+Enter"), self.confirm_segment),
            (QKeySequence("Ctrl+F"), self.focus_concordance),
        ]
        for n in range(1, MAX_MATCHES + 1):
            self._keys.append((QKeySequence(f"Alt+{n}"), lambda n=n: self.insert_match(n)))
        for keys, handler in self._keys:
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(handler)

    def _handler_for(self, event: QKeyEvent) -> Callable[[], None] | None:
        pressed = QKeySequence(event.keyCombination())
        for keys, handler in self._keys:
            if keys.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                return handler
        return None

    # -- keyboard

    def current_index(self) -> int:
        """The segment being translated: the focused one, else the last one focused."""
        for index, row in enumerate(self.rows):
            if row.target.hasFocus():
                return index
        return self._current

    def current_row(self) -> SegmentRow | None:
        index = self.current_index()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def move_segment(self, step: int) -> None:
        index = self.current_index()
        self._focus_row(self.rows[max(0, min(len(self.rows) - 1, index + step))])

    def copy_source(self) -> None:
        row = self.current_row()
        if row is not None and not row.target.isReadOnly():
            row.target.setPlainText(row.segment.source)
            row.target.moveCursor(QTextCursor.MoveOperation.End)

    def confirm_segment(self) -> None:
        """Alt+Enter: the current translation is right as it is; go to the next segment."""
        row = self.current_row()
        if row is None or self._read_only:
            return
        if row.segment.id in self._review:
            self._review.remove(row.segment.id)
            row.set_needs_review(False)
            self._emit_draft()
        index = self.rows.index(row)
        if index + 1 < len(self.rows):
            self._focus_row(self.rows[index + 1])

    def _focus_row(self, row: SegmentRow) -> None:
        row.target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._scroll.ensureWidgetVisible(row)
        self._set_current(self.rows.index(row))

    def _set_current(self, index: int) -> None:
        changed = index != self._current
        self._current = index
        for number, row in enumerate(self.rows):
            if bool(row.property("current")) != (number == index):
                row.setProperty("current", number == index)
                row.style().unpolish(row)
                row.style().polish(row)
        if changed:
            self._show_assist()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            for index, row in enumerate(self.rows):
                if row.target is watched:
                    self._set_current(index)
        elif kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            handler = self._handler_for(event)
            if handler is not None:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # the box takes the key: it comes back as a press
                else:
                    handler()
                return True
        return super().eventFilter(watched, event)

    # -- edits

    def _set_target(self, row: SegmentRow, text: str) -> None:
        """Fill a target without counting it as the contributor's edit."""
        self._filling = True
        try:
            row.target.setPlainText(text)
        finally:
            self._filling = False
        self._texts[row.segment.id] = text

    def _target_changed(self, row: SegmentRow) -> None:
        text = row.text()
        if self._texts.get(row.segment.id) == text:
            return  # the highlighter re-drew the text; nothing was typed
        self._texts[row.segment.id] = text
        if self._filling:
            return
        if row.segment.id in self._review:
            self._review.remove(row.segment.id)
            row.set_needs_review(False)
        self._flag_terms(row)
        self._emit_draft()

    def _emit_draft(self) -> None:
        self.draftChanged.emit(self.content())

    # -- links under a row's problems

    def _link(self, row: SegmentRow, href: str) -> None:
        if self._read_only:
            return
        if href.startswith(DISMISS_LINK):
            self.dismiss(href[len(DISMISS_LINK) :])
        elif href.startswith(CONFIRM_LINK):
            self._focus_row(row)
            self.confirm_segment()
        elif href.startswith(FIX_SPACING_LINK):
            self.fix_french_spacing(row)

    def dismiss(self, key: str) -> None:
        """Keep the text despite the warning ``key`` (``qa.dismissal_key``); it goes away."""
        if key not in self._dismissed:
            self._dismissed.append(key)
            self.show_problems(self._problems)
            self._emit_draft()

    def fix_french_spacing(self, row: SegmentRow) -> None:
        fixed = qa.fix_french_spacing(row.text(), self.payload.target_lang)
        if fixed != row.text() and not row.target.isReadOnly():
            cursor = row.target.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(fixed)

    # -- settings kept in the profile

    def _setting_int(self, name: str, default: int, low: int, high: int) -> int:
        if self._settings is None:
            return default
        try:
            value = int(self._settings.value(f"translation/{name}", default))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default
        return min(max(value, low), high)

    def _splitter_moved(self, *_: Any) -> None:
        if self._settings is not None:
            self._settings.setValue("translation/splitter", self.splitter.saveState())


def _result_from(draft: dict[str, Any] | None) -> TranslationResult:
    if not draft:
        return TranslationResult(targets={})
    try:
        return TranslationResult.model_validate(draft)
    except ValueError:
        # A draft from an older or damaged build: start empty rather than fail to open.
        return TranslationResult(targets={})
