"""Disk full: during a download, while unpacking it, and under the database's writes.

The profile lives on a small tmpfs (mounted for the campaign where the system
allows it, as root on Linux) filled up on purpose, the mock server elsewhere.
Each trial checks the message (one clear line saying the disk is full), that
nothing saved before is lost or damaged (``PRAGMA integrity_check``, contents
compared), that no stray file is left, and that once space is back the work
continues: the download from where it stopped, the import without downloading
again, the write that failed. Without a tmpfs, the download trials inject
ENOSPC into the download's writes instead and the database trials are skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import sync.download as download_module
from app.fetching import claim_and_fetch, downloads_dir, resume_fetches
from app.profile import Profile
from app.store import ProfileDiskFull, Store
from mockserver.testing import ServerHandle, running_server
from sync.bundle import DiskFull
from sync.client import ServerClient
from sync.errors import DownloadDiskFull
from sync.retry import RetryPolicy
from taskkinds import default_registry
from tests.mockserver_util import translation_zip
from tests.reliability.common import CampaignResult, one_line, timed

MB = 2**20


# --- a small disk --------------------------------------------------------------------------


@contextlib.contextmanager
def small_disk(folder: Path, size: int) -> Iterator[bool]:
    """Mount a ``size``-byte tmpfs on ``folder``; yields False if the system does not allow it."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or shutil.which("mount") is None:
        yield False
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
    ).returncode == 0  # fmt: skip
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(folder)], capture_output=True)
            if os.path.ismount(folder):
                subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """A file that takes all the free space of ``folder``'s file system but ``leave`` bytes."""
    filler = folder / "filler.bin"
    free = shutil.disk_usage(folder).free - leave
    with open(filler, "ab") as out:
        chunk = b"\0" * 65536
        while free > 0:
            try:
                out.write(chunk[: min(len(chunk), free)])
                out.flush()
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
            free -= len(chunk)
    return filler


# --- helpers -------------------------------------------------------------------------------


class RecordedOffsets:
    """Wraps ``client.open_archive`` to note where each archive request starts."""

    def __init__(self, client: ServerClient) -> None:
        self.offsets: list[int] = []
        original = client.open_archive

        def open_archive(path: str, *, offset: int = 0, etag: str | None = None) -> Any:
            self.offsets.append(offset)
            return original(path, offset=offset, etag=etag)

        client.open_archive = open_archive  # type: ignore[method-assign]


def _client(server: ServerHandle) -> ServerClient:
    client = ServerClient(server.url, retry=RetryPolicy(attempts=2, base=0.01, cap=0.02))
    client.sign_in("demo", "demo")
    return client


def _stray(profile: Profile) -> list[str]:
    """Files a crash-free run must not leave: staging folders, temporary files."""
    return sorted(
        str(p.relative_to(profile.root))
        for p in profile.root.rglob("*")
        if p.name.startswith((".incoming-", ".tmp")) or p.suffix == ".tmp"
    )


def _check_message(result: CampaignResult, name: str, error: BaseException, *words: str) -> None:
    message = str(error)
    if not one_line(message) or not all(w in message.lower() for w in words):
        result.fail(f"{name}: unclear message {message!r}")


# --- trials --------------------------------------------------------------------------------


def _download_then_space_back(
    result: CampaignResult, server: ServerHandle, disk: Path, rng: random.Random, n: int
) -> None:
    """The disk fills up mid-download; once space is back the download goes on from there."""
    name = "download, disk full, then space back"
    result.trials += 1
    result.tried[name] += 1
    bundle_id = f"disk-{n}"
    server.admin.publish_file(
        translation_zip(disk.parent / "zips", bundle_id, noise_bytes=rng.randint(MB, 3 * MB))
    )
    profile = Profile(disk / f"p{n}").ensure()
    store = Store(profile.db_path)
    client = _client(server)
    try:
        filler = fill(disk, leave=rng.randint(128 * 1024, 900 * 1024))
        try:
            claim_and_fetch(client, store, profile, default_registry(), bundle_id)
            result.fail(f"{name}: the download fitted on a full disk")
            return
        except DownloadDiskFull as error:
            _check_message(result, name, error, "disk is full", "free some disk space")
        part = downloads_dir(profile) / f"{bundle_id}.zip.part"
        kept = part.stat().st_size if part.exists() else 0
        if not kept:
            result.lost += 1
            result.fail(f"{name}: the partial download was not kept")
        if store.integrity_check() != "ok":
            result.fail(f"{name}: the database is damaged")
        filler.unlink()
        asked = RecordedOffsets(client)
        outcomes = resume_fetches(client, store, profile, default_registry())
        if [o.bundle_id for o in outcomes] != [bundle_id]:
            result.fail(f"{name}: the download did not resume: {outcomes}")
        elif asked.offsets[:1] != [kept]:
            result.fail(f"{name}: it started again from {asked.offsets[:1]}, not {kept:,}")
        result.figures.setdefault("bytes kept across a full disk", []).append(kept)
        leftovers = list(downloads_dir(profile).iterdir()) + [Path(p) for p in _stray(profile)]
        if leftovers:
            result.leaked += len(leftovers)
            result.fail(f"{name}: left {[p.name for p in leftovers]}")
    finally:
        client.close()
        store.close()
        shutil.rmtree(profile.root, ignore_errors=True)


