"""Year to date against the platform's yearly cap: a bar, and a warning from 80 %."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from app.earnings import CapStatus
from app.formatting import money

CAP_COLOURS = {"ok": "#1f6feb", "near": "#bf8700", "reached": "#cf222e", "unknown": "#8c959f"}


translate = QCoreApplication.translate


def _percent(share: float, locale: QLocale) -> str:
    return translate("EarningsView", "%1 %").replace("%1", locale.toString(share * 100, "f", 0))


class CapPanel(QWidget):
    """Year to date against the platform's yearly cap, with a warning from 80 %."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.label = QLabel(translate("EarningsView", "Computing…"), self)
        self.label.setObjectName("capText")
        self.label.setToolTip(
            translate(
                "EarningsView",
                "Counted as the platform counts it: this calendar year's rewards and bonuses, "
                "pending ones included, rejected ones not.",
            )
        )
        self.bar = QProgressBar(self)
        self.bar.setObjectName("capBar")
        self.bar.setAccessibleName(translate("EarningsView", "Share of the yearly cap used"))
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(12)
        self.warning = QLabel(self)
        self.warning.setObjectName("capWarning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.warning)
        self.level = "unknown"

    def show_cap(self, cap: CapStatus, currency: str, *, other_currency: str = "") -> None:
        locale = QLocale()
        self.level = cap.level
        earned = money(cap.earned, currency, locale)
        year = str(cap.year)
        if cap.cap is None:
            text = translate(
                "EarningsView", "Year to date %1: %2. Yearly cap unknown — sync once to learn it."
            )
            if other_currency:
                text = translate(
                    "EarningsView",
                    "Year to date %1: %2. The server's yearly cap is in %3, so it cannot be "
                    "compared with these earnings.",
                ).replace("%3", other_currency)
            self.label.setText(text.replace("%1", year).replace("%2", earned))
            self.bar.hide()
            self.warning.hide()
            return
        self.label.setText(
            translate(
                "EarningsView",
                "Year to date %1, pending work included: %2 of the %3 yearly cap (%4)",
            )
            .replace("%1", year)
            .replace("%2", earned)
            .replace("%3", money(cap.cap, currency, locale))
            .replace("%4", _percent(cap.share, locale))
        )
        self.bar.show()
        self.bar.setValue(round(1000 * min(cap.share, 1.0)))
        colour = CAP_COLOURS[cap.level]
        self.bar.setStyleSheet(
            "QProgressBar { border: 1px solid palette(mid); border-radius: 5px;"
            " background: palette(base); }"
            f" QProgressBar::chunk {{ background-color: {colour}; border-radius: 4px; }}"
        )
        left = money(cap.left or 0, currency, locale)
        if cap.level == "reached":
            warning = translate(
                "EarningsView",
                "⚠ You have reached this year's cap: the platform cannot pay you for more work "
                "before 1 January %1.",
            ).replace("%1", str(cap.year + 1))
        elif cap.level == "near":
            warning = (
                translate(
                    "EarningsView",
                    "⚠ %1 of the yearly cap used, %2 left: past the cap the platform cannot pay "
                    "you more this year.",
                )
                .replace("%1", _percent(cap.share, locale))
                .replace("%2", left)
            )
        else:
            self.warning.hide()
            self.bar.setToolTip(translate("EarningsView", "%1 left this year").replace("%1", left))
            return
        self.bar.setToolTip(warning)
        self.warning.setText(warning)
        self.warning.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.warning.show()
