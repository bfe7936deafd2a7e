"""Pay and time arithmetic the application shows: hourly rates, the yearly cap, lease time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from sync.pay import (
    counts_toward_cap,
    expected_hourly_rate,
    hourly_rate,
    pay_by_kind,
    year_earnings,
)
from sync.protocol import LedgerEntry
from sync.server_clock import ClockOffset, LeaseUrgency, lease_urgency, time_left

NOW = datetime(2031, 6, 1, 12, 0, tzinfo=UTC)


def entry(n: int, **fields: Any) -> LedgerEntry:
    values: dict[str, Any] = {
        "entry_id": f"e-{n}",
        "kind": "task_reward",
        "status": "approved",
        "amount": "0.10",
        "currency": "EUR",
        "task_kind": "translation",
        "occurred_at": NOW,
        "updated_at": NOW,
    }
    return LedgerEntry.model_validate({**values, **fields})


# --- rates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reward", "minutes", "expected"),
    [
        ("0.06", 1.5, Decimal("2.40")),
        ("0.08", 2, Decimal("2.40")),
        ("0.05", 1, Decimal("3.00")),
        ("0.10", 0.7, Decimal("8.57")),
        ("0.10", None, None),
        ("0.10", 0, None),
    ],
)
def test_the_expected_hourly_rate_is_reward_times_tasks_per_hour(
    reward: str, minutes: float | None, expected: Decimal | None
) -> None:
    assert expected_hourly_rate(Decimal(reward), minutes) == expected


def test_the_true_hourly_rate_needs_measured_time() -> None:
    assert hourly_rate(Decimal("1.20"), 1800) == Decimal("2.40")
    assert hourly_rate(Decimal("1.20"), 0) is None
    assert hourly_rate(Decimal("1.20"), None) is None


def test_true_pay_per_kind_leaves_out_rejections_and_untimed_work_from_the_rate() -> None:
    entries = [
        entry(1, active_seconds=60),
        entry(2, active_seconds=120, amount="0.20"),
        entry(3),  # no active time: counted in the amount, not in the rate
        entry(4, status="rejected", active_seconds=600),
        entry(5, task_kind="photo_clip", amount="0.08", active_seconds=144),
        entry(6, kind="bonus", task_kind=None, amount="5"),
        entry(1, active_seconds=60, status="paid"),  # a later copy of entry 1
    ]
    pay = pay_by_kind(entries)
    assert set(pay) == {"translation", "photo_clip"}
    translation = pay["translation"]
    assert (translation.tasks, translation.amount) == (3, Decimal("0.40"))
    assert (translation.timed_amount, translation.active_seconds) == (Decimal("0.30"), 180)
    assert translation.rate == Decimal("6.00")
    assert pay["photo_clip"].rate == Decimal("2.00")


# --- the yearly cap -----------------------------------------------------------------------


def test_the_year_total_counts_what_the_server_counts_toward_the_cap() -> None:
    last_year = NOW.replace(year=2030)
    entries = [
        entry(1, status="pending"),
        entry(2, status="paid"),
        entry(3, status="rejected"),
        entry(4, kind="bonus", amount="2.50", task_kind=None),
        entry(5, kind="payout", status="paid", amount="-0.20", task_kind=None),
        entry(6, occurred_at=last_year, updated_at=NOW),
        # Already New Year's Day 2032 in Samoa (UTC+13), still 2031 by UTC: UTC decides.
        entry(7, occurred_at=datetime(2031, 12, 31, 23, 0, tzinfo=UTC)),
    ]
    assert [counts_toward_cap(e) for e in entries[:5]] == [True, True, False, True, False]
    assert year_earnings(entries, 2031) == Decimal("2.80")
    assert year_earnings(entries, 2030) == Decimal("0.10")


# --- the server clock and leases ---------------------------------------------------------


def test_the_offset_is_measured_from_the_middle_of_the_request() -> None:
    sent = NOW
    received = NOW + timedelta(seconds=2)
    offset = ClockOffset.measure(NOW + timedelta(hours=1, seconds=1), sent, received)
    assert offset.offset_seconds == 3600
    assert (offset.uncertainty_seconds, offset.measured_at) == (1.0, received)
    assert offset.server_now(NOW) == NOW + timedelta(hours=1)
    with pytest.raises(ValueError, match="timezone-aware"):
        ClockOffset.measure(NOW.replace(tzinfo=None), sent, received)


def test_time_left_on_a_lease_follows_the_server_clock_offline() -> None:
    behind = ClockOffset(offset_seconds=-600, measured_at=NOW)  # the server is 10 min behind
    expires = NOW + timedelta(hours=1)
    assert time_left(expires, behind, NOW) == timedelta(hours=1, minutes=10)
    assert time_left(expires, None, NOW) == timedelta(hours=1)
    assert time_left(expires, behind, NOW + timedelta(hours=2)) < timedelta(0)


def test_a_lease_warns_before_it_ends_counting_the_uncertainty_against_the_contributor() -> None:
    offset = ClockOffset(offset_seconds=0, measured_at=NOW, uncertainty_seconds=30)
    expires = NOW + timedelta(hours=2)
    warn = timedelta(hours=1)
    assert lease_urgency(expires, offset, warn, NOW) is LeaseUrgency.OK
    assert lease_urgency(expires, offset, warn, NOW + timedelta(minutes=59, seconds=40)) is (
        LeaseUrgency.SOON
    )
    assert lease_urgency(
        expires, offset, warn, NOW + timedelta(hours=1, minutes=59, seconds=45)
    ) is (LeaseUrgency.EXPIRED)
    assert lease_urgency(expires, None, warn, NOW + timedelta(hours=3)) is LeaseUrgency.EXPIRED
