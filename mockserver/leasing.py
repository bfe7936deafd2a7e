"""The catalogue, claims, leases and releases: who holds which bundle until when."""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from mockserver import rules
from mockserver.availability import Availability, Block
from mockserver.catalogue import catalogue_entry
from mockserver.clock import from_timestamp
from mockserver.errors import ApiError
from mockserver.records import BundleRow, LeaseRow
from sync.protocol import (
    API_PREFIX,
    Catalogue,
    ErrorCode,
    Lease,
    LeaseList,
    ReleaseRequest,
    ReleaseResponse,
)

if TYPE_CHECKING:
    from mockserver.state import ServerState


def archive_path(bundle_id: str) -> str:
    return f"{API_PREFIX}/bundles/{bundle_id}/archive"


def catalogue(state: ServerState, contributor_id: str) -> Catalogue:
    """Bundles on offer now: published, before their deadline, unclaimed, not withdrawn;
    each marked ``locked`` or withheld for this contributor, with the reason."""
    now = state.clock.now()
    offered = state.store.offered_bundles(now.timestamp())
    available = Availability(
        state, contributor_id, [bundle for bundle, _ in offered], now.timestamp()
    )
    entries = []
    for bundle, count in offered:
        entry = catalogue_entry(state, bundle, count)
        update: dict[str, object] = {}
        if available.qualification_block(bundle) is not None:
            update["locked"] = True
        block = available.kind_block(bundle.kind)
        if block is not None:
            update["withheld_code"] = block.code.value
            update["withheld_reason"] = block.message
            update["withheld_until"] = None if block.until is None else from_timestamp(block.until)
        entries.append(entry.model_copy(update=update) if update else entry)
    return Catalogue(generated_at=now, bundles=entries)


def refusal(block: Block, now: float) -> ApiError:
    """The 403 a claim gets for ``block``; ``retry_after`` when it ends at a known time."""
    retry_after = None if block.until is None else max(0.0, block.until - now)
    return ApiError(403, block.code, block.message, retry_after=retry_after)


def lease_model(state: ServerState, lease: LeaseRow, bundle: BundleRow) -> Lease:
    return Lease(
        lease_id=lease.lease_id,
        bundle_id=bundle.bundle_id,
        kind=bundle.kind,
        task_ids=state.store.lease_task_ids(lease.lease_id),
        expires_at=from_timestamp(lease.expires_at),
        archive_path=archive_path(bundle.bundle_id),
        archive_sha256=bundle.sha256,
        size_bytes=bundle.size_bytes,
        claimed_at=from_timestamp(lease.claimed_at),
    )


def start_lease(state: ServerState, contributor_id: str, bundle: BundleRow, now: float) -> Lease:
    """Lease every task of ``bundle`` that is not withdrawn to the contributor from ``now``."""
    tasks = [task.task_id for task in state.store.tasks_of(bundle.bundle_id) if not task.withdrawn]
    lease = LeaseRow(
        lease_id=f"L-{uuid.uuid4().hex[:24]}",
        bundle_id=bundle.bundle_id,
        contributor_id=contributor_id,
        kind=bundle.kind,
        claimed_at=now,
        expires_at=now + state.options.lease_seconds,
    )
    state.store.add_lease(lease, tasks)
    return lease_model(state, lease, bundle)


