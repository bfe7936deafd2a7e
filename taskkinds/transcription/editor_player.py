"""The transcription editor's player bar: play/pause, skips, clock, speed, volume, loop.

It only shows the player's state and forwards clicks; the editor owns the ``Player``
and polls its position while it plays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from taskkinds.transcription.timecode import clock_text

__all__ = ["PlayerBar"]

SPEED_STEP = 0.1


class PlayerBar(QWidget):
    """Buttons and readouts for playback. Emits what the contributor asked for."""

    playPauseClicked = Signal()
    skipClicked = Signal(float)  # seconds, negative backwards
    speedChosen = Signal(float)
    volumeChosen = Signal(float)  # 0–1
    loopToggled = Signal(bool)
    keysClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.back_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekBackward, self.tr("Skip back")
        )
        self.back_button.clicked.connect(lambda: self.skipClicked.emit(-self.skip_seconds))
        self.play_button = self._button(QStyle.StandardPixmap.SP_MediaPlay, self.tr("Play"))
        self.play_button.clicked.connect(self.playPauseClicked)
        self.forward_button = self._button(
            QStyle.StandardPixmap.SP_MediaSeekForward, self.tr("Skip forward")
        )
        self.forward_button.clicked.connect(lambda: self.skipClicked.emit(self.skip_seconds))
        self.clock = QLabel(self)
        self.clock.setObjectName("playerClock")
        self.clock.setTextFormat(Qt.TextFormat.PlainText)
        self.clock.setMinimumWidth(self.clock.fontMetrics().horizontalAdvance("00:00.0 / 00:00.0 "))
        layout.addWidget(self.clock)
        self.speed = QDoubleSpinBox(self)
        self.speed.setRange(0.5, 2.0)
        self.speed.setSingleStep(SPEED_STEP)
        self.speed.setDecimals(2)
        self.speed.setSuffix(" ×")
        self.speed.setValue(1.0)
        self.speed.setAccessibleName(self.tr("Playback speed"))
        self.speed.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.speed.valueChanged.connect(self.speedChosen)
        layout.addWidget(QLabel(self.tr("Speed"), self))
        layout.addWidget(self.speed)
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setMaximumWidth(90)
        self.volume.setAccessibleName(self.tr("Volume"))
        self.volume.setToolTip(self.tr("Volume"))
        self.volume.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.volume.valueChanged.connect(lambda v: self.volumeChosen.emit(v / 100))
        layout.addWidget(QLabel(self.tr("Volume"), self))
        layout.addWidget(self.volume)
        self.loop_button = self._button(None, self.tr("Loop the selection"))
        self.loop_button.setText(self.tr("Loop"))
        self.loop_button.setCheckable(True)
        self.loop_button.toggled.connect(self.loopToggled)
        layout.addStretch(1)
        self.keys_button = self._button(None, self.tr("Playback settings and keys"))
        self.keys_button.setText(self.tr("Settings…"))
        self.keys_button.clicked.connect(self.keysClicked)
        self.skip_seconds = 2.0
        self.show_time(0.0, 0.0, 0.0)

    def _button(self, icon: QStyle.StandardPixmap | None, tip: str) -> QToolButton:
        button = QToolButton(self)
        if icon is not None:
            button.setIcon(self.style().standardIcon(icon))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        else:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys keep going to the text
        self.layout().addWidget(button)
        return button

    def set_tips(self, tips: dict[str, str]) -> None:
        """Show each button's keys in its tooltip: ``{"play_pause": "Esc, Ctrl+Space"}``."""
        for button, command, title in (
            (self.play_button, "play_pause", self.tr("Play or pause")),
            (self.back_button, "skip_back", self.tr("Skip back")),
            (self.forward_button, "skip_forward", self.tr("Skip forward")),
            (self.loop_button, "loop", self.tr("Loop the selection")),
        ):
            keys = tips.get(command, "")
            button.setToolTip(f"{title} ({keys})" if keys else title)

    def show_playing(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setAccessibleName(self.tr("Pause") if playing else self.tr("Play"))

    def show_time(self, position: float, duration: float, offset: float) -> None:
        text = f"{clock_text(position)} / {clock_text(duration)}"
        self.clock.setText(text)
        if offset > 0:
            self.clock.setToolTip(
                self.tr("%1 in the original recording").replace("%1", clock_text(position + offset))
            )

    def set_speed(self, speed: float) -> None:
        """Show ``speed`` without emitting ``speedChosen``."""
        self.speed.blockSignals(True)
        self.speed.setValue(speed)
        self.speed.blockSignals(False)

    def set_loop_checked(self, checked: bool) -> None:
        self.loop_button.blockSignals(True)
        self.loop_button.setChecked(checked)
        self.loop_button.blockSignals(False)

    def set_playback_available(self, available: bool) -> None:
        for widget in (self.play_button, self.speed, self.volume, self.loop_button):
            widget.setEnabled(available)