def _unpack_then_space_back(
    result: CampaignResult, server: ServerHandle, disk: Path, n: int
) -> None:
    """The archive fits but not its unpacked files; once space is back it imports, unfetched."""
    name = "unpacking, disk full, then space back"
    result.trials += 1
    result.tried[name] += 1
    bundle_id = f"unpack-{n}"
    path = translation_zip(disk.parent / "zips", bundle_id, noise_bytes=2 * MB)
    server.admin.publish_file(path)
    profile = Profile(disk / f"u{n}").ensure()
    store = Store(profile.db_path)
    client = _client(server)
    try:
        filler = fill(disk, leave=path.stat().st_size + 384 * 1024)
        try:
            claim_and_fetch(client, store, profile, default_registry(), bundle_id)
            result.fail(f"{name}: the bundle unpacked on a full disk")
            return
        except DiskFull as error:
            _check_message(result, name, error, "disk is full", "free some disk space")
        if _stray(profile):
            result.leaked += 1
            result.fail(f"{name}: left {_stray(profile)}")
        if store.integrity_check() != "ok" or store.bundles():
            result.fail(f"{name}: the store changed or is damaged")
        filler.unlink()
        asked = RecordedOffsets(client)
        resume_fetches(client, store, profile, default_registry())
        if asked.offsets:
            result.fail(f"{name}: the archive was downloaded again ({len(asked.offsets)} requests)")
        if [b["id"] for b in store.bundles()] != [bundle_id]:
            result.fail(f"{name}: the bundle was not imported once space was back")
        if list(downloads_dir(profile).iterdir()) or _stray(profile):
            result.leaked += 1
            result.fail(f"{name}: files left behind")
    finally:
        client.close()
        store.close()
        shutil.rmtree(profile.root, ignore_errors=True)


def _database_writes(result: CampaignResult, disk: Path, rng: random.Random, n: int) -> None:
    """Drafts, submissions, settings and earnings written until the disk is full."""
    from tests.factories import translation_bundle

    name = "database writes, disk full, then space back"
    result.trials += 1
    result.tried[name] += 1
    profile = Profile(disk / f"d{n}").ensure()
    store = Store(profile.db_path)
    from app.importer import import_bundle_file

    bundle = translation_bundle(
        disk.parent / "zips" / f"db-{n}.zip", bundle_id=f"db-{n}", tasks=400
    )
    import_bundle_file(store, profile, bundle, default_registry())
    keys = [row.id for row in store.tasks()]
    saved: dict[str, Any] = {}
    failed: list[tuple[str, Any]] = []
    filler = fill(disk, leave=rng.randint(64 * 1024, 512 * 1024))
    try:
        for i, key in enumerate(keys):
            content = {"targets": {"s1": f"{i} " + os.urandom(8_000).hex()}}
            try:
                if i % 3 == 2:
                    store.submit(key, content)
                elif i % 7 == 6:
                    entry = {
                        "entry_id": f"e-{i}", "kind": "bonus", "status": "approved",
                        "amount": Decimal("0.5"), "currency": "EUR", "occurred_at": "2026",
                        "updated_at": "2026",
                    }  # fmt: skip
                    store.apply_earnings([entry], f"c-{i}", reset=False)
                    key = f"ledger:e-{i}"
                else:
                    store.save_draft(key, content)
                saved[key] = content
            except ProfileDiskFull as error:
                _check_message(result, name, error, "disk", "full", "free some disk space")
                failed.append((key, content))
                if len(failed) >= 3:
                    break
            except Exception as exc:  # noqa: BLE001 - the finding
                result.fail(f"{name}: {type(exc).__name__}: {exc}")
                break
        result.figures.setdefault("writes before the disk was full", []).append(len(saved))
        if not failed:
            result.fail(f"{name}: the disk never filled up")
        if store.integrity_check() != "ok":
            result.fail(f"{name}: the database is damaged while the disk is full")
    finally:
        filler.unlink(missing_ok=True)
    try:
        for key, content in failed[:1]:
            if not key.startswith("ledger:"):
                store.save_draft(key, content)
                saved[key] = content
    except Exception as exc:  # noqa: BLE001 - the finding
        result.fail(f"{name}: the write still fails once space is back: {exc}")
    store.close()
    reopened = Store(profile.db_path)  # as after a restart
    try:
        if reopened.integrity_check() != "ok":
            result.fail(f"{name}: the database is damaged after the disk was full")
        ledger = {row["id"] for row in reopened.ledger()}
        for key, content in saved.items():
            if key.startswith("ledger:"):
                found = key.removeprefix("ledger:") in ledger
            else:
                found = content in (reopened.draft(key), reopened.submitted_result(key))
            if not found:
                result.lost += 1
                result.fail(f"{name}: {key} was reported saved but is gone")
    finally:
        reopened.close()
        shutil.rmtree(profile.root, ignore_errors=True)


