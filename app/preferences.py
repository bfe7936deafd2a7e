"""The contributor's preferences, kept in the profile's database, and their dialog.

``Preferences`` is plain data with bounds; ``load_preferences``/``save_preferences`` run
on the database worker; ``PreferencesDialog`` edits a copy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.store import Store

__all__ = ["Preferences", "PreferencesDialog", "load_preferences", "save_preferences"]

PREFIX = "prefs."
# Shared with the earnings view, which also lets the contributor set it.
KEYS = {"reference_wage": "earnings.reference_hourly_wage"}


def _key(name: str) -> str:
    return KEYS.get(name, PREFIX + name)


@dataclass
class Preferences:
    idle_after_s: int = 60  # no input this long: active time stops counting
    break_minutes: int = 50  # continuous work before a break is suggested
    snooze_minutes: int = 10
    kind_run: int = 25  # tasks of one kind in a row before suggesting a change
    lease_warn_hours: float = 6.0
    reference_wage: str = "0"  # per hour, in the platform's currency; "0" = not set
    language: str = ""  # "" follows the system; "en" or "fr"

    def bounded(self) -> Preferences:
        """A copy with every value inside its sensible range."""
        try:
            wage = max(Decimal(self.reference_wage), Decimal(0))
        except (InvalidOperation, ValueError):
            wage = Decimal(0)
        return Preferences(
            idle_after_s=min(max(int(self.idle_after_s), 10), 900),
            break_minutes=min(max(int(self.break_minutes), 10), 240),
            snooze_minutes=min(max(int(self.snooze_minutes), 1), 60),
            kind_run=min(max(int(self.kind_run), 5), 500),
            lease_warn_hours=min(max(float(self.lease_warn_hours), 0.5), 72.0),
            reference_wage=str(wage),
            language=self.language if self.language in ("", "en", "fr") else "",
        )


def load_preferences(store: Store) -> Preferences:
    """The saved preferences (defaults for anything not saved or unreadable)."""
    values: dict[str, Any] = {}
    for field in fields(Preferences):
        saved = store.setting(_key(field.name))
        if saved is not None:
            values[field.name] = saved
    try:
        return Preferences(**values).bounded()
    except (TypeError, ValueError):
        return Preferences()


def save_preferences(store: Store, prefs: Preferences) -> None:
    for name, value in asdict(prefs.bounded()).items():
        store.set_setting(_key(name), value)


class PreferencesDialog(QDialog):
    """Work time, breaks, leases, pay reference and language."""

    def __init__(self, prefs: Preferences, currency: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.idle = self._spin(prefs.idle_after_s, 10, 900, self.tr(" s"))
        self.idle.setToolTip(
            self.tr("Without a key or a click for this long, active time stops counting.")
        )
        form.addRow(self.tr("Idle after"), self.idle)
        self.break_minutes = self._spin(prefs.break_minutes, 10, 240, self.tr(" min"))
        form.addRow(self.tr("Suggest a break after"), self.break_minutes)
        self.snooze = self._spin(prefs.snooze_minutes, 1, 60, self.tr(" min"))
        form.addRow(self.tr("Remind me again after"), self.snooze)
        self.kind_run = self._spin(prefs.kind_run, 5, 500, self.tr(" tasks"))
        form.addRow(self.tr("Suggest another kind after"), self.kind_run)
        self.lease_warn = QDoubleSpinBox(self)
        self.lease_warn.setRange(0.5, 72.0)
        self.lease_warn.setSingleStep(1.0)
        self.lease_warn.setSuffix(self.tr(" h"))
        self.lease_warn.setValue(prefs.lease_warn_hours)
        form.addRow(self.tr("Warn before a lease ends"), self.lease_warn)
        self.wage = QDoubleSpinBox(self)
        self.wage.setRange(0.0, 1000.0)
        self.wage.setDecimals(2)
        self.wage.setSuffix(
            self.tr(" %1/h").replace("%1", currency) if currency else self.tr(" /h")
        )
        self.wage.setSpecialValueText(self.tr("not set"))
        self.wage.setValue(float(prefs.reference_wage or 0))
        self.wage.setToolTip(
            self.tr("The hourly wage to compare your earnings with, e.g. the legal minimum.")
        )
        form.addRow(self.tr("Reference hourly wage"), self.wage)
        self.language = QComboBox(self)
        for code, name in (("", self.tr("As the system")), ("en", "English"), ("fr", "Français")):
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(prefs.language), 0))
        form.addRow(self.tr("Language"), self.language)
        layout.addLayout(form)
        note = QLabel(self.tr("A new language applies the next time Ouvrage starts."), self)
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _spin(self, value: int, low: int, high: int, suffix: str) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setValue(value)
        return box

    def preferences(self) -> Preferences:
        return Preferences(
            idle_after_s=self.idle.value(),
            break_minutes=self.break_minutes.value(),
            snooze_minutes=self.snooze.value(),
            kind_run=self.kind_run.value(),
            lease_warn_hours=self.lease_warn.value(),
            reference_wage=f"{self.wage.value():.2f}",
            language=str(self.language.currentData() or ""),
        ).bounded()