def claim(state: ServerState, contributor_id: str, bundle_id: str) -> Lease:
    """Lease the whole bundle to the contributor for ``lease_seconds``.

    Claiming a bundle one already holds returns that lease again (a retried
    claim is harmless). Raises ``ApiError``: 404 ``not_offered``, 409
    ``already_claimed``, 403 ``qualification_needed``, 403 ``accuracy_too_low`` or
    ``rotation`` (with ``retry_after`` when the pause ends at a known time), or 403
    ``cap_reached``.
    """
    store, options = state.store, state.options
    with store.transaction():
        now = state.clock.now()
        stamp = now.timestamp()
        bundle = store.bundle(bundle_id)
        if bundle is None:
            raise ApiError(404, ErrorCode.NOT_OFFERED, f"There is no bundle '{bundle_id}'.")
        holder = store.active_lease(bundle_id, stamp)
        if holder is not None:
            if holder.contributor_id == contributor_id:
                return lease_model(state, holder, bundle)
            raise ApiError(
                409, ErrorCode.ALREADY_CLAIMED, f"Someone else has claimed '{bundle_id}'."
            )
        offered = store.offered_bundles(stamp)
        if bundle_id not in {row.bundle_id for row, _ in offered}:
            raise ApiError(
                404, ErrorCode.NOT_OFFERED, f"The bundle '{bundle_id}' is no longer offered."
            )
        available = Availability(state, contributor_id, [row for row, _ in offered], stamp)
        block = available.qualification_block(bundle) or available.kind_block(bundle.kind)
        if block is not None:
            raise refusal(block, stamp)
        tasks = [task for task in store.tasks_of(bundle_id) if not task.withdrawn]
        total = sum((Decimal(task.reward) for task in tasks), Decimal(0))
        start, end = rules.year_bounds(now)
        earned = sum(
            (Decimal(a) for a in store.earned_amounts(contributor_id, start, end)), Decimal(0)
        )
        in_hand = sum(
            (Decimal(a) for a in store.outstanding_rewards(contributor_id, stamp)), Decimal(0)
        )
        if rules.cap_blocks(earned, in_hand, total, options.annual_cap):
            raise ApiError(
                403,
                ErrorCode.CAP_REACHED,
                f"This bundle pays {total} {bundle.currency}. With {earned + in_hand} "
                f"{options.currency} earned or in hand this year, it would pass the yearly "
                f"cap of {options.annual_cap} {options.currency}.",
            )
        return start_lease(state, contributor_id, bundle, stamp)


def active_leases(state: ServerState, contributor_id: str) -> LeaseList:
    """The contributor's leases that are neither expired nor fully released."""
    leases = []
    for lease in state.store.active_leases(contributor_id, state.clock.timestamp()):
        bundle = state.store.bundle(lease.bundle_id)
        if bundle is not None:
            leases.append(lease_model(state, lease, bundle))
    return LeaseList(leases=leases, server_time=state.clock.now())


def release(state: ServerState, contributor_id: str, request: ReleaseRequest) -> ReleaseResponse:
    """Give back some tasks of a held bundle, or all of them (which ends the lease).

    Raises ``ApiError`` 404 ``not_found`` if the contributor holds no active lease on it.
    """
    with state.store.transaction():
        now = state.clock.timestamp()
        lease = state.store.active_lease(request.bundle_id, now)
        if lease is None or lease.contributor_id != contributor_id:
            raise ApiError(
                404, ErrorCode.NOT_FOUND, f"You hold no lease on the bundle '{request.bundle_id}'."
            )
        released = state.store.release_tasks(lease.lease_id, request.task_ids, now)
    return ReleaseResponse(released=released)


def archive_for(state: ServerState, contributor_id: str, bundle_id: str) -> tuple[Path, BundleRow]:
    """The archive file of a bundle the contributor holds now.

    Raises ``ApiError`` 404 ``not_found`` for an unknown bundle and 403
    ``forbidden`` when the contributor holds no active lease on it.
    """
    bundle = state.store.bundle(bundle_id)
    if bundle is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no bundle '{bundle_id}'.")
    lease = state.store.active_lease(bundle_id, state.clock.timestamp())
    if lease is None or lease.contributor_id != contributor_id:
        raise ApiError(
            403,
            ErrorCode.FORBIDDEN,
            f"The bundle '{bundle_id}' is not leased to you. Claim it before downloading it.",
        )
    path = state.bundles_dir / bundle.archive_name
    if not path.is_file():
        raise ApiError(
            500, ErrorCode.SERVER_ERROR, f"The archive of '{bundle_id}' is missing on the server."
        )
    return path, bundle
