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


def test_the_window_warns_of_a_lease_ending_soon_and_shows_time_left_on_its_tasks(
    qtbot, profile, bundle_file
) -> None:  # type: ignore[no-untyped-def]
    from app.context import AppContext
    from app.mainwindow import MainWindow

    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    try:
        window.import_files([bundle_file])
        soon = datetime.now(UTC) + timedelta(hours=2, minutes=30)
        ctx.store.save_lease(
            {
                "bundle_id": "b-test", "lease_id": "l1", "kind": "translation",
                "expires_at": soon.isoformat(), "archive_path": "/v1/bundles/b-test",
                "archive_sha256": "0" * 64, "size_bytes": 1,
            }
        )  # fmt: skip
        ctx.store.set_lease_state("b-test", "imported")
        window.refresh_status()
        assert window.lease_label.isVisible()
        assert "b-test ends in 2 h" in window.lease_label.text()
        window.queue.setCurrentIndex(window.queue_proxy.index(0, 0))
        assert "Lease: 2 h" in window.pane.details.text()
        # Offline, with the server's clock known to run 3 hours ahead of this laptop's.
        ctx.store.set_setting("server_clock_offset_s", 3 * 3600)
        window.refresh_status()
        assert "has ended" in window.lease_label.text()
    finally:
        window.close()
        ctx.close()
