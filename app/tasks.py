"""Executors that run work off the UI thread and bring results back through signals.

Usage reads like Anki's operations::

    op(store.tasks, kind="translation").success(model.set_rows).failure(show_error).run(ctx.db)

Background functions never touch widgets; ``success``/``failure`` callbacks run
on the UI thread. Tests swap in ``InlineExecutor`` to run everything at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Executor(Protocol):
    def submit(
        self, fn: Callable[[], Any], on_success: Callback, on_failure: ErrorCallback
    ) -> None: ...

    def call(self, fn: Callable[[], Any]) -> Any: ...

    def shutdown(self, wait: bool = True) -> None: ...


def _log_failure(exc: BaseException) -> None:
    log.error("background operation failed", exc_info=exc)


class InlineExecutor:
    """Runs each operation immediately on the calling thread (tests, command line)."""

    def submit(
        self, fn: Callable[[], Any], on_success: Callback, on_failure: ErrorCallback
    ) -> None:
        try:
            value = fn()
        except Exception as exc:  # noqa: BLE001 - handed to the failure callback
            on_failure(exc)
        else:
            on_success(value)

    def call(self, fn: Callable[[], Any]) -> Any:
        return fn()

    def shutdown(self, wait: bool = True) -> None:
        pass


class _Relay(QObject):
    # Emitted from a worker thread; Qt queues it to the thread that owns the relay (the UI).
    finished = Signal(object)


class ThreadExecutor:
    """A small thread pool whose callbacks come back on the UI thread.

    With ``workers=1`` operations run one after another in submission order,
    which is what the database worker relies on.
    """

    def __init__(self, name: str, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._relay = _Relay()
        self._relay.finished.connect(self._deliver)
        self._pending = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._closed = False

    def submit(
        self, fn: Callable[[], Any], on_success: Callback, on_failure: ErrorCallback
    ) -> None:
        if self._closed:
            # Only follow-up refreshes arrive this late; the window already flushed its work.
            log.debug("operation dropped: executor shut down")
            return
        with self._lock:
            self._pending += 1
        future = self._pool.submit(fn)
        future.add_done_callback(lambda f: self._relay.finished.emit((f, on_success, on_failure)))

    def _deliver(self, item: tuple[Future, Callback, ErrorCallback]) -> None:
        future, on_success, on_failure = item
        try:
            if self._closed:
                return
            exc = future.exception()
            if exc is not None:
                on_failure(exc)
            else:
                on_success(future.result())
        finally:
            with self._lock:
                self._pending -= 1
                self._idle.notify_all()

    @property
    def pending(self) -> int:
        """Operations submitted whose callbacks have not run yet."""
        return self._pending

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the worker and wait for it: only for shutdown (closing the window)."""
        return self._pool.submit(fn).result()

    def shutdown(self, wait: bool = True) -> None:
        self._closed = True
        self._pool.shutdown(wait=wait)


class Op:
    """One background operation with its callbacks; build with ``op(fn, *args)``."""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._on_success: Callback = lambda _value: None
        self._on_failure: ErrorCallback = _log_failure

    def success(self, fn: Callback) -> Op:
        self._on_success = fn
        return self

    def failure(self, fn: ErrorCallback) -> Op:
        self._on_failure = fn
        return self

    def run(self, executor: Executor) -> None:
        executor.submit(
            lambda: self._fn(*self._args, **self._kwargs), self._on_success, self._on_failure
        )


def op(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Op:
    return Op(fn, *args, **kwargs)
