"""A poor link, side by side in one run: resuming a cut download, and batching results.

The mock server runs as its own process behind a poor link (``bench.shaped_link``: as root,
a veth pair into a network namespace with ``tc tbf`` at 256 kbit/s and nftables dropping
2 % of packets each way; otherwise loopback with the mock server's own throttling). The
mock server adds a delay to every answer either way (netem is not on every kernel).

(a) A bundle download, every answer cut after 64 KiB (the mock server's ``cut_every_bytes``):
    Ouvrage's resumable client (``sync.download.download_archive``) against
    ``curl --continue-at -`` in a retry loop, and against restarting from zero (curl
    without ``--continue-at``, as many attempts as Ouvrage needed): body bytes, bytes on
    the link (frames counted on the veth, retransmissions included) and wall time. An uncut
    ``curl`` download gives the link's own time.
(b) 5,000 results uploaded: Ouvrage's batched sync (``sync.engine.sync_once``) against one
    request per result (a sample, scaled), as ``bench.sync`` does on a clean link. JSON
    bodies go gzipped both ways when over 1 KiB; the figures give the bytes that went on
    the wire (the client's own counts) beside the JSON they carry.

    python -m bench.poor_link [--quick] [--mode auto|netns|throttle] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.shaped_link import Link, poor_link  # noqa: E402

GOAL_UPLOAD_SPEEDUP = 20.0  # the sync issue's: batched ≥ 20× faster than one per result


# --- the server ------------------------------------------------------------------------


def start_server(link: Link, data: Path, token: str, log: Path) -> subprocess.Popen[bytes]:
    """``ouvrage-mock-server serve`` behind ``link``; returns once it answers."""
    import requests

    command = [
        *link.server_prefix,
        sys.executable, "-m", "mockserver.cli", "serve",
        "--host", link.host, "--port", str(link.port), "--data", str(data),
        "--no-demo", "--admin-token", token, "--seed", "1", "--rotation", "0",
        "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the mock server stopped: {log.read_text()[-500:]}")
        try:
            if requests.get(f"{link.url}/v1/config", timeout=1).status_code < 500:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the mock server did not answer within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


# --- bundles -----------------------------------------------------------------------------


def photo_bundle(path: Path, target_bytes: int) -> Path:
    """Copies of the demo clipping tasks (shipped WebP photos) until about ``target_bytes``."""
    from app.demo import DEMO_DIR
    from sync.bundle import build_bundle

    spec = json.loads((DEMO_DIR / "photo-clip.json").read_text(encoding="utf-8"))
    tasks: list[dict[str, Any]] = []
    media: dict[str, Path] = {}
    total, copy = 0, 0
    while total < target_bytes:
        for task in spec["tasks"]:
            text = json.dumps(task)
            for name in spec["media"]:
                text = text.replace(name, name.replace("images/", f"images/{copy}-"))
            renamed = json.loads(text)
            renamed["id"] = f"{task['id']}-{copy}"
            tasks.append(renamed)
            for name in renamed["media"]:
                source = DEMO_DIR / spec["media"][name.replace(f"images/{copy}-", "images/")]
                media[name] = source
                total += source.stat().st_size
        copy += 1
    return build_bundle(
        path, bundle_id="poor-link-photos", kind="photo_clip", title="Photos over a poor link",
        tasks=tasks, media=media, reward_per_task=Decimal("0.08"), estimated_minutes_per_task=2.0,
    )  # fmt: skip


# --- (a) downloads -----------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def ours(client: Any, lease: Any, dest: Path, link: Link) -> dict[str, Any]:
    from sync.download import download_archive
    from sync.retry import RetryPolicy

    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    before = link.counters()
    started = time.perf_counter()
    result = download_archive(
        client, lease, dest, retry=RetryPolicy(rng=random.Random(7), sleep=sleep)
    )
    seconds = time.perf_counter() - started
    return {
        "finished": sha256_of(result.path) == lease.archive_sha256,
        "seconds": seconds,
        "attempts": result.attempts,
        "body_bytes": result.bytes_on_wire,
        "link_bytes": _link_bytes(link, before),
        "backoff_seconds": sum(waits),
    }


def curl_loop(
    url: str, token: str, lease: Any, dest: Path, link: Link, *, resume: bool, attempts: int
) -> dict[str, Any]:
    """curl until the file is whole (or ``attempts`` are spent), resuming or starting over."""
    command = [
        "curl", "--silent", "--show-error", "--fail", "--output", str(dest),
        "--header", f"Authorization: Bearer {token}", "--connect-timeout", "10",
        "--write-out", "%{size_download} %{size_header} %{http_code}\\n",
    ]  # fmt: skip
    if resume:
        command += ["--continue-at", "-"]
    dest.unlink(missing_ok=True)
    before = link.counters()
    body = header = made = 0
    started = time.perf_counter()
    while made < attempts:
        made += 1
        done = subprocess.run([*command, url], capture_output=True, text=True, timeout=600)
        words = done.stdout.split()
        if len(words) >= 2:
            body += int(words[0])
            header += int(words[1])
        if dest.exists() and dest.stat().st_size == lease.size_bytes:
            break
    seconds = time.perf_counter() - started
    whole = dest.exists() and dest.stat().st_size == lease.size_bytes
    return {
        "finished": whole and sha256_of(dest) == lease.archive_sha256,
        "seconds": seconds,
        "attempts": made,
        "body_bytes": body,
        "header_bytes": header,
        "link_bytes": _link_bytes(link, before),
        "kept_bytes": dest.stat().st_size if dest.exists() else 0,
    }


def _link_bytes(link: Link, before: tuple[int, int] | None) -> int | None:
    return _between(before, link.counters())


def _between(before: tuple[int, int] | None, after: tuple[int, int] | None) -> int | None:
    """Bytes both ways between two readings of the link's counters (None on loopback)."""
    if before is None or after is None:
        return None
    return (after[0] - before[0]) + (after[1] - before[1])


