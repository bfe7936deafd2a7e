"""gzip on the mock server's wire, seen from a plain HTTP client: request bodies it unpacks
(and the ones it refuses), JSON answers it packs, archives it never touches; and a streamed
answer through the middleware itself (no route of the server streams JSON)."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3

from mockserver.compression import GzipCoding
from mockserver.testing import ServerHandle, running_server
from sync.protocol import BatchResponse, ErrorBody
from tests.mockserver_util import Contributor, result_item, sign_in, translation_zip

LARGEST_BODY = 256 * 1024  # the server's largest_upload_bytes in these tests
JSON = "application/json"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(
        tmp_path / "server", publish_demo=False, rotation=0, largest_upload_bytes=LARGEST_BODY
    ) as handle:
        for bundle_id in ("b-1", "b-2", "b-3"):
            handle.admin.publish_file(translation_zip(tmp_path / "zips", bundle_id, tasks=40))
        handle.admin.publish_file(
            translation_zip(tmp_path / "zips", "b-big", tasks=1, noise_bytes=200_000)
        )
        yield handle


@pytest.fixture
def demo(server: ServerHandle) -> Contributor:
    contributor = sign_in(server.url, "demo")
    for bundle_id in ("b-1", "b-2", "b-3"):  # three leases: over 1 KiB of JSON
        contributor.claim(bundle_id)
    return contributor


def post_raw(
    contributor: Contributor, path: str, body: bytes, coding: str | None
) -> requests.Response:
    headers = {"Content-Type": JSON, **({"Content-Encoding": coding} if coding else {})}
    return contributor.post(path, data=body, headers=headers)


def batch_json(count: int, first: int = 1) -> tuple[bytes, list[dict[str, Any]]]:
    """Results for tasks t<first>… of b-1, as JSON, and the items."""
    items = [result_item("b-1", f"t{i}") for i in range(first, first + count)]
    return json.dumps({"results": items}).encode(), items


def raw_answer(response: requests.Response) -> bytes:
    """The answer's body as it came over the wire, not unpacked."""
    with response:
        return response.raw.read(decode_content=False)


def bundles_in(leases: bytes) -> list[str]:
    return sorted(lease["bundle_id"] for lease in json.loads(leases)["leases"])


def error_of(response: requests.Response) -> ErrorBody:
    return ErrorBody.model_validate_json(response.content)


# --- request bodies ---------------------------------------------------------------------------


def test_a_gzipped_batch_is_unpacked_stored_and_counted_as_sent(
    server: ServerHandle, demo: Contributor
) -> None:
    plain, items = batch_json(40)
    packed = gzip.compress(plain)
    server.state.faults.traffic.clear()
    response = post_raw(demo, "/v1/results", packed, "gzip")
    assert response.status_code == 200, response.text
    acks = BatchResponse.model_validate_json(response.content).acks
    assert [a.status for a in acks] == ["accepted"] * 40
    stored = {str(r.idempotency_key) for r in server.admin.results("demo")}
    assert stored == {item["idempotency_key"] for item in items}
    [exchange] = server.state.faults.traffic.exchanges("POST", "/v1/results", at_least=1)
    assert exchange.request_coding == "gzip"
    assert exchange.request_bytes == len(packed) < len(plain) // 3


def test_resending_a_gzipped_batch_pays_once(server: ServerHandle, demo: Contributor) -> None:
    plain, _ = batch_json(10)
    first = post_raw(demo, "/v1/results", gzip.compress(plain), "gzip")
    again = post_raw(demo, "/v1/results", gzip.compress(plain), "gzip")
    assert [a.status for a in BatchResponse.model_validate_json(first.content).acks] == [
        "accepted"
    ] * 10
    assert [a.status for a in BatchResponse.model_validate_json(again.content).acks] == [
        "duplicate"
    ] * 10
    assert len(server.admin.ledger("demo")) == 10


def test_identity_and_x_gzip_are_accepted_too(server: ServerHandle, demo: Contributor) -> None:
    plain, _ = batch_json(2)
    assert post_raw(demo, "/v1/results", plain, "identity").status_code == 200
    other, _ = batch_json(3, first=3)
    assert post_raw(demo, "/v1/results", gzip.compress(other), "x-gzip").status_code == 200
    assert [r.status for r in server.admin.results("demo")] == ["accepted"] * 5


