"""The Earnings tab: the ledger as the server last reported it, read offline from the store.

The frame paints at once with "Computing…" placeholders; the rows are read on the
database worker, summed on a network worker (so draft saves never wait behind a long
ledger) and shown on the UI thread. Tables show summaries, never all the entries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.earnings import Period, Totals
from app.earnings_view_cap import CapPanel
from app.earnings_view_data import (
    REFERENCE_WAGE_KEY,
    Computed,
    LedgerSnapshot,
    compute,
    read_snapshot,
    write_csv,
)
from app.earnings_view_models import (
    KindModel,
    KindRow,
    RecentModel,
    entry_kind_label,
    status_label,
)
from app.earnings_view_models import kind_title as kind_id_title
from app.earnings_view_periods import PeriodPanel, make_table
from app.formatting import money
from app.i18n import kind_title
from app.tasks import op

if TYPE_CHECKING:
    from app.context import AppContext
    from app.earnings import LedgerLine

MUTED = "color: #57606a;"


translate = QCoreApplication.translate


def ask_csv_path(parent: QWidget, suggested: Path) -> Path | None:
    """Where to export the ledger; None when the contributor cancels. Tests replace it."""
    path, _ = QFileDialog.getSaveFileName(
        parent,
        translate("EarningsView", "Export earnings as CSV"),
        str(suggested),
        translate("EarningsView", "CSV files (*.csv)"),
    )
    return Path(path) if path else None


class EarningsView(QWidget):
    """The Earnings tab. Call ``refresh()`` after a sync; the first show loads by itself."""

    summaryShown = Signal()  # a computed summary is on screen (tests and the benchmark wait on it)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.computed: Computed | None = None
        self._loading = False
        self._again = False
        self._requested = False
        self._titles: dict[str, str] = {}
        self._build()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        # In a scroll area: a small window is never forced wider by this tab.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        words = QVBoxLayout()
        self.headline = QLabel(self.tr("Computing…"), self)
        self.headline.setObjectName("earningsHeadline")
        self.headline.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.note = QLabel(self.tr("Reading the ledger kept on this computer…"), self)
        self.note.setObjectName("earningsNote")
        self.note.setStyleSheet(MUTED)
        self.note.setWordWrap(True)
        words.addWidget(self.headline)
        words.addWidget(self.note)
        top.addLayout(words, 1)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.setObjectName("exportCsv")
        self.export_button.setToolTip(self.tr("Every ledger entry, for a tax declaration"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_csv)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.cap = CapPanel(self)
        layout.addWidget(self.cap)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setChildrenCollapsible(True)  # a small window must not be forced wider
        self.periods = PeriodPanel(split)
        split.addWidget(self.periods)
        right = QWidget(split)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self._build_kinds(right), 2)
        right_column.addWidget(self._build_recent(right), 3)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        layout.addWidget(split, 1)
        self.export_status = QLabel(self)
        self.export_status.setObjectName("exportStatus")
        self.export_status.setWordWrap(True)
        self.export_status.hide()
        layout.addWidget(self.export_status)

    def _build_kinds(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("By kind, and per hour of work"), parent)
        column = QVBoxLayout(box)
        row = QHBoxLayout()
        label = QLabel(self.tr("My reference wage:"), box)
        self.reference = QDoubleSpinBox(box)
        self.reference.setObjectName("referenceWage")
        self.reference.setAccessibleName(self.tr("Reference hourly wage"))
        self.reference.setRange(0, 10_000)
        self.reference.setDecimals(2)
        self.reference.setSingleStep(0.5)
        self.reference.setSpecialValueText(self.tr("not set"))
        self.reference.setSuffix(self.tr(" /h"))
        self.reference.setKeyboardTracking(False)  # save once the number is typed, not per key
        self.reference.setToolTip(
            self.tr(
                "The hourly wage you compare your pay with, e.g. the legal minimum where you live"
            )
        )
        self.reference.valueChanged.connect(self._reference_changed)
        label.setBuddy(self.reference)
        self.reference_note = QLabel(self.tr("e.g. the legal minimum where you live"), box)
        self.reference_note.setStyleSheet(MUTED)
        row.addWidget(label)
        row.addWidget(self.reference)
        row.addWidget(self.reference_note, 1)
        column.addLayout(row)
        self.kind_model = KindModel(self)
        self.kind_table = make_table(box, self.kind_model, self.tr("Earnings and wages per kind"))
        self.kind_table.setObjectName("kindTable")
        header = self.kind_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        column.addWidget(self.kind_table, 1)
        return box

    def _build_recent(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Latest entries"), parent)
        column = QVBoxLayout(box)
        self.recent_model = RecentModel(self)
        self.recent_table = make_table(box, self.recent_model, self.tr("Latest ledger entries"))
        self.recent_table.setObjectName("recentTable")
        header = self.recent_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.recent_table.fontMetrics()
        # Widths from the font, not the rows; the reason (why a result was refused) gets the rest.
        day = QLocale().toString(QDate(2026, 12, 28), QLocale.FormatType.ShortFormat)
        samples = [
            day,
            max((entry_kind_label(k) for k in ("task_reward", "bonus", "payout")), key=len),
            max((status_label(s) for s in ("pending", "approved", "rejected", "paid")), key=len),
            money(Decimal("-1000"), "EUR"),
            translate("TaskKind", "Audio transcription"),  # the longest kind title
        ]
        for index, sample in enumerate(samples):
            header.resizeSection(index, metrics.horizontalAdvance(sample) + 14)
        column.addWidget(self.recent_table, 1)
        return box

    # ---------------------------------------------------------------- loading

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._requested:
            # After the first paint: the frame shows before the reading starts.
            QTimer.singleShot(0, self._first_load)

    def _first_load(self) -> None:
        if not self._requested and _alive(self):
            self.refresh()

    def refresh(self) -> None:
        """Read the ledger again (after a sync, say) and show it once it is summed up."""
        self._requested = True
        store = self.ctx.store
        if store is None:
            self.note.setText(self.tr("Opening your profile…"))
            self._requested = False
            return
        if self._loading:
            self._again = True
            return
        self._loading = True
        op(read_snapshot, store).success(self._read).failure(self._failed).run(self.ctx.db)

    def _read(self, snapshot: LedgerSnapshot) -> None:
        if not _alive(self):
            return
        op(compute, snapshot, self._today()).success(self._computed).failure(self._failed).run(
            self.ctx.net
        )

    def _failed(self, exc: BaseException) -> None:
        if not _alive(self):
            return
        from app.dialogs import describe_error

        self._loading = False
        _title, text = describe_error(exc)
        self.headline.setText(self.tr("Your earnings cannot be shown"))
        self.note.setText(text)
        self.periods.show_failure(text)
        if self._again:
            self._again = False
            self.refresh()

    def _computed(self, computed: Computed) -> None:
        if not _alive(self):
            return
        first = self.computed is None
        self.computed = computed
        self._loading = False
        self._titles = self._kind_titles()
        if first:
            self.reference.blockSignals(True)
            self.reference.setValue(float(computed.reference or 0))
            self.reference.blockSignals(False)
        self._show_summary(computed)
        self.summaryShown.emit()
        if self._again:
            self._again = False
            self.refresh()

    def _kind_titles(self) -> dict[str, str]:
        registry = self.ctx.registry
        return {kind.id: kind_title(kind) for kind in registry} if registry is not None else {}

    # ---------------------------------------------------------------- showing

    def _show_summary(self, computed: Computed) -> None:
        summary, locale = computed.summary, QLocale()
        currency, totals = summary.currency, summary.totals
        if not summary.lines:
            self.headline.setText(self.tr("No earnings yet"))
            self.note.setText(
                self.tr(
                    "What the server pays for your results appears here after a sync, and stays "
                    "readable offline."
                )
            )
        else:
            self.headline.setText(
                self.tr("Earned %1 · pending %2 · paid out %3")
                .replace("%1", money(totals.earned, currency, locale))
                .replace("%2", money(totals.pending, currency, locale))
                .replace("%3", money(totals.paid_out, currency, locale))
            )
            self.note.setText(
                self.tr(
                    "%1 ledger entries from the last sync, kept on this computer. "
                    "%Ln task(s) rejected (%2), which earn nothing.",
                    None,
                    totals.rejected_tasks,
                )
                .replace("%1", locale.toString(summary.lines))
                .replace("%2", money(totals.rejected, currency, locale))
            )
        other = computed.cap_currency if not computed.cap_comparable else ""
        self.cap.show_cap(summary.cap, currency, other_currency=other)
        self.reference.setSuffix(
            self.tr(" %1/h").replace("%1", currency) if currency else self.tr(" /h")
        )
        self.kind_model.currency = currency
        self.kind_model.set_reference(self.reference_wage())
        self._show_kinds(computed)
        self.recent_model.show(summary.recent, self._titles)
        self.export_button.setEnabled(bool(computed.lines))
        self.periods.show_summary(summary, self._today())

    def _show_kinds(self, computed: Computed) -> None:
        summary = computed.summary
        rates = {rate.kind: rate for rate in summary.rates}
        rows = [KindRow("", self.tr("All kinds"), summary.totals, rates.get(""), overall=True)]
        kinds = sorted({*summary.by_kind, *rates} - {""})
        for kind in kinds:
            title = self._titles.get(kind, kind_id_title(kind))
            rows.append(KindRow(kind, title, summary.by_kind.get(kind, Totals()), rates.get(kind)))
        if "" in summary.by_kind:  # bonuses that name no kind: earned, but no hours of their own
            rows.append(KindRow("", kind_id_title(""), summary.by_kind[""], None))
        self.kind_model.show(rows, summary.currency)

    def show_period(self, period: Period) -> None:
        """Switch the chart and the table to days, weeks, months or years."""
        self.periods.show_period(period)

    # ---------------------------------------------------------------- reference wage

    def reference_wage(self) -> Decimal | None:
        """The contributor's reference wage per hour, None when not set."""
        wage = Decimal(str(self.reference.value())).quantize(Decimal("0.01"))
        return wage or None

    def _reference_changed(self, _value: float) -> None:
        wage = self.reference_wage() or Decimal(0)
        self.kind_model.set_reference(wage or None)
        store = self.ctx.store
        if store is None:
            return
        op(store.set_setting, REFERENCE_WAGE_KEY, str(wage)).failure(self._not_saved).run(
            self.ctx.db
        )

    def _not_saved(self, exc: BaseException) -> None:
        if _alive(self):
            from app.dialogs import describe_error

            text = describe_error(exc)[1]
            self._say(
                self.tr("The reference wage was not saved: %1").replace("%1", text), error=True
            )

    # ---------------------------------------------------------------- export

    def export_csv(self) -> None:
        """Ask where, then write every ledger entry as CSV off the UI thread."""
        if self.computed is None:
            return
        year = self._today().year
        path = ask_csv_path(self, Path.home() / f"ouvrage-earnings-{year}.csv")
        if path is None:
            return
        lines: list[LedgerLine] = self.computed.lines
        self.export_button.setEnabled(False)
        self._say(self.tr("Writing %1…").replace("%1", str(path)))
        op(write_csv, path, lines).success(lambda count: self._exported(path, count)).failure(
            lambda exc: self._export_failed(path, exc)
        ).run(self.ctx.net)

    def _exported(self, path: Path, count: int) -> None:
        if not _alive(self):
            return
        self.export_button.setEnabled(True)
        text = self.tr("Exported %1 entries to %2").replace("%1", QLocale().toString(count))
        self._say(text.replace("%2", str(path)))

    def _export_failed(self, path: Path, exc: BaseException) -> None:
        if not _alive(self):
            return
        from app.dialogs import open_error_box

        self.export_button.setEnabled(True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        text = (
            self.tr(
                "Could not write %1: %2. Choose another folder or free some space, "
                "then export again."
            )
            .replace("%1", str(path))
            .replace("%2", reason)
        )
        self._say(text, error=True)
        open_error_box(self, self.tr("Export failed"), text)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.export_status.setText(text)
        self.export_status.setStyleSheet("color: #cf222e;" if error else MUTED)
        self.export_status.show()


def _alive(widget: QWidget) -> bool:
    """False once Qt deleted the widget (the tab closed while its work ran)."""
    import shiboken6

    return shiboken6.isValid(widget)
