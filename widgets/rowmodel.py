"""A read-only table model over a list of rows: subclasses say how a cell looks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

log = logging.getLogger(__name__)
Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows in, cells out: ``cell(row, column, role)`` is all a subclass writes."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._rows_reset()
        self.endResetModel()

    def append_rows(self, rows: Sequence[Row]) -> None:
        """Add ``rows`` after the last one: views keep their selection and scroll position."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._rows_appended(first)
        self.endInsertRows()

    def _rows_reset(self) -> None:
        """Hook for subclasses that index their rows."""

    def _rows_appended(self, first: int) -> None:
        """Hook for subclasses that index their rows: rows from ``first`` on are new."""
        self._rows_reset()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return list(self._rows)

    def replace_row(self, index: int, row: Row) -> None:
        self._rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(self._headers) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        try:
            return self.cell(self._rows[index.row()], index.column(), role)
        except Exception:  # noqa: BLE001
            # An exception escaping into Qt's painting can take the process down: a cell
            # that cannot be shown stays empty and the error goes to the log.
            log.exception("cannot show row %d, column %d", index.row(), index.column())
            return None

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError
