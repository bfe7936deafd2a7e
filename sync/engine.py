"""One sync pass: send the outbox, refresh the catalogue, pull earnings, then the
contributor's qualifications and accuracy.

Qt-free, no SQL. ``sync_once`` talks to the server through a ``ServerClient``
(or anything shaped like one, see ``SyncServer``) and to local storage through
a ``SyncStore`` that the application implements over its database. Results go
up in batches whose acknowledgements are stored after each batch, so a pass
cut anywhere loses nothing: what was not acknowledged stays queued and goes
again with the same idempotency keys, which the server answers ``duplicate``.

A store may implement more: ``ClockStore`` (keep the server clock offset),
``QualificationStore`` and ``AccuracyStore``. The pass checks for each and
only fetches what the store can keep, so older stores work unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from sync.bundle_errors import shown, size_text, summarize
from sync.errors import Cancelled, MalformedAnswer, Refused, ServerError, SignInRequired
from sync.protocol import (
    AccuracyReport,
    BatchResponse,
    Catalogue,
    EarningsPage,
    QualificationList,
    ResultAck,
    ResultBatch,
    ResultItem,
    ResultStatus,
    ServerConfig,
)
from sync.retry import CancelToken, is_transient
from sync.server_clock import ClockOffset

__all__ = [
    "EARNINGS_PAGES_PER_PASS",
    "EARNINGS_PAGE_SIZE",
    "AccuracyStore",
    "ClockStore",
    "OutboxItem",
    "ProfileServer",
    "QualificationStore",
    "SyncProgress",
    "SyncReport",
    "SyncServer",
    "SyncStore",
    "sync_once",
]

EARNINGS_PAGE_SIZE = 500
# Pages fetched in one pass at most; the cursor is kept, so the next pass goes on from there.
EARNINGS_PAGES_PER_PASS = 200
T = TypeVar("T")
_BATCH_ENVELOPE = len(b'{"results":[]}')


@dataclass(frozen=True)
class OutboxItem:
    """A submitted result waiting to be sent; ``idempotency_key`` is a UUID string.

    ``active_seconds``: time the editor had focus while the contributor was
    active; ``started_at`` (timezone-aware) when the task was first opened and
    ``elapsed_seconds`` the time from then to submitting. All optional.
    """

    idempotency_key: str
    bundle_id: str
    task_id: str
    kind: str
    result: dict[str, Any]
    submitted_at: datetime  # timezone-aware
    active_seconds: float | None = None
    started_at: datetime | None = None
    elapsed_seconds: float | None = None


class SyncStore(Protocol):
    """The local side of a sync pass; the application implements it over its store."""

    def pending_count(self) -> int:
        """How many results are queued (for "sending n of m")."""
        ...

    def pending_results(self, limit: int) -> list[OutboxItem]:
        """Up to ``limit`` queued results, oldest first."""
        ...

    def record_acks(self, acks: Sequence[ResultAck]) -> None:
        """Store the server's answers for sent results, in one transaction."""
        ...

    def record_send_failure(self, keys: Sequence[str], error: str) -> None:
        """Note that these results could not be sent (they stay queued)."""
        ...

    def earnings_cursor(self) -> str | None: ...

    def apply_earnings(self, page: EarningsPage) -> None:
        """On ``reset`` clear the copy; upsert the entries; keep the cursor. One transaction."""
        ...

    def save_config(self, config: ServerConfig) -> None: ...

    def save_catalogue(self, catalogue: Catalogue) -> None: ...


@runtime_checkable
class ClockStore(Protocol):
    """Optional: a store that keeps the server clock offset (lease warnings offline)."""

    def save_clock_offset(self, offset: ClockOffset) -> None:
        """Keep the latest offset, measured around GET /config in every pass; replace the
        previous one. Give it to ``sync.server_clock.time_left``/``lease_urgency``."""
        ...


@runtime_checkable
class QualificationStore(Protocol):
    """Optional: a store that keeps the contributor's qualifications for offline viewing."""

    def save_qualifications(self, qualifications: QualificationList) -> None:
        """Replace the stored list with this one (certificates, statuses, retry times and
        the test bundle id of each qualification), in one transaction."""
        ...


@runtime_checkable
class AccuracyStore(Protocol):
    """Optional: a store that keeps the contributor's accuracy on test questions."""

    def save_accuracy(self, accuracy: AccuracyReport) -> None:
        """Replace the stored report with this one (one ``KindAccuracy`` per kind)."""
        ...


