"""The wire between Ouvrage and a task server, version 1: every request and response body.

Qt-free, no SQL. The mock server (``mockserver``) answers with these models
and publishes them in its OpenAPI document; the client validates everything
it receives against them. Money is ``Decimal`` (sent as a string), times are
timezone-aware ISO 8601.

Endpoints (all under ``/v1``; every one but sign-in and config needs
``Authorization: Bearer <token>``):

==========  ===========================  ==========================  =====================
method      path                         request                     response
==========  ===========================  ==========================  =====================
POST        /session                     ``SignInRequest``           ``SignInResponse``
DELETE      /session                     —                           204
GET         /config                      —                           ``ServerConfig``
GET         /catalogue                   —                           ``Catalogue``
GET         /leases                      —                           ``LeaseList``
POST        /claims                      ``ClaimRequest``            ``Lease``
POST        /releases                    ``ReleaseRequest``          ``ReleaseResponse``
GET         /bundles/{id}/archive        Range / If-Range            the zip (ETag = sha256)
POST        /results                     ``ResultBatch``             ``BatchResponse``
GET         /earnings?cursor=&limit=     —                           ``EarningsPage``
==========  ===========================  ==========================  =====================

Every error answer (4xx, 5xx) has an ``ErrorBody`` with a machine ``code`` and a
human ``message``; 429 and 503 may carry ``Retry-After`` (seconds).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

API_VERSION = 1
API_PREFIX = "/v1"

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
KindId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Money = Annotated[Decimal, Field(max_digits=18, decimal_places=6)]
ShortText = Annotated[str, Field(max_length=200)]
LongText = Annotated[str, Field(max_length=4_000)]


class WireModel(BaseModel):
    """Strict about shape, tolerant of new fields a newer server may add."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# ---------------------------------------------------------------- errors


class ErrorCode(StrEnum):
    """Machine-readable reasons a request failed."""

    UNAUTHORIZED = "unauthorized"  # no token, or unknown credentials
    TOKEN_EXPIRED = "token_expired"  # sign in again; nothing is lost
    FORBIDDEN = "forbidden"  # another contributor's lease or task
    NOT_FOUND = "not_found"
    INVALID_REQUEST = "invalid_request"
    BATCH_TOO_LARGE = "batch_too_large"
    NOT_OFFERED = "not_offered"  # the bundle is no longer in the catalogue
    ALREADY_CLAIMED = "already_claimed"
    CAP_REACHED = "cap_reached"  # the yearly earnings cap would be passed
    ROTATION = "rotation"  # too many consecutive bundles of one kind
    QUALIFICATION_NEEDED = "qualification_needed"
    RATE_LIMITED = "rate_limited"
    UNAVAILABLE = "unavailable"  # try again after Retry-After
    SERVER_ERROR = "server_error"


class ErrorBody(WireModel):
    code: str  # an ErrorCode value; kept open so a newer server's codes still parse
    message: LongText
    retry_after: float | None = None


# ---------------------------------------------------------------- session and configuration


class SignInRequest(WireModel):
    contributor_id: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    device_name: ShortText | None = None


class SignInResponse(WireModel):
    token: Annotated[str, Field(min_length=16, max_length=512)]
    contributor_id: ShortText
    display_name: ShortText
    expires_at: AwareDatetime | None = None


class ServerConfig(WireModel):
    api_version: int
    server_name: ShortText
    server_time: AwareDatetime
    currency: Currency
    annual_cap: Money  # earnings per contributor per calendar year
    largest_batch: Annotated[int, Field(ge=1, le=10_000)]  # results per POST /results
    largest_upload_bytes: Annotated[int, Field(ge=1024)]
    lease_seconds: Annotated[int, Field(ge=60)]  # how long a claimed bundle stays ours


# ---------------------------------------------------------------- catalogue and leases


class CatalogueEntry(WireModel):
    bundle_id: Identifier
    kind: KindId
    kind_version: int = 1
    title: ShortText
    description: LongText = ""
    task_count: Annotated[int, Field(ge=1)]
    reward_per_task: Money
    currency: Currency
    estimated_minutes_per_task: Annotated[float, Field(gt=0)] | None = None
    size_bytes: Annotated[int, Field(ge=0)]
    deadline: AwareDatetime
    qualification: ShortText | None = None  # needed before claiming, if any


class Catalogue(WireModel):
    generated_at: AwareDatetime
    bundles: list[CatalogueEntry]


class ClaimRequest(WireModel):
    bundle_id: Identifier


class Lease(WireModel):
    """A bundle reserved for one contributor until ``expires_at``."""

    lease_id: Identifier
    bundle_id: Identifier
    kind: KindId
    task_ids: list[Identifier]
    expires_at: AwareDatetime
    archive_path: Annotated[str, Field(max_length=300)]  # relative to the server URL
    archive_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size_bytes: Annotated[int, Field(ge=0)]


class LeaseList(WireModel):
    leases: list[Lease]


class ReleaseRequest(WireModel):
    bundle_id: Identifier
    task_ids: list[Identifier] | None = None  # None releases the whole bundle


class ReleaseResponse(WireModel):
    released: list[Identifier]


# ---------------------------------------------------------------- results


class ResultItem(WireModel):
    idempotency_key: UUID  # sending the same key twice never pays twice
    bundle_id: Identifier
    task_id: Identifier
    kind: KindId
    result: dict[str, Any]
    submitted_at: AwareDatetime
    active_seconds: Annotated[float, Field(ge=0)] | None = None


class ResultBatch(WireModel):
    results: Annotated[list[ResultItem], Field(min_length=1, max_length=10_000)]


class ResultStatus(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # the same key arrived before: already counted once
    REJECTED = "rejected"


class RejectReason(StrEnum):
    LEASE_EXPIRED = "lease_expired"
    WITHDRAWN = "withdrawn"
    INVALID = "invalid"
    NOT_YOURS = "not_yours"
    UNKNOWN_TASK = "unknown_task"
    CAP_REACHED = "cap_reached"


class ResultAck(WireModel):
    idempotency_key: UUID
    status: ResultStatus
    reason: str | None = None  # a RejectReason value when rejected
    message: LongText | None = None


class BatchResponse(WireModel):
    acks: list[ResultAck]


# ---------------------------------------------------------------- earnings


class LedgerKind(StrEnum):
    TASK_REWARD = "task_reward"
    BONUS = "bonus"
    PAYOUT = "payout"


class LedgerStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


class LedgerEntry(WireModel):
    """One line of the contributor's earnings; a later page may carry a newer state of it."""

    entry_id: Identifier
    kind: LedgerKind
    status: LedgerStatus
    amount: Money  # negative for payouts
    currency: Currency
    bundle_id: Identifier | None = None
    task_id: Identifier | None = None
    task_kind: KindId | None = None
    idempotency_key: UUID | None = None
    reason: LongText | None = None  # why a result was rejected, what a bonus is for
    occurred_at: AwareDatetime
    updated_at: AwareDatetime


class EarningsPage(WireModel):
    """Ledger changes after a cursor.

    ``reset`` means the cursor was no longer valid: the client drops its copy
    and these entries start again from zero. ``more`` asks for another page.
    """

    entries: list[LedgerEntry]
    cursor: Annotated[str, Field(max_length=200)]
    more: bool = False
    reset: bool = False
