"""The tables of the earnings view: totals per period, per kind with hourly wages, and the
newest ledger entries. Each model only shows a ``Summary`` computed elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, QObject, Qt, QTimeZone
from PySide6.QtGui import QBrush, QColor, QFont

from app.earnings import HourlyRate, LedgerLine, Period, Totals
from app.formatting import money
from widgets.rowmodel import RowTableModel

ABOVE_COLOUR = "#1a7f37"
BELOW_COLOUR = "#cf222e"
STATUS_COLOURS = {
    "pending": "#9a6700",
    "approved": "#1a7f37",
    "paid": "#0a7ea4",
    "rejected": "#cf222e",
}
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


translate = QCoreApplication.translate


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def period_title(key: date, period: Period, locale: QLocale) -> str:
    """The period starting on ``key`` in full: a date, "Week of …", "November 2026", "2026"."""
    if period == "day":
        return locale.toString(qdate(key), QLocale.FormatType.ShortFormat)
    if period == "week":
        short = locale.toString(qdate(key), QLocale.FormatType.ShortFormat)
        return translate("EarningsView", "Week of %1").replace("%1", short)
    if period == "month":
        name = locale.standaloneMonthName(key.month, QLocale.FormatType.LongFormat)
        return f"{name} {key.year}"
    return str(key.year)


def period_short(key: date, period: Period, locale: QLocale) -> str:
    """A label short enough to sit under a bar."""
    if period in ("day", "week"):
        month = locale.standaloneMonthName(key.month, QLocale.FormatType.ShortFormat)
        return f"{key.day} {month}"
    if period == "month":
        month = locale.standaloneMonthName(key.month, QLocale.FormatType.ShortFormat)
        return month if key.month != 1 else f"{month} {key.year}"
    return str(key.year)


def kind_title(kind: str) -> str:
    """A readable name for a kind id when the kinds are not loaded: ``photo_clip`` → Photo clip."""
    return (
        kind.replace("_", " ").capitalize()
        if kind
        else translate("EarningsView", "Bonuses and other")
    )


def entry_kind_label(kind: str) -> str:
    labels = {
        "task_reward": translate("EarningsView", "Task"),
        "bonus": translate("EarningsView", "Bonus"),
        "payout": translate("EarningsView", "Payout"),
    }
    return labels.get(kind, kind)


def status_label(status: str) -> str:
    labels = {
        "pending": translate("EarningsView", "Pending"),
        "approved": translate("EarningsView", "Approved"),
        "rejected": translate("EarningsView", "Rejected"),
        "paid": translate("EarningsView", "Paid"),
    }
    return labels.get(status, status)


def hours_text(seconds: float, locale: QLocale) -> str:
    return translate("EarningsView", "%1 h").replace("%1", locale.toString(seconds / 3600, "f", 1))


def per_hour(amount: Decimal, currency: str, locale: QLocale) -> str:
    return translate("EarningsView", "%1/h").replace("%1", money(amount, currency, locale))


# ---------------------------------------------------------------- per period


@dataclass(frozen=True)
class PeriodRow:
    key: date
    totals: Totals


class PeriodModel(RowTableModel[PeriodRow]):
    COLUMNS = ("period", "earned", "pending", "rejected", "paid_out")

    def __init__(self, parent: QObject | None = None) -> None:
        headers = [
            translate("EarningsView", "Period"),
            translate("EarningsView", "Earned"),
            translate("EarningsView", "Pending"),
            translate("EarningsView", "Rejected"),
        ]
        super().__init__([*headers, translate("EarningsView", "Paid out")], parent)
        self._locale = QLocale()
        self.period: Period = "month"
        self.currency = ""

    def show(self, rows: list[PeriodRow], period: Period, currency: str) -> None:
        self.period, self.currency = period, currency
        self.set_rows(rows)

    def cell(self, row: PeriodRow, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "period":
                return period_title(row.key, self.period, self._locale)
            return money(getattr(row.totals, column), self.currency, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "period":
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == "rejected" and row.totals.rejected:
            return translate(
                "EarningsView",
                "%Ln task(s) rejected; they earn nothing.",
                None,
                row.totals.rejected_tasks,
            )
        return None


# ---------------------------------------------------------------- per kind, per hour


@dataclass(frozen=True)
class KindRow:
    kind: str
    title: str
    totals: Totals
    rate: HourlyRate | None
    overall: bool = False


class KindModel(RowTableModel[KindRow]):
    COLUMNS = ("kind", "approved", "rejected", "earned", "pending", "on_active", "on_all")

    def __init__(self, parent: QObject | None = None) -> None:
        headers = [
            translate("EarningsView", "Kind"),
            translate("EarningsView", "Approved"),
            translate("EarningsView", "Rejected"),
            translate("EarningsView", "Earned"),
            translate("EarningsView", "Pending"),
        ]
        super().__init__(
            [
                *headers,
                translate("EarningsView", "Hourly, active"),
                translate("EarningsView", "Hourly, all time"),
            ],
            parent,
        )
        self._locale = QLocale()
        self.currency = ""
        self.reference: Decimal | None = None

    def show(self, rows: list[KindRow], currency: str) -> None:
        self.currency = currency
        self.set_rows(rows)

    def set_reference(self, reference: Decimal | None) -> None:
        """The contributor's reference wage per hour; None or 0 when not set."""
        self.reference = reference if reference else None
        if self.rowCount():
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, last - 1), self.index(self.rowCount() - 1, last))

    def rate_of(self, row: KindRow, column: str) -> Decimal | None:
        if row.rate is None:
            return None
        return row.rate.on_active if column == "on_active" else row.rate.on_all

    def comparison(self, row: KindRow, column: str) -> int:
        """1 above (or at) the reference wage, -1 below it, 0 when either is unknown."""
        rate = self.rate_of(row, column)
        if rate is None or self.reference is None:
            return 0
        return 1 if rate >= self.reference else -1

    def cell(self, row: KindRow, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        rate_column = column in ("on_active", "on_all")
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != "kind":
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and row.overall:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and rate_column:
            side = self.comparison(row, column)
            if side:
                return QBrush(QColor(ABOVE_COLOUR if side > 0 else BELOW_COLOUR))
        if role == Qt.ItemDataRole.ToolTipRole and rate_column:
            return self._rate_tooltip(row, column)
        return None

    def _text(self, row: KindRow, column: str) -> str:
        totals = row.totals
        if column == "kind":
            return row.title
        if column == "approved":
            return self._locale.toString(totals.approved_tasks)
        if column == "rejected":
            return self._locale.toString(totals.rejected_tasks)
        if column in ("earned", "pending"):
            return money(getattr(totals, column), self.currency, self._locale)
        rate = self.rate_of(row, column)
        if rate is None:
            return "—"
        arrow = {1: " ▲", -1: " ▼", 0: ""}[self.comparison(row, column)]
        return per_hour(rate, self.currency, self._locale) + arrow

    def _rate_tooltip(self, row: KindRow, column: str) -> str:
        rate = self.rate_of(row, column)
        if row.rate is None or rate is None:
            return translate(
                "EarningsView",
                "No working time measured for this kind yet: the wage per hour is unknown.",
            )
        earned = money(row.rate.earned, self.currency, self._locale)
        if column == "on_active":
            text = translate(
                "EarningsView",
                "Per hour of active work: %1 earned over %2 when the task had your focus "
                "and you were working.",
            ).replace("%2", hours_text(row.rate.active_s, self._locale))
        else:
            text = translate(
                "EarningsView",
                "Per hour of all the time it took: %1 earned over %2 — the time tasks were "
                "open, rejected work included, plus downloads.",
            ).replace("%2", hours_text(row.rate.all_s, self._locale))
        text = text.replace("%1", earned)
        if self.reference is None:
            return (
                text + "\n" + translate("EarningsView", "Set a reference wage to compare it with.")
            )
        share = self._locale.toString(float(rate / self.reference * 100), "f", 0)
        reference = per_hour(self.reference, self.currency, self._locale)
        return (
            text
            + "\n"
            + translate("EarningsView", "That is %1 % of your reference wage of %2.")
            .replace("%1", share)
            .replace("%2", reference)
        )


# ---------------------------------------------------------------- newest entries


class RecentModel(RowTableModel[LedgerLine]):
    COLUMNS = ("date", "type", "status", "amount", "kind", "reason")

    def __init__(self, parent: QObject | None = None) -> None:
        headers = [
            translate("EarningsView", "Date"),
            translate("EarningsView", "Type"),
            translate("EarningsView", "Status"),
            translate("EarningsView", "Amount"),
            translate("EarningsView", "Kind"),
        ]
        super().__init__([*headers, translate("EarningsView", "Reason")], parent)
        self._locale = QLocale()
        self.titles: dict[str, str] = {}

    def show(self, lines: list[LedgerLine], titles: dict[str, str]) -> None:
        self.titles = titles
        self.set_rows(lines)

    def cell(self, line: LedgerLine, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "amount":
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QBrush(QColor(STATUS_COLOURS.get(line.status, "#57606a")))
        if role == Qt.ItemDataRole.ToolTipRole:
            when = self._locale.toString(_local(line.occurred_at), QLocale.FormatType.LongFormat)
            return "\n".join(filter(None, [when, line.reason, line.task_id, line.entry_id]))
        return None

    def _text(self, line: LedgerLine, column: str) -> str:
        if column == "date":
            day = _local(line.occurred_at).date()
            return self._locale.toString(day, QLocale.FormatType.ShortFormat)
        if column == "type":
            return entry_kind_label(line.entry_kind)
        if column == "status":
            return status_label(line.status)
        if column == "amount":
            return money(line.amount, line.currency, self._locale)
        if column == "kind":
            kind = line.task_kind
            return self.titles.get(kind, kind_title(kind)) if kind else ""
        return line.reason


def _local(moment: datetime) -> QDateTime:
    """The ledger's moment in the contributor's time zone."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    utc = QDateTime.fromSecsSinceEpoch(int(aware.timestamp()), QTimeZone.utc())
    return utc.toLocalTime()