@runtime_checkable
class ProfileServer(Protocol):
    """What the profile phase needs of a ``ServerClient``; fakes without it skip the phase."""

    def qualifications(self, *, cancel: CancelToken | None = None) -> QualificationList: ...

    def accuracy(self, *, cancel: CancelToken | None = None) -> AccuracyReport: ...


class SyncServer(Protocol):
    """What ``sync_once`` needs of a ``ServerClient`` (tests pass a fake)."""

    @property
    def requests_sent(self) -> int: ...

    def config(self, *, cancel: CancelToken | None = None) -> ServerConfig: ...

    def catalogue(self, *, cancel: CancelToken | None = None) -> Catalogue: ...

    def submit(self, batch: ResultBatch, *, cancel: CancelToken | None = None) -> BatchResponse: ...

    def earnings(
        self, cursor: str | None, limit: int = 500, *, cancel: CancelToken | None = None
    ) -> EarningsPage: ...


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "config", "upload", "catalogue", "earnings", "profile"
    done: int
    total: int  # 0 when not known in advance (earnings)
    message: str


@dataclass
class SyncReport:
    """What one pass did. ``sent`` counts results put in batches the server answered."""

    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    earnings_entries: int = 0
    catalogue_size: int | None = None
    errors: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests, retries included
    cancelled: bool = False
    unsent: int = 0  # results still queued when the pass ended
    clock_offset: ClockOffset | None = None  # server time minus local time, this pass
    qualifications: int | None = None  # how many were fetched (None: not fetched)
    accuracy_kinds: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled


class _StopPass(Exception):
    """The network is gone or the pass was cancelled: skip the remaining phases."""


def sync_once(
    client: SyncServer,
    store: SyncStore,
    *,
    progress: Callable[[SyncProgress], None] | None = None,
    cancel: CancelToken | None = None,
    batch_size: int | None = None,
) -> SyncReport:
    """One pass: config, then the outbox in batches, the catalogue, earnings, and last
    the qualifications and accuracy if the store keeps them (``QualificationStore``,
    ``AccuracyStore``) and the client can fetch them (``ProfileServer``).

    Batches hold ``min(batch_size or largest_batch, largest_batch)`` results and
    stay under the server's ``largest_upload_bytes``. A batch that still fails
    after the client's retries is recorded with ``record_send_failure`` and ends
    the upload; the later phases still run unless the network is down.
    ``progress`` is called on this thread; ``cancel`` is honoured between
    requests and during retry waits (the report then says ``cancelled``).
    Returns the ``SyncReport``; errors are in ``report.errors``, except
    ``SignInRequired``, which propagates (nothing queued is lost) so the
    application can send the contributor to sign in.
    """
    report = SyncReport()
    start = client.requests_sent
    tell = progress or (lambda _: None)
    try:
        config = _config_phase(client, store, report, tell, cancel)
        _upload_phase(client, store, config, report, tell, cancel, batch_size)
        _catalogue_phase(client, store, report, tell, cancel)
        _earnings_phase(client, store, report, tell, cancel)
        _profile_phase(client, store, report, tell, cancel)
    except Cancelled:
        report.cancelled = True
    except _StopPass:
        pass
    finally:
        report.requests = client.requests_sent - start
    report.unsent = store.pending_count()
    return report


# --- phases ---------------------------------------------------------------------------


def _config_phase(
    client: SyncServer,
    store: SyncStore,
    report: SyncReport,
    tell: Callable[[SyncProgress], None],
    cancel: CancelToken | None,
) -> ServerConfig:
    tell(SyncProgress("config", 0, 1, "Contacting the server…"))
    _check(cancel)
    sent_at = datetime.now(UTC)
    try:
        config = client.config(cancel=cancel)
    except SignInRequired:
        raise
    except ServerError as error:
        # Without the server's limits nothing else can be done safely.
        report.errors.append(str(error))
        raise _StopPass from error
    report.clock_offset = ClockOffset.measure(config.server_time, sent_at, datetime.now(UTC))
    store.save_config(config)
    if isinstance(store, ClockStore):
        store.save_clock_offset(report.clock_offset)
    tell(SyncProgress("config", 1, 1, f"Connected to {config.server_name}"))
    return config


