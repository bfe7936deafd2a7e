"""The sync engine's view of the local store (``sync.engine.SyncStore``). Qt-free.

The engine runs on a network thread; every store call is handed to ``run``,
which in the window is the database worker's blocking ``call`` so the worker
stays the only thread that touches the connection. The command line runs them
directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from app.changes import Change
from app.store import Store
from sync.engine import OutboxItem
from sync.protocol import (
    AccuracyReport,
    Catalogue,
    EarningsPage,
    QualificationList,
    ResultAck,
    ServerConfig,
)
from sync.server_clock import ClockOffset

T = TypeVar("T")


def _direct(fn: Callable[[], T]) -> T:
    return fn()


class StoreSync:
    """Implements ``sync.engine.SyncStore`` over ``app.store.Store``."""

    def __init__(
        self,
        store: Store,
        run: Callable[[Callable[[], Any]], Any] = _direct,
        on_change: Callable[[Change], None] | None = None,
    ) -> None:
        self.store = store
        self._run = run
        self._on_change = on_change or (lambda change: None)

    def _changed(self, change: Change) -> None:
        if change != Change():
            self._on_change(change)

    def pending_results(self, limit: int) -> list[OutboxItem]:
        rows = self._run(lambda: self.store.pending_results(limit))
        return [
            OutboxItem(
                idempotency_key=row["uuid"],
                bundle_id=row["bundle_id"],
                task_id=row["task_id"],
                kind=row["kind"],
                result=row["result"],
                submitted_at=datetime.fromisoformat(row["created_at"]),
                active_seconds=None if row["active_s"] is None else round(row["active_s"], 1),
                elapsed_seconds=None if row["spent_s"] is None else round(row["spent_s"], 1),
            )
            for row in rows
        ]

    def pending_count(self) -> int:
        return int(self._run(self.store.pending_count))

    def record_acks(self, acks: Sequence[ResultAck]) -> None:
        answers = [
            (str(ack.idempotency_key), ack.status.value, ack.reason, ack.message) for ack in acks
        ]
        self._changed(self._run(lambda: self.store.record_acks(answers)))

    def record_send_failure(self, keys: Sequence[str], error: str) -> None:
        self._changed(self._run(lambda: self.store.record_send_failure(list(keys), error)))

    def earnings_cursor(self) -> str | None:
        return self._run(self.store.earnings_cursor)

    def apply_earnings(self, page: EarningsPage) -> None:
        entries = [entry.model_dump(mode="python") for entry in page.entries]
        for entry in entries:
            entry["kind"] = str(entry["kind"])
            entry["status"] = str(entry["status"])
        self._changed(
            self._run(lambda: self.store.apply_earnings(entries, page.cursor, reset=page.reset))
        )

    def save_config(self, config: ServerConfig) -> None:
        data = config.model_dump(mode="json")
        self._changed(self._run(lambda: self.store.set_setting("server.config", data)))

    def save_clock_offset(self, offset: ClockOffset) -> None:
        """Server time minus local time: lease warnings stay right offline."""
        seconds = round(offset.offset_seconds, 3)
        self._changed(self._run(lambda: self.store.set_setting("server_clock_offset_s", seconds)))

    def save_qualifications(self, qualifications: QualificationList) -> None:
        data = qualifications.model_dump(mode="json")
        self._changed(self._run(lambda: self.store.set_setting("server.qualifications", data)))

    def save_accuracy(self, accuracy: AccuracyReport) -> None:
        data = accuracy.model_dump(mode="json")
        self._changed(self._run(lambda: self.store.set_setting("server.accuracy", data)))

    def save_catalogue(self, catalogue: Catalogue) -> None:
        entries = [entry.model_dump(mode="json") for entry in catalogue.bundles]
        self._changed(self._run(lambda: self.store.save_catalogue(entries)))
