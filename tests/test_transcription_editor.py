"""The transcription editor driven from the keyboard, on the real demo clips.

The clips are decoded by soundfile; the sound card is the one thing replaced: a fake
output stream whose callback the test pumps, so what "was heard" is deterministic.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from taskkinds.transcription.checks import validate
from taskkinds.transcription.editor import TranscriptionEditor
from taskkinds.transcription.model import TranscriptionPayload, TranscriptionResult
from taskkinds.transcription.player import Player
from widgets.background import run_inline

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


class FakeStream:
    """Stands in for the sound card: the test calls ``pump`` to play blocks."""

    def __init__(self, *, samplerate: int, callback: Any, blocksize: int, **_: Any) -> None:
        self.rate, self.callback, self.blocksize = samplerate, callback, blocksize
        self.active = False
        self.heard: list[np.ndarray] = []

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def close(self) -> None:
        self.active = False

    def pump(self, seconds: float) -> None:
        for _ in range(round(seconds * self.rate / self.blocksize)):
            out = np.zeros((self.blocksize, 1), dtype=np.float32)
            try:
                self.callback(out, self.blocksize, None, None)
            except Exception:  # noqa: BLE001 - the player stops an idle stream this way
                self.active = False
                return
            self.heard.append(out[:, 0].copy())


class FakeCard:
    def __init__(self) -> None:
        self.streams: list[FakeStream] = []

    def __call__(self, **kwargs: Any) -> FakeStream:
        stream = FakeStream(**kwargs)
        self.streams.append(stream)
        return stream

    @property
    def stream(self) -> FakeStream:
        return self.streams[-1]


def demo_task(task_id: str) -> tuple[TranscriptionPayload, dict[str, str]]:
    spec = json.loads((DEMO / "transcription.json").read_text(encoding="utf-8"))
    task = next(t for t in spec["tasks"] if t["id"] == task_id)
    return TranscriptionPayload.model_validate(task["payload"]), spec["media"]


def open_editor(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, task_id: str, *, player: Player | None = None, **kwargs
) -> TranscriptionEditor:
    payload, media = demo_task(task_id)
    target = tmp_path / payload.audio
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO / media[payload.audio], target)
    editor = TranscriptionEditor(
        payload,
        tmp_path,
        kwargs.pop("draft", None),
        run_background=run_inline,
        player=player if player is not None else Player(output_factory=FakeCard()),
        **kwargs,
    )
    qtbot.addWidget(editor)
    editor.resize(900, 600)
    with qtbot.waitActive(editor):
        editor.show()
        editor.activateWindow()
    editor.focus_first_empty()
    return editor


def press(qtbot, editor: TranscriptionEditor, key: Qt.Key, modifiers=NO) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(editor.text_edit, key, modifiers)


def card_of(editor: TranscriptionEditor) -> FakeStream:
    factory = editor.player._factory
    assert isinstance(factory, FakeCard)
    return factory.stream


def test_a_keyboard_only_session_plays_stamps_tags_splits_and_submits(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, tmp_path, "en-helpdesk-call")
    assert editor.duration == pytest.approx(13.96, abs=0.05)
    assert editor.text_edit.hasFocus()
    qtbot.keyClicks(editor.text_edit, "Hello")

    press(qtbot, editor, Qt.Key.Key_Escape)  # play
    assert editor.player.playing
    card_of(editor).pump(3.0)
    heard = np.concatenate(card_of(editor).heard)
    assert np.abs(heard).max() > 0.05  # the clip's speech reached the card
    assert editor.player.position == pytest.approx(3.0, abs=0.1)

    press(qtbot, editor, Qt.Key.Key_Escape)  # pause
    assert not editor.player.playing
    paused_at = editor.player.position
    press(qtbot, editor, Qt.Key.Key_Space, CTRL)  # resume: 1.5 s earlier
    assert editor.player.playing
    assert editor.player.position == pytest.approx(paused_at - 1.5, abs=0.05)
    press(qtbot, editor, Qt.Key.Key_Escape)

    press(qtbot, editor, Qt.Key.Key_F3)  # slower
    assert editor.player.speed == pytest.approx(0.9)
    press(qtbot, editor, Qt.Key.Key_F4)
    press(qtbot, editor, Qt.Key.Key_F4)
    assert editor.player.speed == pytest.approx(1.1)
    before = editor.player.position
    press(qtbot, editor, Qt.Key.Key_F2)  # skip forward 2 s
    assert editor.player.position == pytest.approx(before + 2.0, abs=0.05)
    press(qtbot, editor, Qt.Key.Key_F1)
    assert editor.player.position == pytest.approx(before, abs=0.05)

    press(qtbot, editor, Qt.Key.Key_J, CTRL)  # timestamp of the playhead
    press(qtbot, editor, Qt.Key.Key_2, ALT)  # the palette's second tag
    assert editor.text_edit.toPlainText() == "Hello [00:00:01] [crosstalk]"

    editor.seek(7.0)
    qtbot.keyClicks(editor.text_edit, " there")
    editor.text_edit.moveCursor(editor.text_edit.textCursor().MoveOperation.End)
    press(qtbot, editor, Qt.Key.Key_B, CTRL)  # split at 7 s and at the cursor
    assert [(s.start, s.end) for s in editor.segments] == [(0.0, 7.0), (7.0, editor.duration)]
    assert editor.current == 1 and editor.text_edit.hasFocus()
    qtbot.keyClicks(editor.text_edit, "Thanks")
    press(qtbot, editor, Qt.Key.Key_2, CTRL)  # speaker 2 for this segment
    press(qtbot, editor, Qt.Key.Key_Up, CTRL)  # back to the first segment
    assert editor.current == 0 and editor.player.position == pytest.approx(0.0, abs=0.01)
    press(qtbot, editor, Qt.Key.Key_1, CTRL)

    with qtbot.waitSignal(editor.submitRequested) as submitted:
        editor.request_submit()
    result = TranscriptionResult.model_validate(submitted.args[0])
    assert [(s.speaker, s.text) for s in result.segments] == [
        ("Agent", "Hello [00:00:01] [crosstalk] there"),
        ("Caller", "Thanks"),
    ]
    assert not [p for p in validate(editor.payload, result) if p.blocking]


def test_every_edit_emits_a_draft_and_a_draft_comes_back(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, tmp_path, "en-weather")
    drafts: list[dict] = []
    editor.draftChanged.connect(drafts.append)
    qtbot.keyClicks(editor.text_edit, "Rain")
    assert [d["text"] for d in drafts] == ["R", "Ra", "Rai", "Rain"]
    editor.seek(1.0)
    press(qtbot, editor, Qt.Key.Key_B, CTRL)
    draft = editor.content()
    again = open_editor(qtbot, tmp_path / "again", "en-weather", draft=draft)
    assert again.content() == draft and len(again.segments) == 2
    assert again.segment_list.count() == 2


def test_merge_and_dragged_edges_change_the_segments(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, tmp_path, "en-weather")
    qtbot.keyClicks(editor.text_edit, "one two")
    editor.seek(1.0)
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(3)
    editor.text_edit.setTextCursor(cursor)
    press(qtbot, editor, Qt.Key.Key_B, CTRL)
    assert [s.text for s in editor.segments] == ["one", "two"]
    editor.waveform.segmentEdgeMoved.emit(0, "end", 0.6)
    assert editor.segments[0].end == pytest.approx(0.6)
    editor.waveform.segmentEdgeMoved.emit(1, "start", 0.2)  # clamped at the neighbour's end
    assert editor.segments[1].start == pytest.approx(0.6)
    press(qtbot, editor, Qt.Key.Key_Up, CTRL)
    press(qtbot, editor, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [s.text for s in editor.segments] == ["one two"]


def test_loop_plays_the_selection_again(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, tmp_path, "en-weather")
    editor.waveform.set_selection(1.0, 1.5)
    press(qtbot, editor, Qt.Key.Key_F5)
    assert editor.player.loop is not None and editor.player_bar.loop_button.isChecked()
    editor.seek(1.0)
    press(qtbot, editor, Qt.Key.Key_Escape)
    card_of(editor).pump(1.6)
    assert 1.0 <= editor.player.position <= 1.5
    press(qtbot, editor, Qt.Key.Key_F5)
    assert editor.player.loop is None


def test_without_an_output_device_the_editor_says_why_and_still_works(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    def no_device(**_: Any) -> Any:
        raise OSError("Error querying device -1")

    player = Player(output_factory=no_device)
    editor = open_editor(qtbot, tmp_path, "en-lecture-bees", player=player)
    assert editor.playback_note.isVisible()
    assert "Playback is unavailable" in editor.playback_note.text()
    assert not editor.player_bar.play_button.isEnabled()
    press(qtbot, editor, Qt.Key.Key_Escape)  # nothing to play: nothing happens, no crash
    assert not editor.player.playing
    press(qtbot, editor, Qt.Key.Key_F2)  # the cursor still moves
    press(qtbot, editor, Qt.Key.Key_J, CTRL)
    # The clip starts 7.647 s into its recording: the stamp is in the recording's time.
    assert editor.text_edit.toPlainText() == "[00:00:09]"
    assert editor.waveform.has_audio()


def test_a_truncated_clip_gets_a_clear_message_and_typing_still_works(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    payload, media = demo_task("fr-gare")
    target = tmp_path / payload.audio
    target.parent.mkdir(parents=True)
    data = (DEMO / media[payload.audio]).read_bytes()
    target.write_bytes(data[: len(data) // 3])
    editor = TranscriptionEditor(
        payload, tmp_path, None, run_background=run_inline, player=Player(FakeCard())
    )
    qtbot.addWidget(editor)
    editor.show()
    assert "fr-gare.opus" in editor.status.text()
    assert "again" in editor.status.text()  # says what to do
    editor.focus_first_empty()
    qtbot.keyClicks(editor.text_edit, "Le train")
    assert editor.content()["text"] == "Le train"


def test_keys_are_rebindable_and_kept_in_the_profile_settings(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "editors.ini"), QSettings.Format.IniFormat)
    first = open_editor(qtbot, tmp_path / "a", "en-weather", settings=settings)
    first.bindings.set_keys("play_pause", [QKeySequence("F9")])  # a foot pedal's key
    settings.sync()
    reread = QSettings(str(tmp_path / "editors.ini"), QSettings.Format.IniFormat)
    editor = open_editor(qtbot, tmp_path / "b", "en-weather", settings=reread)
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert not editor.player.playing
    press(qtbot, editor, Qt.Key.Key_F9)
    assert editor.player.playing
    editor.bindings.reset()
    editor._apply_keys()
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert not editor.player.playing


def test_read_only_keeps_playback_and_refuses_edits(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, tmp_path, "en-weather", draft={"text": "Done", "segments": []})
    editor.set_read_only(True)
    press(qtbot, editor, Qt.Key.Key_J, CTRL)
    press(qtbot, editor, Qt.Key.Key_B, CTRL)
    assert editor.content()["text"] == "Done" and editor.segments == []
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert editor.player.playing


def test_playback_settings_are_used_and_kept_in_the_profile(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from taskkinds.transcription.editor_keys import KeysDialog, Preferences

    settings = QSettings(str(tmp_path / "editors.ini"), QSettings.Format.IniFormat)
    first = open_editor(qtbot, tmp_path / "a", "en-lecture-bees", settings=settings)
    dialog = KeysDialog(first.bindings, first, Preferences(), ("[hh:mm:ss]", "[mm:ss.f]"))
    dialog.rewind.setValue(3.0)
    dialog.skip.setValue(5.0)
    dialog.timestamp_format.setCurrentText("[mm:ss.f]")
    first.apply_preferences(dialog.preferences())
    settings.sync()

    editor = open_editor(
        qtbot,
        tmp_path / "b",
        "en-lecture-bees",
        settings=QSettings(str(tmp_path / "editors.ini"), QSettings.Format.IniFormat),
    )
    assert editor.player.rewind_on_resume == 3.0
    press(qtbot, editor, Qt.Key.Key_F2)
    assert editor.player.position == pytest.approx(5.0, abs=0.01)
    press(qtbot, editor, Qt.Key.Key_J, CTRL)
    assert editor.text_edit.toPlainText() == "[00:12.6]"  # 5 s into a clip cut at 7.647 s
    editor.seek(3.5)
    press(qtbot, editor, Qt.Key.Key_Escape)
    card_of(editor).pump(1.0)
    press(qtbot, editor, Qt.Key.Key_Escape)
    paused_at = editor.player.position
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert editor.player.position == pytest.approx(paused_at - 3.0, abs=0.05)


def test_the_settings_dialog_refuses_a_key_used_twice(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from taskkinds.transcription.editor_keys import KeysDialog

    editor = open_editor(qtbot, tmp_path, "en-weather")
    dialog = KeysDialog(editor.bindings, editor)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.editors["timestamp"].setKeySequence(QKeySequence("F1"))  # F1 skips back already
    assert not ok.isEnabled() and "F1" in dialog.warning.text()
    dialog.editors["timestamp"].setKeySequence(QKeySequence("F8"))
    assert ok.isEnabled()
    dialog.accept()
    assert [k.toString() for k in editor.bindings.keys("timestamp")] == ["F8"]
    assert [k.toString() for k in editor.bindings.keys("play_pause")] == ["Esc", "Ctrl+Space"]
