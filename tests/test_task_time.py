"""Time measured on tasks: kept in the store, sent with results, measured in the window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
from app.store import Store
from app.sync_adapter import StoreSync


def test_sittings_add_up_and_unknown_tasks_are_ignored(store: Store, bundle_file: Path) -> None:
    from app.importer import import_bundle_file
    from taskkinds import default_registry

    import_bundle_file(store, Profile(store.path.parent), bundle_file, default_registry())
    key = store.tasks()[0].id
    store.add_task_time(key, 30.0, 45.0)
    store.add_task_time(key, 12.5, 20.0)
    store.add_task_time("nope/t1", 10.0, 10.0)
    assert store.task_time(key) == (42.5, 65.0)
    assert store.task_time("nope/t1") is None
    assert store.task_times() == {key: ("translation", 42.5, 65.0)}

    store.submit(key, {"targets": {"s1": "a", "s2": "b"}})
    [row] = store.pending_results(10)
    assert row["active_s"] == 42.5  # sent with the result


def test_download_time_is_summed_from_the_events(store: Store) -> None:
    store.log_event("bundle_downloaded", bundle="b1", seconds=12.5)
    store.log_event("bundle_downloaded", bundle="b2", seconds=3)
    store.log_event("bundle_imported", bundle="b2")
    assert store.download_seconds() == 15.5


def test_typing_in_the_window_counts_active_time_and_submit_keeps_it(
    qtbot, profile: Profile, bundle_file: Path
) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    try:
        window.import_files([bundle_file])
        window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
        editor = window.pane.editor
        key = window.current.key
        first, second = editor.rows
        first.target.setFocus()
        clock = window.work_time.timer
        start = clock._clock()
        qtbot.keyClicks(first.target, "Bonjour {name}, vous avez {count} messages")
        qtbot.keyClicks(second.target, "Enregistrer")
        qtbot.waitUntil(lambda: clock._clock() > start + 0.05)
        qtbot.keyClick(second.target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        store: Store = ctx.store
        measured = store.task_time(key)
        assert measured is not None
        active, spent = measured
        assert 0 < active <= spent
        sync = StoreSync(store)
        [item] = sync.pending_results(10)
        assert item.active_seconds is not None and item.active_seconds > 0
    finally:
        window.close()
        ctx.close()

