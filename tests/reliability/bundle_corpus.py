"""A corpus of hostile bundle files, each otherwise valid, each with the refusal it must get.

Every bundle here would import if not for its one defect (real translation and
transcription payloads, real audio and images), so the importer must refuse it
for that defect and no other. ``tests.test_bundle_hostile.CASES`` (checked at the
archive level) is run through the importer as a second corpus.
"""

from __future__ import annotations

import io
import json
import os
import stat
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from PIL import Image

from sync.bundle import (
    AudioRefused,
    BundleConflict,
    BundleError,
    ChecksumMismatch,
    DuplicateEntry,
    ImageRefused,
    Limits,
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
)
from tests.bundle_factory import Entry, mark_encrypted, media_entry, png_header_only, write_zip

CONFLICTING_ID = "b-taken"  # imported, valid, before the corpus runs


@dataclass(frozen=True)
class Hostile:
    name: str
    category: str
    make: Callable[[Path], Path]
    refusal: type[BundleError]
    limits: Limits = field(default_factory=Limits)


# --- valid parts -----------------------------------------------------------------------------


def translation_tasks(count: int = 2, *, media: list[str] | None = None) -> list[dict[str, Any]]:
    tasks = []
    for n in range(count):
        payload = {
            "source_lang": "en",
            "target_lang": "fr",
            "segments": [{"id": "s1", "source": f"Save file {n}"}],
        }
        tasks.append({"id": f"t-{n}", "payload": payload, "media": media or [] if n == 0 else []})
    return tasks


