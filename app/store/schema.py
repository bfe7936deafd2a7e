"""The schema of a profile database and its migrations by ``PRAGMA user_version``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

from app.store.records import NotADatabase, ProfileDiskFull, SchemaTooNew, is_disk_full

# ---------------------------------------------------------------- migrations


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.table("bundles").create(
        {
            "id": str, "kind": str, "kind_version": int, "title": str, "instructions": str,
            "currency": str, "deadline": str, "estimated_minutes_per_task": float,
            "manifest_sha256": str, "archive_sha256": str, "source": str, "imported_at": str,
        },
        pk="id",
        not_null={"kind", "title", "currency", "manifest_sha256", "imported_at"},
    )  # fmt: skip
    db.table("tasks").create(
        {
            "id": str, "bundle_id": str, "task_id": str, "kind": str, "position": int,
            "payload": str, "media": str, "reward": str, "summary": str, "state": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("bundle_id", "bundles", "id")],
        not_null={"bundle_id", "task_id", "kind", "payload", "reward", "state"},
        defaults={"state": "new", "media": "[]", "summary": ""},
    )  # fmt: skip
    db.table("drafts").create(
        {"task_id": str, "content": str, "saved_at": str, "revision": int},
        pk="task_id",
        foreign_keys=[("task_id", "tasks", "id")],
        not_null={"content", "saved_at"},
        defaults={"revision": 0},
    )
    db.table("outbox").create(
        {"uuid": str, "task_id": str, "kind": str, "result": str, "created_at": str, "state": str},
        pk="uuid",
        foreign_keys=[("task_id", "tasks", "id")],
        not_null={"task_id", "result", "created_at", "state"},
        defaults={"state": "queued"},
    )
    db.table("events").create(
        {"id": int, "at": str, "type": str, "task_id": str, "detail": str},
        pk="id",
        not_null={"at", "type"},
    )
    db.table("settings").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.table("tasks").create_index(["bundle_id", "position"])


def _migrate_2(db: sqlite_utils.Database) -> None:
    # Sync bookkeeping and the earnings ledger arrived after the first schema.
    db.table("outbox").add_column("attempts", int, not_null_default=0)
    db.table("outbox").add_column("last_error", str)
    db.table("outbox").add_column("sent_at", str)
    db.table("ledger").create(
        {
            "id": str, "task_id": str, "kind": str, "amount": str, "currency": str,
            "status": str, "reason": str, "occurred_at": str, "received_at": str,
        },
        pk="id",
        not_null={"amount", "currency", "status", "occurred_at"},
    )  # fmt: skip
    db.table("tasks").create_index(["state"])
    db.table("outbox").create_index(["state"])
    db.table("ledger").create_index(["occurred_at"])


def _migrate_3(db: sqlite_utils.Database) -> None:
    # Sync with a server: why a result was refused, the ledger as the server describes it,
    # the last catalogue seen and the bundles this contributor holds.
    db.table("outbox").add_column("reason", str)
    db.table("outbox").add_column("message", str)
    db.table("outbox").add_column("acked_at", str)
    for column in ("entry_kind", "bundle_id", "idempotency_key", "updated_at"):
        db.table("ledger").add_column(column, str)
    db.table("ledger").create_index(["idempotency_key"])
    db.table("catalogue").create(
        {"bundle_id": str, "kind": str, "title": str, "entry": str, "seen_at": str},
        pk="bundle_id",
        not_null={"kind", "entry", "seen_at"},
    )
    db.table("leases").create(
        {
            "bundle_id": str, "lease_id": str, "kind": str, "expires_at": str,
            "archive_path": str, "archive_sha256": str, "size_bytes": int, "state": str,
            "claimed_at": str, "error": str,
        },
        pk="bundle_id",
        not_null={"lease_id", "expires_at", "archive_path", "archive_sha256", "state"},
        defaults={"state": "claimed"},
    )  # fmt: skip


def _migrate_4(db: sqlite_utils.Database) -> None:
    # What kinds learn from submitted work (a translation memory), opaque to the store.
    db.table("kind_memory").create(
        {"id": int, "kind": str, "key": str, "digest": str, "record": str, "added_at": str},
        pk="id",
        not_null={"kind", "key", "digest", "record", "added_at"},
    )
    db.table("kind_memory").create_index(["digest"], unique=True)
    db.table("kind_memory").create_index(["kind", "key"])


def _migrate_5(db: sqlite_utils.Database) -> None:
    # Time measured on each task (active and open), for the hourly wage; sent with results.
    db.table("task_time").create(
        {"task_id": str, "kind": str, "active_s": float, "spent_s": float, "updated_at": str},
        pk="task_id",
        not_null={"kind", "active_s", "spent_s", "updated_at"},
    )


MIGRATIONS: tuple[Callable[[sqlite_utils.Database], None], ...] = (
    _migrate_1,
    _migrate_2,
    _migrate_3,
    _migrate_4,
    _migrate_5,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, *, path: Path, upto: int = SCHEMA_VERSION) -> int:
    """Bring the database to schema ``upto``, one transaction per step; returns the version.

    Raises ``SchemaTooNew`` when the file comes from a newer Ouvrage.
    """
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(path, current, SCHEMA_VERSION)
    if current >= upto:
        return current
    import sqlite_utils  # only needed to create or change tables

    db = sqlite_utils.Database(conn, execute_plugins=False)
    for version in range(current + 1, upto + 1):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            db.execute(f"PRAGMA user_version = {version}")
        current = version
    return current


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) a database file with the profile's pragmas."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # The database worker is a different thread from the one that opens the store.
        conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        # FULL: a power cut must not lose a transaction we reported as saved.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc):
            raise ProfileDiskFull(path) from exc
        raise NotADatabase(path, str(exc)) from exc
    return conn
