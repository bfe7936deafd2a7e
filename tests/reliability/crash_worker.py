"""A contributor at work against a real server, to be killed: types, submits, syncs, downloads.

    python -m tests.reliability.crash_worker PROFILE LOG URL SEED MODE

Qt-free but for the window's own ``DraftAutosaver`` (QtCore timers, pumped by
this loop; 300 ms after the last edit, at most 750 ms after the first, as the
main window sets it). Everything else is the application's own code: the
profile store, the importer, ``claim_and_fetch``/``resume_fetches`` and
``sync_once`` through ``StoreSync``. Every keystroke is logged with the time and
the text typed so far, every submission once the store has committed it, and
every change of activity. MODE ``work`` runs until killed; ``finish`` syncs and
downloads until nothing is left to do, then exits 0.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.autosave import DraftAutosaver
from app.fetching import claim_and_fetch, resume_fetches
from app.profile import Profile
from app.session import ServerAccount, TokenVault
from app.store import Store
from app.sync_adapter import StoreSync
from sync.client import ServerClient
from sync.engine import sync_once
from sync.errors import DownloadError, ServerError, SignInRequired
from sync.retry import RetryPolicy
from taskkinds import default_registry

KEYSTROKE_S = 0.02
USER = "demo"


class Worker:
    def __init__(self, profile_dir: Path, log_path: Path, url: str, seed: int) -> None:
        self.log = log_path.open("a", encoding="utf-8", buffering=1)  # line by line: survives
        self.rng = random.Random(seed)
        self.profile = Profile(profile_dir).ensure()
        self.store = Store(self.profile.db_path)
        self.registry = default_registry()
        self.account = ServerAccount(url, USER)
        self.vault = TokenVault(self.profile)
        self.client = self._client(self.vault.load(self.account))
        self.autosaver = DraftAutosaver(self._save, quiet_ms=300, max_ms=750)
        self.typing: tuple[str, str, str] | None = None  # task key, source, typed so far

    def write(self, kind: str, **fields: Any) -> None:
        self.log.write(json.dumps({"t": time.time(), "kind": kind, **fields}) + "\n")

    def _client(self, token: str | None) -> ServerClient:
        retry = RetryPolicy(attempts=3, base=0.01, cap=0.05, rng=self.rng)
        return ServerClient(self.account.url, token=token, timeout=(3.0, 3.0), retry=retry)

    def _save(self, key: str, content: dict[str, Any]) -> None:
        self.store.save_draft(key, content)
        self.write("saved", key=key, text=content["targets"]["s1"])

    # --- what the contributor does ---------------------------------------------------------

    def open_tasks(self) -> list[str]:
        return [row.id for row in self.store.tasks() if row.state in ("new", "draft")]

    def next_task(self) -> None:
        waiting = self.open_tasks()
        if not waiting:
            self.typing = None
            return
        key = waiting[0]
        source = self.store.task(key)["payload"]["segments"][0]["source"]
        draft = self.store.draft(key)
        typed = draft["targets"]["s1"] if draft else ""
        self.typing = (key, source, typed if source.startswith(typed) else "")
        self.write("opened", key=key, text=self.typing[2])

    def keystroke(self) -> None:
        if self.typing is None:
            return
        key, source, typed = self.typing
        if typed == source:
            self.autosaver.discard(key)
            uuid_ = self.store.submit(key, {"version": 1, "targets": {"s1": typed}})
            self.write("submitted", key=key, uuid=uuid_)
            self.next_task()
            return
        typed = source[: len(typed) + 1]
        self.typing = (key, source, typed)
        self.autosaver.edited(key, {"version": 1, "targets": {"s1": typed}})
        self.write("typed", key=key, text=typed)

    def sync(self) -> None:
        self.autosaver.flush()  # the window keeps saving while the network works
        self.write("phase", phase="syncing")
        try:
            sync_once(self.client, StoreSync(self.store), batch_size=self.rng.choice([1, 5, 50]))
        except SignInRequired:
            self.sign_in()

    def fetch(self, bundles: list[str]) -> None:
        self.autosaver.flush()
        self.write("phase", phase="downloading")
        try:
            if self.store.leases(["claimed", "downloading"]):
                resume_fetches(self.client, self.store, self.profile, self.registry)
            else:
                held = {row["bundle_id"] for row in self.store.leases()}
                for bundle_id in bundles:
                    if bundle_id not in held:
                        claim_and_fetch(
                            self.client, self.store, self.profile, self.registry, bundle_id
                        )
                        break
        except SignInRequired:
            self.sign_in()
        except (ServerError, DownloadError) as error:
            self.write("fetch_failed", error=str(error)[:200])

    def sign_in(self) -> None:
        self.write("phase", phase="signing in")
        answer = self.client.sign_in(USER, USER)
        self.vault.save(self.account, answer.token)

    # --- the two modes --------------------------------------------------------------------------

    def work(self, bundles: list[str]) -> None:
        app = QCoreApplication.instance() or QCoreApplication([])
        if self.client.token is None:
            self.sign_in()
        self.next_task()
        self.write("ready")
        next_sync = time.monotonic() + self.rng.uniform(0.0, 0.6)
        while True:
            # Work runs low, or a contributor on a good link fetches the next day's work.
            if self.typing is None or len(self.open_tasks()) < 2 or self.rng.random() < 0.1:
                self.fetch(bundles)
                if self.typing is None:
                    self.next_task()
            if time.monotonic() > next_sync:
                self.sync()
                next_sync = time.monotonic() + self.rng.uniform(0.1, 1.0)
            self.write("phase", phase="typing")
            for _ in range(self.rng.randint(5, 40)):
                self.keystroke()
                app.processEvents()  # the autosaver's timers
                time.sleep(KEYSTROKE_S)
                app.processEvents()

    def finish(self) -> int:
        """Send everything and finish every download; exit status 0 when nothing is left."""
        if self.client.token is None:
            self.sign_in()
        for _ in range(50):
            try:
                resume_fetches(self.client, self.store, self.profile, self.registry)
                report = sync_once(self.client, StoreSync(self.store))
            except SignInRequired:
                self.sign_in()
                continue
            except (ServerError, DownloadError):
                continue
            if (
                report.ok
                and not report.unsent
                and not self.store.leases(["claimed", "downloading"])
            ):
                self.write("finished")
                return 0
        return 1


def main() -> int:
    profile_dir, log_path, url, seed, mode = sys.argv[1:6]
    bundles = sys.argv[6].split(",") if len(sys.argv) > 6 else []
    worker = Worker(Path(profile_dir), Path(log_path), url, int(seed))
    if mode == "finish":
        return worker.finish()
    worker.work(bundles)
    return 0


if __name__ == "__main__":
    sys.exit(main())
