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
