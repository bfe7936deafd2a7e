"""Server time: the real UTC time plus an offset an admin can only move forward.

Moving the clock lets a tester expire leases and tokens without waiting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class ServerClock:
    """``now()`` is real UTC now + ``offset_seconds``; ``advance`` moves it forward.

    ``on_change`` is called with the new offset (to persist it) on every advance.
    """

    def __init__(
        self,
        offset_seconds: float = 0.0,
        *,
        on_change: Callable[[float], None] | None = None,
        real_now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._offset = float(offset_seconds)
        self._on_change = on_change
        self._real_now = real_now
        self._lock = threading.Lock()

    @property
    def offset_seconds(self) -> float:
        return self._offset

    def now(self) -> datetime:
        """The server's current time, timezone-aware UTC."""
        return self._real_now() + timedelta(seconds=self._offset)

    def timestamp(self) -> float:
        """The server's current time in POSIX seconds."""
        return self.now().timestamp()

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward by ``seconds`` (>= 0) and return the new time.

        Raises ``ValueError`` for a negative amount: time never goes back, so a
        lease that expired stays expired.
        """
        if seconds < 0:
            raise ValueError("The server clock only moves forward.")
        with self._lock:
            self._offset += seconds
            if self._on_change is not None:
                self._on_change(self._offset)
        return self.now()


def from_timestamp(seconds: float) -> datetime:
    """A stored POSIX time as a timezone-aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)
