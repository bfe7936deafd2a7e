"""Bundles a server offers: what each pays, how long it takes, how big it is; claim one."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.formatting import money
from sync.pay import expected_hourly_rate
from widgets.rowmodel import RowTableModel

translate = QCoreApplication.translate


def size_text(size: int) -> str:
    locale = QLocale()
    if size < 1024 * 1024:
        return translate("CatalogueView", "%1 KB").replace(
            "%1", locale.toString(max(1, round(size / 1024)))
        )
    return translate("CatalogueView", "%1 MB").replace(
        "%1", locale.toString(size / 1024 / 1024, "f", 1)
    )


def hourly_rate(entry: dict[str, Any]) -> str:
    """What the bundle pays per hour at its estimated pace, or a dash when unknown."""
    minutes = entry.get("estimated_minutes_per_task")
    per_hour = expected_hourly_rate(Decimal(str(entry["reward_per_task"])), minutes or None)
    if per_hour is None:
        return "—"
    return translate("CatalogueView", "%1/h").replace("%1", money(per_hour, entry["currency"]))


def availability(entry: dict[str, Any]) -> tuple[str, str]:
    """A short word on whether the bundle can be claimed now, and why not (a tooltip)."""
    if entry.get("locked"):
        title = entry.get("qualification_title") or entry.get("qualification") or ""
        return (
            translate("CatalogueView", "Needs a qualification"),
            translate(
                "CatalogueView", "Pass the “%1” test (Qualifications tab) to unlock this bundle."
            ).replace("%1", str(title)),
        )
    until = entry.get("withheld_until")
    if until:
        reason = entry.get("withheld_reason") or translate(
            "CatalogueView", "The platform rotates contributors."
        )
        when = datetime.fromisoformat(str(until)).astimezone()
        clock = QLocale().toString(QTime(when.hour, when.minute), QLocale.FormatType.ShortFormat)
        return translate("CatalogueView", "Not before %1").replace("%1", clock), str(reason)
    if entry.get("qualification"):
        return translate("CatalogueView", "Qualified"), translate(
            "CatalogueView", "You hold the qualification this bundle needs."
        )
    return "", ""


def claimable(entry: dict[str, Any]) -> bool:
    return not entry.get("locked") and not entry.get("withheld_until")


class CatalogueModel(RowTableModel[dict]):
    COLUMNS = ("title", "kind", "tasks", "reward", "time", "rate", "size", "deadline", "status")
    BundleRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        headers = [
            translate("CatalogueView", "Bundle"),
            translate("CatalogueView", "Kind"),
            translate("CatalogueView", "Tasks"),
            translate("CatalogueView", "Reward per task"),
        ]
        headers += [
            translate("CatalogueView", "Minutes per task"),
            translate("CatalogueView", "Expected rate"),
            translate("CatalogueView", "Download"),
            translate("CatalogueView", "Deadline"),
        ]
        headers += [translate("CatalogueView", "Status")]
        super().__init__(headers, parent)
        self._locale = QLocale()
        self.kind_titles: dict[str, str] = {}  # kind id → title, once the kinds are loaded

    def cell(self, entry: dict, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        if role == self.BundleRole:
            return entry["bundle_id"]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "status":
                return availability(entry)[1] or None
            return entry.get("description") or entry["title"]
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and not claimable(entry):
            return QColor("#9a6700")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "title":
            return entry["title"]
        if column == "kind":
            return self.kind_titles.get(entry["kind"], entry["kind"])
        if column == "tasks":
            return self._locale.toString(int(entry["task_count"]))
        if column == "reward":
            return money(Decimal(str(entry["reward_per_task"])), entry["currency"], self._locale)
        if column == "time":
            minutes = entry.get("estimated_minutes_per_task")
            return self._locale.toString(float(minutes), "f", 1) if minutes else "—"
        if column == "rate":
            return hourly_rate(entry)
        if column == "size":
            return size_text(int(entry["size_bytes"]))
        if column == "status":
            return availability(entry)[0]
        if column == "deadline":
            when = datetime.fromisoformat(entry["deadline"]).date()
            return self._locale.toString(
                QDate(when.year, when.month, when.day), QLocale.FormatType.ShortFormat
            )
        return None


class CatalogueView(QWidget):
    claimRequested = Signal(str)
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CatalogueModel(self)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("catalogueSummary")
        layout.addWidget(self.summary)
        self.table = QTableView(self)
        self.table.setObjectName("catalogueTable")
        self.table.setAccessibleName(self.tr("Offered bundles"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self._claim())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("downloadProgress")
        self.progress.hide()
        self.progress_text = QLabel(self)
        self.progress_text.setObjectName("downloadText")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setToolTip(self.tr("Sync now (F5)"))
        self.refresh_button.clicked.connect(self.refreshRequested)
        self.claim_button = QPushButton(self.tr("Claim and download"), self)
        self.claim_button.setObjectName("claimButton")
        self.claim_button.clicked.connect(self._claim)
        row.addWidget(self.progress, 1)
        row.addWidget(self.progress_text, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.claim_button)
        layout.addLayout(row)
        self.set_entries([], signed_in=False)

    def set_entries(self, entries: list[dict], *, signed_in: bool) -> None:
        self.model.set_rows(entries)
        if not signed_in:
            self.summary.setText(self.tr("Sign in to a task server to see the bundles it offers."))
        elif not entries:
            self.summary.setText(
                self.tr("Nothing on offer right now. Refresh when you are online.")
            )
        else:
            self.summary.setText(
                self.tr(
                    "%n bundle(s) on offer. Claim one to download it, then work offline.",
                    None,
                    len(entries),
                )
            )
        self._signed_in = signed_in
        self.refresh_button.setEnabled(signed_in)
        if entries and not self.table.currentIndex().isValid():
            first = next((i for i, e in enumerate(entries) if claimable(e)), 0)
            self.table.selectRow(first)
        self._selection_changed()

    def set_kind_titles(self, titles: dict[str, str]) -> None:
        """Show kinds by their titles (kind id → title) rather than their ids."""
        self.model.kind_titles = titles
        rows = self.model.rowCount()
        if rows:
            self.model.dataChanged.emit(self.model.index(0, 1), self.model.index(rows - 1, 1))

    def selected_entry(self) -> dict | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selection_changed(self) -> None:
        entry = self.selected_entry()
        ok = bool(getattr(self, "_signed_in", False)) and entry is not None and claimable(entry)
        self.claim_button.setEnabled(ok)
        if entry is not None and not claimable(entry):
            self.progress_text.setText(availability(entry)[1])

    def selected_bundle(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(CatalogueModel.BundleRole) if index.isValid() else None

    def _claim(self) -> None:
        entry = self.selected_entry()
        bundle_id = self.selected_bundle()
        if entry is not None and not claimable(entry):
            self.progress_text.setText(availability(entry)[1])
            return
        if bundle_id:
            self.claim_button.setEnabled(False)
            self.progress_text.setText(self.tr("Claiming…"))
            self.claimRequested.emit(bundle_id)

    def show_progress(self, step: Any) -> None:
        self.progress.show()
        total = max(1, int(step.total or 0))
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(1000 * min(1.0, step.received / total)))
        speed = size_text(int(step.bytes_per_second or 0))
        eta = step.eta_seconds
        eta_text = self.tr("%1 s left").replace("%1", str(round(eta))) if eta is not None else ""
        self.progress_text.setText(
            self.tr("%1 of %2 · %3/s · %4")
            .replace("%1", size_text(int(step.received)))
            .replace("%2", size_text(total))
            .replace("%3", speed)
            .replace("%4", eta_text)
        )

    def download_done(self, text: str) -> None:
        self.progress.hide()
        self.progress_text.setText(text)
        self._selection_changed()
        self.progress_text.setText(text)
