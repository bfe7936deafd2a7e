"""Publishing bundles: uploaded zips, and the demo catalogue built from ``resources/demo``.

Every bundle, demo or uploaded, goes through the same checks a client applies
(``sync.bundle.read_manifest`` plus each task's payload model), so the mock
server never offers a bundle the application would refuse.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from mockserver.clock import from_timestamp
from mockserver.errors import ApiError
from mockserver.records import BundleRow, TaskRow
from sync.bundle import BundleError, Manifest, build_bundle, read_manifest
from sync.bundle_errors import summarize
from sync.protocol import CatalogueEntry, ErrorCode
from taskkinds import UnknownKind

if TYPE_CHECKING:
    from mockserver.state import ServerState

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
DEMO_DEADLINE = timedelta(days=14)
_DESCRIPTION_CHARS = 4_000


def demo_spec_paths() -> list[Path]:
    """The demo bundle specs, by file name."""
    return sorted(DEMO_DIR.glob("*.json"))


def load_demo_spec(name: str) -> dict[str, Any]:
    """The spec named by its file stem or its bundle id; raises ``ApiError`` 404 if none."""
    for path in demo_spec_paths():
        spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if name in (path.stem, spec.get("bundle_id")):
            return spec
    known = ", ".join(path.stem for path in demo_spec_paths()) or "none"
    raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no demo spec '{name}' (known: {known}).")


def publish_demo(state: ServerState, name: str | None, copies: int) -> list[CatalogueEntry]:
    """Build and publish a demo spec (every spec if ``name`` is None) ``copies`` times.

    The first copy keeps the spec's bundle id if it is free; the others get
    ``<id>-2``, ``<id>-3``… Deadlines are 14 days from the server clock.
    """
    if name is None:
        specs = [json.loads(path.read_text(encoding="utf-8")) for path in demo_spec_paths()]
    else:
        specs = [load_demo_spec(name)]
    published = []
    for spec in specs:
        for _ in range(copies):
            staging = state.bundles_dir / f".demo-{uuid.uuid4().hex}.zip"
            # The transaction keeps the chosen id free until it is published.
            with state.store.transaction():
                bundle_id = _free_bundle_id(state, spec["bundle_id"])
                number = bundle_id.removeprefix(spec["bundle_id"]).lstrip("-")
                title = spec["title"] if not number else f"{spec['title']} · {number}"
                build_bundle(
                    staging,
                    bundle_id=bundle_id,
                    kind=spec["kind"],
                    title=title[:200],
                    instructions=spec.get("instructions", ""),
                    reward_per_task=Decimal(spec["reward_per_task"]),
                    currency=spec["currency"],
                    estimated_minutes_per_task=spec.get("estimated_minutes_per_task"),
                    deadline=state.clock.now().replace(microsecond=0) + DEMO_DEADLINE,
                    tasks=spec["tasks"],
                    # Media files are named relative to resources/demo in the spec.
                    media={name: DEMO_DIR / file for name, file in spec.get("media", {}).items()},
                )
                try:
                    published.append(publish_archive(state, staging))
                finally:
                    staging.unlink(missing_ok=True)
    return published


def _free_bundle_id(state: ServerState, base: str) -> str:
    candidate, number = base, 1
    while state.store.bundle(candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def publish_archive(state: ServerState, zip_path: Path) -> CatalogueEntry:
    """Check a bundle zip, move it into the data dir and offer it; returns its entry.

    Raises ``ApiError``: 400 ``invalid_request`` if the bundle is damaged, of an
    unknown kind, has an invalid task payload or another currency than the
    server's; 409 if its bundle id is already published.
    """
    try:
        manifest = read_manifest(zip_path, known_kinds=state.registry.ids(), source="upload")
        kind = state.registry.get(manifest.kind)
    except (BundleError, UnknownKind) as exc:
        raise ApiError(400, ErrorCode.INVALID_REQUEST, str(exc)) from exc
    for task in manifest.tasks:
        try:
            kind.parse_payload(task.payload)
        except ValidationError as exc:
            message = f"Task '{task.id}' has an invalid payload: {summarize(exc)}."
            raise ApiError(400, ErrorCode.INVALID_REQUEST, message) from exc
    if manifest.currency != state.options.currency:
        message = f"This server pays in {state.options.currency}, not {manifest.currency}."
        raise ApiError(400, ErrorCode.INVALID_REQUEST, message)
    with open(zip_path, "rb") as stream:
        sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
    archive_name = f"{manifest.bundle_id}.zip"
    with state.store.transaction():  # two uploads of one id: the second gets 409
        if state.store.bundle(manifest.bundle_id) is not None:
            message = f"A bundle '{manifest.bundle_id}' is already published. Give it another id."
            raise ApiError(409, ErrorCode.INVALID_REQUEST, message)
        os.replace(zip_path, state.bundles_dir / archive_name)
        bundle = _bundle_row(state, manifest, archive_name, sha256)
        tasks = [
            TaskRow(
                bundle_id=manifest.bundle_id,
                task_id=task.id,
                position=position,
                reward=str(manifest.reward_for(task)),
                payload=json.dumps(task.payload, ensure_ascii=False),
            )
            for position, task in enumerate(manifest.tasks)
        ]
        state.store.add_bundle(bundle, tasks)
    return catalogue_entry(bundle, len(tasks))


def _bundle_row(
    state: ServerState, manifest: Manifest, archive_name: str, sha256: str
) -> BundleRow:
    return BundleRow(
        bundle_id=manifest.bundle_id,
        kind=manifest.kind,
        kind_version=manifest.kind_version,
        title=manifest.title,
        description=manifest.instructions[:_DESCRIPTION_CHARS],
        reward_per_task=str(manifest.reward_per_task),
        currency=manifest.currency,
        estimated_minutes=manifest.estimated_minutes_per_task,
        deadline=manifest.deadline.timestamp(),
        archive_name=archive_name,
        size_bytes=(state.bundles_dir / archive_name).stat().st_size,
        sha256=sha256,
        published_at=state.clock.timestamp(),
    )


def catalogue_entry(bundle: BundleRow, task_count: int) -> CatalogueEntry:
    return CatalogueEntry(
        bundle_id=bundle.bundle_id,
        kind=bundle.kind,
        kind_version=bundle.kind_version,
        title=bundle.title,
        description=bundle.description,
        task_count=task_count,
        reward_per_task=Decimal(bundle.reward_per_task),
        currency=bundle.currency,
        estimated_minutes_per_task=bundle.estimated_minutes,
        size_bytes=bundle.size_bytes,
        deadline=from_timestamp(bundle.deadline),
        qualification=None,
    )
