"""gzip on the wire, from the client's side: batches sent gzipped (and uncompressed to a
server that refuses that), answers unpacked under the same size cap and deadline, archives
never compressed. Against the real mock server on loopback, and scripted servers for what
a good server never does."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
import tracemalloc
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mockserver.testing import ServerHandle, running_server
from sync.client import ServerClient
from sync.download import download_archive
from sync.errors import MalformedAnswer, NetworkUnavailable, Refused
from sync.protocol import ResultBatch, ResultItem
from sync.protocol_admin import FaultSettings
from sync.retry import RetryPolicy
from tests.http_double import (
    HttpDouble,
    Reply,
    Request,
    error_reply,
    json_reply,
    sample_catalogue,
)
from tests.mockserver_util import translation_zip

TASKS = 60
GZIP_JSON = {"Content-Type": "application/json", "Content-Encoding": "gzip"}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(tmp_path / "server", publish_demo=False, rotation=0) as handle:
        handle.admin.publish_file(translation_zip(tmp_path / "zips", "b-1", tasks=TASKS))
        for n in range(2, 6):
            handle.admin.publish_file(translation_zip(tmp_path / "zips", f"b-{n}"))
        handle.admin.publish_file(
            translation_zip(tmp_path / "zips", "b-big", tasks=1, noise_bytes=300_000)
        )
        yield handle


@pytest.fixture
def double() -> Iterator[HttpDouble]:
    with HttpDouble() as server:
        yield server


def signed_in(url: str) -> ServerClient:
    retry = RetryPolicy(attempts=8, base=0.01, cap=0.05, rng=random.Random(5), sleep=lambda _: None)
    client = ServerClient(url, timeout=(5.0, 10.0), retry=retry)
    client.sign_in("demo", "demo")
    return client


def scripted(url: str, **options: object) -> ServerClient:
    retry = RetryPolicy(attempts=1, sleep=lambda _: None)
    return ServerClient(url, token="t" * 32, timeout=(2.0, 2.0), retry=retry, **options)  # type: ignore[arg-type]


def batch(bundle_id: str, count: int) -> ResultBatch:
    return ResultBatch(
        results=[
            ResultItem(
                idempotency_key=uuid.uuid4(),
                bundle_id=bundle_id,
                task_id=f"t{n}",
                kind="translation",
                result={"targets": {"s1": "Bonjour {name}", "s2": "Enregistrer"}},
                submitted_at=datetime.now(UTC),
            )
            for n in range(1, count + 1)
        ]
    )


# --- request bodies --------------------------------------------------------------------------


def test_a_batch_goes_gzipped_and_every_result_is_stored(server: ServerHandle) -> None:
    client = signed_in(server.url)
    client.claim("b-1")
    results = batch("b-1", TASKS)
    plain = len(results.model_dump_json().encode())
    server.state.faults.traffic.clear()
    sent_before = client.body_bytes_sent
    answer = client.submit(results)
    assert [ack.status.value for ack in answer.acks] == ["accepted"] * TASKS
    stored = {r.idempotency_key for r in server.admin.results("demo")}
    assert stored == {item.idempotency_key for item in results.results}
    [exchange] = server.state.faults.traffic.exchanges("POST", "/v1/results", at_least=1)
    assert exchange.request_coding == "gzip"
    assert exchange.request_bytes == client.body_bytes_sent - sent_before < plain // 4
    assert client.gzips_requests


def test_resending_a_gzipped_batch_pays_once(server: ServerHandle) -> None:
    client = signed_in(server.url)
    client.claim("b-1")
    results = batch("b-1", 20)
    client.submit(results)
    again = client.submit(results)
    assert {ack.status.value for ack in again.acks} == {"duplicate"}
    assert len(server.admin.ledger("demo")) == 20


def test_a_small_body_goes_uncompressed(server: ServerHandle) -> None:
    client = signed_in(server.url)
    server.state.faults.traffic.clear()
    client.claim("b-2")
    [claim] = server.state.faults.traffic.exchanges("POST", "/v1/claims", at_least=1)
    assert claim.request_coding == "" and 0 < claim.request_bytes < 1024


def acks_for(request: Request) -> Reply:
    keys = [item["idempotency_key"] for item in request.json()["results"]]
    return json_reply({"acks": [{"idempotency_key": k, "status": "accepted"} for k in keys]})


def test_a_server_refusing_gzip_gets_identity_for_the_rest_of_the_session(
    double: HttpDouble,
) -> None:
    def only_identity(request: Request) -> Reply:
        if "content-encoding" in request.headers:
            return error_reply(415, "unsupported_media_type", "No compressed bodies here.")
        return acks_for(request)

    double.route("POST", "/v1/results", only_identity)
    client = scripted(double.url)
    first, second = batch("b-0", 10), batch("b-0", 10)
    assert [a.status.value for a in client.submit(first).acks] == ["accepted"] * 10
    assert not client.gzips_requests
    assert [a.status.value for a in client.submit(second).acks] == ["accepted"] * 10
    sent = double.requests_to("POST", "/v1/results")
    assert [r.headers.get("content-encoding") for r in sent] == ["gzip", None, None]
    assert gzip.decompress(sent[0].body) == sent[1].body == first.model_dump_json().encode()
    assert client.requests_sent == 3


def test_a_415_to_an_uncompressed_body_too_is_a_refusal_not_a_loop(double: HttpDouble) -> None:
    double.route("POST", "/v1/results", error_reply(415, "invalid_request", "Not this type."))
    with pytest.raises(Refused, match="Not this type") as caught:
        scripted(double.url).submit(batch("b-0", 10))
    assert caught.value.status == 415
    codings = [r.headers.get("content-encoding") for r in double.requests]
    assert codings == ["gzip", None]  # one resend uncompressed, then the refusal


@pytest.mark.parametrize("mode", ["refuse", "ignore"])
def test_an_older_mock_server_gets_identity_and_stores_every_result(
    server: ServerHandle, mode: str
) -> None:
    """The mock server's ``gzip`` fault: 415, or the packed bytes read as JSON (400)."""
    server.admin.update_faults(gzip=mode)
    client = signed_in(server.url)
    client.claim("b-1")
    server.state.faults.traffic.clear()
    first, second = batch("b-1", 20), batch("b-1", 20)
    assert {a.status.value for a in client.submit(first).acks} == {"accepted"}
    assert not client.gzips_requests
    client.submit(second)
    sent = server.state.faults.traffic.exchanges("POST", "/v1/results", at_least=3)
    assert [(e.request_coding, e.status) for e in sent] == [
        ("gzip", 415 if mode == "refuse" else 400), ("", 200), ("", 200)
    ]  # fmt: skip
    assert all(e.answer_coding == "" for e in sent)
    stored = {r.idempotency_key for r in server.admin.results("demo")}
    assert stored == {item.idempotency_key for item in (*first.results, *second.results)}


