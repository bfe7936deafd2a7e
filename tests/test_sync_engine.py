"""sync_once: every result reaches the server exactly once, whatever happens to the answers."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sync.client import ServerClient
from sync.engine import OutboxItem, SyncProgress, SyncReport, sync_once
from sync.errors import NetworkUnavailable, Refused, ServerError, SignInRequired
from sync.protocol import (
    AccuracyReport,
    BatchResponse,
    Catalogue,
    EarningsPage,
    QualificationList,
    ResultAck,
    ResultBatch,
    ResultStatus,
    ServerConfig,
)
from sync.retry import CancelToken, RetryPolicy
from sync.server_clock import ClockOffset
from tests.http_double import (
    NOW,
    HttpDouble,
    Reply,
    Request,
    json_reply,
    sample_catalogue,
    sample_config,
    sample_entry,
)

# --- the fakes ------------------------------------------------------------------------


def outbox(count: int, *, size: int = 20) -> list[OutboxItem]:
    return [
        OutboxItem(
            idempotency_key=str(uuid.UUID(int=n + 1)),
            bundle_id="b-0",
            task_id=f"t-{n}",
            kind="translation",
            result={"text": "x" * size},
            submitted_at=NOW + timedelta(seconds=n),
            active_seconds=3.0,
        )
        for n in range(count)
    ]


class MemoryStore:
    """The SyncStore contract, in memory: what the application's SQLite store promises."""

    def __init__(self, items: Sequence[OutboxItem] = (), cursor: str | None = None) -> None:
        self.outbox = {item.idempotency_key: item for item in items}
        self.acks: dict[str, ResultAck] = {}
        self.failures: list[tuple[list[str], str]] = []
        self.cursor = cursor
        self.ledger: dict[str, Any] = {}
        self.pages: list[EarningsPage] = []
        self.config: ServerConfig | None = None
        self.catalogue: Catalogue | None = None

    def pending_count(self) -> int:
        return len(self.outbox)

    def pending_results(self, limit: int) -> list[OutboxItem]:
        return list(self.outbox.values())[:limit]

    def record_acks(self, acks: Sequence[ResultAck]) -> None:
        for ack in acks:
            key = str(ack.idempotency_key)
            self.acks[key] = ack
            del self.outbox[key]

    def record_send_failure(self, keys: Sequence[str], error: str) -> None:
        self.failures.append((list(keys), error))

    def earnings_cursor(self) -> str | None:
        return self.cursor

    def apply_earnings(self, page: EarningsPage) -> None:
        if page.reset:
            self.ledger.clear()
        for entry in page.entries:
            self.ledger[entry.entry_id] = entry
        self.cursor = page.cursor
        self.pages.append(page)

    def save_config(self, config: ServerConfig) -> None:
        self.config = config

    def save_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue


class FakeServer:
    """A ServerClient stand-in that keeps results by idempotency key, like the real server."""

    def __init__(self, config: ServerConfig | None = None) -> None:
        self._config = config or sample_config()
        self.requests_sent = 0
        self.results: dict[str, Any] = {}
        self.submits = 0
        self.batch_sizes: list[int] = []
        self.lose_answer_of: set[int] = set()  # submit numbers committed, then "cut"
        self.fail_before: dict[int, ServerError] = {}  # submit numbers refused outright
        self.pages: dict[str | None, EarningsPage] = {None: EarningsPage(entries=[], cursor="c0")}
        self.cursors_asked: list[str | None] = []
        self.calls: list[str] = []

    def config(self, *, cancel: CancelToken | None = None) -> ServerConfig:
        self.requests_sent += 1
        self.calls.append("config")
        return self._config

    def catalogue(self, *, cancel: CancelToken | None = None) -> Catalogue:
        self.requests_sent += 1
        self.calls.append("catalogue")
        return sample_catalogue(4)

    def submit(self, batch: ResultBatch, *, cancel: CancelToken | None = None) -> BatchResponse:
        self.requests_sent += 1
        self.calls.append("submit")
        number = self.submits
        self.submits += 1
        if number in self.fail_before:
            raise self.fail_before[number]
        self.batch_sizes.append(len(batch.results))
        acks = []
        for item in batch.results:
            key = str(item.idempotency_key)
            seen = key in self.results
            self.results.setdefault(key, item)
            status = ResultStatus.DUPLICATE if seen else ResultStatus.ACCEPTED
            acks.append(ResultAck(idempotency_key=item.idempotency_key, status=status))
        if number in self.lose_answer_of:
            raise NetworkUnavailable("tasks.example.org", "the connection was cut")
        return BatchResponse(acks=acks)

    def earnings(
        self, cursor: str | None, limit: int = 500, *, cancel: CancelToken | None = None
    ) -> EarningsPage:
        self.requests_sent += 1
        self.calls.append("earnings")
        self.cursors_asked.append(cursor)
        return self.pages[cursor]