def test_every_json_route_takes_a_gzipped_body(server: ServerHandle) -> None:
    body = gzip.compress(json.dumps({"contributor_id": "demo", "password": "demo"}).encode())
    response = requests.post(
        server.url + "/v1/session",
        data=body,
        headers={"Content-Type": JSON, "Content-Encoding": "gzip"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["contributor_id"] == "demo"
    contributor = sign_in(server.url, "demo")
    claim = post_raw(contributor, "/v1/claims", gzip.compress(b'{"bundle_id": "b-1"}'), "gzip")
    assert claim.status_code == 200 and claim.json()["bundle_id"] == "b-1"


def test_a_gzip_bomb_gets_413_with_an_error_body_and_stores_nothing(
    server: ServerHandle, demo: Contributor
) -> None:
    plain, _ = batch_json(1)
    # Valid JSON padded with 64 MiB of spaces: about 64 KB of gzip.
    bomb = gzip.compress(plain[:-1] + b" " * (64 * 2**20) + b"}", 9)
    assert len(bomb) < LARGEST_BODY  # only unpacked is it too large
    response = post_raw(demo, "/v1/results", bomb, "gzip")
    assert response.status_code == 413
    error = error_of(response)
    assert error.code == "batch_too_large"
    assert f"{LARGEST_BODY:,} bytes once unpacked" in error.message
    assert server.admin.results("demo") == []
    assert demo.get("/v1/config").status_code == 200  # the server is still fine


@pytest.mark.parametrize("coding", ["br", "deflate", "gzip, gzip", "compress"])
def test_an_unknown_coding_gets_415_naming_it(
    server: ServerHandle, demo: Contributor, coding: str
) -> None:
    plain, _ = batch_json(1)
    response = post_raw(demo, "/v1/results", plain, coding)
    assert response.status_code == 415
    assert response.headers["Accept-Encoding"] == "gzip"
    error = error_of(response)
    assert error.code == "invalid_request"
    assert f"coded as '{coding}'" in error.message
    assert "gzip" in error.message
    assert server.admin.results("demo") == []


def damaged(packed: bytes) -> bytes:
    middle = len(packed) // 2
    return packed[:middle] + bytes([packed[middle] ^ 0xFF]) + packed[middle + 1 :]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda p: damaged(gzip.compress(p)), id="flipped byte"),
        pytest.param(lambda p: gzip.compress(p)[:-12], id="cut short"),
        pytest.param(lambda p: p, id="not gzip at all"),
        pytest.param(lambda p: gzip.compress(p) + b"trailing", id="garbage after"),
    ],
)
def test_a_damaged_gzip_body_gets_400(server: ServerHandle, demo: Contributor, body: Any) -> None:
    plain, _ = batch_json(5)
    response = post_raw(demo, "/v1/results", body(plain), "gzip")
    assert response.status_code == 400
    error = error_of(response)
    assert error.code == "invalid_request"
    assert "cannot be unpacked" in error.message
    assert server.admin.results("demo") == []


def test_a_packed_body_larger_than_the_limit_is_413_even_unpacked_small(
    server: ServerHandle, demo: Contributor
) -> None:
    plain, _ = batch_json(1)
    # Stored (level 0) gzip of a JSON body with 300 KB of random-looking padding.
    padded = plain[:-1] + b',"pad": "' + hashlib.sha256(b"x").hexdigest().encode() * 9400 + b'"}'
    packed = gzip.compress(padded, 0)
    assert len(packed) > LARGEST_BODY
    response = post_raw(demo, "/v1/results", packed, "gzip")
    assert response.status_code == 413 and error_of(response).code == "batch_too_large"



