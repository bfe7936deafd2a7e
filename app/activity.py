"""Active time on a task, and when to suggest a break. Qt-free; the clock is injectable.

Active time counts while a task's editor has the focus and the contributor does
something (a key, a click, the wheel) at least every ``idle_after`` seconds: a gap
longer than that counts only ``idle_after``, so a task left open over lunch does not
inflate the time. Spent time is the wall time the task was open, idle included: the
"all time" side of the hourly wage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BreakReminder", "KindRun", "TaskTime", "TaskTimer"]

Clock = Callable[[], float]

DEFAULT_IDLE_AFTER_S = 60.0


@dataclass(frozen=True)
class TaskTime:
    """Seconds measured on one task while it was open."""

    key: str
    active_s: float
    spent_s: float


class TaskTimer:
    """Measures the open task's active and spent time."""

    def __init__(self, idle_after_s: float = DEFAULT_IDLE_AFTER_S, clock: Clock = time.monotonic):
        self.idle_after_s = idle_after_s
        self._clock = clock
        self._key: str | None = None
        self._opened_at = 0.0
        self._active = 0.0
        self._last: float | None = None  # the last activity while focused
        self._focused = False

    @property
    def key(self) -> str | None:
        return self._key

    def start(self, key: str, *, focused: bool = True) -> TaskTime | None:
        """Start measuring ``key``; returns what the task open until now measured."""
        finished = self.stop()
        now = self._clock()
        self._key, self._opened_at, self._active = key, now, 0.0
        self._focused = focused
        self._last = now if focused else None
        return finished

    def activity(self) -> None:
        """The contributor did something in the editor."""
        if self._key is None or not self._focused:
            return
        now = self._clock()
        self._count_until(now)
        self._last = now

    def set_focused(self, focused: bool) -> None:
        """The editor gained or lost the focus (or the window its activation)."""
        if self._key is None or focused == self._focused:
            return
        now = self._clock()
        if focused:
            self._last = now
        else:
            self._count_until(now)
            self._last = None
        self._focused = focused

    def current(self) -> TaskTime | None:
        """What the open task measured so far, without stopping."""
        if self._key is None:
            return None
        now = self._clock()
        return TaskTime(self._key, self._active + self._pending(now), now - self._opened_at)

    def stop(self) -> TaskTime | None:
        """Stop measuring; returns the task's times, or None when no task was open."""
        measured = self.current()
        self._key, self._last, self._focused = None, None, False
        return measured

    def _pending(self, now: float) -> float:
        if self._last is None:
            return 0.0
        return min(max(now - self._last, 0.0), self.idle_after_s)

    def _count_until(self, now: float) -> None:
        self._active += self._pending(now)
        if self._last is not None:
            self._last = now


class BreakReminder:
    """Says when continuous work calls for a break, and waits after a snooze.

    Work is continuous while activity comes at least every ``rest_s`` seconds; a pause
    that long counts as a break and starts the count again.
    """

    def __init__(
        self,
        work_minutes: float = 50.0,
        snooze_minutes: float = 10.0,
        rest_minutes: float = 5.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.work_s = work_minutes * 60
        self.snooze_s = snooze_minutes * 60
        self.rest_s = rest_minutes * 60
        self._clock = clock
        self._since: float | None = None  # start of the current stretch of work
        self._last: float | None = None
        self._quiet_until = 0.0

    def activity(self) -> None:
        now = self._clock()
        if self._last is None or now - self._last >= self.rest_s:
            self._since = now  # back from a break (or the first activity)
            self._quiet_until = 0.0
        self._last = now

    def worked_s(self) -> float:
        """Seconds of the current stretch of continuous work."""
        if self._since is None or self._last is None:
            return 0.0
        now = self._clock()
        if now - self._last >= self.rest_s:
            return 0.0
        return now - self._since

    def due(self) -> bool:
        """A break is due: long continuous work, and no snooze running."""
        return self.worked_s() >= self.work_s and self._clock() >= self._quiet_until

    def snooze(self) -> None:
        self._quiet_until = self._clock() + self.snooze_s

    def took_break(self) -> None:
        self._since = self._last = None
        self._quiet_until = 0.0


class KindRun:
    """Counts tasks of one kind in a row, to suggest a change after a long run."""

    def __init__(self, suggest_after: int = 25) -> None:
        self.suggest_after = suggest_after
        self.kind: str | None = None
        self.count = 0
        self._suggested = False

    def submitted(self, kind: str) -> bool:
        """Record a submitted task; True once when the run reaches ``suggest_after``."""
        if kind != self.kind:
            self.kind, self.count, self._suggested = kind, 0, False
        self.count += 1
        if self.count >= self.suggest_after and not self._suggested:
            self._suggested = True
            return True
        return False
