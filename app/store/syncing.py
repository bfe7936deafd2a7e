"""What syncing with a server reads and writes: acks, the ledger, the catalogue, leases.

A mixin of ``Store``: it relies on ``conn``, ``db``, ``_dicts``, ``_event`` and
``setting`` from there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from app.changes import Change

if TYPE_CHECKING:
    import sqlite_utils

from app.store.records import now_iso

if TYPE_CHECKING:
    from collections.abc import Sequence


def _json(value: Any) -> str:
    """``value`` as compact JSON text that SQLite can store.

    Half of a UTF-16 pair (a broken paste, an emoji cut in two) cannot be written as
    UTF-8; such text is kept with ``\\u`` escapes instead, and reads back unchanged.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, separators=(",", ":"), default=str)
    return text


class SyncRecords:
    """Sync-side methods of the store."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        @property
        def db(self) -> sqlite_utils.Database: ...

        def _atomic(self) -> AbstractContextManager[None]: ...

        def _dicts(self, sql: str, args: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

        def _event(self, type_: str, task_id: str | None, detail: Mapping[str, Any]) -> None: ...

        def setting(self, key: str, default: Any = None) -> Any: ...

        def set_setting(self, key: str, value: Any) -> Change: ...

    # -- sync with a server (the engine reaches these through the database worker)

    def pending_results(self, limit: int) -> list[dict[str, Any]]:
        """Queued results, oldest first, with what the server needs to know about each
        (``active_s``: the active time measured on the task, or None)."""
        rows = self._dicts(
            "SELECT o.uuid, t.bundle_id, t.task_id, o.kind, o.result, o.created_at, "
            "tt.active_s, tt.spent_s FROM outbox o JOIN tasks t ON t.id = o.task_id "
            "LEFT JOIN task_time tt ON tt.task_id = o.task_id WHERE o.state = 'queued' "
            "ORDER BY o.rowid LIMIT ?",
            [limit],
        )
        for row in rows:
            row["result"] = json.loads(row["result"])
        return rows

    def pending_count(self) -> int:
        """How many results wait to be sent."""
        return int(
            self.conn.execute("SELECT count(*) FROM outbox WHERE state = 'queued'").fetchone()[0]
        )

    def record_acks(self, acks: Iterable[tuple[str, str, str | None, str | None]]) -> Change:
        """Apply the server's answer per result: ``(key, status, reason, message)``.

        ``accepted`` and ``duplicate`` both mean the server holds it once; ``rejected``
        keeps the reason to show. One transaction for the whole batch.
        """
        now = now_iso()
        touched: set[str] = set()
        with self._atomic():
            for key, status, reason, message in acks:
                row = self.conn.execute(
                    "SELECT task_id, state FROM outbox WHERE uuid = ?", [key]
                ).fetchone()
                if row is None:
                    continue
                task_key, state = row
                if status == "rejected":
                    new_state, task_state = "rejected", "rejected"
                else:
                    # A late duplicate never moves an approved result backwards.
                    new_state = "sent" if state == "queued" else state
                    task_state = "sent"
                self.conn.execute(
                    "UPDATE outbox SET state = ?, reason = ?, message = ?, acked_at = ?, "
                    "attempts = attempts + 1, last_error = NULL WHERE uuid = ?",
                    [new_state, reason, message, now, key],
                )
                self.conn.execute(
                    "UPDATE tasks SET state = ?, updated_at = ? WHERE id = ? AND state = 'queued'",
                    [task_state, now, task_key],
                )
                touched.add(task_key)
                self._event(f"result_{status}", task_key, {"uuid": key, "reason": reason})
        return Change(tasks=frozenset(touched), outbox=True)

    def record_send_failure(self, keys: Iterable[str], error: str) -> Change:
        with self._atomic():
            for key in keys:
                self.conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE uuid = ?",
                    [error, key],
                )
        return Change(outbox=True)

    def earnings_cursor(self) -> str | None:
        value = self.setting("sync.earnings_cursor")
        return str(value) if value is not None else None

    def apply_earnings(
        self, entries: Iterable[Mapping[str, Any]], cursor: str, *, reset: bool
    ) -> Change:
        """Upsert ledger entries as the server sent them and move the cursor, in one transaction.

        ``reset`` drops the local copy first (the server's cursor was no longer valid).
        A task reward's status also moves its result: approved or paid → accepted,
        rejected → rejected with the server's reason.
        """
        now = now_iso()
        touched: set[str] = set()
        with self._atomic():
            if reset:
                self.conn.execute("DELETE FROM ledger")
            for entry in entries:
                key = entry.get("idempotency_key")
                self.db.table("ledger").upsert(
                    {
                        "id": entry["entry_id"], "entry_kind": entry["kind"],
                        "status": entry["status"], "amount": str(entry["amount"]),
                        "currency": entry["currency"], "bundle_id": entry.get("bundle_id"),
                        "task_id": entry.get("task_id"), "kind": entry.get("task_kind"),
                        "idempotency_key": str(key) if key else None,
                        "reason": entry.get("reason"), "occurred_at": str(entry["occurred_at"]),
                        "updated_at": str(entry["updated_at"]), "received_at": now,
                    },
                    pk="id",
                )  # fmt: skip
                if key and entry["kind"] == "task_reward":
                    touched |= self._settle(str(key), str(entry["status"]), entry.get("reason"))
            self.set_setting("sync.earnings_cursor", cursor)
        return Change(tasks=frozenset(touched), outbox=bool(touched))

    def _settle(self, key: str, status: str, reason: str | None) -> set[str]:
        state = {"approved": "accepted", "paid": "accepted", "rejected": "rejected"}.get(status)
        row = self.conn.execute("SELECT task_id FROM outbox WHERE uuid = ?", [key]).fetchone()
        if state is None or row is None:
            return set()
        now = now_iso()
        self.conn.execute(
            "UPDATE outbox SET state = ?, reason = coalesce(?, reason) WHERE uuid = ?",
            [state, reason, key],
        )
        self.conn.execute(
            "UPDATE tasks SET state = ?, updated_at = ? WHERE id = ?", [state, now, row[0]]
        )
        return {row[0]}

    def ledger(self) -> list[dict[str, Any]]:
        """The earnings as last reported by the server, newest first."""
        return self._dicts("SELECT * FROM ledger ORDER BY occurred_at DESC, id")

    def save_catalogue(self, entries: Iterable[Mapping[str, Any]]) -> Change:
        now = now_iso()
        with self._atomic():
            self.conn.execute("DELETE FROM catalogue")
            self.db.table("catalogue").insert_all(
                (
                    {"bundle_id": e["bundle_id"], "kind": e["kind"], "title": e["title"],
                     "entry": _json(dict(e)), "seen_at": now}
                    for e in entries
                ),
                batch_size=200,
            )  # fmt: skip
        return Change(settings=frozenset({"catalogue"}))

    def catalogue(self) -> list[dict[str, Any]]:
        """The offers seen at the last sync, as the server described them."""
        return [
            json.loads(row[0])
            for row in self.conn.execute("SELECT entry FROM catalogue ORDER BY seen_at, rowid")
        ]

    def save_lease(self, lease: Mapping[str, Any]) -> None:
        with self._atomic():
            self.db.table("leases").upsert(
                {
                    "bundle_id": lease["bundle_id"], "lease_id": lease["lease_id"],
                    "kind": lease["kind"], "expires_at": str(lease["expires_at"]),
                    "archive_path": lease["archive_path"],
                    "archive_sha256": lease["archive_sha256"], "size_bytes": lease["size_bytes"],
                    "state": "claimed", "claimed_at": now_iso(), "error": None,
                },
                pk="bundle_id",
            )  # fmt: skip

    def set_lease_state(self, bundle_id: str, state: str, error: str | None = None) -> None:
        with self._atomic():
            self.conn.execute(
                "UPDATE leases SET state = ?, error = ? WHERE bundle_id = ?",
                [state, error, bundle_id],
            )

    def leases(self, states: Iterable[str] | None = None) -> list[dict[str, Any]]:
        if states is None:
            return self._dicts("SELECT * FROM leases ORDER BY claimed_at")
        wanted = list(states)
        return self._dicts(
            f"SELECT * FROM leases WHERE state IN ({', '.join('?' * len(wanted))}) "
            "ORDER BY claimed_at",
            wanted,
        )

    def release_bundle(self, bundle_id: str) -> tuple[Change, bool]:
        """The server took back ``bundle_id``: its unsubmitted tasks and their drafts go,
        the lease is marked released. Submitted tasks stay (their results still count).
        Returns the change and whether the bundle is now empty (its media can go)."""
        with self._atomic():
            keys = [
                row[0]
                for row in self.conn.execute(
                    "SELECT id FROM tasks WHERE bundle_id = ? AND state IN ('new', 'draft')",
                    [bundle_id],
                )
            ]
            marks = ", ".join("?" * len(keys))
            if keys:
                self.conn.execute(f"DELETE FROM drafts WHERE task_id IN ({marks})", keys)
                self.conn.execute(f"DELETE FROM task_time WHERE task_id IN ({marks})", keys)
                self.conn.execute(f"DELETE FROM tasks WHERE id IN ({marks})", keys)
            left = self.conn.execute(
                "SELECT count(*) FROM tasks WHERE bundle_id = ?", [bundle_id]
            ).fetchone()[0]
            if not left:
                self.conn.execute("DELETE FROM bundles WHERE id = ?", [bundle_id])
            self.conn.execute(
                "UPDATE leases SET state = 'released' WHERE bundle_id = ?", [bundle_id]
            )
            self._event("bundle_released", None, {"bundle": bundle_id, "tasks": len(keys)})
        return Change(bundles=True, tasks=frozenset(keys), drafts=bool(keys)), not left

    def open_task_ids(self, bundle_id: str) -> list[str]:
        """The bundle's own ids of the tasks not submitted yet (what releasing gives back)."""
        cursor = self.conn.execute(
            "SELECT task_id FROM tasks WHERE bundle_id = ? AND state IN ('new', 'draft') "
            "ORDER BY position",
            [bundle_id],
        )
        return [row[0] for row in cursor]

    def open_task_count(self, bundle_id: str) -> int:
        """Tasks of a bundle not submitted yet (what releasing it gives back)."""
        row = self.conn.execute(
            "SELECT count(*) FROM tasks WHERE bundle_id = ? AND state IN ('new', 'draft')",
            [bundle_id],
        ).fetchone()
        return int(row[0])