# --- the outbox goes up once --------------------------------------------------------------


def test_a_thousand_results_go_out_once_each_in_batches() -> None:
    store, server = MemoryStore(outbox(1000)), FakeServer(sample_config(largest_batch=100))

    report = sync_once(server, store)

    assert len(server.results) == 1000 and server.batch_sizes == [100] * 10
    assert store.outbox == {} and len(store.acks) == 1000
    assert (report.sent, report.accepted, report.duplicates, report.rejected) == (1000, 1000, 0, 0)
    assert report.requests == 1 + 10 + 1 + 1 and report.errors == [] and report.ok
    assert report.catalogue_size == 4 and store.catalogue is not None
    assert store.config == server._config and report.unsent == 0


def test_a_batch_whose_answer_was_lost_is_resent_and_counted_once() -> None:
    items = outbox(1000)
    store, server = MemoryStore(items), FakeServer(sample_config(largest_batch=100))
    server.lose_answer_of = {3}  # the server keeps batch 4, the answer never arrives

    first = sync_once(server, store)

    assert len(first.errors) == 1 and "Cannot reach tasks.example.org" in first.errors[0]
    assert first.accepted == 300 and len(store.outbox) == 700
    ((failed_keys, why),) = store.failures
    assert failed_keys == [i.idempotency_key for i in items[300:400]] and "try again" in why
    assert "catalogue" not in server.calls  # the network is down: the pass stops there

    second = sync_once(server, store)

    assert second.duplicates == 100 and second.accepted == 600 and second.ok
    assert store.outbox == {} and len(server.results) == 1000
    assert all(
        store.acks[i.idempotency_key].status is ResultStatus.DUPLICATE for i in items[300:400]
    )
    # Every result is answered once locally and kept once by the server: nothing paid twice.
    assert first.accepted + second.accepted + second.duplicates == len(store.acks) == 1000


def test_commit_then_drop_over_real_http_is_retried_into_duplicates() -> None:
    store = MemoryStore(outbox(300))
    kept: set[str] = set()
    calls = [0]

    def results(request: Request) -> Reply:
        calls[0] += 1
        acks = []
        for item in request.json()["results"]:
            status = "duplicate" if item["idempotency_key"] in kept else "accepted"
            kept.add(item["idempotency_key"])
            acks.append({"idempotency_key": item["idempotency_key"], "status": status})
        reply = json_reply({"acks": acks})
        if calls[0] == 2:
            reply.cut_after = 40  # committed, but the answer is cut off
        return reply

    with HttpDouble() as server:
        server.route("GET", "/v1/config", json_reply(sample_config(largest_batch=100)))
        server.route("POST", "/v1/results", results)
        server.route("GET", "/v1/catalogue", json_reply(sample_catalogue()))
        server.route("GET", "/v1/earnings", json_reply(EarningsPage(entries=[], cursor="c1")))
        client = ServerClient(
            server.url,
            token="t" * 32,
            timeout=(2.0, 2.0),
            retry=RetryPolicy(attempts=4, rng=random.Random(0), sleep=lambda _: None),
        )
        report = sync_once(client, store)

    assert len(kept) == 300 and store.outbox == {}
    assert (report.accepted, report.duplicates) == (200, 100) and report.ok
    assert report.requests == 1 + 4 + 1 + 1


