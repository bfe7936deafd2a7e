"""Batched result submission: one answer per result, each result paid at most once.

Each result is judged and stored in its own transaction, committed before the
answer is written: a client that loses the answer and sends the batch again
gets ``duplicate`` for what was already stored.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from mockserver import grading, rules
from mockserver.errors import ApiError
from mockserver.records import LedgerRow, ResultRow
from sync.protocol import (
    BatchResponse,
    ErrorCode,
    LedgerKind,
    LedgerStatus,
    RejectReason,
    ResultAck,
    ResultBatch,
    ResultItem,
    ResultStatus,
)
from taskkinds import UnknownKind

if TYPE_CHECKING:
    from mockserver.state import ServerState

ACCEPTED = ResultStatus.ACCEPTED.value
REJECTED = ResultStatus.REJECTED.value


def submit_batch(state: ServerState, contributor_id: str, batch: ResultBatch) -> BatchResponse:
    """Judge and store every result of the batch, in order; raises ``ApiError`` 413 if too big."""
    largest = state.options.largest_batch
    if len(batch.results) > largest:
        raise ApiError(
            413,
            ErrorCode.BATCH_TOO_LARGE,
            f"A batch holds at most {largest} results; this one holds {len(batch.results)}.",
        )
    return BatchResponse(acks=[submit_one(state, contributor_id, item) for item in batch.results])


def submit_one(state: ServerState, contributor_id: str, item: ResultItem) -> ResultAck:
    """Judge one result and store it with its ledger entry, all in one transaction."""
    key = str(item.idempotency_key)
    store = state.store
    with store.transaction():
        prior = store.result(key)
        if prior is not None:
            return _repeat_ack(item, prior, contributor_id)
        now = state.clock.timestamp()
        bundle = store.bundle(item.bundle_id)
        task = store.task(item.bundle_id, item.task_id) if bundle else None
        rejection = rules.judge_result(
            contributor_id,
            item.task_id,
            item.kind,
            bundle=bundle,
            task=task,
            holder=store.active_lease(item.bundle_id, now) if bundle else None,
            my_lease=store.latest_lease_of_task(contributor_id, item.bundle_id, item.task_id),
            accepted=store.accepted_result_of_task(item.bundle_id, item.task_id),
            now=now,
        )
        if rejection is None and task is not None:
            problem = _content_problem(state, item, task.payload)
            if problem is not None:
                rejection = rules.Rejection(RejectReason.INVALID, problem)
        row = ResultRow(
            idempotency_key=key,
            contributor_id=contributor_id,
            bundle_id=item.bundle_id,
            task_id=item.task_id,
            kind=item.kind,
            status=ACCEPTED if rejection is None else REJECTED,
            reason=None if rejection is None else rejection.reason.value,
            message=None if rejection is None else rejection.message,
            result=json.dumps(item.result, ensure_ascii=False),
            submitted_at=item.submitted_at.isoformat(),
            received_at=now,
            active_seconds=item.active_seconds,
            elapsed_seconds=item.elapsed_seconds,
            started_at=None if item.started_at is None else item.started_at.isoformat(),
        )
        store.add_result(row)
        if rejection is not None or task is None or bundle is None:
            return _ack(item, row)
        grading.grade_accepted(state, bundle, row, now)
        if bundle.purpose != "work":
            return _ack(item, row)  # qualification tests are not paid
        store.add_ledger_entry(
            LedgerRow(
                entry_id=new_entry_id(),
                seq=0,
                contributor_id=contributor_id,
                kind=LedgerKind.TASK_REWARD.value,
                status=LedgerStatus.PENDING.value,
                amount=str(Decimal(task.reward)),
                currency=bundle.currency,
                bundle_id=bundle.bundle_id,
                task_id=task.task_id,
                task_kind=bundle.kind,
                idempotency_key=key,
                reason=None,
                occurred_at=now,
                updated_at=now,
                active_seconds=item.active_seconds,
            )
        )
        return _ack(item, row)


def new_entry_id() -> str:
    return f"E-{uuid.uuid4().hex[:24]}"


def _content_problem(state: ServerState, item: ResultItem, payload_json: str) -> str | None:
    try:
        kind = state.registry.get(item.kind)
    except UnknownKind:
        return f"This server does not know the task kind '{item.kind}'."
    return rules.content_problem(kind, payload_json, item.result)


def _ack(item: ResultItem, row: ResultRow) -> ResultAck:
    return ResultAck(
        idempotency_key=item.idempotency_key,
        status=ResultStatus(row.status),
        reason=row.reason,
        message=row.message,
    )


def _repeat_ack(item: ResultItem, prior: ResultRow, contributor_id: str) -> ResultAck:
    """A key seen before: ``duplicate`` if it was accepted, the same rejection if not."""
    if prior.contributor_id != contributor_id:
        return ResultAck(
            idempotency_key=item.idempotency_key,
            status=ResultStatus.REJECTED,
            reason=RejectReason.NOT_YOURS.value,
            message="This idempotency key belongs to another contributor's result.",
        )
    if prior.status == ACCEPTED:
        return ResultAck(
            idempotency_key=item.idempotency_key,
            status=ResultStatus.DUPLICATE,
            message="This result arrived before; it is counted once.",
        )
    return _ack(item, prior)
