"""The task queue: a table model over the store's rows, filtered by kind, bundle and state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.formatting import money

if TYPE_CHECKING:
    from app.store import TaskRow

Index = QModelIndex | QPersistentModelIndex

STATE_COLOURS = {
    "new": "#1f6feb",
    "draft": "#9a6700",
    "queued": "#6e40c9",
    "sent": "#0a7ea4",
    "accepted": "#1a7f37",
    "rejected": "#cf222e",
}


def state_label(state: str) -> str:
    from PySide6.QtCore import QCoreApplication

    labels = {
        "new": QCoreApplication.translate("state", "New"),
        "draft": QCoreApplication.translate("state", "Draft"),
        "queued": QCoreApplication.translate("state", "Queued"),
        "sent": QCoreApplication.translate("state", "Sent"),
        "accepted": QCoreApplication.translate("state", "Accepted"),
        "rejected": QCoreApplication.translate("state", "Rejected"),
    }
    return labels.get(state, state)


class TaskQueueModel(QAbstractTableModel):
    COLUMNS = ("state", "summary", "bundle", "reward")
    KeyRole = Qt.ItemDataRole.UserRole + 1
    StateRole = Qt.ItemDataRole.UserRole + 2
    KindRole = Qt.ItemDataRole.UserRole + 3
    BundleRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[TaskRow] = []
        self._row_of: dict[str, int] = {}
        self._locale = QLocale()

    def set_rows(self, rows: list[TaskRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._row_of = {row.id: i for i, row in enumerate(self._rows)}
        self.endResetModel()

    def update_rows(self, rows: list[TaskRow]) -> None:
        """Replace the given tasks in place (after a save or submit), keeping selection."""
        for row in rows:
            i = self._row_of.get(row.id)
            if i is None:
                continue
            self._rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.COLUMNS) - 1))

    def row_for(self, key: str) -> int | None:
        return self._row_of.get(key)

    def task_at(self, row: int) -> TaskRow:
        return self._rows[row]

    def keys(self) -> list[str]:
        return [row.id for row in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("State"), self.tr("Task"), self.tr("Bundle"), self.tr("Reward"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "state":
                return state_label(task.state)
            if column == "summary":
                return task.summary
            if column == "bundle":
                return task.bundle_id
            if column == "reward":
                return money(task.reward, task.currency, self._locale)
        elif role == Qt.ItemDataRole.ForegroundRole and column == "state":
            return QBrush(QColor(STATE_COLOURS.get(task.state, "#57606a")))
        elif role == Qt.ItemDataRole.ToolTipRole and column == "summary":
            return task.summary
        elif role == Qt.ItemDataRole.TextAlignmentRole and column == "reward":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == self.KeyRole:
            return task.id
        elif role == self.StateRole:
            return task.state
        elif role == self.KindRole:
            return task.kind
        elif role == self.BundleRole:
            return task.bundle_id
        return None


class TaskFilterModel(QSortFilterProxyModel):
    """Filters in memory, so changing a filter on 10,000 tasks needs no database round trip."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._kind: str | None = None
        self._bundle: str | None = None
        self._state: str | None = None

    def set_filters(self, *, kind: str | None, bundle: str | None, state: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._kind, self._bundle, self._state = kind, bundle, state
            self.endFilterChange()
        else:
            self._kind, self._bundle, self._state = kind, bundle, state
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        assert isinstance(model, TaskQueueModel)
        task = model.task_at(source_row)
        return (
            (self._kind is None or task.kind == self._kind)
            and (self._bundle is None or task.bundle_id == self._bundle)
            and (self._state is None or task.state == self._state)
        )
