"""The log file in the profile, with secrets kept out of it, and the diagnostics zip. Qt-free.

``setup_logging(profile)`` sends every log record to ``<profile>/logs/ouvrage.log``
(rotated at 1 MB, three old files kept) and to standard error, each line passed
through ``redact`` first. ``export_diagnostics(profile, dest_zip)`` writes one zip a
contributor can attach to a report: the logs (redacted again), versions, settings
without secrets, the schema version and counts. Never drafts, results or tokens.
"""

from __future__ import annotations

import importlib
import io
import json
import logging
import logging.handlers
import platform
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.profile import Profile

if TYPE_CHECKING:
    from app.store import Store

__all__ = [
    "LOG_BACKUPS",
    "LOG_MAX_BYTES",
    "REDACTED",
    "RedactingFilter",
    "RedactingFormatter",
    "export_diagnostics",
    "log_path",
    "redact",
    "setup_logging",
]

LOG_DIRNAME = "logs"
LOG_FILENAME = "ouvrage.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

# Setting keys, ini keys and JSON fields whose values are never copied out.
SECRET_WORDS = ("token", "password", "passwd", "secret", "authorization", "cookie", "api_key")
# Libraries whose versions help read a report.
LIBRARIES = (
    "PySide6", "PySide6-Essentials", "shiboken6", "pydantic", "requests", "sqlite-utils",
    "numpy", "pillow", "opencv-python-headless", "soundfile", "sounddevice", "rapidfuzz",
    "translate-toolkit", "pyspellchecker", "platformdirs", "keyring", "fastapi", "uvicorn",
)  # fmt: skip

_SECRET_KEY = r"(?:access[_-]?|refresh[_-]?|admin[_-]?|auth[_-]?|session[_-]?|api[_-]?)?" + (
    r"(?:token|password|passwd|pwd|secret|api[_-]?key|cookie)"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer abc…, Authorization: Basic abc…, a bare "Bearer abc…"
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)[^\"'\r\n,}]+"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}"), rf"\1\2{REDACTED}"),
    # token=…, "password": "…", admin_token: …, ?token=… in a URL
    (
        re.compile(rf"(?i)([\"']?{_SECRET_KEY}\b[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}}\]]+)"),
        rf"\1{REDACTED}",
    ),
    # "token AbCd…", "admin token AbCd…": a key word followed by something token-shaped
    (
        re.compile(rf"(?i)(\b{_SECRET_KEY}\b\s+)([A-Za-z0-9_~+/=.-]{{12,}})"),
        rf"\1{REDACTED}",
    ),
    # https://user:password@host
    (re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^/\s@]+@"), rf"\1{REDACTED}@"),
)
# A sign-in token as servers issue them (``secrets.token_urlsafe``): 20+ URL-safe
# characters mixing upper case, lower case and digits. Hex digests, UUIDs, ids like
# ``demo-en-fr-app`` and ordinary words never mix all three.
_TOKEN_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])")


def _looks_like_token(word: str) -> bool:
    return (
        any(c.isupper() for c in word)
        and any(c.islower() for c in word)
        and any(c.isdigit() for c in word)
    )


