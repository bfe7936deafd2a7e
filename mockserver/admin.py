"""Admin routes under ``/v1/admin``: what a tester does to the platform, behind ``X-Admin-Token``.

Never faulted (see ``faults.is_faultable``), so a tester can always reach them.
"""

# No ``from __future__ import annotations``: FastAPI must see the route annotations,
# which name dependencies built inside ``admin_router``, as real objects.
import hmac
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from mockserver import accounts, catalogue, earnings
from mockserver.clock import from_timestamp
from mockserver.errors import ApiError, unauthorized
from mockserver.state import ServerState
from sync.protocol import ErrorBody, ErrorCode, LedgerEntry, LedgerStatus
from sync.protocol_admin import (
    ADMIN_TOKEN_HEADER,
    AdvanceClockRequest,
    BonusRequest,
    ClockState,
    ContributorRequest,
    ContributorResponse,
    CursorResetResponse,
    ExpireTokensRequest,
    ExpireTokensResponse,
    FaultSettings,
    LedgerList,
    PayoutRequest,
    PayoutResponse,
    PublishDemoRequest,
    PublishResponse,
    ReviewRequest,
    ReviewResponse,
    StoredResult,
    StoredResultList,
    WithdrawRequest,
    WithdrawResponse,
)

_admin_key = APIKeyHeader(name=ADMIN_TOKEN_HEADER, auto_error=False)
_ERRORS = {status: {"model": ErrorBody} for status in (400, 401, 404, 409, 422)}


def admin_router(state: ServerState) -> APIRouter:
    """The admin routes of ``state``, each requiring its admin token."""

    def require_admin(token: Annotated[str | None, Depends(_admin_key)]) -> None:
        if not token or not hmac.compare_digest(token, state.admin_token):
            raise unauthorized(f"This needs the admin token in the {ADMIN_TOKEN_HEADER} header.")

    router = APIRouter(
        prefix="/v1/admin",
        tags=["admin"],
        dependencies=[Depends(require_admin)],
        responses=_ERRORS,  # type: ignore[arg-type]
    )

    @router.post(
        "/bundles",
        response_model=PublishResponse,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        },
    )
    async def publish_bundle(request: Request) -> PublishResponse:
        """Publish an uploaded bundle zip (the request body)."""
        staging = state.bundles_dir / f".upload-{uuid.uuid4().hex}.zip"
        try:
            with open(staging, "wb") as out:
                async for chunk in request.stream():
                    out.write(chunk)
            entry = await run_in_threadpool(catalogue.publish_archive, state, staging)
        finally:
            staging.unlink(missing_ok=True)
        return PublishResponse(bundles=[entry])

    @router.post("/demo", response_model=PublishResponse)
    def publish_demo(body: PublishDemoRequest) -> PublishResponse:
        """Publish a demo spec (or all) ``copies`` times under derived ids."""
        return PublishResponse(bundles=catalogue.publish_demo(state, body.spec, body.copies))

    @router.post("/approvals", response_model=ReviewResponse)
    def approve(body: ReviewRequest) -> ReviewResponse:
        """Approve accepted results (by key, by task, or all pending of a contributor)."""
        return earnings.review(state, body, LedgerStatus.APPROVED)

    @router.post("/rejections", response_model=ReviewResponse)
    def reject(body: ReviewRequest) -> ReviewResponse:
        """Reject accepted results with ``reason``; their rewards are not paid."""
        return earnings.review(state, body, LedgerStatus.REJECTED)

    @router.post("/payouts", response_model=PayoutResponse)
    def pay(body: PayoutRequest) -> PayoutResponse:
        """Pay every approved reward and bonus of a contributor."""
        return earnings.pay_out(state, body.contributor_id)

    @router.post("/bonuses", response_model=LedgerEntry)
    def bonus(body: BonusRequest) -> LedgerEntry:
        """Add an approved bonus to a contributor's ledger."""
        return earnings.add_bonus(state, body)

    @router.post("/withdrawals", response_model=WithdrawResponse)
    def withdraw(body: WithdrawRequest) -> WithdrawResponse:
        """Withdraw tasks (or a whole bundle): later results for them are rejected."""
        if state.store.bundle(body.bundle_id) is None:
            raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no bundle '{body.bundle_id}'.")
        return WithdrawResponse(withdrawn=state.store.withdraw_tasks(body.bundle_id, body.task_ids))

    @router.post("/token-expiries", response_model=ExpireTokensResponse)
    def expire_tokens(body: ExpireTokensRequest) -> ExpireTokensResponse:
        """Expire every token of a contributor: they get 401 ``token_expired``."""
        accounts.require_contributor(state, body.contributor_id)
        return ExpireTokensResponse(expired=state.store.expire_tokens(body.contributor_id))

    @router.get("/clock", response_model=ClockState)
    def clock() -> ClockState:
        """The server time and how far it is ahead of real time."""
        return ClockState(server_time=state.clock.now(), offset_seconds=state.clock.offset_seconds)

    @router.post("/clock", response_model=ClockState)
    def advance_clock(body: AdvanceClockRequest) -> ClockState:
        """Move the server clock forward (leases and tokens expire by it)."""
        now = state.clock.advance(body.seconds)
        return ClockState(server_time=now, offset_seconds=state.clock.offset_seconds)

    @router.get("/faults", response_model=FaultSettings)
    def get_faults() -> FaultSettings:
        return state.faults.settings

    @router.put("/faults", response_model=FaultSettings)
    def set_faults(body: FaultSettings) -> FaultSettings:
        """Replace the fault settings (fields left out go back to their defaults)."""
        state.faults.set(body)
        return state.faults.settings

    @router.post("/contributors", response_model=ContributorResponse)
    def add_contributor(body: ContributorRequest) -> ContributorResponse:
        """Create a contributor (or reset its password and name)."""
        accounts.put_contributor(state.store, body.contributor_id, body.password, body.display_name)
        return ContributorResponse(
            contributor_id=body.contributor_id, display_name=body.display_name
        )

    @router.get("/results", response_model=StoredResultList)
    def results(contributor_id: Annotated[str | None, Query()] = None) -> StoredResultList:
        """Every stored result (of one contributor if given), in arrival order."""
        rows = state.store.results_with_review(contributor_id)
        return StoredResultList(
            results=[
                StoredResult(
                    idempotency_key=uuid.UUID(row.idempotency_key),
                    contributor_id=row.contributor_id,
                    bundle_id=row.bundle_id,
                    task_id=row.task_id,
                    kind=row.kind,
                    status=row.status,  # type: ignore[arg-type]
                    reason=row.reason,
                    message=row.message,
                    review=LedgerStatus(review) if review else None,
                    received_at=from_timestamp(row.received_at),
                )
                for row, review in rows
            ]
        )

    @router.get("/ledger", response_model=LedgerList)
    def ledger(contributor_id: Annotated[str | None, Query()] = None) -> LedgerList:
        """The server's ledger (the truth clients copy), in change order."""
        rows = state.store.ledger_of(contributor_id)
        return LedgerList(entries=[earnings.ledger_entry(row) for row in rows])

    @router.post("/cursor-reset", response_model=CursorResetResponse)
    def reset_cursors() -> CursorResetResponse:
        """Invalidate every earnings cursor: the next pull answers ``reset``."""
        return CursorResetResponse(epoch=earnings.reset_cursors(state))

    return router
