"""The manifest of a task bundle: what ``manifest.json`` may contain.

These models are the single definition of a valid manifest: the builder
validates through them before writing, the extractor before unpacking. Every
string has a length limit and every media path is checked to be a safe,
portable file name, because a manifest comes from outside and its names
become files on the contributor's disk.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

__all__ = [
    "FORMAT_VERSION",
    "MANIFEST_NAME",
    "MEDIA_EXTENSIONS",
    "Manifest",
    "ManifestTask",
    "MediaFile",
    "path_key",
    "unsafe_path_reason",
]

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
MAX_PATH_CHARS = 255
MAX_PAYLOAD_DEPTH = 64

# Media a task kind may need; archives (.zip, .tar, .gz, .7z …) are absent on purpose.
MEDIA_EXTENSIONS = frozenset(
    [
        "webp",
        "jpg",
        "jpeg",
        "png",
        "opus",
        "ogg",
        "flac",
        "wav",
        "mp3",
        "txt",
        "json",
        "tmx",
        "tbx",
        "csv",
        "xlf",
        "xliff",
        "po",
    ]
)

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
# No ':' in a bundle id: it names a directory, and Windows refuses ':' in names.
_BUNDLE_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_SHA256 = r"^[0-9a-f]{64}$"
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f]')
# Windows opens a device instead of a file for these names, whatever the extension.
_WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)

Decimal18 = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
TaskId = Annotated[str, StringConstraints(pattern=_ID)]


def path_key(path: str) -> str:
    """Return the form under which two names collide on Windows or macOS."""
    return unicodedata.normalize("NFC", path).casefold()


def _windows_device(component: str) -> bool:
    return component.split(".", 1)[0].rstrip(" ").casefold() in _WINDOWS_DEVICES


def unsafe_path_reason(path: str) -> str | None:
    """Say why ``path`` cannot be written below a bundle folder, or None if it can.

    Safe means: relative POSIX path, no ``..``/``.``/empty component, no
    backslash, drive letter or character Windows refuses, no device name,
    no trailing dot or space, at most 255 characters.
    """
    if not path:
        return "has an empty name"
    if len(path) > MAX_PATH_CHARS:
        return f"has a name longer than {MAX_PATH_CHARS} characters"
    if path.startswith("/"):
        return "is an absolute path"
    if re.match(r"^[A-Za-z]:", path):
        return "starts with a drive letter"
    if "\\" in path:
        return "contains a backslash"
    for component in path.split("/"):
        if component == "..":
            return "points outside the bundle folder"
        if component in ("", "."):
            return "has an empty or '.' folder name"
        if _WINDOWS_FORBIDDEN.search(component):
            return "contains a character that is not allowed in file names"
        if component.endswith((".", " ")):
            return "has a name ending in a dot or space"
        if _windows_device(component):
            return "uses a name reserved for devices on Windows"
    return None


def _check_media_path(path: str) -> str:
    # Messages complete "'media[0].path' …".
    reason = unsafe_path_reason(path)
    if reason:
        raise ValueError(reason)
    if path_key(PurePosixPath(path).parts[0]) == MANIFEST_NAME:
        raise ValueError(f"takes the name {MANIFEST_NAME}, which is reserved")
    stem, dot, extension = path.rpartition("/")[2].rpartition(".")
    if not dot or not stem:
        raise ValueError("needs a file name and an extension")
    if extension.lower() not in MEDIA_EXTENSIONS:
        allowed = ", ".join(sorted(MEDIA_EXTENSIONS))
        raise ValueError(
            f"is a .{extension[:16]} file, which bundles cannot hold (allowed: {allowed})"
        )
    return path


def _check_bundle_id(bundle_id: str) -> str:
    if bundle_id.endswith(".") or _windows_device(bundle_id):
        raise ValueError("cannot be used as a folder name")
    return bundle_id


def _check_payload(payload: dict[str, Any]) -> dict[str, Any]:
    # Deep nesting would blow the stack of whatever walks the payload later.
    stack: list[tuple[Any, int]] = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_PAYLOAD_DEPTH:
            raise ValueError(f"is nested more than {MAX_PAYLOAD_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list | tuple):
            stack.extend((child, depth + 1) for child in value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise ValueError("holds a number JSON cannot (NaN or infinity)")
    return payload


MediaPath = Annotated[
    str, StringConstraints(max_length=MAX_PATH_CHARS), AfterValidator(_check_media_path)
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MediaFile(_Strict):
    """One media file of the bundle, with the size and SHA-256 it must have."""

    path: MediaPath
    size: Annotated[int, Field(strict=True, ge=0)]
    sha256: Annotated[str, StringConstraints(pattern=_SHA256)]


class ManifestTask(_Strict):
    """One task: its payload (read by the task kind), its media and optional own reward."""

    id: TaskId
    payload: Annotated[dict[str, Any], AfterValidator(_check_payload)]
    media: Annotated[list[MediaPath], Field(max_length=1000)] = []
    reward: Decimal18 | None = None


class Manifest(_Strict):
    """The content of ``manifest.json``.

    Raises pydantic ``ValidationError`` on construction when a field is out of
    bounds, a task id or media path repeats, or a task names unlisted media.
    """

    format_version: Annotated[int, Field(strict=True, ge=1)]
    bundle_id: Annotated[
        str, StringConstraints(pattern=_BUNDLE_ID), AfterValidator(_check_bundle_id)
    ]
    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    kind_version: Annotated[int, Field(strict=True, ge=1)] = 1
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    instructions: Annotated[str, StringConstraints(max_length=20_000)] = ""
    reward_per_task: Decimal18
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    deadline: AwareDatetime
    estimated_minutes_per_task: Annotated[float, Field(gt=0, le=10_000)] | None = None
    tasks: Annotated[list[ManifestTask], Field(min_length=1, max_length=10_000)]
    media: Annotated[list[MediaFile], Field(max_length=20_000)] = []

    @model_validator(mode="after")
    def _check_consistency(self) -> Manifest:
        task_ids: set[str] = set()
        for task in self.tasks:
            if task.id in task_ids:
                raise ValueError(f"the task id '{task.id}' appears more than once")
            task_ids.add(task.id)
        files: dict[str, str] = {}
        for media in self.media:
            key = path_key(media.path)
            if key in files:
                raise ValueError(
                    f"the media paths '{files[key]}' and '{media.path}' name the same file"
                )
            files[key] = media.path
        folders = {path_key(str(parent)) for m in self.media for parent in _folders(m.path)}
        for key, path in files.items():
            if key in folders:
                raise ValueError(f"the media path '{path}' is both a file and a folder")
        listed = {media.path for media in self.media}
        for task in self.tasks:
            for path in task.media:
                if path not in listed:
                    raise ValueError(
                        f"task '{task.id}' uses '{path}', which is not in the media list"
                    )
        return self

    def reward_for(self, task: ManifestTask) -> Decimal:
        """The reward for ``task``: its own if it has one, else the bundle's."""
        return task.reward if task.reward is not None else self.reward_per_task


def _folders(path: str) -> list[PurePosixPath]:
    return list(PurePosixPath(path).parents)[:-1]  # without the final '.'


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
