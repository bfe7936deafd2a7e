"""Resumable bundle download over a real loopback server that cuts, lies and changes files."""

from __future__ import annotations

import errno
import hashlib
import random
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

import sync.download
from sync.client import ServerClient
from sync.download import DownloadProgress, download_archive, part_paths
from sync.errors import (
    ArchiveChanged,
    Cancelled,
    DownloadCorrupt,
    DownloadDiskFull,
    NetworkUnavailable,
)
from sync.protocol import Lease
from sync.retry import CancelToken, RetryPolicy
from tests.http_double import ArchiveRoute, HttpDouble, sample_lease

SIZE = 1024 * 1024 + 12_345
CUT = 64 * 1024
PATH = "/v1/bundles/b-0/archive"


@pytest.fixture
def archive() -> bytes:
    return random.Random(42).randbytes(SIZE)


@pytest.fixture
def server() -> Iterator[HttpDouble]:
    with HttpDouble() as double:
        yield double


class FakeClock:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(url: str, attempts: int = 5) -> ServerClient:
    retry = RetryPolicy(attempts=attempts, rng=random.Random(1), sleep=FakeClock())
    return ServerClient(url, token="t" * 32, timeout=(2.0, 2.0), retry=retry)


def serve(server: HttpDouble, data: bytes, **options: object) -> ArchiveRoute:
    route = ArchiveRoute(data, **options)  # type: ignore[arg-type]
    server.route("GET", PATH, route)
    return route


def leftovers(dest: Path) -> list[Path]:
    return [p for p in part_paths(dest) if p.exists()]


