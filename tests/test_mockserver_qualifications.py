"""Qualifications on the mock server: tests graded on the server, certificates, retry delays."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mockserver import demo_data
from mockserver.testing import ServerHandle, running_server
from sync.bundle import read_manifest
from sync.protocol import (
    Catalogue,
    ErrorBody,
    Lease,
    Qualification,
    QualificationList,
    QualificationStatus,
)
from tests.mockserver_util import Contributor, sign_in

DAY = 86_400


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """The demo catalogue, one qualified copy of each spec, no gold questions, no rotation."""
    folder = tmp_path_factory.mktemp("qualifications")
    with running_server(folder / "server", seed=5, gold_rate=0.0, rotation=0) as handle:
        yield handle


@pytest.fixture
def contributor(server: ServerHandle) -> Contributor:
    """A new contributor for each test: qualifications start from nothing."""
    name = f"c-{uuid.uuid4().hex[:8]}"
    server.admin.add_contributor(name, name, name.title())
    return sign_in(server.url, name)


def qualifications(who: Contributor) -> dict[str, Qualification]:
    listing = QualificationList.model_validate_json(who.get("/v1/qualifications").content)
    return {item.qualification_id: item for item in listing.qualifications}


def error_of(response: Any) -> ErrorBody:
    return ErrorBody.model_validate_json(response.content)


def answers(lease: Lease, qualification_id: str, *, right: bool) -> list[dict[str, Any]]:
    """One result per test task: the gold answer, or the source copied (translation only)."""
    definition = demo_data.qualification_def(demo_registry(), qualification_id)
    assert definition is not None
    items = []
    for index, (spec_id, task_id) in enumerate(definition.tasks, start=1):
        if right:
            result = demo_data.demo_golds()[spec_id][task_id]
        else:
            payload = demo_data.spec_task(spec_id, task_id)["payload"]
            result = {"version": 1, "targets": {s["id"]: s["source"] for s in payload["segments"]}}
        items.append(
            {
                "idempotency_key": str(uuid.uuid4()),
                "bundle_id": lease.bundle_id,
                "task_id": f"q{index}",
                "kind": lease.kind,
                "result": result,
                "submitted_at": datetime.now(UTC).isoformat(),
                "active_seconds": 20.0,
            }
        )
    return items


def demo_registry() -> Any:
    from taskkinds import default_registry

    return default_registry()


def archive_of(who: Contributor, lease: Lease, folder: Path) -> tuple[Path, bytes]:
    """The downloaded archive, and every member's bytes joined (uncompressed)."""
    response = who.get(lease.archive_path)
    assert response.status_code == 200
    path = folder / f"{lease.bundle_id}.zip"
    path.write_bytes(response.content)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        contents = b"".join(archive.read(name) for name in archive.namelist())
    return path, contents


def text_leaves(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in text_leaves(item)]
    if isinstance(value, list):
        return [text for item in value for text in text_leaves(item)]
    return []


# ---------------------------------------------------------------- what is listed and locked


def test_every_kind_has_a_qualification_whose_test_is_offered_to_a_newcomer(
    contributor: Contributor,
) -> None:
    listed = qualifications(contributor)
    assert set(listed) == {"translation", "transcription", "photo_clip"}
    for item in listed.values():
        assert item.status is QualificationStatus.NONE
        assert item.test_bundle_id is not None and item.test_bundle_id.startswith("qual-")
        assert item.task_count == 3 and 0 < item.pass_mark < 1
        assert item.retry_delay_seconds == DAY
        assert item.certificate is None and item.attempts == 0


def test_bundles_that_need_a_qualification_are_locked_and_claims_name_it(
    contributor: Contributor,
) -> None:
    catalogue = Catalogue.model_validate_json(contributor.get("/v1/catalogue").content)
    qualified = [entry for entry in catalogue.bundles if entry.qualification]
    assert {entry.kind for entry in qualified} == {"translation", "transcription", "photo_clip"}
    assert all(entry.locked and not entry.claimable for entry in qualified)
    assert all(entry.bundle_id.endswith("-q") for entry in qualified)
    open_ones = [entry for entry in catalogue.bundles if not entry.qualification]
    assert open_ones and not any(entry.locked for entry in open_ones)
    refused = contributor.post("/v1/claims", {"bundle_id": "demo-photo-clip-q"})
    assert refused.status_code == 403
    body = error_of(refused)
    assert body.code == "qualification_needed"
    assert "'photo_clip'" in body.message and "Photo clipper" in body.message
    # Test bundles never show in the catalogue.
    assert not any(entry.bundle_id.startswith("qual-") for entry in catalogue.bundles)


