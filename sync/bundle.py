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
import os
import shutil
import stat
import struct
import tempfile
import warnings
import zipfile
import zlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import IO, Any, ClassVar, NamedTuple

from PIL import Image
from pydantic import ValidationError

from sync.manifest import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    Manifest,
    ManifestTask,
    MediaFile,
    path_key,
    unsafe_path_reason,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FORMAT_VERSION",
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
_STORED_EXTENSIONS = frozenset(["webp", "jpg", "jpeg", "png", "opus", "ogg", "flac", "mp3"])
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

_AGAIN = "Download it again or ask for a new copy."
_UPDATE = "Update Ouvrage, then import the bundle again."
_HOSTILE = "Do not use this file, and tell whoever sent it to you."
_SMALLER_IMAGES = "Ask whoever sent it for a bundle with smaller images."


# --- errors ---------------------------------------------------------------------------


class BundleError(Exception):
    """A bundle that cannot be imported, with a message for the contributor.

    ``source`` is the bundle as the user knows it (file name or id), ``member``
    the file inside the bundle concerned (or None), ``advice`` what to do.
    """

    default_advice: ClassVar[str] = _AGAIN

    def __init__(
        self, source: str, problem: str, *, member: str | None = None, advice: str | None = None
    ) -> None:
        super().__init__(source, problem)
        self.source = source
        self.problem = problem
        self.member = member
        self.advice = self.default_advice if advice is None else advice

    def __str__(self) -> str:
        return f"The bundle '{_shown(self.source)}' {self.problem}. {self.advice}"


class BundleDamaged(BundleError):
    """The bundle is corrupt or inconsistent; a fresh copy usually fixes it."""


class NotABundle(BundleDamaged):
    """Not a zip, unreadable, empty, truncated or corrupt data."""


class ManifestInvalid(BundleDamaged):
    """manifest.json is missing, too large, not UTF-8 JSON, or breaks the schema."""


class DuplicateEntry(BundleDamaged):
    """The same name twice in the archive, possibly differing only in case."""


class UnexpectedFile(BundleDamaged):
    """A file in the archive that the manifest does not list."""


class MissingFile(BundleDamaged):
    """A file the manifest lists that the archive lacks."""


class SizeMismatch(BundleDamaged):
    """A file whose size differs from the manifest's."""


class ChecksumMismatch(BundleDamaged):
    """A file whose SHA-256 differs from the manifest's."""


class ImageRefused(BundleDamaged):
    """An image whose header cannot be read or that has too many pixels."""


class UnsupportedFormat(BundleError):
    """The bundle format is newer than this Ouvrage reads."""

    default_advice = _UPDATE


class UnknownBundleKind(BundleError):
    """The bundle's task kind is not one this Ouvrage knows."""

    default_advice = _UPDATE


class UnsafePath(BundleError):
    """An entry that would land outside the bundle folder, or a link/device entry."""

    default_advice = _HOSTILE


class TooLarge(BundleError):
    """Too many entries, too many bytes, or a compression ratio typical of zip bombs."""

    default_advice = "Ask whoever sent it for a smaller bundle."


class TaskInvalid(BundleError):
    """A task the task kind rejects; ``task_id`` names it."""

    default_advice = "Ask the platform for a corrected bundle."

    def __init__(self, source: str, problem: str, *, task_id: str = "", **kwargs: Any) -> None:
        super().__init__(source, problem, **kwargs)
        self.task_id = task_id


class BundleConflict(BundleError):
    """A different bundle with the same id is already imported (raised by the app)."""

    default_advice = "Remove the bundle already imported, or ask for a bundle with a new id."

    def __init__(self, source: str, bundle_id: str, **kwargs: Any) -> None:
        problem = f"has the id '{_shown(bundle_id)}' of a different bundle already imported"
        super().__init__(source, problem, **kwargs)
        self.args = (source, bundle_id)  # what pickle passes back to __init__
        self.bundle_id = bundle_id


class DiskFull(BundleError):
    """The disk filled up while unpacking."""

    default_advice = "Free some disk space, then import the bundle again."


class WriteFailed(BundleError):
    """Unpacking failed for a reason on this computer's side (permissions, I/O)."""

    default_advice = "Check that Ouvrage's profile folder can be written to, then import again."


# --- public types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Bounds on what a bundle may make Ouvrage read, write or decode."""

    max_manifest_bytes: int = 8 * 2**20
    max_total_bytes: int = 2 * 2**30  # sum of uncompressed sizes
    max_file_bytes: int = 512 * 2**20
    max_ratio: float = 100.0  # uncompressed/compressed, for members over 1 MiB uncompressed
    max_entries: int = 20_000
    max_tasks: int = 10_000
    max_image_pixels: int = 64_000_000


