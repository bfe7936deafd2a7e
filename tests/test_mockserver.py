"""The mock server over real HTTP: sign-in, configuration, catalogue, claims, downloads, rules."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from mockserver.testing import ServerHandle, running_server
from sync.protocol import Catalogue, ErrorBody, LeaseList, ServerConfig
from tests.mockserver_util import (
    result_item,
    sign_in,
    tally_zip,
    translation_zip,
    two_kind_registry,
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    """A server with the demo catalogue."""
    with running_server(tmp_path / "server") as handle:
        yield handle


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[ServerHandle]:
    """A server with an empty catalogue."""
    with running_server(tmp_path / "server", publish_demo=False) as handle:
        yield handle


def publish(server: ServerHandle, bundle_id: str, **kwargs: object) -> str:
    zip_path = translation_zip(server.data_dir.parent / "zips", bundle_id, **kwargs)  # type: ignore[arg-type]
    return server.admin.publish_file(zip_path)[0].bundle_id


def error_of(response: requests.Response) -> ErrorBody:
    assert response.headers["content-type"].startswith("application/json")
    return ErrorBody.model_validate_json(response.content)


# ---------------------------------------------------------------- session


def test_sign_in_opens_the_api_and_sign_out_revokes_the_token(server: ServerHandle) -> None:
    alice = sign_in(server.url, "alice")
    assert alice.get("/v1/catalogue").status_code == 200
    assert alice.session.delete(server.url + "/v1/session").status_code == 204
    after = alice.get("/v1/catalogue")
    assert after.status_code == 401
    assert error_of(after).code == "unauthorized"


def test_sign_in_answers_the_display_name_and_a_long_random_token(server: ServerHandle) -> None:
    answers = [
        requests.post(
            server.url + "/v1/session", json={"contributor_id": "bob", "password": "bob"}
        ).json()
        for _ in range(2)
    ]
    assert answers[0]["display_name"] == "Bob"
    assert answers[0]["token"] != answers[1]["token"]
    assert len(answers[0]["token"]) >= 32
    stored = b"".join(path.read_bytes() for path in server.data_dir.glob("mockserver.sqlite3*"))
    assert answers[0]["token"].encode() not in stored  # only its hash is kept


@pytest.mark.parametrize(("who", "password"), [("demo", "wrong"), ("nobody", "nobody")])
def test_bad_credentials_get_unauthorized(server: ServerHandle, who: str, password: str) -> None:
    response = requests.post(
        server.url + "/v1/session", json={"contributor_id": who, "password": password}
    )
    assert response.status_code == 401
    assert error_of(response).code == "unauthorized"


def test_requests_without_a_token_or_with_an_unknown_one_are_unauthorized(
    server: ServerHandle,
) -> None:
    bare_call = requests.get(server.url + "/v1/leases")
    forged = requests.get(
        server.url + "/v1/leases", headers={"Authorization": "Bearer " + "x" * 40}
    )
    assert (bare_call.status_code, forged.status_code) == (401, 401)
    assert error_of(bare_call).code == error_of(forged).code == "unauthorized"


def test_admin_expired_tokens_get_token_expired_and_a_new_sign_in_works(
    server: ServerHandle,
) -> None:
    demo = sign_in(server.url, "demo")
    assert server.admin.expire_tokens("demo") == 1
    response = demo.get("/v1/catalogue")
    assert response.status_code == 401
    assert error_of(response).code == "token_expired"
    assert sign_in(server.url, "demo").get("/v1/catalogue").status_code == 200


def test_a_token_past_its_expiry_by_the_server_clock_is_expired(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", token_seconds=3600, publish_demo=False) as server:
        demo = sign_in(server.url)
        assert demo.get("/v1/leases").status_code == 200
        server.admin.advance_clock(3601)
        response = demo.get("/v1/leases")
        assert response.status_code == 401
        assert error_of(response).code == "token_expired"


# ---------------------------------------------------------------- configuration and catalogue


def test_config_gives_server_time_with_the_clock_offset_and_the_limits(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", annual_cap=Decimal("1200"), publish_demo=False) as server:
        server.admin.advance_clock(86_400)
        config = ServerConfig.model_validate_json(requests.get(server.url + "/v1/config").content)
    ahead = config.server_time - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < ahead < timedelta(days=1, minutes=1)
    assert (config.currency, config.annual_cap, config.largest_batch) == ("EUR", 1200, 500)
    assert config.lease_seconds == 2 * 86_400
    assert config.largest_upload_bytes >= 1024


def test_the_demo_catalogue_offers_several_copies_with_their_archive_sizes(
    server: ServerHandle,
) -> None:
    catalogue = Catalogue.model_validate_json(sign_in(server.url).get("/v1/catalogue").content)
    ids = [entry.bundle_id for entry in catalogue.bundles]
    assert {"demo-en-fr-app", "demo-en-fr-app-2", "demo-fr-en-shop-4", "demo-photo-clip"} <= set(
        ids
    )
    assert len(ids) == len(set(ids)) >= 12
    # Every kind this version knows has demo bundles on offer.
    kinds = {entry.kind for entry in catalogue.bundles}
    assert kinds == {"translation", "photo_clip", "transcription"}
    for entry in catalogue.bundles:
        archive = server.data_dir / "bundles" / f"{entry.bundle_id}.zip"
        assert entry.size_bytes == archive.stat().st_size
        assert entry.currency == "EUR"
        assert entry.deadline > catalogue.generated_at


def test_a_claimed_bundle_leaves_the_catalogue_and_shows_in_my_leases(
    server: ServerHandle,
) -> None:
    demo, alice = sign_in(server.url, "demo"), sign_in(server.url, "alice")
    lease = demo.claim("demo-en-fr-app")
    assert lease.task_ids[:2] == ["t01", "t02"]
    assert timedelta(days=2) - timedelta(minutes=1) < lease.expires_at - datetime.now(UTC)
    offered = Catalogue.model_validate_json(alice.get("/v1/catalogue").content).bundles
    assert "demo-en-fr-app" not in {entry.bundle_id for entry in offered}
    mine = LeaseList.model_validate_json(demo.get("/v1/leases").content).leases
    assert [held.lease_id for held in mine] == [lease.lease_id]
    assert LeaseList.model_validate_json(alice.get("/v1/leases").content).leases == []


def test_claiming_a_held_bundle_is_refused_and_reclaiming_my_own_returns_my_lease(
    server: ServerHandle,
) -> None:
    demo, alice = sign_in(server.url, "demo"), sign_in(server.url, "alice")
    lease = demo.claim("demo-fr-en-shop")
    assert demo.claim("demo-fr-en-shop") == lease
    refused = alice.post("/v1/claims", {"bundle_id": "demo-fr-en-shop"})
    assert refused.status_code == 409
    assert error_of(refused).code == "already_claimed"


def test_unknown_withdrawn_and_past_deadline_bundles_are_not_offered(bare: ServerHandle) -> None:
    soon = datetime.now(UTC) + timedelta(hours=1)
    publish(bare, "b-soon", deadline=soon)
    publish(bare, "b-gone")
    bare.admin.withdraw("b-gone")
    bare.admin.advance_clock(7200)
    demo = sign_in(bare.url)
    for bundle_id in ("b-unknown", "b-gone", "b-soon"):
        response = demo.post("/v1/claims", {"bundle_id": bundle_id})
        assert response.status_code == 404, bundle_id
        assert error_of(response).code == "not_offered"
    assert Catalogue.model_validate_json(demo.get("/v1/catalogue").content).bundles == []


def test_leases_say_when_they_were_claimed_and_answer_with_the_server_time(
    bare: ServerHandle,
) -> None:
    publish(bare, "b-1")
    bare.admin.advance_clock(3 * 3600)  # the server runs ahead of this computer
    demo = sign_in(bare.url)
    lease = demo.claim("b-1")
    assert lease.claimed_at is not None
    assert lease.expires_at - lease.claimed_at == timedelta(days=2)
    held = LeaseList.model_validate_json(demo.get("/v1/leases").content)
    assert held.leases == [lease]  # the same lease, whenever asked
    assert held.server_time is not None
    ahead = held.server_time - datetime.now(UTC)
    assert timedelta(hours=2, minutes=59) < ahead < timedelta(hours=3, minutes=1)


def test_a_lease_expires_by_the_server_clock(bare: ServerHandle) -> None:
    publish(bare, "b-1")
    demo, alice = sign_in(bare.url, "demo"), sign_in(bare.url, "alice")
    lease = demo.claim("b-1")
    bare.admin.advance_clock(2 * 86_400 + 1)
    assert LeaseList.model_validate_json(demo.get("/v1/leases").content).leases == []
    assert demo.get(lease.archive_path).status_code == 403
    assert alice.claim("b-1").bundle_id == "b-1"


def test_releasing_some_tasks_then_the_rest_ends_the_lease(bare: ServerHandle) -> None:
    publish(bare, "b-1", tasks=3)
    demo = sign_in(bare.url)
    demo.claim("b-1")
    partial = demo.post("/v1/releases", {"bundle_id": "b-1", "task_ids": ["t2"]}).json()
    assert partial["released"] == ["t2"]
    held = LeaseList.model_validate_json(demo.get("/v1/leases").content).leases
    assert held[0].task_ids == ["t1", "t3"]
    [ack] = demo.submit(result_item("b-1", "t2"))
    assert (ack.status, ack.reason) == ("rejected", "not_yours")
    rest = demo.post("/v1/releases", {"bundle_id": "b-1"}).json()
    assert rest["released"] == ["t1", "t3"]
    assert LeaseList.model_validate_json(demo.get("/v1/leases").content).leases == []
    again = demo.post("/v1/releases", {"bundle_id": "b-1"})
    assert again.status_code == 404


# ---------------------------------------------------------------- downloads


@pytest.fixture
def big(bare: ServerHandle) -> ServerHandle:
    publish(bare, "b-big", noise_bytes=300_000)
    return bare


def test_the_whole_archive_matches_the_lease_checksum(big: ServerHandle) -> None:
    demo = sign_in(big.url)
    lease = demo.claim("b-big")
    response = demo.get(lease.archive_path)
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == lease.archive_sha256
    assert len(response.content) == lease.size_bytes > 300_000
    assert response.headers["ETag"] == f'"{lease.archive_sha256}"'
    assert response.headers["Accept-Ranges"] == "bytes"


def test_a_range_request_resumes_with_the_right_bytes(big: ServerHandle) -> None:
    demo = sign_in(big.url)
    lease = demo.claim("b-big")
    whole = demo.get(lease.archive_path).content
    resumed = demo.get(
        lease.archive_path,
        headers={"Range": "bytes=100000-", "If-Range": f'"{lease.archive_sha256}"'},
    )
    assert resumed.status_code == 206
    assert resumed.headers["Content-Range"] == f"bytes 100000-{len(whole) - 1}/{len(whole)}"
    assert whole[:100000] + resumed.content == whole


def test_if_range_with_a_stale_etag_sends_the_whole_archive(big: ServerHandle) -> None:
    demo = sign_in(big.url)
    lease = demo.claim("b-big")
    response = demo.get(
        lease.archive_path, headers={"Range": "bytes=5000-", "If-Range": '"' + "0" * 64 + '"'}
    )
    assert response.status_code == 200
    assert hashlib.sha256(response.content).hexdigest() == lease.archive_sha256


def test_a_range_past_the_end_is_unsatisfiable(big: ServerHandle) -> None:
    demo = sign_in(big.url)
    lease = demo.claim("b-big")
    response = demo.get(lease.archive_path, headers={"Range": f"bytes={lease.size_bytes}-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{lease.size_bytes}"


def test_another_contributor_can_neither_download_nor_submit_my_lease(
    server: ServerHandle,
) -> None:
    demo, bob = sign_in(server.url, "demo"), sign_in(server.url, "bob")
    lease = demo.claim("demo-en-fr-app")
    download = bob.get(lease.archive_path)
    assert download.status_code == 403
    assert error_of(download).code == "forbidden"
    [ack] = bob.submit(result_item("demo-en-fr-app", "t01"))
    assert (ack.status, ack.reason) == ("rejected", "not_yours")
    unclaimed = bob.get("/v1/bundles/demo-fr-en-shop/archive")
    assert unclaimed.status_code == 403


# ---------------------------------------------------------------- cap and rotation


def test_the_yearly_cap_blocks_a_claim_that_would_pass_it(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", publish_demo=False, annual_cap="0.5") as server:
        for bundle_id in ("b-1", "b-2"):
            publish(server, bundle_id, tasks=3, reward="0.10")  # 0.30 each
        demo = sign_in(server.url)
        demo.claim("b-1")
        in_hand = demo.post("/v1/claims", {"bundle_id": "b-2"})
        assert in_hand.status_code == 403
        assert error_of(in_hand).code == "cap_reached"
        acks = demo.submit(*(result_item("b-1", f"t{i}") for i in (1, 2, 3)))
        assert {ack.status for ack in acks} == {"accepted"}
        earned = demo.post("/v1/claims", {"bundle_id": "b-2"})
        assert error_of(earned).code == "cap_reached"
        server.admin.reject("Not usable", contributor_id="demo", all_pending=True)
        assert demo.claim("b-2").bundle_id == "b-2"  # rejected rewards do not count


def test_rotation_blocks_a_fourth_claim_of_one_kind_while_another_kind_is_offered(
    tmp_path: Path,
) -> None:
    with running_server(tmp_path / "s", publish_demo=False, registry=two_kind_registry()) as server:
        for index in range(1, 6):
            publish(server, f"b-{index}")
        server.admin.publish_file(tally_zip(tmp_path / "zips", "c-1"))
        demo = sign_in(server.url)
        for index in (1, 2, 3):
            demo.claim(f"b-{index}")
        refused = demo.post("/v1/claims", {"bundle_id": "b-4"})
        assert refused.status_code == 403
        assert error_of(refused).code == "rotation"
        assert demo.claim("c-1").kind == "tally"
        assert demo.claim("b-4").kind == "translation"


def test_rotation_does_not_block_when_no_other_kind_is_offered(bare: ServerHandle) -> None:
    for index in range(1, 6):
        publish(bare, f"b-{index}")
    demo = sign_in(bare.url)
    for index in range(1, 6):
        assert demo.claim(f"b-{index}").bundle_id == f"b-{index}"


# ---------------------------------------------------------------- API description and errors


def test_openapi_lists_the_routes_and_the_protocol_models(bare: ServerHandle) -> None:
    document = requests.get(bare.url + "/openapi.json").json()
    paths = set(document["paths"])
    assert {
        "/v1/session",
        "/v1/config",
        "/v1/catalogue",
        "/v1/leases",
        "/v1/claims",
        "/v1/releases",
        "/v1/bundles/{bundle_id}/archive",
        "/v1/results",
        "/v1/earnings",
        "/v1/qualifications",
        "/v1/accuracy",
        "/v1/admin/faults",
        "/v1/admin/policy",
        "/v1/admin/golds",
        "/v1/admin/qualification-grants",
        "/v1/admin/qualification-resets",
        "/v1/admin/withholding-resets",
    } <= paths
    schemas = set(document["components"]["schemas"])
    assert {
        "SignInRequest",
        "SignInResponse",
        "ServerConfig",
        "Catalogue",
        "Lease",
        "ResultBatch",
        "BatchResponse",
        "EarningsPage",
        "ErrorBody",
        "FaultSettings",
        "QualificationList",
        "AccuracyReport",
        "PlatformPolicy",
    } <= schemas
    assert "HTTPValidationError" not in schemas  # every error is an ErrorBody
    assert requests.get(bare.url + "/docs").status_code == 200


def test_unknown_routes_and_malformed_requests_answer_an_error_body(bare: ServerHandle) -> None:
    missing = requests.get(bare.url + "/v1/nothing-here")
    assert missing.status_code == 404 and error_of(missing).code == "not_found"
    broken = requests.post(
        bare.url + "/v1/session", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 422 and error_of(broken).code == "invalid_request"


def test_admin_routes_need_the_admin_token(bare: ServerHandle) -> None:
    for headers in ({}, {"X-Admin-Token": "wrong"}):
        response = requests.get(bare.url + "/v1/admin/faults", headers=headers)
        assert response.status_code == 401
        assert error_of(response).code == "unauthorized"


# ---------------------------------------------------------------- the database schema


def test_a_data_dir_of_the_first_schema_is_upgraded_in_place(tmp_path: Path) -> None:
    import sqlite3

    from mockserver import store as store_module
    from mockserver.store import SCHEMA_VERSION, MockStore

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(store_module._SCHEMA)
    old.execute("PRAGMA user_version=1")
    old.execute(
        "INSERT INTO bundles VALUES ('b-old', 'translation', 1, 'Old', '', '0.10', 'EUR', NULL, "
        "9999999999, 'b-old.zip', 10, ?, 0, 0)",
        ("0" * 64,),
    )
    old.execute("INSERT INTO tasks VALUES ('b-old', 't1', 0, '0.10', '{}', 0)")
    old.commit()
    old.close()

    upgraded = MockStore(path)
    try:
        assert upgraded.schema_version == SCHEMA_VERSION >= 2
        bundle = upgraded.bundle("b-old")
        assert bundle is not None and (bundle.purpose, bundle.qualification_id) == ("work", None)
        assert [row.bundle_id for row, _ in upgraded.offered_bundles(0)] == ["b-old"]
    finally:
        upgraded.close()
    MockStore(path).close()  # opening an up-to-date database changes nothing


def test_a_data_dir_of_a_newer_server_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    import sqlite3

    from mockserver.store import MockStore

    path = tmp_path / "new.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version=99").connection.close()
    with pytest.raises(sqlite3.DatabaseError, match="newer than this server"):
        MockStore(path)
