"""Rebindable keys of the transcription editor, and its settings dialog (playback and keys).

Every command has a stable id, a title and default keys in the spirit of oTranscribe
and Express Scribe (Esc plays and pauses, F1/F2 skip, F3/F4 change speed, Ctrl+J
stamps the time). A foot pedal that sends keys (often F13–F15 or media keys) is
bound like any keyboard key. Bindings are kept in the ``QSettings`` the shell gives
the editor (inside the contributor's profile), under ``transcription/keys/<id>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

__all__ = ["COMMANDS", "Command", "KeyBindings", "KeysDialog", "Preferences", "command_title"]

SETTINGS_GROUP = "transcription/keys"


@dataclass(frozen=True)
class Command:
    id: str
    title: str  # English; "%1" stands for ``number`` (tag and speaker commands)
    defaults: tuple[str, ...]  # portable key sequences, e.g. "Ctrl+Space"
    number: int | None = None


_TAG = QT_TRANSLATE_NOOP("TranscriptionCommand", "Insert tag %1 of the palette")
_SPEAKER = QT_TRANSLATE_NOOP("TranscriptionCommand", "Speaker %1 for this segment")
COMMANDS: tuple[Command, ...] = (
    Command(
        "play_pause",
        QT_TRANSLATE_NOOP("TranscriptionCommand", "Play or pause"),
        ("Esc", "Ctrl+Space"),
    ),
    Command("skip_back", QT_TRANSLATE_NOOP("TranscriptionCommand", "Skip back"), ("F1",)),
    Command("skip_forward", QT_TRANSLATE_NOOP("TranscriptionCommand", "Skip forward"), ("F2",)),
    Command("slower", QT_TRANSLATE_NOOP("TranscriptionCommand", "Slower"), ("F3",)),
    Command("faster", QT_TRANSLATE_NOOP("TranscriptionCommand", "Faster"), ("F4",)),
    Command(
        "loop", QT_TRANSLATE_NOOP("TranscriptionCommand", "Loop the selection on or off"), ("F5",)
    ),
    Command(
        "timestamp", QT_TRANSLATE_NOOP("TranscriptionCommand", "Insert a timestamp"), ("Ctrl+J",)
    ),
    Command(
        "split",
        QT_TRANSLATE_NOOP(
            "TranscriptionCommand", "Split the segment at the playhead and the cursor"
        ),
        ("Ctrl+B",),
    ),
    Command(
        "merge",
        QT_TRANSLATE_NOOP("TranscriptionCommand", "Merge the segment with the next one"),
        ("Ctrl+Shift+B",),
    ),
    Command(
        "previous_segment",
        QT_TRANSLATE_NOOP("TranscriptionCommand", "Previous segment"),
        ("Ctrl+Up",),
    ),
    Command(
        "next_segment", QT_TRANSLATE_NOOP("TranscriptionCommand", "Next segment"), ("Ctrl+Down",)
    ),
    Command(
        "seek_segment",
        QT_TRANSLATE_NOOP("TranscriptionCommand", "Play from the segment's start"),
        ("Ctrl+Shift+Space",),
    ),
    *(Command(f"tag_{n}", _TAG, (f"Alt+{n}",), n) for n in range(1, 10)),
    *(Command(f"speaker_{n}", _SPEAKER, (f"Ctrl+{n}",), n) for n in range(1, 10)),
)
_BY_ID = {command.id: command for command in COMMANDS}


def command_title(command: Command, number: str | None = None) -> str:
    """The command's title in the contributor's language; ``number`` replaces its number
    (the shortcut sheet writes "n" for the nine tag and speaker commands)."""
    title = QCoreApplication.translate("TranscriptionCommand", command.title)
    if command.number is None:
        return title
    return title.replace("%1", number if number is not None else str(command.number))


class KeyBindings:
    """The key sequences of each command: the defaults, overridden by saved choices."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings
        self._keys: dict[str, tuple[QKeySequence, ...]] = {}
        for command in COMMANDS:
            saved = self._saved(command.id)
            texts = command.defaults if saved is None else saved
            self._keys[command.id] = tuple(QKeySequence(t) for t in texts if t)

    def _saved(self, command_id: str) -> tuple[str, ...] | None:
        if self._settings is None:
            return None
        value = self._settings.value(f"{SETTINGS_GROUP}/{command_id}")
        if value is None:
            return None
        if isinstance(value, str):
            value = [value] if value else []
        return tuple(str(v) for v in value)

    def keys(self, command_id: str) -> tuple[QKeySequence, ...]:
        return self._keys[command_id]

    def text(self, command_id: str) -> str:
        """The keys as the contributor reads them, e.g. ``Esc, Ctrl+Space``."""
        native = QKeySequence.SequenceFormat.NativeText
        return ", ".join(k.toString(native) for k in self._keys[command_id])

    def set_keys(self, command_id: str, keys: Iterable[QKeySequence]) -> None:
        """Bind ``keys`` to the command (replacing its keys) and save the choice."""
        chosen = tuple(k for k in keys if not k.isEmpty())
        self._keys[command_id] = chosen
        if self._settings is not None:
            portable = QKeySequence.SequenceFormat.PortableText
            self._settings.setValue(
                f"{SETTINGS_GROUP}/{command_id}", [k.toString(portable) for k in chosen]
            )

    def reset(self) -> None:
        """Back to the default keys for every command."""
        for command in COMMANDS:
            self._keys[command.id] = tuple(QKeySequence(t) for t in command.defaults)
        if self._settings is not None:
            self._settings.remove(SETTINGS_GROUP)

    def conflicts(self) -> dict[str, list[str]]:
        """Key text → the ids of the commands sharing it, for keys bound more than once."""
        users: dict[str, list[str]] = {}
        for command_id, keys in self._keys.items():
            for key in keys:
                users.setdefault(key.toString(), []).append(command_id)
        return {key: ids for key, ids in users.items() if len(ids) > 1}


