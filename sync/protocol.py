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
GET         /qualifications              —                           ``QualificationList``
GET         /accuracy                    —                           ``AccuracyReport``
==========  ===========================  ==========================  =====================

Every error answer (4xx, 5xx) has an ``ErrorBody`` with a machine ``code`` and a
human ``message``; 429 and 503 may carry ``Retry-After`` (seconds), and so may a
403 that refuses work for a while (``rotation``, ``accuracy_too_low``,
``qualification_retry_later``): then ``retry_after`` says when asking again can work.

A qualification test is claimed like any bundle, with the ``test_bundle_id`` that
``/qualifications`` gives; its gold answers never leave the server. Ordinary
bundles may hold gold questions too, indistinguishable from other tasks: only the
aggregate scores come back, through ``/accuracy``.
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
Seconds = Annotated[float, Field(ge=0, le=10 * 365 * 86_400)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]  # a grade: 1.0 is a perfect answer


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
    ROTATION = "rotation"  # the rotation policy withholds this kind for now (see retry_after)
    QUALIFICATION_NEEDED = "qualification_needed"  # pass the named qualification's test first
    QUALIFICATION_RETRY_LATER = "qualification_retry_later"  # a failed test's retry delay runs
    ALREADY_QUALIFIED = "already_qualified"  # the test of a qualification one already holds
    ACCURACY_TOO_LOW = "accuracy_too_low"  # low scores on test questions withhold this kind
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
    """The server's limits and clock.

    ``server_time`` minus the local time when the answer arrived is the clock
    offset a client keeps to judge lease expiry offline. ``annual_cap`` counts,
    per calendar year (UTC) of ``occurred_at``, task rewards that are not
    rejected plus bonuses; a claim that would pass it with the rewards of the
    tasks in hand is refused (``cap_reached``).
    """

    api_version: int
    server_name: ShortText
    server_time: AwareDatetime
    currency: Currency
    annual_cap: Annotated[Money, Field(ge=0)]  # earnings per contributor per calendar year
    largest_batch: Annotated[int, Field(ge=1, le=10_000)]  # results per POST /results
    largest_upload_bytes: Annotated[int, Field(ge=1024)]
    lease_seconds: Annotated[int, Field(ge=60)]  # how long a claimed bundle stays ours


# ---------------------------------------------------------------- catalogue and leases


class CatalogueEntry(WireModel):
    """One bundle on offer, as this contributor may claim it.

    ``locked``: the bundle needs ``qualification``, which the contributor has not
    earned yet (a claim gets ``qualification_needed``). ``withheld_code`` (an
    ``ErrorCode`` value: ``rotation``, ``accuracy_too_low``) with
    ``withheld_reason`` says why bundles of this kind are not handed out to the
    contributor now, until ``withheld_until`` (None: until the reason says
    otherwise, e.g. after a bundle of another kind).
    """

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
    qualification: ShortText | None = None  # id of the qualification needed before claiming
    qualification_title: ShortText | None = None
    locked: bool = False
    withheld_until: AwareDatetime | None = None
    withheld_code: Annotated[str, Field(max_length=64)] | None = None
    withheld_reason: LongText | None = None

    @property
    def claimable(self) -> bool:
        """Whether a claim can work now, as far as this entry knows."""
        return not self.locked and self.withheld_code is None

    def expected_hourly_rate(self) -> Decimal | None:
        """What the bundle pays per hour at its estimated pace; None without an estimate."""
        from sync.pay import expected_hourly_rate  # sync.pay reads these models too

        return expected_hourly_rate(self.reward_per_task, self.estimated_minutes_per_task)


class Catalogue(WireModel):
    generated_at: AwareDatetime
    bundles: list[CatalogueEntry]


class ClaimRequest(WireModel):
    bundle_id: Identifier


class Lease(WireModel):
    """A bundle reserved for one contributor from ``claimed_at`` until ``expires_at``.

    Both are server times, and every task of the lease expires with it. The
    offset to the local clock comes from ``ServerConfig.server_time`` (or
    ``LeaseList.server_time``) and lets a client warn before expiry offline.
    """

    lease_id: Identifier
    bundle_id: Identifier
    kind: KindId
    task_ids: list[Identifier]
    expires_at: AwareDatetime
    archive_path: Annotated[str, Field(max_length=300)]  # relative to the server URL
    archive_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size_bytes: Annotated[int, Field(ge=0)]
    claimed_at: AwareDatetime | None = None


class LeaseList(WireModel):
    leases: list[Lease]
    server_time: AwareDatetime | None = None  # the server's clock when it answered


class ReleaseRequest(WireModel):
    bundle_id: Identifier
    task_ids: list[Identifier] | None = None  # None releases the whole bundle


