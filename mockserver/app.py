"""The mock server's HTTP API: the routes of ``sync.protocol`` over a ``ServerState``.

Handlers are plain functions (FastAPI runs them on worker threads); the rules
live in ``leasing``, ``submissions`` and ``earnings``. Every error, including
unknown routes and malformed requests, answers an ``ErrorBody``. Request bodies
may come gzipped and JSON answers go gzipped when asked (``compression``).
"""

# No ``from __future__ import annotations``: FastAPI must see the route annotations,
# which name dependencies built inside ``create_app``, as real objects.
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from mockserver import accounts, accuracy, earnings, leasing, qualifications, submissions
from mockserver.admin import admin_router
from mockserver.compression import GzipCoding
from mockserver.download import archive_response
from mockserver.errors import ApiError, error_response, unauthorized
from mockserver.faults import FaultInjector, quiet_injected_cuts
from mockserver.state import ServerState
from sync.protocol import (
    API_PREFIX,
    API_VERSION,
    AccuracyReport,
    BatchResponse,
    Catalogue,
    ClaimRequest,
    EarningsPage,
    ErrorBody,
    ErrorCode,
    Lease,
    LeaseList,
    QualificationList,
    ReleaseRequest,
    ReleaseResponse,
    ResultBatch,
    ServerConfig,
    SignInRequest,
    SignInResponse,
)

log = logging.getLogger("mockserver")

