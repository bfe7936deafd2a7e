"""The mock server's own SQLite database: the only module of ``mockserver`` that speaks SQL.

One connection shared by the server's worker threads behind a lock; WAL mode.
``transaction()`` groups calls into one atomic unit (nested uses join the outer
one), and every mutating method runs inside one, so a caller that needs
several steps to be atomic wraps them in its own ``transaction()``.

The schema is versioned with ``PRAGMA user_version``: ``_SCHEMA`` is version 1
as first shipped, and each entry of ``_MIGRATIONS`` takes a database from the
version before it to its own, in one transaction. A data dir from an older
server is upgraded when opened; one from a newer server is refused.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from mockserver.records import (
    AttemptRow,
    BundleRow,
    CertificateRow,
    ContributorRow,
    GradeRow,
    LeaseRow,
    LedgerRow,
    ResultRow,
    TaskRow,
    TokenRow,
    WithholdingRow,
)

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contributors (
    contributor_id TEXT PRIMARY KEY, display_name TEXT NOT NULL,
    salt BLOB NOT NULL, password_hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    contributor_id TEXT NOT NULL REFERENCES contributors(contributor_id),
    device_name TEXT, created_at REAL NOT NULL, expires_at REAL,
    expired INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS tokens_contributor ON tokens(contributor_id);
CREATE TABLE IF NOT EXISTS bundles (
    bundle_id TEXT PRIMARY KEY, kind TEXT NOT NULL, kind_version INTEGER NOT NULL,
    title TEXT NOT NULL, description TEXT NOT NULL, reward_per_task TEXT NOT NULL,
    currency TEXT NOT NULL, estimated_minutes REAL, deadline REAL NOT NULL,
    archive_name TEXT NOT NULL, size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,
    published_at REAL NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tasks (
    bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id), task_id TEXT NOT NULL,
    position INTEGER NOT NULL, reward TEXT NOT NULL, payload TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (bundle_id, task_id));
CREATE TABLE IF NOT EXISTS leases (
    lease_id TEXT PRIMARY KEY, bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id),
    contributor_id TEXT NOT NULL REFERENCES contributors(contributor_id), kind TEXT NOT NULL,
    claimed_at REAL NOT NULL, expires_at REAL NOT NULL, ended_at REAL);
CREATE INDEX IF NOT EXISTS leases_bundle ON leases(bundle_id);
CREATE INDEX IF NOT EXISTS leases_contributor ON leases(contributor_id);
CREATE TABLE IF NOT EXISTS lease_tasks (
    lease_id TEXT NOT NULL REFERENCES leases(lease_id), task_id TEXT NOT NULL,
    released_at REAL, PRIMARY KEY (lease_id, task_id));
CREATE TABLE IF NOT EXISTS results (
    idempotency_key TEXT PRIMARY KEY, contributor_id TEXT NOT NULL, bundle_id TEXT NOT NULL,
    task_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, message TEXT,
    result TEXT NOT NULL, submitted_at TEXT NOT NULL, received_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS results_task ON results(bundle_id, task_id, status);
CREATE TABLE IF NOT EXISTS ledger (
    entry_id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, contributor_id TEXT NOT NULL,
    kind TEXT NOT NULL, status TEXT NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL,
    bundle_id TEXT, task_id TEXT, task_kind TEXT, idempotency_key TEXT, reason TEXT,
    occurred_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS ledger_contributor ON ledger(contributor_id, seq);
CREATE INDEX IF NOT EXISTS ledger_key ON ledger(idempotency_key);
CREATE INDEX IF NOT EXISTS ledger_task ON ledger(bundle_id, task_id);
"""
# Never edit a shipped migration: add the next one.
_MIGRATIONS: dict[int, str] = {
    2: """
ALTER TABLE bundles ADD COLUMN purpose TEXT NOT NULL DEFAULT 'work';
ALTER TABLE bundles ADD COLUMN qualification_id TEXT;
ALTER TABLE results ADD COLUMN active_seconds REAL;
ALTER TABLE results ADD COLUMN elapsed_seconds REAL;
ALTER TABLE results ADD COLUMN started_at TEXT;
ALTER TABLE ledger ADD COLUMN active_seconds REAL;
CREATE INDEX results_contributor ON results(contributor_id, kind, received_at);
CREATE TABLE golds (
    bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id), task_id TEXT NOT NULL,
    answer TEXT NOT NULL, PRIMARY KEY (bundle_id, task_id));
CREATE TABLE grades (
    idempotency_key TEXT PRIMARY KEY REFERENCES results(idempotency_key),
    contributor_id TEXT NOT NULL, kind TEXT NOT NULL, bundle_id TEXT NOT NULL,
    task_id TEXT NOT NULL, purpose TEXT NOT NULL, score REAL NOT NULL, graded_at REAL NOT NULL);
CREATE INDEX grades_contributor ON grades(contributor_id, kind, purpose, graded_at);
CREATE INDEX grades_bundle ON grades(bundle_id);
CREATE TABLE qualification_attempts (
    bundle_id TEXT PRIMARY KEY REFERENCES bundles(bundle_id),
    qualification_id TEXT NOT NULL, contributor_id TEXT NOT NULL, attempt INTEGER NOT NULL,
    started_at REAL NOT NULL, graded_at REAL, score REAL, passed INTEGER,
    cleared INTEGER NOT NULL DEFAULT 0);
CREATE INDEX attempts_contributor ON qualification_attempts(contributor_id, qualification_id);
CREATE TABLE certificates (
    contributor_id TEXT NOT NULL, qualification_id TEXT NOT NULL, earned_at REAL NOT NULL,
    score REAL, source TEXT NOT NULL, PRIMARY KEY (contributor_id, qualification_id));
CREATE TABLE withholdings (
    contributor_id TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL,
    started_at REAL NOT NULL, until REAL NOT NULL);
CREATE INDEX withholdings_contributor ON withholdings(contributor_id, kind);
CREATE TABLE fresh_starts (contributor_id TEXT NOT NULL, kind TEXT, at REAL NOT NULL);
""",
}

