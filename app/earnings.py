"""What the contributor earned, when, for which kind, and per hour of work. Qt-free.

Everything here is computed from the ledger the server reports (the client keeps a
copy for offline viewing) and the time measured on each task; the earnings view runs
``summarize`` off the UI thread and only shows its result.

Counting rules, one place for all of them:
- *earned*: task rewards and bonuses that are approved or paid; *pending*: those the
  server has not reviewed yet; *rejected*: rewards refused (they earn nothing);
  *paid out*: payouts (negative amounts on the ledger), shown as positive sums.
- The yearly cap counts what the server counts: rewards and bonuses not rejected (pending
  ones included) whose ``occurred_at`` falls in the calendar year, in UTC.
- Hourly wage on active time: earned ÷ active hours on tasks of the kind; on all time:
  earned ÷ (time the tasks were open, rejected work included, plus download time).
  Overall, bonuses that name no kind count as earned too.
"""

from __future__ import annotations

import csv
import heapq
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple

from sync.pay import hourly_rate

__all__ = [
    "CapStatus",
    "HourlyRate",
    "LedgerLine",
    "Period",
    "Summary",
    "Totals",
    "cap_from_config",
    "cap_status",
    "last_periods",
    "ledger_csv",
    "lines_from_rows",
    "period_key",
    "summarize",
]

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
EARNING_KINDS = ("task_reward", "bonus")
EARNED = ("approved", "paid")
NEAR_CAP_SHARE = Decimal("0.8")
# As the server counts toward the cap (mockserver.store.earned_amounts): all but rejected.
COUNTED_FOR_CAP = ("pending", "approved", "paid")


class LedgerLine(NamedTuple):
    """One ledger entry. A tuple rather than a dataclass: 100,000 of them build about a
    third faster, and the garbage collector stops scanning them once built."""

    entry_id: str
    entry_kind: str  # task_reward, bonus, payout
    status: str  # pending, approved, rejected, paid
    amount: Decimal
    currency: str
    occurred_at: datetime
    task_kind: str = ""
    task_id: str = ""
    reason: str = ""


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def lines_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[LedgerLine]:
    """Ledger rows as the store returns them; a row with an unreadable date is skipped."""
    lines = []
    for row in rows:
        try:
            occurred = datetime.fromisoformat(str(row["occurred_at"]))
        except (KeyError, ValueError):
            continue
        lines.append(
            LedgerLine(
                entry_id=str(row.get("id", "")),
                entry_kind=str(row.get("entry_kind") or "task_reward"),
                status=str(row.get("status", "")),
                amount=_decimal(row.get("amount", "0")),
                currency=str(row.get("currency", "")),
                occurred_at=occurred,
                task_kind=str(row.get("kind") or ""),
                task_id=str(row.get("task_id") or ""),
                reason=str(row.get("reason") or ""),
            )
        )
    return lines


@dataclass
class Totals:
    earned: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    rejected: Decimal = Decimal(0)
    paid_out: Decimal = Decimal(0)
    approved_tasks: int = 0
    rejected_tasks: int = 0

    def add(self, line: LedgerLine) -> None:
        if line.entry_kind == "payout":
            self.paid_out += -line.amount
        elif line.status in EARNED:
            self.earned += line.amount
            self.approved_tasks += line.entry_kind == "task_reward"
        elif line.status == "pending":
            self.pending += line.amount
        elif line.status == "rejected":
            self.rejected += line.amount
            self.rejected_tasks += 1


def period_key(moment: datetime, period: Period) -> date:
    """The first day of the period holding ``moment`` (weeks start on Monday)."""
    day = moment.date()
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def last_periods(today: date, period: Period, count: int) -> list[date]:
    """The keys of the ``count`` periods up to the one holding ``today``, oldest first."""
    current = period_key(datetime(today.year, today.month, today.day), period)
    keys = [current]
    for _ in range(count - 1):
        key = keys[-1]
        if period == "day":
            key -= timedelta(days=1)
        elif period == "week":
            key -= timedelta(days=7)
        elif period == "month":
            key = (
                key.replace(year=key.year - 1, month=12)
                if key.month == 1
                else key.replace(month=key.month - 1)
            )
        else:
            key = key.replace(year=key.year - 1)
        keys.append(key)
    return keys[::-1]


@dataclass(frozen=True)
class CapStatus:
    """Year-to-date earnings against the platform's yearly cap."""

    year: int
    earned: Decimal
    cap: Decimal | None
    level: Literal["ok", "near", "reached", "unknown"]

    @property
    def share(self) -> float:
        return float(self.earned / self.cap) if self.cap else 0.0

    @property
    def left(self) -> Decimal | None:
        return None if self.cap is None else max(self.cap - self.earned, Decimal(0))


def cap_status(earned: Decimal, cap: Decimal | None, year: int) -> CapStatus:
    """``near`` from 80 % of the cap, ``reached`` at 100 %; ``unknown`` without a cap."""
    if cap is None or cap <= 0:
        return CapStatus(year, earned, None, "unknown")
    if earned >= cap:
        level: Literal["ok", "near", "reached", "unknown"] = "reached"
    elif earned >= cap * NEAR_CAP_SHARE:
        level = "near"
    else:
        level = "ok"
    return CapStatus(year, earned, cap, level)