def redact(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every secret replaced by ``[redacted]``.

    Catches Authorization headers, ``Bearer``/``Basic`` credentials, ``key=value`` and
    JSON pairs whose key names a token, password, secret or cookie, passwords in
    URLs, anything shaped like a sign-in token, and each exact string in ``known``.
    """
    for secret in known:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _TOKEN_SHAPED.sub(
        lambda m: REDACTED if _looks_like_token(m.group(0)) else m.group(0), text
    )


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (arguments merged in) without its secrets.

    Put on handlers, so records propagated from every logger pass through it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep what can be kept
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        return True


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, tracebacks and stack included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_path(profile: Profile) -> Path:
    return profile.root / LOG_DIRNAME / LOG_FILENAME


def _ours(handler: logging.Handler) -> bool:
    return getattr(handler, "_ouvrage", False) is True


def setup_logging(profile: Profile, *, level: int = logging.INFO, console: bool = True) -> Path:
    """Log to ``<profile>/logs/ouvrage.log`` (1 MB × 3 rotated) and to stderr, redacted.

    Calling it again (another profile, a test) replaces the handlers it set up
    before. Returns the log file's path; raises ``OSError`` if the folder cannot
    be made.
    """
    path = log_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(old)
        old.close()
    formatter = RedactingFormatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    ]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        handler._ouvrage = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    logging.captureWarnings(True)
    return path


# ---------------------------------------------------------------- the diagnostics zip


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def _qt_version() -> str | None:
    # Only when Qt is already loaded (the window is open): the command line stays Qt-free.
    if "PySide6.QtCore" not in sys.modules:
        return None
    try:
        return str(importlib.import_module("PySide6.QtCore").qVersion())
    except (ImportError, AttributeError):
        return None


def versions() -> dict[str, Any]:
    """Ouvrage, Python, Qt, the operating system and the key libraries."""
    from app import __version__

    libraries = {name: _version(name) for name in LIBRARIES}
    return {
        "ouvrage": __version__,
        "python": sys.version,
        "python_implementation": platform.python_implementation(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "qt": _qt_version(),
        "os": platform.platform(),
        "machine": platform.machine(),
        "libraries": {name: v for name, v in libraries.items() if v is not None},
    }


def _is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


def scrub(value: Any) -> Any:
    """A copy of ``value`` with every field whose name speaks of a secret removed, and
    every remaining string passed through ``redact``."""
    if isinstance(value, Mapping):
        return {
            str(k): (REDACTED if _is_secret_key(str(k)) else scrub(v)) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


def _store_settings(store: Store) -> dict[str, Any]:
    # The store has no "every setting" call; its sqlite-utils table gives the rows.
    settings: dict[str, Any] = {}
    for row in store.db.table("settings").rows:
        key = str(row["key"])
        try:
            value = json.loads(row["value"]) if row["value"] is not None else None
        except ValueError:
            value = row["value"]
        settings[key] = REDACTED if _is_secret_key(key) else value
    return scrub(settings)


def _ini_settings(path: Path) -> dict[str, str]:
    """An ini file of the profile (window, editors) as text values, binary blobs left out."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return {}
    values: dict[str, str] = {}
    for section in parser.sections():
        for key, value in parser.items(section):
            if value.startswith("@ByteArray("):
                value = "(binary)"  # geometry and splitter states say nothing useful
            values[f"{section}/{key}"] = REDACTED if _is_secret_key(key) else value
    return scrub(values)


def _counts(store: Store) -> dict[str, Any]:
    outbox = Counter(row.state for row in store.outbox())
    return {
        "schema_version": store.schema_version,
        "bundles": len(store.bundles()),
        "tasks_by_state": store.counts_by_state(),
        "outbox_by_state": dict(sorted(outbox.items())),
    }


def _known_secrets(profile: Profile, store: Store | None) -> list[str]:
    """The profile's own tokens, so the logs lose them even where no pattern would match."""
    found: list[str] = []
    private = profile.root / "private"
    if private.is_dir():
        for path in private.glob("token-*"):
            try:
                found.append(path.read_text(encoding="utf-8").strip())
            except (OSError, UnicodeDecodeError):
                continue
    if store is not None:
        from app.session import ServerAccount, TokenVault

        account = ServerAccount.from_json(store.setting("server.account"))
        if account is not None:
            try:
                token = TokenVault(profile).load(account)
            except Exception:  # noqa: BLE001 - a broken keyring must not stop the export
                token = None
            if token:
                found.append(token)
    return [secret for secret in found if secret]


def _log_files(profile: Profile) -> list[Path]:
    folder = log_path(profile).parent
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(LOG_FILENAME))


def export_diagnostics(profile: Profile, dest_zip: Path, store: Store | None = None) -> Path:
    """Write a diagnostics zip to ``dest_zip`` and return its path.

    It holds ``logs/`` (the log files, redacted again), ``versions.json``,
    ``settings.json`` (the store's settings and the profile's ini files, secrets
    removed), ``profile.json`` (schema version, bundles, tasks and outbox by state)
    and ``README.txt``. ``store`` is the profile's open store, or None to leave the
    store parts out. Nothing is written anywhere else; raises ``OSError`` when the
    zip cannot be written.
    """
    known = _known_secrets(profile, store)
    counts: dict[str, Any] = {"schema_version": None}
    settings: dict[str, Any] = {}
    if store is not None:
        counts = _counts(store)
        settings["store"] = _store_settings(store)
    for name in ("window.ini", "editors.ini"):
        ini = profile.root / name
        if ini.is_file():
            settings[name] = _ini_settings(ini)
    info = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "profile": str(profile.root),
        **counts,
    }
    buffer = io.BytesIO()  # built in memory: no temporary file anywhere
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme())
        archive.writestr("versions.json", _dump(versions()))
        archive.writestr("settings.json", _dump(settings))
        archive.writestr("profile.json", _dump(info))
        for path in _log_files(profile):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            archive.writestr(f"logs/{path.name}", redact(text, known))
    dest_zip = Path(dest_zip)
    dest_zip.parent.mkdir(parents=True, exist_ok=True)
    dest_zip.write_bytes(buffer.getvalue())
    return dest_zip


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


def _readme() -> str:
    return (
        "Ouvrage diagnostics\n\n"
        "logs/           the application's log files, with tokens and passwords removed\n"
        "versions.json   Ouvrage, Python, Qt, the operating system and libraries\n"
        "settings.json   the profile's settings, without secrets\n"
        "profile.json    schema version, bundle count, tasks and outbox by state\n\n"
        "No draft, result, token or password is included.\n"
    )
