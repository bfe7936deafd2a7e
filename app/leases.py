"""How long the contributor still holds each claimed bundle, also offline. Qt-free.

The server's clock decides when a lease ends. The client keeps the offset between its
clock and the server's as last seen (``server_offset_s``: server time minus local
time), so the time left stays right offline even when the laptop's clock is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sync.server_clock import ClockOffset, lease_urgency, time_left

__all__ = [
    "DEFAULT_WARN_HOURS",
    "LeaseTime",
    "lease_time",
    "lease_times",
    "left_text",
    "split_duration",
]

DEFAULT_WARN_HOURS = 6.0
Level = Literal["ok", "soon", "expired"]


@dataclass(frozen=True)
class LeaseTime:
    bundle_id: str
    expires_at: datetime
    left: timedelta
    level: Level


def lease_time(
    bundle_id: str,
    expires_at: datetime,
    *,
    now: datetime | None = None,
    server_offset_s: float = 0.0,
    warn_hours: float = DEFAULT_WARN_HOURS,
) -> LeaseTime:
    """Time left on a lease by the server's clock; ``soon`` under ``warn_hours``."""
    local = now or datetime.now(UTC)
    offset = ClockOffset(server_offset_s, local)
    left = time_left(expires_at, offset, local)
    level = lease_urgency(expires_at, offset, timedelta(hours=warn_hours), local)
    return LeaseTime(bundle_id, expires_at, left, level.value)


def lease_times(
    rows: Iterable[Mapping[str, Any]],
    *,
    now: datetime | None = None,
    server_offset_s: float = 0.0,
    warn_hours: float = DEFAULT_WARN_HOURS,
) -> dict[str, LeaseTime]:
    """Lease rows as the store keeps them (``bundle_id``, ``expires_at``), by bundle; rows
    released or with an unreadable date are left out."""
    times = {}
    for row in rows:
        if row.get("state") == "released":
            continue
        try:
            expires = datetime.fromisoformat(str(row["expires_at"]))
        except (KeyError, ValueError):
            continue
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=UTC)
        bundle = str(row["bundle_id"])
        times[bundle] = lease_time(
            bundle, expires, now=now, server_offset_s=server_offset_s, warn_hours=warn_hours
        )
    return times


def split_duration(left: timedelta) -> tuple[int, int, int]:
    """``(days, hours, minutes)`` of a time left, at least a minute when under an hour."""
    seconds = max(int(left.total_seconds()), 0)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes = max(rest // 60, 1 if not (days or hours) else 0)
    return days, hours, minutes


def left_text(left: timedelta) -> str:
    """``2 d 4 h``, ``3 h 12 min``, ``8 min``; ``expired`` at or past the end."""
    if left.total_seconds() <= 0:
        return "expired"
    days, hours, minutes = split_duration(left)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
