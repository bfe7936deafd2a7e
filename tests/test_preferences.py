"""Preferences: bounded, kept in the profile, applied to the window."""

from __future__ import annotations

from app.context import AppContext
from app.mainwindow import MainWindow
from app.preferences import Preferences, PreferencesDialog, load_preferences, save_preferences
from app.profile import Profile
from app.store import Store


def test_preferences_are_kept_and_out_of_range_values_bounded(store: Store) -> None:
    assert load_preferences(store) == Preferences()
    save_preferences(store, Preferences(idle_after_s=5, reference_wage="11.65", language="xx"))
    prefs = load_preferences(store)
    assert prefs.idle_after_s == 10 and prefs.reference_wage == "11.65" and prefs.language == ""
    store.set_setting("prefs.break_minutes", "lots")
    assert load_preferences(store) == Preferences()  # unreadable: the defaults, not a crash


def test_the_dialog_edits_a_copy_and_the_window_applies_it(qtbot, profile: Profile) -> None:  # type: ignore[no-untyped-def]
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        dialog = PreferencesDialog(window.prefs, "EUR", window)
        qtbot.addWidget(dialog)
        dialog.idle.setValue(120)
        dialog.break_minutes.setValue(30)
        dialog.wage.setValue(11.65)
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        prefs = dialog.preferences()
        window.apply_preferences(prefs)
        save_preferences(ctx.store, prefs)
        assert window.work_time.timer.idle_after_s == 120
        assert window.work_time.reminder.work_s == 30 * 60
        assert load_preferences(ctx.store).language == "fr"
        assert load_preferences(ctx.store).reference_wage == "11.65"
    finally:
        window.close()
        ctx.close()