_bearer = HTTPBearer(auto_error=False, description="The token from POST /v1/session")


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries saying these statuses answer an ``ErrorBody``."""
    return {status: {"model": ErrorBody} for status in statuses}


def create_app(state: ServerState) -> FastAPI:
    """The FastAPI application serving ``state``, fault injection included."""
    app = FastAPI(
        title=state.options.server_name,
        version=str(API_VERSION),
        description="Ouvrage task server API v1 (mock server for testers).",
        separate_input_output_schemas=False,
    )
    _install_error_handlers(app)
    app.include_router(_contributor_router(state))
    app.include_router(admin_router(state))
    # The last added runs first: faults act on what goes on the wire, gzipped or not.
    app.add_middleware(
        GzipCoding, largest_body=state.options.largest_upload_bytes, faults=state.faults
    )
    app.add_middleware(FaultInjector, controller=state.faults)
    quiet_injected_cuts()
    app.state.server = state
    return app


def _contributor_router(state: ServerState) -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, tags=["contributor"])

    def current_contributor(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> str:
        token = credentials.credentials if credentials is not None else None
        return accounts.contributor_for_token(state, token)

    me = Annotated[str, Depends(current_contributor)]

    @router.post("/session", response_model=SignInResponse, responses=errors(401, 422))
    def sign_in(body: SignInRequest) -> SignInResponse:
        """Sign in with contributor id and password; the token goes in ``Authorization``."""
        return accounts.sign_in(state, body)

    @router.delete("/session", status_code=204, responses=errors(401))
    def sign_out(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Response:
        """Revoke the token of this request; an expired or already revoked one is fine too."""
        if credentials is None:
            raise unauthorized()
        accounts.sign_out(state, credentials.credentials)
        return Response(status_code=204)

    @router.get("/config", response_model=ServerConfig)
    def config() -> ServerConfig:
        """Server time, currency, yearly cap and limits the client must respect."""
        options = state.options
        return ServerConfig(
            api_version=API_VERSION,
            server_name=options.server_name,
            server_time=state.clock.now(),
            currency=options.currency,
            annual_cap=options.annual_cap,
            largest_batch=options.largest_batch,
            largest_upload_bytes=options.largest_upload_bytes,
            lease_seconds=options.lease_seconds,
        )

    @router.get("/catalogue", response_model=Catalogue, responses=errors(401))
    def catalogue(contributor_id: me) -> Catalogue:
        """Bundles on offer: published, before their deadline, unclaimed; each says whether
        it is locked behind a qualification or withheld from me now, and why."""
        return leasing.catalogue(state, contributor_id)

    @router.get("/leases", response_model=LeaseList, responses=errors(401))
    def leases(contributor_id: me) -> LeaseList:
        """My active leases, so a client can recover them after a crash."""
        return leasing.active_leases(state, contributor_id)

    @router.post("/claims", response_model=Lease, responses=errors(401, 403, 404, 409, 422))
    def claim(contributor_id: me, body: ClaimRequest) -> Lease:
        """Lease a whole bundle, or my qualification test; claiming one I already hold
        returns my lease again."""
        if qualifications.is_test_bundle_id(body.bundle_id):
            return qualifications.claim_test(state, contributor_id, body.bundle_id)
        return leasing.claim(state, contributor_id, body.bundle_id)

    @router.post("/releases", response_model=ReleaseResponse, responses=errors(401, 404, 422))
    def release(contributor_id: me, body: ReleaseRequest) -> ReleaseResponse:
        """Give back some tasks of a held bundle, or all of them."""
        return leasing.release(state, contributor_id, body)

    @router.get(
        "/bundles/{bundle_id}/archive",
        response_class=Response,
        responses={
            200: {"content": {"application/zip": {}}, "description": "The whole archive"},
            206: {"content": {"application/zip": {}}, "description": "The asked range"},
            **errors(401, 403, 404, 416, 422),
        },
    )
    def archive(
        contributor_id: me,
        bundle_id: str,
        range_header: Annotated[str | None, Header(alias="Range")] = None,
        if_range: Annotated[str | None, Header(alias="If-Range")] = None,
    ) -> Response:
        """The bundle zip for its lease holder; ``ETag`` is its SHA-256, ranges resume."""
        path, bundle = leasing.archive_for(state, contributor_id, bundle_id)
        return archive_response(path, bundle.sha256, range_header, if_range)

    def upload_size(request: Request) -> None:
        length = request.headers.get("content-length", "")
        largest = state.options.largest_upload_bytes
        if length.isdigit() and int(length) > largest:
            raise ApiError(
                413,
                ErrorCode.BATCH_TOO_LARGE,
                f"A request body holds at most {largest:,} bytes; send smaller batches.",
            )

    @router.post(
        "/results",
        response_model=BatchResponse,
        responses=errors(401, 413, 422),
        dependencies=[Depends(upload_size)],
    )
    def results(contributor_id: me, body: ResultBatch) -> BatchResponse:
        """Submit results; the answer has one ack per result, in order."""
        return submissions.submit_batch(state, contributor_id, body)

    @router.get("/earnings", response_model=EarningsPage, responses=errors(401, 422))
    def earnings_page(
        contributor_id: me,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=earnings.LARGEST_PAGE)] = earnings.DEFAULT_PAGE,
    ) -> EarningsPage:
        """My ledger changes after ``cursor``; ``reset`` means start again from zero."""
        return earnings.earnings_page(state, contributor_id, cursor, limit)

    @router.get("/qualifications", response_model=QualificationList, responses=errors(401))
    def qualification_list(contributor_id: me) -> QualificationList:
        """Every qualification, my standing with it, and the test bundle to claim next."""
        return qualifications.listing(state, contributor_id)

    @router.get("/accuracy", response_model=AccuracyReport, responses=errors(401))
    def accuracy_report(contributor_id: me) -> AccuracyReport:
        """My running accuracy on test questions per kind, and what it unlocks or risks."""
        return accuracy.report(state, contributor_id)

    return router


def _install_error_handlers(app: FastAPI) -> None:
    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response()

    async def invalid_request(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(422, ErrorCode.INVALID_REQUEST, _validation_message(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        code = {401: ErrorCode.UNAUTHORIZED, 404: ErrorCode.NOT_FOUND}.get(
            status, ErrorCode.INVALID_REQUEST
        )
        message = str(exc.detail)
        if status in (404, 405):  # the framework's own "Not Found" names nothing
            message = f"This server has no {request.method} {request.url.path}."
        return error_response(status, code, message, headers=dict(exc.headers or {}))

    async def crash(_request: Request, exc: Exception) -> Response:
        log.exception("mock server error", exc_info=exc)
        return error_response(500, ErrorCode.SERVER_ERROR, "The server failed: see its log.")

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, crash)


def _validation_message(exc: RequestValidationError) -> str:
    errors = list(exc.errors())
    if not errors:
        return "The request is not valid."
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    message = str(first.get("msg", "is not valid"))
    return f"The request is not valid: {where + ': ' if where else ''}{message}{more}."
