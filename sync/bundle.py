"""Task bundles, format v1: a zip with ``manifest.json`` at its root plus media files.

``build_bundle`` writes one; ``read_manifest`` checks one without unpacking it;
``extract_bundle`` unpacks one into a fresh staging folder and verifies every
byte on the way. Whatever is wrong with a bundle surfaces as a ``BundleError``
subclass whose message names the bundle, the file inside it and what to do.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, NamedTuple

from PIL import Image
from pydantic import ValidationError

from sync.bundle_build import build_bundle
from sync.bundle_errors import (
    _HOSTILE,
    _SMALLER_IMAGES,
    AudioRefused,
    BundleConflict,
    BundleDamaged,
    BundleError,
    ChecksumMismatch,
    DiskFull,
    DuplicateEntry,
    ImageRefused,
    ManifestInvalid,
    MissingFile,
    NotABundle,
    SizeMismatch,
    TaskInvalid,
    TooLarge,
    UnexpectedFile,
    UnknownBundleKind,
    UnsafePath,
    UnsupportedFormat,
    WriteFailed,
    shown,
    size_text,
    summarize,
)
from sync.manifest import (
    DEFAULT_LIMITS,
    FORMAT_VERSION,
    MANIFEST_NAME,
    Limits,
    Manifest,
    ManifestTask,
    MediaFile,
    path_key,
    unsafe_path_reason,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FORMAT_VERSION",
    "AudioRefused",
    "BundleConflict",
    "BundleDamaged",
    "BundleError",
    "ChecksumMismatch",
    "DiskFull",
    "DuplicateEntry",
    "ImageRefused",
    "Limits",
    "Manifest",
    "ManifestInvalid",
    "ManifestTask",
    "MediaFile",
    "MissingFile",
    "NotABundle",
    "SizeMismatch",
    "TaskInvalid",
    "TooLarge",
    "UnexpectedFile",
    "UnknownBundleKind",
    "UnsafePath",
    "UnsupportedFormat",
    "VerifiedBundle",
    "WriteFailed",
    "build_bundle",
    "extract_bundle",
    "read_manifest",
]

_CHUNK = 1 << 20
_RATIO_FLOOR = 1 << 20  # small members may compress extremely well without being bombs
_IMAGE_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}
_SPECIAL_FILES = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}
# Everything the zip module raises on corrupt or truncated data.
_ZIP_READ_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    struct.error,
    ValueError,
    NotImplementedError,
    RuntimeError,
    OSError,
)

# --- public types ---------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle unpacked into ``directory``, every file checked against the manifest."""

    manifest: Manifest
    directory: Path
    manifest_sha256: str
    archive_sha256: str


class _Inspected(NamedTuple):
    manifest: Manifest
    manifest_bytes: bytes
    members: list[tuple[MediaFile, zipfile.ZipInfo]]  # in archive order


# --- reading --------------------------------------------------------------------------


def read_manifest(
    zip_path: Path,
    *,
    known_kinds: Collection[str],
    limits: Limits = DEFAULT_LIMITS,
    source: str | None = None,
) -> Manifest:
    """Check a bundle's entries and manifest without unpacking its media.

    ``source`` names the bundle in messages (default: the file name). Returns
    the validated manifest. Raises a ``BundleError`` subclass: ``NotABundle``,
    ``UnsafePath``, ``DuplicateEntry``, ``TooLarge``, ``ManifestInvalid``,
    ``UnsupportedFormat``, ``UnknownBundleKind``, ``UnexpectedFile``,
    ``MissingFile`` or ``SizeMismatch`` (sizes as the archive declares them).
    """
    source = source or zip_path.name
    with _open_zip(zip_path, source) as archive:
        return _inspect(archive, source, known_kinds, limits).manifest