def _upload_phase(
    client: SyncServer,
    store: SyncStore,
    config: ServerConfig,
    report: SyncReport,
    tell: Callable[[SyncProgress], None],
    cancel: CancelToken | None,
    batch_size: int | None,
) -> None:
    largest = config.largest_batch
    per_batch = max(1, min(batch_size or largest, largest))
    total = store.pending_count()
    done = 0
    # Keys this pass could not get acknowledged; they stay queued for the next pass.
    left_behind: set[str] = set()
    tell(SyncProgress("upload", 0, total, _sending(0, total)))
    while True:
        _check(cancel)
        candidates = [
            item
            for item in store.pending_results(per_batch + len(left_behind))
            if item.idempotency_key not in left_behind
        ]
        if not candidates:
            break
        items, batch, refused = _next_batch(candidates[:per_batch], config.largest_upload_bytes)
        for item, why in refused:
            store.record_send_failure([item.idempotency_key], why)
            report.errors.append(why)
            left_behind.add(item.idempotency_key)
        if batch is None:
            continue
        keys = [item.idempotency_key for item in items]
        # The server speaks canonical UUIDs; the store may have written them otherwise.
        store_key = {
            str(w.idempotency_key): i.idempotency_key
            for i, w in zip(items, batch.results, strict=True)
        }
        try:
            answer = client.submit(batch, cancel=cancel)
        except (SignInRequired, Cancelled):
            raise
        except ServerError as error:
            store.record_send_failure(keys, str(error))
            report.errors.append(str(error))
            if is_transient(error):
                raise _StopPass from error  # the network is down: nothing else will work
            return  # the server is up but refuses: still refresh the catalogue and earnings
        acks = _acks_for(answer, store_key)
        store.record_acks(acks)
        report.sent += len(items)
        for ack in acks:
            if ack.status is ResultStatus.ACCEPTED:
                report.accepted += 1
            elif ack.status is ResultStatus.DUPLICATE:
                report.duplicates += 1
            else:
                report.rejected += 1
        answered = {str(ack.idempotency_key) for ack in acks}
        unanswered = [key for canonical, key in store_key.items() if canonical not in answered]
        if unanswered:
            message = (
                f"The server did not answer for {len(unanswered)} of the results sent; "
                "they stay in the outbox and go again next time."
            )
            store.record_send_failure(unanswered, message)
            report.errors.append(message)
            left_behind.update(unanswered)
        done += len(acks)
        total = max(total, done)
        tell(SyncProgress("upload", done, total, _sending(done, total)))


def _catalogue_phase(
    client: SyncServer,
    store: SyncStore,
    report: SyncReport,
    tell: Callable[[SyncProgress], None],
    cancel: CancelToken | None,
) -> None:
    _check(cancel)
    tell(SyncProgress("catalogue", 0, 1, "Refreshing the catalogue…"))
    try:
        catalogue = client.catalogue(cancel=cancel)
    except (SignInRequired, Cancelled):
        raise
    except ServerError as error:
        report.errors.append(str(error))
        if is_transient(error):
            raise _StopPass from error
        return
    store.save_catalogue(catalogue)
    report.catalogue_size = len(catalogue.bundles)
    count = len(catalogue.bundles)
    tell(SyncProgress("catalogue", 1, 1, f"{count} bundle{'s' if count != 1 else ''} offered"))


def _earnings_phase(
    client: SyncServer,
    store: SyncStore,
    report: SyncReport,
    tell: Callable[[SyncProgress], None],
    cancel: CancelToken | None,
) -> None:
    cursor = store.earnings_cursor()
    tell(SyncProgress("earnings", 0, 0, "Fetching earnings…"))
    for _ in range(EARNINGS_PAGES_PER_PASS):  # a server saying "more" forever is not obeyed
        _check(cancel)
        try:
            page = client.earnings(cursor, EARNINGS_PAGE_SIZE, cancel=cancel)
        except (SignInRequired, Cancelled):
            raise
        except ServerError as error:
            report.errors.append(str(error))
            return
        store.apply_earnings(page)
        report.earnings_entries += len(page.entries)
        tell(
            SyncProgress(
                "earnings",
                report.earnings_entries,
                0,
                f"Fetched {report.earnings_entries:,} earnings entries",
            )
        )
        if not page.more:
            return
        if not page.entries:
            # "More" with nothing in it may never end (the cursor may move or not); the next
            # pass asks again.
            report.errors.append(
                str(MalformedAnswer("the server", "more earnings that never arrive"))
            )
            return
        cursor = page.cursor