_Row = TypeVar("_Row")
# A lease is active while it is neither ended nor expired; ``:now`` is the server clock.
_ACTIVE = "l.ended_at IS NULL AND l.expires_at > :now"


class MockStore:
    """The mock server's database at ``path`` (created with its schema if new)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL survives a process crash; only a power cut may lose the last commits.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._migrate()
        if self.get_setting("epoch") is None:
            self.set_setting("epoch", secrets.token_hex(4))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the schema to ``SCHEMA_VERSION``; raises ``sqlite3.DatabaseError`` for a
        database written by a newer mock server."""
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"The mock server database {self.path} has schema version {version}, newer "
                f"than this server's {SCHEMA_VERSION}. Update Ouvrage or use another --data folder."
            )
        if version == 0:
            self._apply(1, _SCHEMA)
        for target in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
            self._apply(target, _MIGRATIONS[target])

    def _apply(self, version: int, script: str) -> None:
        try:
            self._db.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={version};\nCOMMIT;"
            )
        except sqlite3.Error:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block atomically: committed at its end, rolled back if it raises."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
                if outer:
                    self._db.execute("COMMIT")
            except BaseException:
                if outer:
                    self._db.execute("ROLLBACK")
                raise
            finally:
                self._depth -= 1

    # ------------------------------------------------------------ helpers

    def _all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        with self._lock:
            row: sqlite3.Row | None = self._db.execute(sql, params).fetchone()
            return row

    def _rows(self, cls: type[_Row], sql: str, params: Any = ()) -> list[_Row]:
        return [cls(**dict(row)) for row in self._all(sql, params)]

    def _row(self, cls: type[_Row], sql: str, params: Any = ()) -> _Row | None:
        row = self._one(sql, params)
        return None if row is None else cls(**dict(row))

    @staticmethod
    def _with_extra(cls: type[_Row], row: sqlite3.Row, extra: str) -> tuple[_Row, Any]:
        """A row whose query added one computed column ``extra``: the record and that value."""
        values = dict(row)
        value = values.pop(extra)
        return cls(**values), value

    @staticmethod
    def _with_extras(
        cls: type[_Row], row: sqlite3.Row, *extras: str
    ) -> tuple[_Row, dict[str, Any]]:
        """A row whose query added computed columns: the record and those values by name."""
        values = dict(row)
        added = {name: values.pop(name) for name in extras}
        return cls(**values), added

    def _write(self, sql: str, params: Any = ()) -> int:
        with self.transaction():
            return self._db.execute(sql, params).rowcount

    def _insert(self, table: str, record: Any) -> None:
        values = dataclasses.asdict(record)
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        self._write(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)

    # ------------------------------------------------------------ settings

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return default if row is None else json.loads(row["value"])

    def set_setting(self, key: str, value: Any) -> None:
        self._write(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    # ------------------------------------------------------------ contributors and tokens

    def put_contributor(self, row: ContributorRow) -> None:
        self._write(
            "INSERT INTO contributors VALUES (?, ?, ?, ?) ON CONFLICT(contributor_id) DO UPDATE "
            "SET display_name = excluded.display_name, salt = excluded.salt, "
            "password_hash = excluded.password_hash",
            (row.contributor_id, row.display_name, row.salt, row.password_hash),
        )

    def contributor(self, contributor_id: str) -> ContributorRow | None:
        sql = "SELECT * FROM contributors WHERE contributor_id = ?"
        return self._row(ContributorRow, sql, (contributor_id,))

    def add_token(self, row: TokenRow) -> None:
        self._insert("tokens", row)

    def token(self, token_hash: str) -> TokenRow | None:
        return self._row(TokenRow, "SELECT * FROM tokens WHERE token_hash = ?", (token_hash,))

    def delete_token(self, token_hash: str) -> None:
        self._write("DELETE FROM tokens WHERE token_hash = ?", (token_hash,))

    def expire_tokens(self, contributor_id: str) -> int:
        sql = "UPDATE tokens SET expired = 1 WHERE contributor_id = ? AND expired = 0"
        return self._write(sql, (contributor_id,))

    # ------------------------------------------------------------ bundles and tasks

    def add_bundle(self, bundle: BundleRow, tasks: Sequence[TaskRow]) -> None:
        with self.transaction():
            self._insert("bundles", bundle)
            for task in tasks:
                self._insert("tasks", task)

    def bundle(self, bundle_id: str) -> BundleRow | None:
        return self._row(BundleRow, "SELECT * FROM bundles WHERE bundle_id = ?", (bundle_id,))

    def offered_bundles(self, now: float) -> list[tuple[BundleRow, int]]:
        """Bundles in the catalogue with their count of tasks still on offer, oldest first.

        Offered: a work bundle (not a qualification test), not withdrawn, before its
        deadline, no active lease, no accepted result yet, and at least one task not
        withdrawn.
        """
        rows = self._all(
            "SELECT b.*, (SELECT COUNT(*) FROM tasks t WHERE t.bundle_id = b.bundle_id "
            "  AND t.withdrawn = 0) AS open_tasks FROM bundles b "
            "WHERE b.withdrawn = 0 AND b.deadline > :now AND b.purpose = 'work' "
            "AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.bundle_id = b.bundle_id "
            f"  AND {_ACTIVE}) "
            "AND NOT EXISTS (SELECT 1 FROM results r WHERE r.bundle_id = b.bundle_id "
            "  AND r.status = 'accepted') "
            "ORDER BY b.published_at, b.bundle_id",
            {"now": now},
        )
        offered = [self._with_extra(BundleRow, row, "open_tasks") for row in rows]
        return [(bundle, count) for bundle, count in offered if count]

    def task(self, bundle_id: str, task_id: str) -> TaskRow | None:
        sql = "SELECT * FROM tasks WHERE bundle_id = ? AND task_id = ?"
        return self._row(TaskRow, sql, (bundle_id, task_id))

    def tasks_of(self, bundle_id: str) -> list[TaskRow]:
        sql = "SELECT * FROM tasks WHERE bundle_id = ? ORDER BY position"
        return self._rows(TaskRow, sql, (bundle_id,))

    def withdraw_tasks(self, bundle_id: str, task_ids: Iterable[str] | None) -> list[str]:
        """Mark tasks withdrawn (every task if ``task_ids`` is None); returns the ids changed."""
        with self.transaction():
            wanted = None if task_ids is None else set(task_ids)
            changed = [
                task.task_id
                for task in self.tasks_of(bundle_id)
                if not task.withdrawn and (wanted is None or task.task_id in wanted)
            ]
            for task_id in changed:
                self._write(
                    "UPDATE tasks SET withdrawn = 1 WHERE bundle_id = ? AND task_id = ?",
                    (bundle_id, task_id),
                )
            if task_ids is None:
                self._write("UPDATE bundles SET withdrawn = 1 WHERE bundle_id = ?", (bundle_id,))
            return changed

    # ------------------------------------------------------------ leases

    def add_lease(self, lease: LeaseRow, task_ids: Iterable[str]) -> None:
        with self.transaction():
            self._insert("leases", lease)
            for task_id in task_ids:
                self._write(
                    "INSERT INTO lease_tasks VALUES (?, ?, NULL)", (lease.lease_id, task_id)
                )

    def active_lease(self, bundle_id: str, now: float) -> LeaseRow | None:
        sql = f"SELECT l.* FROM leases l WHERE l.bundle_id = :bundle AND {_ACTIVE}"
        return self._row(LeaseRow, sql, {"bundle": bundle_id, "now": now})

    def active_leases(self, contributor_id: str, now: float) -> list[LeaseRow]:
        sql = f"SELECT l.* FROM leases l WHERE l.contributor_id = :who AND {_ACTIVE} ORDER BY rowid"
        return self._rows(LeaseRow, sql, {"who": contributor_id, "now": now})

    def lease_task_ids(self, lease_id: str) -> list[str]:
        """The tasks a lease still covers: neither released nor withdrawn, in bundle order."""
        rows = self._all(
            "SELECT lt.task_id FROM lease_tasks lt JOIN leases l ON l.lease_id = lt.lease_id "
            "JOIN tasks t ON t.bundle_id = l.bundle_id AND t.task_id = lt.task_id "
            "WHERE lt.lease_id = ? AND lt.released_at IS NULL AND t.withdrawn = 0 "
            "ORDER BY t.position",
            (lease_id,),
        )
        return [row["task_id"] for row in rows]

    def recent_claim_kinds(self, contributor_id: str, count: int, since: float = 0.0) -> list[str]:
        """Kinds of the contributor's last ``count`` claims of work bundles after ``since``,
        newest first."""
        sql = (
            "SELECT l.kind FROM leases l JOIN bundles b ON b.bundle_id = l.bundle_id "
            "WHERE l.contributor_id = ? AND l.claimed_at > ? AND b.purpose = 'work' "
            "ORDER BY l.rowid DESC LIMIT ?"
        )
        return [row["kind"] for row in self._all(sql, (contributor_id, since, count))]

    def release_tasks(self, lease_id: str, task_ids: Iterable[str] | None, now: float) -> list[str]:
        """Release tasks of a lease (all if None), ending it when none is left; returns ids."""
        with self.transaction():
            held = self._all(
                "SELECT task_id FROM lease_tasks WHERE lease_id = ? AND released_at IS NULL",
                (lease_id,),
            )
            wanted = None if task_ids is None else set(task_ids)
            released = [r["task_id"] for r in held if wanted is None or r["task_id"] in wanted]
            for task_id in released:
                self._write(
                    "UPDATE lease_tasks SET released_at = ? WHERE lease_id = ? AND task_id = ?",
                    (now, lease_id, task_id),
                )
            if len(released) == len(held):
                self._write("UPDATE leases SET ended_at = ? WHERE lease_id = ?", (now, lease_id))
            return released

    def latest_lease_of_task(
        self, contributor_id: str, bundle_id: str, task_id: str
    ) -> tuple[LeaseRow, float | None] | None:
        """The contributor's latest lease that covered the task, with its release time."""
        row = self._one(
            "SELECT l.*, lt.released_at FROM leases l JOIN lease_tasks lt "
            "ON lt.lease_id = l.lease_id WHERE l.contributor_id = ? AND l.bundle_id = ? "
            "AND lt.task_id = ? ORDER BY l.rowid DESC LIMIT 1",
            (contributor_id, bundle_id, task_id),
        )
        return None if row is None else self._with_extra(LeaseRow, row, "released_at")

    def outstanding_rewards(self, contributor_id: str, now: float) -> list[str]:
        """Rewards of tasks the contributor holds now and has no accepted result for."""
        rows = self._all(
            "SELECT t.reward FROM leases l JOIN lease_tasks lt ON lt.lease_id = l.lease_id "
            "JOIN tasks t ON t.bundle_id = l.bundle_id AND t.task_id = lt.task_id "
            f"WHERE l.contributor_id = :who AND {_ACTIVE} AND lt.released_at IS NULL "
            "AND t.withdrawn = 0 AND NOT EXISTS (SELECT 1 FROM results r WHERE "
            "r.bundle_id = t.bundle_id AND r.task_id = t.task_id AND r.status = 'accepted')",
            {"who": contributor_id, "now": now},
        )
        return [row["reward"] for row in rows]

    # ------------------------------------------------------------ results

    def result(self, idempotency_key: str) -> ResultRow | None:
        sql = "SELECT * FROM results WHERE idempotency_key = ?"
        return self._row(ResultRow, sql, (idempotency_key,))

    def accepted_result_of_task(self, bundle_id: str, task_id: str) -> ResultRow | None:
        sql = (
            "SELECT * FROM results WHERE bundle_id = ? AND task_id = ? AND status = 'accepted' "
            "LIMIT 1"
        )
        return self._row(ResultRow, sql, (bundle_id, task_id))

    def add_result(self, row: ResultRow) -> None:
        self._insert("results", row)

    def results_with_review(
        self, contributor_id: str | None
    ) -> list[tuple[ResultRow, dict[str, Any]]]:
        """Stored results in arrival order, each with ``review`` (its ledger entry's status)
        and ``score`` and ``graded_as`` (its grade's), None where there is none."""
        rows = self._all(
            "SELECT r.*, (SELECT e.status FROM ledger e WHERE e.idempotency_key = "
            "r.idempotency_key) AS review, g.score AS score, g.purpose AS graded_as "
            "FROM results r LEFT JOIN grades g ON g.idempotency_key = r.idempotency_key "
            "WHERE :who IS NULL OR r.contributor_id = :who ORDER BY r.rowid",
            {"who": contributor_id},
        )
        return [self._with_extras(ResultRow, row, "review", "score", "graded_as") for row in rows]

    def result_times(self, contributor_id: str, kind: str, since: float) -> list[float]:
        """Arrival times of the contributor's accepted results of ``kind`` in work bundles
        after ``since``, oldest first."""
        rows = self._all(
            "SELECT r.received_at FROM results r JOIN bundles b ON b.bundle_id = r.bundle_id "
            "WHERE r.contributor_id = ? AND r.kind = ? AND r.status = 'accepted' "
            "AND r.received_at > ? AND b.purpose = 'work' ORDER BY r.received_at",
            (contributor_id, kind, since),
        )
        return [float(row["received_at"]) for row in rows]

    # ------------------------------------------------------------ ledger

    def add_ledger_entry(self, entry: LedgerRow) -> LedgerRow:
        """Store a new entry at the end of the change sequence; returns it with its seq."""
        with self.transaction():
            stored = dataclasses.replace(entry, seq=self.last_seq() + 1)
            self._insert("ledger", stored)
            return stored

    def set_entry_status(
        self, entry_id: str, status: str, reason: str | None, now: float
    ) -> LedgerRow | None:
        """Change an entry's status, moving it to the end of the change sequence."""
        with self.transaction():
            self._write(
                "UPDATE ledger SET status = ?, reason = ?, updated_at = ?, "
                "seq = ? WHERE entry_id = ?",
                (status, reason, now, self.last_seq() + 1, entry_id),
            )
            return self._row(LedgerRow, "SELECT * FROM ledger WHERE entry_id = ?", (entry_id,))

    def last_seq(self) -> int:
        row = self._one("SELECT COALESCE(MAX(seq), 0) AS seq FROM ledger")
        return int(row["seq"]) if row else 0

    def ledger_after(self, contributor_id: str, seq: int, limit: int) -> list[LedgerRow]:
        sql = "SELECT * FROM ledger WHERE contributor_id = ? AND seq > ? ORDER BY seq LIMIT ?"
        return self._rows(LedgerRow, sql, (contributor_id, seq, limit))

    def ledger_of(self, contributor_id: str | None) -> list[LedgerRow]:
        sql = "SELECT * FROM ledger WHERE :who IS NULL OR contributor_id = :who ORDER BY seq"
        return self._rows(LedgerRow, sql, {"who": contributor_id})

    def earned_amounts(self, contributor_id: str, start: float, end: float) -> list[str]:
        """Amounts of rewards and bonuses (not rejected) that occurred in [start, end)."""
        rows = self._all(
            "SELECT amount FROM ledger WHERE contributor_id = ? AND kind IN "
            "('task_reward', 'bonus') AND status != 'rejected' AND occurred_at >= ? "
            "AND occurred_at < ?",
            (contributor_id, start, end),
        )
        return [row["amount"] for row in rows]

    def reward_entries(
        self,
        keys: Sequence[str] = (),
        tasks: Sequence[tuple[str, str]] = (),
        pending_of: str | None = None,
    ) -> list[LedgerRow]:
        """Task-reward entries by idempotency key, by (bundle, task), or pending of someone."""
        found: dict[str, LedgerRow] = {}
        base = "SELECT * FROM ledger WHERE kind = 'task_reward' AND "
        for key in keys:
            for row in self._rows(LedgerRow, base + "idempotency_key = ?", (key,)):
                found[row.entry_id] = row
        for bundle_id, task_id in tasks:
            sql = base + "bundle_id = ? AND task_id = ?"
            for row in self._rows(LedgerRow, sql, (bundle_id, task_id)):
                found[row.entry_id] = row
        if pending_of is not None:
            sql = base + "contributor_id = ? AND status = 'pending'"
            for row in self._rows(LedgerRow, sql, (pending_of,)):
                found[row.entry_id] = row
        return sorted(found.values(), key=lambda row: row.seq)

    def approved_entries(self, contributor_id: str) -> list[LedgerRow]:
        sql = (
            "SELECT * FROM ledger WHERE contributor_id = ? AND status = 'approved' "
            "AND kind IN ('task_reward', 'bonus') ORDER BY seq"
        )
        return self._rows(LedgerRow, sql, (contributor_id,))

    # ------------------------------------------------------------ gold answers and grades

    def put_gold(self, bundle_id: str, task_id: str, answer: str) -> None:
        """Store (or replace) the gold answer (JSON) of a task."""
        self._write(
            "INSERT INTO golds VALUES (?, ?, ?) ON CONFLICT(bundle_id, task_id) "
            "DO UPDATE SET answer = excluded.answer",
            (bundle_id, task_id, answer),
        )

    def gold(self, bundle_id: str, task_id: str) -> str | None:
        row = self._one(
            "SELECT answer FROM golds WHERE bundle_id = ? AND task_id = ?", (bundle_id, task_id)
        )
        return None if row is None else str(row["answer"])

    def gold_task_ids(self, bundle_id: str) -> list[str]:
        sql = "SELECT task_id FROM golds WHERE bundle_id = ? ORDER BY task_id"
        return [row["task_id"] for row in self._all(sql, (bundle_id,))]

    def add_grade(self, grade: GradeRow) -> None:
        self._insert("grades", grade)

    def gold_scores(self, contributor_id: str, kind: str, since: float) -> list[float]:
        """Scores of the contributor's gold questions of ``kind`` graded after ``since``,
        oldest first."""
        rows = self._all(
            "SELECT score FROM grades WHERE contributor_id = ? AND kind = ? AND purpose = 'gold' "
            "AND graded_at > ? ORDER BY graded_at, rowid",
            (contributor_id, kind, since),
        )
        return [float(row["score"]) for row in rows]

    def bundle_scores(self, bundle_id: str) -> dict[str, float]:
        """The grades of a bundle's tasks, by task id."""
        sql = "SELECT task_id, score FROM grades WHERE bundle_id = ?"
        return {row["task_id"]: float(row["score"]) for row in self._all(sql, (bundle_id,))}

    # ------------------------------------------------------------ qualifications

    def add_attempt(self, attempt: AttemptRow) -> None:
        self._insert("qualification_attempts", attempt)

    def attempt(self, bundle_id: str) -> AttemptRow | None:
        sql = "SELECT * FROM qualification_attempts WHERE bundle_id = ?"
        return self._row(AttemptRow, sql, (bundle_id,))

    def attempts_of(self, contributor_id: str, qualification_id: str) -> list[AttemptRow]:
        """The attempts an admin has not cleared, oldest first."""
        sql = (
            "SELECT * FROM qualification_attempts WHERE contributor_id = ? "
            "AND qualification_id = ? AND cleared = 0 ORDER BY attempt"
        )
        return self._rows(AttemptRow, sql, (contributor_id, qualification_id))

    def last_attempt_number(self, contributor_id: str, qualification_id: str) -> int:
        """The highest attempt number ever used, cleared ones included (0 if none)."""
        row = self._one(
            "SELECT COALESCE(MAX(attempt), 0) AS n FROM qualification_attempts "
            "WHERE contributor_id = ? AND qualification_id = ?",
            (contributor_id, qualification_id),
        )
        return int(row["n"]) if row else 0

    def finish_attempt(self, bundle_id: str, graded_at: float, score: float, passed: bool) -> None:
        self._write(
            "UPDATE qualification_attempts SET graded_at = ?, score = ?, passed = ? "
            "WHERE bundle_id = ?",
            (graded_at, score, int(passed), bundle_id),
        )

    def clear_attempts(self, contributor_id: str, qualification_id: str | None) -> list[str]:
        """Clear the attempts (of one qualification or all); returns the qualification ids."""
        with self.transaction():
            rows = self._all(
                "SELECT DISTINCT qualification_id FROM qualification_attempts "
                "WHERE contributor_id = :who AND cleared = 0 "
                "AND (:qid IS NULL OR qualification_id = :qid)",
                {"who": contributor_id, "qid": qualification_id},
            )
            self._write(
                "UPDATE qualification_attempts SET cleared = 1 WHERE contributor_id = :who "
                "AND (:qid IS NULL OR qualification_id = :qid)",
                {"who": contributor_id, "qid": qualification_id},
            )
            return sorted(row["qualification_id"] for row in rows)

    def put_certificate(self, certificate: CertificateRow) -> None:
        """Store a certificate, replacing an earlier one of the same qualification."""
        with self.transaction():
            self._write(
                "DELETE FROM certificates WHERE contributor_id = ? AND qualification_id = ?",
                (certificate.contributor_id, certificate.qualification_id),
            )
            self._insert("certificates", certificate)

    def certificate(self, contributor_id: str, qualification_id: str) -> CertificateRow | None:
        sql = "SELECT * FROM certificates WHERE contributor_id = ? AND qualification_id = ?"
        return self._row(CertificateRow, sql, (contributor_id, qualification_id))

    def delete_certificates(self, contributor_id: str, qualification_id: str | None) -> list[str]:
        """Delete certificates (of one qualification or all); returns their ids."""
        with self.transaction():
            params = {"who": contributor_id, "qid": qualification_id}
            where = "contributor_id = :who AND (:qid IS NULL OR qualification_id = :qid)"
            rows = self._all(f"SELECT qualification_id FROM certificates WHERE {where}", params)
            self._write(f"DELETE FROM certificates WHERE {where}", params)
            return sorted(row["qualification_id"] for row in rows)

    # ------------------------------------------------------------ withholding

    def add_withholding(self, row: WithholdingRow) -> None:
        self._insert("withholdings", row)

    def withholdings_of(self, contributor_id: str, kind: str) -> list[WithholdingRow]:
        """The contributor's withholdings of ``kind``, oldest first."""
        sql = (
            "SELECT * FROM withholdings WHERE contributor_id = ? AND kind = ? "
            "ORDER BY started_at, rowid"
        )
        return self._rows(WithholdingRow, sql, (contributor_id, kind))

    def end_withholdings(self, contributor_id: str, kind: str | None, now: float) -> None:
        """End at ``now`` the withholdings still running (of one kind or all)."""
        self._write(
            "UPDATE withholdings SET until = :now WHERE contributor_id = :who "
            "AND (:kind IS NULL OR kind = :kind) AND until > :now",
            {"who": contributor_id, "kind": kind, "now": now},
        )

    def add_fresh_start(self, contributor_id: str, kind: str | None, at: float) -> None:
        """From ``at`` on, rotation, fatigue and accuracy forget what came before."""
        self._write("INSERT INTO fresh_starts VALUES (?, ?, ?)", (contributor_id, kind, at))

    def fresh_start(self, contributor_id: str, kind: str) -> float:
        """The latest fresh start that covers ``kind`` (0 if none)."""
        row = self._one(
            "SELECT COALESCE(MAX(at), 0) AS at FROM fresh_starts WHERE contributor_id = ? "
            "AND (kind IS NULL OR kind = ?)",
            (contributor_id, kind),
        )
        return float(row["at"]) if row else 0.0
