"""Crash: a contributor's process killed with SIGKILL at random moments, again and again.

``crash_worker`` types, submits, syncs and downloads against a real mock server
(on loopback in this process, with some faults, so it outlives every kill).
After each kill the profile is opened as the application opens it, and:
no submitted result is lost, none is counted twice on the server (the admin
view, results per idempotency key and per task), typing older than a second
is saved, ``PRAGMA integrity_check`` says ok, and every file in the profile is
accounted for (a ``.part`` only for a download still to finish). At the end
the worker runs once more without being killed and must deliver everything.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.profile import Profile
from app.store import Store
from mockserver.testing import ServerHandle, running_server
from sync.protocol_admin import FaultSettings
from tests.factories import translation_bundle, translation_task
from tests.reliability.common import CampaignResult, timed

ROOT = Path(__file__).resolve().parents[2]
DRAFT_AGE_LIMIT_S = 1.0
TASKS_PER_BUNDLE = 30
NOISE_BYTES = 1_000_000  # each bundle carries this much media, so downloads take a while
FAULTS = FaultSettings(
    error_probability=0.05,
    retry_after_s=0,
    cut_probability=0.05,
    cut_after_bytes=300,
    cut_every_bytes=256 * 1024,
    drop_probability=0.1,
    malformed_probability=0.03,
    bandwidth_bytes_per_s=1_000_000,
    latency_ms=40,  # a pass takes a while, so some kills land in the middle of one
)


@dataclass
class Ledger:
    """What the campaign knows across lives: every submission the worker saw committed."""

    submitted: dict[str, str] = field(default_factory=dict)  # uuid → task key
    phases: Counter[str] = field(default_factory=Counter)
    worst_unsaved_s: float = 0.0
    parts_at_kill: int = 0


def read_log(path: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    if not path.exists():
        return entries
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            break  # the last line may be cut by the kill
    return entries


def _worker(profile: Path, log: Path, url: str, seed: int, mode: str, bundles: list[str]) -> Any:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.crash_worker", str(profile), str(log), url,
         str(seed), mode, ",".join(bundles)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def _run_and_kill(
    profile: Path, log: Path, url: str, seed: int, bundles: list[str], rng: random.Random
) -> float | None:
    """Start the worker, let it work a random while, SIGKILL it; the time of the kill."""
    proc = _worker(profile, log, url, seed, "work", bundles)
    try:
        deadline = time.monotonic() + 60
        while not any(e["kind"] == "ready" for e in read_log(log)):
            if proc.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(0.02)
        time.sleep(rng.uniform(0.05, 2.0))
        if proc.poll() is not None:
            return None
        killed_at = time.time()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return killed_at
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()


# --- checks after each life ----------------------------------------------------------------


def _check_typing(
    result: CampaignResult, ledger: Ledger, store: Store, entries: list[dict[str, Any]], at: float
) -> None:
    """Typing older than a second before the kill is in the database."""
    typed: dict[str, list[tuple[float, str]]] = {}
    for entry in entries:
        if entry["kind"] in ("typed", "opened"):
            typed.setdefault(entry["key"], []).append((entry["t"], entry["text"]))
    for key, history in typed.items():
        draft = store.draft(key)
        sent = store.submitted_result(key)
        saved = (sent or draft or {}).get("targets", {}).get("s1", "")
        old = [text for t, text in history if t <= at - DRAFT_AGE_LIMIT_S]
        if old and not saved.startswith(old[-1]):
            result.lost += 1
            result.fail(f"{key}: typing older than {DRAFT_AGE_LIMIT_S} s was lost")
        unsaved = [t for t, text in history if len(text) > len(saved)]
        if unsaved:
            ledger.worst_unsaved_s = max(ledger.worst_unsaved_s, at - unsaved[0])


def _check_outbox(result: CampaignResult, ledger: Ledger, store: Store) -> set[str]:
    rows = store.outbox()
    per_task = Counter(row.task_id for row in rows)
    twice = [task for task, n in per_task.items() if n > 1]
    if twice:
        result.duplicated += len(twice)
        result.fail(f"tasks queued twice: {twice[:3]}")
    local = {row.uuid for row in rows}
    missing = [key for key in ledger.submitted if key not in local]
    if missing:
        result.lost += len(missing)
        result.fail(f"{len(missing)} submitted results lost, e.g. {missing[0]}")
    return local


def _check_server(result: CampaignResult, server: ServerHandle, local: set[str]) -> None:
    stored = server.admin.results("demo")
    by_key = Counter(str(r.idempotency_key) for r in stored)
    by_task = Counter((r.bundle_id, r.task_id) for r in stored if r.status == "accepted")
    paid = Counter(str(e.idempotency_key) for e in server.admin.ledger("demo") if e.idempotency_key)
    doubles = (
        sum(n - 1 for n in by_key.values() if n > 1)
        + sum(n - 1 for n in by_task.values() if n > 1)
        + sum(n - 1 for n in paid.values() if n > 1)
    )
    strangers = [key for key in by_key if key not in local]
    if doubles or strangers:
        result.duplicated += doubles + len(strangers)
        result.fail(f"counted twice on the server: {doubles}, unknown here: {strangers[:3]}")
    rejected = [r for r in stored if r.status != "accepted"]
    if rejected:
        result.fail(f"{len(rejected)} results rejected, e.g. {rejected[0].message}")


def unaccounted_files(profile: Profile, store: Store) -> list[str]:
    """Files in the profile that nothing in the database explains."""
    leases = {row["bundle_id"]: row["state"] for row in store.leases()}
    waiting = {b for b, state in leases.items() if state in ("claimed", "downloading")}
    bundles = {b["id"] for b in store.bundles()}
    stray = []
    for path in sorted(profile.root.rglob("*")):
        parts = path.relative_to(profile.root).parts
        top = parts[0]
        if top.startswith("ouvrage.sqlite3") or top == "private" or len(parts) == 1:
            continue
        if top == "bundles" and (parts[1] in bundles or parts[1] in waiting):
            continue
        if top == "downloads":
            bundle_id = parts[1].split(".zip")[0]
            if bundle_id in waiting and parts[1] in (
                f"{bundle_id}.zip", f"{bundle_id}.zip.part", f"{bundle_id}.zip.part.json"
            ):  # fmt: skip
                continue
        stray.append("/".join(parts))
    return stray


def _check_life(
    result: CampaignResult,
    ledger: Ledger,
    server: ServerHandle,
    root: Path,
    entries: list[dict[str, Any]],
    killed_at: float,
) -> None:
    for entry in entries:
        if entry["kind"] == "submitted":
            ledger.submitted[entry["uuid"]] = entry["key"]
    phases = [e["phase"] for e in entries if e["kind"] == "phase"]
    ledger.phases[phases[-1] if phases else "starting"] += 1
    ledger.parts_at_kill += any((root / "downloads").glob("*.part"))
    profile = Profile(root).ensure()  # as the application opens it again
    store = Store(profile.db_path)
    try:
        if store.integrity_check() != "ok":
            result.fail("PRAGMA integrity_check failed after a kill")
        _check_typing(result, ledger, store, entries, killed_at)
        local = _check_outbox(result, ledger, store)
        _check_server(result, server, local)
        stray = unaccounted_files(profile, store)
        if stray:
            result.leaked += len(stray)
            result.fail(f"files nothing accounts for: {stray[:5]}")
    finally:
        store.close()


def _final(result: CampaignResult, ledger: Ledger, server: ServerHandle, root: Path) -> None:
    """Everything submitted reaches the server once; earnings agree; nothing is left over."""
    server.admin.approve(contributor_id="demo", all_pending=True)
    profile = Profile(root).ensure()
    store = Store(profile.db_path)
    try:
        local = _check_outbox(result, ledger, store)
        _check_server(result, server, local)
        stored = {str(r.idempotency_key) for r in server.admin.results("demo")}
        never = [key for key in local if key not in stored]
        if never:
            result.lost += len(never)
            result.fail(f"{len(never)} results never reached the server")
        if store.pending_count():
            result.fail(f"{store.pending_count()} results still queued at the end")
        leftovers = [p.name for p in (root / "downloads").glob("*")] + unaccounted_files(
            profile, store
        )
        if leftovers:
            result.leaked += len(leftovers)
            result.fail(f"files left at the end: {leftovers[:5]}")
        server_total = sum((e.amount for e in server.admin.ledger("demo")), Decimal(0))
        result.figures["results delivered"] = len(stored)
        result.figures["earnings on the server"] = f"{server_total} EUR"
    finally:
        store.close()


# --- the campaign --------------------------------------------------------------------------


def _publish(server: ServerHandle, folder: Path, count: int) -> list[str]:
    ids = []
    for n in range(count):
        tasks = [translation_task(i, 1) for i in range(TASKS_PER_BUNDLE)]
        tasks[0]["media"] = ["noise.txt"]
        path = translation_bundle(
            folder / f"crash-{n}.zip", bundle_id=f"crash-{n}", tasks=tasks,
            media={"noise.txt": random.Random(n).randbytes(NOISE_BYTES)},
            reward_per_task=Decimal("0.02"),
        )  # fmt: skip
        server.admin.publish_file(path)
        ids.append(f"crash-{n}")
    return ids


def run_crash_campaign(kills: int = 200, seed: int = 1129) -> CampaignResult:
    """``kills`` lives of the worker, each ended by SIGKILL, then one that finishes."""
    result = CampaignResult(
        "crash", "Crash: SIGKILL at random moments while typing, submitting, syncing, downloading"
    )
    rng = random.Random(seed)
    ledger = Ledger()
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-crash-") as tmp:
        work = Path(tmp)
        profile = work / "profile"
        with running_server(
            work / "server", publish_demo=False, rotation=0, seed=seed, largest_batch=500
        ) as server:
            bundles = _publish(server, work / "zips", 3 + kills // 4)
            server.admin.set_faults(FAULTS)
            for life in range(kills):
                log = work / f"life-{life}.jsonl"
                killed_at = _run_and_kill(profile, log, server.url, seed + life, bundles, rng)
                entries = read_log(log)
                if killed_at is None:
                    result.fail(f"life {life}: the worker died or never got ready")
                    continue
                result.trials += 1
                _check_life(result, ledger, server, profile, entries, killed_at)
            server.admin.clear_faults()
            log = work / "finish.jsonl"
            done = _worker(profile, log, server.url, seed, "finish", bundles)
            _, errors = done.communicate(timeout=300)
            if done.returncode != 0:
                result.fail(f"the last run could not finish: {errors.decode()[-300:]}")
            _final(result, ledger, server, profile)
    for phase, n in sorted(ledger.phases.items()):
        result.tried[f"killed while {phase}"] += n
    result.figures["submissions confirmed before a kill"] = len(ledger.submitted)
    result.figures["kills with a half-done download in the profile"] = ledger.parts_at_kill
    result.figures["worst unsaved typing at a kill (s)"] = round(ledger.worst_unsaved_s, 2)
    return result
