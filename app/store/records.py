"""What the store hands out and takes in, and the errors it raises. No SQL here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass


class StoreError(Exception):
    """Something the contributor can act on went wrong with the local store."""


class SchemaTooNew(StoreError):
    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(
            f"The profile database {path} was written by a newer Ouvrage (schema {found}, "
            f"this version knows up to {known}). Update Ouvrage to open it; nothing was changed."
        )


class NotADatabase(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The profile database {path} cannot be opened ({reason}). "
            "Restore it from a backup or start with another profile (--profile DIR)."
        )


class ProfileDiskFull(StoreError):
    """The disk holding the profile is full: the change being saved was not (nothing before it
    is lost, and the database stays sound)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The disk holding your profile ({path.parent}) is full, so the last change could "
            "not be saved. Free some disk space; everything saved before is safe."
        )


def is_disk_full(exc: BaseException) -> bool:
    """Whether SQLite failed because the disk (or the file system's quota) is full."""
    return isinstance(exc, sqlite3.Error) and exc.sqlite_errorcode == sqlite3.SQLITE_FULL


class TaskNotFound(StoreError):
    def __init__(self, task_id: str) -> None:
        super().__init__(f"There is no task '{task_id}' in this profile.")


class AlreadySubmitted(StoreError):
    def __init__(self, task_id: str) -> None:
        super().__init__(f"The result of task '{task_id}' is already in the outbox.")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class NewTask:
    """A task as the importer hands it to the store."""

    task_id: str
    payload: Mapping[str, Any]
    reward: Decimal
    summary: str
    media: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewBundle:
    bundle_id: str
    kind: str
    kind_version: int
    title: str
    instructions: str
    currency: str
    deadline: str
    estimated_minutes_per_task: float | None
    manifest_sha256: str
    archive_sha256: str
    source: str  # "file", "demo", later "server"
    tasks: tuple[NewTask, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)  # one per task in the queue: 10,000 and more
class TaskRow:
    id: str
    bundle_id: str
    task_id: str
    kind: str
    position: int
    state: str
    reward: Decimal
    currency: str
    summary: str
    updated_at: str

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> list[TaskRow]:
        """Rows of ``_TASK_ROW_SQL``'s columns as TaskRows, the values repeated from task to
        task (bundle, kind, state, currency, reward) shared rather than copied."""
        shared: dict[Any, Any] = {}

        def one(value: Any) -> Any:
            return shared.setdefault(value, value)

        rewards = _Decimals()
        return [
            cls(r[0], one(r[1]), r[2], one(r[3]), r[4], one(r[5]), rewards[r[6]], one(r[7]),
                r[8], r[9])
            for r in rows
        ]  # fmt: skip


class _Decimals(dict[str, Decimal]):
    """Each amount's text parsed once: ``self[text]`` is its Decimal."""

    def __missing__(self, text: str) -> Decimal:
        value = self[text] = Decimal(text)
        return value


@dataclass(frozen=True)
class OutboxRow:
    uuid: str
    task_id: str
    kind: str
    state: str
    created_at: str
    attempts: int
    last_error: str | None
    summary: str
    reason: str | None = None  # the server's reason code when it refused the result
    message: str | None = None  # and its explanation for the contributor

    @property
    def note(self) -> str:
        """What the contributor should read about this result, if anything."""
        if self.state == "rejected":
            return self.message or self.reason or ""
        return self.last_error or ""


def task_key(bundle_id: str, task_id: str) -> str:
    """The profile-wide id of a task: bundle ids are unique, task ids only inside a bundle."""
    return f"{bundle_id}/{task_id}"
