"""The task queue: a table model over the store's rows, filtered by kind, bundle and state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.changes import TASK_STATES
from app.formatting import money
from widgets.rowmodel import RowTableModel

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


# Marked for lupdate here, translated when asked for (the translator is installed by then).
_STATE_TEXTS = {
    "new": QT_TRANSLATE_NOOP("state", "New"),
    "draft": QT_TRANSLATE_NOOP("state", "Draft"),
    "queued": QT_TRANSLATE_NOOP("state", "Queued"),
    "sent": QT_TRANSLATE_NOOP("state", "Sent"),
    "accepted": QT_TRANSLATE_NOOP("state", "Accepted"),
    "rejected": QT_TRANSLATE_NOOP("state", "Rejected"),
}


def state_label(state: str) -> str:
    """The state as the contributor reads it."""
    text = _STATE_TEXTS.get(state)
    return QCoreApplication.translate("state", text) if text is not None else state


def state_labels() -> dict[str, str]:
    """Every state's label: the tables translate them once, as every cell asks for one."""
    return {state: state_label(state) for state in _STATE_TEXTS}


class TaskQueueModel(RowTableModel["TaskRow"]):
    COLUMNS = ("state", "summary", "bundle", "reward")
    KeyRole = Qt.ItemDataRole.UserRole + 1
    StateRole = Qt.ItemDataRole.UserRole + 2
    KindRole = Qt.ItemDataRole.UserRole + 3
    BundleRole = Qt.ItemDataRole.UserRole + 4

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (self.tr("State"), self.tr("Task"), self.tr("Bundle"), self.tr("Reward")), parent
        )
        self._row_of: dict[str, int] = {}
        self._locale = QLocale()
        self._states = state_labels()

    def _rows_reset(self) -> None:
        self._row_of = {row.id: i for i, row in enumerate(self._rows)}

    def _rows_appended(self, first: int) -> None:
        self._row_of.update((row.id, first + i) for i, row in enumerate(self._rows[first:]))

    def update_rows(self, rows: list[TaskRow]) -> None:
        """Replace the given tasks in place (after a save or submit), keeping selection."""
        for row in rows:
            i = self._row_of.get(row.id)
            if i is not None:
                self.replace_row(i, row)

    def row_for(self, key: str) -> int | None:
        return self._row_of.get(key)

    def task_at(self, row: int) -> TaskRow:
        return self._rows[row]

    def cell(self, task: TaskRow, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "state":
                return self._states.get(task.state, task.state)
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


class QueuePanel(QWidget):
    """Filters over the task table and a count of what is shown.

    Emits ``taskChosen(key)`` when the contributor moves to a task; the window
    decides what opening it means.
    """

    taskChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        self.kind_filter = self._combo(self.tr("Filter by kind"), self.tr("All kinds"))
        self.bundle_filter = self._combo(self.tr("Filter by bundle"), self.tr("All bundles"))
        self.state_filter = self._combo(self.tr("Filter by state"), self.tr("All states"))
        for state in TASK_STATES:
            self.state_filter.addItem(state_label(state), state)
        for combo in (self.kind_filter, self.bundle_filter, self.state_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
            filters.addWidget(combo)
        layout.addLayout(filters)

        self.model = TaskQueueModel(self)
        self.proxy = TaskFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = table = QTableView(self)
        table.setObjectName("taskQueue")
        table.setAccessibleName(self.tr("Task queue"))
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        # Widths from the font: ResizeToContents would measure all 10,000 rows at start-up.
        metrics = table.fontMetrics()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        widest_state = max(metrics.horizontalAdvance(state_label(s)) for s in TASK_STATES)
        header.resizeSection(0, widest_state + 24)
        header.resizeSection(2, metrics.horizontalAdvance("demo-en-fr-app") + 16)
        reward_title = self.model.headerData(3, Qt.Orientation.Horizontal)
        reward = max(metrics.horizontalAdvance("€00.000"), metrics.horizontalAdvance(reward_title))
        header.resizeSection(3, reward + 16)
        table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.selectionModel().currentRowChanged.connect(self._row_changed)
        layout.addWidget(table, 1)
        self.count = QLabel(self)
        layout.addWidget(self.count)
        self._loading = 0  # tasks in all while only the first screenful is shown

    def _combo(self, accessible_name: str, all_label: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(accessible_name)
        combo.addItem(all_label, None)
        return combo

    def add_kind(self, kind_id: str, title: str) -> None:
        self.kind_filter.addItem(title, kind_id)

    def set_contents(self, rows: list[TaskRow], bundles: list[dict[str, Any]]) -> None:
        """Replace every row and the bundle filter's choices, keeping the chosen bundle."""
        self._loading = 0
        self.model.set_rows(rows)
        chosen = self.bundle_filter.currentData()
        self.bundle_filter.blockSignals(True)
        self.bundle_filter.clear()
        self.bundle_filter.addItem(self.tr("All bundles"), None)
        for bundle in bundles:
            self.bundle_filter.addItem(bundle["title"], bundle["id"])
            self.bundle_filter.setItemData(
                self.bundle_filter.count() - 1, bundle["id"], Qt.ItemDataRole.ToolTipRole
            )
        self.bundle_filter.setCurrentIndex(max(0, self.bundle_filter.findData(chosen)))
        self.bundle_filter.blockSignals(False)
        self.apply_filters()

    def show_first_rows(
        self, rows: list[TaskRow], bundles: list[dict[str, Any]], total: int
    ) -> None:
        """The first screenful of a long queue, while the rest (``total`` in all) is read."""
        self.set_contents(rows, bundles)
        if total > len(rows):
            self._loading = total
            reading = self.tr("Reading %1 tasks…")
            self.count.setText(reading.replace("%1", QLocale().toString(total)))

    def append_rows(self, rows: list[TaskRow]) -> None:
        """The rest of the queue after ``show_first_rows``: added below, the selection kept."""
        self.model.append_rows(rows)
        self._loading = 0
        self._show_count()

    def update_rows(self, rows: list[TaskRow]) -> None:
        self.model.update_rows(rows)
        self.apply_filters()

    def apply_filters(self) -> None:
        self.proxy.set_filters(
            kind=self.kind_filter.currentData(),
            bundle=self.bundle_filter.currentData(),
            state=self.state_filter.currentData(),
        )
        self._show_count()

    def _show_count(self) -> None:
        if self._loading:
            return  # "Reading N tasks…" until the rest of the queue is in
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(
            self.tr("%1 of %2 tasks shown").replace("%1", str(shown)).replace("%2", str(total))
        )

    def select(self, key: str) -> None:
        """Show ``key`` as the current row without emitting ``taskChosen``."""
        row = self.model.row_for(key)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().blockSignals(True)
            self.table.setCurrentIndex(index)
            self.table.selectionModel().blockSignals(False)
            self.table.scrollTo(index)

    def move(self, step: int) -> None:
        """Make the previous or next row current (the first when none is)."""
        count = self.proxy.rowCount()
        if count == 0:
            return
        row = self.table.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + step))
        self.table.setCurrentIndex(self.proxy.index(row, 0))

    def next_open(self, after_key: str) -> str | None:
        """The next task in the shown order that still needs work, wrapping around."""
        keys = [
            self.proxy.index(r, 0).data(TaskQueueModel.KeyRole)
            for r in range(self.proxy.rowCount())
        ]
        if after_key in keys:
            at = keys.index(after_key)
            keys = keys[at + 1 :] + keys[:at]
        for key in keys:
            row = self.model.row_for(key)
            if row is not None and self.model.task_at(row).state in ("new", "draft"):
                return key
        return None

    def position_of(self, key: str) -> tuple[int, int] | None:
        row = self.model.row_for(key)
        # While the rest of a long queue is read, the count is the one already known.
        return None if row is None else (row + 1, max(self.model.rowCount(), self._loading))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.taskChosen.emit(current.data(TaskQueueModel.KeyRole))