class ReleaseResponse(WireModel):
    released: list[Identifier]


# ---------------------------------------------------------------- results


class ResultItem(WireModel):
    """One submitted result.

    ``active_seconds``: time the task's editor had focus while the contributor
    was active; ``elapsed_seconds``: time from ``started_at`` (first opened) to
    submitting, breaks included. All three are optional and only measured.
    """

    idempotency_key: UUID  # sending the same key twice never pays twice
    bundle_id: Identifier
    task_id: Identifier
    kind: KindId
    result: dict[str, Any]
    submitted_at: AwareDatetime
    active_seconds: Seconds | None = None
    started_at: AwareDatetime | None = None
    elapsed_seconds: Seconds | None = None


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
    updated_at: AwareDatetime  # for a paid entry: when it was paid
    active_seconds: Seconds | None = None  # task rewards: the active time sent with the result


class EarningsPage(WireModel):
    """Ledger changes after a cursor.

    ``reset`` means the cursor was no longer valid: the client drops its copy
    and these entries start again from zero. ``more`` asks for another page.
    """

    entries: list[LedgerEntry]
    cursor: Annotated[str, Field(max_length=200)]
    more: bool = False
    reset: bool = False


# ---------------------------------------------------------------- qualifications


class QualificationStatus(StrEnum):
    NONE = "none"  # never tried: claim ``test_bundle_id`` to take the test
    PENDING = "pending"  # a test is claimed and not yet graded (every task answered grades it)
    PASSED = "passed"  # the certificate is held
    FAILED = "failed"  # the last test failed: it may be taken again from ``retry_at``


class Certificate(WireModel):
    """A qualification held; ``source`` says how it was earned: ``test``, ``accuracy``
    (test questions in ordinary work) or ``granted`` (by the platform)."""

    qualification_id: Identifier
    title: ShortText
    kind: KindId
    earned_at: AwareDatetime
    score: Score | None = None
    source: Annotated[str, Field(max_length=32)] = "test"


class Qualification(WireModel):
    """One qualification and where this contributor stands with it.

    ``test_bundle_id`` is the bundle to claim (``POST /claims``) for the next or
    the open attempt; None while passed or while ``retry_at`` is ahead. The test
    is graded with the kind's own grader when all ``task_count`` answers are in:
    the mean score passes at ``pass_mark`` or above. Bundles that need this
    qualification say so in the catalogue (``qualification``, ``locked``).
    """

    qualification_id: Identifier
    kind: KindId
    title: ShortText
    description: LongText = ""
    pass_mark: Score
    retry_delay_seconds: Annotated[int, Field(ge=0)]
    task_count: Annotated[int, Field(ge=1)]
    status: QualificationStatus
    test_bundle_id: Identifier | None = None
    attempts: Annotated[int, Field(ge=0)] = 0
    last_score: Score | None = None
    last_attempt_at: AwareDatetime | None = None
    retry_at: AwareDatetime | None = None
    certificate: Certificate | None = None


class QualificationList(WireModel):
    server_time: AwareDatetime
    qualifications: list[Qualification]


# ---------------------------------------------------------------- accuracy on test questions


class AccuracyStatus(StrEnum):
    UNRATED = "unrated"  # fewer than ``min_graded`` test questions graded
    GOOD = "good"
    AT_RISK = "at_risk"  # below ``warn_below``: bundles of the kind are withheld below the floor
    WITHHELD = "withheld"  # bundles of the kind are withheld until ``withheld_until``


class KindAccuracy(WireModel):
    """The contributor's running accuracy on the gold questions of one kind.

    ``graded`` and ``mean_score`` cover the last ``window`` graded questions since
    the kind was last withheld for accuracy. Below ``withhold_below`` (once
    ``min_graded`` are graded) new bundles of the kind are withheld for a while;
    at ``grant_at`` or above over ``grant_graded`` questions, the kind's
    qualification is granted if not yet held. ``consequence`` says all of it in
    one sentence for the contributor.
    """

    kind: KindId
    graded: Annotated[int, Field(ge=0)]
    mean_score: Score | None = None
    status: AccuracyStatus
    window: Annotated[int, Field(ge=1)]
    min_graded: Annotated[int, Field(ge=1)]
    warn_below: Score
    withhold_below: Score
    grant_at: Score | None = None
    grant_graded: Annotated[int, Field(ge=1)] | None = None
    qualification: Identifier | None = None  # what ``grant_at`` unlocks, if anything
    withheld_until: AwareDatetime | None = None
    consequence: LongText


class AccuracyReport(WireModel):
    server_time: AwareDatetime
    kinds: list[KindAccuracy]
