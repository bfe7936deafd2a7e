"""Admin routes under ``/v1/admin``: what a tester does to the platform, behind ``X-Admin-Token``.

Never faulted (see ``faults.is_faultable``), so a tester can always reach them.
"""

# No ``from __future__ import annotations``: FastAPI must see the route annotations,
# which name dependencies built inside ``admin_router``, as real objects.
import hmac
import json
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from pydantic import ValidationError

from mockserver import accounts, accuracy, catalogue, earnings, qualifications
from mockserver.clock import from_timestamp
from mockserver.errors import ApiError, unauthorized
from mockserver.state import ServerState
from sync.bundle_errors import summarize
from sync.protocol import (
    AccuracyReport,
    ErrorBody,
    ErrorCode,
    Identifier,
    LedgerEntry,
    LedgerStatus,
    Qualification,
    QualificationList,
)
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
    GoldRequest,
    GoldResponse,
    LedgerList,
    PayoutRequest,
    PayoutResponse,
    PlatformPolicy,
    PublishDemoRequest,
    PublishResponse,
    QualificationGrant,
    QualificationReset,
    ResetResponse,
    ReviewRequest,
    ReviewResponse,
    StoredResult,
    StoredResultList,
    WithdrawRequest,
    WithdrawResponse,
    WithholdingReset,
)
from taskkinds import UnknownKind

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
    async def publish_bundle(
        request: Request, qualification: Annotated[Identifier | None, Query()] = None
    ) -> PublishResponse:
        """Publish an uploaded bundle zip (the request body); with ``qualification``,
        claiming it needs that qualification."""
        staging = state.bundles_dir / f".upload-{uuid.uuid4().hex}.zip"
        try:
            with open(staging, "wb") as out:
                async for chunk in request.stream():
                    out.write(chunk)
            entry = await run_in_threadpool(
                lambda: catalogue.publish_archive(state, staging, qualification_id=qualification)
            )
        finally:
            staging.unlink(missing_ok=True)
        return PublishResponse(bundles=[entry])

    @router.post("/demo", response_model=PublishResponse)
    def publish_demo(body: PublishDemoRequest) -> PublishResponse:
        """Publish a demo spec (or all) ``copies`` times under derived ids, needing
        ``qualification`` if given; about ``gold_rate`` of their tasks are gold questions."""
        bundles = catalogue.publish_demo(
            state, body.spec, body.copies, qualification=body.qualification
        )
        return PublishResponse(bundles=bundles)

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
                    review=LedgerStatus(extra["review"]) if extra["review"] else None,
                    received_at=from_timestamp(row.received_at),
                    active_seconds=row.active_seconds,
                    elapsed_seconds=row.elapsed_seconds,
                    started_at=datetime.fromisoformat(row.started_at) if row.started_at else None,
                    score=extra["score"],
                    graded_as=extra["graded_as"],
                )
                for row, extra in rows
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

    # --- platform policy, gold questions, qualifications --------------------------------

    @router.get("/policy", response_model=PlatformPolicy)
    def get_policy() -> PlatformPolicy:
        return state.platform

    @router.put("/policy", response_model=PlatformPolicy)
    def set_policy(body: PlatformPolicy) -> PlatformPolicy:
        """Replace the platform policy (fields left out go back to their defaults) until the
        server stops; the rules apply from the next request, gold_rate from the next publish."""
        return state.policy.set(body)

    @router.post("/golds", response_model=GoldResponse)
    def put_gold(body: GoldRequest) -> GoldResponse:
        """Make a published task a gold question with ``answer`` as its gold result."""
        bundle = state.store.bundle(body.bundle_id)
        task = state.store.task(body.bundle_id, body.task_id) if bundle else None
        if bundle is None or task is None:
            message = f"There is no task '{body.task_id}' in a bundle '{body.bundle_id}'."
            raise ApiError(404, ErrorCode.NOT_FOUND, message)
        try:
            state.registry.get(bundle.kind).parse_result(body.answer)
        except UnknownKind as exc:
            raise ApiError(400, ErrorCode.INVALID_REQUEST, str(exc)) from exc
        except ValidationError as exc:
            message = f"The answer is not a valid {bundle.kind} result: {summarize(exc)}."
            raise ApiError(422, ErrorCode.INVALID_REQUEST, message) from exc
        state.store.put_gold(bundle.bundle_id, task.task_id, json.dumps(body.answer))
        return GoldResponse(bundle_id=bundle.bundle_id, task_id=task.task_id, kind=bundle.kind)

    @router.get("/qualifications", response_model=QualificationList)
    def contributor_qualifications(contributor_id: Annotated[str, Query()]) -> QualificationList:
        """A contributor's qualifications, as that contributor sees them."""
        accounts.require_contributor(state, contributor_id)
        return qualifications.listing(state, contributor_id)

    @router.post("/qualification-grants", response_model=Qualification)
    def grant_qualification(body: QualificationGrant) -> Qualification:
        """Give a contributor a qualification without its test."""
        return qualifications.grant(state, body.contributor_id, body.qualification_id)

    @router.post("/qualification-resets", response_model=ResetResponse)
    def reset_qualifications(body: QualificationReset) -> ResetResponse:
        """Forget a contributor's certificates, attempts and retry delays (one or all)."""
        return ResetResponse(
            reset=qualifications.reset(state, body.contributor_id, body.qualification_id)
        )

    @router.get("/accuracy", response_model=AccuracyReport)
    def contributor_accuracy(contributor_id: Annotated[str, Query()]) -> AccuracyReport:
        """A contributor's accuracy on gold questions, as that contributor sees it."""
        accounts.require_contributor(state, contributor_id)
        return accuracy.report(state, contributor_id)

    @router.post("/withholding-resets", response_model=ResetResponse)
    def reset_withholding(body: WithholdingReset) -> ResetResponse:
        """A fresh start: rotation, fatigue and accuracy forget the contributor's past
        (of one kind or all) and running withholdings end now."""
        accounts.require_contributor(state, body.contributor_id)
        if body.kind is not None and body.kind not in state.registry:
            raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no task kind '{body.kind}'.")
        with state.store.transaction():
            now = state.clock.timestamp()
            state.store.end_withholdings(body.contributor_id, body.kind, now)
            state.store.add_fresh_start(body.contributor_id, body.kind, now)
        kinds = [body.kind] if body.kind else sorted(state.registry.ids())
        return ResetResponse(reset=kinds)

    return router
