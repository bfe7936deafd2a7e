"""The mock server's admin API, version 1: request and response bodies.

Qt-free, no SQL. Only testers and tests speak this API (``mockserver.admin``
serves it, ``mockserver.admin_client`` calls it); contributors' clients never
do. Every route needs the header ``X-Admin-Token``; errors are ``ErrorBody``.

==========  ================================  ===========================  ======================
method      path (under ``/v1/admin``)        request                      response
==========  ================================  ===========================  ======================
POST        /bundles                          the zip (application/zip)    ``PublishResponse``
POST        /demo                             ``PublishDemoRequest``       ``PublishResponse``
POST        /approvals                        ``ReviewRequest``            ``ReviewResponse``
POST        /rejections                       ``ReviewRequest``            ``ReviewResponse``
POST        /payouts                          ``PayoutRequest``            ``PayoutResponse``
POST        /bonuses                          ``BonusRequest``             ``LedgerEntry``
POST        /withdrawals                      ``WithdrawRequest``          ``WithdrawResponse``
POST        /token-expiries                   ``ExpireTokensRequest``      ``ExpireTokensResponse``
GET / POST  /clock                            ``AdvanceClockRequest``      ``ClockState``
GET / PUT   /faults                           ``FaultSettings``            ``FaultSettings``
POST        /contributors                     ``ContributorRequest``       ``ContributorResponse``
GET         /results?contributor_id=          —                            ``StoredResultList``
GET         /ledger?contributor_id=           —                            ``LedgerList``
POST        /cursor-reset                     —                            ``CursorResetResponse``
GET / PUT   /policy                           ``PlatformPolicy``           ``PlatformPolicy``
POST        /golds                            ``GoldRequest``              ``GoldResponse``
GET         /qualifications?contributor_id=   —                            ``QualificationList``
POST        /qualification-grants             ``QualificationGrant``       ``Qualification``
POST        /qualification-resets             ``QualificationReset``       ``ResetResponse``
GET         /accuracy?contributor_id=         —                            ``AccuracyReport``
POST        /withholding-resets               ``WithholdingReset``         ``ResetResponse``
==========  ================================  ===========================  ======================

``POST /bundles?qualification=ID`` publishes an uploaded bundle that needs that qualification.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from sync.protocol import (
    CatalogueEntry,
    Identifier,
    KindId,
    LedgerEntry,
    LedgerStatus,
    LongText,
    Money,
    Score,
    Seconds,
    ShortText,
)

ADMIN_TOKEN_HEADER = "X-Admin-Token"

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
Milliseconds = Annotated[float, Field(ge=0.0, le=600_000.0)]
ByteCount = Annotated[int, Field(ge=0)]


class AdminModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- publishing


class PublishDemoRequest(AdminModel):
    """Publish a demo spec from ``resources/demo`` ``copies`` times under derived ids.

    ``spec`` is a file stem (``translation-en-fr-app``) or a bundle id
    (``demo-en-fr-app``); None publishes every spec.
    """

    spec: ShortText | None = None
    copies: Annotated[int, Field(ge=1, le=100)] = 1
    qualification: Identifier | None = None  # the copies need this qualification


class PublishResponse(AdminModel):
    bundles: list[CatalogueEntry]


# ---------------------------------------------------------------- reviews and money


class TaskRef(AdminModel):
    bundle_id: Identifier
    task_id: Identifier


class ReviewRequest(AdminModel):
    """Which accepted results to approve or reject.

    By idempotency key, by task, or every pending result of ``contributor_id``
    with ``all_pending``. ``reason`` is shown to the contributor on rejection.
    """

    idempotency_keys: list[UUID] = []
    tasks: list[TaskRef] = []
    contributor_id: ShortText | None = None
    all_pending: bool = False
    reason: LongText | None = None

    @model_validator(mode="after")
    def _names_something(self) -> ReviewRequest:
        if self.all_pending and not self.contributor_id:
            raise ValueError("all_pending needs a contributor_id")
        if not (self.idempotency_keys or self.tasks or self.all_pending):
            raise ValueError("name results by idempotency_keys, tasks or all_pending")
        return self


class ReviewResponse(AdminModel):
    changed: list[str]  # entry ids whose status changed
    status: LedgerStatus


class PayoutRequest(AdminModel):
    contributor_id: ShortText


class PayoutResponse(AdminModel):
    """``entry`` is None when nothing approved was waiting to be paid."""

    amount: Money
    paid_entries: int
    entry: LedgerEntry | None = None


class BonusRequest(AdminModel):
    contributor_id: ShortText
    amount: Annotated[Money, Field(gt=0)]
    reason: LongText


class WithdrawRequest(AdminModel):
    bundle_id: Identifier
    task_ids: list[Identifier] | None = None  # None withdraws every task of the bundle


class WithdrawResponse(AdminModel):
    withdrawn: list[Identifier]


class ExpireTokensRequest(AdminModel):
    contributor_id: ShortText


class ExpireTokensResponse(AdminModel):
    expired: int


class ContributorRequest(AdminModel):
    contributor_id: Annotated[str, Field(min_length=1, max_length=100)]
    password: Annotated[str, Field(min_length=1, max_length=200)]
    display_name: ShortText


class ContributorResponse(AdminModel):
    contributor_id: ShortText
    display_name: ShortText


# ---------------------------------------------------------------- clock


class AdvanceClockRequest(AdminModel):
    seconds: Annotated[float, Field(ge=0, le=100 * 365 * 86_400)]


class ClockState(AdminModel):
    server_time: AwareDatetime
    offset_seconds: float


# ---------------------------------------------------------------- what the server holds


class StoredResult(AdminModel):
    """One result as the server stored it, with the review state of its reward."""

    idempotency_key: UUID
    contributor_id: ShortText
    bundle_id: str
    task_id: str
    kind: str
    status: Literal["accepted", "rejected"]
    reason: str | None = None
    message: LongText | None = None
    review: LedgerStatus | None = None  # None for rejected results
    received_at: AwareDatetime
    active_seconds: Seconds | None = None
    elapsed_seconds: Seconds | None = None
    started_at: AwareDatetime | None = None
    score: Score | None = None  # the grade of a gold question or a qualification test task
    graded_as: Literal["gold", "qualification"] | None = None


class StoredResultList(AdminModel):
    results: list[StoredResult]


class LedgerList(AdminModel):
    entries: list[LedgerEntry]  # in change order


class CursorResetResponse(AdminModel):
    epoch: str


# ---------------------------------------------------------------- faults


class FaultSettings(AdminModel):
    """What the server does wrong, on purpose, to non-admin ``/v1/`` requests.

    Each fault fires per request with its probability; one seeded random
    generator takes every decision, so a given seed replays the same faults.
    """

    latency_ms: Milliseconds = 0.0  # waited before the answer
    jitter_ms: Milliseconds = 0.0  # plus a uniform 0..jitter_ms
    latency_probability: Probability = 1.0
    bandwidth_bytes_per_s: ByteCount = 0  # per response; 0 = unlimited
    bandwidth_probability: Probability = 1.0
    error_probability: Probability = 0.0  # answer 5xx without running the endpoint
    error_statuses: Annotated[list[Literal[500, 502, 503]], Field(min_length=1)] = [500, 502, 503]
    retry_after_s: Annotated[float, Field(ge=0, le=3600)] = 1.0
    cut_probability: Probability = 0.0  # close the connection after cut_after_bytes of body
    cut_after_bytes: ByteCount = 0
    cut_every_bytes: ByteCount = 0  # archive downloads: every answer stops after N body bytes
    drop_probability: Probability = 0.0  # POST /results: commit, then drop the answer
    slow_first_byte_ms: Milliseconds = 0.0  # waited before the first body byte
    slow_first_byte_probability: Probability = 1.0
    malformed_probability: Probability = 0.0  # JSON answers: body replaced by broken JSON
    # An older server's gzip: "on" reads gzipped request bodies and gzips large JSON
    # answers; "refuse" answers 415 to a gzipped body and never gzips; "ignore" hands the
    # packed bytes to the routes as if plain (400: not JSON) and never gzips.
    gzip: Literal["on", "refuse", "ignore"] = "on"


# ---------------------------------------------------------------- platform policy


class PlatformPolicy(AdminModel):
    """How the platform hands out work and judges test questions; an admin may change it live.

    Rotation: after ``rotation`` consecutive claims of one kind, a bundle of
    another kind (if one is on offer) must come first; 0 turns it off. Fatigue:
    ``fatigue_results`` results of one kind within ``fatigue_window_minutes``
    withhold that kind for ``fatigue_pause_minutes``; 0 turns it off. Gold:
    about ``gold_rate`` of the tasks of each demo bundle published from now on
    are gold questions (among the tasks whose answer the server knows).
    Accuracy: over the last ``accuracy_window`` graded gold questions of a kind,
    a mean below ``accuracy_withhold_below`` (with at least
    ``accuracy_min_graded`` graded) withholds the kind for
    ``accuracy_pause_minutes``; a mean at ``accuracy_grant_at`` or above over at
    least ``accuracy_grant_graded`` grants the kind's qualification (None: never).
    """

    rotation: Annotated[int, Field(ge=0, le=1000)] = 3
    fatigue_results: Annotated[int, Field(ge=0, le=100_000)] = 0
    fatigue_window_minutes: Annotated[float, Field(gt=0, le=7 * 1440)] = 60.0
    fatigue_pause_minutes: Annotated[float, Field(ge=0, le=7 * 1440)] = 30.0
    gold_rate: Probability = 0.05
    accuracy_window: Annotated[int, Field(ge=1, le=1000)] = 20
    accuracy_min_graded: Annotated[int, Field(ge=1, le=1000)] = 3
    accuracy_warn_below: Probability = 0.7
    accuracy_withhold_below: Probability = 0.5
    accuracy_pause_minutes: Annotated[float, Field(ge=0, le=365 * 1440)] = 1440.0
    accuracy_grant_at: Probability | None = 0.9
    accuracy_grant_graded: Annotated[int, Field(ge=1, le=1000)] = 10

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> PlatformPolicy:
        if self.accuracy_withhold_below > self.accuracy_warn_below:
            raise ValueError("accuracy_withhold_below cannot be above accuracy_warn_below")
        if self.accuracy_min_graded > self.accuracy_window:
            raise ValueError("accuracy_min_graded cannot be above accuracy_window")
        return self


# ---------------------------------------------------------------- gold and qualifications


class GoldRequest(AdminModel):
    """Make a published task a gold question: ``answer`` is its gold result (kind's model)."""

    bundle_id: Identifier
    task_id: Identifier
    answer: dict[str, Any]


class GoldResponse(AdminModel):
    bundle_id: Identifier
    task_id: Identifier
    kind: KindId


class QualificationGrant(AdminModel):
    contributor_id: ShortText
    qualification_id: Identifier


class QualificationReset(AdminModel):
    """Forget certificates, attempts and retry delays (of one qualification, or all)."""

    contributor_id: ShortText
    qualification_id: Identifier | None = None


class WithholdingReset(AdminModel):
    """A fresh start for rotation, fatigue and accuracy (of one kind, or all)."""

    contributor_id: ShortText
    kind: KindId | None = None


class ResetResponse(AdminModel):
    reset: list[str]  # qualification ids or kinds
