"""Import a bundle file into a profile: verify everything, then make it visible at once. Qt-free."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from app.profile import Profile
from app.store import NewBundle, NewTask, Store
from sync.bundle import (
    DEFAULT_LIMITS,
    AudioRefused,
    BundleConflict,
    Limits,
    Manifest,
    ManifestTask,
    VerifiedBundle,
    extract_bundle,
)
from taskkinds import Registry, UnknownKind

log = logging.getLogger(__name__)

# Audio media the bundle format allows (sync.manifest.MEDIA_EXTENSIONS).
_AUDIO = (".opus", ".ogg", ".flac", ".wav", ".mp3")


@dataclass(frozen=True)
class ImportOutcome:
    bundle_id: str
    title: str
    kind: str
    task_count: int
    already_imported: bool


def import_bundle_file(
    store: Store,
    profile: Profile,
    path: Path,
    registry: Registry,
    *,
    source: str = "file",
    limits: Limits = DEFAULT_LIMITS,
) -> ImportOutcome:
    """Verify ``path`` and add its tasks to the profile.

    Every check runs on a staging folder inside the profile before anything
    becomes visible; a refused import leaves nothing behind. Importing the same
    bundle again is harmless. Raises a ``sync.bundle.BundleError`` subclass.
    """
    path = Path(path)
    profile.ensure()
    staging = profile.bundles_dir / f".incoming-{uuid.uuid4().hex}"

    def validate_task(manifest: Manifest, task: ManifestTask) -> None:
        try:
            kind = registry.get(manifest.kind)
        except UnknownKind as exc:  # read_manifest already refused it; kept for safety
            raise ValueError(str(exc)) from None
        if manifest.kind_version > kind.version:
            raise ValueError(
                f"it uses version {manifest.kind_version} of the {kind.title} format, "
                f"this Ouvrage knows up to version {kind.version}; update Ouvrage"
            )
        kind.parse_payload(task.payload)

    verified = extract_bundle(
        path, staging, known_kinds=registry.ids(), validate_task=validate_task, limits=limits
    )
    try:
        _check_audio(verified, path.name)
        return _install(store, profile, path, registry, verified, source)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _check_audio(verified: VerifiedBundle, source: str) -> None:
    """Decode every audio clip as the editor will, so a damaged one is refused now.

    A clip cut short or full of garbage passes the checksum when the bundle was made
    from it; without this, the contributor would only find out when opening the task.
    Raises ``AudioRefused`` naming the clip.
    """
    clips = [m.path for m in verified.manifest.media if m.path.lower().endswith(_AUDIO)]
    if not clips:
        return
    from taskkinds.transcription.audio import AudioUnreadable, load_clip

    for member in clips:
        try:
            load_clip(verified.directory.joinpath(*PurePosixPath(member).parts))
        except AudioUnreadable as exc:
            raise AudioRefused(
                source,
                f"was refused: the audio clip '{member}' {exc.reason}",
                member=member,
                advice=exc.advice,
            ) from None


def _install(
    store: Store,
    profile: Profile,
    path: Path,
    registry: Registry,
    verified: VerifiedBundle,
    source: str,
) -> ImportOutcome:
    manifest = verified.manifest
    outcome = ImportOutcome(
        bundle_id=manifest.bundle_id,
        title=manifest.title,
        kind=manifest.kind,
        task_count=len(manifest.tasks),
        already_imported=False,
    )
    existing = store.has_bundle(manifest.bundle_id)
    if existing == verified.manifest_sha256:
        store.log_event("bundle_reimported", bundle=manifest.bundle_id, file=path.name)
        return ImportOutcome(**{**outcome.__dict__, "already_imported": True})
    if existing is not None:
        raise BundleConflict(path.name, manifest.bundle_id)

    kind = registry.get(manifest.kind)
    tasks = tuple(
        NewTask(
            task_id=task.id,
            payload=task.payload,
            reward=manifest.reward_for(task),
            summary=kind.summarize(kind.parse_payload(task.payload)),
            media=tuple(task.media),
        )
        for task in manifest.tasks
    )
    final = profile.bundle_dir(manifest.bundle_id)
    if final.exists():
        # Media without a database row: left by a crash between rename and insert.
        shutil.rmtree(final)
    os.replace(verified.directory, final)
    try:
        store.add_bundle(
            NewBundle(
                bundle_id=manifest.bundle_id,
                kind=manifest.kind,
                kind_version=manifest.kind_version,
                title=manifest.title,
                instructions=manifest.instructions,
                currency=manifest.currency,
                deadline=manifest.deadline.isoformat(),
                estimated_minutes_per_task=manifest.estimated_minutes_per_task,
                manifest_sha256=verified.manifest_sha256,
                archive_sha256=verified.archive_sha256,
                source=source,
                tasks=tasks,
            )
        )
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    log.info("imported bundle %s (%d tasks) from %s", manifest.bundle_id, len(tasks), path)
    return outcome