@dataclass
class Preferences:
    """Playback and typing settings of the transcription editor."""

    rewind_s: float = 1.5  # replayed when resuming after a pause
    skip_s: float = 2.0  # F1 / F2
    timestamp_format: str = "[hh:mm:ss]"


class KeysDialog(QDialog):
    """Playback settings, then a table of commands with one key editor each; OK saves,
    Defaults restores the keys."""

    def __init__(
        self,
        bindings: KeyBindings,
        parent: QWidget | None = None,
        preferences: Preferences | None = None,
        timestamp_formats: tuple[str, ...] = ("[hh:mm:ss]",),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Transcription settings"))
        self.bindings = bindings
        prefs = preferences or Preferences()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.rewind = self._seconds(prefs.rewind_s, 0.0, 10.0)
        form.addRow(self.tr("Rewind when resuming"), self.rewind)
        self.skip = self._seconds(prefs.skip_s, 0.5, 30.0)
        form.addRow(self.tr("Skip back and forward by"), self.skip)
        self.timestamp_format = QComboBox(self)
        self.timestamp_format.addItems(list(timestamp_formats))
        self.timestamp_format.setCurrentText(prefs.timestamp_format)
        form.addRow(self.tr("Timestamp format (Ctrl+J)"), self.timestamp_format)
        layout.addLayout(form)
        intro = QLabel(
            self.tr(
                "Click a key box, then press the key or the foot-pedal button to use. "
                "Backspace in a box clears it."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(COMMANDS), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Key")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for row, command in enumerate(COMMANDS):
            title = QLabel(command_title(command), self.table)
            title.setContentsMargins(6, 0, 6, 0)
            self.table.setCellWidget(row, 0, title)
            keys = bindings.keys(command.id)
            edit = QKeySequenceEdit(keys[0] if keys else QKeySequence(), self.table)
            edit.setClearButtonEnabled(True)
            edit.setAccessibleName(command_title(command))
            edit.setMinimumWidth(150)
            self.table.setCellWidget(row, 1, edit)
            self.editors[command.id] = edit
        layout.addWidget(self.table, 1)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("keysConflict")
        layout.addWidget(self.warning)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        defaults = QPushButton(self.tr("Defaults"), self)
        buttons.addButton(defaults, QDialogButtonBox.ButtonRole.ResetRole)
        defaults.clicked.connect(self._defaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for edit in self.editors.values():
            edit.keySequenceChanged.connect(self._show_conflicts)
        self.resize(540, 640)
        self._show_conflicts()

    def _seconds(self, value: float, low: float, high: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(low, high)
        box.setSingleStep(0.5)
        box.setDecimals(1)
        box.setSuffix(self.tr(" s"))
        box.setValue(value)
        return box

    def preferences(self) -> Preferences:
        """The playback settings as chosen in the dialog."""
        return Preferences(
            rewind_s=self.rewind.value(),
            skip_s=self.skip.value(),
            timestamp_format=self.timestamp_format.currentText(),
        )

    def chosen(self) -> dict[str, QKeySequence]:
        """The first key of each command as currently typed in the table."""
        return {cid: edit.keySequence() for cid, edit in self.editors.items()}

    def _defaults(self) -> None:
        for command in COMMANDS:
            default = command.defaults[0] if command.defaults else ""
            self.editors[command.id].setKeySequence(QKeySequence(default))

    def _show_conflicts(self) -> None:
        seen: dict[str, str] = {}
        clashes: list[str] = []
        for command_id, sequence in self.chosen().items():
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if not text:
                continue
            if text in seen:
                clashes.append(
                    self.tr("%1 is used by “%2” and “%3”.")
                    .replace("%1", text)
                    .replace("%2", command_title(_BY_ID[seen[text]]))
                    .replace("%3", command_title(_BY_ID[command_id]))
                )
            seen.setdefault(text, command_id)
        self.warning.setText(" ".join(clashes))
        ok = self.findChild(QDialogButtonBox)
        if ok is not None:
            button = ok.button(QDialogButtonBox.StandardButton.Ok)
            if button is not None:
                button.setEnabled(not clashes)

    def accept(self) -> None:
        """Save the table: each command keeps its other default keys only if unchanged."""
        for command_id, sequence in self.chosen().items():
            current = self.bindings.keys(command_id)
            if current and current[0] == sequence:
                continue  # untouched: keep every key it had (e.g. Esc and Ctrl+Space)
            self.bindings.set_keys(command_id, [sequence])
        super().accept()
