"""The built-in demo: a fresh profile preloaded with bundles built from ``resources/demo``.

The demo bundles go through the same verifying importer as any other file.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import Store
from sync.bundle import build_bundle
from taskkinds import Registry

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"


def demo_specs() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.json"))


def demo_bundle_ids() -> tuple[str, ...]:
    """The bundle id of every demo spec, as the mock server first publishes them."""
    return tuple(json.loads(path.read_text(encoding="utf-8"))["bundle_id"] for path in demo_specs())


def build_demo_bundles(out_dir: Path) -> list[Path]:
    """Build every demo bundle into ``out_dir``; returns the zip paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for spec_path in demo_specs():
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        built.append(
            build_bundle(
                out_dir / f"{spec['bundle_id']}.zip",
                bundle_id=spec["bundle_id"],
                kind=spec["kind"],
                title=spec["title"],
                instructions=spec.get("instructions", ""),
                reward_per_task=Decimal(spec["reward_per_task"]),
                currency=spec["currency"],
                estimated_minutes_per_task=spec.get("estimated_minutes_per_task"),
                tasks=spec["tasks"],
                media={name: DEMO_DIR / file for name, file in spec.get("media", {}).items()},
            )
        )
    return built


def reset_demo_profile(root: Path, registry: Registry, *, keep: tuple[str, ...] = ()) -> Profile:
    """Wipe ``root`` (but the entries named in ``keep``) and fill it with the demo bundles."""
    if root.exists():
        for child in root.iterdir():
            if child.name in keep:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    profile = Profile(root).ensure()
    store = Store(profile.db_path)
    try:
        with tempfile.TemporaryDirectory(prefix="demo-", dir=profile.root) as tmp:
            for bundle in build_demo_bundles(Path(tmp)):
                import_bundle_file(store, profile, bundle, registry, source="demo")
        store.set_setting("profile.demo", True)
    finally:
        store.close()
    return profile
