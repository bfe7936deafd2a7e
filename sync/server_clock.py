"""The server's clock seen from this computer: an offset kept for lease warnings offline.

Qt-free, no SQL. Leases expire by the server's clock, which may differ from the
local one (a wrong time zone setting, a laptop clock drifting for days offline).
A ``ClockOffset`` measured at the last contact lets the application say how
long a lease has left, and warn before it ends, without the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

__all__ = ["ClockOffset", "LeaseUrgency", "lease_urgency", "time_left"]


@dataclass(frozen=True)
class ClockOffset:
    """Server time minus local time, measured at ``measured_at`` (local, timezone-aware).

    ``uncertainty_seconds`` is half the time the measuring request took: the
    true offset lies within that much of ``offset_seconds``.
    """

    offset_seconds: float
    measured_at: datetime
    uncertainty_seconds: float = 0.0

    @classmethod
    def measure(
        cls, server_time: datetime, sent_at: datetime, received_at: datetime
    ) -> ClockOffset:
        """The offset from a server time read in an answer to a request sent at
        ``sent_at`` and answered at ``received_at`` (both local and aware). Raises
        ``ValueError`` for a naive datetime."""
        for value in (server_time, sent_at, received_at):
            if value.tzinfo is None:
                raise ValueError("times must be timezone-aware")
        round_trip = max(0.0, (received_at - sent_at).total_seconds())
        midpoint = sent_at + timedelta(seconds=round_trip / 2)
        return cls(
            offset_seconds=(server_time - midpoint).total_seconds(),
            measured_at=received_at,
            uncertainty_seconds=round_trip / 2,
        )

    def server_now(self, local_now: datetime | None = None) -> datetime:
        """The server's time now, estimated from the local clock."""
        now = local_now or datetime.now(UTC)
        return now + timedelta(seconds=self.offset_seconds)


def time_left(
    expires_at: datetime, offset: ClockOffset | None, local_now: datetime | None = None
) -> timedelta:
    """How long until ``expires_at`` (a server time); negative once past.

    Without an offset the local clock stands in for the server's.
    """
    now = local_now or datetime.now(UTC)
    server_now = offset.server_now(now) if offset is not None else now
    return expires_at - server_now


class LeaseUrgency(StrEnum):
    OK = "ok"
    SOON = "soon"  # less than the warning time left: finish or release the tasks
    EXPIRED = "expired"  # results sent now are refused (lease_expired)


def lease_urgency(
    expires_at: datetime,
    offset: ClockOffset | None,
    warn_before: timedelta,
    local_now: datetime | None = None,
) -> LeaseUrgency:
    """Whether a lease ending at ``expires_at`` needs a warning now.

    The offset's uncertainty counts against the contributor: a lease is
    ``SOON`` (or ``EXPIRED``) as early as it could be.
    """
    left = time_left(expires_at, offset, local_now)
    if offset is not None:
        left -= timedelta(seconds=offset.uncertainty_seconds)
    if left <= timedelta(0):
        return LeaseUrgency.EXPIRED
    if left <= warn_before:
        return LeaseUrgency.SOON
    return LeaseUrgency.OK
