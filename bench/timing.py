"""Timing helpers the benchmark scripts share: in-process medians and timed child processes."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def median_time(action: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``runs`` calls of ``action``, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm_time(action: Callable[[], Any], runs: int) -> float:
    """``median_time`` after one warm-up call (imports, caches)."""
    action()
    return median_time(action, runs)


def compile_project() -> None:
    """Byte-compile the project as an install does: this machine may set
    PYTHONDONTWRITEBYTECODE, and compiling every module at each start is not what users pay."""
    import compileall

    for package in ("app", "taskkinds", "widgets", "sync", "mockserver"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def spawn_marked(
    args: list[str], marks: tuple[str, ...], *, values: tuple[str, ...] = ()
) -> dict[str, float]:
    """Run ``args`` (offscreen Qt, the project on the path) and return the seconds from
    spawn to each line it prints that is one of ``marks``, and the number after each word
    of ``values`` (``peak_kib 123``). Raises ``RuntimeError`` when it fails or misses one."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        word, _, value = line.strip().partition(" ")
        if word in values:
            seen[word] = float(value)
        elif word in marks:
            seen[word] = time.perf_counter() - start
    _, errors = proc.communicate(timeout=120)
    missing = {*marks, *values} - set(seen)
    if proc.returncode != 0 or missing:
        tail = " | ".join(errors.strip().splitlines()[-3:])
        raise RuntimeError(f"{args[:3]} exited {proc.returncode}, missing {missing}: {tail}")
    return seen
