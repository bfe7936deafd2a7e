"""The sync client end to end against the real mock server (uvicorn on loopback).

Sign in, config, catalogue, claim, a download cut every 64 KiB, submit, resend,
earnings — and 1,000 results through 30 % injected faults arriving exactly once.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mockserver import demo_data
from mockserver.testing import ServerHandle, running_server
from sync.bundle import read_manifest
from sync.client import ServerClient
from sync.download import download_archive, part_paths
from sync.engine import OutboxItem, sync_once
from sync.errors import MalformedAnswer, Refused, SignInRequired
from sync.protocol import Lease, QualificationStatus, ResultBatch, ResultStatus
from sync.retry import RetryPolicy
from tests.factories import SEGMENTS, translation_bundle, translation_task
from tests.test_sync_engine import MemoryStore, ProfileMemoryStore

CUT = 64 * 1024


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(
        tmp_path / "server", publish_demo=False, rotation=0, seed=11, largest_batch=500
    ) as handle:
        yield handle


def publish(
    server: ServerHandle, folder: Path, bundle_id: str, tasks: int, *, context: int = 0
) -> None:
    """A translation bundle of ``tasks`` one-segment tasks; ``context`` random chars each."""
    rng = random.Random(bundle_id)
    alphabet = string.ascii_letters + string.digits + " "
    task_list = [
        translation_task(
            i,
            1,
            **({"context": "".join(rng.choices(alphabet, k=context))} if context else {}),
        )
        for i in range(tasks)
    ]
    path = translation_bundle(folder / f"{bundle_id}.zip", bundle_id=bundle_id, tasks=task_list)
    server.admin.publish_file(path)


def client_for(server: ServerHandle) -> ServerClient:
    # The server's Retry-After is waited for on a fake clock: these tests never sleep.
    retry = RetryPolicy(
        attempts=10, base=0.01, cap=0.05, rng=random.Random(3), sleep=lambda _: None
    )
    return ServerClient(server.url, timeout=(5.0, 10.0), retry=retry)


def results_for(lease: Lease) -> list[OutboxItem]:
    """A correct translation for each task of the lease (tasks are ``t0000``, ``t0001``…)."""
    return [
        OutboxItem(
            idempotency_key=str(uuid.uuid4()),
            bundle_id=lease.bundle_id,
            task_id=task_id,
            kind=lease.kind,
            result={"version": 1, "targets": {"s1": SEGMENTS[int(task_id[1:]) % 5][1]}},
            submitted_at=datetime.now(UTC),
            active_seconds=30.0,
        )
        for task_id in lease.task_ids
    ]


def ledger_view(entries: object) -> set[tuple[str, str, str]]:
    return {(e.entry_id, e.status.value, str(e.amount)) for e in entries}  # type: ignore[attr-defined]


def test_the_whole_loop_sign_in_to_earnings(server: ServerHandle, tmp_path: Path) -> None:
    publish(server, tmp_path, "b-big", 120, context=3000)
    client = client_for(server)

    me = client.sign_in("demo", "demo", "test laptop")
    assert me.contributor_id == "demo" and client.token
    assert client.config().largest_batch == 500
    offered = {entry.bundle_id: entry for entry in client.catalogue().bundles}
    assert "b-big" in offered

    lease = client.claim("b-big")
    assert lease.task_ids and client.leases().leases == [lease]
    assert lease.size_bytes > 4 * CUT

    server.admin.set_faults(cut_every_bytes=CUT)
    dest = tmp_path / "profile" / "bundles" / "b-big.zip"
    download = download_archive(client, lease, dest)
    server.admin.clear_faults()

    assert download.bytes_on_wire <= 1.05 * lease.size_bytes
    assert download.attempts >= lease.size_bytes // CUT
    assert not any(p.exists() for p in part_paths(dest))
    manifest = read_manifest(dest, known_kinds={"translation"})
    assert [task.id for task in manifest.tasks] == lease.task_ids

    items = results_for(lease)
    batch = ResultBatch.model_validate({"results": [item.__dict__ for item in items]})
    first = client.submit(batch)
    again = client.submit(batch)
    assert {ack.status for ack in first.acks} == {ResultStatus.ACCEPTED}
    assert {ack.status for ack in again.acks} == {ResultStatus.DUPLICATE}
    assert len(server.admin.results("demo")) == len(items)

    server.admin.approve(contributor_id="demo", all_pending=True)
    store = MemoryStore()
    report = sync_once(client, store)
    assert report.ok and report.earnings_entries >= len(items)
    assert ledger_view(store.ledger.values()) == ledger_view(server.admin.ledger("demo"))
    assert {e.status.value for e in store.ledger.values()} == {"approved"}

    client.sign_out()
    with pytest.raises(SignInRequired):
        client.leases()


def test_a_thousand_results_through_faults_arrive_exactly_once(
    server: ServerHandle, tmp_path: Path
) -> None:
    for n in range(4):
        publish(server, tmp_path, f"b-{n}", 250)
    client = client_for(server)
    client.sign_in("demo", "demo")
    leases = [client.claim(f"b-{n}") for n in range(4)]
    items = [item for lease in leases for item in results_for(lease)]
    assert len(items) == 1000
    store = MemoryStore(items)

    # 30 % of requests go wrong: 5xx answers, cut answers, results committed then dropped.
    server.admin.set_faults(
        error_probability=0.1,
        retry_after_s=0,
        cut_probability=0.1,
        cut_after_bytes=50,
        drop_probability=0.1,
    )
    reports = []
    while store.outbox and len(reports) < 30:
        reports.append(sync_once(client, store, batch_size=50))
    server.admin.clear_faults()
    final = sync_once(client, store)

    assert store.outbox == {} and final.ok
    assert sum(r.duplicates for r in reports) > 0  # some answers were lost after the commit
    stored = server.admin.results("demo")
    assert len(stored) == 1000
    assert {str(r.idempotency_key) for r in stored} == {i.idempotency_key for i in items}
    assert all(r.status == "accepted" for r in stored)
    assert {ack.status for ack in store.acks.values()} <= {
        ResultStatus.ACCEPTED,
        ResultStatus.DUPLICATE,
    }
    server_ledger = server.admin.ledger("demo")
    assert len(server_ledger) == 1000  # each result paid once
    assert ledger_view(store.ledger.values()) == ledger_view(server_ledger)


def test_an_expired_token_leads_back_to_sign_in_without_losing_anything(
    server: ServerHandle, tmp_path: Path
) -> None:
    publish(server, tmp_path, "b-x", 30)
    client = client_for(server)
    client.sign_in("demo", "demo")
    store = MemoryStore(results_for(client.claim("b-x")))
    server.admin.expire_tokens("demo")

    with pytest.raises(SignInRequired, match="expired|sign in"):
        sync_once(client, store)
    assert len(store.outbox) == 30

    client.sign_in("demo", "demo")
    report = sync_once(client, store)
    assert report.accepted == 30 and store.outbox == {}


def test_another_contributor_cannot_take_or_submit_my_tasks(
    server: ServerHandle, tmp_path: Path
) -> None:
    publish(server, tmp_path, "b-mine", 5)
    alice, bob = client_for(server), client_for(server)
    alice.sign_in("alice", "alice")
    bob.sign_in("bob", "bob")
    lease = alice.claim("b-mine")

    with pytest.raises(Refused):
        bob.claim("b-mine")
    with pytest.raises(Refused):
        bob.open_archive(lease.archive_path)
    assert bob.leases().leases == []
    stolen = ResultBatch.model_validate({"results": [i.__dict__ for i in results_for(lease)]})
    answer = bob.submit(stolen)
    assert {ack.status for ack in answer.acks} == {ResultStatus.REJECTED}
    assert {ack.reason for ack in answer.acks} == {"not_yours"}


def test_a_malformed_answer_is_a_clear_error(server: ServerHandle) -> None:
    client = client_for(server)
    client.sign_in("demo", "demo")
    server.admin.set_faults(malformed_probability=1.0)
    with pytest.raises(MalformedAnswer, match="not JSON"):
        client.catalogue()


def test_a_qualification_test_taken_through_the_sync_client_unlocks_work(
    server: ServerHandle, tmp_path: Path
) -> None:
    server.admin.publish_demo("translation-en-fr-app", qualification="translation")
    client = client_for(server)
    client.sign_in("demo", "demo")
    store = ProfileMemoryStore()
    first = sync_once(client, store)
    assert first.ok and store.qualifications is not None and store.accuracy is not None
    listed = {q.qualification_id: q for q in store.qualifications.qualifications}
    assert listed["translation"].status is QualificationStatus.NONE
    assert {kind.kind for kind in store.accuracy.kinds} == {
        "translation",
        "transcription",
        "photo_clip",
    }
    assert store.catalogue is not None
    [locked] = [entry for entry in store.catalogue.bundles if entry.qualification]
    assert locked.locked and locked.qualification_title == "Translator"
    with pytest.raises(Refused) as refused:
        client.claim(locked.bundle_id)
    assert refused.value.code == "qualification_needed"

    test_id = listed["translation"].test_bundle_id
    assert test_id is not None
    lease = client.claim(test_id)
    dest = tmp_path / "profile" / "bundles" / f"{test_id}.zip"
    download_archive(client, lease, dest)
    manifest = read_manifest(dest, known_kinds={"translation"})
    definition = demo_data.qualification_def(server.state.registry, "translation")
    assert definition is not None
    started = datetime.now(UTC)
    for task, (spec_id, task_id) in zip(manifest.tasks, definition.tasks, strict=True):
        key = str(uuid.uuid4())
        store.outbox[key] = OutboxItem(
            idempotency_key=key,
            bundle_id=lease.bundle_id,
            task_id=task.id,
            kind=lease.kind,
            result=demo_data.demo_golds()[spec_id][task_id],
            submitted_at=datetime.now(UTC),
            active_seconds=40.0,
            started_at=started,
            elapsed_seconds=65.0,
        )

    second = sync_once(client, store)
    assert second.ok and second.accepted == 3
    passed = {q.qualification_id: q for q in store.qualifications.qualifications}["translation"]
    assert passed.status is QualificationStatus.PASSED and passed.certificate is not None
    assert not next(e for e in store.catalogue.bundles if e.bundle_id == locked.bundle_id).locked
    assert client.claim(locked.bundle_id).bundle_id == locked.bundle_id
    stored = server.admin.results("demo")
    assert {(r.active_seconds, r.elapsed_seconds, r.graded_as) for r in stored} == {
        (40.0, 65.0, "qualification")
    }
    assert second.clock_offset is not None and abs(second.clock_offset.offset_seconds) < 60