def test_the_batch_size_is_the_smaller_of_asked_and_allowed() -> None:
    server = FakeServer(sample_config(largest_batch=100))
    sync_once(server, MemoryStore(outbox(250)), batch_size=40)
    assert server.batch_sizes == [40] * 6 + [10]

    server = FakeServer(sample_config(largest_batch=100))
    sync_once(server, MemoryStore(outbox(250)), batch_size=1000)
    assert server.batch_sizes == [100, 100, 50]


def test_batches_stay_under_the_largest_upload() -> None:
    config = sample_config(largest_batch=1000, largest_upload_bytes=64 * 1024)
    server = FakeServer(config)
    store = MemoryStore(outbox(100, size=5000))
    report = sync_once(server, store)
    assert len(server.results) == 100 and report.ok
    assert max(server.batch_sizes) < 100 and len(server.batch_sizes) > 5


def test_a_result_too_large_alone_stays_queued_and_the_rest_go() -> None:
    config = sample_config(largest_upload_bytes=8 * 1024)
    items = outbox(5)
    items[2] = OutboxItem(**{**items[2].__dict__, "result": {"text": "y" * 20_000}})
    store, server = MemoryStore(items), FakeServer(config)

    report = sync_once(server, store)

    assert len(server.results) == 4
    assert list(store.outbox) == [items[2].idempotency_key]
    assert "t-2" in report.errors[0] and "larger than" in report.errors[0]
    assert report.catalogue_size == 4


def test_5000_results_take_at_most_one_request_per_100() -> None:
    server = FakeServer(sample_config(largest_batch=500))
    report = sync_once(server, MemoryStore(outbox(5000)))
    assert report.accepted == 5000
    assert report.requests <= 5000 / 100


def test_a_refused_batch_stops_the_upload_but_not_the_pass() -> None:
    store, server = MemoryStore(outbox(300)), FakeServer(sample_config(largest_batch=100))
    server.fail_before = {
        1: Refused("invalid_request", "bad result", host="tasks.example.org", status=400)
    }

    report = sync_once(server, store)

    assert report.accepted == 100 and len(store.outbox) == 200
    assert "bad result" in report.errors[0]
    assert len(store.failures) == 1 and len(store.failures[0][0]) == 100
    assert server.calls[-2:] == ["catalogue", "earnings"]


def test_results_the_server_forgets_to_answer_stay_queued_without_looping() -> None:
    class ForgetfulServer(FakeServer):
        def submit(self, batch: ResultBatch, *, cancel: CancelToken | None = None) -> BatchResponse:
            answer = super().submit(batch, cancel=cancel)
            return BatchResponse(acks=answer.acks[1:])  # never answers for the first result

    store, server = MemoryStore(outbox(30)), ForgetfulServer(sample_config(largest_batch=10))
    report = sync_once(server, store)

    assert server.submits == 3 and report.accepted == 27
    assert len(store.outbox) == 3 and report.unsent == 3
    assert len(store.failures) == 3 and not report.ok


def test_rejections_are_recorded_with_their_reason() -> None:
    class Strict(FakeServer):
        def submit(self, batch: ResultBatch, *, cancel: CancelToken | None = None) -> BatchResponse:
            self.requests_sent += 1
            return BatchResponse(
                acks=[
                    ResultAck(
                        idempotency_key=item.idempotency_key,
                        status=ResultStatus.REJECTED,
                        reason="lease_expired",
                        message="The lease on this bundle ended.",
                    )
                    for item in batch.results
                ]
            )

    store = MemoryStore(outbox(5))
    report = sync_once(Strict(), store)
    assert report.rejected == 5 and store.outbox == {}
    assert {a.reason for a in store.acks.values()} == {"lease_expired"}


# --- cancel, progress, sign-in ------------------------------------------------------------


def test_cancel_stops_between_batches() -> None:
    store, server = MemoryStore(outbox(1000)), FakeServer(sample_config(largest_batch=100))
    cancel = CancelToken()

    def stop_after_300(step: SyncProgress) -> None:
        if step.phase == "upload" and step.done >= 300:
            cancel.cancel()

    report = sync_once(server, store, progress=stop_after_300, cancel=cancel)

    assert report.cancelled and not report.ok
    assert report.accepted == 300 and len(store.outbox) == 700 and report.unsent == 700
    assert server.calls == ["config"] + ["submit"] * 3
    assert store.failures == []


