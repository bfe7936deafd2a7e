"""Damaged and hostile bundles: each is refused with the right error, and leaves no trace.

Every case is a real zip file crafted byte by byte where ``build_bundle`` would
refuse to write it. For each we check the error class, that the message names
the bundle and the file concerned, that the staging folder is gone, and that
nothing at all was written anywhere under the test's folder or next to it.
"""

from __future__ import annotations

import errno
import json
import stat
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pydantic import BaseModel, ConfigDict

import sync.bundle as bundle_module
from sync.bundle import (
    BundleError,
    ChecksumMismatch,
    DiskFull,
    DuplicateEntry,
    ImageRefused,
    Limits,
    Manifest,
    ManifestInvalid,
    ManifestTask,
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
    extract_bundle,
    read_manifest,
)
from tests.bundle_factory import (
    KNOWN_KINDS,
    Entry,
    bundle_zip,
    jpeg_bytes,
    manifest_dict,
    mark_encrypted,
    media_entry,
    png_bytes,
    png_header_only,
    snapshot,
    write_zip,
)

BUNDLE_NAME = "b-17.zip"
TEXT = {"notes/line.txt": b"bonjour\n"}
EVIL_NAMES = ["evil", "evil.txt"]


def _with_files(files: dict[str, bytes], **overrides: Any) -> Callable[[Path], Path]:
    return lambda path: bundle_zip(path, files, manifest=manifest_dict(files, **overrides))


def _raw_manifest(raw: bytes) -> Callable[[Path], Path]:
    return lambda path: bundle_zip(path, manifest=raw)


def _extra(*entries: Entry) -> Callable[[Path], Path]:
    """A valid bundle of ``TEXT`` with ``entries`` added behind the manifest's back."""
    return lambda path: bundle_zip(path, TEXT, extra=entries)


def _entries_listed(*entries: Entry) -> Callable[[Path], Path]:
    """The entries as the only media, each listed in the manifest with its true size and hash."""
    media = [media_entry(e.name, e.data) for e in entries]
    manifest = manifest_dict(media=media)
    return lambda path: write_zip(
        path, [Entry("manifest.json", json.dumps(manifest).encode()), *entries]
    )


