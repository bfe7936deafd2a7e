"""The Earnings tab on a real profile: totals, the yearly cap, hourly wages, the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import app.earnings_view as earnings_view
from app.context import AppContext
from app.earnings_view import EarningsView
from app.earnings_view_data import REFERENCE_WAGE_KEY
from app.formatting import money
from app.importer import import_bundle_file
from app.profile import Profile
from app.sync_adapter import StoreSync
from sync.protocol import ServerConfig

TODAY = date(2026, 11, 29)


def entry(
    entry_id: str, kind: str, status: str, amount: str, when: str, **extra: Any
) -> dict[str, Any]:
    return {
        "entry_id": entry_id, "kind": kind, "status": status, "amount": amount,
        "currency": "EUR", "occurred_at": f"{when}T10:00:00+00:00",
        "updated_at": f"{when}T10:00:00+00:00", **extra,
    }  # fmt: skip


LEDGER = [
    entry("e1", "task_reward", "approved", "0.50", "2026-11-02", task_id="t0000",
          task_kind="translation"),
    entry("e2", "task_reward", "paid", "0.50", "2026-11-03", task_id="t0001",
          task_kind="translation"),
    entry("e3", "task_reward", "rejected", "0.30", "2026-11-03", task_id="t0002",
          task_kind="translation", reason="Arrived after the deadline"),
    entry("e4", "task_reward", "pending", "0.20", "2026-11-10", task_id="t0003",
          task_kind="translation"),
    entry("e5", "bonus", "approved", "1.00", "2026-11-10", reason="Quality bonus"),
    entry("e6", "payout", "paid", "-1.00", "2026-11-20"),
]  # fmt: skip


def eur(amount: str) -> str:
    return money(Decimal(amount), "EUR")


@pytest.fixture
def ctx(profile: Profile, bundle_file: Path) -> Iterator[AppContext]:
    """A profile holding 3 translation tasks, 10 minutes of active work on each (15 open),
    15 minutes of downloads, and the ledger above as a sync would have stored it."""
    context = AppContext.open(profile, inline=True)
    store = context.store
    assert store is not None and context.registry is not None
    import_bundle_file(store, profile, bundle_file, context.registry)
    for task in store.tasks():
        store.add_task_time(task.id, 600.0, 900.0)
    store.log_event("bundle_downloaded", None, seconds=900)
    store.apply_earnings(LEDGER, "cursor-1", reset=False)
    yield context
    context.close()


def set_cap(context: AppContext, cap: str, currency: str = "EUR") -> None:
    """The server configuration as a sync saves it."""
    assert context.store is not None
    config = ServerConfig(
        api_version=1, server_name="test", server_time=datetime(2026, 11, 29, tzinfo=UTC),
        currency=currency, annual_cap=Decimal(cap), largest_batch=100,
        largest_upload_bytes=1 << 20, lease_seconds=3600,
    )  # fmt: skip
    StoreSync(context.store).save_config(config)


def open_view(qtbot, context: AppContext) -> EarningsView:
    view = EarningsView(context, today=lambda: TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def cell(model: Any, row: int, column: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.index(row, model.COLUMNS.index(column)).data(role)


def test_the_totals_follow_the_ledger(qtbot: QtBot, ctx: AppContext) -> None:
    view = open_view(qtbot, ctx)
    headline = view.headline.text()
    for amount in (eur("2.00"), eur("0.20"), eur("1.00")):  # earned, pending, paid out
        assert amount in headline
    assert "6 ledger entries" in view.note.text() and eur("0.30") in view.note.text()

    # Months by default: November 2026 on top, with what was earned, pending and paid out.
    model = view.periods.model
    assert model.rowCount() == 1
    assert "2026" in cell(model, 0, "period")
    assert [cell(model, 0, c) for c in ("earned", "pending", "rejected", "paid_out")] == [
        eur("2.00"), eur("0.20"), eur("0.30"), eur("1.00"),
    ]  # fmt: skip
    view.periods.buttons["week"].click()
    assert view.periods.period == "week" and model.rowCount() == 3
    assert [cell(model, r, "earned") for r in range(3)] == [eur("0.00"), eur("1.00"), eur("1.00")]

    # The newest entries, with the rejection's reason in sight.
    recent = view.recent_model
    assert recent.rowCount() == 6
    rejected = next(r for r in range(6) if cell(recent, r, "status") == "Rejected")
    assert cell(recent, rejected, "reason") == "Arrived after the deadline"
    assert cell(recent, rejected, "kind") == "Translation"
    assert cell(recent, 0, "type") == "Payout"


def test_the_chart_shows_the_last_periods_with_pending_on_top(
    qtbot: QtBot, ctx: AppContext
) -> None:
    view = open_view(qtbot, ctx)
    chart = view.periods.chart
    assert chart.bar_count() == 12
    assert chart.values()[-1] == pytest.approx(2.0) and sum(chart.values()[:-1]) == 0
    assert chart.tooltip_text(11).splitlines()[1:] == [
        f"Earned: {eur('2.00')}", f"Pending: {eur('0.20')}",
    ]  # fmt: skip
    image = chart.grab().toImage()
    bar = chart.bar_rect(11)
    assert bar.height() > 50
    assert image.pixelColor(bar.center().toPoint()) == chart.palette().highlight().color()
    assert chart.bar_at(QPointF(bar.center())) == 11


def test_hourly_wages_per_kind_against_the_reference_wage(qtbot: QtBot, ctx: AppContext) -> None:
    view = open_view(qtbot, ctx)
    kinds = view.kind_model
    titles = [cell(kinds, r, "kind") for r in range(kinds.rowCount())]
    assert titles == ["All kinds", "Translation", "Bonuses and other"]
    # Translation: 1.00 earned in 30 min active (2.00/h); 45 min open + 15 min of downloads.
    assert cell(kinds, 1, "approved") == "2" and cell(kinds, 1, "rejected") == "1"
    assert cell(kinds, 1, "on_active") == f"{eur('2.00')}/h"
    assert cell(kinds, 1, "on_all") == f"{eur('1.00')}/h"
    # All kinds: the bonus counts too.
    assert cell(kinds, 0, "on_active") == f"{eur('4.00')}/h"
    assert cell(kinds, 2, "on_active") == "—"
    assert "Set a reference wage" in cell(kinds, 1, "on_active", Qt.ItemDataRole.ToolTipRole)

    view.reference.setValue(1.5)
    assert cell(kinds, 1, "on_active").endswith("▲")
    assert cell(kinds, 1, "on_all").endswith("▼")
    green = cell(kinds, 1, "on_active", Qt.ItemDataRole.ForegroundRole).color().name()
    red = cell(kinds, 1, "on_all", Qt.ItemDataRole.ForegroundRole).color().name()
    assert (green, red) == ("#1a7f37", "#cf222e")
    tip = cell(kinds, 1, "on_all", Qt.ItemDataRole.ToolTipRole)
    assert "rejected work included" in tip and "67 %" in tip and "1.0 h" in tip


def test_the_reference_wage_is_kept_in_the_profile(qtbot: QtBot, ctx: AppContext) -> None:
    view = open_view(qtbot, ctx)
    assert view.reference.value() == 0 and view.reference.text() == "not set"
    view.reference.setValue(11.75)
    assert ctx.store is not None and ctx.store.setting(REFERENCE_WAGE_KEY) == "11.75"

    again = open_view(qtbot, ctx)
    assert again.reference.value() == pytest.approx(11.75)
    assert again.reference_wage() == Decimal("11.75")
    assert again.kind_model.reference == Decimal("11.75")


@pytest.mark.parametrize(
    ("cap", "level", "warning"),
    [
        ("100", "ok", ""),
        ("2.60", "near", "cannot pay you more this year"),  # 2.20 of 2.60: 85 %
        ("2.20", "reached", "cannot pay you for more work before 1 January 2027"),
    ],
)
def test_the_yearly_cap_warns_from_80_percent(
    qtbot: QtBot, ctx: AppContext, cap: str, level: str, warning: str
) -> None:
    set_cap(ctx, cap)
    view = open_view(qtbot, ctx)
    panel = view.cap
    assert panel.level == level
    # This year's rewards and bonuses, pending included (as the server counts): 2.20.
    assert eur(cap) in panel.label.text() and eur("2.20") in panel.label.text()
    assert panel.bar.isVisible()
    assert panel.warning.isVisible() == bool(warning)
    if warning:
        assert warning in panel.warning.text()
        colour = {"near": "#bf8700", "reached": "#cf222e"}[level]
        assert colour in panel.bar.styleSheet() and colour in panel.warning.styleSheet()
    view.periods.buttons["year"].click()
    assert view.periods.chart.bar_count() == 1


def test_without_a_server_configuration_the_cap_is_unknown(qtbot: QtBot, ctx: AppContext) -> None:
    view = open_view(qtbot, ctx)
    assert view.cap.level == "unknown"
    assert "cap unknown" in view.cap.label.text()
    assert not view.cap.bar.isVisible() and not view.cap.warning.isVisible()


def test_the_csv_export_writes_every_entry(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, ctx)
    target = tmp_path / "tax" / "earnings-2026.csv"
    target.parent.mkdir()
    asked: list[Path] = []
    monkeypatch.setattr(
        earnings_view, "ask_csv_path", lambda _parent, suggested: asked.append(suggested) or target
    )
    assert view.export_button.isEnabled()
    view.export_button.click()
    assert asked[0].name == "ouvrage-earnings-2026.csv"
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 6 and rows[-1]["type"] == "payout"
    rejected = next(r for r in rows if r["status"] == "rejected")
    assert rejected["reason"] == "Arrived after the deadline"
    assert str(target) in view.export_status.text()
    assert not list(target.parent.glob("*.part"))


def test_a_failed_export_names_the_file(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, ctx)
    target = tmp_path / "no such folder" / "earnings.csv"
    monkeypatch.setattr(earnings_view, "ask_csv_path", lambda _parent, _suggested: target)
    view.export_button.click()
    assert not target.exists()
    assert str(target) in view.export_status.text()
    box = view.findChild(QMessageBox, "errorBox")
    assert box is not None and str(target) in box.text()
    box.close()
    assert view.export_button.isEnabled()


def test_an_empty_ledger_invites_a_sync(qtbot: QtBot, profile: Profile) -> None:
    context = AppContext.open(profile, inline=True)
    try:
        view = open_view(qtbot, context)
        assert view.headline.text() == "No earnings yet"
        assert not view.export_button.isEnabled()
        assert view.periods.chart.bar_count() == 12 and sum(view.periods.chart.values()) == 0
    finally:
        context.close()


def test_the_frame_shows_at_once_and_the_sums_arrive_from_the_workers(
    qtbot: QtBot, profile: Profile, bundle_file: Path
) -> None:
    context = AppContext.open(profile)  # real database and network workers
    try:
        assert context.store is not None
        context.store.apply_earnings(LEDGER, "cursor-1", reset=False)
        view = EarningsView(context, today=lambda: TODAY)
        qtbot.addWidget(view)
        view.show()
        assert view.headline.text() == "Computing…"  # nothing read yet: placeholders
        with qtbot.waitSignal(view.summaryShown, timeout=10_000):
            pass  # the first show starts the reading by itself
        assert eur("2.00") in view.headline.text()
        view.refresh()
        view.refresh()  # a second request while one runs is coalesced into one more pass
        with qtbot.waitSignal(view.summaryShown, timeout=10_000):
            pass
        qtbot.waitUntil(lambda: not view._loading, timeout=10_000)
    finally:
        context.close()


def test_a_cap_in_another_currency_is_not_compared(qtbot: QtBot, ctx: AppContext) -> None:
    set_cap(ctx, "3000", currency="USD")
    view = open_view(qtbot, ctx)
    assert view.cap.level == "unknown"
    assert "in USD" in view.cap.label.text() and not view.cap.bar.isVisible()
