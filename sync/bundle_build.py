"""Write task bundles: used by tests, the demo and the mock server. Qt-free."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from sync.bundle_errors import ManifestInvalid, shown, size_text, summarize
from sync.manifest import DEFAULT_LIMITS, FORMAT_VERSION, MANIFEST_NAME, Manifest, MediaFile

_CHUNK = 1 << 20
# Already-compressed media are stored as they are: deflating them again only costs time.
_STORED_EXTENSIONS = frozenset(["webp", "jpg", "jpeg", "png", "opus", "ogg", "flac", "mp3"])

# --- building -------------------------------------------------------------------------

_NO_MEDIA: Mapping[str, bytes | Path] = MappingProxyType({})
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same input gives the same bytes


def build_bundle(
    dest: Path,
    *,
    bundle_id: str,
    kind: str,
    title: str,
    tasks: Sequence[Mapping[str, Any]],
    media: Mapping[str, bytes | Path] = _NO_MEDIA,
    instructions: str = "",
    reward_per_task: Decimal | int | str = Decimal("0"),
    currency: str = "EUR",
    deadline: datetime | None = None,
    estimated_minutes_per_task: float | None = None,
    format_version: int = FORMAT_VERSION,
    kind_version: int = 1,
) -> Path:
    """Write a bundle to ``dest`` (whose folder must exist) and return ``dest``.

    ``tasks`` are mappings with ``id``, ``payload`` and optional ``media`` and
    ``reward``; ``media`` maps each bundle path to its bytes or to a file.
    ``deadline`` defaults to 14 days from now. The same inputs (with an explicit
    deadline) give byte-identical archives. Raises ``ManifestInvalid`` if the
    manifest would be invalid, ``OSError`` if a media file cannot be read or
    ``dest`` cannot be written; ``dest`` never exists half-written.
    """
    source = dest.name
    if deadline is None:
        deadline = datetime.now(UTC).replace(microsecond=0) + timedelta(days=14)
    fields = {
        "format_version": format_version,
        "bundle_id": bundle_id,
        "kind": kind,
        "kind_version": kind_version,
        "title": title,
        "instructions": instructions,
        "reward_per_task": reward_per_task,
        "currency": currency,
        "deadline": deadline,
        "estimated_minutes_per_task": estimated_minutes_per_task,
        "tasks": [dict(task) for task in tasks],
        "media": [_describe_media(path, media[path]) for path in sorted(media)],
    }
    try:
        manifest = Manifest.model_validate(fields)
        raw = json.dumps(
            manifest.model_dump(mode="json"),
            sort_keys=True,
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        ).encode("utf-8")
    except ValidationError as exc:
        raise ManifestInvalid(
            source, f"cannot be built: {summarize(exc)}", advice="Fix the input and build again."
        ) from exc
    except ValueError as exc:  # payload values JSON cannot hold (NaN, objects)
        raise ManifestInvalid(
            source, f"cannot be built: {shown(str(exc))}", advice="Fix the input and build again."
        ) from exc
    if len(raw) > DEFAULT_LIMITS.max_manifest_bytes:
        raise ManifestInvalid(
            source,
            f"cannot be built: its manifest exceeds {size_text(DEFAULT_LIMITS.max_manifest_bytes)}",
            advice="Split the tasks into several bundles.",
        )
    _write_zip_atomically(dest, raw, manifest.media, media)
    return dest


def _describe_media(path: str, content: bytes | Path) -> dict[str, Any]:
    if isinstance(content, bytes):
        return {"path": path, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    with open(content, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return {"path": path, "size": Path(content).stat().st_size, "sha256": digest}


def _write_zip_atomically(
    dest: Path, manifest_bytes: bytes, listed: list[MediaFile], media: Mapping[str, bytes | Path]
) -> None:
    fd, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            with zipfile.ZipFile(stream, "w") as archive:
                _add_member(archive, MANIFEST_NAME, manifest_bytes, len(manifest_bytes))
                for item in listed:
                    _add_member(archive, item.path, media[item.path], item.size)
            stream.flush()
            os.fsync(stream.fileno())  # the rename must not outlive the data in a power cut
        os.replace(temp, dest)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _add_member(archive: zipfile.ZipFile, name: str, content: bytes | Path, size: int) -> None:
    entry = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
    extension = name.rpartition(".")[2].lower()
    # Already-compressed media gain nothing from deflate.
    stored = extension in _STORED_EXTENSIONS and name != MANIFEST_NAME
    entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    entry.create_system = 3
    entry.external_attr = (stat.S_IFREG | 0o644) << 16
    entry.file_size = size  # lets zipfile choose zip64 up front for huge files
    with archive.open(entry, "w") as out:
        if isinstance(content, bytes):
            out.write(content)
        else:
            with open(content, "rb") as stream:
                shutil.copyfileobj(stream, out, _CHUNK)
