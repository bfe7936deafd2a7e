"""Every screen by keyboard alone: named controls, Tab never stuck, visible focus, palettes
and text zoom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.accessibility import accessible_label, focusable_controls, unnamed_controls
from app.appearance import TONES, Appearance, appearance, system_theme
from app.context import AppContext
from app.demo import build_demo_bundles
from app.mainwindow import MainWindow
from app.profile import Profile


@pytest.fixture(scope="module")
def demo_bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_demo_bundles(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def look(qapp: QApplication) -> Iterator[Appearance]:
    """The application's appearance, removed afterwards: later tests see plain Qt."""
    current = Appearance.install(qapp)
    yield current
    current.uninstall()


@pytest.fixture
def window(qtbot, profile: Profile, look: Appearance) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    ctx = AppContext.open(profile, inline=True)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    with qtbot.waitActive(win):
        win.show()
        win.activateWindow()
    yield win
    win.close()
    ctx.close()


def open_first_of(window: MainWindow, kind: str) -> QWidget:
    model = window.queue_model
    key = next(
        model.task_at(r).id for r in range(model.rowCount()) if model.task_at(r).kind == kind
    )
    window.open_task(key)
    assert window.current is not None and window.current.kind.id == kind
    assert window.pane.editor is not None
    return window.pane.editor


def describe(widgets: list[QWidget]) -> list[str]:
    return [f"{type(w).__name__}#{w.objectName()}" for w in widgets]


def test_every_control_of_the_empty_window_has_a_name(window: MainWindow) -> None:
    assert focusable_controls(window)
    assert describe(unnamed_controls(window)) == []


@pytest.mark.parametrize("kind", ["translation", "transcription", "photo_clip"])
def test_every_control_of_each_editor_has_a_name(
    window: MainWindow, demo_bundles: list[Path], kind: str
) -> None:
    window.import_files(demo_bundles)
    editor = open_first_of(window, kind)
    controls = focusable_controls(editor)
    assert controls, f"nothing in the {kind} editor takes the keyboard"
    assert describe(unnamed_controls(window)) == []


def test_every_tab_has_named_controls(window: MainWindow, demo_bundles: list[Path]) -> None:
    window.import_files(demo_bundles)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        assert describe(unnamed_controls(page)) == [], window.tabs.tabText(index)


def test_status_labels_and_views_are_named(window: MainWindow) -> None:
    for widget in (
        window.network_label,
        window.waiting_label,
        window.earnings_label,
        window.profile_label,
        window.tabs,
        window.queue,
        window.kind_filter,
    ):
        assert accessible_label(widget), widget


def tab_walk(window: MainWindow, start: QWidget, presses: int) -> list[QWidget]:
    from PySide6.QtTest import QTest

    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    seen = [QApplication.focusWidget()]
    for _ in range(presses):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    return seen


