"""Run every benchmark in ``bench/`` and write ``bench/REPORT.md``.

Each script runs as its own process with ``--json`` (and its quick options with
``--quick``), one after the other so they do not share the CPU, each with a timeout; a
script that fails or times out is reported, not fatal. The report gives the machine, a
table per script (figure, value, baseline measured in the same run, ratio, goal, met) and
every goal of the issues so far (``bench/goals.py``).

    python -m bench [SCRIPT ...] [--quick] [--skip SCRIPT ...] [--timeout S] [--report PATH]
    python -m bench --list
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.goals import judge_all  # noqa: E402
from bench.report import Run, machine, render  # noqa: E402

BENCH = Path(__file__).resolve().parent
ORDER = (
    "startup", "startup_memory", "sync", "poor_link", "data_efficiency", "photo_clip",
    "photo_clip_core", "photo_clip_drag", "transcription", "translation", "earnings",
)  # fmt: skip
# What --quick passes to each script; a script not listed gets --quick if its --help has it.
QUICK_ARGS: dict[str, list[str]] = {
    "startup": ["--runs", "3"],
    "startup_memory": ["--quick"],
    "sync": ["--results", "2000", "--sample", "30"],
    "poor_link": ["--quick"],
    "data_efficiency": ["--quick"],
    "photo_clip": ["--runs", "1"],
    "photo_clip_core": ["--runs", "2"],
    "photo_clip_drag": ["--moves", "200"],
    "transcription": ["--minutes", "10", "--runs", "2", "--presses", "10"],
    "translation": ["--entries", "30000", "--segments", "100", "--typed", "10"],
    "earnings": ["--runs", "2"],
}
TIMEOUT_S = {"poor_link": 1800.0}  # the shaped link is slow by design
KILL_GRACE_S = 15.0


def scripts() -> list[str]:
    """The benchmark scripts in ``bench/``: modules with a ``__main__`` guard, in run order."""
    found = [
        path.stem
        for path in BENCH.glob("*.py")
        if path.stem != "__main__"
        and 'if __name__ == "__main__":' in path.read_text(encoding="utf-8")
    ]
    ranked = {name: index for index, name in enumerate(ORDER)}
    return sorted(found, key=lambda name: (ranked.get(name, len(ORDER)), name))


def quick_args(name: str) -> list[str]:
    if name in QUICK_ARGS:
        return QUICK_ARGS[name]
    helped = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--help"],
        capture_output=True, text=True, timeout=60, cwd=ROOT, env=environment(),
    )  # fmt: skip
    return ["--quick"] if "--quick" in helped.stdout else []


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def parse_json(stdout: str) -> dict[str, Any]:
    """The script's JSON: the whole output, or its last JSON object (a table may precede)."""
    text = stdout.strip()
    try:
        found = json.loads(text)
    except ValueError:
        found = None
        lines = text.splitlines()
        for start in range(len(lines) - 1, -1, -1):
            if lines[start].startswith("{"):
                try:
                    found = json.loads("\n".join(lines[start:]))
                    break
                except ValueError:
                    continue
    if not isinstance(found, dict):
        raise ValueError("no JSON object in its output")
    return found


def run_script(name: str, extra: list[str], timeout: float) -> Run:
    command = [sys.executable, "-m", f"bench.{name}", "--json", *extra]
    shown = ["python", "-m", f"bench.{name}", "--json", *extra]
    run = Run(name=name, command=shown, args=extra)
    started = time.perf_counter()
    # Its own session, so a timeout ends the script and everything it started.
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=environment(), start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        run.timed_out = True
        stdout, stderr = stop(proc)
    run.seconds = time.perf_counter() - started
    run.returncode = proc.returncode
    run.stderr_tail = "\n".join(stderr.strip().splitlines()[-15:])
    if run.timed_out:
        run.error = f"timed out after {timeout:.0f} s"
        return run
    if proc.returncode != 0:
        run.error = f"{exit_text(proc.returncode)}: {telling_line(stderr)[:300]}"
        return run
    try:
        run.data = parse_json(stdout)
    except ValueError as exc:
        run.error = str(exc)
    return run


def exit_text(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def telling_line(stderr: str) -> str:
    """The line of a failure's output that says most: a fatal error, an exception, or the last."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Fatal Python error"):
            return line
    for line in reversed(lines):
        head = line.split(":", 1)[0]
        if head.endswith(("Error", "Exception", "Exit")) and " " not in head:
            return line
    return lines[-1] if lines else ""


def stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGTERM to the script's process group (it cleans up), then SIGKILL after a grace."""
    for sig, wait in ((signal.SIGTERM, KILL_GRACE_S), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            return proc.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    return "", ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", help="scripts to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="each script's smaller sizes")
    parser.add_argument("--skip", nargs="*", default=[], metavar="SCRIPT")
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per script")
    parser.add_argument("--report", type=Path, default=BENCH / "REPORT.md")
    parser.add_argument("--list", action="store_true", help="list the scripts and exit")
    args = parser.parse_args()

    available = scripts()
    if args.list:
        print("\n".join(available))
        return 0
    unknown = sorted(set(args.scripts + args.skip) - set(available))
    if unknown:
        parser.error(f"no such benchmark: {', '.join(unknown)} (have {', '.join(available)})")
    chosen = [n for n in (args.scripts or available) if n not in args.skip]

    started = datetime.now(UTC)
    facts = machine()
    runs: list[Run] = []
    for index, name in enumerate(chosen, 1):
        extra = quick_args(name) if args.quick else []
        timeout = max(args.timeout, TIMEOUT_S.get(name, 0.0))
        print(f"[{index}/{len(chosen)}] {name} {' '.join(extra)}".rstrip() + " …",
              file=sys.stderr, flush=True)  # fmt: skip
        run = run_script(name, extra, timeout)
        runs.append(run)
        outcome = "ok" if run.ok else f"FAILED ({run.error})"
        print(f"    {outcome} in {run.seconds:.0f} s", file=sys.stderr, flush=True)

    if hasattr(os, "getloadavg"):
        facts["load average at the end (1/5/15 min)"] = " / ".join(
            f"{x:.2f}" for x in os.getloadavg()
        )
    data = {run.name: run.data for run in runs if run.ok and run.data is not None}
    failed = {run.name: run.error or "failed" for run in runs if not run.ok}
    goals = judge_all(data, {run.name: run.args for run in runs}, failed)
    command = "python -m bench" + (" --quick" if args.quick else "")
    if args.scripts:
        command += " " + " ".join(args.scripts)
    text = render(runs, facts, goals, quick=args.quick, started=started, command=command)
    args.report.write_text(text, encoding="utf-8")
    met = sum(1 for g in goals if g["status"] == "met")
    print(f"wrote {args.report}: {len(runs) - len(failed)} of {len(runs)} scripts ran, "
          f"{met} of {len(goals)} goals met", file=sys.stderr)  # fmt: skip
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
