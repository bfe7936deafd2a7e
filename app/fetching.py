"""Claim a bundle, download it resumably into the profile, import it. Qt-free.

Runs on a network thread; store work goes through ``run`` (the database worker
in the window, a direct call in the command line). The download lands in
``<profile>/downloads/`` and goes through the same verifying import as a file
from a USB stick.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.importer import ImportOutcome, import_bundle_file
from app.profile import Profile
from app.store import Store, StoreError
from sync.client import ServerClient
from sync.download import DownloadProgress, download_archive
from sync.protocol import Lease
from sync.retry import CancelToken
from taskkinds import Registry

log = logging.getLogger(__name__)

Run = Callable[[Callable[[], Any]], Any]


def downloads_dir(profile: Profile) -> Path:
    return profile.root / "downloads"


def claim_and_fetch(
    client: ServerClient,
    store: Store,
    profile: Profile,
    registry: Registry,
    bundle_id: str,
    *,
    run: Run = lambda fn: fn(),
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> ImportOutcome:
    """Claim ``bundle_id``, then download and import it; returns the import outcome.

    The lease is recorded before the download starts, so an interrupted
    download resumes later (``resume_fetches``). Raises ``sync.client.ServerError``
    subclasses, ``sync.download`` errors or ``sync.bundle.BundleError``.
    """
    lease = client.claim(bundle_id)
    run(lambda: store.save_lease(lease.model_dump(mode="json")))
    return fetch_lease(
        client, store, profile, registry, lease, run=run, progress=progress, cancel=cancel
    )


def fetch_lease(
    client: ServerClient,
    store: Store,
    profile: Profile,
    registry: Registry,
    lease: Lease,
    *,
    run: Run = lambda fn: fn(),
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> ImportOutcome:
    dest = downloads_dir(profile) / f"{lease.bundle_id}.zip"
    dest.parent.mkdir(parents=True, exist_ok=True)
    run(lambda: store.set_lease_state(lease.bundle_id, "downloading"))
    started = time.monotonic()
    try:
        result = download_archive(client, lease, dest, progress=progress, cancel=cancel)
        seconds = round(time.monotonic() - started, 3)
        # Time spent downloading counts in the "all time" hourly wage.
        run(lambda: store.log_event("bundle_downloaded", bundle=lease.bundle_id, seconds=seconds))
        outcome = run(
            lambda: import_bundle_file(store, profile, result.path, registry, source="server")
        )
    except Exception as exc:
        message = str(exc)
        try:
            run(lambda: store.set_lease_state(lease.bundle_id, "claimed", message))
        except StoreError as unrecorded:
            # A disk too full for the download is often too full for the database: the
            # download's own error is the one to show (the lease stays "downloading", which
            # resumes the same way).
            log.warning("why %s stopped was not recorded: %s", lease.bundle_id, unrecorded)
        raise
    run(lambda: store.set_lease_state(lease.bundle_id, "imported"))
    dest.unlink(missing_ok=True)
    return outcome


def resume_fetches(
    client: ServerClient,
    store: Store,
    profile: Profile,
    registry: Registry,
    *,
    run: Run = lambda fn: fn(),
    progress: Callable[[DownloadProgress], None] | None = None,
    cancel: CancelToken | None = None,
) -> list[ImportOutcome]:
    """Finish every claimed bundle not imported yet (after a cut or a crash)."""
    waiting = {row["bundle_id"] for row in run(lambda: store.leases(["claimed", "downloading"]))}
    if not waiting:
        return []
    outcomes = []
    for lease in client.leases().leases:
        if lease.bundle_id in waiting and not (cancel and cancel.cancelled):
            outcomes.append(
                fetch_lease(
                    client,
                    store,
                    profile,
                    registry,
                    lease,
                    run=run,
                    progress=progress,
                    cancel=cancel,
                )  # fmt: skip
            )
    return outcomes