@pytest.mark.parametrize("kind", ["translation", "transcription", "photo_clip"])
def test_tab_moves_through_the_window_without_getting_stuck(
    window: MainWindow, demo_bundles: list[Path], kind: str
) -> None:
    window.import_files(demo_bundles)
    editor = open_first_of(window, kind)
    controls = focusable_controls(window)
    seen = tab_walk(window, window.queue, presses=2 * len(controls) + 2)
    # Never twice in a row on the same control, and round to where it started.
    for before, after in zip(seen, seen[1:], strict=False):
        assert after is not before, f"Tab stuck on {describe([before])}"
    assert seen.count(window.queue) >= 2
    reached = set(map(id, seen))
    for must in (window.kind_filter, window.pane.submit_button, window.pane.next_button):
        assert id(must) in reached, describe([must])
    assert any(editor.isAncestorOf(w) or w is editor for w in seen if w is not None)
    # Shift+Tab goes back the same way.
    from PySide6.QtTest import QTest

    window.pane.submit_button.setFocus(Qt.FocusReason.TabFocusReason)
    QTest.keyClick(window.pane.submit_button, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is window.pane.next_button


def test_the_queue_lets_tab_leave_it(window: MainWindow, demo_bundles: list[Path]) -> None:
    from PySide6.QtTest import QTest

    window.import_files(demo_bundles)
    window.queue.setFocus()
    window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
    QTest.keyClick(window.queue, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not window.queue


# ---------------------------------------------------------------- palettes and focus ring


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
def test_each_theme_has_a_visible_focus_ring_and_no_token_left(
    qapp: QApplication, look: Appearance, theme: str
) -> None:
    look.set_choice(theme)
    sheet = qapp.styleSheet()
    assert "@" not in sheet
    tones = TONES[theme]
    assert f"border: {tones.focus_width}px solid {tones.focus}" in sheet
    for selector in ("QPushButton:focus", "QLineEdit:focus", "QTableView:focus", "QCheckBox:focus"):
        assert selector in sheet


def test_dark_and_high_contrast_palettes(qapp: QApplication, look: Appearance) -> None:
    look.set_choice("dark")
    window_colour = qapp.palette().color(QPalette.ColorRole.Window)
    text_colour = qapp.palette().color(QPalette.ColorRole.WindowText)
    assert window_colour.lightness() < 80 < text_colour.lightness()
    look.set_choice("high-contrast")
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert qapp.palette().color(QPalette.ColorRole.WindowText).name() == "#ffffff"
    assert "3px solid #ffff00" in qapp.styleSheet()
    look.set_choice("light")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180


def test_the_system_s_high_contrast_theme_is_followed(
    qapp: QApplication, look: Appearance, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GTK_THEME", "HighContrast")
    assert system_theme(qapp) == "high-contrast"
    look.set_choice("auto")
    assert look.theme == "high-contrast"
    monkeypatch.setenv("GTK_THEME", "Adwaita:dark")
    assert system_theme(qapp) == "dark"
    monkeypatch.delenv("GTK_THEME")
    look.apply()
    assert look.theme == system_theme(qapp)


def test_the_command_line_theme_wins_over_the_saved_one(
    qtbot, profile: Profile, look: Appearance
) -> None:  # type: ignore[no-untyped-def]
    ini = QSettings(str(profile.root / "window.ini"), QSettings.Format.IniFormat)
    ini.setValue("view/theme", "dark")
    ini.sync()
    Appearance.install(QApplication.instance(), "high-contrast")  # --theme high-contrast
    ctx = AppContext.open(profile, inline=True)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    try:
        assert look.theme == "high-contrast"
    finally:
        win.close()
        ctx.close()


def test_choosing_colours_in_the_view_menu_is_kept(
    qtbot, window: MainWindow, look: Appearance
) -> None:  # type: ignore[no-untyped-def]
    from app.appearance import ViewActions

    actions = window.findChild(ViewActions, "viewActions")
    actions.theme_actions["dark"].trigger()
    assert look.theme == "dark"
    ini = QSettings(str(window.ctx.profile.root / "window.ini"), QSettings.Format.IniFormat)
    assert ini.value("view/theme") == "dark"


# ---------------------------------------------------------------- text zoom


def test_zoom_keys_scale_the_text_and_the_profile_remembers(
    qtbot, window: MainWindow, look: Appearance, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    base = QApplication.font().pointSizeF()
    rows = window.queue.verticalHeader().defaultSectionSize()
    window.queue.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert look.zoom == 125
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.25)
    assert window.queue.verticalHeader().defaultSectionSize() > rows
    assert "Text size 125" in window.statusBar().currentMessage()
    window.close()
    window.ctx.close()

    look.zoom = 100  # a new start, at the system's size
    ctx = AppContext.open(profile, inline=True)
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    with qtbot.waitActive(again):
        again.show()
        again.activateWindow()
    try:
        assert look.zoom == 125  # from window.ini
        QTest.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
        assert look.zoom == 100
        QTest.keyClick(again, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
        assert look.zoom == 90
        assert QApplication.font().pointSizeF() == pytest.approx(base * 0.9)
    finally:
        again.close()
        ctx.close()


def test_the_appearance_is_found_from_anywhere(qapp: QApplication, look: Appearance) -> None:
    assert appearance(qapp) is look
    assert Appearance.install(qapp) is look
