"""Running a job off the UI thread and getting its outcome back on it. Knows nothing of tasks.

A job is a plain function; its outcome (its return value, or the exception it
raised) is handed to a callback on the UI thread. Tests and scripts pass
``run_inline`` instead of ``thread_pool_runner`` to run jobs deterministically.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

__all__ = ["Done", "RunBackground", "run_inline", "thread_pool_runner"]

# A job, and what to call on the UI thread with its outcome (a value or an exception).
Done = Callable[[Any], None]
RunBackground = Callable[[Callable[[], Any], Done], None]


class _Bridge(QObject):
    """Carries a background outcome back to the UI thread (queued across threads)."""

    finished = Signal(object, object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], done: Done, bridge: _Bridge) -> None:
        super().__init__()
        self.fn, self.done, self.bridge = fn, done, bridge

    def run(self) -> None:
        try:
            outcome: Any = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread, shown there
            outcome = exc
        # RuntimeError: the bridge's owner was closed while the job ran.
        with contextlib.suppress(RuntimeError):
            self.bridge.finished.emit(self.done, outcome)


def thread_pool_runner(parent: QObject) -> RunBackground:
    """Run jobs on Qt's global thread pool; callbacks run on ``parent``'s thread."""
    bridge = _Bridge(parent)
    bridge.finished.connect(lambda done, outcome: done(outcome))

    def run(fn: Callable[[], Any], done: Done) -> None:
        QThreadPool.globalInstance().start(_Job(fn, done, bridge))

    return run


def run_inline(fn: Callable[[], Any], done: Done) -> None:
    """Run a job at once on the calling thread (for tests and scripts)."""
    try:
        outcome: Any = fn()
    except Exception as exc:  # noqa: BLE001
        outcome = exc
    done(outcome)