def cap_from_config(config: Mapping[str, Any] | None) -> tuple[Decimal | None, str]:
    """The yearly cap and its currency from the server configuration the client keeps
    (the ``server.config`` setting: ``sync.protocol.ServerConfig`` as JSON).

    Returns ``(None, "")`` when no server was ever reached or the cap is unreadable.
    """
    if not isinstance(config, Mapping) or config.get("annual_cap") in (None, ""):
        return None, ""
    try:
        cap = Decimal(str(config["annual_cap"]))
    except (InvalidOperation, ValueError):
        return None, ""
    if not cap.is_finite() or cap <= 0:
        return None, ""
    return cap, str(config.get("currency") or "")


@dataclass(frozen=True)
class HourlyRate:
    """Earned per hour of work for one kind (or "" for all kinds)."""

    kind: str
    earned: Decimal
    active_s: float
    all_s: float

    @property
    def on_active(self) -> Decimal | None:
        return hourly_rate(self.earned, self.active_s)

    @property
    def on_all(self) -> Decimal | None:
        return hourly_rate(self.earned, self.all_s)


@dataclass
class Summary:
    """Everything the earnings view shows, computed in one pass."""

    currency: str
    totals: Totals
    by_period: dict[Period, dict[date, Totals]]
    by_kind: dict[str, Totals]
    cap: CapStatus
    rates: list[HourlyRate]
    lines: int
    recent: list[LedgerLine] = field(default_factory=list)


def summarize(
    lines: Sequence[LedgerLine],
    *,
    today: date,
    cap: Decimal | None = None,
    task_times: Mapping[str, tuple[str, float, float]] | None = None,
    download_s: float = 0.0,
    recent: int = 200,
) -> Summary:
    """Totals overall, by day/week/month/year and by kind; the cap; hourly rates.

    ``task_times`` maps a task id (as the ledger names it) to ``(kind, active_s,
    spent_s)``; download time is shared out over the kinds in proportion to the time
    spent on them.
    """
    totals = Totals()
    by_period: dict[Period, dict[date, Totals]] = {p: {} for p in PERIODS}
    by_kind: dict[str, Totals] = {}
    currencies: dict[str, int] = {}
    earned_this_year = Decimal(0)
    # A ledger of 100,000 lines spans a few hundred days: the buckets of a day are found once.
    day_buckets: dict[date, tuple[Totals, ...]] = {}
    for line in lines:
        totals.add(line)
        currencies[line.currency] = currencies.get(line.currency, 0) + 1
        day = line.occurred_at.date()
        buckets = day_buckets.get(day)
        if buckets is None:
            buckets = day_buckets[day] = tuple(
                _bucket(by_period[period], period_key(line.occurred_at, period))
                for period in PERIODS
            )
        for bucket in buckets:
            bucket.add(line)
        if line.entry_kind != "payout":
            kind_totals = by_kind.get(line.task_kind)
            if kind_totals is None:
                kind_totals = by_kind[line.task_kind] = Totals()
            kind_totals.add(line)
            if line.status in COUNTED_FOR_CAP and _utc_year(line.occurred_at) == today.year:
                earned_this_year += line.amount
    currency = max(currencies, key=lambda c: currencies[c]) if currencies else ""
    newest = heapq.nlargest(recent, lines, key=lambda line: line.occurred_at)
    return Summary(
        currency=currency,
        totals=totals,
        by_period=by_period,
        by_kind=by_kind,
        cap=cap_status(earned_this_year, cap, today.year),
        rates=_rates(by_kind, task_times or {}, download_s),
        lines=len(lines),
        recent=newest,
    )


def _utc_year(moment: datetime) -> int:
    offset = moment.utcoffset()
    return (moment - offset).year if offset else moment.year


def _bucket(buckets: dict[date, Totals], key: date) -> Totals:
    bucket = buckets.get(key)
    if bucket is None:
        bucket = buckets[key] = Totals()
    return bucket


def _rates(
    by_kind: Mapping[str, Totals],
    task_times: Mapping[str, tuple[str, float, float]],
    download_s: float,
) -> list[HourlyRate]:
    active: dict[str, float] = {}
    spent: dict[str, float] = {}
    for kind, active_s, spent_s in task_times.values():
        active[kind] = active.get(kind, 0.0) + active_s
        spent[kind] = spent.get(kind, 0.0) + spent_s
    all_spent = sum(spent.values())
    rates = []
    kinds = sorted(set(by_kind) | set(active))
    for kind in kinds:
        if not kind:
            continue
        share = spent.get(kind, 0.0) / all_spent if all_spent else 0.0
        earned = by_kind[kind].earned if kind in by_kind else Decimal(0)
        all_s = spent.get(kind, 0.0) + share * download_s
        rates.append(HourlyRate(kind, earned, active.get(kind, 0.0), all_s))
    # Overall, bonuses that name no kind count too: they pay for the same hours.
    overall = HourlyRate(
        "",
        sum((totals.earned for totals in by_kind.values()), Decimal(0)),
        sum(active.values()),
        all_spent + download_s,
    )
    return [overall, *rates]


def ledger_csv(lines: Iterable[LedgerLine]) -> bytes:
    """The ledger as CSV for a tax declaration: one row per entry, oldest first, amounts
    with a dot as decimal mark, dates in ISO 8601."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "type", "status", "amount", "currency", "task kind", "task", "reason"])
    for line in sorted(lines, key=lambda line: line.occurred_at):
        writer.writerow(
            [
                line.occurred_at.isoformat(),
                line.entry_kind,
                line.status,
                f"{line.amount:.2f}",
                line.currency,
                line.task_kind,
                line.task_id,
                line.reason,
            ]
        )
    return out.getvalue().encode("utf-8")