def test_progress_walks_through_every_phase() -> None:
    steps: list[SyncProgress] = []
    sync_once(
        FakeServer(sample_config(largest_batch=100)),
        MemoryStore(outbox(250)),
        progress=steps.append,
    )

    phases = [s.phase for s in steps]
    assert phases == sorted(phases, key=["config", "upload", "catalogue", "earnings"].index)
    upload = [s for s in steps if s.phase == "upload"]
    assert [s.done for s in upload] == [0, 100, 200, 250]
    assert {s.total for s in upload} == {250}
    assert upload[-1].message == "Sending results: 250 of 250"


def test_sign_in_required_propagates_and_nothing_is_lost() -> None:
    store, server = MemoryStore(outbox(500)), FakeServer(sample_config(largest_batch=100))
    server.fail_before = {2: SignInRequired("tasks.example.org", "token_expired")}

    with pytest.raises(SignInRequired):
        sync_once(server, store)

    assert len(store.acks) == 200 and len(store.outbox) == 300
    assert store.failures == []

    server.fail_before = {}
    report = sync_once(server, store)
    assert report.accepted == 300 and len(server.results) == 500


def test_no_network_at_all_ends_the_pass_with_one_clear_error() -> None:
    class Offline(FakeServer):
        def config(self, *, cancel: CancelToken | None = None) -> ServerConfig:
            self.requests_sent += 1
            raise NetworkUnavailable("tasks.example.org", "the connection was refused")

    store = MemoryStore(outbox(10))
    report = sync_once(Offline(), store)
    assert report.errors == [
        "Cannot reach tasks.example.org: the connection was refused. "
        "Check your connection; Ouvrage will try again."
    ]
    assert len(store.outbox) == 10 and report.requests == 1 and report.unsent == 10


# --- earnings -----------------------------------------------------------------------------


def test_earnings_pages_are_applied_in_order_until_no_more() -> None:
    server = FakeServer()
    server.pages = {
        "c5": EarningsPage(entries=[sample_entry(1), sample_entry(2)], cursor="c6", more=True),
        "c6": EarningsPage(entries=[sample_entry(3)], cursor="c7", more=True),
        "c7": EarningsPage(entries=[sample_entry(1, status="approved")], cursor="c8"),
    }
    store = MemoryStore(cursor="c5")

    report = sync_once(server, store)

    assert server.cursors_asked == ["c5", "c6", "c7"]
    assert [p.cursor for p in store.pages] == ["c6", "c7", "c8"] and store.cursor == "c8"
    assert report.earnings_entries == 4
    assert store.ledger["e-1"].status.value == "approved"


def test_a_reset_page_is_passed_to_the_store() -> None:
    server = FakeServer()
    server.pages = {"stale": EarningsPage(entries=[sample_entry(9)], cursor="c1", reset=True)}
    store = MemoryStore(cursor="stale")
    store.ledger = {"old": object()}
    sync_once(server, store)
    assert list(store.ledger) == ["e-9"] and store.pages[0].reset


def test_more_earnings_that_never_move_do_not_loop_forever() -> None:
    server = FakeServer()
    server.pages = {"c1": EarningsPage(entries=[], cursor="c1", more=True)}
    report = sync_once(server, MemoryStore(cursor="c1"))
    assert server.cursors_asked == ["c1"] and "never arrive" in report.errors[0]


def test_report_defaults() -> None:
    assert SyncReport().errors == [] and SyncReport().requests == 0


@pytest.fixture(autouse=True)
def _bounded() -> Iterator[None]:
    # Every test here is in-memory or loopback; nothing may sleep for real.
    yield


# --- the contributor's profile and the server clock, for stores that keep them ----------


