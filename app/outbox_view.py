"""The outbox: every submitted result and where it stands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.changes import TASK_STATES
from app.queue_view import STATE_COLOURS, state_label, state_labels
from widgets.rowmodel import RowTableModel

if TYPE_CHECKING:
    from app.store import OutboxRow

Index = QModelIndex | QPersistentModelIndex


translate = QCoreApplication.translate


class OutboxModel(RowTableModel["OutboxRow"]):
    COLUMNS = ("state", "summary", "created", "attempts", "error", "uuid")

    def __init__(self, parent: Any = None) -> None:
        headers = [
            translate("OutboxModel", "State"),
            translate("OutboxModel", "Task"),
            translate("OutboxModel", "Submitted"),
            translate("OutboxModel", "Attempts"),
        ]
        headers += [translate("OutboxModel", "Why"), translate("OutboxModel", "Idempotency key")]
        super().__init__(headers, parent)
        self._locale = QLocale()
        self._states = state_labels()

    def cell(self, item: OutboxRow, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "state":
                return self._states.get(item.state, item.state)
            if column == "summary":
                return item.summary
            if column == "created":
                when = QDateTime.fromString(item.created_at, Qt.DateFormat.ISODateWithMs)
                return self._locale.toString(when.toLocalTime(), QLocale.FormatType.ShortFormat)
            if column == "attempts":
                return item.attempts
            if column == "error":
                return item.note
            if column == "uuid":
                return item.uuid
        elif role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return QBrush(QColor(STATE_COLOURS.get(item.state, "#57606a")))
        elif role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(filter(None, [item.task_id, item.note, item.uuid]))
        return None


class OutboxView(QWidget):
    """A read-only table of the outbox with a one-line explanation above it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutboxModel(self)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("outboxSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableView(self)
        self.table.setObjectName("outboxTable")
        self.table.setAccessibleName(self.tr("Outbox"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not from the rows: the outbox may hold thousands of results.
        widths = {
            0: max((state_label(state) for state in TASK_STATES), key=metrics.horizontalAdvance),
            2: "00/00/0000 00:00",
            3: self.model.headerData(3, Qt.Orientation.Horizontal),
            4: self.tr("The lease ended before the result came"),
            5: "0" * 36,
        }
        for column, sample in widths.items():
            header.resizeSection(column, metrics.horizontalAdvance(str(sample)) + 24)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[OutboxRow]) -> None:
        self.model.set_rows(rows)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.state] = counts.get(row.state, 0) + 1
        if not rows:
            self.summary.setText(
                self.tr("Nothing submitted yet. Results you submit wait here until they are sent.")
            )
            return
        parts = [
            self.tr("%1 waiting to be sent").replace("%1", str(counts.get("queued", 0))),
            self.tr("%1 sent").replace("%1", str(counts.get("sent", 0))),
            self.tr("%1 accepted").replace("%1", str(counts.get("accepted", 0))),
            self.tr("%1 refused").replace("%1", str(counts.get("rejected", 0))),
        ]
        text = " · ".join(parts)
        if counts.get("queued"):
            text += self.tr(". Waiting results are kept safely on this computer until a sync.")
        self.summary.setText(text)
