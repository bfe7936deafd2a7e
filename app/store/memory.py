"""What task kinds learn from submitted work, kept for later tasks (a translation memory,
imported glossary terms). The store keeps records opaque: each kind says what they mean.

A mixin of ``Store``: it relies on ``conn`` and ``db`` from there.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from app.store.records import now_iso

if TYPE_CHECKING:
    import sqlite_utils


def _canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class KindMemoryRecords:
    """Records a kind keeps under a key of its choosing (for translation, a language pair)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        @property
        def db(self) -> sqlite_utils.Database: ...

    def add_memory_records(
        self, kind: str, key: str, records: Iterable[Mapping[str, Any]]
    ) -> int:
        """Keep ``records`` for ``kind`` under ``key``; a record already kept (the same
        content) is not added twice. Returns how many were new."""
        now = now_iso()
        rows = []
        for record in records:
            text = _canonical(record)
            digest = hashlib.sha256(f"{kind}\0{key}\0{text}".encode()).hexdigest()
            rows.append((kind, key, digest, text, now))
        if not rows:
            return 0
        with self.db.atomic():
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