def bench_downloads(
    link: Link, admin: Any, client: Any, bundle: Path, folder: Path, cut: int, delay_ms: float
) -> dict[str, Any]:
    from sync.protocol_admin import FaultSettings

    lease = client.claim("poor-link-photos")
    url = f"{link.url}/{lease.archive_path.lstrip('/')}"
    throttle = link.mode == "throttle"
    plain = FaultSettings(
        latency_ms=delay_ms, bandwidth_bytes_per_s=int(link.rate_kbit * 125) if throttle else 0
    )
    figures: dict[str, Any] = {"bundle_bytes": lease.size_bytes, "cut_every_bytes": cut}
    admin.set_faults(plain)
    figures["uncut_curl"] = curl_loop(
        url, client.token, lease, folder / "uncut.zip", link, resume=False, attempts=1
    )
    admin.set_faults(plain.model_copy(update={"cut_every_bytes": cut}))
    figures["ouvrage"] = ours(client, lease, folder / "ours.zip", link)
    figures["curl_continue_at"] = curl_loop(
        url, client.token, lease, folder / "curl.zip", link, resume=True, attempts=1000
    )
    figures["restart_from_zero"] = curl_loop(
        url, client.token, lease, folder / "restart.zip", link,
        resume=False, attempts=figures["ouvrage"]["attempts"],
    )  # fmt: skip
    # Cuts at random places instead, one every `cut` bytes on average: starting over needs
    # cut * (e^(size/cut) - 1) bytes on average; resuming needs the size (and a request a cut).
    ratio = lease.size_bytes / cut
    figures["restart_expected_bytes_random_cuts"] = (
        cut * math.expm1(ratio) if ratio < 700 else math.inf
    )
    admin.clear_faults()
    return figures


# --- (b) uploads -------------------------------------------------------------------------


