"""The platform's rules as pure decisions: rotation, fatigue, the yearly cap, gold
questions, accuracy and judging a result.

No database and no clock here: callers gather the facts, these functions
decide, and tests can check each rule directly.
"""

from __future__ import annotations

import json
import math
from collections import deque
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


def fatigue_until(
    times: Sequence[float], limit: int, window_s: float, pause_s: float, now: float
) -> float | None:
    """When the pause that ``times`` (results of one kind, oldest first) earned ends, if later
    than ``now``; else None.

    ``limit`` results within ``window_s`` seconds start a pause of ``pause_s``
    seconds from the last of them. Results that arrive during a pause (from
    bundles held before it) do not count, and counting starts afresh after it.
    ``limit`` <= 0 or ``pause_s`` <= 0 turns the rule off.
    """
    if limit <= 0 or pause_s <= 0:
        return None
    recent: deque[float] = deque()
    until: float | None = None
    for time in times:
        if until is not None and time < until:
            continue
        recent.append(time)
        while recent[0] <= time - window_s:
            recent.popleft()
        if len(recent) >= limit:
            until = time + pause_s
            recent.clear()
    return until if until is not None and until > now else None


def gold_count(rate: float, task_count: int, draw: float) -> int:
    """How many of ``task_count`` tasks are gold questions at ``rate``: ``rate × count``
    rounded down, plus one with the probability of its fraction (``draw`` in [0, 1))."""
    expected = max(0.0, rate) * task_count
    whole = math.floor(expected)
    return whole + (1 if draw < expected - whole else 0)


@dataclass(frozen=True)
class AccuracyLevel:
    """Where a mean of gold scores stands: ``status`` is unrated, good or at_risk, and
    ``withhold`` / ``grant`` say whether it withholds the kind or earns its qualification."""

    graded: int
    mean: float | None
    status: str
    withhold: bool
    grant: bool


def accuracy_level(
    scores: Sequence[float],
    *,
    window: int,
    min_graded: int,
    warn_below: float,
    withhold_below: float,
    grant_at: float | None,
    grant_graded: int,
) -> AccuracyLevel:
    """Judge the last ``window`` of ``scores`` (oldest first) against the thresholds."""
    kept = list(scores)[-window:] if window > 0 else []
    if not kept:
        return AccuracyLevel(0, None, "unrated", False, False)
    mean = sum(kept) / len(kept)
    if len(kept) < min_graded:
        return AccuracyLevel(len(kept), mean, "unrated", False, False)
    withhold = mean < withhold_below
    grant = grant_at is not None and len(kept) >= grant_graded and mean >= grant_at
    status = "at_risk" if mean < warn_below else "good"
    return AccuracyLevel(len(kept), mean, status, withhold, grant)


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
