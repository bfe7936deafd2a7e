"""Network soak: results through a mock server where about 30 % of requests go wrong.

A real profile (SQLite store, the importer, the sync engine through
``StoreSync``) claims and downloads bundles, submits ``results`` tasks, and
syncs until the outbox is empty while the server answers 5xx, cuts answers,
commits results then drops the answer, delays its first byte past the client's
read timeout, or garbles its JSON. Then the faults stop, every result is
approved, and one last pass brings the earnings: each result must be on the
server exactly once, the outbox empty, and the earnings equal on both sides.
"""

from __future__ import annotations

import contextlib
import math
import random
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

from app.fetching import claim_and_fetch, resume_fetches
from app.profile import Profile
from app.store import Store
from app.sync_adapter import StoreSync
from mockserver.faults import FaultPlan
from mockserver.testing import running_server
from sync.client import ServerClient
from sync.engine import sync_once
from sync.errors import DownloadError, ServerError
from sync.protocol_admin import FaultSettings
from sync.retry import RetryPolicy
from taskkinds import default_registry
from tests.factories import translation_bundle
from tests.reliability.common import CampaignResult, timed

TASKS_PER_BUNDLE = 250
REWARD = Decimal("0.03")
READ_TIMEOUT = 1.0
BATCH = 10  # small batches: many requests, so many faults
# Each fault alone; together about 30 % of the requests (drops only touch POST /results).
FAULTS = FaultSettings(
    error_probability=0.08,
    retry_after_s=0,
    cut_probability=0.08,
    cut_after_bytes=40,
    drop_probability=0.15,
    slow_first_byte_ms=1000 * READ_TIMEOUT * 1.5,
    slow_first_byte_probability=0.06,
    malformed_probability=0.08,
)


def _kinds(plan: FaultPlan) -> list[str]:
    kinds = []
    if plan.error_status is not None:
        kinds.append(f"HTTP {plan.error_status}")
    else:
        if plan.cut_after is not None:
            kinds.append("answer cut")
        if plan.drop:
            kinds.append("committed, answer dropped")
        if plan.first_byte_delay_s:
            kinds.append("slow first byte")
        if plan.malformed and not plan.drop:
            kinds.append("malformed JSON")
    return kinds


def run_network_campaign(results: int = 1000, seed: int = 30) -> CampaignResult:
    """Send ``results`` results through the faults; count lost, duplicated and mis-paid."""
    result = CampaignResult(
        "network", "Network soak: results through 30 % mixed faults, exactly once"
    )
    bundles = math.ceil(results / TASKS_PER_BUNDLE)
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-soak-") as tmp:
        root = Path(tmp)
        with running_server(
            root / "server", publish_demo=False, rotation=0, seed=seed, largest_batch=500
        ) as server:
            for n in range(bundles):
                size = min(TASKS_PER_BUNDLE, results - n * TASKS_PER_BUNDLE)
                path = translation_bundle(
                    root / f"b-{n}.zip", bundle_id=f"soak-{n}", tasks=size, segments=1,
                    reward_per_task=REWARD,
                )  # fmt: skip
                server.admin.publish_file(path)
            requests_seen: Counter[str] = Counter()
            plan = server.state.faults.plan

            def counted(method: str, path: str) -> FaultPlan:
                decided = plan(method, path)
                requests_seen["requests"] += 1
                kinds = _kinds(decided)
                requests_seen["faulted"] += bool(kinds)
                for kind in kinds:
                    result.tried[kind] += 1
                return decided

            server.state.faults.plan = counted  # type: ignore[method-assign]
            server.admin.set_faults(FAULTS)

            profile = Profile(root / "profile").ensure()
            store = Store(profile.db_path)
            client = ServerClient(
                server.url,
                timeout=(5.0, READ_TIMEOUT),
                retry=RetryPolicy(attempts=4, base=0.01, cap=0.05, rng=random.Random(seed)),
            )
            try:
                _sign_in(client)
                for n in range(bundles):
                    _fetch(client, store, profile, f"soak-{n}")
                submitted = _submit_all(store)
                result.trials = len(submitted)
                passes = 0
                while store.pending_count() and passes < 40 + results // 10:
                    passes += 1
                    _pass(client, store)
                result.figures["sync passes under faults"] = passes
                server.admin.clear_faults()
                server.admin.approve(contributor_id="demo", all_pending=True)
                final = sync_once(client, StoreSync(store))
                _check(result, server.admin, store, submitted, final.errors)
            finally:
                client.close()
                store.close()
            faulted = requests_seen["faulted"] / max(1, requests_seen["requests"])
            result.figures["requests"] = requests_seen["requests"]
            result.figures["share of requests faulted"] = f"{faulted:.0%}"
    return result


