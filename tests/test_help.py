"""Help: the shortcut sheet (Ctrl+/), the tour of the demo, diagnostics from the Help menu,
the instructions beside the editor."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.context import AppContext
from app.demo import build_demo_bundles
from app.help import ShortcutSheet, editor_groups, window_groups
from app.mainwindow import MainWindow
from app.profile import Profile
from app.tour import TOUR_SETTING, TourCard, _claim_first_run, tour_steps


@pytest.fixture(scope="module")
def demo_bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_demo_bundles(tmp_path_factory.mktemp("demo"))


def open_window(qtbot, profile: Profile, *, demo: bool = False) -> MainWindow:  # type: ignore[no-untyped-def]
    ctx = AppContext.open(profile, inline=True, demo=demo)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    return win


@pytest.fixture
def window(qtbot, profile: Profile) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, profile)
    yield win
    win.close()
    win.ctx.close()


def sheet_rows(sheet: ShortcutSheet) -> dict[str, str]:
    return {what: keys for keys, what in sheet.visible_shortcuts()}


def test_ctrl_slash_opens_the_sheet_with_the_window_s_and_each_editor_s_keys(
    window: MainWindow,
) -> None:
    QTest.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    sheet = window.help_actions.sheet
    assert isinstance(sheet, ShortcutSheet) and sheet.isVisible()
    groups = [sheet.tree.topLevelItem(i).text(0) for i in range(sheet.tree.topLevelItemCount())]
    assert groups[:2] == ["Menu File", "Menu Task"]
    titles = {f"{kind.title} editor" for kind in window.ctx.registry}
    assert len(titles) == 3 and titles <= set(groups)
    rows = sheet_rows(sheet)
    assert rows["Submit"].startswith("Ctrl+Return")
    assert rows["Keyboard shortcuts"] == "Ctrl+/"
    assert rows["Zoom in"].startswith("Ctrl++")
    assert rows["Faster"] == "F4"  # transcription, from its COMMANDS
    assert rows["Polygon"] == "P"  # photo clipping, from TOOL_KEYS
    assert rows["Undo"] == "Ctrl+Z"  # photo clipping, from its toolbar's tooltip
    assert rows["Copy the source into the target"] == "Ctrl+B"  # translation, KEYS_HINT
    assert rows["Insert tag n of the palette"] == "Alt+1 … Alt+9"


def test_searching_filters_and_down_moves_into_the_list(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    sheet = window.help_actions.show_shortcuts()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sheet)
    sheet.search.setFocus()
    QTest.keyClicks(sheet.search, "play")
    shown = sheet_rows(sheet)
    assert "Play or pause" in shown
    assert all("play" in (what + keys).lower() for what, keys in shown.items())
    assert "Submit" not in shown
    QTest.keyClick(sheet.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is sheet.tree
    assert sheet.tree.currentItem().text(1) in shown
    sheet.search.clear()
    QTest.keyClicks(sheet.search, "no such thing at all")
    assert sheet.visible_shortcuts() == [] and sheet.empty.isVisibleTo(sheet)
    QTest.keyClick(sheet, Qt.Key.Key_Escape)
    assert not sheet.isVisible()


def test_the_sheet_shows_the_keys_the_contributor_bound(window: MainWindow) -> None:
    settings = QSettings(str(window.ctx.profile.root / "editors.ini"), QSettings.Format.IniFormat)
    settings.setValue("transcription/keys/faster", ["F8"])
    settings.sync()
    groups = editor_groups({"transcription": "Transcription"}, settings)
    transcription = next(g for g in groups if g.title == "Transcription editor")
    assert {s.what: s.keys for s in transcription.shortcuts}["Faster"] == "F8"


def test_window_groups_list_every_menu_shortcut(window: MainWindow) -> None:
    shortcuts = {s.what: s.keys for g in window_groups(window) for s in g.shortcuts}
    assert shortcuts["Import bundle"] == "Ctrl+O"
    assert shortcuts["Earnings"] == "Ctrl+4"
    assert shortcuts["Actual size"] == "Ctrl+0"


def test_the_help_menu_offers_shortcuts_tour_and_diagnostics_before_about(
    window: MainWindow,
) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["&Keyboard shortcuts", "&Tour", "Export &diagnostics…", "&About Ouvrage"]
    assert "Ctrl+/" in window.help_actions.shortcuts_action.toolTip()


def test_export_diagnostics_from_the_help_menu_writes_the_zip(
    window: MainWindow, tmp_path: Path
) -> None:
    target = tmp_path / "report.zip"
    window.help_actions.write_diagnostics(target)
    assert "Diagnostics written" in window.statusBar().currentMessage()
    with zipfile.ZipFile(target) as archive:
        assert "profile.json" in archive.namelist()


# ---------------------------------------------------------------- the tour


def test_the_tour_walks_the_queue_each_editor_the_outbox_and_earnings(
    window: MainWindow, demo_bundles: list[Path]
) -> None:
    window.import_files(demo_bundles)
    tour = window.help_actions.show_tour()
    assert isinstance(tour, TourCard) and tour.isVisible()
    assert not tour.isModal()
    assert 4 <= len(tour.steps) <= 6
    assert tour.step_label.text() == f"1 of {len(tour.steps)}"
    assert window.tabs.currentIndex() == 0
    opened = []
    for _ in range(3):
        tour.next_button.click()
        assert window.current is not None
        opened.append(window.current.kind.id)
    assert opened == ["translation", "transcription", "photo_clip"]
    tour.next_button.click()
    assert window.tabs.currentIndex() == 1  # the outbox
    tour.back_button.click()
    assert window.tabs.currentIndex() == 0
    tour.next_button.click()
    tour.next_button.click()
    assert window.tabs.currentIndex() == 3  # earnings
    assert tour.next_button.text() == "&Done"
    tour.next_button.click()
    assert not tour.isVisible()


def test_a_tour_step_without_its_kind_says_so(window: MainWindow) -> None:
    tour = window.help_actions.show_tour()
    tour.show_step(1)  # translation, but the profile is empty
    assert "No task of this kind" in tour.text.text()
    tour.close()


def test_the_first_demo_start_shows_the_tour_once(
    qtbot, profile: Profile, demo_bundles: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, profile, demo=True)
    try:
        window.import_files(demo_bundles)  # as the demo's claims bring them
        qtbot.waitUntil(lambda: window.help_actions.tour is not None, timeout=5000)
        assert window.help_actions.tour.isVisible()
        assert window.ctx.store.setting(TOUR_SETTING) is True
        window.help_actions.tour.close()
    finally:
        window.close()
        window.ctx.close()

    again = open_window(qtbot, profile, demo=True)
    try:
        again.import_files(demo_bundles)
        QApplication.processEvents()
        assert again.help_actions.tour is None
        assert _claim_first_run(again.ctx.store) is False  # the store remembers it too
    finally:
        again.close()
        again.ctx.close()


def test_the_tour_cards_are_few_and_each_names_its_screen() -> None:
    steps = tour_steps()
    assert [s.kind for s in steps if s.kind] == ["translation", "transcription", "photo_clip"]
    assert all(s.title and len(s.text) > 40 for s in steps)


# ---------------------------------------------------------------- instructions


def test_the_instructions_sit_above_the_editor_and_fold_away(
    window: MainWindow, demo_bundles: list[Path]
) -> None:
    window.import_files(demo_bundles)
    window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
    pane = window.pane
    assert pane.instructions.text()
    assert pane.instructions_area.isVisible()
    assert pane.instructions_area.accessibleName() == "Instructions"
    assert pane.instructions_area.y() < pane.editor_frame.y()
    pane.instructions_toggle.setFocus()
    QTest.keyClick(pane.instructions_toggle, Qt.Key.Key_Space)
    assert not pane.instructions_area.isVisible()
    window.move_task(1)  # the choice holds for the next task
    assert not pane.instructions_area.isVisible()
    QTest.keyClick(pane.instructions_toggle, Qt.Key.Key_Space)
    assert pane.instructions_area.isVisible()
    most = pane.instructions.fontMetrics().lineSpacing() * 6 + 20
    assert pane.instructions_area.height() <= most
