"""The main window driven like a contributor would, offscreen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
from app.store import Store
from tests.factories import translation_bundle


def open_window(qtbot, profile: Profile, *, inline: bool = True) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = AppContext.open(profile, inline=inline)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.ctx.close()


@pytest.fixture
def window(qtbot, profile: Profile):  # type: ignore[no-untyped-def]
    win = open_window(qtbot, profile)
    yield win
    if win.isVisible():
        close_window(win)


def test_an_empty_profile_invites_to_import_a_bundle(window: MainWindow) -> None:
    assert window.pane.currentIndex() == 0
    assert "No tasks yet" in window.pane.placeholder_title.text()
    assert window.pane.import_button.isVisible()
    assert "Offline" in window.network_label.text()
    assert "0 waiting" in window.waiting_label.text()


def test_import_open_type_autosave_submit_shows_the_result_in_the_outbox(
    qtbot, window: MainWindow, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    window.import_files([bundle_file])
    assert window.queue_model.rowCount() == 3
    assert "3 of 3 tasks shown" in window.queue_count.text()

    window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
    editor = window.pane.editor
    assert editor is not None and window.current is not None
    key = window.current.key

    # Typing goes into the focused segment; the draft reaches the database within a second.
    first, second = editor.rows
    qtbot.keyClicks(first.target, "Bonjour {name}, vous avez {count} messages")
    store: Store = window.ctx.store
    qtbot.waitUntil(lambda: store.draft(key) is not None, timeout=2000)
    assert store.draft(key)["targets"]["s1"].startswith("Bonjour {name}")
    assert store.task(key)["state"] == "draft"

    # Submitting with an empty segment is refused, and the problem is shown inline.
    qtbot.keyClick(first.target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert store.outbox() == []
    assert second.problems.isVisible()
    assert "empty" in second.problems.text().lower()
    assert any("empty" in window.pane.problem_list.item(i).text().lower()
               for i in range(window.pane.problem_list.count()))  # fmt: skip

    qtbot.keyClicks(second.target, "Enregistrer")
    qtbot.keyClick(second.target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    [row] = store.outbox()
    assert row.task_id == key and row.state == "queued"
    assert store.draft(key) is None
    assert store.submitted_result(key)["targets"] == {
        "s1": "Bonjour {name}, vous avez {count} messages",
        "s2": "Enregistrer",
    }
    # The window moved on to the next task and the outbox view lists the result.
    assert window.current is not None and window.current.key != key
    assert window.outbox_view.model.rowCount() == 1
    assert window.tabs.tabText(1) == "Outbox (1)"
    assert "1 waiting" in window.waiting_label.text()


def test_a_submitted_task_reopens_read_only_with_its_result(
    qtbot, window: MainWindow, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    window.import_files([bundle_file])
    key = window.queue_model.task_at(0).id
    window.ctx.store.submit(key, {"targets": {"s1": "Bonjour", "s2": "Enregistrer"}})
    window.refresh_queue()
    window.queue.setCurrentIndex(window.queue_proxy.index(1, 0))
    window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
    editor = window.pane.editor
    assert window.current.key == key and window.current.read_only
    assert editor.rows[0].target.isReadOnly()
    assert editor.rows[0].target.toPlainText() == "Bonjour"
    assert not window.pane.submit_button.isEnabled()


def test_alt_arrows_move_between_tasks_and_filters_narrow_the_queue(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window.import_files([translation_bundle(tmp_path / "a.zip", bundle_id="b-a", tasks=2)])
    window.import_files(
        [translation_bundle(tmp_path / "b.zip", bundle_id="b-b", tasks=3, title="Second")]
    )
    assert window.queue_model.rowCount() == 5
    window.move_task(1)
    assert window.current.key == "b-a/t0000"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current.key == "b-a/t0001"
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.current.key == "b-b/t0000"
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.current.key == "b-a/t0001"

    window.bundle_filter.setCurrentIndex(window.bundle_filter.findData("b-b"))
    assert window.queue_proxy.rowCount() == 3
    window.state_filter.setCurrentIndex(window.state_filter.findData("queued"))
    assert window.queue_proxy.rowCount() == 0
    assert "0 of 5 tasks shown" in window.queue_count.text()


def test_a_refused_bundle_gets_a_dialog_naming_it_and_the_window_keeps_working(
    qtbot, window: MainWindow, tmp_path: Path, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken-bundle.zip"
    data = bundle_file.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    window.import_files([broken])
    box = window.error_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "Bundle refused"
    assert "broken-bundle.zip" in box.text()
    box.close()
    window.import_files([bundle_file])
    assert window.queue_model.rowCount() == 3


def test_window_geometry_is_remembered(qtbot, profile: Profile) -> None:  # type: ignore[no-untyped-def]
    first = open_window(qtbot, profile)
    first.resize(700, 480)  # the offscreen screen is 800×600
    first.move(20, 10)
    close_window(first)
    second = open_window(qtbot, profile)
    try:
        assert (second.width(), second.height()) == (700, 480)
    finally:
        close_window(second)


def test_with_real_worker_threads_the_ui_stays_live_and_nothing_is_lost(
    qtbot, profile: Profile, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, profile, inline=False)
    try:
        window.import_files([bundle_file])
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 3, timeout=5000)
        window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
        qtbot.waitUntil(lambda: window.pane.editor is not None, timeout=5000)
        editor = window.pane.editor
        qtbot.keyClicks(editor.rows[0].target, "Bonjour {name}, vous avez {count} messages")
        qtbot.keyClicks(editor.rows[1].target, "Enregistrer")
        key = window.current.key
        editor.request_submit()
        qtbot.waitUntil(lambda: window.outbox_view.model.rowCount() == 1, timeout=5000)
        # Unsaved typing in the next task is flushed when the window closes.
        qtbot.waitUntil(
            lambda: window.current is not None and window.current.key != key, timeout=5000
        )
        next_key = window.current.key
        # Its "Save" is filled from the memory the submitted task just taught, for review.
        following = window.pane.editor
        qtbot.waitUntil(lambda: following.rows[0].text() == "Enregistrer", timeout=5000)
        qtbot.keyClicks(following.rows[1].target, "x")
    finally:
        close_window(window)
    store = Store(profile.db_path)
    try:
        assert store.draft(next_key) == {
            "version": 1,
            "targets": {"s1": "Enregistrer", "s2": "x"},
            "needs_review": ["s1"],
        }
        assert store.outbox()[0].task_id == key
    finally:
        store.close()


def test_export_from_the_menu_writes_the_submitted_results(
    qtbot, window: MainWindow, bundle_file: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import app.dialogs

    window.import_files([bundle_file])
    key = window.queue_model.task_at(0).id
    window.ctx.store.submit(key, {"targets": {"s1": "Bonjour", "s2": "Enregistrer"}})
    out = tmp_path / "exported.xlf"
    # The file chooser is the one thing a test cannot click through offscreen.
    monkeypatch.setattr(app.dialogs, "ask_export_path", lambda *args: out)
    [action] = [a for a in window.export_menu.actions() if "XLIFF 2.0" in a.text()]
    action.trigger()
    assert "<target>Bonjour</target>" in out.read_text(encoding="utf-8")
    assert "Exported 1 result(s)" in window.statusBar().currentMessage()


def test_a_profile_from_a_newer_ouvrage_shows_why_and_changes_nothing(
    qtbot, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    store = Store(profile.db_path)
    store.conn.execute("PRAGMA user_version = 99")
    store.close()
    before = profile.db_path.read_bytes()
    ctx = AppContext.create(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.error_box is not None, timeout=3000)
    assert "newer Ouvrage" in window.error_box.text()
    assert "cannot be opened" in window.pane.placeholder_title.text()
    assert not window.import_action.isEnabled()
    window.close()
    ctx.close()
    assert profile.db_path.read_bytes() == before


def test_a_restart_reopens_the_task_left_open_with_its_draft(
    qtbot, profile: Profile, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    first = open_window(qtbot, profile)
    first.import_files([bundle_file])
    first.queue.setCurrentIndex(first.queue_proxy.index(1, 0))
    key = first.current.key
    qtbot.keyClicks(first.pane.editor.rows[0].target, "Enregistrer")
    close_window(first)  # typing flushed, the open task remembered

    second = open_window(qtbot, profile, inline=False)  # real workers, as at a real start
    try:
        qtbot.waitUntil(lambda: second.current is not None, timeout=5000)
        assert second.current.key == key
        assert second.pane.editor.rows[0].text() == "Enregistrer"
        assert second.queue.currentIndex().data(second.queue_model.KeyRole) == key
        assert "Task 2 of 3" in second.pane.details.text()
        qtbot.waitUntil(lambda: second.link is not None, timeout=5000)  # the server tabs follow
    finally:
        close_window(second)


def test_a_submitted_or_removed_last_task_is_not_reopened(
    qtbot, profile: Profile, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    first = open_window(qtbot, profile)
    first.import_files([bundle_file])
    first.queue.setCurrentIndex(first.queue_proxy.index(0, 0))
    key = first.current.key
    close_window(first)
    store = Store(profile.db_path)
    store.submit(key, {"targets": {"s1": "Bonjour", "s2": "Enregistrer"}})
    store.close()

    second = open_window(qtbot, profile, inline=False)
    try:
        qtbot.waitUntil(lambda: second.link is not None, timeout=5000)
        assert second.current is None
        assert second.pane.currentIndex() == 0  # the placeholder: choose a task
    finally:
        close_window(second)
    store = Store(profile.db_path)
    store.set_setting("window.last_task", "no-such-bundle/no-such-task")
    store.close()
    third = open_window(qtbot, profile, inline=False)
    try:
        qtbot.waitUntil(lambda: third.link is not None, timeout=5000)
        assert third.current is None and third.error_box is None
    finally:
        close_window(third)


def test_a_long_queue_shows_its_first_screen_then_every_task(
    qtbot, profile: Profile, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from app.importer import import_bundle_file
    from app.mainwindow import FIRST_ROWS
    from taskkinds import default_registry

    store = Store(profile.db_path)
    big = translation_bundle(tmp_path / "big.zip", bundle_id="big", tasks=FIRST_ROWS * 3 + 7)
    import_bundle_file(store, profile, big, default_registry())
    last = store.tasks()[-1].id
    store.set_setting("window.last_task", last)  # left open at the very end of the queue
    store.close()

    window = open_window(qtbot, profile, inline=False)
    try:
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == FIRST_ROWS * 3 + 7, timeout=10_000)
        qtbot.waitUntil(lambda: window.current is not None, timeout=5000)
        assert window.current.key == last
        shown = f"{FIRST_ROWS * 3 + 7} of {FIRST_ROWS * 3 + 7} tasks shown"
        qtbot.waitUntil(lambda: shown in window.queue_count.text(), timeout=5000)
        qtbot.waitUntil(
            lambda: f"Task {FIRST_ROWS * 3 + 7} of {FIRST_ROWS * 3 + 7}"
            in window.pane.details.text(),
            timeout=5000,
        )
        assert window.queue.currentIndex().data(window.queue_model.KeyRole) == last
        window.kind_filter.setCurrentIndex(window.kind_filter.findData("translation"))
        assert window.queue_proxy.rowCount() == FIRST_ROWS * 3 + 7  # filters see every row
    finally:
        close_window(window)


def test_the_rest_of_the_queue_arrives_below_without_losing_the_selection(qtbot) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from app.queue_view import QueuePanel
    from app.store import TaskRow

    rows = [
        TaskRow(f"b/t{i}", "b", f"t{i}", "translation", i, "new", Decimal("0.10"), "EUR",
                f"Task {i}", "")
        for i in range(500)
    ]  # fmt: skip
    panel = QueuePanel()
    qtbot.addWidget(panel)
    panel.show_first_rows(rows[:200], [{"id": "b", "title": "B"}], 500)
    assert panel.model.rowCount() == 200
    assert "Reading 500 tasks" in panel.count.text()
    assert panel.position_of("b/t5") == (6, 500)  # "Task 6 of 500" already
    chosen: list[str] = []
    panel.taskChosen.connect(chosen.append)
    panel.table.setCurrentIndex(panel.proxy.index(5, 0))
    panel.append_rows(rows[200:])
    assert panel.model.rowCount() == 500 and panel.proxy.rowCount() == 500
    assert panel.table.currentIndex().row() == 5 and chosen == ["b/t5"]  # no reset, no re-open
    assert panel.position_of("b/t499") == (500, 500)
    assert "500 of 500 tasks shown" in panel.count.text()


def test_a_real_start_paints_the_frame_first_then_fills_the_menus_and_tabs(
    qtbot, profile: Profile, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    """As ``ouvrage`` starts: the store opens on the worker while the window is built;
    the menus' entries, the activity filter and the server tabs follow the first screen."""
    seed = AppContext.open(profile, inline=True)
    from app.importer import import_bundle_file

    import_bundle_file(seed.store, profile, bundle_file, seed.registry)
    seed.close()

    ctx = AppContext.create(profile)  # nothing loaded yet, real worker threads
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Task", "&Server", "&View", "&Help"]  # in place, nothing moves
    assert window.task_menu.actions() == []  # entries come after the first screen
    window.show()
    try:
        qtbot.waitUntil(lambda: window.queue_model.rowCount() == 3, timeout=5000)
        qtbot.waitUntil(lambda: window.link is not None, timeout=5000)
        qtbot.waitUntil(lambda: window.import_action.isEnabled(), timeout=5000)
        entries = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
        assert entries == ["&Import bundle…", "&Export results", "&Preferences…", "&Quit"]
        assert any("XLIFF" in a.text() for a in window.export_menu.actions())
        assert window.work_time.watching
        assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
            "Tasks", "Outbox", "Catalogue", "Earnings", "Qualifications"
        ]  # fmt: skip
    finally:
        close_window(window)
