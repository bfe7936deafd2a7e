"""Background sync for the window: when to sync, what the status bar says, claims and downloads.

Every network call runs on the network executor; store work inside a pass is
handed to the database worker. Results come back as signals on the UI thread.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from app.changes import Change
from app.session import ServerAccount, TokenVault
from app.tasks import op

if TYPE_CHECKING:
    from app.context import AppContext

log = logging.getLogger(__name__)

# After a failure: 15 s, 30 s, 1 min … up to 30 min, each with jitter.
BACKOFF_S = (15, 30, 60, 120, 300, 600, 1800)
PERIODIC_S = 600  # a quiet sync every 10 minutes while all is well
AFTER_SUBMIT_MS = 2000  # gather a few submits into one pass


@dataclass(frozen=True)
class SyncState:
    kind: str  # "signed_out", "idle", "syncing", "synced", "error", "sign_in"
    text: str
    next_try_s: float | None = None


class SyncService(QObject):
    stateChanged = Signal(object)  # SyncState
    storeChanged = Signal(object)  # app.changes.Change, from a pass or a download
    signInRequired = Signal()
    accountLoaded = Signal(object)  # ServerAccount | None, once at start
    downloadProgress = Signal(object)  # sync.download.DownloadProgress
    downloadFinished = Signal(object)  # ImportOutcome
    downloadFailed = Signal(str, object)  # bundle id, exception
    released = Signal(str)  # bundle id given back to the server
    releaseFailed = Signal(str, object)  # bundle id, exception
    _fromWorker = Signal(object, object)  # (callable, argument): hop to the UI thread

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.vault = TokenVault(ctx.profile)
        self.account: ServerAccount | None = None
        self._token: str | None = None
        self._running = False
        self._again = False
        self._failures = 0
        self._cancel: Any = None
        self._rng = random.Random()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.sync_now)
        self._fromWorker.connect(lambda fn, arg: fn(arg))
        self.state = SyncState("signed_out", self.tr("Offline — not signed in to a server"))
        # Watched once there is a server to sync with: the system's network backend (glib,
        # D-Bus) costs a profile that only works offline some megabytes for nothing.
        self._watching = False

    # -- account

    def start(self) -> None:
        """Load the saved account and token (off the UI thread), then sync."""
        store, vault = self.ctx.store, self.vault
        assert store is not None

        def load() -> tuple[ServerAccount | None, str | None]:
            account = ServerAccount.from_json(
                self.ctx.db.call(lambda: store.setting("server.account"))
            )
            return account, vault.load(account) if account else None

        op(load).success(self._loaded).failure(self._report).run(self.ctx.net)

    def _loaded(self, loaded: tuple[ServerAccount | None, str | None]) -> None:
        account, token = loaded
        self.account, self._token = account, token
        if account is not None:
            self._watch_network()
        if account is None:
            self._set(SyncState("signed_out", self.tr("Offline — not signed in to a server")))
        elif token is None:
            self._set(
                SyncState("sign_in", self.tr("Sign in to %1 to sync").replace("%1", account.host))
            )
            self.signInRequired.emit()
        else:
            self.sync_now()
        self.accountLoaded.emit(account)

    def signed_in(self, account: ServerAccount, token: str) -> None:
        """Called by the sign-in dialog once the server accepted the credentials."""
        self.account, self._token, self._failures = account, token, 0
        self._watch_network()
        self.sync_now()

    @property
    def can_sync(self) -> bool:
        """Signed in with a token the server has not refused yet."""
        return self.account is not None and self._token is not None

    def forget_account(self) -> tuple[ServerAccount | None, str | None]:
        """Stop syncing and drop the account from memory; returns what it was."""
        self.stop()
        account, token = self.account, self._token
        self.account, self._token = None, None
        return account, token

    def client(self) -> Any:
        assert self.account is not None
        return self.account.client(self._token)

    # -- passes

    @property
    def busy(self) -> bool:
        return self._running

    def sync_soon(self, delay_ms: int = AFTER_SUBMIT_MS) -> None:
        """Ask for a pass shortly (after a submit), without stacking passes."""
        if self.account is None or self._token is None:
            return
        if not self._timer.isActive() or self._timer.remainingTime() > delay_ms:
            self._timer.start(delay_ms)

    def sync_now(self) -> None:
        if self.account is None or self._token is None:
            return
        if self._running:
            self._again = True
            return
        from app.sync_adapter import StoreSync
        from sync.engine import sync_once
        from sync.retry import CancelToken

        self._timer.stop()
        self._running = True
        self._cancel = CancelToken()
        self._set(SyncState("syncing", self.tr("Syncing…")))
        store = StoreSync(self.ctx.store, self.ctx.db.call, self._emit_change)
        client, cancel = self.client(), self._cancel

        def progress(step: Any) -> None:
            self._fromWorker.emit(self._progress, step)

        op(sync_once, client, store, progress=progress, cancel=cancel).success(
            self._pass_done
        ).failure(self._pass_failed).run(self.ctx.net)

    def _emit_change(self, change: Change) -> None:
        self._fromWorker.emit(self.storeChanged.emit, change)

    def _progress(self, step: Any) -> None:
        if step.phase == "upload" and step.total:
            text = (
                self.tr("Syncing %1 of %2…")
                .replace("%1", str(step.done))
                .replace("%2", str(step.total))
            )
        else:
            text = self.tr("Syncing…")
        self._set(SyncState("syncing", text))

    def _pass_done(self, report: Any) -> None:
        self._running = False
        if report.errors:
            # The engine keeps what it managed; the rest waits for the back-off timer.
            self._retry_later(report.errors[0])
            return
        self._failures = 0
        when = QLocale().toString(datetime.now().time(), QLocale.FormatType.ShortFormat)
        text = self.tr("Synced at %1").replace("%1", when)
        if report.rejected:
            text += self.tr(" — %n result(s) refused, see the outbox", None, report.rejected)
        self._set(SyncState("synced", text))
        self._timer.start(PERIODIC_S * 1000)
        if self._again:
            self._again = False
            self.sync_soon(0)

    def _pass_failed(self, exc: BaseException) -> None:
        from sync.errors import SignInRequired

        self._running = False
        if isinstance(exc, SignInRequired):
            self._token = None
            if self.account is not None:
                op(self.vault.forget, self.account).run(self.ctx.net)
            self._set(SyncState("sign_in", str(exc)))
            self.signInRequired.emit()
            return
        from sync.errors import SyncError

        if not isinstance(exc, SyncError):  # not a network or server problem: a bug to log
            log.error("sync pass failed", exc_info=exc)
        self._retry_later(str(exc))

    def _retry_later(self, message: str) -> None:
        self._failures += 1
        delay = BACKOFF_S[min(self._failures, len(BACKOFF_S)) - 1]
        delay = delay * (0.5 + self._rng.random())  # jitter: many clients must not retry in step
        self._timer.start(int(delay * 1000))
        if delay < 60:
            wait = self.tr("%1 s").replace("%1", str(round(delay)))
        else:
            wait = self.tr("%1 min").replace("%1", str(round(delay / 60)))
        text = self.tr("%1 — next try in %2").replace("%1", message).replace("%2", wait)
        self._set(SyncState("error", text, next_try_s=delay))

    def stop(self) -> None:
        self._timer.stop()
        if self._cancel is not None:
            self._cancel.cancel()

    # -- claims and downloads

    def claim(self, bundle_id: str) -> None:
        from app.fetching import claim_and_fetch
        from sync.retry import CancelToken

        ctx, cancel = self.ctx, CancelToken()
        client = self.client()

        def progress(step: Any) -> None:
            self._fromWorker.emit(self.downloadProgress.emit, step)

        def work() -> Any:
            return claim_and_fetch(
                client, ctx.store, ctx.profile, ctx.registry, bundle_id,
                run=ctx.db.call, progress=progress, cancel=cancel,
            )  # fmt: skip

        op(work).success(self._downloaded).failure(
            lambda exc: self.downloadFailed.emit(bundle_id, exc)
        ).run(ctx.net)

    def release(self, bundle_id: str) -> None:
        """Give ``bundle_id`` back to the server, then drop its open tasks here."""
        ctx, client = self.ctx, self.client()

        def work() -> Any:
            # Only the open tasks: a result still waiting in the outbox must stay ours.
            open_ids = ctx.db.call(lambda: ctx.store.open_task_ids(bundle_id))
            if open_ids:
                client.release(bundle_id, open_ids)
            change, empty = ctx.db.call(lambda: ctx.store.release_bundle(bundle_id))
            if empty:
                import shutil

                shutil.rmtree(ctx.profile.bundle_dir(bundle_id), ignore_errors=True)
            return change

        op(work).success(lambda change: self._released(bundle_id, change)).failure(
            lambda exc: self.releaseFailed.emit(bundle_id, exc)
        ).run(ctx.net)

    def _released(self, bundle_id: str, change: Change) -> None:
        self.storeChanged.emit(change)
        self.released.emit(bundle_id)

    def _downloaded(self, outcome: Any) -> None:
        self.downloadFinished.emit(outcome)
        self.storeChanged.emit(Change(bundles=True))

    # -- status

    def _set(self, state: SyncState) -> None:
        self.state = state
        self.stateChanged.emit(state)

    def _report(self, exc: BaseException) -> None:
        log.warning("sync service: %s", exc)
        self._set(SyncState("error", str(exc)))

    def _watch_network(self) -> None:
        """Sync as soon as the system says the network is back, where Qt can tell."""
        if self._watching:
            return
        self._watching = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.loadDefaultBackend():
                info = QNetworkInformation.instance()
                info.reachabilityChanged.connect(self._reachability)
        except Exception as exc:  # noqa: BLE001 - no backend: the back-off timer still runs
            log.info("no network reachability information: %s", exc)

    def _reachability(self, reachability: Any) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online and self.state.kind == "error":
            self.sync_soon(500)