def _new_profile_on_full_disk(result: CampaignResult, disk: Path) -> None:
    name = "opening a new profile on a full disk"
    result.trials += 1
    result.tried[name] += 1
    filler = fill(disk)
    try:
        try:
            Store(disk / "new-profile" / "ouvrage.sqlite3").close()
            result.figures["a new profile on a full disk"] = "opened (the disk had room left)"
        except ProfileDiskFull as error:
            _check_message(result, name, error, "disk", "full")
        except Exception as exc:  # noqa: BLE001 - the finding
            result.fail(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        filler.unlink()
        shutil.rmtree(disk / "new-profile", ignore_errors=True)


def _injected_download(result: CampaignResult, server: ServerHandle, root: Path, n: int) -> None:
    """Without a tmpfs: ENOSPC injected into the download's writes, then lifted."""
    name = "download, ENOSPC injected, then lifted"
    result.trials += 1
    result.tried[name] += 1
    bundle_id = f"inject-{n}"
    server.admin.publish_file(translation_zip(root / "zips", bundle_id, noise_bytes=2 * MB))
    profile = Profile(root / f"i{n}").ensure()
    store = Store(profile.db_path)
    client = _client(server)
    real_write = download_module._write_all
    budget = [MB]

    def write_all(handle: Any, data: bytes) -> None:
        budget[0] -= len(data)
        if budget[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(handle, data)

    download_module._write_all = write_all  # type: ignore[assignment]
    try:
        try:
            claim_and_fetch(client, store, profile, default_registry(), bundle_id)
            result.fail(f"{name}: no error")
        except DownloadDiskFull as error:
            _check_message(result, name, error, "disk is full")
        kept = (downloads_dir(profile) / f"{bundle_id}.zip.part").stat().st_size
        download_module._write_all = real_write
        asked = RecordedOffsets(client)
        resume_fetches(client, store, profile, default_registry())
        if asked.offsets[:1] != [kept] or [b["id"] for b in store.bundles()] != [bundle_id]:
            result.fail(f"{name}: did not resume from {kept:,}: {asked.offsets}")
    finally:
        download_module._write_all = real_write
        client.close()
        store.close()


# --- the campaign --------------------------------------------------------------------------


def run_disk_campaign(rounds: int = 1, seed: int = 5) -> CampaignResult:
    """Each trial ``rounds`` times on a tmpfs of 8 MB (or injected ENOSPC without one)."""
    result = CampaignResult("disk-full", "Disk full: downloads, unpacking, database writes")
    rng = random.Random(seed)
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-disk-") as tmp:
        root = Path(tmp)
        (root / "zips").mkdir()
        with running_server(root / "server", publish_demo=False, rotation=0) as server:
            disk = root / "small-disk"
            with small_disk(disk, 8 * MB) as mounted:
                result.figures["small disk"] = (
                    "an 8 MB tmpfs" if mounted else "none (not permitted): ENOSPC injected"
                )
                for n in range(rounds):
                    if mounted:
                        _download_then_space_back(result, server, disk, rng, n)
                        _unpack_then_space_back(result, server, disk, n)
                        _database_writes(result, disk, rng, n)
                        _new_profile_on_full_disk(result, disk)
                    else:
                        _injected_download(result, server, root, n)
    return result
