"""The translation editor's memory and glossary: matches of the current segment, 100 %
matches filled into empty targets, concordance, and the files the contributor imports.

A mixin of ``TranslationEditor``. Two memories serve a task: the language pair's
workspace, which the shell hands over with ``set_memory`` (shared by every task of the
pair; the shell keeps what the editor emits through ``memoryLearned``), and the task's
own bundle memory (inline units and memory files, read off the UI thread). Files are
read and parsed off the UI thread; memories are only touched on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QTextCursor

from taskkinds.translation import editor_panel
from taskkinds.translation.editor_row import SegmentRow
from taskkinds.translation.formats import FormatError, bundle_memory, read_memory
from taskkinds.translation.glossary import (
    Glossary,
    GlossaryFileError,
    find_term,
    read_csv,
    read_tbx,
)
from taskkinds.translation.memory import (
    ConcordanceHit,
    Match,
    MemoryEntry,
    Origin,
    TranslationMemory,
    normalize_source,
    payload_entries,
    prefill_exact,
)
from taskkinds.translation.model import GlossaryTerm
from taskkinds.translation.workspace import Workspace, term_records, tm_records

# A mixin says its context: self.tr() would look texts up under the editor class's name.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from taskkinds.translation.editor import TranslationEditor

    _Base = TranslationEditor
else:
    _Base = object

__all__ = ["MemoryAssist"]

log = logging.getLogger(__name__)

_ORIGIN_RANK = {Origin.OWN: 0, Origin.BUNDLE: 1, Origin.IMPORTED: 2}
MEMORY_FILES = QT_TRANSLATE_NOOP(
    "MemoryAssist", "Translation memories (*.tmx *.xlf *.xliff *.po);;All files (*)"
)
GLOSSARY_FILES = QT_TRANSLATE_NOOP(
    "MemoryAssist", "Glossaries (*.tbx *.csv *.tsv *.txt);;All files (*)"
)
CONCORDANCE_LIMIT = 30


def _rank(match: Match) -> tuple[int, int, float]:
    when = match.entry.when
    return (-match.score, _ORIGIN_RANK[match.origin], -(when.timestamp() if when else 0.0))


class MemoryAssist(_Base):
    """Matches, prefill, glossary terms, concordance and imports."""

    # -- memories

    def set_memory(self, workspace: Workspace) -> None:
        """Use the language pair's memory and imported terms from now on (the shell calls
        it once they are built); 100 % matches then fill the empty targets."""
        self._workspace = workspace
        self._glossary_changed()
        self._show_assist()
        self._schedule_prefill()

    def _memories(self) -> list[TranslationMemory]:
        memories = [self._local]
        if self._workspace is not None:
            memories.insert(0, self._workspace.memory)
        return memories

    def _load_bundle_memory(self, media_dir: Path | None) -> None:
        payload = self.payload
        if not payload.memory and not payload.memory_files:
            return
        source, target = payload.source_lang, payload.target_lang

        def load() -> tuple[TranslationMemory, str]:
            try:
                entries, problem = bundle_memory(payload, media_dir), ""
            except FormatError as exc:  # the inline units still help
                entries, problem = payload_entries(payload), str(exc)
            return TranslationMemory(source, target, entries), problem

        self._run(load, self._bundle_loaded)

    def _bundle_loaded(self, outcome: Any) -> None:
        if isinstance(outcome, Exception):
            log.warning("reading the bundle's memory failed", exc_info=outcome)
            self.panel.show_status(str(outcome), error=True)
            return
        memory, problem = outcome
        memory.extend(list(self._local))  # what was imported meanwhile
        self._local = memory
        if problem:
            self.panel.show_status(problem, error=True)
        self._show_assist()
        self._schedule_prefill()

    def lookup(self, source: str) -> list[Match]:
        """The best matches for ``source`` across the task's memories, best first."""
        threshold = self.match_threshold / 100
        found = [
            match
            for memory in self._memories()
            for match in memory.lookup(source, limit=editor_panel.MAX_MATCHES, threshold=threshold)
        ]
        found.sort(key=_rank)
        matches: list[Match] = []
        seen: set[tuple[str, str]] = set()
        for match in found:
            identity = (normalize_source(match.entry.source), match.entry.target)
            if identity not in seen:
                seen.add(identity)
                matches.append(match)
        return matches[: editor_panel.MAX_MATCHES]

    def set_match_threshold(self, percent: int) -> None:
        self.match_threshold = min(max(int(percent), 50), 100)
        if self._settings is not None:
            self._settings.setValue("translation/match_threshold", self.match_threshold)
        self._show_assist()

    # -- prefill

    def _schedule_prefill(self) -> None:
        # Later, not now: the shell hands the memory over before it marks a submitted task
        # read-only and before it listens for drafts.
        QTimer.singleShot(0, self, self._prefill)

    def _prefill(self) -> None:
        if self._read_only:
            return
        result = self._result()
        for memory in self._memories():
            result = prefill_exact(self.payload, result, memory)
        filled = False
        for row in self.rows:
            text = result.targets.get(row.segment.id, "")
            if not row.text().strip() and text.strip():
                self._set_target(row, text)
                if row.segment.id not in self._review:
                    self._review.append(row.segment.id)
                row.set_needs_review(True)
                filled = True
        if filled:
            self._emit_draft()
            self._show_assist()

    # -- inserting matches

    def insert_match(self, number: int) -> None:
        """Replace the current segment's translation with match ``number`` (1 is the best)."""
        row = self.current_row()
        if row is None or row.target.isReadOnly() or not 1 <= number <= len(self.matches):
            return
        cursor = row.target.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(self.matches[number - 1].entry.target)  # undoable, as typing
        row.target.setTextCursor(cursor)
        row.target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- the panel

    def _show_assist(self) -> None:
        """Matches and terms of the current segment in the side panel."""
        row = self.current_row()
        if row is None:
            return
        self.matches = self.lookup(row.segment.source)
        if self._workspace is None and not len(self._local):
            note = translate("MemoryAssist", "The translation memory is loading…")
        else:
            note = translate("MemoryAssist", "No match of %1 % or more.").replace(
                "%1", str(self.match_threshold)
            )
        self.panel.show_matches(self.matches, note)
        self.panel.show_terms(list(dict.fromkeys(hit.term for hit in row.hits)))

    def search_concordance(self, query: str | None = None) -> list[ConcordanceHit]:
        """Entries of the task's memories containing ``query`` (the search box's text by
        default), shown in the panel, own translations first."""
        text = (query if query is not None else self.panel.query()).strip()
        if query is not None:
            self.panel.search.setText(text)
        hits: list[ConcordanceHit] = []
        seen: set[tuple[str, str]] = set()
        for memory in self._memories():
            for hit in memory.concordance(text, limit=CONCORDANCE_LIMIT):
                identity = (normalize_source(hit.entry.source), hit.entry.target)
                if identity not in seen:
                    seen.add(identity)
                    hits.append(hit)
        hits.sort(key=lambda hit: _ORIGIN_RANK[hit.entry.origin])
        self.panel.show_concordance(text, hits[:CONCORDANCE_LIMIT])
        return hits[:CONCORDANCE_LIMIT]

    def focus_concordance(self) -> None:
        """Ctrl+F: the search box, holding the selected text if any."""
        row = self.current_row()
        selected = row.target.textCursor().selectedText().strip() if row is not None else ""
        if selected:
            self.panel.search.setText(selected)
        self.panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.panel.search.selectAll()
        if selected:
            self.search_concordance()

    # -- glossary

    def _extra_terms(self) -> list[GlossaryTerm]:
        """Imported terms (the workspace's and this editor's) the payload does not carry."""
        own = set(self.payload.glossary)
        imported = [*(self._workspace.terms if self._workspace else ()), *self._local_terms]
        return [term for term in dict.fromkeys(imported) if term not in own]

    def _glossary_changed(self) -> None:
        extra = self._extra_terms()
        self.extra_glossary = Glossary(extra) if extra else None
        self.glossary = (
            Glossary([*self.payload.glossary, *extra]) if extra else self._payload_glossary
        )
        self._show_terms()
        self._set_spelling_terms(
            [text for term in self.glossary.terms for text in (term.source, *term.targets)]
        )
        self.show_problems(self._problems)

    def _show_terms(self) -> None:
        for row in self.rows:
            row.hits = []
            self._flag_terms(row)

    def _flag_terms(self, row: SegmentRow) -> None:
        """Mark the glossary's terms in the row's source, red where the target uses a
        forbidden translation."""
        hits = self.glossary.find(row.segment.source)
        target = row.text()
        flagged = [
            index
            for index, hit in enumerate(hits)
            if any(find_term(target, text, hit.term.case_sensitive) for text in hit.term.forbidden)
        ]
        row.show_terms(hits, flagged)

    # -- imports

    def import_memory(self) -> None:
        """Ask for a TMX, XLIFF or PO file and add its translations of this language pair."""
        path = editor_panel.choose_import_file(
            self,
            translate("MemoryAssist", "Import a memory"),
            translate("MemoryAssist", MEMORY_FILES),
        )
        if path is not None:
            self.import_memory_file(path)

    def import_glossary(self) -> None:
        """Ask for a TBX or CSV file and add its terms."""
        path = editor_panel.choose_import_file(
            self,
            translate("MemoryAssist", "Import a glossary"),
            translate("MemoryAssist", GLOSSARY_FILES),
        )
        if path is not None:
            self.import_glossary_file(path)

    def import_memory_file(self, path: Path) -> None:
        source, target = self.payload.source_lang, self.payload.target_lang

        def read() -> list[MemoryEntry]:
            return read_memory(path.read_bytes(), path.name, source, target, Origin.IMPORTED)

        self._read_file(path, read, self._memory_read)

    def import_glossary_file(self, path: Path) -> None:
        source, target = self.payload.source_lang, self.payload.target_lang

        def read() -> list[GlossaryTerm]:
            data = path.read_bytes()
            if path.suffix.lower() == ".tbx" or data.lstrip()[:1] == b"<":
                return read_tbx(data, source, target, path.name)
            return read_csv(data, path.name)

        self._read_file(path, read, self._terms_read)

    def _read_file(self, path: Path, read: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.panel.show_status(translate("MemoryAssist", "Reading %1…").replace("%1", path.name))

        def finished(outcome: Any) -> None:
            if isinstance(outcome, FormatError | GlossaryFileError):
                self.panel.show_status(str(outcome), error=True)
            elif isinstance(outcome, OSError):
                self.panel.show_status(
                    translate("MemoryAssist", "'%1' cannot be opened (%2).")
                    .replace("%1", path.name)
                    .replace("%2", outcome.strerror or type(outcome).__name__),
                    error=True,
                )
            elif isinstance(outcome, Exception):
                log.warning("importing %s failed", path, exc_info=outcome)
                self.panel.show_status(
                    translate("MemoryAssist", "'%1' cannot be read: %2")
                    .replace("%1", path.name)
                    .replace("%2", str(outcome)[:200]),
                    error=True,
                )
            else:
                done((path.name, outcome))

        self._run(read, finished)

    def _pair(self) -> str:
        return f"{self.payload.source_lang} → {self.payload.target_lang}"

    def _memory_read(self, outcome: tuple[str, list[MemoryEntry]]) -> None:
        name, entries = outcome
        if not entries:
            self.panel.show_status(
                translate("MemoryAssist", "'%1' has no %2 translations.")
                .replace("%1", name)
                .replace("%2", self._pair()),
                error=True,
            )
            return
        self.memoryLearned.emit(tm_records(entries))  # the shell keeps them for every task
        memory = self._workspace.memory if self._workspace is not None else self._local
        memory.extend(entries)
        self.panel.show_status(
            translate("MemoryAssist", "Added %1 translations from '%2'.")
            .replace("%1", str(len(entries)))
            .replace("%2", name)
        )
        self._show_assist()
        self.search_concordance()

    def _terms_read(self, outcome: tuple[str, list[GlossaryTerm]]) -> None:
        name, terms = outcome
        if not terms:
            self.panel.show_status(
                translate("MemoryAssist", "'%1' has no %2 terms.")
                .replace("%1", name)
                .replace("%2", self._pair()),
                error=True,
            )
            return
        self.memoryLearned.emit(term_records(terms))
        kept = self._workspace.terms if self._workspace is not None else self._local_terms
        # The shell may already have added them to the very same workspace.
        kept.extend([term for term in dict.fromkeys(terms) if term not in kept])
        self.panel.show_status(
            translate("MemoryAssist", "Added %1 terms from '%2'.")
            .replace("%1", str(len(terms)))
            .replace("%2", name)
        )
        self._glossary_changed()
        self._show_assist()
