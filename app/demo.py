"""The built-in demo bundles, built from the specs in ``resources/demo``.

``ouvrage --demo`` gets them the way real ones come: its embedded mock server
publishes them and the demo contributor claims them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sync.bundle import build_bundle

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"


def demo_specs() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.json"))


def demo_bundle_ids() -> tuple[str, ...]:
    """The bundle id of every demo spec, as the mock server first publishes them."""
    return tuple(json.loads(path.read_text(encoding="utf-8"))["bundle_id"] for path in demo_specs())


def build_demo_bundles(out_dir: Path) -> list[Path]:
    """Build every demo bundle into ``out_dir``; returns the zip paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        build_spec_bundle(json.loads(path.read_text(encoding="utf-8")), out_dir)
        for path in demo_specs()
    ]


def build_spec_bundle(
    spec: dict[str, Any],
    out_dir: Path,
    *,
    tasks: list[dict[str, Any]] | None = None,
    media: dict[str, Path | bytes] | None = None,
    out: Path | None = None,
) -> Path:
    """Build one demo spec's bundle into ``out_dir`` (or at ``out``), optionally with other
    ``tasks`` or ``media`` (the benchmarks compare formats that way)."""
    return build_bundle(
        out or out_dir / f"{spec['bundle_id']}.zip",
        bundle_id=spec["bundle_id"],
        kind=spec["kind"],
        title=spec["title"],
        instructions=spec.get("instructions", ""),
        reward_per_task=Decimal(spec["reward_per_task"]),
        currency=spec["currency"],
        estimated_minutes_per_task=spec.get("estimated_minutes_per_task"),
        tasks=spec["tasks"] if tasks is None else tasks,
        media=(
            {name: DEMO_DIR / file for name, file in spec.get("media", {}).items()}
            if media is None
            else media
        ),
    )