def manifest(files: Mapping[str, bytes] | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid translation manifest whose first task uses ``files``; then ``overrides``."""
    files = dict(files or {})
    data: dict[str, Any] = {
        "format_version": 1,
        "bundle_id": "b-usb",
        "kind": "translation",
        "kind_version": 1,
        "title": "Menus from Lyon",
        "instructions": "Translate each line.",
        "reward_per_task": "0.05",
        "currency": "EUR",
        "deadline": "2030-01-01T00:00:00+00:00",
        "tasks": translation_tasks(media=sorted(files)),
        "media": [media_entry(p, d) for p, d in sorted(files.items())],
    }
    data.update(overrides)
    return data


def zipped(
    path: Path,
    files: Mapping[str, bytes] | None = None,
    *,
    manifest_data: Mapping[str, Any] | bytes | None = None,
    extra: tuple[Entry, ...] = (),
) -> Path:
    files = dict(files or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    data = manifest(files) if manifest_data is None else manifest_data
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    entries = [Entry("manifest.json", raw), *(Entry(n, d) for n, d in files.items()), *extra]
    return write_zip(path, entries)


def transcription_zip(path: Path, clip: str, data: bytes) -> Path:
    """A transcription bundle of one task whose clip is ``data``, listed with its true hash."""
    payload = {"audio": clip, "duration_s": 3.0, "language": "en"}
    tasks = [{"id": "t-0", "payload": payload, "media": [clip]}]
    files = {clip: data}
    return zipped(path, files, manifest_data=manifest(files, kind="transcription", tasks=tasks))


@cache
def audio(fmt: str, subtype: str) -> bytes:
    """Three seconds of a real tone in ``fmt``."""
    tone = (0.3 * np.sin(np.linspace(0, 2000, 48_000))).astype("float32")
    out = io.BytesIO()
    soundfile.write(out, tone, 16_000, format=fmt, subtype=subtype)
    return out.getvalue()


def opus() -> bytes:
    return audio("OGG", "OPUS")


def _image(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size).save(out, format=fmt)
    return out.getvalue()


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real JPEG whose frame header claims ``width`` × ``height`` pixels."""
    data = bytearray(_image("JPEG"))
    at = data.index(b"\xff\xc0")  # start of frame: length(2) precision(1) height(2) width(2)
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def webp_claiming(width: int, height: int) -> bytes:
    """A WebP extended header (VP8X) claiming a ``width`` × ``height`` canvas."""
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\0\0\0\0"
    vp8x += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x


def inner_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\0" * 100)
    return out.getvalue()


# --- makers ----------------------------------------------------------------------------------


def _files(files: Mapping[str, bytes], **overrides: Any) -> Callable[[Path], Path]:
    return lambda p: zipped(p, files, manifest_data=manifest(files, **overrides))


def _overrides(**overrides: Any) -> Callable[[Path], Path]:
    return lambda p: zipped(p, manifest_data=manifest(**overrides))


def _raw(raw: bytes) -> Callable[[Path], Path]:
    return lambda p: zipped(p, manifest_data=raw)


def _extra(*entries: Entry) -> Callable[[Path], Path]:
    files = {"notes/menu.txt": b"soupe du jour\n"}
    return lambda p: zipped(p, files, extra=entries)


def _listed(*entries: Entry) -> Callable[[Path], Path]:
    """The entries as the media of the first task, listed with their true size and hash."""
    data = manifest(
        media=[media_entry(e.name, e.data) for e in entries],
        tasks=translation_tasks(media=[e.name for e in entries]),
    )
    return lambda p: write_zip(p, [Entry("manifest.json", json.dumps(data).encode()), *entries])


def _bytes(data: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return make


def _clip(name: str, data: Callable[[], bytes]) -> Callable[[Path], Path]:
    return lambda p: transcription_zip(p, name, data())


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _mangled_json(old: bytes, new: bytes) -> Callable[[Path], Path]:
    raw = json.dumps(manifest()).encode()
    assert old in raw, old
    return _raw(raw.replace(old, new, 1))


def _truncated_zip(path: Path) -> Path:
    zipped(path, {"notes/menu.txt": b"soupe " * 1000})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def _flipped_member(path: Path) -> Path:
    text = b"la soupe du jour " * 200
    zipped(path, {"notes/soup.txt": text})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("notes/soup.txt")
    start = info.header_offset + 30 + len(info.orig_filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _many_entries(path: Path) -> Path:
    files = {f"n/{i}.txt": b"" for i in range(20_001)}
    return zipped(path, files)


def _too_many_tasks(path: Path) -> Path:
    one = translation_tasks(1)[0]
    many = [{**one, "id": f"t-{i}"} for i in range(10_001)]
    return zipped(path, manifest_data=manifest(tasks=many))


def _deep_payload(path: Path) -> Path:
    deep: Any = "x"
    for _ in range(200):
        deep = {"k": deep}
    tasks = translation_tasks()
    tasks[0]["payload"]["context"] = deep
    return zipped(path, manifest_data=manifest(tasks=tasks))


def _long_segment(path: Path) -> Path:
    tasks = translation_tasks()
    tasks[0]["payload"]["segments"][0]["source"] = "long " * 200_000
    return zipped(path, manifest_data=manifest(tasks=tasks))


def _future_kind_version(path: Path) -> Path:
    return zipped(path, manifest_data=manifest(kind_version=99))


def _unknown_payload_field(path: Path) -> Path:
    tasks = translation_tasks()
    tasks[1]["payload"]["run"] = "rm -rf ~"
    return zipped(path, manifest_data=manifest(tasks=tasks))


def _conflict(path: Path) -> Path:
    return zipped(path, manifest_data=manifest(bundle_id=CONFLICTING_ID, title="Another bundle"))


def _nfd_duplicate(path: Path) -> Path:
    composed = unicodedata.normalize("NFC", "notes/café.txt")
    decomposed = unicodedata.normalize("NFD", "notes/café.txt")
    return zipped(path, {composed: b"1"}, extra=(Entry(decomposed, b"2"),))


def _bad_utf8_name(path: Path) -> Path:
    """An entry whose name is flagged UTF-8 but holds bytes that are not."""
    zipped(path, TEXT, extra=(Entry("notes/éé.txt", b"x"),))
    good = "notes/éé.txt".encode()
    bad = good.replace("éé".encode(), b"\xff\xfe\xff\xfe")
    path.write_bytes(path.read_bytes().replace(good, bad))
    return path


LINK = stat.S_IFLNK | 0o777
TEXT = {"notes/menu.txt": b"soupe du jour\n"}


def corpus() -> list[Hostile]:
    """Every hostile bundle, by category."""
    return [
        # --- paths that leave the profile
        Hostile("zip slip ../", "zip slip", _extra(Entry("../evil.txt", b"x")), UnsafePath),
        Hostile(
            "zip slip deep", "zip slip", _extra(Entry("a/../../../evil.txt", b"x")), UnsafePath
        ),
        Hostile(
            "backslash traversal",
            "zip slip",
            _extra(Entry("a\\..\\..\\evil.txt", b"x")),
            UnsafePath,
        ),
        Hostile(
            "absolute path", "absolute paths", _extra(Entry("/tmp/evil.txt", b"x")), UnsafePath
        ),
        Hostile("drive letter", "absolute paths", _extra(Entry("C:/evil.txt", b"x")), UnsafePath),
        Hostile(
            "symlink to /etc/passwd",
            "symlinks",
            _extra(Entry("link.txt", b"/etc/passwd", mode=LINK)),
            UnsafePath,
        ),
        Hostile(
            "listed symlink",
            "symlinks",
            _listed(Entry("notes.txt", b"../../.bashrc", mode=LINK)),
            UnsafePath,
        ),
        Hostile(
            "device entry",
            "symlinks",
            _extra(Entry("disk.txt", b"", mode=stat.S_IFBLK | 0o600)),
            UnsafePath,
        ),
        # --- bombs
        Hostile(
            "zip bomb (ratio)", "zip bomb", _files({"zeros.txt": b"\0" * (60 * 2**20)}), TooLarge
        ),
        Hostile("20,001 entries", "zip bomb", _many_entries, TooLarge),
        Hostile(
            "over a lowered total",
            "zip bomb",
            _files({"a.txt": b"a" * 9000}),
            TooLarge,
            Limits(max_total_bytes=8000),
        ),
        Hostile(
            "PNG 30,000²",
            "decompression-bomb images",
            _files({"huge.png": png_header_only(30_000, 30_000)}),
            ImageRefused,
        ),
        Hostile(
            "PNG 10,000²",
            "decompression-bomb images",
            _files({"big.png": png_header_only(10_000, 10_000)}),
            ImageRefused,
        ),
        Hostile(
            "JPEG 65,000²",
            "decompression-bomb images",
            _files({"big.jpg": jpeg_claiming(65_000, 65_000)}),
            ImageRefused,
        ),
        Hostile(
            "WebP 16,000²",
            "decompression-bomb images",
            _files({"big.webp": webp_claiming(16_000, 16_000)}),
            ImageRefused,
        ),
        Hostile(
            "garbage image",
            "decompression-bomb images",
            _files({"photo.png": os.urandom(500)}),
            ImageRefused,
        ),
        # --- nested archives
        Hostile(
            "zip listed as media",
            "nested archives",
            _listed(Entry("inner.zip", inner_zip())),
            ManifestInvalid,
        ),
        Hostile(
            "tar.gz listed as media",
            "nested archives",
            _listed(Entry("inner.tar.gz", b"\x1f\x8b")),
            ManifestInvalid,
        ),
        Hostile(
            "zip hidden in the archive",
            "nested archives",
            _extra(Entry("inner.zip", inner_zip())),
            UnexpectedFile,
        ),
        Hostile(
            "zip named .png", "nested archives", _files({"photo.png": inner_zip()}), ImageRefused
        ),
        # --- audio
        Hostile(
            "Opus cut in half",
            "truncated or garbage audio",
            _clip("a/c.opus", lambda: _half(opus())),
            AudioRefused,
        ),
        Hostile(
            "WAV cut in half",
            "truncated or garbage audio",
            _clip("a/c.wav", lambda: _half(audio("WAV", "PCM_16"))),
            AudioRefused,
        ),
        Hostile(
            "FLAC cut in half",
            "truncated or garbage audio",
            _clip("a/c.flac", lambda: _half(audio("FLAC", "PCM_16"))),
            AudioRefused,
        ),
        Hostile(
            "MP3 cut in half",
            "truncated or garbage audio",
            _clip("a/c.mp3", lambda: _half(audio("MP3", "MPEG_LAYER_III"))),
            AudioRefused,
        ),
        Hostile(
            "random bytes as Opus",
            "truncated or garbage audio",
            _clip("a/c.opus", lambda: os.urandom(8000)),
            AudioRefused,
        ),
        Hostile(
            "text as MP3",
            "truncated or garbage audio",
            _clip("a/c.mp3", lambda: b"not a song\n" * 50),
            AudioRefused,
        ),
        Hostile(
            "empty WAV", "truncated or garbage audio", _clip("a/c.wav", lambda: b""), AudioRefused
        ),
        # --- checksums and sizes
        Hostile(
            "wrong SHA-256",
            "wrong checksums",
            lambda p: zipped(p, {"a.txt": b"12345"}, manifest_data=manifest({"a.txt": b"54321"})),
            ChecksumMismatch,
        ),
        Hostile(
            "wrong size",
            "wrong checksums",
            lambda p: zipped(p, {"a.txt": b"12345"}, manifest_data=manifest({"a.txt": b"123"})),
            SizeMismatch,
        ),
        Hostile("flipped byte in the data", "wrong checksums", _flipped_member, NotABundle),
        Hostile("truncated zip", "wrong checksums", _truncated_zip, NotABundle),
        # --- the manifest's schema
        Hostile(
            "no title",
            "manifest schema violations",
            _raw(json.dumps({k: v for k, v in manifest().items() if k != "title"}).encode()),
            ManifestInvalid,
        ),
        Hostile(
            "reward in words",
            "manifest schema violations",
            _overrides(reward_per_task="lots"),
            ManifestInvalid,
        ),
        Hostile(
            "negative reward",
            "manifest schema violations",
            _overrides(reward_per_task="-0.05"),
            ManifestInvalid,
        ),
        Hostile(
            "deadline without zone",
            "manifest schema violations",
            _overrides(deadline="2030-01-01T00:00:00"),
            ManifestInvalid,
        ),
        Hostile(
            "NaN minutes",
            "manifest schema violations",
            _mangled_json(b'"instructions"', b'"estimated_minutes_per_task": NaN, "instructions"'),
            ManifestInvalid,
        ),
        Hostile(
            "an unknown field",
            "manifest schema violations",
            _overrides(run_after_import="sh evil.sh"),
            ManifestInvalid,
        ),
        Hostile(
            "a list, not an object",
            "manifest schema violations",
            _raw(b"[1, 2, 3]"),
            ManifestInvalid,
        ),
        Hostile("10,001 tasks", "manifest schema violations", _too_many_tasks, ManifestInvalid),
        Hostile(
            "payload nested 200 deep", "manifest schema violations", _deep_payload, ManifestInvalid
        ),
        Hostile(
            "payload with an unknown field",
            "manifest schema violations",
            _unknown_payload_field,
            TaskInvalid,
        ),
        Hostile(
            "no manifest",
            "manifest schema violations",
            lambda p: write_zip(p, [Entry("notes.txt", b"hi")]),
            ManifestInvalid,
        ),
        # --- huge strings
        Hostile("1 MB title", "huge strings", _overrides(title="x" * 2**20), ManifestInvalid),
        Hostile(
            "1 MB instructions",
            "huge strings",
            _overrides(instructions="y" * 2**20),
            ManifestInvalid,
        ),
        Hostile("1 MB segment", "huge strings", _long_segment, TaskInvalid),
        Hostile(
            "10 KB bundle id", "huge strings", _overrides(bundle_id="b" * 10_000), ManifestInvalid
        ),
        Hostile(
            "300-character file name",
            "huge strings",
            _extra(Entry("n" * 300 + ".txt", b"x")),
            UnsafePath,
        ),
        Hostile(
            "9 MB manifest", "huge strings", _overrides(padding="p" * (9 * 2**20)), ManifestInvalid
        ),
        # --- invalid UTF-8
        Hostile(
            "manifest bytes not UTF-8",
            "invalid UTF-8",
            _mangled_json(b"Menus from Lyon", b"Menus \xff\xfe Lyon"),
            ManifestInvalid,
        ),
        Hostile(
            "manifest in UTF-16",
            "invalid UTF-8",
            _raw(json.dumps(manifest()).encode("utf-16")),
            ManifestInvalid,
        ),
        Hostile(
            "lone surrogate in the title",
            "invalid UTF-8",
            _mangled_json(b"Menus from Lyon", b"Menus \\ud800 Lyon"),
            ManifestInvalid,
        ),
        Hostile(
            "lone surrogate in a segment",
            "invalid UTF-8",
            _mangled_json(b"Save file 0", b"Save \\udfff"),
            TaskInvalid,
        ),
        Hostile("file name not UTF-8", "invalid UTF-8", _bad_utf8_name, NotABundle),
        # --- duplicates
        Hostile(
            "duplicate task ids",
            "duplicate ids",
            _overrides(tasks=translation_tasks(1) * 2),
            ManifestInvalid,
        ),
        Hostile(
            "duplicate media paths",
            "duplicate ids",
            _overrides(media=[media_entry("a.txt", b"1")] * 2),
            ManifestInvalid,
        ),
        Hostile(
            "the same entry twice",
            "duplicate ids",
            _extra(Entry("notes/menu.txt", b"other")),
            DuplicateEntry,
        ),
        Hostile(
            "names equal but for case",
            "duplicate ids",
            _extra(Entry("Notes/MENU.txt", b"x")),
            DuplicateEntry,
        ),
        Hostile("names equal once normalised", "duplicate ids", _nfd_duplicate, DuplicateEntry),
        Hostile("an id already imported", "duplicate ids", _conflict, BundleConflict),
        # --- kinds and versions
        Hostile(
            "unknown kind", "unknown kinds", _overrides(kind="audio_tagging"), UnknownBundleKind
        ),
        Hostile(
            "future format version",
            "a future format version",
            _overrides(format_version=2),
            UnsupportedFormat,
        ),
        Hostile(
            "future kind version", "a future format version", _future_kind_version, TaskInvalid
        ),
        # --- manifest and media disagree
        Hostile(
            "listed file missing",
            "manifest/media mismatch",
            lambda p: zipped(p, {}, manifest_data=manifest(TEXT)),
            MissingFile,
        ),
        Hostile(
            "file not listed",
            "manifest/media mismatch",
            _extra(Entry("notes/extra.txt", b"x")),
            UnexpectedFile,
        ),
        Hostile(
            "task uses unlisted media",
            "manifest/media mismatch",
            _overrides(tasks=translation_tasks(media=["ghost.png"])),
            ManifestInvalid,
        ),
        Hostile(
            "a path both file and folder",
            "manifest/media mismatch",
            _files({"a.txt": b"1", "a.txt/b.txt": b"2"}),
            ManifestInvalid,
        ),
        # --- not a bundle at all
        Hostile("empty file", "not a bundle", _bytes(b""), NotABundle),
        Hostile(
            "a letter",
            "not a bundle",
            _bytes(b"Dear contributor,\nhere are your tasks.\n"),
            NotABundle,
        ),
        Hostile("zip without entries", "not a bundle", lambda p: write_zip(p, []), NotABundle),
        Hostile(
            "encrypted member",
            "not a bundle",
            lambda p: mark_encrypted(_extra(Entry("s.txt", b"x"))(p), "s.txt"),
            NotABundle,
        ),
        Hostile(
            "bzip2 member",
            "not a bundle",
            _extra(Entry("b.txt", b"x" * 99, compress_type=zipfile.ZIP_BZIP2)),
            NotABundle,
        ),
    ]