DEFAULT_LIMITS = Limits()


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
        shown = _shown(name)
        is_folder = name.endswith("/")
        reason = unsafe_path_reason(name[:-1] if is_folder else name)
        if reason:
            raise UnsafePath(source, f"was refused: the entry '{shown}' {reason}", member=name)
        special = _SPECIAL_FILES.get(stat.S_IFMT(entry.external_attr >> 16))
        if special:
            raise UnsafePath(source, f"was refused: the entry '{shown}' is {special}", member=name)
        if is_folder and entry.file_size == 0:
            continue  # plain folder entries are harmless: folders come from the manifest
        if entry.flag_bits & 0x1:
            raise NotABundle(source, f"is damaged: the file '{shown}' is encrypted", member=name)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise NotABundle(
                source,
                f"is damaged: the file '{shown}' uses a compression method Ouvrage cannot read",
                member=name,
            )
        key = path_key(name)
        if key in seen:
            twice = (
                f"'{shown}' twice"
                if seen[key] == name
                else f"'{_shown(seen[key])}' and '{shown}', which name the same file"
            )
            raise DuplicateEntry(source, f"is damaged: it holds {twice}", member=name)
        seen[key] = name
        _check_declared_size(entry, source, limits)
        total += entry.file_size
        if total > limits.max_total_bytes:
            raise TooLarge(
                source,
                f"is too large to import safely: its files unpack to more than "
                f"{_size(limits.max_total_bytes)} in all",
            )
        files.append(entry)
    return files


def _check_declared_size(entry: zipfile.ZipInfo, source: str, limits: Limits) -> None:
    name = entry.orig_filename
    if name == MANIFEST_NAME:
        if entry.file_size > limits.max_manifest_bytes:
            raise _manifest_too_large(source, limits)
        return
    if entry.file_size > limits.max_file_bytes:
        raise TooLarge(
            source,
            f"is too large to import safely: the file '{_shown(name)}' unpacks to "
            f"{_size(entry.file_size)} (at most {_size(limits.max_file_bytes)})",
            member=name,
        )
    if entry.file_size > _RATIO_FLOOR and entry.file_size > limits.max_ratio * max(
        entry.compress_size, 1
    ):
        ratio = entry.file_size / max(entry.compress_size, 1)
        raise TooLarge(
            source,
            f"was refused: the file '{_shown(name)}' unpacks to {ratio:,.0f} times "
            "its compressed size, as zip bombs do",
            member=name,
            advice=_HOSTILE,
        )


def _manifest_too_large(source: str, limits: Limits) -> ManifestInvalid:
    return ManifestInvalid(
        source,
        f"is damaged: its {MANIFEST_NAME} is larger than {_size(limits.max_manifest_bytes)}",
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
        raise invalid(f"is not valid JSON ({_shown(str(exc))})") from None
    if not isinstance(data, dict):
        raise invalid("does not hold a JSON object")
    version = data.get("format_version")
    # Checked before the schema: a newer format may well have a different one.
    if type(version) is int and version > FORMAT_VERSION:
        raise UnsupportedFormat(
            source,
            f"uses bundle format {_shown(str(version))}, which needs a newer Ouvrage "
            f"(this one reads format {FORMAT_VERSION})",
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        raise invalid(f"is not valid: {_summarize(exc)}") from None
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
                f"is damaged: it holds '{_shown(name)}', which its manifest does not list",
                member=name,
            )
        if entry.file_size != media.size:
            raise SizeMismatch(
                source,
                f"is damaged: the file '{_shown(name)}' holds {entry.file_size:,} bytes "
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
            reason = _summarize(exc) if isinstance(exc, ValidationError) else _shown(str(exc), 200)
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
                    f"{_size(limits.max_total_bytes)} in all",
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
        source, f"is damaged: the file '{_shown(member)}' cannot be unpacked", member=member
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
    where = f" '{_shown(member)}'" if member else ""
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
            source, f"cannot be built: {_summarize(exc)}", advice="Fix the input and build again."
        ) from exc
    except ValueError as exc:  # payload values JSON cannot hold (NaN, objects)
        raise ManifestInvalid(
            source, f"cannot be built: {_shown(str(exc))}", advice="Fix the input and build again."
        ) from exc
    if len(raw) > DEFAULT_LIMITS.max_manifest_bytes:
        raise ManifestInvalid(
            source,
            f"cannot be built: its manifest exceeds {_size(DEFAULT_LIMITS.max_manifest_bytes)}",
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


# --- messages -------------------------------------------------------------------------

_PLAIN_ERRORS: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: "is missing",
    "extra_forbidden": lambda ctx: "is not a field Ouvrage knows",
    "string_pattern_mismatch": lambda ctx: "has characters or a form that is not allowed",
    "string_too_long": lambda ctx: f"is too long (at most {ctx['max_length']:,} characters)",
    "string_too_short": lambda ctx: "is empty",
    "too_long": lambda ctx: f"has too many entries (at most {ctx['max_length']:,})",
    "too_short": lambda ctx: f"needs at least {ctx['min_length']} entries",
    "greater_than_equal": lambda ctx: f"must be at least {ctx['ge']}",
    "greater_than": lambda ctx: f"must be more than {ctx['gt']}",
    "less_than_equal": lambda ctx: f"must be at most {ctx['le']}",
    "timezone_aware": lambda ctx: "needs a time zone",
}


def _summarize(exc: ValidationError) -> str:
    """The first problem of a validation error in plain words, with where it is."""
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return "it is not valid"
    first = errors[0]
    plain = _PLAIN_ERRORS.get(first["type"])
    what = plain(first.get("ctx") or {}) if plain else first["msg"]
    what = what.removeprefix("Value error, ").removeprefix("Input ")
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{_shown(str(part), 40)}"
        for part in first["loc"]
    ).lstrip(".")
    others = len(errors) - 1
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    return f"'{where}' {what}{more}" if where else f"{what}{more}"


def _shown(text: str, limit: int = 80) -> str:
    """A name from outside, made safe to show: printable and not endless."""
    text = "".join(c if c.isprintable() else " " if c.isspace() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(count: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024:
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1024
    return f"{count:,.1f} GB"