def test_a_download_cut_every_64_kib_finishes_verified_without_waste(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    route = serve(server, archive, cut_every=CUT)
    seen: list[DownloadProgress] = []
    dest = tmp_path / "bundles" / "b-0.zip"

    result = download_archive(
        make_client(server.url), sample_lease(archive), dest, progress=seen.append
    )

    assert dest.read_bytes() == archive
    assert result.path == dest
    assert result.bytes_on_wire <= 1.05 * SIZE
    assert result.attempts == len(route.ranges) == -(-SIZE // CUT)
    assert route.ranges[0] is None and route.ranges[1] == f"bytes={CUT}-"
    assert leftovers(dest) == []
    assert seen[-1].received == seen[-1].total == SIZE and seen[-1].eta_seconds == 0.0
    assert all(a.received <= b.received for a, b in zip(seen, seen[1:], strict=False))


def test_a_part_left_by_a_crash_is_continued_from_its_length(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    route = serve(server, archive, cut_every=300_000)
    dest = tmp_path / "b-0.zip"
    lease = sample_lease(archive)
    # The first process gives up after one cut, as if it had been killed there.
    with pytest.raises(NetworkUnavailable):
        download_archive(make_client(server.url, attempts=1), lease, dest)
    part, sidecar = part_paths(dest)
    assert part.stat().st_size == 300_000 and sidecar.exists()

    route.cut_every = None
    result = download_archive(make_client(server.url), lease, dest)

    assert route.ranges[-1] == "bytes=300000-"
    assert result.bytes_on_wire == SIZE - 300_000 and result.attempts == 1
    assert dest.read_bytes() == archive and leftovers(dest) == []


def test_a_complete_part_is_verified_without_a_request(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    route = serve(server, archive, cut_every=SIZE)  # sends everything, then hangs up
    dest = tmp_path / "b-0.zip"
    lease = sample_lease(archive)
    original_finish = sync.download._Download.finish

    def crash_before_rename(self: sync.download._Download) -> None:
        raise KeyboardInterrupt  # the process dies between the last byte and the rename

    sync.download._Download.finish = crash_before_rename  # type: ignore[method-assign,assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            download_archive(make_client(server.url), lease, dest)
    finally:
        sync.download._Download.finish = original_finish  # type: ignore[method-assign]

    result = download_archive(make_client(server.url), lease, dest)
    assert result.attempts == 0 and result.bytes_on_wire == 0
    assert len(route.ranges) == 1 and dest.read_bytes() == archive


def test_a_part_of_another_archive_is_thrown_away(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    old = random.Random(7).randbytes(SIZE)
    route = serve(server, old, cut_every=200_000)
    dest = tmp_path / "b-0.zip"
    with pytest.raises(NetworkUnavailable):
        download_archive(make_client(server.url, attempts=1), sample_lease(old), dest)
    assert part_paths(dest)[0].stat().st_size == 200_000

    # The platform republished the bundle: a new checksum, so a new ETag.
    route.replace(archive)
    route.cut_every = None
    result = download_archive(make_client(server.url), sample_lease(archive), dest)

    assert route.ranges[-1] is None  # asked for the whole new file
    assert result.bytes_on_wire == SIZE and dest.read_bytes() == archive


def test_a_server_that_ignores_the_range_makes_the_download_start_over(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    route = serve(server, archive, cut_every=500_000)
    dest = tmp_path / "b-0.zip"
    lease = sample_lease(archive)
    with pytest.raises(NetworkUnavailable):
        download_archive(make_client(server.url, attempts=1), lease, dest)

    route.honour_range = False
    route.cut_every = None
    result = download_archive(make_client(server.url), lease, dest)

    assert route.ranges[-1] == "bytes=500000-"  # it asked; the server sent everything (200)
    assert result.bytes_on_wire == SIZE and dest.read_bytes() == archive


def test_an_archive_that_changed_since_the_claim_is_reported(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    serve(server, random.Random(9).randbytes(SIZE))
    dest = tmp_path / "b-0.zip"
    with pytest.raises(ArchiveChanged, match="claim it again"):
        download_archive(make_client(server.url), sample_lease(archive), dest)
    assert not dest.exists() and leftovers(dest) == []


def test_corrupted_bytes_are_caught_and_leave_nothing(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    damaged = bytearray(archive)
    damaged[SIZE // 2] ^= 0xFF
    route = serve(server, bytes(damaged))
    route.etag = hashlib.sha256(archive).hexdigest()  # the server believes it is the right file
    dest = tmp_path / "b-0.zip"

    with pytest.raises(DownloadCorrupt, match="b-0.*checksum.*download it again"):
        download_archive(make_client(server.url), sample_lease(archive), dest)

    assert not dest.exists() and leftovers(dest) == []


def test_a_body_longer_than_the_lease_is_corrupt(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    lease = sample_lease(archive[:1000])
    route = serve(server, archive)
    route.etag = lease.archive_sha256
    with pytest.raises(ArchiveChanged, match="lease says"):
        download_archive(make_client(server.url), lease, tmp_path / "b-0.zip")


def test_cancel_keeps_the_part_for_later(
    server: HttpDouble, archive: bytes, tmp_path: Path
) -> None:
    serve(server, archive)
    dest = tmp_path / "b-0.zip"
    lease = sample_lease(archive)
    cancel = CancelToken()

    def stop_soon(progress: DownloadProgress) -> None:
        if progress.received > 0:
            cancel.cancel()

    with pytest.raises(Cancelled):
        download_archive(make_client(server.url), lease, dest, progress=stop_soon, cancel=cancel)
    part, sidecar = part_paths(dest)
    kept = part.stat().st_size
    assert 0 < kept < SIZE and sidecar.exists() and not dest.exists()

    result = download_archive(make_client(server.url), lease, dest)
    assert result.bytes_on_wire == SIZE - kept and dest.read_bytes() == archive


def test_a_full_disk_is_a_clear_error_and_keeps_the_part(
    server: HttpDouble, archive: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve(server, archive)
    dest = tmp_path / "b-0.zip"
    lease = sample_lease(archive)
    real_write = sync.download._write_all
    room = [400_000]

    def write_until_full(handle: IO[bytes], data: bytes) -> None:
        if len(data) > room[0]:
            real_write(handle, data[: room[0]])  # a partial write, as a real full disk does
            room[0] = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        room[0] -= len(data)
        real_write(handle, data)

    monkeypatch.setattr(sync.download, "_write_all", write_until_full)
    with pytest.raises(DownloadDiskFull, match="disk is full.*Free some disk space"):
        download_archive(make_client(server.url), lease, dest)
    part, sidecar = part_paths(dest)
    kept = part.stat().st_size
    assert 0 < kept <= 400_000 and sidecar.exists()

    monkeypatch.setattr(sync.download, "_write_all", real_write)
    result = download_archive(make_client(server.url), lease, dest)
    assert result.bytes_on_wire == SIZE - kept and dest.read_bytes() == archive


def test_a_dead_network_gives_up_after_the_attempts_and_keeps_the_part(
    archive: bytes, tmp_path: Path
) -> None:
    from tests.http_double import closed_port

    clock = FakeClock()
    client = make_client(f"http://127.0.0.1:{closed_port()}")
    retry = RetryPolicy(attempts=3, rng=random.Random(1), sleep=clock)
    with pytest.raises(NetworkUnavailable, match="try again"):
        download_archive(client, sample_lease(archive), tmp_path / "b-0.zip", retry=retry)
    assert len(clock.waits) == 2


def test_an_empty_archive_downloads(server: HttpDouble, tmp_path: Path) -> None:
    serve(server, b"")
    lease: Lease = sample_lease(b"")
    dest = tmp_path / "empty.zip"
    result = download_archive(make_client(server.url), lease, dest)
    assert dest.read_bytes() == b"" and result.path == dest
