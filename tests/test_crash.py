"""Kill the real window with SIGKILL while it types and submits; nothing promised is lost."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import Store
from taskkinds import default_registry
from tests.factories import translation_bundle

ROOT = Path(__file__).resolve().parent.parent
CYCLES = int(os.environ.get("OUVRAGE_CRASH_CYCLES", "6"))
DRAFT_AGE_LIMIT_S = 1.0


def read_log(path: Path) -> list[dict[str, Any]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            break  # the last line may be cut by the kill
    return entries


def typed_chars(content: dict[str, Any] | None) -> int:
    return sum(len(text) for text in (content or {}).get("targets", {}).values())


def run_and_kill(profile: Path, log: Path, rng: random.Random) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_driver", str(profile), str(log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and sum(e["kind"] == "typed" for e in read_log(log)) >= 5:
                break
            assert proc.poll() is None, "the driver died on its own"
            time.sleep(0.05)
        else:
            pytest.fail("the driver never started typing")
        time.sleep(rng.uniform(0.5, 6.0))
        killed_at = time.time()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        return killed_at
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.mark.slow
def test_sigkill_loses_no_submitted_result_and_at_most_a_second_of_typing(tmp_path: Path) -> None:
    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    bundle = translation_bundle(tmp_path / "work.zip", bundle_id="b-crash", tasks=400, segments=3)
    import_bundle_file(store, profile, bundle, default_registry())
    store.close()
    rng = random.Random(20261129)
    confirmed: set[str] = set()
    submitted_total = 0

    for cycle in range(CYCLES):
        log = tmp_path / f"cycle-{cycle}.log"
        killed_at = run_and_kill(profile.root, log, rng)
        entries = read_log(log)
        confirmed |= {e["key"] for e in entries if e["kind"] == "submitted"}

        store = Store(profile.db_path)
        try:
            assert store.integrity_check() == "ok"
            outbox = store.outbox()
            per_task: dict[str, int] = {}
            for row in outbox:
                per_task[row.task_id] = per_task.get(row.task_id, 0) + 1
            assert all(n == 1 for n in per_task.values()), "a task was queued twice"
            assert confirmed <= set(per_task), "a confirmed submission was lost"
            submitted_total = len(outbox)

            # Everything typed more than a second before the kill is in the database.
            typed = [e for e in entries if e["kind"] in ("typed", "opened")]
            old_enough = [e for e in typed if e["t"] <= killed_at - DRAFT_AGE_LIMIT_S]
            if old_enough:
                last = old_enough[-1]
                key = last["key"]
                saved = store.draft(key) or store.submitted_result(key)
                assert typed_chars(saved) >= typed_chars(last["content"]), (
                    f"cycle {cycle}: {key} lost typing older than {DRAFT_AGE_LIMIT_S}s"
                )
            for row in store.tasks(bundle_id="b-crash"):
                if row.state in ("queued",):
                    assert store.draft(row.id) is None
        finally:
            store.close()
        leftovers = [p.name for p in profile.bundles_dir.iterdir() if p.name.startswith(".")]
        assert leftovers == []

    # The campaign did real work: several tasks went through submit across the kills.
    assert submitted_total >= 2