def _sign_in(client: ServerClient) -> None:
    for _ in range(20):
        try:
            client.sign_in("demo", "demo")
            return
        except ServerError:
            continue
    raise RuntimeError("could not sign in through the faults in 20 tries")


def _fetch(client: ServerClient, store: Store, profile: Profile, bundle_id: str) -> None:
    """Claim and download through the faults; a failed try is resumed by the next one."""
    registry = default_registry()
    for _ in range(30):
        held = {row["bundle_id"]: row["state"] for row in store.leases()}
        if held.get(bundle_id) == "imported":
            return
        try:
            if bundle_id in held:
                resume_fetches(client, store, profile, registry)
            else:
                claim_and_fetch(client, store, profile, registry, bundle_id)
        except (ServerError, DownloadError):
            continue
    raise RuntimeError(f"could not download {bundle_id} through the faults in 30 tries")


def _submit_all(store: Store) -> dict[str, str]:
    """Submit every task with a right answer; returns idempotency key → task key."""
    keys = {}
    for row in store.tasks():
        payload = store.task(row.id)["payload"]
        targets = {segment["id"]: segment["source"] for segment in payload["segments"]}
        keys[store.submit(row.id, {"version": 1, "targets": targets})] = row.id
    return keys


def _pass(client: ServerClient, store: Store) -> None:
    with contextlib.suppress(ServerError):  # a pass that could not start: the next one will
        sync_once(client, StoreSync(store), batch_size=BATCH)


def _check(
    result: CampaignResult,
    admin: object,
    store: Store,
    submitted: dict[str, str],
    final_errors: list[str],
) -> None:
    from mockserver.admin_client import AdminClient

    assert isinstance(admin, AdminClient)
    if final_errors:
        result.fail(f"the pass after the faults still failed: {final_errors[0]}")
    stored = admin.results("demo")
    by_key = Counter(str(r.idempotency_key) for r in stored)
    by_task = Counter((r.bundle_id, r.task_id) for r in stored if r.status == "accepted")
    result.lost = sum(1 for key in submitted if key not in by_key)
    result.duplicated = sum(n - 1 for n in by_key.values() if n > 1) + sum(
        n - 1 for n in by_task.values() if n > 1
    )
    strangers = [key for key in by_key if key not in submitted]
    if strangers:
        result.duplicated += len(strangers)
        result.fail(f"{len(strangers)} results on the server were never submitted here")
    rejected = [r for r in stored if r.status != "accepted"]
    if rejected:
        result.fail(f"{len(rejected)} results were rejected, e.g. {rejected[0].message}")
    waiting = store.pending_count()
    if waiting:
        result.lost += waiting
        result.fail(f"{waiting} results are still waiting in the outbox")
    ledger = admin.ledger("demo")
    paid = Counter(str(e.idempotency_key) for e in ledger)
    result.duplicated += sum(n - 1 for n in paid.values() if n > 1)
    server_total = sum((e.amount for e in ledger), Decimal(0))
    local = store.ledger()
    local_total = sum((Decimal(e["amount"]) for e in local), Decimal(0))
    expected = REWARD * len(submitted)
    if not server_total == local_total == expected:
        result.fail(
            f"earnings differ: server {server_total}, here {local_total}, expected {expected}"
        )
    if {e.entry_id for e in ledger} != {e["id"] for e in local}:
        result.fail("the local ledger does not hold the server's entries")
    if store.integrity_check() != "ok":
        result.fail("the profile database failed its integrity check")
    result.figures["results on the server"] = len(stored)
    result.figures["earnings (server = here)"] = f"{server_total} = {local_total} EUR"