def _profile_phase(
    client: SyncServer,
    store: SyncStore,
    report: SyncReport,
    tell: Callable[[SyncProgress], None],
    cancel: CancelToken | None,
) -> None:
    """Qualifications and accuracy, for the stores that keep them; a server without
    these endpoints (404) is left alone, other failures are reported (and a network
    failure ends the pass)."""
    if not isinstance(client, ProfileServer):
        return
    wants_qualifications = isinstance(store, QualificationStore)
    wants_accuracy = isinstance(store, AccuracyStore)
    if not (wants_qualifications or wants_accuracy):
        return
    tell(SyncProgress("profile", 0, 1, "Fetching qualifications and accuracy…"))
    if isinstance(store, QualificationStore):
        _check(cancel)
        qualifications = _fetch_optional(lambda: client.qualifications(cancel=cancel), report)
        if qualifications is not None:
            store.save_qualifications(qualifications)
            report.qualifications = len(qualifications.qualifications)
    if isinstance(store, AccuracyStore):
        _check(cancel)
        accuracy = _fetch_optional(lambda: client.accuracy(cancel=cancel), report)
        if accuracy is not None:
            store.save_accuracy(accuracy)
            report.accuracy_kinds = len(accuracy.kinds)
    tell(SyncProgress("profile", 1, 1, "Qualifications and accuracy up to date"))


def _fetch_optional(fetch: Callable[[], T], report: SyncReport) -> T | None:
    try:
        return fetch()
    except (SignInRequired, Cancelled):
        raise
    except Refused as error:
        if error.status == 404:
            return None  # an older server: nothing to keep, nothing wrong
        report.errors.append(str(error))
    except ServerError as error:
        report.errors.append(str(error))
        if is_transient(error):
            raise _StopPass from error  # the network is down: the next request would wait too
    return None


# --- helpers ----------------------------------------------------------------------------


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()


def _sending(done: int, total: int) -> str:
    return f"Sending results: {done:,} of {total:,}"


def _wire_item(item: OutboxItem) -> ResultItem:
    fields = {
        "idempotency_key": item.idempotency_key,
        "bundle_id": item.bundle_id,
        "task_id": item.task_id,
        "kind": item.kind,
        "result": item.result,
        "submitted_at": item.submitted_at,
        "active_seconds": item.active_seconds,
        "started_at": item.started_at,
        "elapsed_seconds": item.elapsed_seconds,
    }
    wire = ResultItem.model_validate(fields)
    try:
        wire.model_dump_json()
    except PydanticSerializationError:
        # Half of a UTF-16 pair cannot travel as UTF-8: it goes as U+FFFD, as any
        # encoder would write it, rather than holding up the outbox forever.
        wire = ResultItem.model_validate({**fields, "result": _valid_unicode(item.result)})
    return wire


def _valid_unicode(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings (and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_valid_unicode(k): _valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_valid_unicode(v) for v in value]
    return value


def _next_batch(
    items: list[OutboxItem], largest_bytes: int
) -> tuple[list[OutboxItem], ResultBatch | None, list[tuple[OutboxItem, str]]]:
    """The leading items that fit in one request body, their batch, and items refused.

    An item is refused when it cannot be put on the wire at all (it breaks the
    protocol's rules, or alone it is larger than the server accepts).
    """
    room = largest_bytes - _BATCH_ENVELOPE
    fitted: list[OutboxItem] = []
    wire: list[ResultItem] = []
    refused: list[tuple[OutboxItem, str]] = []
    for item in items:
        try:
            encoded = _wire_item(item)
            size = len(encoded.model_dump_json().encode()) + 1  # the comma between items
        except (ValidationError, PydanticSerializationError) as exc:
            refused.append(
                (
                    item,
                    f"The result of task '{shown(item.task_id)}' cannot be sent as it is: "
                    f"{_why(exc)}. It stays in the outbox.",
                )
            )
            continue
        if size > largest_bytes - _BATCH_ENVELOPE:
            refused.append(
                (
                    item,
                    f"The result of task '{shown(item.task_id)}' is larger than the "
                    f"{size_text(largest_bytes)} the server accepts in one request. "
                    "It stays in the outbox.",
                )
            )
            continue
        if size > room:
            break
        fitted.append(item)
        wire.append(encoded)
        room -= size
    return fitted, (ResultBatch(results=wire) if wire else None), refused


def _why(exc: ValidationError | PydanticSerializationError) -> str:
    if isinstance(exc, ValidationError):
        return summarize(exc)
    return "it holds a value that cannot be written as JSON"


def _acks_for(answer: BatchResponse, sent: Mapping[str, str]) -> list[ResultAck]:
    """The first ack for each canonical key in ``sent``; acks for other keys are ignored."""
    acks: dict[str, ResultAck] = {}
    for ack in answer.acks:
        key = str(ack.idempotency_key)
        if key in sent and key not in acks:
            acks[key] = ack
    return list(acks.values())