# ---------------------------------------------------------------- passing


@pytest.mark.parametrize("qualification_id", ["translation", "transcription", "photo_clip"])
def test_a_test_answered_with_the_gold_answers_passes_and_unlocks_the_bundles(
    server: ServerHandle, contributor: Contributor, qualification_id: str, tmp_path: Path
) -> None:
    test_id = qualifications(contributor)[qualification_id].test_bundle_id
    assert test_id is not None
    lease = contributor.claim(test_id)
    assert lease.bundle_id == test_id and lease.task_ids == ["q1", "q2", "q3"]
    assert qualifications(contributor)[qualification_id].status is QualificationStatus.PENDING

    path, contents = archive_of(contributor, lease, tmp_path)
    manifest = read_manifest(path, known_kinds=demo_registry().ids(), source="test")
    assert float(manifest.reward_per_task) == 0  # tests are not paid
    definition = demo_data.qualification_def(demo_registry(), qualification_id)
    assert definition is not None
    for task, (spec_id, task_id) in zip(manifest.tasks, definition.tasks, strict=True):
        expected = demo_data.spec_task(spec_id, task_id)["payload"]
        for dropped in definition.drop_payload_fields:
            expected.pop(dropped, None)
        assert task.payload == expected  # the contributor's input, nothing more
        for text in text_leaves(demo_data.demo_golds()[spec_id][task_id]):
            if len(text) >= 12:
                assert text.encode() not in contents, f"gold text in the archive: {text}"

    acks = contributor.submit(*answers_for(lease, qualification_id))
    assert {ack.status for ack in acks} == {"accepted"}
    passed = qualifications(contributor)[qualification_id]
    assert passed.status is QualificationStatus.PASSED
    assert passed.last_score == pytest.approx(1.0)
    assert passed.certificate is not None and passed.certificate.source == "test"
    assert passed.test_bundle_id is None and passed.attempts == 1

    catalogue = Catalogue.model_validate_json(contributor.get("/v1/catalogue").content)
    unlocked = [e for e in catalogue.bundles if e.qualification == qualification_id]
    assert unlocked and not any(entry.locked for entry in unlocked)
    assert contributor.claim(unlocked[0].bundle_id).kind == lease.kind
    assert server.admin.ledger(contributor.contributor_id) == []  # nothing paid for the test
    graded = server.admin.results(contributor.contributor_id)
    assert {(r.graded_as, r.score) for r in graded} == {("qualification", 1.0)}


def answers_for(lease: Lease, qualification_id: str) -> list[dict[str, Any]]:
    return answers(lease, qualification_id, right=True)


def test_a_passed_qualification_has_no_test_to_take_again(contributor: Contributor) -> None:
    test_id = qualifications(contributor)["translation"].test_bundle_id
    assert test_id is not None
    contributor.submit(*answers(contributor.claim(test_id), "translation", right=True))
    again = contributor.post("/v1/claims", {"bundle_id": test_id})
    assert again.status_code == 409 and error_of(again).code == "already_qualified"


# ---------------------------------------------------------------- failing and retrying


