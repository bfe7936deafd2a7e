"""Earnings view with 100,000 ledger entries against a bare window, side by side in one run.

- baseline: a bare ``QWidget`` of the same size created, shown and painted;
- the ``EarningsView`` on a real profile file holding the entries: created, shown and
  painted (goal ≤ 300 ms), then until the computed totals are on screen;
- while the totals are computed, the longest the UI thread went without running a
  timer (the work is on the database and network workers: it should stay short);
- the parts of the computation alone (store read, parsing, summing) for reference.

Runs alternate between the two windows so machine noise hits both alike.

    QT_QPA_PLATFORM=offscreen python -m bench.earnings [--runs 5] [--entries 100000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZE = (1100, 720)  # the main window's default size
KINDS = {"translation": "0.45", "transcription": "0.30", "photo_clip": "0.12"}
TODAY = date(2026, 11, 20)


def make_profile(root: Path, entries: int) -> Path:
    """A profile whose ledger holds ``entries`` lines over three years, as a sync stores them.

    Rows go in through sqlite-utils in one transaction: the sync's row-by-row upsert
    would take minutes for 100,000 entries and is not what is measured here.
    """
    from app.profile import Profile
    from app.store import Store

    profile = Profile(root / "profile").ensure()
    store = Store(profile.db_path)
    rng = random.Random(1)
    start = datetime(2024, 1, 1, 8, tzinfo=UTC)
    span = int((datetime(2026, 11, 20, tzinfo=UTC) - start).total_seconds())
    rows, times = [], []
    for index in range(entries):
        when = (start + timedelta(seconds=rng.randrange(span))).isoformat()
        kind = rng.choice(list(KINDS))
        roll = rng.random()
        if roll < 0.01:
            entry_kind, status, amount, kind_of = "payout", "paid", "-50.00", None
        elif roll < 0.02:
            entry_kind, status, amount, kind_of = "bonus", "approved", "2.00", None
        else:
            entry_kind, amount, kind_of = "task_reward", KINDS[kind], kind
            status = rng.choice(("pending", "approved", "paid", "paid", "rejected"))
            active = rng.uniform(60, 400)
            times.append(
                {"task_id": f"t{index}", "kind": kind, "active_s": active,
                 "spent_s": active * 1.4, "updated_at": when}
            )  # fmt: skip
        rows.append(
            {"id": f"e{index}", "entry_kind": entry_kind, "status": status, "amount": amount,
             "currency": "EUR", "task_id": f"t{index}" if kind_of else None, "kind": kind_of,
             "reason": "Arrived after the deadline" if status == "rejected" else None,
             "occurred_at": when, "updated_at": when, "received_at": when}
        )  # fmt: skip
    with store.db.atomic():
        store.db.table("ledger").insert_all(rows, batch_size=2000)
        store.db.table("task_time").insert_all(times, batch_size=2000)
    store.set_setting("server.config", {"annual_cap": "3000.00", "currency": "EUR"})
    store.set_setting("earnings.reference_hourly_wage", "9.50")
    store.close()
    return profile.root


class PaintWatch:
    """Notes when a widget first paints."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.painted_at: float | None = None

        class Filter(QObject):
            def eventFilter(inner, _obj: Any, event: Any) -> bool:  # noqa: N802, N805
                if event.type() == QEvent.Type.Paint and self.painted_at is None:
                    self.painted_at = time.perf_counter()
                return False

        self._filter = Filter()
        widget.installEventFilter(self._filter)


def wait(app: Any, done: Any, what: str, timeout: float = 120.0) -> float:
    """Run the event loop until ``done()``; returns that moment, after the whole pass of
    events that made it true (a paint pass covers every child widget)."""
    deadline = time.monotonic() + timeout
    while True:
        app.processEvents()
        if done():
            return time.perf_counter()
        time.sleep(0.0005)
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")


