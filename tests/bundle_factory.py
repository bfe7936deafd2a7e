"""Real zip files for the bundle tests: valid bundles and hand-crafted broken ones.

The hostile tests need archives that ``build_bundle`` refuses to produce, so
this module writes zips with ``zipfile`` directly, one raw ``ZipInfo`` at a time.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

KNOWN_KINDS = frozenset({"translation", "photo_clip"})


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_entry(path: str, data: bytes) -> dict[str, Any]:
    """The manifest's description of one media file."""
    return {"path": path, "size": len(data), "sha256": sha256(data)}


def manifest_dict(files: Mapping[str, bytes] | None = None, **overrides: Any) -> dict[str, Any]:
    """A valid manifest for ``files`` (the first task uses all of them), then ``overrides``."""
    files = files or {}
    manifest: dict[str, Any] = {
        "format_version": 1,
        "bundle_id": "b-17",
        "kind": "translation",
        "kind_version": 1,
        "title": "Menus from Lyon",
        "instructions": "Translate each line.",
        "reward_per_task": "0.05",
        "currency": "EUR",
        "deadline": "2030-01-01T00:00:00+00:00",
        "tasks": [
            {"id": "t-1", "payload": {"text": "bonjour"}, "media": sorted(files)},
            {"id": "t-2", "payload": {"text": "merci"}},
        ],
        "media": [media_entry(path, data) for path, data in sorted(files.items())],
    }
    manifest.update(overrides)
    return manifest


@dataclass
class Entry:
    """One raw zip member; ``mode`` is the Unix st_mode stored in external_attr."""

    name: str
    data: bytes = b""
    compress_type: int = zipfile.ZIP_DEFLATED
    mode: int | None = stat.S_IFREG | 0o644


def write_zip(path: Path, entries: Iterable[Entry]) -> Path:
    """Write ``entries`` as they are: duplicates, odd names and modes included."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(path, "w") as archive:
            for entry in entries:
                info = zipfile.ZipInfo(entry.name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = entry.compress_type
                info.create_system = 3
                info.external_attr = (entry.mode or 0) << 16
                archive.writestr(info, entry.data)
    return path


def bundle_zip(
    path: Path,
    files: Mapping[str, bytes] | None = None,
    *,
    manifest: Mapping[str, Any] | bytes | None = None,
    extra: Iterable[Entry] = (),
) -> Path:
    """A bundle whose manifest describes ``files`` (unless ``manifest`` is given) plus ``extra``.

    ``manifest`` may be raw bytes, to write a manifest that is not even JSON.
    """
    files = dict(files or {})
    if manifest is None:
        manifest = manifest_dict(files)
    raw = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    entries = [Entry("manifest.json", raw)]
    entries += [Entry(name, data) for name, data in files.items()]
    return write_zip(path, [*entries, *extra])


def mark_encrypted(path: Path, name: str) -> Path:
    """Set the "encrypted" flag of member ``name`` (zipfile cannot write encrypted zips)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
        offset = archive.start_dir  # type: ignore[attr-defined]
    data[local + 6] |= 0x1  # general purpose flags of the local header
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_len] == name.encode():
            data[offset + 8] |= 0x1  # ... and of the central directory record
        offset += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


def png_bytes(width: int = 4, height: int = 3, mode: str = "RGB") -> bytes:
    """A real PNG image, decoded fine by Pillow."""
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    return out.getvalue()


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path below ``root`` with its content (None for folders)."""
    return {
        str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
        for p in sorted(root.rglob("*"))
    }
