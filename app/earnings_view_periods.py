"""Earnings over time: a day/week/month/year switch, a bar chart of the last periods and a
table of every period with entries."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, QLocale
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.earnings import PERIODS, Period, Summary, Totals, last_periods
from app.earnings_view_models import PeriodModel, PeriodRow, period_short, period_title
from app.formatting import money
from widgets.barchart import BarChart

# How many periods the chart shows, up to the current one (years: since the first entry).
CHART_PERIODS: dict[Period, int] = {"day": 30, "week": 16, "month": 12, "year": 10}


def make_table(parent: QWidget, model: QAbstractItemModel, name: str) -> QTableView:
    """A read-only table in the view's style: whole rows selected, no row numbers."""
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    return table


class PeriodPanel(QGroupBox):
    """Shows one ``Summary`` per day, week, month or year; ``show_period`` switches."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Over time"))
        self.period: Period = "month"
        self._summary: Summary | None = None
        self._today = date.today()
        column = QVBoxLayout(self)
        switch = QHBoxLayout()
        switch.setSpacing(0)
        self.group = QButtonGroup(self)
        self.buttons: dict[Period, QPushButton] = {}
        names = {"day": self.tr("Day"), "week": self.tr("Week")}
        names |= {"month": self.tr("Month"), "year": self.tr("Year")}
        for period in PERIODS:
            button = QPushButton(names[period], self)
            button.setCheckable(True)
            button.setObjectName(f"period_{period}")
            button.setChecked(period == self.period)
            button.clicked.connect(lambda _=False, p=period: self.show_period(p))
            self.group.addButton(button)
            self.buttons[period] = button
            switch.addWidget(button)
        switch.addStretch(1)
        column.addLayout(switch)
        self.chart = BarChart(self, accessible_name=self.tr("Earnings per period"))
        self.chart.setObjectName("earningsChart")
        self.chart.set_message(self.tr("Computing…"))
        self.chart.set_series_names(self.tr("Earned"), self.tr("Pending"))
        self.chart.setMinimumHeight(180)
        column.addWidget(self.chart, 3)
        self.model = PeriodModel(self)
        self.table = make_table(self, self.model, self.tr("Totals per period"))
        self.table.setObjectName("periodTable")
        column.addWidget(self.table, 2)

    def show_summary(self, summary: Summary, today: date) -> None:
        self._summary, self._today = summary, today
        self.show_period(self.period)

    def show_failure(self, text: str) -> None:
        self.chart.clear(text)

    def show_period(self, period: Period) -> None:
        """Switch the chart and the table to days, weeks, months or years."""
        self.period = period
        self.buttons[period].setChecked(True)
        summary, today, locale = self._summary, self._today, QLocale()
        if summary is None:
            return
        buckets = summary.by_period[period]
        rows = [PeriodRow(key, buckets[key]) for key in sorted(buckets, reverse=True)]
        self.model.show(rows, period, summary.currency)
        count = CHART_PERIODS[period]
        if period == "year":
            first = min(buckets).year if buckets else today.year
            count = min(max(today.year - first + 1, 1), count)
        keys = last_periods(today, period, count)
        empty = Totals()
        shown = [buckets.get(key, empty) for key in keys]
        currency = summary.currency
        self.chart.set_value_formatter(lambda value: money(value, currency, locale))
        self.chart.set_bars(
            [period_short(key, period, locale) for key in keys],
            [float(t.earned) for t in shown],
            [float(t.pending) for t in shown],
            titles=[period_title(key, period, locale) for key in keys],
        )
        cap = summary.cap.cap
        if period == "year" and cap is not None:
            self.chart.set_reference(float(cap), self.tr("Yearly cap"))
        else:
            self.chart.set_reference(None)
