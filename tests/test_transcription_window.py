"""A transcription task in the main window: the demo bundle imported, typed, submitted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.context import AppContext
from app.demo import build_demo_bundles
from app.mainwindow import MainWindow
from app.profile import Profile
from app.store import Store
from taskkinds.transcription.editor import TranscriptionEditor

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_demo_clip_is_transcribed_and_submitted_from_the_keyboard(
    qtbot, profile: Profile, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    [bundle] = [p for p in build_demo_bundles(tmp_path / "demo") if "transcription" in p.name]
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    try:
        window.import_files([bundle])
        rows = [window.queue_model.task_at(i) for i in range(window.queue_model.rowCount())]
        call = next(i for i, row in enumerate(rows) if row.id.endswith("en-helpdesk-call"))
        window.queue.setCurrentIndex(window.queue_proxy.index(call, 0))
        editor = window.pane.editor
        assert isinstance(editor, TranscriptionEditor)
        # The clip is decoded from the imported bundle off the UI thread.
        qtbot.waitUntil(editor.waveform.has_audio, timeout=10_000)
        key = window.current.key
        editor.text_edit.setFocus()

        # Ctrl+1 is the first speaker here, not the window's "show the task list".
        qtbot.keyClick(editor.text_edit, Qt.Key.Key_1, CTRL)
        qtbot.keyClicks(editor.text_edit, "Hello, thanks for calling.")
        assert editor.text_edit.toPlainText() == "Agent: Hello, thanks for calling."
        store: Store = ctx.store
        qtbot.waitUntil(lambda: store.draft(key) is not None, timeout=2000)

        qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return, CTRL)  # submit
        [row] = store.outbox()
        assert row.task_id == key
        assert store.submitted_result(key)["text"] == "Agent: Hello, thanks for calling."
    finally:
        window.close()
        ctx.close()
