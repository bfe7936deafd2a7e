"""Fault injection on the mock server, seen from a real HTTP client."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockserver.testing import ServerHandle, running_server
from sync.protocol import ErrorBody
from sync.protocol_admin import FaultSettings
from tests.mockserver_util import Contributor, result_item, sign_in, translation_zip

SIZE_HINT = 200_000


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(tmp_path / "server", publish_demo=False) as handle:
        zips = tmp_path / "zips"
        handle.admin.publish_file(translation_zip(zips, "b-big", noise_bytes=SIZE_HINT))
        yield handle


@pytest.fixture
def demo(server: ServerHandle) -> Contributor:
    contributor = sign_in(server.url, "demo")
    contributor.claim("b-big")
    return contributor


def test_with_error_rate_one_every_call_gets_5xx_with_retry_after(
    server: ServerHandle, demo: Contributor
) -> None:
    server.admin.set_faults(error_probability=1.0, retry_after_s=3)
    calls = [
        demo.get("/v1/config"),
        demo.get("/v1/catalogue"),
        demo.get("/v1/bundles/b-big/archive"),
        demo.post("/v1/results", {"results": [result_item("b-big", "t1")]}),
        demo.get("/v1/earnings"),
        demo.post("/v1/session", {"contributor_id": "demo", "password": "demo"}),
    ]
    for response in calls:
        assert response.status_code in (500, 502, 503)
        assert response.headers["Retry-After"] == "3"
        body = ErrorBody.model_validate_json(response.content)
        assert body.code in ("server_error", "unavailable") and body.retry_after == 3
    assert server.admin.results() == []  # the endpoint never ran
    assert server.admin.get_faults().error_probability == 1.0  # admin is never faulted
    assert requests.get(server.url + "/openapi.json").status_code == 200


def test_a_cut_answer_arrives_truncated(server: ServerHandle, demo: Contributor) -> None:
    server.admin.set_faults(cut_probability=1.0, cut_after_bytes=1000)
    with demo.get("/v1/bundles/b-big/archive", stream=True) as response:
        assert response.status_code == 200
        declared = int(response.headers["Content-Length"])
        received = bytearray()
        with pytest.raises(requests.exceptions.RequestException):
            for chunk in response.iter_content(100):
                received += chunk
    assert len(received) == 1000 < declared


def test_cut_every_n_bytes_still_downloads_by_resuming(
    server: ServerHandle, demo: Contributor
) -> None:
    lease = demo.claim("b-big")
    server.admin.set_faults(cut_every_bytes=64 * 1024)
    data = bytearray()
    requests_made = 0
    while len(data) < lease.size_bytes and requests_made < 20:
        requests_made += 1
        headers = {"Range": f"bytes={len(data)}-", "If-Range": f'"{lease.archive_sha256}"'}
        try:
            with demo.get(lease.archive_path, headers=headers, stream=True) as response:
                assert response.status_code == 206
                for chunk in response.iter_content(8192):
                    data += chunk
        except requests.exceptions.RequestException:
            pass  # cut: resume from what arrived
    assert hashlib.sha256(data).hexdigest() == lease.archive_sha256
    assert requests_made == -(-lease.size_bytes // (64 * 1024))


def test_commit_then_drop_stores_the_result_and_a_resend_is_a_duplicate(
    server: ServerHandle, demo: Contributor
) -> None:
    item = result_item("b-big", "t1")
    server.admin.set_faults(drop_probability=1.0)
    with pytest.raises(requests.exceptions.RequestException):
        demo.post("/v1/results", {"results": [item]})
    [stored] = server.admin.results("demo")
    assert (str(stored.idempotency_key), stored.status) == (item["idempotency_key"], "accepted")
    assert demo.get("/v1/config").status_code == 200  # only POST /results is dropped
    server.admin.clear_faults()
    [ack] = demo.submit(item)
    assert ack.status == "duplicate"
    assert len(server.admin.ledger("demo")) == 1


def test_malformed_json_answers_cannot_be_parsed(server: ServerHandle, demo: Contributor) -> None:
    server.admin.set_faults(malformed_probability=1.0)
    for path in ("/v1/config", "/v1/leases", "/v1/earnings"):
        response = demo.get(path)
        assert response.status_code == 200
        assert len(response.content) == int(response.headers["Content-Length"])
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
    archive = demo.get("/v1/bundles/b-big/archive")  # not JSON: left alone
    assert archive.status_code == 200 and len(archive.content) > SIZE_HINT


def test_latency_and_a_slow_first_byte_delay_the_answer(
    server: ServerHandle, demo: Contributor
) -> None:
    server.admin.set_faults(latency_ms=200)
    started = time.monotonic()
    assert demo.get("/v1/config").status_code == 200
    assert time.monotonic() - started >= 0.2
    server.admin.set_faults(slow_first_byte_ms=200)
    started = time.monotonic()
    assert demo.get("/v1/config").status_code == 200
    assert time.monotonic() - started >= 0.2


def test_bandwidth_limits_the_download_speed(server: ServerHandle, demo: Contributor) -> None:
    server.admin.set_faults(bandwidth_bytes_per_s=500_000)
    started = time.monotonic()
    response = demo.get("/v1/bundles/b-big/archive")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed >= len(response.content) / 500_000 * 0.9


def status_pattern(tmp_path: Path, name: str, seed: int) -> list[int]:
    faults = FaultSettings(error_probability=0.5, error_statuses=[503])
    with running_server(tmp_path / name, publish_demo=False, seed=seed, faults=faults) as server:
        session = requests.Session()
        return [session.get(server.url + "/v1/config").status_code for _ in range(40)]


def test_the_same_seed_replays_the_same_faults(tmp_path: Path) -> None:
    first = status_pattern(tmp_path, "a", seed=7)
    again = status_pattern(tmp_path, "b", seed=7)
    other = status_pattern(tmp_path, "c", seed=8)
    assert first == again
    assert set(first) == {200, 503}
    assert other != first


def test_fault_settings_are_validated_and_kept_across_restarts(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", publish_demo=False) as server:
        refused = requests.put(
            server.url + "/v1/admin/faults",
            json={"error_probability": 2},
            headers={"X-Admin-Token": server.admin_token},
        )
        assert refused.status_code == 422
        assert ErrorBody.model_validate_json(refused.content).code == "invalid_request"
        server.admin.update_faults(latency_ms=5)
        server.admin.update_faults(jitter_ms=2)
    with running_server(tmp_path / "s") as server:
        kept = server.admin.get_faults()
    assert (kept.latency_ms, kept.jitter_ms) == (5, 2)
