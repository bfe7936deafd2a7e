"""Rows of the mock server's database as plain values (field names are column names).

Times are POSIX seconds of the server clock; money is a decimal string.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContributorRow:
    contributor_id: str
    display_name: str
    salt: bytes
    password_hash: bytes


@dataclass(frozen=True)
class TokenRow:
    token_hash: str
    contributor_id: str
    device_name: str | None
    created_at: float
    expires_at: float | None
    expired: int  # set by the admin's "expire tokens"


@dataclass(frozen=True)
class BundleRow:
    bundle_id: str
    kind: str
    kind_version: int
    title: str
    description: str
    reward_per_task: str
    currency: str
    estimated_minutes: float | None
    deadline: float
    archive_name: str  # file name inside the data dir's bundles/ folder
    size_bytes: int
    sha256: str
    published_at: float
    withdrawn: int = 0
    purpose: str = "work"  # "work" (the catalogue) or "qualification" (one test attempt)
    qualification_id: str | None = None  # needed to claim it (work bundles)


@dataclass(frozen=True)
class TaskRow:
    bundle_id: str
    task_id: str
    position: int
    reward: str
    payload: str  # JSON
    withdrawn: int = 0


@dataclass(frozen=True)
class LeaseRow:
    lease_id: str
    bundle_id: str
    contributor_id: str
    kind: str
    claimed_at: float
    expires_at: float
    ended_at: float | None = None  # set when every task was released


@dataclass(frozen=True)
class ResultRow:
    idempotency_key: str
    contributor_id: str
    bundle_id: str
    task_id: str
    kind: str
    status: str  # "accepted" or "rejected"
    reason: str | None
    message: str | None
    result: str  # JSON as received
    submitted_at: str
    received_at: float
    active_seconds: float | None = None
    elapsed_seconds: float | None = None
    started_at: str | None = None


@dataclass(frozen=True)
class LedgerRow:
    entry_id: str
    seq: int  # position of the entry's latest change; 0 before it is stored
    contributor_id: str
    kind: str
    status: str
    amount: str
    currency: str
    bundle_id: str | None
    task_id: str | None
    task_kind: str | None
    idempotency_key: str | None
    reason: str | None
    occurred_at: float
    updated_at: float
    active_seconds: float | None = None


@dataclass(frozen=True)
class GradeRow:
    """The grade of an accepted result for a task whose gold answer the server holds."""

    idempotency_key: str
    contributor_id: str
    kind: str
    bundle_id: str
    task_id: str
    purpose: str  # "gold" (a test question in ordinary work) or "qualification"
    score: float
    graded_at: float


@dataclass(frozen=True)
class AttemptRow:
    """One attempt at a qualification test: its own bundle, graded when fully answered."""

    bundle_id: str
    qualification_id: str
    contributor_id: str
    attempt: int  # 1, 2… per contributor and qualification, never reused
    started_at: float
    graded_at: float | None = None
    score: float | None = None
    passed: int | None = None
    cleared: int = 0  # forgotten by an admin reset


@dataclass(frozen=True)
class CertificateRow:
    contributor_id: str
    qualification_id: str
    earned_at: float
    score: float | None
    source: str  # "test", "accuracy" or "granted"


@dataclass(frozen=True)
class WithholdingRow:
    """A kind withheld from a contributor for a while (low accuracy on gold questions)."""

    contributor_id: str
    kind: str
    reason: str
    started_at: float
    until: float
