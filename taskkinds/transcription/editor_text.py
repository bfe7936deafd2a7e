"""The transcription editor's text side: timestamps, tags, speakers, splitting and
merging segments, and keeping the text box, the segment list and the waveform in step.

A mixin of ``TranscriptionEditor``: it works on the editor's ``text``, ``segments``
and ``current`` and its widgets; it holds no state of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QListWidgetItem

from taskkinds.transcription.model import (
    Segment,
    TranscriptionResult,
    result_from_segments,
    result_from_text,
)
from taskkinds.transcription.segments import (
    SegmentEditError,
    assign_speaker,
    insert_token,
    merge_with_next,
    move_edge,
    set_text,
    split_segment,
)
from taskkinds.transcription.timecode import clock_text, format_timestamp

# A mixin says its context: self.tr() would look texts up under the editor class's name.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from taskkinds.transcription.editor import TranscriptionEditor

    _Base = TranscriptionEditor
else:
    _Base = object


class TranscriptEdits(_Base):
    """Commands that change the transcript, and the views that show it."""

    # -- text commands

    def insert_timestamp(self) -> None:
        """Type the playhead's time (in the original recording) at the cursor (Ctrl+J)."""
        stamp = format_timestamp(
            max(self.player.position, 0.0), self.payload.offset_s, self.timestamp_format
        )
        self._insert_token(stamp)

    def insert_tag(self, n: int) -> None:
        """Type the palette's ``n``-th tag (1-based) at the cursor."""
        tags = self.payload.allowed_tags
        if 1 <= n <= len(tags):
            self._insert_token(f"[{tags[n - 1]}]")

    def _insert_token(self, token: str) -> None:
        if self._read_only:
            return
        cursor = self.text_edit.textCursor()
        text, position = insert_token(self.text_edit.toPlainText(), cursor.position(), token)
        self._set_box_text(text, position)

    def choose_speaker(self, n: int) -> None:
        """Give the current segment the ``n``-th speaker (again: none). Without segments,
        type ``Name:`` at the start of the cursor's line."""
        speakers = self.payload.speakers
        if self._read_only or not 1 <= n <= len(speakers):
            return
        speaker = speakers[n - 1]
        if self.segments:
            same = self.segments[self.current].speaker == speaker
            self._edit_segments(
                assign_speaker(self.segments, self.current, None if same else speaker)
            )
            return
        cursor = self.text_edit.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
        text = self.text_edit.toPlainText()
        start = cursor.position()
        line_end = text.find("\n", start)
        line = text[start : None if line_end < 0 else line_end]
        rest = line.split(":", 1)[1].lstrip() if line.split(":", 1)[0] in speakers else line
        new_line = f"{speaker}: {rest}"
        new_text = text[:start] + new_line + text[start + len(line) :]
        self._set_box_text(new_text, start + len(new_line))

    def split(self) -> None:
        """Cut the transcript at the playhead (time) and the text cursor (words) (Ctrl+B)."""
        if self._read_only:
            return
        at = self.player.position
        position = self.text_edit.textCursor().position()
        try:
            if not self.segments:
                whole = Segment(start=0.0, end=self.duration, text=self.text)
                segments = split_segment([whole], 0, at, position)
                index = 1
            else:
                segments = split_segment(self.segments, self.current, at, position)
                index = self.current + 1
        except SegmentEditError as exc:
            self.status.setText(str(exc))
            return
        self.current = index
        self._edit_segments(segments, reload_text=True)

    def merge(self) -> None:
        if self._read_only or not self.segments:
            return
        try:
            segments = merge_with_next(self.segments, self.current)
        except SegmentEditError as exc:
            self.status.setText(str(exc))
            return
        self._edit_segments(segments, reload_text=True)

    def go_to_segment(self, index: int) -> None:
        """Show segment ``index`` in the text box and put the playhead at its start."""
        if not self.segments or not 0 <= index < len(self.segments):
            return
        self.current = index
        self.seek(self.segments[index].start)
        self._show_segments()
        self._load_text()

    def _segment_activated(self, index: int) -> None:
        self.go_to_segment(index)
        self.text_edit.setFocus()

    def _row_chosen(self, row: int) -> None:
        if row >= 0 and row != self.current and not self._loading_text:
            self.go_to_segment(row)

    def _edge_moved(self, index: int, edge: str, seconds: float) -> None:
        if self._read_only or not 0 <= index < len(self.segments):
            self._show_segments()
            return
        which = "start" if edge == "start" else "end"
        self._edit_segments(move_edge(self.segments, index, which, seconds, self.duration))

    # -- model and views

    def _result(self) -> TranscriptionResult:
        if self.segments:
            return result_from_segments(self.segments)
        return result_from_text(self.text)

    def _text_changed(self) -> None:
        if self._loading_text:
            return
        typed = self.text_edit.toPlainText()
        if self.segments:
            try:
                self.segments = set_text(self.segments, self.current, typed)
            except ValueError as exc:  # too long for one segment
                self.status.setText(str(exc).splitlines()[0])
                return
            self._refresh_row(self.current)
        else:
            self.text = typed
        self.draftChanged.emit(self.content())

    def _edit_segments(self, segments: Sequence[Segment], *, reload_text: bool = False) -> None:
        self.segments = list(segments)
        self.current = min(self.current, len(self.segments) - 1) if self.segments else 0
        self._show_segments()
        if reload_text:
            self._load_text()
        self.draftChanged.emit(self.content())

    def _set_box_text(self, text: str, cursor_position: int) -> None:
        """Replace the text box's text as one undoable edit, cursor at ``cursor_position``."""
        cursor = self.text_edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        cursor.setPosition(min(cursor_position, len(text)))
        self.text_edit.setTextCursor(cursor)

    def _load_text(self) -> None:
        self._loading_text = True
        try:
            text = self.segments[self.current].text if self.segments else self.text
            self.text_edit.setPlainText(text)
            self.text_edit.moveCursor(QTextCursor.MoveOperation.End)
            self.text_edit.setPlaceholderText(
                translate(
                    "TranscriptEdits",
                    "Type what you hear. Esc plays and pauses; Ctrl+J stamps the time.",
                )
                if not self.segments
                else translate("TranscriptEdits", "Text of this segment")
            )
        finally:
            self._loading_text = False

    def _show_segments(self) -> None:
        self._loading_text = True
        try:
            self.waveform.set_segments([(s.start, s.end, s.speaker or "") for s in self.segments])
            self.waveform.set_current_segment(self.current if self.segments else -1)
            self.segment_list.clear()
            for index in range(len(self.segments)):
                self.segment_list.addItem(QListWidgetItem(self._row_text(index)))
            self.segment_list.setVisible(bool(self.segments))
            if self.segments:
                self.segment_list.setCurrentRow(self.current)
        finally:
            self._loading_text = False

    def _refresh_row(self, index: int) -> None:
        item = self.segment_list.item(index)
        if item is not None:
            item.setText(self._row_text(index))

    def _row_text(self, index: int) -> str:
        segment = self.segments[index]
        words = " ".join(segment.text.split())
        if len(words) > 48:
            words = words[:47] + "…"
        speaker = f"{segment.speaker}: " if segment.speaker else ""
        return (
            f"{index + 1}. {clock_text(segment.start)}–{clock_text(segment.end)}\n{speaker}{words}"
        )
