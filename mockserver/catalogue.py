"""Publishing bundles: uploaded zips, and the demo catalogue built from ``resources/demo``.

Every bundle, demo or uploaded, goes through the same checks a client applies
(``sync.bundle.read_manifest`` plus each task's payload model), so the mock
server never offers a bundle the application would refuse. Demo bundles get
their gold questions here: about ``gold_rate`` of their tasks, chosen among
those whose answer the server keeps (``demo_data``); nothing in the archive
tells them apart.
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

from mockserver import demo_data, rules
from mockserver.clock import from_timestamp
from mockserver.demo_data import DEMO_DIR, demo_spec_paths
from mockserver.errors import ApiError
from mockserver.records import BundleRow, TaskRow
from sync.bundle import BundleError, Manifest, build_bundle, read_manifest
from sync.bundle_errors import summarize
from sync.protocol import CatalogueEntry, ErrorCode
from taskkinds import UnknownKind

if TYPE_CHECKING:
    from mockserver.state import ServerState

DEMO_DEADLINE = timedelta(days=14)
QUALIFIED_REWARD_FACTOR = Decimal("1.5")  # bundles that need a qualification pay more
_DESCRIPTION_CHARS = 4_000


def load_demo_spec(name: str) -> dict[str, Any]:
    """The spec named by its file stem or its bundle id; raises ``ApiError`` 404 if none."""
    for path in demo_spec_paths():
        spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if name in (path.stem, spec.get("bundle_id")):
            return spec
    known = ", ".join(path.stem for path in demo_spec_paths()) or "none"
    raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no demo spec '{name}' (known: {known}).")


def publish_demo_catalogue(state: ServerState) -> list[CatalogueEntry]:
    """The demo catalogue of a new data dir: ``demo_copies`` copies of every spec, then
    ``qualified_copies`` copies of each spec whose kind has a qualification, needing it."""
    options = state.options
    published = publish_demo(state, None, options.demo_copies)
    if options.qualified_copies:
        for path in demo_spec_paths():
            spec = json.loads(path.read_text(encoding="utf-8"))
            qualification = demo_data.qualification_for_kind(state.registry, spec["kind"])
            if qualification is not None:
                published += publish_demo(
                    state,
                    path.stem,
                    options.qualified_copies,
                    qualification=qualification.qualification_id,
                )
    return published


def publish_demo(
    state: ServerState, name: str | None, copies: int, *, qualification: str | None = None
) -> list[CatalogueEntry]:
    """Build and publish a demo spec (every spec if ``name`` is None) ``copies`` times.

    The first copy keeps the spec's bundle id if it is free; the others get
    ``<id>-2``, ``<id>-3``… Deadlines are 14 days from the server clock. With
    ``qualification`` the copies need it, pay ``QUALIFIED_REWARD_FACTOR`` times
    more and their ids end in ``-q``. Raises ``ApiError`` 404 for an unknown
    spec or qualification.
    """
    if qualification is not None and (
        demo_data.qualification_def(state.registry, qualification) is None
    ):
        raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no qualification '{qualification}'.")
    if name is None:
        specs = [json.loads(path.read_text(encoding="utf-8")) for path in demo_spec_paths()]
    else:
        specs = [load_demo_spec(name)]
    published = []
    for spec in specs:
        base = spec["bundle_id"] + ("-q" if qualification else "")
        reward = Decimal(spec["reward_per_task"])
        if qualification:
            reward *= QUALIFIED_REWARD_FACTOR
        golds = demo_data.checked_golds(spec["bundle_id"], spec["kind"], state.registry)
        for _ in range(copies):
            staging = state.bundles_dir / f".demo-{uuid.uuid4().hex}.zip"
            # The transaction keeps the chosen id free until it is published.
            with state.store.transaction():
                bundle_id = _free_bundle_id(state, base)
                number = bundle_id.removeprefix(base).lstrip("-")
                title = spec["title"] if not number else f"{spec['title']} · {number}"
                if qualification:
                    title = f"{title} · qualified"
                build_bundle(
                    staging,
                    bundle_id=bundle_id,
                    kind=spec["kind"],
                    title=title[:200],
                    instructions=spec.get("instructions", ""),
                    reward_per_task=reward,
                    currency=spec["currency"],
                    estimated_minutes_per_task=spec.get("estimated_minutes_per_task"),
                    deadline=state.clock.now().replace(microsecond=0) + DEMO_DEADLINE,
                    tasks=spec["tasks"],
                    # Media files are named relative to resources/demo in the spec.
                    media={name: DEMO_DIR / file for name, file in spec.get("media", {}).items()},
                )
                try:
                    entry = publish_archive(state, staging, qualification_id=qualification)
                finally:
                    staging.unlink(missing_ok=True)
                _choose_golds(state, bundle_id, [task["id"] for task in spec["tasks"]], golds)
                published.append(entry)
    return published


def _choose_golds(
    state: ServerState, bundle_id: str, task_ids: list[str], golds: dict[str, dict[str, Any]]
) -> None:
    """Make about ``gold_rate`` of the bundle's tasks gold questions, among those with a gold."""
    known = [task_id for task_id in task_ids if task_id in golds]
    count = rules.gold_count(state.platform.gold_rate, len(task_ids), state.rng.random())
    for task_id in state.rng.sample(known, min(count, len(known))):
        state.store.put_gold(bundle_id, task_id, json.dumps(golds[task_id], ensure_ascii=False))


def _free_bundle_id(state: ServerState, base: str) -> str:
    candidate, number = base, 1
    while state.store.bundle(candidate) is not None:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def publish_archive(
    state: ServerState,
    zip_path: Path,
    *,
    qualification_id: str | None = None,
    purpose: str = "work",
) -> CatalogueEntry:
    """Check a bundle zip, move it into the data dir and offer it; returns its entry.

    ``qualification_id`` is needed to claim it; ``purpose`` "qualification"
    keeps a test attempt out of the catalogue. Raises ``ApiError``: 400
    ``invalid_request`` if the bundle is damaged, of an unknown kind, has an
    invalid task payload or another currency than the server's; 404 for an
    unknown qualification; 409 if its bundle id is already published.
    """
    if qualification_id is not None and (
        demo_data.qualification_def(state.registry, qualification_id) is None
    ):
        message = f"There is no qualification '{qualification_id}'."
        raise ApiError(404, ErrorCode.NOT_FOUND, message)
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
        bundle = _bundle_row(state, manifest, archive_name, sha256, purpose, qualification_id)
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
    return catalogue_entry(state, bundle, len(tasks))


def _bundle_row(
    state: ServerState,
    manifest: Manifest,
    archive_name: str,
    sha256: str,
    purpose: str,
    qualification_id: str | None,
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
        purpose=purpose,
        qualification_id=qualification_id,
    )


def catalogue_entry(state: ServerState, bundle: BundleRow, task_count: int) -> CatalogueEntry:
    """The bundle as anyone sees it (no contributor's locks or withholding yet)."""
    qualification = None
    if bundle.qualification_id is not None:
        qualification = demo_data.qualification_def(state.registry, bundle.qualification_id)
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
        qualification=bundle.qualification_id,
        qualification_title=qualification.title if qualification else None,
    )