class ProfileMemoryStore(MemoryStore):
    """A store that also keeps qualifications, accuracy and the clock offset."""

    def __init__(self, items: Sequence[OutboxItem] = ()) -> None:
        super().__init__(items)
        self.qualifications: QualificationList | None = None
        self.accuracy: AccuracyReport | None = None
        self.offsets: list[ClockOffset] = []

    def save_qualifications(self, qualifications: QualificationList) -> None:
        self.qualifications = qualifications

    def save_accuracy(self, accuracy: AccuracyReport) -> None:
        self.accuracy = accuracy

    def save_clock_offset(self, offset: ClockOffset) -> None:
        self.offsets.append(offset)


class ProfileServer(FakeServer):
    """A FakeServer that also answers GET /qualifications and GET /accuracy."""

    def __init__(self, failure: ServerError | None = None) -> None:
        super().__init__()
        self.failure = failure

    def qualifications(self, *, cancel: CancelToken | None = None) -> QualificationList:
        self.requests_sent += 1
        self.calls.append("qualifications")
        if self.failure is not None:
            raise self.failure
        return QualificationList(server_time=NOW, qualifications=[])

    def accuracy(self, *, cancel: CancelToken | None = None) -> AccuracyReport:
        self.requests_sent += 1
        self.calls.append("accuracy")
        if self.failure is not None:
            raise self.failure
        return AccuracyReport(server_time=NOW, kinds=[])


def test_a_store_that_keeps_the_profile_gets_qualifications_accuracy_and_the_clock() -> None:
    store, server = ProfileMemoryStore(outbox(2)), ProfileServer()
    before = datetime.now(UTC)
    report = sync_once(server, store)
    assert report.ok and server.calls[-2:] == ["qualifications", "accuracy"]
    assert store.qualifications is not None and store.accuracy is not None
    assert (report.qualifications, report.accuracy_kinds) == (0, 0)
    [offset] = store.offsets
    assert offset == report.clock_offset
    # The double's clock says NOW, long ago: the offset is that far behind this computer.
    expected = (NOW - before).total_seconds()
    assert abs(offset.offset_seconds - expected) < 60
    assert offset.measured_at >= before


def test_a_store_without_the_profile_methods_costs_no_extra_request() -> None:
    store, server = MemoryStore(), ProfileServer()
    report = sync_once(server, store)
    assert "qualifications" not in server.calls and "accuracy" not in server.calls
    assert report.qualifications is None and report.clock_offset is not None


def test_an_older_server_without_qualifications_is_no_error() -> None:
    missing = Refused("not_found", "No such route.", host="tasks.example.org", status=404)
    store = ProfileMemoryStore()
    report = sync_once(ProfileServer(missing), store)
    assert report.ok and store.qualifications is None and report.qualifications is None


def test_a_profile_that_cannot_be_fetched_is_reported_and_kept_as_it_was() -> None:
    refused = Refused("forbidden", "Not for you.", host="tasks.example.org", status=403)
    store = ProfileMemoryStore()
    report = sync_once(ProfileServer(refused), store)
    assert len(report.errors) == 2 and "Not for you" in report.errors[0]
    assert store.qualifications is None and store.catalogue is not None


def test_time_spent_on_a_task_goes_up_with_its_result() -> None:
    started = NOW - timedelta(minutes=3)
    item = OutboxItem(
        idempotency_key=str(uuid.UUID(int=7)),
        bundle_id="b-0",
        task_id="t-7",
        kind="translation",
        result={"text": "x"},
        submitted_at=NOW,
        active_seconds=95.5,
        started_at=started,
        elapsed_seconds=180.0,
    )
    server = FakeServer()
    sync_once(server, MemoryStore([item]))
    sent = server.results[item.idempotency_key]
    assert (sent.active_seconds, sent.started_at, sent.elapsed_seconds) == (95.5, started, 180.0)


def test_a_network_failure_in_the_profile_phase_ends_the_pass_at_once() -> None:
    gone = NetworkUnavailable("tasks.example.org", "the connection was cut")
    server = ProfileServer(gone)
    report = sync_once(server, ProfileMemoryStore())
    assert len(report.errors) == 1 and "Cannot reach" in report.errors[0]
    assert "qualifications" in server.calls and "accuracy" not in server.calls
