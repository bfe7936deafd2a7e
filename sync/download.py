"""Resumable, verified download of a leased bundle archive.

Qt-free, no SQL. ``download_archive`` writes into ``<dest>.part`` beside a tiny
sidecar ``<dest>.part.json`` that records which archive the bytes belong to
(the lease's SHA-256, used as the ETag, and its size). After any cut it asks
for the rest (``Range``/``If-Range``), hashing as it goes; once every byte is
there and the size and SHA-256 match the lease, the file is moved to ``dest``.
A cancelled, cut-off or disk-full download leaves the ``.part`` for a later
call to continue.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sync.bundle_errors import size_text
from sync.client import ServerClient
from sync.errors import (
    ArchiveChanged,
    Cancelled,
    DownloadCorrupt,
    DownloadDiskFull,
    DownloadWriteFailed,
    MalformedAnswer,
    NetworkUnavailable,
    Refused,
    ServerError,
)
from sync.protocol import Lease
from sync.retry import CancelToken, RetryPolicy, is_transient

__all__ = ["DownloadProgress", "DownloadResult", "download_archive", "part_paths"]

_CHUNK = 64 * 1024
_PROGRESS_INTERVAL = 0.1  # seconds between progress reports (the last one always goes)
_RATE_WINDOW = 5.0  # seconds of history behind the speed shown
_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_SIDECAR_VERSION = 1


@dataclass(frozen=True)
class DownloadProgress:
    """Where a download stands: bytes of the archive on disk, of ``total``."""

    bundle_id: str
    received: int
    total: int
    bytes_per_second: float  # over the last few seconds; 0 until measured
    eta_seconds: float | None  # None while the speed is unknown


@dataclass(frozen=True)
class DownloadResult:
    path: Path  # the verified archive
    bytes_on_wire: int  # body bytes received in this call, over every attempt
    attempts: int  # requests made in this call


def part_paths(dest: Path) -> tuple[Path, Path]:
    """The partial file and its sidecar for a download into ``dest``."""
    part = dest.with_suffix(dest.suffix + ".part")
    return part, part.with_suffix(part.suffix + ".json")


def download_archive(
    client: ServerClient,
    lease: Lease,
    dest: Path,
    *,
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: CancelToken | None = None,
    retry: RetryPolicy | None = None,
) -> DownloadResult:
    """Download the archive of ``lease`` into ``dest``, resuming any ``.part`` left before;
    a ``dest`` that already holds the verified archive is kept without a request.

    ``progress`` is called from this thread at most every 0.1 s and once at
    the end; ``retry`` (default: the client's) bounds the failures in a row
    without progress; an attempt that brought bytes resets the count. Returns
    the ``DownloadResult``. Raises ``DownloadCorrupt`` (size or SHA-256 wrong:
    the ``.part`` is deleted), ``ArchiveChanged`` (the server has another file
    than the lease describes), ``DownloadDiskFull`` / ``DownloadWriteFailed``
    (the ``.part`` is kept), ``Cancelled`` (the ``.part`` is kept), or the
    ``ServerError`` of the last attempt once retries are used up (``.part`` kept).
    """
    policy = retry if retry is not None else client.retry
    job = _Download(client, lease, dest, progress, cancel)
    job.prepare()
    failures = 0
    while not job.complete:
        if cancel is not None:
            cancel.raise_if_cancelled("The download")
        before = job.received
        try:
            job.fetch()
        except ServerError as error:
            if job.received > before:
                failures = 0  # a cut after progress: the link works, just badly
            if not is_transient(error):
                raise
            failures += 1
            if failures >= policy.attempts:
                raise
            retry_after = getattr(error, "retry_after", None)
            if retry_after is not None and retry_after > policy.longest_wait:
                raise
            policy.pause(policy.delay(failures - 1, retry_after), cancel)
    return job.finish()


class _Download:
    """The state of one download: the ``.part`` file, its hash so far, the counters."""

    def __init__(
        self,
        client: ServerClient,
        lease: Lease,
        dest: Path,
        progress: Callable[[DownloadProgress], None] | None,
        cancel: CancelToken | None,
    ) -> None:
        self.client = client
        self.lease = lease
        self.bundle_id = lease.bundle_id
        self.size = lease.size_bytes
        self.sha256 = lease.archive_sha256
        self.dest = dest
        self.part, self.sidecar = part_paths(dest)
        self.progress = progress
        self.cancel = cancel
        self.hasher = hashlib.sha256()
        self.received = 0
        self.bytes_on_wire = 0
        self.attempts = 0
        self._samples: list[tuple[float, int]] = []
        self._last_report = 0.0
        self.done_before = False  # ``dest`` held the verified archive already

    @property
    def complete(self) -> bool:
        return self.received >= self.size

    # --- the .part file ----------------------------------------------------------------

    def prepare(self) -> None:
        """Continue a ``.part`` written for this very archive, or start a fresh one; nothing
        to do when ``dest`` already holds it (an import that failed after the download)."""
        try:
            self.dest.parent.mkdir(parents=True, exist_ok=True)
            if self._dest_holds_archive():
                self.received = self.size
                self.done_before = True
                return
            if self._sidecar_matches() and self.part.is_file():
                length = self.part.stat().st_size
                if length <= self.size:
                    self._hash_existing(length)
                    return
            self._start_over()
        except OSError as exc:
            raise self._write_error(exc, self.part) from exc

    def _dest_holds_archive(self) -> bool:
        if not self.dest.is_file() or self.dest.stat().st_size != self.size:
            return False
        with self.dest.open("rb") as existing:
            return hashlib.file_digest(existing, "sha256").hexdigest() == self.sha256

    def _sidecar_matches(self) -> bool:
        try:
            recorded = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(recorded, dict) and recorded == self._sidecar_content()

    def _sidecar_content(self) -> dict[str, Any]:
        return {
            "version": _SIDECAR_VERSION,
            "bundle_id": self.bundle_id,
            "etag": self.sha256,
            "size": self.size,
        }

    def _hash_existing(self, length: int) -> None:
        with self.part.open("rb") as existing:
            while chunk := existing.read(1 << 20):
                if self.cancel is not None:
                    self.cancel.raise_if_cancelled("The download")
                self.hasher.update(chunk)
        self.received = length

    def _start_over(self) -> None:
        """An empty ``.part`` and a sidecar naming the archive it will hold."""
        # The sidecar goes first, so a crash never leaves bytes of an unknown archive.
        self.part.unlink(missing_ok=True)
        self.sidecar.write_text(json.dumps(self._sidecar_content()), encoding="utf-8")
        self.part.write_bytes(b"")
        self.hasher = hashlib.sha256()
        self.received = 0

    # --- one request ---------------------------------------------------------------------

    def fetch(self) -> None:
        """One request for the missing bytes, appended to the ``.part`` as they come."""
        offset = self.received
        self.attempts += 1
        try:
            response = self.client.open_archive(
                self.lease.archive_path, offset=offset, etag=self.sha256 if offset else None
            )
        except Refused as error:
            if error.code != "range_not_satisfiable" or not offset:
                raise
            self._restart()  # the server has no such range: the next request takes it all
            return
        with response:
            start = self._check_answer(response, offset)
            if start != offset:
                self._restart()  # the server ignored the range or the archive changed
            try:
                handle = self.part.open("r+b", buffering=0)
            except OSError as exc:
                raise self._write_error(exc, self.part) from exc
            with handle:
                handle.seek(self.received)
                handle.truncate()
                self._receive(response, handle)

    def _check_answer(self, response: Any, offset: int) -> int:
        """Where the body of ``response`` starts in the archive (0 or ``offset``)."""
        host = self.client.host
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise MalformedAnswer(host, f"a compressed archive ({encoding}) it was not asked for")
        etag = _plain_etag(response.headers.get("ETag"))
        if etag is not None and re.fullmatch(r"[0-9a-f]{64}", etag) and etag != self.sha256:
            self._discard()
            raise ArchiveChanged(self.bundle_id, "its checksum is not the one in the lease")
        if response.status_code == 200:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) != self.size:
                self._discard()
                raise ArchiveChanged(
                    self.bundle_id,
                    f"it is {size_text(int(length))}, the lease says {size_text(self.size)}",
                )
            return 0
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
        if match is None:
            raise MalformedAnswer(host, "a partial archive without a readable Content-Range")
        first, last, total = int(match[1]), int(match[2]), match[3]
        if total != "*" and int(total) != self.size:
            self._discard()
            raise ArchiveChanged(
                self.bundle_id,
                f"it is {size_text(int(total))}, the lease says {size_text(self.size)}",
            )
        if first != offset or last < first:
            raise MalformedAnswer(
                host, f"the part of the archive from byte {first:,}, not {offset:,} as asked"
            )
        return first

    def _receive(self, response: Any, handle: IO[bytes]) -> None:
        for chunk in self.client.stream_body(response, _CHUNK):
            self.bytes_on_wire += len(chunk)
            room = self.size - self.received
            if len(chunk) > room:
                self._discard()
                raise DownloadCorrupt(
                    self.bundle_id,
                    f"the server sent more than the {size_text(self.size)} announced",
                )
            try:
                _write_all(handle, chunk)
            except OSError as exc:
                self._resync(handle)
                raise self._write_error(exc, self.part) from exc
            self.hasher.update(chunk)
            self.received += len(chunk)
            self._report()
            if self.cancel is not None and self.cancel.cancelled:
                raise Cancelled("The download")
        if not self.complete:
            # The server closed the connection early without saying how long the body was.
            raise NetworkUnavailable(self.client.host, "the connection was cut")

    def _resync(self, handle: IO[bytes]) -> None:
        """After a failed write, cut the ``.part`` back to the bytes that were hashed."""
        try:
            handle.truncate(self.received)
        except OSError:
            # Cannot even truncate: make the next call start over rather than trust it.
            self.sidecar.unlink(missing_ok=True)

    def _restart(self) -> None:
        try:
            self._start_over()
        except OSError as exc:
            raise self._write_error(exc, self.part) from exc

    # --- the end -------------------------------------------------------------------------

    def finish(self) -> DownloadResult:
        """Verify size and SHA-256, then move the ``.part`` to ``dest``."""
        if self.done_before:
            self.part.unlink(missing_ok=True)
            self.sidecar.unlink(missing_ok=True)
            self._report(final=True)
            return DownloadResult(self.dest, self.bytes_on_wire, self.attempts)
        actual = self.hasher.hexdigest()
        on_disk = self.part.stat().st_size if self.part.exists() else -1
        if self.received != self.size or on_disk != self.size:
            self._discard()
            raise DownloadCorrupt(
                self.bundle_id,
                f"it is {size_text(max(on_disk, 0))}, the lease says {size_text(self.size)}",
            )
        if actual != self.sha256:
            self._discard()
            raise DownloadCorrupt(self.bundle_id, "its SHA-256 checksum does not match the lease")
        try:
            with self.part.open("rb+") as done:
                os.fsync(done.fileno())  # the bytes are on disk before the name says so
            os.replace(self.part, self.dest)
            self.sidecar.unlink(missing_ok=True)
        except OSError as exc:
            raise self._write_error(exc, self.dest) from exc
        self._report(final=True)
        return DownloadResult(self.dest, self.bytes_on_wire, self.attempts)

    def _discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.sidecar.unlink(missing_ok=True)
        self.hasher = hashlib.sha256()
        self.received = 0

    def _write_error(self, exc: OSError, where: Path) -> Exception:
        if exc.errno in _DISK_FULL:
            return DownloadDiskFull(self.bundle_id, str(where.parent))
        return DownloadWriteFailed(self.bundle_id, str(where), exc.strerror or str(exc))

    # --- progress ------------------------------------------------------------------------

    def _report(self, *, final: bool = False) -> None:
        now = time.monotonic()
        self._samples.append((now, self.received))
        while len(self._samples) > 2 and now - self._samples[0][0] > _RATE_WINDOW:
            self._samples.pop(0)
        if self.progress is None or (not final and now - self._last_report < _PROGRESS_INTERVAL):
            return
        self._last_report = now
        since, then = self._samples[0]
        elapsed = now - since
        rate = (self.received - then) / elapsed if elapsed > 0 else 0.0
        left = self.size - self.received
        eta = 0.0 if left <= 0 else (left / rate if rate > 0 else None)
        self.progress(DownloadProgress(self.bundle_id, self.received, self.size, rate, eta))


def _write_all(handle: IO[bytes], data: bytes) -> None:
    """Write every byte of ``data`` (an unbuffered file may take only part of it)."""
    view = memoryview(data)
    while view:
        written = handle.write(view)
        if not written:
            raise OSError(errno.EIO, "nothing could be written")
        view = view[written:]


def _plain_etag(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip().removeprefix("W/").strip('"').lower()