def _write_bytes(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


def _truncated(path: Path) -> Path:
    bundle_zip(path, TEXT)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupted_member(path: Path) -> Path:
    text = b"la soupe du jour " * 200
    bundle_zip(path, {"notes/soup.txt": text})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("notes/soup.txt")
    start = info.header_offset + 30 + len(info.orig_filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF  # one flipped byte in the deflated data
    path.write_bytes(bytes(data))
    return path


def _zip_bomb(path: Path) -> Path:
    zeros = b"\0" * (50 * 2**20)
    return bundle_zip(path, {"zeros.txt": zeros})


def _future_format(path: Path) -> Path:
    manifest = {"format_version": 2, "bundle": {"id": "b-17"}, "chapters": []}
    return bundle_zip(path, manifest=manifest)


def _deep_json(path: Path) -> Path:
    return bundle_zip(path, manifest=b"[" * 100_000 + b"]" * 100_000)


def _reject_one_word_texts(manifest: Manifest, task: ManifestTask) -> None:
    if task.payload.get("text") == "merci":
        raise ValueError("the source text is a single word")


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    segments: list[str]


def _validate_with_model(manifest: Manifest, task: ManifestTask) -> None:
    _Payload.model_validate(task.payload)


@dataclass
class Case:
    make: Callable[[Path], Path]
    error: type[BundleError]
    member: str | None = None
    limits: Limits = field(default_factory=Limits)
    validate_task: Callable[[Manifest, ManifestTask], None] | None = None
    found_without_unpacking: bool = True  # read_manifest alone refuses it
    says: str = ""  # a phrase the message must contain


LINK = stat.S_IFLNK | 0o777
PNG = png_bytes()

CASES: dict[str, Case] = {
    # --- paths that leave the bundle folder
    "zip-slip-parent": Case(_extra(Entry("../evil.txt", b"x")), UnsafePath, "../evil.txt"),
    "zip-slip-nested": Case(_extra(Entry("a/../../evil", b"x")), UnsafePath, "a/../../evil"),
    "zip-slip-deep": Case(
        _extra(Entry("../../../evil.txt", b"x")), UnsafePath, "../../../evil.txt"
    ),
    "absolute-path": Case(_extra(Entry("/etc/evil", b"x")), UnsafePath, "/etc/evil"),
    "absolute-folder": Case(_extra(Entry("/etc/", b"")), UnsafePath, "/etc/"),
    "windows-drive": Case(_extra(Entry("C:\\evil.txt", b"x")), UnsafePath, "C:\\evil.txt"),
    "windows-drive-slash": Case(_extra(Entry("C:/evil.txt", b"x")), UnsafePath, "C:/evil.txt"),
    "backslash-traversal": Case(
        _extra(Entry("notes\\..\\..\\evil.txt", b"x")), UnsafePath, "notes\\..\\..\\evil.txt"
    ),
    "windows-device-name": Case(_extra(Entry("con.txt", b"x")), UnsafePath, "con.txt"),
    "alternate-data-stream": Case(
        _extra(Entry("notes.txt:hidden.txt", b"x")), UnsafePath, "notes.txt:hidden.txt"
    ),
    "symlink-entry": Case(
        _extra(Entry("photo.png", b"/etc/passwd", mode=LINK)), UnsafePath, "photo.png"
    ),
    "symlink-listed-in-manifest": Case(
        _entries_listed(Entry("notes.txt", b"/etc/passwd", mode=LINK)), UnsafePath, "notes.txt"
    ),
    "fifo-entry": Case(
        _extra(Entry("pipe.txt", b"", mode=stat.S_IFIFO | 0o644)), UnsafePath, "pipe.txt"
    ),
    "device-entry": Case(
        _extra(Entry("disk.txt", b"", mode=stat.S_IFBLK | 0o644)), UnsafePath, "disk.txt"
    ),
    # --- names that collide
    "duplicate-name": Case(
        _extra(Entry("notes/line.txt", b"second copy")), DuplicateEntry, "notes/line.txt"
    ),
    "case-duplicate-name": Case(
        _extra(Entry("Notes/Line.TXT", b"other")), DuplicateEntry, "Notes/Line.TXT"
    ),
    "duplicate-manifest": Case(
        _extra(Entry("manifest.json", b"{}")), DuplicateEntry, "manifest.json"
    ),
    # --- archive and manifest disagree
    "file-not-in-manifest": Case(
        _extra(Entry("notes/extra.txt", b"extra")), UnexpectedFile, "notes/extra.txt"
    ),
    "nested-archive-unlisted": Case(
        _extra(Entry("inner.zip", b"PK\x05\x06" + b"\0" * 18)), UnexpectedFile, "inner.zip"
    ),
    "listed-file-missing": Case(
        lambda p: bundle_zip(p, {}, manifest=manifest_dict(TEXT)), MissingFile, "notes/line.txt"
    ),
    "size-mismatch": Case(
        lambda p: bundle_zip(p, {"a.txt": b"12345"}, manifest=manifest_dict({"a.txt": b"123"})),
        SizeMismatch,
        "a.txt",
    ),
    "checksum-mismatch": Case(
        lambda p: bundle_zip(p, {"a.txt": b"12345"}, manifest=manifest_dict({"a.txt": b"54321"})),
        ChecksumMismatch,
        "a.txt",
        found_without_unpacking=False,
        says="checksum",
    ),
    "corrupted-member-data": Case(
        _corrupted_member, NotABundle, "notes/soup.txt", found_without_unpacking=False
    ),
    "encrypted-member": Case(
        lambda p: mark_encrypted(_extra(Entry("secret.txt", b"x"))(p), "secret.txt"),
        NotABundle,
        "secret.txt",
    ),
    "unsupported-compression": Case(
        _extra(Entry("notes/b.txt", b"x" * 100, compress_type=zipfile.ZIP_BZIP2)),
        NotABundle,
        "notes/b.txt",
    ),
    # --- too big
    "zip-bomb-ratio": Case(_zip_bomb, TooLarge, "zeros.txt", says="zip bomb"),
    "total-over-limit": Case(
        _with_files({"a.txt": b"a" * 5000, "b.txt": b"b" * 5000}),
        TooLarge,
        limits=Limits(max_total_bytes=8000),
        says="in all",
    ),
    "file-over-limit": Case(
        _with_files({"a.txt": b"a" * 800}), TooLarge, "a.txt", limits=Limits(max_file_bytes=100)
    ),
    "too-many-entries": Case(
        _with_files({f"n{i}.txt": b"x" for i in range(10)}), TooLarge, limits=Limits(max_entries=5)
    ),
    "too-many-tasks": Case(_with_files({}), TooLarge, limits=Limits(max_tasks=1)),
    # --- images
    "png-bomb-beyond-pillow-limit": Case(
        _with_files({"huge.png": png_header_only(30_000, 30_000)}),
        ImageRefused,
        "huge.png",
        found_without_unpacking=False,
    ),
    "png-bomb-beyond-our-limit": Case(
        _with_files({"big.png": png_header_only(10_000, 10_000)}),
        ImageRefused,
        "big.png",
        found_without_unpacking=False,
        says="10000 × 10000",
    ),
    "png-over-lowered-limit": Case(
        _with_files({"photo.png": png_bytes(100, 100, mode="1")}),
        ImageRefused,
        "photo.png",
        limits=Limits(max_image_pixels=5000),
        found_without_unpacking=False,
    ),
    "unreadable-image": Case(
        _with_files({"photo.webp": b"RIFF\0\0\0\0WEBPjunk"}),
        ImageRefused,
        "photo.webp",
        found_without_unpacking=False,
    ),
    "jpeg-named-png": Case(
        _with_files({"photo.png": jpeg_bytes()}),
        ImageRefused,
        "photo.png",
        found_without_unpacking=False,
    ),
    # --- not a bundle at all
    "truncated-zip": Case(_truncated, NotABundle),
    "not-a-zip": Case(_write_bytes(b"Dear contributor,\nhere are your tasks.\n"), NotABundle),
    "empty-file": Case(_write_bytes(b""), NotABundle, says="empty"),
    "zip-without-entries": Case(lambda p: write_zip(p, []), NotABundle, says="empty"),
    # --- the manifest
    "manifest-missing": Case(
        lambda p: write_zip(p, [Entry("notes.txt", b"hi")]), ManifestInvalid, "manifest.json"
    ),
    "manifest-invalid-json": Case(
        _raw_manifest(b'{"title": "unfinished'), ManifestInvalid, "manifest.json", says="JSON"
    ),
    "manifest-not-utf8": Case(
        _raw_manifest(json.dumps(manifest_dict()).encode("utf-16")),
        ManifestInvalid,
        "manifest.json",
        says="UTF-8",
    ),
    "manifest-too-large": Case(
        _with_files({}), ManifestInvalid, "manifest.json", limits=Limits(max_manifest_bytes=200)
    ),
    "manifest-not-an-object": Case(_raw_manifest(b"[1, 2, 3]"), ManifestInvalid, "manifest.json"),
    "manifest-nan": Case(
        _raw_manifest(json.dumps(manifest_dict(estimated_minutes_per_task=float("nan"))).encode()),
        ManifestInvalid,
        "manifest.json",
    ),
    "manifest-deeply-nested": Case(
        _deep_json, ManifestInvalid, "manifest.json", says="nested too deeply"
    ),
    "missing-field": Case(
        _raw_manifest(
            json.dumps({k: v for k, v in manifest_dict().items() if k != "title"}).encode()
        ),
        ManifestInvalid,
        "manifest.json",
        says="'title' is missing",
    ),
    "negative-reward": Case(
        _with_files({}, reward_per_task="-1"), ManifestInvalid, "manifest.json", says="at least 0"
    ),
    "bad-currency": Case(
        _with_files({}, currency="euro"), ManifestInvalid, "manifest.json", says="currency"
    ),
    "huge-title": Case(
        _with_files({}, title="x" * 2**20), ManifestInvalid, "manifest.json", says="too long"
    ),
    "naive-deadline": Case(
        _with_files({}, deadline="2030-01-01T00:00:00"), ManifestInvalid, "manifest.json"
    ),
    "duplicate-task-ids": Case(
        _with_files({}, tasks=[{"id": "t-1", "payload": {}}, {"id": "t-1", "payload": {"x": 1}}]),
        ManifestInvalid,
        "manifest.json",
        says="t-1",
    ),
    "task-media-not-listed": Case(
        _with_files({}, tasks=[{"id": "t-1", "payload": {}, "media": ["ghost.png"]}]),
        ManifestInvalid,
        "manifest.json",
        says="ghost.png",
    ),
    "media-paths-differ-only-in-case": Case(
        lambda p: bundle_zip(
            p,
            {"a.txt": b"1", "A.TXT": b"1"},
            manifest=manifest_dict(media=[media_entry("a.txt", b"1"), media_entry("A.TXT", b"1")]),
        ),
        DuplicateEntry,
        "A.TXT",
    ),
    "media-path-traversal-in-manifest": Case(
        _with_files({}, media=[media_entry("../evil.txt", b"x")]), ManifestInvalid, "manifest.json"
    ),
    "nested-archive-listed": Case(
        _entries_listed(Entry("inner.zip", b"PK\x05\x06" + b"\0" * 18)),
        ManifestInvalid,
        "manifest.json",
        says=".zip",
    ),
    "bundle-id-with-traversal": Case(
        _with_files({}, bundle_id="../b-17"), ManifestInvalid, "manifest.json"
    ),
    "unknown-kind": Case(
        _with_files({}, kind="audio_tagging"), UnknownBundleKind, says="newer Ouvrage"
    ),
    "future-format-version": Case(_future_format, UnsupportedFormat, says="newer Ouvrage"),
    "format-version-zero": Case(
        _with_files({}, format_version=0), ManifestInvalid, "manifest.json"
    ),
    # --- the task kind says no
    "validate-task-rejects-payload": Case(
        _with_files({}),
        TaskInvalid,
        validate_task=_reject_one_word_texts,
        found_without_unpacking=False,
        says="t-2",
    ),
    "validate-task-model-error": Case(
        _with_files({}),
        TaskInvalid,
        validate_task=_validate_with_model,
        found_without_unpacking=False,
        says="'segments' is missing",
    ),
}


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder and a profile folder; staging goes inside the profile."""
    (tmp_path / "in").mkdir()
    (tmp_path / "profile").mkdir()
    return tmp_path / "in" / BUNDLE_NAME, tmp_path / "profile" / "staging"


def _assert_nothing_escaped(tmp_path: Path) -> None:
    for folder in (tmp_path, tmp_path.parent, tmp_path / "profile", tmp_path / "in"):
        for name in EVIL_NAMES:
            assert not (folder / name).exists()


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hostile_bundle_is_refused_and_leaves_no_trace(
    case: Case, layout: tuple[Path, Path], tmp_path: Path
) -> None:
    zip_path, staging = layout
    case.make(zip_path)
    before = snapshot(tmp_path)

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(BundleError) as caught:
            extract_bundle(
                zip_path,
                staging,
                known_kinds=KNOWN_KINDS,
                validate_task=case.validate_task,
                limits=case.limits,
            )

    error = caught.value
    assert type(error) is case.error, str(error)
    message = str(error)
    assert f"'{BUNDLE_NAME}'" in message
    assert "\n" not in message and message.endswith(".")
    assert error.member == case.member
    if case.member:
        assert case.member in message
    assert case.says in message
    assert not staging.exists()
    assert snapshot(tmp_path) == before
    _assert_nothing_escaped(tmp_path)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_reading_the_manifest_refuses_without_unpacking(
    case: Case, layout: tuple[Path, Path], tmp_path: Path
) -> None:
    zip_path, _ = layout
    case.make(zip_path)
    before = snapshot(tmp_path)

    if case.found_without_unpacking:
        with pytest.raises(case.error):
            read_manifest(zip_path, known_kinds=KNOWN_KINDS, limits=case.limits)
    else:
        read_manifest(zip_path, known_kinds=KNOWN_KINDS, limits=case.limits)

    assert snapshot(tmp_path) == before


def test_there_are_enough_hostile_cases() -> None:
    assert len(CASES) >= 20


def _failing_open(fail_with: int, after_bytes: int) -> Callable[..., Any]:
    """An ``open`` whose files fail with ``fail_with`` once ``after_bytes`` are written."""
    real_open = open
    written = 0

    class FailingFile:
        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def write(self, data: bytes) -> int:
            nonlocal written
            written += len(data)
            if written > after_bytes:
                raise OSError(fail_with, "simulated")
            return int(self._inner.write(data))

        def __enter__(self) -> FailingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self._inner.close()

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        inner = real_open(file, mode, *args, **kwargs)
        return FailingFile(inner) if "x" in mode else inner

    return fake_open


@pytest.mark.parametrize(
    ("code", "error", "says"),
    [(errno.ENOSPC, DiskFull, "disk is full"), (errno.EACCES, WriteFailed, "writing")],
    ids=["disk-full", "permission-denied"],
)
def test_a_write_failure_midway_removes_the_staging_folder(
    code: int,
    error: type[BundleError],
    says: str,
    layout: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zip_path, staging = layout
    files = {"a.txt": b"a" * 5000, "b.txt": b"b" * 5000}
    bundle_zip(zip_path, files)
    before = snapshot(tmp_path)
    manifest_size = len(json.dumps(manifest_dict(files)).encode())
    monkeypatch.setattr(
        bundle_module, "open", _failing_open(code, manifest_size + 7000), raising=False
    )

    with pytest.raises(error) as caught:
        extract_bundle(zip_path, staging, known_kinds=KNOWN_KINDS)

    assert says in str(caught.value)
    assert f"'{BUNDLE_NAME}'" in str(caught.value)
    assert caught.value.member == "b.txt"
    assert not staging.exists()
    assert snapshot(tmp_path) == before


def test_an_existing_staging_folder_is_refused_and_left_alone(
    layout: tuple[Path, Path],
) -> None:
    zip_path, staging = layout
    bundle_zip(zip_path, TEXT)
    staging.mkdir()
    (staging / "keep.txt").write_text("mine")

    with pytest.raises(WriteFailed):
        extract_bundle(zip_path, staging, known_kinds=KNOWN_KINDS)

    assert (staging / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in staging.iterdir()) == ["keep.txt"]


def test_a_missing_bundle_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(NotABundle, match="cannot be read"):
        read_manifest(tmp_path / "gone.zip", known_kinds=KNOWN_KINDS)
