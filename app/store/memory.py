"""What task kinds learn from submitted work, kept for later tasks (a translation memory,
imported glossary terms), and the time measured on each task. The store keeps kinds'
records opaque: each kind says what they mean.

A mixin of ``Store``: it relies on ``conn`` and ``db`` from there.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from app.store.records import now_iso

if TYPE_CHECKING:
    import sqlite_utils


def _canonical(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: kept escaped, as ``syncing._json`` does
        return json.dumps(record, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return text


class KindMemoryRecords:
    """Records a kind keeps under a key of its choosing (for translation, a language pair)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        @property
        def db(self) -> sqlite_utils.Database: ...

        def _atomic(self) -> AbstractContextManager[None]: ...

    def add_memory_records(self, kind: str, key: str, records: Iterable[Mapping[str, Any]]) -> int:
        """Keep ``records`` for ``kind`` under ``key``; a record already kept (the same
        content) is not added twice. Returns how many were new."""
        import hashlib  # OpenSSL's libcrypto, 3 MiB: only once something is learned

        now = now_iso()
        rows = []
        for record in records:
            text = _canonical(record)
            digest = hashlib.sha256(f"{kind}\0{key}\0{text}".encode()).hexdigest()
            rows.append((kind, key, digest, text, now))
        if not rows:
            return 0
        with self._atomic():
            before = self.conn.total_changes
            self.conn.executemany(
                "INSERT OR IGNORE INTO kind_memory (kind, key, digest, record, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            return self.conn.total_changes - before

    def memory_records(self, kind: str, key: str) -> list[dict[str, Any]]:
        """Every record kept for ``kind`` under ``key``, oldest first."""
        cursor = self.conn.execute(
            "SELECT record FROM kind_memory WHERE kind = ? AND key = ? ORDER BY id", [kind, key]
        )
        return [json.loads(text) for (text,) in cursor]

    def memory_count(self, kind: str, key: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM kind_memory WHERE kind = ? AND key = ?", [kind, key]
        ).fetchone()
        return int(row[0])


class TaskTimeRecords:
    """Seconds measured on tasks: active (focused and busy) and spent (open)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        @property
        def db(self) -> sqlite_utils.Database: ...

        def _atomic(self) -> AbstractContextManager[None]: ...

    def add_task_time(self, key: str, active_s: float, spent_s: float) -> None:
        """Add one sitting's seconds to a task's (a task may be opened several times).
        Nothing is kept for a task the profile does not hold."""
        if active_s <= 0 and spent_s <= 0:
            return
        with self._atomic():
            self.conn.execute(
                "INSERT INTO task_time (task_id, kind, active_s, spent_s, updated_at) "
                "SELECT id, kind, ?, ?, ? FROM tasks WHERE id = ? "
                "ON CONFLICT(task_id) DO UPDATE SET "
                "active_s = task_time.active_s + excluded.active_s, "
                "spent_s = task_time.spent_s + excluded.spent_s, updated_at = excluded.updated_at",
                [max(active_s, 0.0), max(spent_s, 0.0), now_iso(), key],
            )

    def task_time(self, key: str) -> tuple[float, float] | None:
        """``(active_s, spent_s)`` of a task, or None when nothing was measured."""
        row = self.conn.execute(
            "SELECT active_s, spent_s FROM task_time WHERE task_id = ?", [key]
        ).fetchone()
        return (float(row[0]), float(row[1])) if row else None

    def task_times(self) -> dict[str, tuple[str, float, float]]:
        """Every task's ``(kind, active_s, spent_s)`` by task key."""
        cursor = self.conn.execute("SELECT task_id, kind, active_s, spent_s FROM task_time")
        return {key: (kind, float(a), float(s)) for key, kind, a, s in cursor}

    def download_seconds(self) -> float:
        """Time spent downloading bundles, from the events the downloads logged."""
        total = 0.0
        for (detail,) in self.conn.execute(
            "SELECT detail FROM events WHERE type = 'bundle_downloaded'"
        ):
            try:
                total += float(json.loads(detail or "{}").get("seconds", 0))
            except (ValueError, TypeError, AttributeError):
                continue
        return total
