"""What the earnings view reads from the store and computes off the UI thread. Qt-free.

``read_snapshot`` runs on the database worker and only reads; ``compute`` runs on a
network worker (so draft saves never wait behind 100,000 ledger lines); ``write_csv``
writes an export without leaving half a file behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.earnings import (
    LedgerLine,
    Summary,
    cap_from_config,
    cap_status,
    ledger_csv,
    lines_from_rows,
    summarize,
)

if TYPE_CHECKING:
    from app.store import Store

REFERENCE_WAGE_KEY = "earnings.reference_hourly_wage"
SERVER_CONFIG_KEY = "server.config"  # sync.protocol.ServerConfig as JSON, saved by each sync


@dataclass(frozen=True)
class LedgerSnapshot:
    """The store's part of the earnings view, read in one go on the database worker."""

    rows: list[dict[str, Any]]
    config: Any
    reference: Decimal | None
    task_times: dict[str, tuple[str, float, float]]
    download_s: float


@dataclass(frozen=True)
class Computed:
    """A summary with the lines it came from (the CSV export writes them)."""

    summary: Summary
    lines: list[LedgerLine]
    reference: Decimal | None
    cap_currency: str  # "" when the server's cap is not known
    cap_comparable: bool  # False when the cap is in another currency than the earnings


def parse_reference(value: Any) -> Decimal | None:
    """The stored reference wage, or None when not set (0, missing or unreadable)."""
    try:
        wage = Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except (InvalidOperation, ValueError):
        return None
    return wage if wage.is_finite() and wage > 0 else None


def read_snapshot(store: Store) -> LedgerSnapshot:
    """Everything the view shows, from the store only (it works offline)."""
    return LedgerSnapshot(
        rows=store.ledger(),
        config=store.setting(SERVER_CONFIG_KEY),
        reference=parse_reference(store.setting(REFERENCE_WAGE_KEY)),
        task_times=store.task_times(),
        download_s=store.download_seconds(),
    )


def compute(snapshot: LedgerSnapshot, today: date) -> Computed:
    """Totals, the cap and hourly wages of a snapshot; the heavy part of opening the view."""
    lines = lines_from_rows(snapshot.rows)
    cap, cap_currency = cap_from_config(snapshot.config)
    summary = summarize(
        lines,
        today=today,
        cap=cap,
        task_times=snapshot.task_times,
        download_s=snapshot.download_s,
    )
    comparable = not (cap_currency and summary.currency and cap_currency != summary.currency)
    if not comparable:
        summary.cap = cap_status(summary.cap.earned, None, today.year)
    return Computed(summary, lines, snapshot.reference, cap_currency, comparable)


def write_csv(path: Path, lines: Sequence[LedgerLine]) -> int:
    """Write the ledger as CSV to ``path`` through a temporary file; returns the line count.

    Raises ``OSError`` (naming the file) when it cannot be written; an older file at
    ``path`` is then left as it was.
    """
    data = ledger_csv(lines)
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if exc.filename is None or exc.filename == str(partial):
            exc.filename = str(path)
        raise
    return len(lines)