def extract_bundle(
    zip_path: Path,
    staging_dir: Path,
    *,
    known_kinds: Collection[str],
    validate_task: Callable[[Manifest, ManifestTask], None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    source: str | None = None,
) -> VerifiedBundle:
    """Verify a bundle and unpack it into ``staging_dir``, which this call creates.

    Does every check of ``read_manifest``, then calls ``validate_task`` for each
    task (a ``ValueError`` it raises becomes ``TaskInvalid``), then streams each
    media file into ``staging_dir`` (whose parent must exist and which must not)
    checking sizes, SHA-256 and image dimensions, and saves the manifest bytes as
    ``staging_dir/manifest.json``. Returns the ``VerifiedBundle``. Raises only
    ``BundleError`` subclasses (``DiskFull``/``WriteFailed`` for local trouble);
    on any failure ``staging_dir`` is removed before the error propagates.
    """
    source = source or zip_path.name
    with _open_zip(zip_path, source) as archive:
        inspected = _inspect(archive, source, known_kinds, limits)
        if validate_task is not None:
            _validate_tasks(inspected.manifest, validate_task, source)
        try:
            staging_dir.mkdir()
        except FileExistsError:
            # Not ours to clean up, so refuse before touching it.
            raise WriteFailed(
                source, f"cannot be unpacked: the folder '{staging_dir}' already exists"
            ) from None
        except OSError as exc:
            raise _write_error(exc, source, None) from exc
        try:
            _unpack(archive, inspected, staging_dir, source, limits)
            archive_sha256 = _hash_file(zip_path, source)
        except BaseException:
            shutil.rmtree(staging_dir, ignore_errors=True)
            raise
    return VerifiedBundle(
        manifest=inspected.manifest,
        directory=staging_dir,
        manifest_sha256=hashlib.sha256(inspected.manifest_bytes).hexdigest(),
        archive_sha256=archive_sha256,
    )


def _open_zip(zip_path: Path, source: str) -> zipfile.ZipFile:
    try:
        if zip_path.stat().st_size == 0:
            raise NotABundle(source, "is an empty file")
        return zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise NotABundle(source, "is not a zip archive, or it was cut short") from None
    except OSError as exc:
        raise NotABundle(
            source,
            f"cannot be read ({exc.strerror or exc})",
            advice="Check that the file exists and can be read, then try again.",
        ) from exc
    except _ZIP_READ_ERRORS as exc:
        raise NotABundle(source, "is damaged: its list of files cannot be read") from exc


def _inspect(
    archive: zipfile.ZipFile, source: str, known_kinds: Collection[str], limits: Limits
) -> _Inspected:
    entries = _check_entries(archive, source, limits)
    manifest_entry = next((e for e in entries if e.filename == MANIFEST_NAME), None)
    if manifest_entry is None:
        raise ManifestInvalid(
            source, f"is damaged: it has no {MANIFEST_NAME}", member=MANIFEST_NAME
        )
    raw = _read_manifest_bytes(archive, manifest_entry, source, limits)
    manifest = _parse_manifest(raw, source, known_kinds, limits)
    return _Inspected(manifest, raw, _match_media(manifest, entries, source))


def _check_entries(archive: zipfile.ZipFile, source: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """Refuse unsafe, duplicate, exotic or oversized entries; return the file entries."""
    entries = archive.infolist()
    if not entries:
        raise NotABundle(source, "is an empty zip archive")
    if len(entries) > limits.max_entries:
        raise TooLarge(
            source,
            f"is too large to import safely: it holds {len(entries):,} entries "
            f"(at most {limits.max_entries:,})",
        )
    files: list[zipfile.ZipInfo] = []
    seen: dict[str, str] = {}
    total = 0
    for entry in entries:
        name = entry.orig_filename  # before zipfile strips NULs or rewrites separators
        label = shown(name)
        is_folder = name.endswith("/")
        reason = unsafe_path_reason(name[:-1] if is_folder else name)
        if reason:
            raise UnsafePath(source, f"was refused: the entry '{label}' {reason}", member=name)
        special = _SPECIAL_FILES.get(stat.S_IFMT(entry.external_attr >> 16))
        if special:
            raise UnsafePath(source, f"was refused: the entry '{label}' is {special}", member=name)
        if is_folder and entry.file_size == 0:
            continue  # plain folder entries are harmless: folders come from the manifest
        if entry.flag_bits & 0x1:
            raise NotABundle(source, f"is damaged: the file '{label}' is encrypted", member=name)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NotABundle(
                source,
                f"is damaged: the file '{label}' uses a compression method Ouvrage cannot read",
                member=name,
            )
        key = path_key(name)
        if key in seen:
            twice = (
                f"'{label}' twice"
                if seen[key] == name
                else f"'{shown(seen[key])}' and '{label}', which name the same file"
            )
            raise DuplicateEntry(source, f"is damaged: it holds {twice}", member=name)
        seen[key] = name
        _check_declaredsize_text(entry, source, limits)
        total += entry.file_size
        if total > limits.max_total_bytes:
            raise TooLarge(
                source,
                f"is too large to import safely: its files unpack to more than "
                f"{size_text(limits.max_total_bytes)} in all",
            )
        files.append(entry)
    return files


def _check_declaredsize_text(entry: zipfile.ZipInfo, source: str, limits: Limits) -> None:
    name = entry.orig_filename
    if name == MANIFEST_NAME:
        if entry.file_size > limits.max_manifest_bytes:
            raise _manifest_too_large(source, limits)
        return
    if entry.file_size > limits.max_file_bytes:
        raise TooLarge(
            source,
            f"is too large to import safely: the file '{shown(name)}' unpacks to "
            f"{size_text(entry.file_size)} (at most {size_text(limits.max_file_bytes)})",
            member=name,
        )
    if entry.file_size > _RATIO_FLOOR and entry.file_size > limits.max_ratio * max(
        entry.compress_size, 1
    ):
        ratio = entry.file_size / max(entry.compress_size, 1)
        raise TooLarge(
            source,
            f"was refused: the file '{shown(name)}' unpacks to {ratio:,.0f} times "
            "its compressed size, as zip bombs do",
            member=name,
            advice=_HOSTILE,
        )


def _manifest_too_large(source: str, limits: Limits) -> ManifestInvalid:
    return ManifestInvalid(
        source,
        f"is damaged: its {MANIFEST_NAME} is larger than {size_text(limits.max_manifest_bytes)}",
        member=MANIFEST_NAME,
    )


def _read_manifest_bytes(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str, limits: Limits
) -> bytes:
    try:
        with archive.open(entry) as stream:
            raw = stream.read(limits.max_manifest_bytes + 1)  # never trust the declared size
    except _ZIP_READ_ERRORS as exc:
        raise NotABundle(
            source, f"is damaged: its {MANIFEST_NAME} cannot be unpacked", member=MANIFEST_NAME
        ) from exc
    if len(raw) > limits.max_manifest_bytes:
        raise _manifest_too_large(source, limits)
    return raw


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_manifest(
    raw: bytes, source: str, known_kinds: Collection[str], limits: Limits
) -> Manifest:
    def invalid(problem: str) -> ManifestInvalid:
        return ManifestInvalid(
            source, f"is damaged: its {MANIFEST_NAME} {problem}", member=MANIFEST_NAME
        )

    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors add
    except UnicodeDecodeError:
        raise invalid("is not UTF-8 text") from None
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise invalid(f"is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise invalid("is nested too deeply") from None
    except ValueError as exc:  # NaN, Infinity, integers with thousands of digits
        raise invalid(f"is not valid JSON ({shown(str(exc))})") from None
    if not isinstance(data, dict):
        raise invalid("does not hold a JSON object")
    version = data.get("format_version")
    # Checked before the schema: a newer format may well have a different one.
    if type(version) is int and version > FORMAT_VERSION:
        raise UnsupportedFormat(
            source,
            f"uses bundle format {shown(str(version))}, which needs a newer Ouvrage "
            f"(this one reads format {FORMAT_VERSION})",
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise invalid(f"is not valid: {summarize(exc)}") from None
    if manifest.kind not in known_kinds:
        raise UnknownBundleKind(
            source, f"holds tasks of kind '{manifest.kind}', which needs a newer Ouvrage"
        )
    if len(manifest.tasks) > limits.max_tasks:
        raise TooLarge(
            source,
            f"is too large to import safely: it holds {len(manifest.tasks):,} tasks "
            f"(at most {limits.max_tasks:,})",
        )
    return manifest


def _match_media(
    manifest: Manifest, entries: list[zipfile.ZipInfo], source: str
) -> list[tuple[MediaFile, zipfile.ZipInfo]]:
    """Pair every listed media file with its entry; refuse extra or missing files."""
    listed = {media.path: media for media in manifest.media}
    members: list[tuple[MediaFile, zipfile.ZipInfo]] = []
    for entry in entries:
        name = entry.filename
        if name == MANIFEST_NAME:
            continue
        media = listed.pop(name, None)
        if media is None:
            raise UnexpectedFile(
                source,
                f"is damaged: it holds '{shown(name)}', which its manifest does not list",
                member=name,
            )
        if entry.file_size != media.size:
            raise SizeMismatch(
                source,
                f"is damaged: the file '{shown(name)}' holds {entry.file_size:,} bytes "
                f"instead of {media.size:,}",
                member=name,
            )
        members.append((media, entry))
    if listed:
        path = next(iter(listed))
        raise MissingFile(
            source, f"is damaged: the file '{path}' listed in its manifest is missing", member=path
        )
    return members


def _validate_tasks(
    manifest: Manifest, validate_task: Callable[[Manifest, ManifestTask], None], source: str
) -> None:
    for task in manifest.tasks:
        try:
            validate_task(manifest, task)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError too
            reason = summarize(exc) if isinstance(exc, ValidationError) else shown(str(exc), 200)
            raise TaskInvalid(
                source, f"has an invalid task '{task.id}': {reason}", task_id=task.id
            ) from exc


# --- unpacking ------------------------------------------------------------------------


def _unpack(
    archive: zipfile.ZipFile, inspected: _Inspected, staging_dir: Path, source: str, limits: Limits
) -> None:
    root = staging_dir.resolve()
    member: str | None = MANIFEST_NAME
    try:
        with open(root / MANIFEST_NAME, "xb") as out:
            out.write(inspected.manifest_bytes)
        total = len(inspected.manifest_bytes)
        for media, entry in inspected.members:
            member = media.path
            target = root.joinpath(*PurePosixPath(media.path).parts)
            if not target.resolve().is_relative_to(root):  # defence in depth: names are checked
                raise UnsafePath(
                    source, f"was refused: '{media.path}' leaves the bundle folder", member=member
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            total = _copy_member(archive, entry, media, target, source, limits, total)
            _check_image(target, media.path, source, limits)
    except OSError as exc:  # reading errors became NotABundle already: this is our disk
        raise _write_error(exc, source, member) from exc


def _copy_member(
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    media: MediaFile,
    target: Path,
    source: str,
    limits: Limits,
    total: int,
) -> int:
    """Stream one member to ``target``, counting and hashing; return the new total."""
    digest = hashlib.sha256()
    written = 0
    with _open_member(archive, entry, source) as stream, open(target, "xb") as out:
        while chunk := _read_chunk(stream, media.path, source):
            written += len(chunk)
            total += len(chunk)
            if written > media.size:
                raise SizeMismatch(
                    source,
                    f"is damaged: the file '{media.path}' holds more than the "
                    f"{media.size:,} bytes its manifest says",
                    member=media.path,
                )
            if total > limits.max_total_bytes:
                raise TooLarge(
                    source,
                    f"is too large to import safely: its files unpack to more than "
                    f"{size_text(limits.max_total_bytes)} in all",
                )
            digest.update(chunk)
            out.write(chunk)
    if written != media.size:
        raise SizeMismatch(
            source,
            f"is damaged: the file '{media.path}' holds {written:,} bytes instead of "
            f"{media.size:,}",
            member=media.path,
        )
    if digest.hexdigest() != media.sha256:
        raise ChecksumMismatch(
            source,
            f"is damaged: the file '{media.path}' does not match its checksum",
            member=media.path,
        )
    return total


def _open_member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str) -> IO[bytes]:
    try:
        return archive.open(entry)
    except _ZIP_READ_ERRORS as exc:
        raise _damaged_member(source, entry.filename) from exc


def _read_chunk(stream: IO[bytes], member: str, source: str) -> bytes:
    try:
        return stream.read(_CHUNK)
    except _ZIP_READ_ERRORS as exc:
        raise _damaged_member(source, member) from exc


def _damaged_member(source: str, member: str) -> NotABundle:
    return NotABundle(
        source, f"is damaged: the file '{shown(member)}' cannot be unpacked", member=member
    )


def _check_image(path: Path, member: str, source: str, limits: Limits) -> None:
    """Refuse an image whose header is unreadable or promises too many pixels."""
    image_format = _IMAGE_FORMATS.get(member.rpartition(".")[2].lower())
    if image_format is None:
        return
    too_many = f"was refused: the image '{member}' has more pixels than Ouvrage opens safely"
    try:
        # Our own limit decides; Pillow's warning would only be noise.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Lazy open reads the header only; one format so no other parser sees the bytes.
            with Image.open(path, formats=[image_format]) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise ImageRefused(source, too_many, member=member, advice=_SMALLER_IMAGES) from None
    except Exception as exc:  # Pillow's parsers raise many types on hostile headers
        raise ImageRefused(
            source, f"is damaged: the image '{member}' cannot be read", member=member
        ) from exc
    if width * height > limits.max_image_pixels:
        raise ImageRefused(
            source, f"{too_many} ({width} × {height})", member=member, advice=_SMALLER_IMAGES
        )


def _write_error(exc: OSError, source: str, member: str | None) -> BundleError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(source, "could not be unpacked because the disk is full", member=member)
    where = f" '{shown(member)}'" if member else ""
    return WriteFailed(
        source,
        f"could not be unpacked: writing{where} failed ({exc.strerror or exc})",
        member=member,
    )


def _hash_file(path: Path, source: str) -> str:
    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError as exc:
        raise NotABundle(source, f"cannot be read ({exc.strerror or exc})") from exc