def test_a_failed_test_can_be_taken_again_only_after_its_retry_delay(
    tmp_path: Path,
) -> None:
    with running_server(tmp_path / "s", publish_demo=False) as server:
        demo = sign_in(server.url)
        first_id = qualifications(demo)["translation"].test_bundle_id
        assert first_id is not None
        lease = demo.claim(first_id)
        demo.submit(*answers(lease, "translation", right=False))

        failed = qualifications(demo)["translation"]
        assert failed.status is QualificationStatus.FAILED
        assert failed.last_score is not None and failed.last_score < failed.pass_mark
        assert failed.retry_at is not None and failed.last_attempt_at is not None
        assert failed.retry_at - failed.last_attempt_at == timedelta(seconds=DAY)
        assert failed.test_bundle_id is None  # nothing to claim while the delay runs
        assert failed.certificate is None

        second_id = first_id[: -len("-1")] + "-2"
        early = demo.post("/v1/claims", {"bundle_id": second_id})
        assert early.status_code == 403
        body = error_of(early)
        assert body.code == "qualification_retry_later"
        assert body.retry_after is not None and DAY - 60 < body.retry_after <= DAY
        assert early.headers["Retry-After"] == str(int(-(-body.retry_after // 1)))

        server.admin.advance_clock(DAY - 120)
        assert qualifications(demo)["translation"].test_bundle_id is None
        server.admin.advance_clock(121)
        ready = qualifications(demo)["translation"]
        assert ready.status is QualificationStatus.FAILED and ready.test_bundle_id == second_id
        old = demo.post("/v1/claims", {"bundle_id": first_id})  # the graded attempt is over
        assert old.status_code == 404 and error_of(old).code == "not_offered"

        retry = demo.claim(second_id)
        demo.submit(*answers(retry, "translation", right=True))
        passed = qualifications(demo)["translation"]
        assert passed.status is QualificationStatus.PASSED and passed.attempts == 2
        assert passed.retry_at is None


def test_a_test_is_graded_only_when_every_task_is_answered(tmp_path: Path) -> None:
    with running_server(tmp_path / "s", publish_demo=False, lease_seconds=3600) as server:
        demo = sign_in(server.url)
        test_id = qualifications(demo)["transcription"].test_bundle_id
        assert test_id is not None
        lease = demo.claim(test_id)
        items = answers(lease, "transcription", right=True)
        demo.submit(*items[:2])
        pending = qualifications(demo)["transcription"]
        assert (pending.status, pending.test_bundle_id) == (QualificationStatus.PENDING, test_id)
        assert pending.last_score is None

        server.admin.advance_clock(3601)  # the lease runs out: the attempt stays open
        relet = demo.claim(test_id)
        assert relet.lease_id != lease.lease_id and relet.bundle_id == test_id
        demo.submit(items[2])
        assert qualifications(demo)["transcription"].status is QualificationStatus.PASSED


def test_another_contributors_test_cannot_be_claimed(server: ServerHandle) -> None:
    alice, bob = sign_in(server.url, "alice"), sign_in(server.url, "bob")
    alices = qualifications(alice)["photo_clip"].test_bundle_id
    assert alices is not None and alices != qualifications(bob)["photo_clip"].test_bundle_id
    refused = bob.post("/v1/claims", {"bundle_id": alices})
    assert refused.status_code == 403 and error_of(refused).code == "forbidden"
    unknown = bob.post("/v1/claims", {"bundle_id": "qual-knitting-00000000-1"})
    assert unknown.status_code == 404 and error_of(unknown).code == "not_offered"


# ---------------------------------------------------------------- admin


def test_admin_grants_and_resets_qualifications(
    server: ServerHandle, contributor: Contributor
) -> None:
    who = contributor.contributor_id
    [entry] = server.admin.publish_demo("transcription", qualification="transcription")
    granted = server.admin.grant_qualification(who, "transcription")
    assert granted.status is QualificationStatus.PASSED
    assert granted.certificate is not None and granted.certificate.source == "granted"
    assert contributor.claim(entry.bundle_id).kind == "transcription"
    seen = server.admin.qualifications(who).qualifications
    assert {q.qualification_id: q.status for q in seen}["transcription"] == "passed"

    assert server.admin.reset_qualifications(who, "transcription") == ["transcription"]
    after = qualifications(contributor)["transcription"]
    assert after.status is QualificationStatus.NONE and after.certificate is None
    # Attempt numbers are never reused, so an old test bundle cannot come back.
    assert after.test_bundle_id is not None and after.test_bundle_id.endswith("-1")
    assert server.admin.reset_qualifications(who) == []


def test_admin_publishes_bundles_that_need_a_qualification(
    server: ServerHandle, contributor: Contributor
) -> None:
    [entry] = server.admin.publish_demo("translation-fr-en-shop", qualification="translation")
    assert entry.qualification == "translation" and entry.qualification_title == "Translator"
    seen = Catalogue.model_validate_json(contributor.get("/v1/catalogue").content)
    assert next(e for e in seen.bundles if e.bundle_id == entry.bundle_id).locked


def test_the_demo_data_is_consistent() -> None:
    registry = demo_registry()
    definitions = demo_data.qualification_defs(registry)
    assert {d.kind for d in definitions} == registry.ids()
    for definition in definitions:
        kind = registry.get(definition.kind)
        for spec_id, task_id in definition.tasks:
            gold = kind.parse_result(demo_data.test_gold(registry, definition, spec_id, task_id))
            assert kind.grade(gold, gold) == pytest.approx(1.0)
    for spec_id, golds in demo_data.demo_golds().items():
        spec = demo_data.demo_specs()[spec_id]
        assert demo_data.checked_golds(spec_id, spec["kind"], registry) == golds
        for task_id in golds:
            payload = registry.get(spec["kind"]).parse_payload(
                demo_data.spec_task(spec_id, task_id)["payload"]
            )
            result = registry.get(spec["kind"]).parse_result(golds[task_id])
            problems = registry.get(spec["kind"]).validate(payload, result)
            assert not [p for p in problems if p.blocking], (spec_id, task_id)
    assert json.loads(demo_data.GOLDS_PATH.read_text(encoding="utf-8"))  # valid JSON