def settle(app: Any) -> None:
    """Delete the closed window and its data before the next run, outside the timing."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def bare_window(app: Any) -> float:
    from PySide6.QtWidgets import QWidget

    started = time.perf_counter()
    window = QWidget()
    watch = PaintWatch(window)
    window.resize(*SIZE)
    window.show()
    painted = wait(app, lambda: watch.painted_at is not None, "the bare window's paint")
    window.close()
    window.deleteLater()
    settle(app)
    return painted - started


def earnings_view(app: Any, ctx: Any) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from app.earnings_view import EarningsView

    started = time.perf_counter()
    view = EarningsView(ctx, today=lambda: TODAY)
    # The view is a scroll area: its first painted child marks the first paint.
    watch, chart = PaintWatch(view.headline), PaintWatch(view.periods.chart)
    shown: list[float] = []

    def summary_shown() -> None:
        shown.append(time.perf_counter())
        chart.painted_at = None  # from now on, a paint of the chart shows the totals

    view.summaryShown.connect(summary_shown)
    view.resize(*SIZE)
    view.show()
    painted = wait(app, lambda: watch.painted_at is not None, "the earnings view's first paint")
    first_paint = painted - started
    assert view.headline.text() == "Computing…", "the totals came before the first paint"
    # The UI thread's heartbeat while the workers compute: the longest gap between ticks.
    ticks: list[float] = [time.perf_counter()]
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()
    wait(app, lambda: bool(shown), "the earnings totals")
    heartbeat.stop()
    ticks.append(shown[0])
    stall = max(b - a for a, b in zip(ticks, ticks[1:], strict=False))
    filled = wait(app, lambda: chart.painted_at is not None, "the totals' paint") - started
    assert view.periods.chart.bar_count() > 0
    view.close()
    view.deleteLater()
    settle(app)
    return {"first_paint": first_paint, "filled": filled, "stall": stall}


def computation_parts(ctx: Any, runs: int) -> dict[str, float]:
    from app.earnings_view_data import compute, read_snapshot

    reads, computes = [], []
    for _ in range(runs):
        started = time.perf_counter()
        snapshot = read_snapshot(ctx.store)
        reads.append(time.perf_counter() - started)
        started = time.perf_counter()
        compute(snapshot, TODAY)
        computes.append(time.perf_counter() - started)
    return {"store_read_s": statistics.median(reads), "compute_s": statistics.median(computes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()

    from app.gui import make_application

    app = make_application()
    from app.context import AppContext
    from app.profile import Profile

    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-earnings-") as tmp:
        started = time.perf_counter()
        root = make_profile(Path(tmp), args.entries)
        setup_s = time.perf_counter() - started
        ctx = AppContext.open(Profile(root))  # the window has its store open already
        try:
            bare_window(app)  # warm-up: first use of fonts and the platform plugin
            earnings_view(app, ctx)
            bare, first, filled, stall = [], [], [], []
            for _ in range(args.runs):
                bare.append(bare_window(app))
                marks = earnings_view(app, ctx)
                first.append(marks["first_paint"])
                filled.append(marks["filled"])
                stall.append(marks["stall"])
            parts = computation_parts(ctx, max(1, args.runs // 2))
        finally:
            ctx.close()

    result: dict[str, Any] = {
        "benchmark": "earnings",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", ""),
        "entries": args.entries,
        "runs": args.runs,
        "setup_s": setup_s,
        "bare_window_paint_s": statistics.median(bare),
        "earnings_first_paint_s": statistics.median(first),
        "earnings_totals_shown_s": statistics.median(filled),
        "ui_longest_stall_s": statistics.median(stall),
        **parts,
        "goal_first_paint_s": 0.3,
    }
    result["ratio_first_paint"] = result["earnings_first_paint_s"] / result["bare_window_paint_s"]
    result["ratio_totals_shown"] = result["earnings_totals_shown_s"] / result["bare_window_paint_s"]
    if args.json:
        print(json.dumps(result, indent=2))
        return
    r = result
    print(f"machine: {r['machine']} (Qt platform {r['qt_platform']})")
    print(f"medians of {args.runs} runs, {args.entries:,} ledger entries in the profile")
    print(f"  bare QWidget shown and painted    {r['bare_window_paint_s'] * 1000:7.1f} ms   1.00×")
    print(f"  earnings view first paint         {r['earnings_first_paint_s'] * 1000:7.1f} ms   "
          f"{r['ratio_first_paint']:.2f}×   (goal ≤ 300 ms)")  # fmt: skip
    print(f"  earnings view totals shown        {r['earnings_totals_shown_s'] * 1000:7.1f} ms   "
          f"{r['ratio_totals_shown']:.2f}×")  # fmt: skip
    print(f"  longest UI-thread stall meanwhile {r['ui_longest_stall_s'] * 1000:7.1f} ms")
    print(f"  of which: store read (db worker)  {r['store_read_s'] * 1000:7.1f} ms, "
          f"parse and sum (net worker) {r['compute_s'] * 1000:.1f} ms")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
