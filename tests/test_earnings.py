"""Earnings totals, the yearly cap and hourly wages, on known ledgers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.earnings import cap_status, ledger_csv, lines_from_rows, period_key, summarize


def row(entry_id: str, amount: str, status: str, when: str, **extra: str) -> dict[str, str]:
    return {
        "id": entry_id, "amount": amount, "status": status, "currency": "EUR",
        "occurred_at": when, "entry_kind": extra.pop("entry_kind", "task_reward"),
        "kind": extra.pop("kind", "translation"), **extra,
    }  # fmt: skip


LEDGER = [
    row("e1", "0.50", "approved", "2026-11-02T10:00:00+00:00", task_id="b/t1"),
    row("e2", "0.50", "paid", "2026-11-03T10:00:00+00:00", task_id="b/t2"),
    row("e3", "0.30", "rejected", "2026-11-03T11:00:00+00:00", task_id="b/t3", reason="late"),
    row("e4", "0.20", "pending", "2026-11-10T09:00:00+00:00", task_id="p/t1", kind="photo_clip"),
    row("e5", "1.00", "approved", "2026-11-10T09:30:00+00:00", entry_kind="bonus", kind=""),
    row("e6", "-1.00", "paid", "2026-11-20T09:30:00+00:00", entry_kind="payout", kind=""),
    row("e7", "2.00", "paid", "2025-12-31T23:00:00+00:00", task_id="old"),
]


def test_totals_follow_the_ledger_states() -> None:
    summary = summarize(lines_from_rows(LEDGER), today=date(2026, 11, 29))
    t = summary.totals
    assert (t.earned, t.pending, t.rejected, t.paid_out) == (
        Decimal("4.00"), Decimal("0.20"), Decimal("0.30"), Decimal("1.00"),
    )  # fmt: skip
    assert (t.approved_tasks, t.rejected_tasks) == (3, 1)
    assert summary.by_kind["translation"].earned == Decimal("3.00")
    assert summary.by_kind["photo_clip"].pending == Decimal("0.20")
    week = summary.by_period["week"][date(2026, 11, 2)]
    assert week.earned == Decimal("1.00") and week.rejected == Decimal("0.30")
    assert summary.by_period["month"][date(2026, 11, 1)].earned == Decimal("2.00")
    assert summary.by_period["year"][date(2025, 1, 1)].earned == Decimal("2.00")
    assert summary.currency == "EUR" and summary.recent[0].entry_id == "e6"


def test_the_cap_counts_this_years_work_not_rejected_and_warns_at_80_and_100_percent() -> None:
    summary = summarize(lines_from_rows(LEDGER), today=date(2026, 11, 29), cap=Decimal("3000"))
    # As the server counts: pending rewards too, rejected ones not; 2025's payment is last year's.
    assert summary.cap.earned == Decimal("2.20")
    assert cap_status(Decimal("2399.99"), Decimal("3000"), 2026).level == "ok"
    assert cap_status(Decimal("2400"), Decimal("3000"), 2026).level == "near"
    reached = cap_status(Decimal("3000"), Decimal("3000"), 2026)
    assert reached.level == "reached" and reached.left == 0 and reached.share == 1.0
    assert cap_status(Decimal("10"), None, 2026).level == "unknown"


def test_hourly_wages_on_active_and_on_all_time() -> None:
    times = {
        "b/t1": ("translation", 600.0, 900.0),
        "b/t2": ("translation", 600.0, 900.0),
        "b/t3": ("translation", 600.0, 1200.0),  # rejected: time spent, nothing earned
        "p/t1": ("photo_clip", 300.0, 600.0),
    }
    summary = summarize(
        lines_from_rows(LEDGER), today=date(2026, 11, 29), task_times=times, download_s=360.0
    )
    overall, *by_kind = summary.rates
    translation = next(r for r in by_kind if r.kind == "translation")
    # 3.00 earned (2.00 of it from 2025's task, which has no measured time) in 1800 s active.
    assert translation.on_active == Decimal("6.00")
    # All time: 3000 s open plus 3000/3600 of the 360 s of downloads = 3300 s.
    assert translation.all_s == pytest.approx(3300)
    assert translation.on_all == Decimal("3.27")
    photo = next(r for r in by_kind if r.kind == "photo_clip")
    assert photo.earned == 0 and photo.on_active == Decimal("0.00")
    assert overall.active_s == pytest.approx(2100) and overall.all_s == pytest.approx(3960)


def test_the_csv_export_reads_back_oldest_first() -> None:
    import csv
    import io

    text = ledger_csv(lines_from_rows(LEDGER)).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["amount"] for r in rows][:2] == ["2.00", "0.50"]
    assert rows[-1]["type"] == "payout" and rows[-1]["amount"] == "-1.00"
    assert next(r for r in rows if r["status"] == "rejected")["reason"] == "late"


def test_weeks_start_on_monday() -> None:
    sunday = datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert period_key(sunday, "week") == date(2026, 11, 23)
    assert period_key(sunday, "month") == date(2026, 11, 1)


def test_the_cap_comes_from_the_server_configuration_the_client_keeps() -> None:
    from app.earnings import cap_from_config

    config = {"annual_cap": "3000.000000", "currency": "EUR", "server_name": "mock"}
    assert cap_from_config(config) == (Decimal("3000"), "EUR")
    assert cap_from_config(None) == (None, "")
    assert cap_from_config({"annual_cap": "lots"}) == (None, "")
    assert cap_from_config({"annual_cap": "0", "currency": "EUR"}) == (None, "")


def test_the_overall_hourly_wage_counts_bonuses_that_name_no_kind() -> None:
    times = {"b/t1": ("translation", 1800.0, 3600.0)}
    summary = summarize(lines_from_rows(LEDGER), today=date(2026, 11, 29), task_times=times)
    overall = summary.rates[0]
    assert overall.earned == summary.totals.earned == Decimal("4.00")
    assert overall.on_active == Decimal("8.00") and overall.on_all == Decimal("4.00")


def test_the_chart_periods_run_back_from_today_across_year_ends() -> None:
    from app.earnings import last_periods

    assert last_periods(date(2026, 2, 11), "month", 3) == [
        date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip
    assert last_periods(date(2026, 11, 29), "week", 2) == [date(2026, 11, 16), date(2026, 11, 23)]
    assert last_periods(date(2026, 3, 1), "day", 2) == [date(2026, 2, 28), date(2026, 3, 1)]
    assert last_periods(date(2026, 3, 1), "year", 2) == [date(2025, 1, 1), date(2026, 1, 1)]


def test_the_cap_year_is_the_utc_calendar_year() -> None:
    late = row("n", "1.00", "approved", "2026-01-01T00:30:00+01:00")  # 2025-12-31 23:30 UTC
    summary = summarize(lines_from_rows([late]), today=date(2026, 1, 2), cap=Decimal("10"))
    assert summary.cap.earned == 0