@pytest.mark.parametrize(("mode", "status"), [("refuse", 415), ("ignore", 400)])
def test_the_older_server_fault_refuses_or_misreads_gzip_and_never_gzips(
    server: ServerHandle, demo: Contributor, mode: str, status: int
) -> None:
    """``gzip=refuse`` is a server that says it reads no gzip; ``gzip=ignore`` one that
    knows nothing of it and reads the packed bytes as JSON. Neither runs the request."""
    server.admin.update_faults(gzip=mode)
    plain, items = batch_json(10)
    refused = post_raw(demo, "/v1/results", gzip.compress(plain), "gzip")
    assert refused.status_code == status
    assert error_of(refused).message  # says why, as every refusal does
    assert server.admin.results("demo") == []
    assert post_raw(demo, "/v1/results", plain, None).status_code == 200
    assert len(server.admin.results("demo")) == len(items)
    leases = demo.get("/v1/leases", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert "Content-Encoding" not in leases.headers
    assert len(bundles_in(raw_answer(leases))) == 3  # plain JSON, over 1 KiB
    server.admin.update_faults(gzip="on")
    assert post_raw(demo, "/v1/results", gzip.compress(batch_json(2, first=11)[0]), "gzip").ok


# --- JSON answers ------------------------------------------------------------------------------


def test_a_large_json_answer_is_gzipped_only_when_asked(
    server: ServerHandle, demo: Contributor
) -> None:
    asked = demo.get("/v1/leases", headers={"Accept-Encoding": "gzip"}, stream=True)
    plain = demo.get("/v1/leases", headers={"Accept-Encoding": "identity"}, stream=True)
    assert asked.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert asked.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"
    packed, unpacked = raw_answer(asked), raw_answer(plain)
    assert len(unpacked) > 1024
    assert int(asked.headers["Content-Length"]) == len(packed) < len(unpacked) // 2
    assert bundles_in(gzip.decompress(packed)) == bundles_in(unpacked) == ["b-1", "b-2", "b-3"]
    not_asked = demo.get("/v1/leases", headers={"Accept-Encoding": "gzip;q=0, br"}, stream=True)
    assert "Content-Encoding" not in not_asked.headers
    assert bundles_in(raw_answer(not_asked)) == bundles_in(unpacked)


def test_a_small_json_answer_is_not_gzipped(server: ServerHandle, demo: Contributor) -> None:
    response = demo.get("/v1/config", headers={"Accept-Encoding": "gzip"}, stream=True)
    body = raw_answer(response)
    assert "Content-Encoding" not in response.headers
    assert len(body) < 1024
    assert json.loads(body)["api_version"] == 1


def test_archives_are_never_gzipped_and_ranged_resume_still_works(
    server: ServerHandle, demo: Contributor
) -> None:
    lease = demo.claim("b-big")
    asking = {"Accept-Encoding": "gzip, deflate"}
    whole = demo.get(lease.archive_path, headers=asking, stream=True)
    assert whole.status_code == 200 and "Content-Encoding" not in whole.headers
    data = raw_answer(whole)
    assert hashlib.sha256(data).hexdigest() == lease.archive_sha256
    ranged = demo.get(
        lease.archive_path,
        headers={**asking, "Range": "bytes=1000-", "If-Range": f'"{lease.archive_sha256}"'},
        stream=True,
    )
    assert ranged.status_code == 206 and "Content-Encoding" not in ranged.headers
    assert raw_answer(ranged) == data[1000:]


# --- faults act on the wire's bytes ------------------------------------------------------------


def test_a_garbled_answer_is_valid_gzip_of_broken_json(
    server: ServerHandle, demo: Contributor
) -> None:
    server.admin.set_faults(malformed_probability=1.0)
    response = demo.get("/v1/leases", headers={"Accept-Encoding": "gzip"}, stream=True)
    packed = raw_answer(response)
    assert response.headers["Content-Encoding"] == "gzip"
    assert int(response.headers["Content-Length"]) == len(packed)
    with pytest.raises(json.JSONDecodeError):
        json.loads(gzip.decompress(packed))


def test_a_cut_counts_the_gzipped_bytes(server: ServerHandle, demo: Contributor) -> None:
    server.admin.set_faults(cut_probability=1.0, cut_after_bytes=200)
    server.state.faults.traffic.clear()
    response = demo.get("/v1/leases", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert response.headers["Content-Encoding"] == "gzip"
    arrived = bytearray()
    with pytest.raises(urllib3.exceptions.ProtocolError), response:
        while chunk := response.raw.read(64, decode_content=False):
            arrived += chunk
    assert len(arrived) == 200
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    assert unpacker.decompress(bytes(arrived)).startswith(b'{"leases":')  # a gzip prefix
    [exchange] = server.state.faults.traffic.exchanges("GET", "/v1/leases", at_least=1)
    assert (exchange.answer_coding, exchange.answer_bytes) == ("gzip", 200)


def test_a_streamed_json_answer_is_gzipped_as_it_goes() -> None:
    parts = [b'{"entries": [', b'"x",' * 2000, b'"y"]}']

    async def streaming_app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            await send({"type": "http.response.body", "body": part, "more_body": not last})

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/v1/earnings",
        "headers": [(b"accept-encoding", b"gzip")],
    }
    asyncio.run(GzipCoding(streaming_app, largest_body=LARGEST_BODY)(scope, receive, send))
    start, *bodies = sent
    headers = dict(start["headers"])
    assert headers[b"content-encoding"] == b"gzip" and b"content-length" not in headers
    packed = b"".join(message["body"] for message in bodies)
    assert gzip.decompress(packed) == b"".join(parts)
    assert len(packed) < len(b"".join(parts)) // 10
    assert bodies[-1]["more_body"] is False
