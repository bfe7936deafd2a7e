"""Why a bundle was refused: error types whose messages a contributor can act on.

Qt-free. Each message names the bundle, the file inside it when there is one,
and what to do; ``summarize`` turns a pydantic error into plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import ValidationError

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
        return f"The bundle '{shown(self.source)}' {self.problem}. {self.advice}"


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


class AudioRefused(BundleDamaged):
    """An audio clip that cannot be decoded: garbage, truncated, or longer than allowed."""


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
        problem = f"has the id '{shown(bundle_id)}' of a different bundle already imported"
        super().__init__(source, problem, **kwargs)
        self.args = (source, bundle_id)  # what pickle passes back to __init__
        self.bundle_id = bundle_id


class DiskFull(BundleError):
    """The disk filled up while unpacking."""

    default_advice = "Free some disk space, then import the bundle again."


class WriteFailed(BundleError):
    """Unpacking failed for a reason on this computer's side (permissions, I/O)."""

    default_advice = "Check that Ouvrage's profile folder can be written to, then import again."


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


def summarize(exc: ValidationError) -> str:
    """The first problem of a validation error in plain words, with where it is."""
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return "it is not valid"
    first = errors[0]
    plain = _PLAIN_ERRORS.get(first["type"])
    what = plain(first.get("ctx") or {}) if plain else first["msg"]
    what = what.removeprefix("Value error, ").removeprefix("Input ")
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{shown(str(part), 40)}"
        for part in first["loc"]
    ).lstrip(".")
    others = len(errors) - 1
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    return f"'{where}' {what}{more}" if where else f"{what}{more}"


def shown(text: str, limit: int = 80) -> str:
    """A name from outside, made safe to show: printable and not endless."""
    text = "".join(c if c.isprintable() else " " if c.isspace() else "?" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def size_text(count: float) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024:
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1024
    return f"{count:,.1f} GB"
