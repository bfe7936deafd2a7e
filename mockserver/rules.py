"""The platform's rules as pure decisions: rotation, the yearly cap, and judging a result.

No database and no clock here: callers gather the facts, these functions
decide, and tests can check each rule directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from mockserver.records import BundleRow, LeaseRow, ResultRow, TaskRow
from sync.bundle_errors import summarize
from sync.protocol import RejectReason
from taskkinds import TaskKind


def rotation_blocks(
    recent_kinds: Sequence[str], kind: str, offered_kinds: Iterable[str], limit: int
) -> bool:
    """True when a claim of ``kind`` breaks rotation.

    ``recent_kinds`` are the kinds of the contributor's previous claims, newest
    first; ``offered_kinds`` those of the other bundles on offer. The claim is
    refused when the last ``limit`` claims were all of ``kind`` and another
    kind is on offer. ``limit`` <= 0 turns rotation off.
    """
    if limit <= 0 or len(recent_kinds) < limit:
        return False
    if any(previous != kind for previous in recent_kinds[:limit]):
        return False
    return any(other != kind for other in offered_kinds)


def cap_blocks(earned: Decimal, outstanding: Decimal, bundle_total: Decimal, cap: Decimal) -> bool:
    """True when earnings this year plus work in hand plus this bundle would pass ``cap``."""
    return earned + outstanding + bundle_total > cap


def year_bounds(now: datetime) -> tuple[float, float]:
    """The calendar year (UTC) holding ``now``, as POSIX seconds [start, end)."""
    start = datetime(now.year, 1, 1, tzinfo=UTC)
    return start.timestamp(), datetime(now.year + 1, 1, 1, tzinfo=UTC).timestamp()


@dataclass(frozen=True)
class Rejection:
    reason: RejectReason
    message: str


def judge_result(
    contributor_id: str,
    task_id: str,
    kind: str,
    *,
    bundle: BundleRow | None,
    task: TaskRow | None,
    holder: LeaseRow | None,
    my_lease: tuple[LeaseRow, float | None] | None,
    accepted: ResultRow | None,
    now: float,
) -> Rejection | None:
    """Why a new result must be refused, or None if only its content remains to check.

    ``holder`` is the bundle's active lease (anyone's), ``my_lease`` the
    contributor's latest lease covering the task with its release time, and
    ``accepted`` an accepted result already stored for the task.
    """
    if bundle is None or task is None:
        where = "it" if bundle is None else f"bundle '{bundle.bundle_id}'"
        return Rejection(
            RejectReason.UNKNOWN_TASK, f"There is no task '{task_id}' in {where} on this server."
        )
    if holder is not None and holder.contributor_id != contributor_id:
        return Rejection(RejectReason.NOT_YOURS, "This task is leased to another contributor.")
    if my_lease is None:
        return Rejection(RejectReason.NOT_YOURS, "You never claimed this task's bundle.")
    lease, released_at = my_lease
    if released_at is not None:
        return Rejection(RejectReason.NOT_YOURS, "You released this task; it is no longer yours.")
    if task.withdrawn or bundle.withdrawn:
        return Rejection(RejectReason.WITHDRAWN, "The platform withdrew this task; it is not paid.")
    if lease.expires_at <= now:
        return Rejection(
            RejectReason.LEASE_EXPIRED,
            "Your lease on this bundle expired before the result arrived; it is not paid.",
        )
    if kind != bundle.kind:
        return Rejection(
            RejectReason.INVALID, f"This task is of kind '{bundle.kind}', not '{kind}'."
        )
    if accepted is not None:
        return Rejection(
            RejectReason.INVALID,
            "This task already has an accepted result; a second one is not counted.",
        )
    return None


def content_problem(kind: TaskKind, payload_json: str, result: dict[str, Any]) -> str | None:
    """The first blocking problem of ``result`` by the kind's own checks, or None."""
    payload = kind.parse_payload(json.loads(payload_json))
    try:
        parsed = kind.parse_result(result)
    except ValidationError as exc:
        return f"The result does not have the expected shape: {summarize(exc)}."
    for problem in kind.validate(payload, parsed):
        if problem.blocking:
            return f"{problem.where}: {problem.message}" if problem.where else problem.message
    return None