def test_a_400_to_both_codings_is_the_content_and_gzip_stays_on(double: HttpDouble) -> None:
    double.route("POST", "/v1/results", error_reply(422, "invalid_request", "Bad batch."))
    client = scripted(double.url)
    with pytest.raises(Refused, match="Bad batch"):
        client.submit(batch("b-0", 10))
    assert [r.headers.get("content-encoding") for r in double.requests] == ["gzip", None]
    assert client.gzips_requests  # the body was at fault, not its coding


def test_once_gzip_was_read_a_422_is_about_the_content_and_not_sent_twice(
    double: HttpDouble,
) -> None:
    answers = iter([None, error_reply(422, "invalid_request", "Bad batch.")])

    def first_fine(request: Request) -> Reply:
        return next(answers) or acks_for(request)

    double.route("POST", "/v1/results", first_fine)
    client = scripted(double.url)
    client.submit(batch("b-0", 10))
    with pytest.raises(Refused, match="Bad batch"):
        client.submit(batch("b-0", 10))
    assert [r.headers.get("content-encoding") for r in double.requests] == ["gzip", "gzip"]
    assert client.gzips_requests


# --- answers ---------------------------------------------------------------------------------


def test_json_answers_come_gzipped_and_count_as_their_wire_bytes(server: ServerHandle) -> None:
    client = signed_in(server.url)
    server.state.faults.traffic.clear()
    before = client.body_bytes_received
    catalogue = client.catalogue()
    assert sorted(b.bundle_id for b in catalogue.bundles) == [
        "b-1", "b-2", "b-3", "b-4", "b-5", "b-big",
    ]  # fmt: skip
    [exchange] = server.state.faults.traffic.exchanges("GET", "/v1/catalogue", at_least=1)
    assert exchange.answer_coding == "gzip"
    assert client.body_bytes_received - before == exchange.answer_bytes
    assert exchange.answer_bytes < len(catalogue.model_dump_json()) // 3


def test_json_requests_ask_for_gzip_and_archives_for_identity(double: HttpDouble) -> None:
    double.route("GET", "/v1/catalogue", json_reply(sample_catalogue()))
    double.route("GET", "/v1/bundles/b-0/archive", Reply(200, b"PK", {"ETag": '"e"'}))
    client = scripted(double.url)
    client.catalogue()
    with client.open_archive("/v1/bundles/b-0/archive"):
        pass
    catalogue, archive = double.requests
    assert catalogue.headers["accept-encoding"] == "gzip"
    assert archive.headers["accept-encoding"] == "identity"


