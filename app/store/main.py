"""The ``Store``: all reads and writes of a profile's database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.changes import OUTBOX_STATES, SUBMITTED_STATES, TASK_STATES, Change

if TYPE_CHECKING:
    import sqlite_utils

from app.store.memory import KindMemoryRecords, TaskTimeRecords
from app.store.records import (
    AlreadySubmitted,
    NewBundle,
    NotADatabase,
    OutboxRow,
    ProfileDiskFull,
    TaskNotFound,
    TaskRow,
    is_disk_full,
    now_iso,
    task_key,
)
from app.store.schema import connect, migrate
from app.store.syncing import SyncRecords, _json

# ---------------------------------------------------------------- the store


_OUTBOX_ROW_SQL = (
    "SELECT o.uuid, o.task_id, o.kind, o.state, o.created_at, o.attempts, o.last_error, "
    "t.summary, o.reason, o.message FROM outbox o JOIN tasks t ON t.id = o.task_id"
)
_TASK_ROW_SQL = (
    "SELECT t.id, t.bundle_id, t.task_id, t.kind, t.position, t.state, t.reward, "
    "b.currency, t.summary, t.updated_at FROM tasks t JOIN bundles b ON b.id = t.bundle_id"
)


class Store(SyncRecords, KindMemoryRecords, TaskTimeRecords):
    """All reads and writes of a profile's database."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Reads and everyday writes use the plain connection; sqlite-utils is loaded for
        # migrations and bulk writes (a bundle's import, a sync pass).
        self.conn = connect(self.path)
        self._savepoints = 0
        try:
            self.schema_version = migrate(self.conn, path=self.path)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if is_disk_full(exc):
                raise ProfileDiskFull(self.path) from exc
            raise NotADatabase(self.path, str(exc)) from exc
        except BaseException:
            self.conn.close()
            raise

    @cached_property
    def db(self) -> sqlite_utils.Database:
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One transaction (a savepoint inside another), as sqlite-utils' ``atomic`` does
        but on the plain connection: drafts, submits and settings, the writes of everyday
        work, never load sqlite-utils (and numpy, which it imports). A full disk comes out
        as ``ProfileDiskFull``, rolled back."""
        conn = self.conn
        try:
            if conn.in_transaction:
                self._savepoints += 1
                name = f"ouvrage_{self._savepoints}"
                conn.execute(f"SAVEPOINT {name}")
                try:
                    yield
                except BaseException:
                    if conn.in_transaction:  # an error may have ended the transaction
                        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                        conn.execute(f"RELEASE SAVEPOINT {name}")
                    raise
                conn.execute(f"RELEASE SAVEPOINT {name}")
                return
            conn.execute("BEGIN")
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.rollback()
                raise
        except sqlite3.OperationalError as exc:
            if is_disk_full(exc):
                raise ProfileDiskFull(self.path) from exc
            raise

    def _dicts(self, sql: str, args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, list(args))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- bundles and tasks

    def has_bundle(self, bundle_id: str) -> str | None:
        """The stored manifest checksum of ``bundle_id``, or None when it is not imported."""
        row = self.conn.execute(
            "SELECT manifest_sha256 FROM bundles WHERE id = ?", [bundle_id]
        ).fetchone()
        return row[0] if row else None

    def add_bundle(self, bundle: NewBundle) -> Change:
        """Insert a verified bundle and its tasks in one transaction."""
        now = now_iso()
        keys = []
        with self._atomic():
            self.db.table("bundles").insert(
                {
                    "id": bundle.bundle_id, "kind": bundle.kind,
                    "kind_version": bundle.kind_version, "title": bundle.title,
                    "instructions": bundle.instructions, "currency": bundle.currency,
                    "deadline": bundle.deadline,
                    "estimated_minutes_per_task": bundle.estimated_minutes_per_task,
                    "manifest_sha256": bundle.manifest_sha256,
                    "archive_sha256": bundle.archive_sha256, "source": bundle.source,
                    "imported_at": now,
                }
            )  # fmt: skip
            rows = []
            for position, task in enumerate(bundle.tasks):
                key = task_key(bundle.bundle_id, task.task_id)
                keys.append(key)
                rows.append(
                    {
                        "id": key, "bundle_id": bundle.bundle_id, "task_id": task.task_id,
                        "kind": bundle.kind, "position": position, "payload": _json(task.payload),
                        "media": _json(list(task.media)), "reward": str(task.reward),
                        "summary": task.summary, "state": "new", "updated_at": now,
                    }
                )  # fmt: skip
            self.db.table("tasks").insert_all(rows, batch_size=500)
            self._event("bundle_imported", None, {"bundle": bundle.bundle_id, "tasks": len(rows)})
        return Change(bundles=True, tasks=frozenset(keys))

    def bundles(self) -> list[dict[str, Any]]:
        return self._dicts("SELECT * FROM bundles ORDER BY imported_at, id")

    def bundle(self, bundle_id: str) -> dict[str, Any] | None:
        rows = self._dicts("SELECT * FROM bundles WHERE id = ?", [bundle_id])
        return rows[0] if rows else None

    def tasks(
        self,
        *,
        kind: str | None = None,
        bundle_id: str | None = None,
        state: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TaskRow]:
        """Tasks for the queue, in bundle then manifest order, without their payloads;
        ``limit`` and ``offset`` give one stretch of that order (the first screenful)."""
        where: list[str] = []
        args: list[str | int] = []
        for column, value in (("t.kind", kind), ("t.bundle_id", bundle_id), ("t.state", state)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        sql = (
            _TASK_ROW_SQL
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY b.imported_at, t.bundle_id, t.position"
        )
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args += [-1 if limit is None else limit, offset]
        return TaskRow.from_rows(self.conn.execute(sql, args))

    def task_rows(self, keys: Iterable[str]) -> list[TaskRow]:
        """Queue rows of the given tasks, to refresh them after a change."""
        wanted = list(keys)
        rows: list[TaskRow] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += TaskRow.from_rows(
                self.conn.execute(
                    _TASK_ROW_SQL + f" WHERE t.id IN ({', '.join('?' * len(chunk))})", chunk
                ).fetchall()
            )
        return rows

    def task(self, key: str) -> dict[str, Any]:
        """One task with its decoded payload, media list and bundle fields."""
        cursor = self.conn.execute(
            "SELECT t.*, b.title AS bundle_title, b.instructions, b.currency, b.deadline "
            "FROM tasks t JOIN bundles b ON b.id = t.bundle_id WHERE t.id = ?",
            [key],
        )
        row = cursor.fetchone()
        if row is None:
            raise TaskNotFound(key)
        task = dict(zip([d[0] for d in cursor.description], row, strict=True))
        task["payload"] = json.loads(task["payload"])
        task["media"] = json.loads(task["media"])
        task["reward"] = Decimal(task["reward"])
        return task

    def task_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM tasks").fetchone()[0]

    def counts_by_state(self) -> dict[str, int]:
        counts = dict.fromkeys(TASK_STATES, 0)
        for state, n in self.conn.execute("SELECT state, count(*) FROM tasks GROUP BY state"):
            counts[state] = n
        return counts

    # -- drafts and submission

    def save_draft(self, key: str, content: Mapping[str, Any]) -> Change:
        """Keep the editor's current content; ignored once the task is submitted."""
        with self._atomic():
            state = self._task_state(key)
            if state in SUBMITTED_STATES:
                return Change()
            now = now_iso()
            self.conn.execute(
                "INSERT INTO drafts (task_id, content, saved_at, revision) VALUES (?, ?, ?, 1) "
                "ON CONFLICT(task_id) DO UPDATE SET content = excluded.content, "
                "saved_at = excluded.saved_at, revision = drafts.revision + 1",
                [key, _json(content), now],
            )
            if state == "new":
                self.conn.execute(
                    "UPDATE tasks SET state = 'draft', updated_at = ? WHERE id = ?", [now, key]
                )
                return Change(tasks=frozenset({key}), drafts=True)
        return Change(drafts=True)

    def draft(self, key: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT content FROM drafts WHERE task_id = ?", [key]).fetchone()
        return json.loads(row[0]) if row else None

    def draft_saved_at(self, key: str) -> str | None:
        row = self.conn.execute("SELECT saved_at FROM drafts WHERE task_id = ?", [key]).fetchone()
        return row[0] if row else None

    def submit(
        self, key: str, result: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> str:
        """Move a task's result into the outbox in one transaction; returns its idempotency key.

        Raises ``TaskNotFound`` or ``AlreadySubmitted``.
        """
        if not idempotency_key:
            import uuid  # with platform, 1.5 ms that opening the profile need not pay

            idempotency_key = str(uuid.uuid4())
        key_uuid = idempotency_key
        with self._atomic():
            state = self._task_state(key)
            if state in SUBMITTED_STATES:
                raise AlreadySubmitted(key)
            now = now_iso()
            kind = self.conn.execute("SELECT kind FROM tasks WHERE id = ?", [key]).fetchone()[0]
            self.conn.execute(
                "INSERT INTO outbox (uuid, task_id, kind, result, created_at, state, attempts) "
                "VALUES (?, ?, ?, ?, ?, 'queued', 0)",
                [key_uuid, key, kind, _json(result), now],
            )
            self.conn.execute("DELETE FROM drafts WHERE task_id = ?", [key])
            self.conn.execute(
                "UPDATE tasks SET state = 'queued', updated_at = ? WHERE id = ?", [now, key]
            )
            self._event("submitted", key, {"uuid": key_uuid})
        return key_uuid

    def submitted_result(self, key: str) -> dict[str, Any] | None:
        """The latest result sent to the outbox for a task, if any."""
        row = self.conn.execute(
            "SELECT result FROM outbox WHERE task_id = ? ORDER BY rowid DESC LIMIT 1", [key]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def latest_outbox_row(self, key: str) -> OutboxRow | None:
        """The most recent outbox entry of a task, if it was ever submitted."""
        row = self.conn.execute(
            _OUTBOX_ROW_SQL + " WHERE o.task_id = ? ORDER BY o.rowid DESC LIMIT 1", [key]
        ).fetchone()
        return OutboxRow(*row) if row else None

    def outbox(self, states: Iterable[str] | None = None) -> list[OutboxRow]:
        sql = _OUTBOX_ROW_SQL
        args: list[str] = []
        if states is not None:
            wanted = list(states)
            sql += f" WHERE o.state IN ({', '.join('?' * len(wanted))})"
            args = wanted
        sql += " ORDER BY o.rowid DESC"
        return [OutboxRow(*r) for r in self.conn.execute(sql, args).fetchall()]

    def outbox_results(
        self, *, kind: str, states: Iterable[str] | None = None
    ) -> list[dict[str, Any]]:
        """Submitted results of one kind with their payloads, for export."""
        wanted = list(states) if states is not None else list(OUTBOX_STATES)
        sql = (
            "SELECT o.uuid, o.task_id, t.bundle_id, t.task_id, t.payload, o.result, o.state "
            "FROM outbox o JOIN tasks t ON t.id = o.task_id "
            f"WHERE o.kind = ? AND o.state IN ({', '.join('?' * len(wanted))}) "
            "ORDER BY t.bundle_id, t.position"
        )
        return [
            {
                "uuid": r[0], "key": r[1], "bundle_id": r[2], "task_id": r[3],
                "payload": json.loads(r[4]), "result": json.loads(r[5]), "state": r[6],
            }
            for r in self.conn.execute(sql, [kind, *wanted]).fetchall()
        ]  # fmt: skip

    def outbox_waiting(self) -> int:
        """Results not yet acknowledged by a server."""
        return self.conn.execute("SELECT count(*) FROM outbox WHERE state = 'queued'").fetchone()[0]

    # -- earnings

    def earnings_on(self, day: date) -> dict[str, Decimal]:
        """Amounts the server reported for ``day`` (UTC), by currency, rejected ones excluded."""
        totals: dict[str, Decimal] = {}
        for amount, currency in self.conn.execute(
            "SELECT amount, currency FROM ledger WHERE substr(occurred_at, 1, 10) = ? "
            "AND status != 'rejected' AND coalesce(entry_kind, '') != 'payout'",
            [day.isoformat()],
        ):
            totals[currency] = totals.get(currency, Decimal(0)) + Decimal(amount)
        return totals

    # -- settings and events

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> Change:
        with self._atomic():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, _json(value)],
            )
        return Change(settings=frozenset({key}))

    def log_event(self, type_: str, task_id: str | None = None, **detail: Any) -> None:
        with self._atomic():
            self._event(type_, task_id, detail)

    def events(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._dicts("SELECT * FROM events ORDER BY id DESC LIMIT ?", [limit])
        return [{**r, "detail": json.loads(r["detail"] or "{}")} for r in rows]

    def integrity_check(self) -> str:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0]

    # -- internals

    def _task_state(self, key: str) -> str:
        row = self.conn.execute("SELECT state FROM tasks WHERE id = ?", [key]).fetchone()
        if row is None:
            raise TaskNotFound(key)
        return row[0]

    def _event(self, type_: str, task_id: str | None, detail: Mapping[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO events (at, type, task_id, detail) VALUES (?, ?, ?, ?)",
            [now_iso(), type_, task_id, _json(dict(detail))],
        )
