"""The transcription editor: a player, the clip's waveform with its segments, and the text.

Made to be used without the mouse, as oTranscribe and Express Scribe are: every command
has keys (rebindable, so a foot pedal that sends keys works) that act while the text has
the focus. The transcript is one text until the contributor splits it at the playhead
(Ctrl+B); from then on it is a list of timed segments, each with its text and speaker.

It receives a payload, the bundle's media folder and a draft; it emits ``draftChanged``
after every edit and ``submitRequested`` when asked to submit. It never touches the
database or the network. The clip is decoded, its peaks computed and the player's
stream opened off the UI thread through ``run_background`` (tests pass an inline one).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from taskkinds.base import Problem
from taskkinds.transcription.audio import AudioUnreadable
from taskkinds.transcription.editor_keys import (
    COMMANDS,
    KeyBindings,
    KeysDialog,
    Preferences,
    command_title,
)
from taskkinds.transcription.editor_player import SPEED_STEP, PlayerBar
from taskkinds.transcription.editor_text import TranscriptEdits
from taskkinds.transcription.model import (
    Segment,
    TranscriptionPayload,
    TranscriptionResult,
)
from taskkinds.transcription.peaks import decode_with_peaks
from taskkinds.transcription.player import NO_DEVICE, NO_PORTAUDIO, PlaybackEvent, Player
from taskkinds.transcription.segments import (
    segment_at,
)
from taskkinds.transcription.timecode import (
    DEFAULT_TIMESTAMP_FORMAT,
    TIMESTAMP_FORMATS,
    clock_text,
)
from widgets.background import RunBackground, thread_pool_runner
from widgets.waveform import WaveformView

__all__ = ["TranscriptionEditor"]

# The kind's title and the export formats whose names French changes, from its Qt-free
# registry entry (__init__.py): marked here for the translation catalogue.
KIND_WORDS = (
    QT_TRANSLATE_NOOP("TaskKind", "Audio transcription"),
    QT_TRANSLATE_NOOP("TaskKind", "Plain text"),
)

log = logging.getLogger(__name__)

TICK_MS = 33  # the playhead's refresh while playing (about 30 per second)


class TranscriptionEditor(TranscriptEdits, QWidget):
    """Editor for one transcription task."""

    draftChanged = Signal(dict)
    submitRequested = Signal(dict)
    _playerEvent = Signal(str)  # from the audio thread to the UI thread (queued)

    def __init__(
        self,
        payload: TranscriptionPayload,
        media_dir: Path | None = None,
        draft: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        run_background: RunBackground | None = None,
        settings: QSettings | None = None,
        player: Player | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptionEditor")
        self.payload = payload
        self._run = run_background or thread_pool_runner(self)
        self._settings = settings
        self.bindings = KeyBindings(settings)
        self.player = player if player is not None else Player()
        self.player.rewind_on_resume = self._setting_float("rewind_s", 1.5, 0.0, 10.0)
        self.skip_seconds = self._setting_float("skip_s", 2.0, 0.5, 30.0)
        fmt = str(self._setting("timestamp_format", DEFAULT_TIMESTAMP_FORMAT))
        self.timestamp_format = fmt if fmt in TIMESTAMP_FORMATS else DEFAULT_TIMESTAMP_FORMAT
        self.duration = payload.duration_s  # until the clip is decoded
        self._read_only = False
        self._loaded = False
        self._loading_text = False  # set while the text box is filled by the editor
        result = _result_from(draft)
        self.text = result.text
        self.segments: list[Segment] = list(result.segments)
        self.current = 0  # the segment shown in the text box, when there are segments
        self._closed = threading.Event()

        self._build()
        self._bind_commands()
        self._show_segments()
        self._load_text()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._playerEvent.connect(self._player_event)
        events = self._playerEvent
        closed = self._closed
        # The audio thread calls this; a signal carries it to the UI thread.
        self.player.on_state(lambda event: None if closed.is_set() else events.emit(str(event)))
        player_ref = self.player
        self.destroyed.connect(lambda *_: (closed.set(), player_ref.close()))
        self._open_audio(media_dir)

    # -- the editor contract

    def content(self) -> dict[str, Any]:
        """The current result, as the kind's result model dumps it."""
        return self._result().model_dump(mode="json")

    def request_submit(self) -> None:
        self.submitRequested.emit(self.content())

    def show_problems(self, problems: list[Problem]) -> None:
        lines = [("✖ " if p.blocking else "⚠ ") + p.message for p in problems]
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.text_edit.setReadOnly(read_only)
        self.palette_row.setEnabled(not read_only)
        for command_id in _EDITING_COMMANDS:
            self.actions_by_id[command_id].setEnabled(not read_only)

    def focus_first_empty(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.about = QLabel(self._about_text(), self)
        self.about.setObjectName("transcriptionAbout")
        self.about.setWordWrap(True)
        self.about.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.about)
        self.player_bar = PlayerBar(self)
        self.player_bar.skip_seconds = self.skip_seconds
        self.player_bar.playPauseClicked.connect(self.play_pause)
        self.player_bar.skipClicked.connect(self.skip)
        self.player_bar.speedChosen.connect(self.set_speed)
        self.player_bar.volumeChosen.connect(self.player.set_volume)
        self.player_bar.loopToggled.connect(self.set_loop)
        self.player_bar.keysClicked.connect(self.edit_keys)
        layout.addWidget(self.player_bar)
        self.playback_note = QLabel(self)
        self.playback_note.setObjectName("playbackUnavailable")
        self.playback_note.setWordWrap(True)
        self.playback_note.setTextFormat(Qt.TextFormat.PlainText)
        self.playback_note.hide()
        layout.addWidget(self.playback_note)
        self.waveform = WaveformView(self)
        self.waveform.setAccessibleName(self.tr("Waveform of the clip"))
        self.waveform.set_time_offset(self.payload.offset_s)
        self.waveform.seekRequested.connect(self.seek)
        self.waveform.segmentEdgeMoved.connect(self._edge_moved)
        self.waveform.segmentActivated.connect(self._segment_activated)
        self.waveform.selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.waveform)
        self.palette_row = self._build_palette()
        layout.addWidget(self.palette_row)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.segment_list = QListWidget(splitter)
        self.segment_list.setObjectName("segmentList")
        self.segment_list.setAccessibleName(self.tr("Segments"))
        self.segment_list.currentRowChanged.connect(self._row_chosen)
        self.segment_list.setWordWrap(True)
        self.segment_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_edit = QPlainTextEdit(splitter)
        self.text_edit.setObjectName("transcriptText")
        self.text_edit.setAccessibleName(self.tr("Transcript"))
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.textChanged.connect(self._text_changed)
        for target in (self.text_edit, self.waveform, self.segment_list):
            target.installEventFilter(self)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setObjectName("transcriptionStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self.problems = QLabel(self)
        self.problems.setObjectName("transcriptionProblems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.hide()
        layout.addWidget(self.problems)

    def _build_palette(self) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tag_buttons: list[QPushButton] = []
        for n, tag in enumerate(self.payload.allowed_tags[:9], start=1):
            button = QPushButton(f"[{tag}]", row)
            button.setToolTip(
                self.tr("Insert [%1] (Alt+%2)").replace("%1", tag).replace("%2", str(n))
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, n=n: self.insert_tag(n))
            layout.addWidget(button)
            self.tag_buttons.append(button)
        if self.payload.allowed_tags and self.payload.speakers:
            layout.addSpacing(16)
        self.speaker_buttons: list[QPushButton] = []
        for n, speaker in enumerate(self.payload.speakers[:9], start=1):
            button = QPushButton(speaker, row)
            button.setToolTip(
                self.tr("%1 speaks in this segment (Ctrl+%2)")
                .replace("%1", speaker)
                .replace("%2", str(n))
            )
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, n=n: self.choose_speaker(n))
            layout.addWidget(button)
            self.speaker_buttons.append(button)
        layout.addStretch(1)
        row.setVisible(bool(self.tag_buttons or self.speaker_buttons))
        return row

    def _about_text(self) -> str:
        p = self.payload
        style = self.tr("clean verbatim") if p.style == "clean" else self.tr("full verbatim")
        parts = [f"{p.language} · {style}"]
        if p.allowed_tags:
            parts.append(
                self.tr("tags: %1").replace("%1", " ".join(f"[{t}]" for t in p.allowed_tags))
            )
        if p.speakers:
            parts.append(self.tr("speakers: %1").replace("%1", ", ".join(p.speakers)))
        if p.offset_s > 0:
            parts.append(
                self.tr("starts at %1 of the recording").replace("%1", clock_text(p.offset_s))
            )
        if p.context:
            parts.append(p.context)
        return " · ".join(parts)

    def _bind_commands(self) -> None:
        """One QAction per command, active anywhere inside the editor."""
        handlers: dict[str, Callable[[], None]] = {
            "play_pause": self.play_pause,
            "skip_back": lambda: self.skip(-self.skip_seconds),
            "skip_forward": lambda: self.skip(self.skip_seconds),
            "slower": lambda: self.set_speed(self.player.speed - SPEED_STEP),
            "faster": lambda: self.set_speed(self.player.speed + SPEED_STEP),
            "loop": lambda: self.set_loop(self.player.loop is None),
            "timestamp": self.insert_timestamp,
            "split": self.split,
            "merge": self.merge,
            "previous_segment": lambda: self.go_to_segment(self.current - 1),
            "next_segment": lambda: self.go_to_segment(self.current + 1),
            "seek_segment": self.play_segment,
        }
        for n in range(1, 10):
            handlers[f"tag_{n}"] = lambda n=n: self.insert_tag(n)
            handlers[f"speaker_{n}"] = lambda n=n: self.choose_speaker(n)
        self.actions_by_id: dict[str, QAction] = {}
        self._handlers = handlers
        for command in COMMANDS:
            action = QAction(command_title(command), self)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            handler = handlers[command.id]
            action.triggered.connect(lambda _checked=False, handler=handler: handler())
            self.addAction(action)
            self.actions_by_id[command.id] = action
        self._apply_keys()

    def _apply_keys(self) -> None:
        for command_id, action in self.actions_by_id.items():
            action.setShortcuts(list(self.bindings.keys(command_id)))
        self.player_bar.set_tips({c.id: self.bindings.text(c.id) for c in COMMANDS})

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """The editor's keys win inside the editor: over what the text box would do with
        them (Ctrl+Up scrolls it) and over the window's own shortcuts (Ctrl+1 shows the
        task list), so a bound key always does the editor's command while one types."""
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            assert isinstance(event, QKeyEvent)
            command_id = self._command_for(event)
            if command_id is not None:
                if kind == QEvent.Type.ShortcutOverride:
                    event.accept()  # "this widget takes the key": it comes back as a press
                    return True
                action = self.actions_by_id[command_id]
                if action.isEnabled():
                    action.trigger()
                return True
        return super().eventFilter(watched, event)

    def _command_for(self, event: QKeyEvent) -> str | None:
        pressed = QKeySequence(event.keyCombination())
        for command_id in self.actions_by_id:
            for key in self.bindings.keys(command_id):
                if key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                    return command_id
        return None

    def edit_keys(self) -> None:
        """Playback settings and every command's keys (a foot pedal's included)."""
        current = Preferences(
            self.player.rewind_on_resume, self.skip_seconds, self.timestamp_format
        )
        dialog = KeysDialog(self.bindings, self, current, TIMESTAMP_FORMATS)
        if dialog.exec():
            self.apply_preferences(dialog.preferences())
            self._apply_keys()

    def apply_preferences(self, prefs: Preferences) -> None:
        """Use ``prefs`` now and keep them in the profile's settings."""
        self.player.rewind_on_resume = min(max(prefs.rewind_s, 0.0), 10.0)
        self.skip_seconds = self.player_bar.skip_seconds = min(max(prefs.skip_s, 0.5), 30.0)
        if prefs.timestamp_format in TIMESTAMP_FORMATS:
            self.timestamp_format = prefs.timestamp_format
        if self._settings is not None:
            self._settings.setValue("transcription/rewind_s", self.player.rewind_on_resume)
            self._settings.setValue("transcription/skip_s", self.skip_seconds)
            self._settings.setValue("transcription/timestamp_format", self.timestamp_format)

    # -- settings kept in the profile

    def _setting(self, name: str, default: object) -> object:
        if self._settings is None:
            return default
        return self._settings.value(f"transcription/{name}", default)

    def _setting_float(self, name: str, default: float, low: float, high: float) -> float:
        try:
            value = float(self._setting(name, default))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return default
        return min(max(value, low), high)

    # -- audio

    def _open_audio(self, media_dir: Path | None) -> None:
        self.player_bar.set_playback_available(False)
        if media_dir is None:
            self._audio_problem(self.tr("The clip of this task is not available."))
            return
        folder = Path(media_dir).resolve()
        path = (folder / self.payload.audio).resolve()
        if not path.is_relative_to(folder):
            self._audio_problem(self.tr("The clip's path leaves the bundle: the task is damaged."))
            return
        self.status.setText(self.tr("Opening the clip…"))
        player = self.player

        def load() -> Any:
            clip, peaks = decode_with_peaks(path)
            player.load(clip.samples, clip.sample_rate)  # opens the output stream, off the UI
            return clip, peaks

        self._run(load, self._audio_opened)

    def _audio_opened(self, outcome: Any) -> None:
        if isinstance(outcome, AudioUnreadable):
            self._audio_problem(str(outcome))
            return
        if isinstance(outcome, Exception):
            log.warning("opening the clip failed", exc_info=outcome)
            self._audio_problem(
                self.tr("The clip cannot be opened: %1").replace("%1", str(outcome))
            )
            return
        clip, peaks = outcome
        self.duration = clip.duration
        self._loaded = True
        self.waveform.set_source(peaks)
        self._show_segments()
        self.status.clear()
        available = self.player.available
        self.player_bar.set_playback_available(available)
        if not available:
            self.playback_note.setText(self._unavailable_text(self.player.unavailable_reason))
            self.playback_note.show()
        self._show_position()

    def _unavailable_text(self, reason: str) -> str:
        """The player's reason in the contributor's language where it is a known one (the
        player is Qt-free and says it in English)."""
        known = {
            NO_DEVICE: self.tr(
                "Playback is unavailable: no audio output device was found. "
                "You can still type and submit."
            ),
            NO_PORTAUDIO: self.tr(
                "Playback is unavailable: the PortAudio library (libportaudio2) is not "
                "installed; install it and restart Ouvrage. You can still type and submit."
            ),
        }
        return known.get(reason, reason)

    def _audio_problem(self, text: str) -> None:
        self.status.setText(text)
        self.playback_note.setText(
            self.tr("Playback is unavailable; you can still type and submit.")
        )
        self.playback_note.show()

    # -- playback commands

    def play_pause(self) -> None:
        if not self._loaded:
            return
        self.player.toggle()
        self._sync_playing()

    def skip(self, seconds: float) -> None:
        if self._loaded:
            self.player.skip(seconds)
            self._show_position()

    def seek(self, seconds: float) -> None:
        if self._loaded:
            self.player.seek(seconds)
            self._show_position()

    def set_speed(self, speed: float) -> None:
        self.player.set_speed(round(speed, 2))
        self.player_bar.set_speed(self.player.speed)
        self.status.setText(self.tr("Speed %1×").replace("%1", f"{self.player.speed:.2f}"))

    def set_loop(self, on: bool) -> None:
        """Loop the waveform's selection, or else the current segment."""
        span = self.waveform.selection()
        if span is None and self.segments:
            segment = self.segments[self.current]
            span = (segment.start, segment.end)
        if on and span is not None and span[1] > span[0]:
            self.player.set_loop(*span)
            self.status.setText(
                self.tr("Looping %1 – %2")
                .replace("%1", clock_text(span[0]))
                .replace("%2", clock_text(span[1]))
            )
        else:
            if on:
                self.status.setText(self.tr("Select a stretch of the waveform to loop it."))
            self.player.clear_loop()
        self.player_bar.set_loop_checked(self.player.loop is not None)

    def play_segment(self) -> None:
        if self.segments and self._loaded:
            self.player.seek(self.segments[self.current].start)
            if not self.player.playing:
                self.player.play()
            self._sync_playing()

    def _selection_changed(self, start: float, end: float) -> None:
        if self.player.loop is not None:
            self.set_loop(True)

    def _player_event(self, event: str) -> None:
        if event == PlaybackEvent.ENDED:
            self.status.setText(self.tr("End of the clip."))
        self._sync_playing()

    def _sync_playing(self) -> None:
        playing = self.player.playing
        self.player_bar.show_playing(playing)
        if playing and not self._timer.isActive():
            self._timer.start()
        elif not playing:
            self._timer.stop()
        self._show_position()

    def _tick(self) -> None:
        self._show_position()
        if not self.player.playing:
            self._sync_playing()

    def _show_position(self) -> None:
        position = self.player.position
        self.waveform.set_position(position)
        self.player_bar.show_time(position, self.duration, self.payload.offset_s)

    def segment_index_at_playhead(self) -> int | None:
        return segment_at(self.segments, self.player.position)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        # Leaving the task (or the window) stops the sound; the stream closes with the editor.
        self.player.pause()
        self._sync_playing()
        super().hideEvent(event)


# Commands that change the transcript: off on a submitted (read-only) task.
_EDITING_COMMANDS = (
    "timestamp",
    "split",
    "merge",
    *(f"tag_{n}" for n in range(1, 10)),
    *(f"speaker_{n}" for n in range(1, 10)),
)


def _result_from(draft: dict[str, Any] | None) -> TranscriptionResult:
    if not draft:
        return TranscriptionResult()
    try:
        return TranscriptionResult.model_validate(draft)
    except ValueError:
        # A draft from an older or damaged build: start empty rather than fail to open.
        return TranscriptionResult()