def test_a_download_cut_every_64_kib_resumes_and_is_never_gzipped(
    server: ServerHandle, tmp_path: Path
) -> None:
    client = signed_in(server.url)
    lease = client.claim("b-big")
    server.admin.set_faults(FaultSettings(cut_every_bytes=64 * 1024))
    server.state.faults.traffic.clear()
    result = download_archive(
        client, lease, tmp_path / "b-big.zip", retry=RetryPolicy(attempts=20, sleep=lambda _: None)
    )
    digest = hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert digest == lease.archive_sha256 and result.attempts > 1
    exchanges = server.state.faults.traffic.exchanges(
        "GET", lease.archive_path, at_least=result.attempts
    )
    assert len(exchanges) == result.attempts
    assert {e.answer_coding for e in exchanges} == {""}
    assert {e.status for e in exchanges[1:]} == {206}
    assert sum(e.answer_bytes for e in exchanges) == lease.size_bytes


BOMB = gzip.compress(b" " * (64 * 2**20), 9)  # 64 MiB of JSON whitespace in ~64 KB


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_gzip_bomb_answer_is_cut_off_clearly_within_bounded_memory(
    double: HttpDouble, declare_length: bool
) -> None:
    limit = 2**20
    reply = Reply(200, BOMB, GZIP_JSON, declare_length=declare_length)
    if not declare_length:
        reply = Reply(200, headers=GZIP_JSON, stream=lambda: [BOMB], declare_length=False)
    double.route("GET", "/v1/catalogue", reply)
    client = scripted(double.url, max_json_bytes=limit)
    tracemalloc.start()
    try:
        with pytest.raises(MalformedAnswer, match="too large once unpacked") as caught:
            client.catalogue()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert double.url.removeprefix("http://") in str(caught.value)
    assert "1 MB" in str(caught.value) or "1.0 MB" in str(caught.value)
    assert peak < 4 * limit  # the bomb unpacks to 64 MiB; none of it beyond the cap is held


def flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda packed: flipped(packed), id="flipped byte"),
        pytest.param(lambda packed: packed[:-20], id="cut short"),
        pytest.param(lambda packed: b"not gzip at all", id="not gzip"),
        pytest.param(lambda packed: packed + b"\x00garbage", id="garbage after"),
    ],
)
def test_a_damaged_gzip_answer_is_a_malformed_answer_naming_the_server(
    double: HttpDouble, body: object
) -> None:
    packed = gzip.compress(sample_catalogue(count=20).model_dump_json().encode())
    double.route("GET", "/v1/catalogue", Reply(200, body(packed), GZIP_JSON))  # type: ignore[operator]
    with pytest.raises(MalformedAnswer, match="gzip-compressed answer is damaged") as caught:
        scripted(double.url).catalogue()
    assert str(caught.value).startswith(double.url.removeprefix("http://"))


def test_several_gzip_members_are_one_answer(double: HttpDouble) -> None:
    data = sample_catalogue(count=5).model_dump_json().encode()
    packed = gzip.compress(data[:100]) + gzip.compress(data[100:])
    double.route("GET", "/v1/catalogue", Reply(200, packed, GZIP_JSON))
    assert len(scripted(double.url).catalogue().bundles) == 5


@pytest.mark.parametrize("coding", ["br", "deflate", "gzip, gzip"])
def test_an_answer_in_a_coding_not_asked_for_is_malformed(double: HttpDouble, coding: str) -> None:
    body = zlib.compress(sample_catalogue().model_dump_json().encode())
    headers = {"Content-Type": "application/json", "Content-Encoding": coding}
    double.route("GET", "/v1/catalogue", Reply(200, body, headers))
    with pytest.raises(MalformedAnswer, match="compressed as '(br|deflate|gzip, gzip)'"):
        scripted(double.url).catalogue()


def test_a_gzipped_error_body_still_explains_the_refusal(double: HttpDouble) -> None:
    error = json.dumps({"code": "cap_reached", "message": "Yearly cap reached. " * 80}).encode()
    double.route("POST", "/v1/claims", Reply(409, gzip.compress(error), GZIP_JSON))
    with pytest.raises(Refused, match="Yearly cap reached") as caught:
        scripted(double.url).claim("b-1")
    assert caught.value.code == "cap_reached"


def test_a_gzipped_answer_that_trickles_in_still_meets_the_deadline(double: HttpDouble) -> None:
    def trickle() -> Iterator[bytes]:
        packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        yield packer.compress(b'{"generated_at": "2026-11-29T10:00:00+00:00", "bundles": [')
        for _ in range(10_000):  # a flushed piece every 20 ms: never idle long enough
            time.sleep(0.02)
            yield packer.compress(b" ") + packer.flush(zlib.Z_SYNC_FLUSH)

    double.route(
        "GET", "/v1/catalogue", Reply(200, headers=GZIP_JSON, stream=trickle, declare_length=False)
    )
    with pytest.raises(NetworkUnavailable, match="trickles in too slowly"):
        scripted(double.url, answer_seconds=1.0).catalogue()
