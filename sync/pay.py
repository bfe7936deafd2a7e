"""Pay arithmetic the application shows: expected and true hourly rates, the yearly cap.

Qt-free, no SQL. The rules mirror the server's (see ``ServerConfig``): what
counts toward the yearly cap is counted here the same way, so the figure a
contributor sees is the one a claim is judged by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from decimal import Decimal

from sync.protocol import LedgerEntry, LedgerKind, LedgerStatus

__all__ = [
    "KindPay",
    "counts_toward_cap",
    "expected_hourly_rate",
    "hourly_rate",
    "pay_by_kind",
    "year_earnings",
]

_CENT = Decimal("0.01")


def expected_hourly_rate(reward: Decimal, minutes: float | Decimal | None) -> Decimal | None:
    """What ``reward`` per task pays per hour at ``minutes`` per task, to the cent.

    None when the estimate is missing or not positive (nothing honest to show).
    """
    if minutes is None:
        return None
    pace = Decimal(str(minutes))
    if pace <= 0:
        return None
    return (Decimal(reward) * 60 / pace).quantize(_CENT)


def hourly_rate(amount: Decimal, seconds: float | None) -> Decimal | None:
    """``amount`` earned in ``seconds`` of work, per hour, to the cent; None without time."""
    if seconds is None or seconds <= 0:
        return None
    return (Decimal(amount) * 3600 / Decimal(str(seconds))).quantize(_CENT)


def counts_toward_cap(entry: LedgerEntry) -> bool:
    """Whether the server counts ``entry`` toward the yearly cap: rewards and bonuses
    that are not rejected (pending ones included)."""
    return (
        entry.kind in (LedgerKind.TASK_REWARD, LedgerKind.BONUS)
        and entry.status is not LedgerStatus.REJECTED
    )


def year_earnings(entries: Iterable[LedgerEntry], year: int) -> Decimal:
    """The sum the yearly cap of calendar year ``year`` (UTC, by ``occurred_at``) is
    measured against. Each entry id counts once (the latest copy given wins)."""
    latest = {entry.entry_id: entry for entry in entries}
    return sum(
        (
            entry.amount
            for entry in latest.values()
            if counts_toward_cap(entry) and entry.occurred_at.astimezone(UTC).year == year
        ),
        Decimal(0),
    )


@dataclass(frozen=True)
class KindPay:
    """Task rewards of one kind that were not rejected, and the active time they took.

    ``timed_amount`` and ``active_seconds`` cover only rewards whose result carried
    an active time, so ``rate`` (true hourly pay) is never inflated by untimed work.
    """

    kind: str
    tasks: int
    amount: Decimal
    timed_amount: Decimal
    active_seconds: float

    @property
    def rate(self) -> Decimal | None:
        return hourly_rate(self.timed_amount, self.active_seconds)


def pay_by_kind(entries: Iterable[LedgerEntry]) -> dict[str, KindPay]:
    """True hourly pay per task kind from ledger entries (the latest copy of each wins).

    Rejected rewards, bonuses, payouts and entries without a ``task_kind`` are left out.
    """
    latest = {entry.entry_id: entry for entry in entries}
    totals: dict[str, tuple[int, Decimal, Decimal, float]] = {}
    for entry in latest.values():
        if entry.kind is not LedgerKind.TASK_REWARD or entry.status is LedgerStatus.REJECTED:
            continue
        if entry.task_kind is None:
            continue
        tasks, amount, timed, seconds = totals.get(entry.task_kind, (0, Decimal(0), Decimal(0), 0))
        if entry.active_seconds:
            timed += entry.amount
            seconds += entry.active_seconds
        totals[entry.task_kind] = (tasks + 1, amount + entry.amount, timed, seconds)
    return {
        kind: KindPay(kind, tasks, amount, timed, seconds)
        for kind, (tasks, amount, timed, seconds) in totals.items()
    }
