"""Backing off after failures, and stopping long work on request.

Qt-free. ``RetryPolicy`` repeats an operation after ``NetworkUnavailable`` or
``ServerBusy`` with full-jitter exponential backoff, waiting longer when the
server's ``Retry-After`` asks for it. ``CancelToken`` is the one object every
long-running sync function takes to stop early; its ``wait`` is how they sleep.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from sync.errors import Cancelled, NetworkUnavailable, ServerBusy, ServerError

T = TypeVar("T")

__all__ = ["CancelToken", "RetryPolicy", "is_transient", "parse_retry_after"]


class CancelToken:
    """A thread-safe "please stop" flag that long-running work checks between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop; every ``wait`` in progress returns at once."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; return True (early) if cancelled meanwhile."""
        return self._event.wait(max(0.0, seconds))

    def raise_if_cancelled(self, what: str = "Sync") -> None:
        """Raise ``Cancelled(what)`` if ``cancel()`` was called."""
        if self._event.is_set():
            raise Cancelled(what)


def is_transient(error: ServerError) -> bool:
    """Whether trying the same request again later may succeed."""
    return isinstance(error, NetworkUnavailable | ServerBusy)


@dataclass
class RetryPolicy:
    """How often and how long to retry after transient failures.

    ``attempts`` counts tries in all (the first one included). The wait before
    retry *n* (0-based) is uniform in ``[0, min(cap, base * 2**n)]`` ("full
    jitter"), or the server's ``Retry-After`` when that is longer. A server that
    asks to wait more than ``longest_wait`` seconds is not waited for: the error
    goes back to the caller at once (with its ``retry_after``) so the
    application can schedule the next pass instead of blocking a thread.
    ``sleep`` replaces the real wait (tests pass a fake clock); when it is None
    the wait is ``cancel.wait`` or ``time.sleep``.
    """

    attempts: int = 5
    base: float = 0.5
    cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] | None = None
    longest_wait: float = 300.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy needs at least one attempt")
        if self.base < 0 or self.cap < 0:
            raise ValueError("RetryPolicy delays cannot be negative")

    def backoff(self, retry: int) -> float:
        """The jittered wait before retry number ``retry`` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * 2.0 ** min(retry, 64))
        return self.rng.uniform(0.0, ceiling)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """The wait before retry ``retry``: the backoff, or ``retry_after`` if that is longer."""
        wait = self.backoff(retry)
        if retry_after is not None and retry_after > wait:
            wait = retry_after
        return wait

    def pause(self, seconds: float, cancel: CancelToken | None = None) -> None:
        """Wait ``seconds`` (through ``sleep`` if set); raise ``Cancelled`` if cancelled."""
        if cancel is not None:
            cancel.raise_if_cancelled()
        if self.sleep is not None:
            self.sleep(seconds)
        elif cancel is not None:
            cancel.wait(seconds)
        else:
            time.sleep(seconds)
        if cancel is not None:
            cancel.raise_if_cancelled()

    def call(
        self,
        operation: Callable[[], T],
        *,
        cancel: CancelToken | None = None,
        should_retry: Callable[[ServerError], bool] = is_transient,
        on_retry: Callable[[int, ServerError, float], None] | None = None,
    ) -> T:
        """Run ``operation`` until it succeeds, retrying transient ``ServerError``\\ s.

        ``should_retry`` decides which errors are worth another try (default:
        ``NetworkUnavailable`` and ``ServerBusy``); ``on_retry(retry, error,
        wait)`` is told before each wait. Returns what ``operation`` returns.
        Raises the last error once ``attempts`` are used up or the server asks
        for a wait longer than ``longest_wait``; raises ``Cancelled`` if
        ``cancel`` is cancelled before a try or during a wait.
        """
        retry = 0
        while True:
            if cancel is not None:
                cancel.raise_if_cancelled()
            try:
                return operation()
            except ServerError as error:
                if retry + 1 >= self.attempts or not should_retry(error):
                    raise
                retry_after = error.retry_after if isinstance(error, ServerBusy) else None
                if retry_after is not None and retry_after > self.longest_wait:
                    raise
                wait = self.delay(retry, retry_after)
                if on_retry is not None:
                    on_retry(retry, error, wait)
                self.pause(wait, cancel)
                retry += 1


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns None when the header is missing or unreadable; never a negative number.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if math.isnan(seconds):
        return None
    # An absurd value (inf, years) stays finite so arithmetic and messages work.
    return min(max(0.0, seconds), 365 * 86400.0)
