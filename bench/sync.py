"""Uploading results over a slow link: batched idempotent sync against one request per result.

The mock server adds 200 ms to every answer (its latency fault). Ouvrage's
``sync_once`` sends the outbox in batches; the baseline sends one result per
request, measured on a sample and scaled to the full count (5,000 requests at
200 ms would take 17 minutes). Both run in the same process, against the same
server, in the same run. JSON bodies go gzipped over 1 KiB both ways: the bytes
on the wire (the client's own counts) are given beside the JSON, for the upload
and, after it, for one earnings page of 500 entries and the demo catalogue.

    python -m bench.sync [--results 5000] [--latency-ms 200] [--sample 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _results_for(store, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        payload = store.task(key)["payload"]
        targets = {s["id"]: s["source"] for s in payload["segments"]}
        store.submit(key, {"version": 1, "targets": targets})


def _answer_bytes(client, call) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The JSON of one answer, and the bytes it took on the wire (gzipped if over 1 KiB)."""
    before = client.body_bytes_received
    answer = call()
    return {
        "json_bytes": len(answer.model_dump_json().encode()),
        "wire_bytes": client.body_bytes_received - before,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=int, default=5_000)
    parser.add_argument("--latency-ms", type=float, default=200.0)
    parser.add_argument("--sample", type=int, default=100, help="results sent one per request")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from app.fetching import claim_and_fetch
    from app.profile import Profile
    from app.store import Store
    from app.sync_adapter import StoreSync
    from mockserver.catalogue import publish_demo_catalogue
    from mockserver.testing import running_server
    from sync.engine import sync_once
    from sync.protocol import ResultBatch, ResultItem
    from sync.protocol_admin import FaultSettings
    from taskkinds import default_registry
    from tests.factories import translation_bundle

    total = args.results + args.sample
    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-sync-") as tmp:
        root = Path(tmp)
        bundle = translation_bundle(
            root / "big.zip", bundle_id="bench-sync", tasks=total, segments=1,
            reward_per_task=Decimal("0.01"),
        )  # fmt: skip
        with running_server(root / "server", publish_demo=False, largest_batch=500) as server:
            server.admin.publish_file(bundle)
            profile = Profile(root / "profile").ensure()
            store = Store(profile.db_path)
            client_for = server.url
            from app.session import ServerAccount

            account = ServerAccount(client_for, "demo")
            client = account.client(None)
            client.sign_in("demo", "demo")
            claim_and_fetch(client, store, profile, default_registry(), "bench-sync")
            keys = [row.id for row in store.tasks()]
            batched_keys, sample_keys = keys[: args.results], keys[args.results :]
            _results_for(store, batched_keys)
            payload_bytes = sum(
                len(json.dumps(row["result"]).encode()) for row in store.pending_results(total)
            )

            server.admin.set_faults(FaultSettings(latency_ms=args.latency_ms))
            before = client.requests_sent
            sent_before = client.body_bytes_sent
            started = time.perf_counter()
            report = sync_once(client, StoreSync(store))
            batched_s = time.perf_counter() - started
            batched_requests = client.requests_sent - before
            batched_wire = client.body_bytes_sent - sent_before
            assert report.accepted == args.results, report

            # Baseline: the same kind of results, one per request.
            started = time.perf_counter()
            for key in sample_keys:
                task = store.task(key)
                targets = {s["id"]: s["source"] for s in task["payload"]["segments"]}
                item = ResultItem(
                    idempotency_key=uuid.uuid4(), bundle_id=task["bundle_id"],
                    task_id=task["task_id"], kind=task["kind"],
                    result={"version": 1, "targets": targets}, submitted_at=datetime.now(UTC),
                )  # fmt: skip
                answer = client.submit(ResultBatch(results=[item]))
                assert answer.acks[0].status.value == "accepted", answer
            single_s = (time.perf_counter() - started) / max(1, len(sample_keys))
            server.admin.clear_faults()
            answers = {
                "earnings_500": _answer_bytes(client, lambda: client.earnings(None, limit=500)),
            }
            publish_demo_catalogue(server.state)
            answers["demo_catalogue"] = _answer_bytes(client, client.catalogue)
            store.close()

    batches = -(-args.results // 500)
    ideal_s = batches * args.latency_ms / 1000  # one round trip per batch; loopback bandwidth
    one_per_result_s = single_s * args.results
    result = {
        "benchmark": "sync",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "results": args.results,
        "latency_ms": args.latency_ms,
        "payload_bytes": payload_bytes,
        "batched_body_wire_bytes": batched_wire,
        "answers": answers,
        "batched_seconds": batched_s,
        "batched_requests": batched_requests,
        "requests_per_100_results": 100 * batched_requests / args.results,
        "ideal_seconds": ideal_s,
        "ratio_to_ideal": batched_s / ideal_s if ideal_s else None,
        "one_per_result_seconds_scaled": one_per_result_s,
        "one_per_result_sample": len(sample_keys),
        "speedup_vs_one_per_result": one_per_result_s / batched_s,
        "goals": {"requests_per_100_results": 1.0, "speedup_vs_one_per_result": 20.0},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{args.results} results ({payload_bytes / 1024:.0f} KiB of JSON), "
          f"{args.latency_ms:.0f} ms added to every answer")  # fmt: skip
    print(f"  Ouvrage batched sync      {batched_s:8.1f} s  {batched_requests:5d} requests  "
          f"{result['requests_per_100_results']:.2f} per 100 results (goal <= 1)")  # fmt: skip
    print(f"  ideal (1 round trip/batch) {ideal_s:7.1f} s  ratio {result['ratio_to_ideal']:.2f}x")
    print(f"  request bodies of the pass: {batched_wire / 1024:.0f} KiB on the wire (the result "
          f"payloads alone are {payload_bytes / 1024:.0f} KiB of JSON)")  # fmt: skip
    for name, sizes in answers.items():
        print(f"  {name}: {sizes['wire_bytes'] / 1024:.1f} KiB on the wire for "
              f"{sizes['json_bytes'] / 1024:.1f} KiB of JSON")  # fmt: skip
    speedup = result["speedup_vs_one_per_result"]
    print(f"  one request per result    {one_per_result_s:8.1f} s  (scaled from {len(sample_keys)})"
          f"  -> batched is {speedup:.0f}x faster (goal >= 20x)")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
