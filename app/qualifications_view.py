"""The contributor's qualifications and accuracy: certificates held, tests to take, and
what the running accuracy on hidden test questions unlocks or risks. Offline: it shows
what the last sync brought (``server.qualifications`` and ``server.accuracy``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from widgets.rowmodel import RowTableModel

__all__ = ["QualificationsView"]


translate = QCoreApplication.translate


def _when(value: Any) -> str:
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    stamp = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
    return QLocale().toString(stamp, QLocale.FormatType.ShortFormat)


def _percent(score: Any) -> str:
    return "" if score is None else f"{round(float(score) * 100)} %"


STATUS_TEXT = {
    "none": QT_TRANSLATE_NOOP("QualificationsView", "Not taken"),
    "pending": QT_TRANSLATE_NOOP("QualificationsView", "Being graded"),
    "passed": QT_TRANSLATE_NOOP("QualificationsView", "Passed"),
    "failed": QT_TRANSLATE_NOOP("QualificationsView", "Failed"),
}


class QualificationModel(RowTableModel[dict]):
    COLUMNS = ("title", "kind", "status", "score", "certificate", "retry")

    def __init__(self, parent: Any = None) -> None:
        headers = [
            translate("QualificationsView", "Qualification"),
            translate("QualificationsView", "Kind"),
            translate("QualificationsView", "Status"),
            translate("QualificationsView", "Last score"),
        ]
        headers += [
            translate("QualificationsView", "Certificate"),
            translate("QualificationsView", "Next try"),
        ]
        super().__init__(headers, parent)
        self.kind_titles: dict[str, str] = {}  # kind id → title, once the kinds are loaded

    def cell(self, row: dict, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        status = row.get("status", "none")
        if role == Qt.ItemDataRole.ToolTipRole:
            mark = _percent(row.get("pass_mark"))
            return (
                (row.get("description") or row["title"])
                + "\n"
                + translate("QualificationsView", "%1 tasks; passing mark %2.")
                .replace("%1", str(row.get("task_count", "")))
                .replace("%2", mark)
            )
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            return QColor({"passed": "#1a7f37", "failed": "#b3261e"}.get(status, "#57606a"))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "title":
            return row["title"]
        if column == "kind":
            return self.kind_titles.get(row["kind"], row["kind"])
        if column == "status":
            return translate("QualificationsView", STATUS_TEXT.get(status, status))
        if column == "score":
            return _percent(row.get("last_score"))
        if column == "certificate":
            certificate = row.get("certificate")
            if not certificate:
                return ""
            return translate("QualificationsView", "Earned %1").replace(
                "%1", _when(certificate.get("earned_at"))
            )
        if column == "retry":
            return _when(row.get("retry_at"))
        return None


class AccuracyModel(RowTableModel[dict]):
    COLUMNS = ("kind", "graded", "mean", "status", "consequence")

    def __init__(self, parent: Any = None) -> None:
        headers = [
            translate("QualificationsView", "Kind"),
            translate("QualificationsView", "Test questions graded"),
            translate("QualificationsView", "Accuracy"),
            translate("QualificationsView", "Standing"),
        ]
        headers += [translate("QualificationsView", "What it means")]
        super().__init__(headers, parent)
        self.kind_titles: dict[str, str] = {}

    def cell(self, row: dict, index: int, role: int) -> Any:
        column = self.COLUMNS[index]
        status = row.get("status", "unrated")
        if role == Qt.ItemDataRole.ForegroundRole and column in ("status", "mean"):
            colours = {"good": "#1a7f37", "at_risk": "#9a6700", "withheld": "#b3261e"}
            return QColor(colours.get(status, "#57606a"))
        if role == Qt.ItemDataRole.ToolTipRole and column == "consequence":
            return row.get("consequence")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == "kind":
            return self.kind_titles.get(row["kind"], row["kind"])
        if column == "graded":
            return str(row.get("graded", 0))
        if column == "mean":
            return _percent(row.get("mean_score")) or "—"
        if column == "status":
            names = {
                "unrated": translate("QualificationsView", "Not rated yet"),
                "good": translate("QualificationsView", "Good"),
                "at_risk": translate("QualificationsView", "At risk"),
                "withheld": translate("QualificationsView", "Paused"),
            }
            return names.get(status, status)
        if column == "consequence":
            return row.get("consequence", "")
        return None


class QualificationsView(QWidget):
    """Qualifications with a "Take the test" button, and accuracy per kind."""

    testRequested = Signal(str)  # the test bundle to claim

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("qualificationsSummary")
        layout.addWidget(self.summary)

        held = QGroupBox(self.tr("Qualifications"), self)
        held_layout = QVBoxLayout(held)
        self.model = QualificationModel(self)
        self.table = self._table(self.model, self.tr("Qualifications"), held)
        held_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.note = QLabel(held)
        self.note.setWordWrap(True)
        self.take_button = QPushButton(self.tr("Take the test"), held)
        self.take_button.setObjectName("takeTest")
        self.take_button.setToolTip(
            self.tr("Download the test: a few tasks graded by the platform, unpaid.")
        )
        self.take_button.clicked.connect(self._take)
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.take_button)
        held_layout.addLayout(buttons)
        layout.addWidget(held, 1)

        accuracy = QGroupBox(self.tr("Accuracy on test questions"), self)
        accuracy_layout = QVBoxLayout(accuracy)
        explain = QLabel(
            self.tr(
                "A few tasks in ordinary bundles have answers the platform knows. Your "
                "accuracy on them can unlock qualifications, or pause a kind for a while."
            ),
            accuracy,
        )
        explain.setWordWrap(True)
        accuracy_layout.addWidget(explain)
        self.accuracy_model = AccuracyModel(self)
        self.accuracy_table = self._table(
            self.accuracy_model, self.tr("Accuracy by kind"), accuracy
        )
        self.accuracy_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        accuracy_layout.addWidget(self.accuracy_table)
        layout.addWidget(accuracy, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.set_data(None, None, signed_in=False)

    def _table(self, model: RowTableModel[dict], name: str, parent: QWidget) -> QTableView:
        table = QTableView(parent)
        table.setModel(model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def set_kind_titles(self, titles: dict[str, str]) -> None:
        """Show kinds by their titles (kind id → title) rather than their ids."""
        self.model.kind_titles = self.accuracy_model.kind_titles = titles
        for model in (self.model, self.accuracy_model):
            if model.rowCount():
                last = model.index(model.rowCount() - 1, model.columnCount() - 1)
                model.dataChanged.emit(model.index(0, 0), last)

    def set_data(
        self, qualifications: dict | None, accuracy: dict | None, *, signed_in: bool
    ) -> None:
        """Show what the last sync stored (``QualificationList``/``AccuracyReport`` dumps)."""
        rows = list((qualifications or {}).get("qualifications", []))
        self.model.set_rows(rows)
        self.accuracy_model.set_rows(list((accuracy or {}).get("kinds", [])))
        self._signed_in = signed_in
        held = [r for r in rows if r.get("certificate")]
        if not rows:
            self.summary.setText(
                self.tr("Sync with a task server to see its qualifications.")
                if not signed_in
                else self.tr("This server offers no qualifications.")
            )
        else:
            self.summary.setText(
                self.tr(
                    "You hold %1 of %n qualification(s). Bundles that need one unlock once it "
                    "is earned.",
                    None,
                    len(rows),
                ).replace("%1", str(len(held)))
            )
        if rows and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._selected()

    def selected(self) -> dict | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _selected(self) -> None:
        row = self.selected()
        can_take = bool(getattr(self, "_signed_in", False)) and bool(
            row and row.get("test_bundle_id")
        )
        self.take_button.setEnabled(can_take)
        if row is None:
            self.note.clear()
        elif row.get("status") == "passed":
            self.note.setText(self.tr("Passed: the bundles that need it are open to you."))
        elif row.get("retry_at") and not row.get("test_bundle_id"):
            self.note.setText(
                self.tr("You can try again from %1.").replace("%1", _when(row["retry_at"]))
            )
        elif row.get("status") == "pending":
            self.note.setText(self.tr("Your answers are being graded; sync to see the result."))
        else:
            self.note.setText(
                self.tr("%1 tasks, graded by the platform; %2 to pass. Unpaid.")
                .replace("%1", str(row.get("task_count", "")))
                .replace("%2", _percent(row.get("pass_mark")))
            )

    def _take(self) -> None:
        row = self.selected()
        if row and row.get("test_bundle_id"):
            self.take_button.setEnabled(False)
            self.note.setText(self.tr("Downloading the test…"))
            self.testRequested.emit(row["test_bundle_id"])