def prepare_uploads(admin: Any, folder: Path, tasks: int) -> Any:
    """Publish a bundle of ``tasks`` one-segment translation tasks and import the same file
    into a fresh profile (no download: the link is for the results); returns its store."""
    from app.importer import import_bundle_file
    from app.profile import Profile
    from app.store import Store
    from taskkinds import default_registry
    from tests.factories import translation_bundle

    bundle = translation_bundle(
        folder / "results.zip", bundle_id="poor-link-results", tasks=tasks, segments=1,
        reward_per_task=Decimal("0.01"),
    )  # fmt: skip
    admin.publish_file(bundle)
    profile = Profile(folder / "profile").ensure()
    store = Store(profile.db_path)
    import_bundle_file(store, profile, bundle, default_registry())
    return store


class Recorder:
    """Wraps a ``ServerClient``'s calls to time them and size their JSON: plain, gzipped
    here for comparison, and as the bodies really went over the wire (``*_wire``)."""

    NAMES = ("config", "catalogue", "submit", "earnings", "qualifications", "accuracy")

    def __init__(self, client: Any, link: Link) -> None:
        self.client = client
        self.link = link
        self.calls: list[dict[str, Any]] = []
        self.originals = {n: getattr(client, n) for n in self.NAMES if hasattr(client, n)}
        for name, original in self.originals.items():
            setattr(client, name, self._wrapped(name, original))

    def _wrapped(self, name: str, original: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            sent = args[0].model_dump_json().encode() if name == "submit" else b""
            wire_sent = self.client.body_bytes_sent
            wire_received = self.client.body_bytes_received
            started = time.perf_counter()
            answer = original(*args, **kwargs)
            ended = time.perf_counter()
            received = answer.model_dump_json().encode()
            self.calls.append(
                {
                    "name": name,
                    "seconds": ended - started,
                    "ended": ended,
                    "sent": len(sent),
                    "sent_gzip": len(gzip.compress(sent)) if sent else 0,
                    "sent_wire": self.client.body_bytes_sent - wire_sent,
                    "received": len(received),
                    "received_gzip": len(gzip.compress(received)),
                    "received_wire": self.client.body_bytes_received - wire_received,
                    "link_after": self.link.counters(),
                }  # fmt: skip
            )
            return answer

        return call

    def of(self, name: str) -> list[dict[str, Any]]:
        return [call for call in self.calls if call["name"] == name]

    def restore(self) -> None:
        for name in self.originals:
            delattr(self.client, name)  # the class's method shows through again


def bench_uploads(
    link: Link, admin: Any, client: Any, store: Any, results: int, delay_ms: float
) -> dict[str, Any]:
    from app.sync_adapter import StoreSync
    from bench.sync import _results_for
    from sync.engine import sync_once
    from sync.protocol import ResultBatch, ResultItem
    from sync.protocol_admin import FaultSettings

    client.claim("poor-link-results")
    keys = [row.id for row in store.tasks(bundle_id="poor-link-results")]
    batched_keys, sample_keys = keys[:results], keys[results:]
    _results_for(store, batched_keys)
    throttle = link.mode == "throttle"
    admin.set_faults(
        FaultSettings(
            latency_ms=delay_ms,
            bandwidth_bytes_per_s=int(link.rate_kbit * 125) if throttle else 0,
        )
    )
    calls = Recorder(client, link)
    before_requests, before_link = client.requests_sent, link.counters()
    started = time.perf_counter()
    report = sync_once(client, StoreSync(store))
    batched_s = time.perf_counter() - started
    submits = calls.of("submit")
    batched = {
        "seconds": batched_s,
        # Until the last batch is acknowledged: what one request per result is compared with.
        "upload_seconds": max(call["ended"] for call in submits) - started,
        "requests": client.requests_sent - before_requests,
        "result_requests": len(submits),
        "accepted": report.accepted,
        "errors": report.errors,
        "body_bytes": sum(call["sent"] for call in submits),
        "body_bytes_gzip": sum(call["sent_gzip"] for call in submits),
        "body_wire_bytes": sum(call["sent_wire"] for call in submits),
        "acks_bytes": sum(call["received"] for call in submits),
        "acks_bytes_gzip": sum(call["received_gzip"] for call in submits),
        "acks_wire_bytes": sum(call["received_wire"] for call in submits),
        "earnings_seconds": sum(call["seconds"] for call in calls.of("earnings")),
        "earnings_bytes": sum(call["received"] for call in calls.of("earnings")),
        "earnings_bytes_gzip": sum(call["received_gzip"] for call in calls.of("earnings")),
        "earnings_wire_bytes": sum(call["received_wire"] for call in calls.of("earnings")),
        "catalogue_bytes": sum(call["received"] for call in calls.of("catalogue")),
        "catalogue_wire_bytes": sum(call["received_wire"] for call in calls.of("catalogue")),
        "link_bytes": _link_bytes(link, before_link),
        "upload_link_bytes": _between(before_link, submits[-1]["link_after"]),
        "calls": [
            {k: v for k, v in call.items() if k not in ("ended", "link_after")}
            for call in calls.calls
        ],
    }
    calls.calls.clear()
    before_requests, before_link = client.requests_sent, link.counters()
    started = time.perf_counter()
    for key in sample_keys:
        task = store.task(key)
        targets = {s["id"]: s["source"] for s in task["payload"]["segments"]}
        item = ResultItem(
            idempotency_key=uuid.uuid4(), bundle_id=task["bundle_id"], task_id=task["task_id"],
            kind=task["kind"], result={"version": 1, "targets": targets},
            submitted_at=datetime.now(UTC),
        )  # fmt: skip
        client.submit(ResultBatch(results=[item]))
    single_s = time.perf_counter() - started
    link_bytes = _link_bytes(link, before_link)
    scale = results / max(1, len(sample_keys))
    one_each = {
        "sample": len(sample_keys),
        "seconds_scaled": single_s * scale,
        "requests_scaled": round((client.requests_sent - before_requests) * scale),
        "body_bytes_scaled": sum(call["sent"] for call in calls.of("submit")) * scale,
        "body_wire_bytes_scaled": sum(call["sent_wire"] for call in calls.of("submit")) * scale,
        "link_bytes_scaled": link_bytes * scale if link_bytes is not None else None,
    }
    calls.restore()
    admin.clear_faults()
    return {"results": results, "batched": batched, "one_per_result": one_each}


# --- the report --------------------------------------------------------------------------


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    d, u = result["download"], result["upload"]
    ours_d, curl_d, zero_d = d["ouvrage"], d["curl_continue_at"], d["restart_from_zero"]
    kib = d["bundle_bytes"] / 1024
    rows = [
        {
            "figure": f"download of {kib:.0f} KiB cut every {d['cut_every_bytes'] // 1024} KiB: "
            f"Ouvrage (resumes: {ours_d['attempts']} requests, "
            f"{ours_d['backoff_seconds']:.1f} s of back-off)",
            "value": ours_d["seconds"], "unit": "s",
            "baseline": curl_d["seconds"], "baseline_label": "curl --continue-at - loop",
            "ratio": ours_d["seconds"] / curl_d["seconds"],
            "goal": "finishes, ≈ curl", "met": bool(ours_d["finished"]),
        },
        {
            "figure": "  body bytes received (Ouvrage)",
            "value": ours_d["body_bytes"] / 1024, "unit": "KiB",
            "baseline": curl_d["body_bytes"] / 1024, "baseline_label": "curl --continue-at -",
            "ratio": ours_d["body_bytes"] / max(1, curl_d["body_bytes"]),
        },
    ]  # fmt: skip
    if ours_d["link_bytes"] is not None:
        rows.append(
            {
                "figure": "  bytes on the link, both ways (Ouvrage)",
                "value": ours_d["link_bytes"] / 1024,
                "unit": "KiB",
                "baseline": curl_d["link_bytes"] / 1024,
                "baseline_label": "curl --continue-at -",
                "ratio": ours_d["link_bytes"] / max(1, curl_d["link_bytes"]),
            }  # fmt: skip
        )
    rows += [
        {
            "figure": f"  restart from zero, {zero_d['attempts']} attempts: "
            + ("finished" if zero_d["finished"] else "never finishes (each attempt is cut)"),
            "value": zero_d["seconds"], "unit": "s",
            "baseline": ours_d["seconds"], "baseline_label": "Ouvrage",
            "ratio": zero_d["seconds"] / ours_d["seconds"],
        },
        {
            "figure": "  uncut download of the same bundle (the link's own time)",
            "value": d["uncut_curl"]["seconds"], "unit": "s",
            "baseline": ours_d["seconds"], "baseline_label": "Ouvrage, cut",
            "ratio": d["uncut_curl"]["seconds"] / ours_d["seconds"],
        },
        {
            "figure": "  restart from zero with random cuts (1 per 64 KiB on average), expected",
            "value": d["restart_expected_bytes_random_cuts"] / 2**20, "unit": "MiB",
            "baseline": kib / 1024, "baseline_label": "bundle (resuming)",
            "ratio": d["restart_expected_bytes_random_cuts"] / d["bundle_bytes"],
        },
    ]  # fmt: skip
    b, one = u["batched"], u["one_per_result"]
    speedup = one["seconds_scaled"] / b["upload_seconds"]
    wire = b["body_wire_bytes"] + b["acks_wire_bytes"] + b["earnings_wire_bytes"]
    plain = b["body_bytes"] + b["acks_bytes"] + b["earnings_bytes"]
    rows += [
        {
            "figure": f"{u['results']:,} results uploaded, batched ({b['result_requests']} "
            "requests of results), until the last is acknowledged",
            "value": b["upload_seconds"], "unit": "s",
            "baseline": one["seconds_scaled"],
            "baseline_label": f"one request per result (scaled from {one['sample']})",
            "ratio": b["upload_seconds"] / one["seconds_scaled"],
            "goal": f"≥ {GOAL_UPLOAD_SPEEDUP:g}× faster", "met": speedup >= GOAL_UPLOAD_SPEEDUP,
        },
        {
            "figure": "  result bodies sent on the wire (gzip over 1 KiB)",
            "value": b["body_wire_bytes"] / 1024, "unit": "KiB",
            "baseline": one["body_wire_bytes_scaled"] / 1024, "baseline_label": "one per result",
            "ratio": b["body_wire_bytes"] / one["body_wire_bytes_scaled"],
        },
        {
            "figure": "  the result JSON they carry",
            "value": b["body_bytes"] / 1024, "unit": "KiB",
            "baseline": one["body_bytes_scaled"] / 1024, "baseline_label": "one per result",
            "ratio": b["body_bytes"] / one["body_bytes_scaled"],
        },
    ]  # fmt: skip
    if b["upload_link_bytes"] is not None and one["link_bytes_scaled"]:
        rows.append(
            {
                "figure": "  bytes on the link, both ways, until the last acknowledgement",
                "value": b["upload_link_bytes"] / 1024,
                "unit": "KiB",
                "baseline": one["link_bytes_scaled"] / 1024,
                "baseline_label": "one per result",
                "ratio": b["upload_link_bytes"] / one["link_bytes_scaled"],
            }  # fmt: skip
        )
    rows += [
        {
            "figure": f"  the whole sync pass ({b['requests']} requests: config, results, "
            "catalogue, earnings…)",
            "value": b["seconds"], "unit": "s",
            "baseline": one["seconds_scaled"], "baseline_label": "one per result",
            "ratio": b["seconds"] / one["seconds_scaled"],
        },
        {
            "figure": "  of which pulling the new earnings entries",
            "value": b["earnings_seconds"], "unit": "s",
        },
        {
            "figure": "  bodies on the wire in the pass (results, acks, earnings)",
            "value": wire / 1024, "unit": "KiB",
            "baseline": plain / 1024, "baseline_label": "the JSON they carry, uncompressed",
            "ratio": wire / max(1, plain),
        },
    ]  # fmt: skip
    for name in ("catalogue", "earnings"):
        if b[f"{name}_bytes"]:
            rows.append(
                {
                    "figure": f"  the {name} answers of the pass on the wire",
                    "value": b[f"{name}_wire_bytes"] / 1024,
                    "unit": "KiB",
                    "baseline": b[f"{name}_bytes"] / 1024,
                    "baseline_label": "uncompressed JSON",
                    "ratio": b[f"{name}_wire_bytes"] / b[f"{name}_bytes"],
                }  # fmt: skip
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("auto", "netns", "throttle"), default="auto")
    parser.add_argument("--rate-kbit", type=float, default=256.0)
    parser.add_argument("--loss-percent", type=float, default=2.0)
    parser.add_argument("--delay-ms", type=float, default=200.0, help="added to every answer")
    parser.add_argument("--bundle-kib", type=int, default=512)
    parser.add_argument("--cut-kib", type=int, default=64)
    parser.add_argument("--results", type=int, default=5_000)
    parser.add_argument("--sample", type=int, default=40, help="results sent one per request")
    parser.add_argument("--quick", action="store_true", help="256 KiB, 1,000 results, 15 sent")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.bundle_kib, args.results, args.sample = 256, 1_000, 15
    if shutil.which("curl") is None:
        sys.exit("curl is needed for the baselines (Debian package curl)")

    from mockserver.admin_client import AdminClient
    from sync.client import ServerClient

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-link-") as tmp:
        folder = Path(tmp)
        bundle = photo_bundle(folder / "photos.zip", args.bundle_kib * 1024)
        with poor_link(args.mode, args.rate_kbit, args.loss_percent) as link:
            token = secrets.token_hex(16)
            server = start_server(link, folder / "server", token, folder / "server.log")
            admin = AdminClient(link.url, token, timeout=120)
            client = ServerClient(link.url, timeout=(10.0, 60.0))
            try:
                admin.publish_file(bundle)
                store = prepare_uploads(admin, folder, args.results + args.sample)
                client.sign_in("demo", "demo")
                link.shape()
                download = bench_downloads(
                    link, admin, client, bundle, folder, args.cut_kib * 1024, args.delay_ms
                )
                upload = bench_uploads(link, admin, client, store, args.results, args.delay_ms)
                store.close()
            finally:
                client.close()
                admin.close()
                stop_server(server)

    result: dict[str, Any] = {
        "benchmark": "poor_link",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "link": {
            "mode": link.mode,
            "description": link.description,
            "rate_kbit_s": args.rate_kbit,
            "loss_percent": args.loss_percent if link.mode == "netns" else 0.0,
            "delay_ms_per_answer": args.delay_ms,
        },
        "quick": args.quick,
        "seconds": time.perf_counter() - started,
        "download": download,
        "upload": upload,
        "goals": {"upload_speedup": GOAL_UPLOAD_SPEEDUP},
    }
    result["rows"] = rows_of(result)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
        return
    print(f"machine: {result['machine']}")
    print(f"link: {link.description}; {args.delay_ms:g} ms added to every answer")
    for r in result["rows"]:
        base = f"{r['baseline']:10.1f}" if "baseline" in r else f"{'':10}"
        ratio = f"{r['ratio']:7.2f}" if "ratio" in r else f"{'':7}"
        met = "" if "met" not in r else ("  met" if r["met"] else "  NOT MET")
        print(f"  {r['figure'][:78]:<78} {r['value']:9.1f} {r['unit']:<4}{base} {ratio}  "
              f"{r.get('baseline_label', '')}{met}")  # fmt: skip
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
