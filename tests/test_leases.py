"""Time left on leases, by the server's clock, offline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.leases import lease_time, lease_times, left_text

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def test_the_server_clock_offset_decides_the_time_left() -> None:
    ends = NOW + timedelta(hours=10)
    assert lease_time("b", ends, now=NOW).level == "ok"
    # The laptop's clock is 5 hours slow: by the server's clock only 5 hours are left.
    late = lease_time("b", ends, now=NOW, server_offset_s=5 * 3600)
    assert late.left == timedelta(hours=5) and late.level == "soon"
    assert lease_time("b", ends, now=NOW + timedelta(hours=11)).level == "expired"


def test_rows_from_the_store_skip_released_and_unreadable_leases() -> None:
    rows = [
        {
            "bundle_id": "b1",
            "expires_at": (NOW + timedelta(days=2)).isoformat(),
            "state": "imported",
        },
        {"bundle_id": "b2", "expires_at": "tomorrow", "state": "imported"},
        {"bundle_id": "b3", "expires_at": NOW.isoformat(), "state": "released"},
        {"bundle_id": "b4", "expires_at": "2026-11-29T13:00:00", "state": "claimed"},  # naive: UTC
    ]
    times = lease_times(rows, now=NOW)
    assert sorted(times) == ["b1", "b4"]
    assert times["b4"].left == timedelta(hours=1) and times["b4"].level == "soon"


def test_time_left_reads_briefly() -> None:
    assert left_text(timedelta(days=2, hours=4, minutes=5)) == "2 d 4 h"
    assert left_text(timedelta(hours=3, minutes=12)) == "3 h 12 min"
    assert left_text(timedelta(seconds=30)) == "1 min"
    assert left_text(timedelta(0)) == "expired"
