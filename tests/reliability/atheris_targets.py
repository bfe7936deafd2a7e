"""Coverage-guided fuzzing with atheris (optional: ``pip install atheris``).

    python -m tests.reliability.atheris_targets TARGET -runs=N

TARGET is ``manifest``, ``protocol`` or ``results``. Each target lets the
parser's documented refusals pass and lets anything else escape, which atheris
reports as a crash (exit status non-zero). ``run_atheris`` runs every target in
a subprocess and returns what they found.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ("manifest", "protocol", "results")


def available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def run_atheris(runs: int) -> dict[str, dict[str, Any]]:
    """Each target for ``runs`` inputs in its own process: runs done and crash found."""
    found = {}
    for target in TARGETS:
        done = subprocess.run(
            [sys.executable, "-m", "tests.reliability.atheris_targets", target, f"-runs={runs}"],
            capture_output=True, text=True, cwd=ROOT, timeout=1800,
        )  # fmt: skip
        ran = re.findall(r"Done (\d+) runs", done.stderr)
        crash = re.search(r"=== Uncaught Python exception: ===\n(.*)", done.stderr)
        found[target] = {
            "runs": int(ran[-1]) if ran else 0,
            "crash": crash.group(1).strip() if crash else None,
            "status": done.returncode,
        }
    return found


def _main() -> None:
    import atheris

    target = sys.argv.pop(1)
    with atheris.instrument_imports():
        from pydantic import BaseModel, ValidationError

        from sync.answers import parse_answer
        from sync.bundle import BundleError, _parse_manifest
        from sync.errors import MalformedAnswer
        from sync.manifest import DEFAULT_LIMITS
        from sync.protocol import (
            AccuracyReport,
            BatchResponse,
            Catalogue,
            EarningsPage,
            LeaseList,
            QualificationList,
            ServerConfig,
        )
        from taskkinds import default_registry

    kinds = ["translation", "transcription", "photo_clip"]
    models: list[type[BaseModel]] = [ServerConfig, Catalogue, LeaseList, BatchResponse]
    models += [EarningsPage, QualificationList, AccuracyReport]
    registry = default_registry()

    def manifest(data: bytes) -> None:
        with contextlib.suppress(BundleError):
            _parse_manifest(data, "fuzz.zip", kinds, DEFAULT_LIMITS)

    def protocol(data: bytes) -> None:
        if not data:
            return
        with contextlib.suppress(MalformedAnswer):
            parse_answer("tasks.example.org", data[1:], models[data[0] % len(models)])

    def results(data: bytes) -> None:
        if not data:
            return
        kind = registry.get(kinds[data[0] % len(kinds)])
        try:
            value = json.loads(data[1:].decode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            return
        with contextlib.suppress(ValidationError):
            kind.parse_result(value)

    chosen = {"manifest": manifest, "protocol": protocol, "results": results}[target]
    atheris.Setup(sys.argv, chosen)
    atheris.Fuzz()


if __name__ == "__main__":
    _main()
