"""Everything server-related in the window: sign-in, the catalogue tab, sync actions and status.

The window creates one ``ServerLink`` once its store is open and hands it what
it needs: a place for the catalogue tab, the status label and the menu.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from app.catalogue_view import CatalogueView
from app.qualifications_view import QualificationsView
from app.session import ServerAccount
from app.syncservice import SyncService, SyncState
from app.tasks import op

if TYPE_CHECKING:
    from app.mainwindow import MainWindow

STATE_COLOURS = {
    "synced": "#1a7f37",
    "syncing": "#0a7ea4",
    "error": "#b3261e",
    "sign_in": "#9a6700",
}


class ServerLink(QObject):
    def __init__(
        self,
        window: MainWindow,
        *,
        server_url: str | None = None,
        auto_sign_in: tuple[str, str] | None = None,
        auto_claim: tuple[str, ...] = (),
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.server_url = server_url
        self.auto_sign_in = auto_sign_in  # the demo's own contributor, on its embedded server
        self.auto_claim = auto_claim  # bundles the demo claims for the contributor at start
        self.dialog: Any = None
        self.service = SyncService(self.ctx, self)
        self.catalogue = CatalogueView(window)
        self.catalogue.claimRequested.connect(self.claim)
        self.qualifications = QualificationsView(window)
        self.qualifications.testRequested.connect(self.claim)
        self.catalogue.refreshRequested.connect(self.service.sync_now)

        self.service.stateChanged.connect(self._state)
        self.service.storeChanged.connect(self._store_changed)
        self.service.signInRequired.connect(self.ask_sign_in)
        self.service.accountLoaded.connect(self._account_loaded)
        self.service.downloadProgress.connect(self.catalogue.show_progress)
        self.service.downloadFinished.connect(self._downloaded)
        self.service.downloadFailed.connect(self._download_failed)
        self.service.released.connect(self._released)
        self.service.releaseFailed.connect(self._release_failed)

    def install(self, menu: QMenu, label: QLabel) -> None:
        self.label = label
        self.sign_in_action = QAction(self.tr("Sign &in…"), self.window)
        self.sign_in_action.triggered.connect(self.ask_sign_in)
        self.sync_action = QAction(self.tr("&Sync now"), self.window)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_action.triggered.connect(self.service.sync_now)
        self.sign_out_action = QAction(self.tr("Sign &out"), self.window)
        self.sign_out_action.triggered.connect(self.sign_out)
        self.release_action = QAction(self.tr("&Release a bundle…"), self.window)
        self.release_action.setToolTip(self.tr("Give a claimed bundle back to the platform"))
        self.release_action.triggered.connect(self.ask_release)
        actions = (self.sign_in_action, self.sync_action, self.release_action, self.sign_out_action)
        for action in actions:
            menu.addAction(action)
            self.window.addAction(action)
        self.service.start()
        self.refresh_catalogue()

    def set_kind_titles(self, titles: dict[str, str]) -> None:
        """The kinds are loaded: the catalogue and qualifications name them by title."""
        self.catalogue.set_kind_titles(titles)
        self.qualifications.set_kind_titles(titles)

    # -- signing in and out

    def _account_loaded(self, account: ServerAccount | None) -> None:
        if not self.server_url or (account is not None and account.url == self.server_url):
            return
        if self.auto_sign_in is None:
            self.ask_sign_in()
            return
        user, password = self.auto_sign_in
        target, vault, ctx = ServerAccount(self.server_url, user), self.service.vault, self.ctx

        def sign_in() -> tuple[ServerAccount, str]:
            answer = target.client(None).sign_in(user, password, device_name="Ouvrage demo")
            signed = ServerAccount(target.url, answer.contributor_id, answer.display_name)
            vault.save(signed, answer.token)
            ctx.db.call(lambda: ctx.store.set_setting("server.account", signed.to_json()))
            return signed, answer.token

        def done(result: tuple[ServerAccount, str]) -> None:
            self._signed_in(*result)
            self.window.tabs.setCurrentWidget(self.catalogue)
            for bundle_id in self.auto_claim:
                self.claim(bundle_id)

        op(sign_in).success(done).failure(self.window.report_error).run(self.ctx.net)

    def ask_sign_in(self) -> None:
        from app.signin import SignInDialog

        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        account = self.service.account
        if self.server_url and (account is None or account.url != self.server_url):
            account = ServerAccount(self.server_url, "")
        self.dialog = SignInDialog(self.ctx, account, self.window)
        self.dialog.signedIn.connect(self._signed_in)
        self.dialog.open()

    def _signed_in(self, account: ServerAccount, token: str) -> None:
        self.service.signed_in(account, token)
        self.refresh_catalogue()

    def sign_out(self) -> None:
        account, token = self.service.forget_account()
        if account is None:
            return
        store, vault = self.ctx.store, self.service.vault

        def forget() -> None:
            if token:
                # Offline, the token is still forgotten here; the server lets it expire.
                with contextlib.suppress(Exception):
                    account.client(token).sign_out()
            vault.forget(account)
            self.ctx.db.call(lambda: store.set_setting("server.account", None))

        op(forget).success(lambda _: self._signed_out()).failure(self.window.report_error).run(
            self.ctx.net
        )

    def _signed_out(self) -> None:
        self._state(SyncState("signed_out", self.tr("Offline — not signed in to a server")))
        self.refresh_catalogue()

    # -- catalogue and downloads

    def refresh_catalogue(self) -> None:
        store = self.ctx.store
        op(store.catalogue).success(
            lambda entries: self.catalogue.set_entries(
                entries, signed_in=self.service.account is not None
            )
        ).run(self.ctx.db)
        op(
            lambda: (store.setting("server.qualifications"), store.setting("server.accuracy"))
        ).success(
            lambda both: self.qualifications.set_data(
                both[0], both[1], signed_in=self.service.account is not None
            )
        ).run(self.ctx.db)

    def claim(self, bundle_id: str) -> None:
        self.window._load_kinds()  # the import at the end needs them
        self.service.claim(bundle_id)

    def _downloaded(self, outcome: Any) -> None:
        if outcome.already_imported:
            text = self.tr("'%1' was already here; nothing new to download.")
        else:
            text = self.tr(
                "Downloaded '%1': %n task(s) ready to work on, offline too.",
                None,
                outcome.task_count,
            )
        text = text.replace("%1", outcome.title)
        self.catalogue.download_done(text)
        self.window.statusBar().showMessage(text, 8000)
        self.window.refresh_queue()
        self.service.sync_soon(0)  # the claimed bundle leaves the catalogue

    def _download_failed(self, bundle_id: str, exc: BaseException) -> None:
        self.catalogue.download_done(
            self.tr("'%1' could not be downloaded: %2")
            .replace("%1", bundle_id)
            .replace("%2", str(exc))
        )
        self.window.report_error(exc)

    # -- releasing a bundle

    def ask_release(self) -> None:
        """Choose a held bundle, confirm, then give it back (asked every time)."""
        store = self.ctx.store

        def held() -> list[tuple[str, str, int]]:
            titles = {b["id"]: b["title"] for b in store.bundles()}
            return [
                (row["bundle_id"], titles.get(row["bundle_id"], row["bundle_id"]),
                 store.open_task_count(row["bundle_id"]))
                for row in store.leases(["claimed", "downloading", "imported"])
            ]  # fmt: skip

        op(held).success(self._choose_release).run(self.ctx.db)

    def _choose_release(self, held: list[tuple[str, str, int]]) -> None:
        from app import dialogs

        if not held:
            self.window.statusBar().showMessage(self.tr("You hold no bundle to release."), 5000)
            return
        choices = [
            (bundle, self.tr("%1 — %n task(s) open", None, n).replace("%1", title))
            for bundle, title, n in held
        ]
        bundle_id = dialogs.ask_bundle_to_release(self.window, choices)
        if bundle_id is None:
            return
        title, open_tasks = next((t, n) for b, t, n in held if b == bundle_id)
        if not dialogs.confirm_release(self.window, title, open_tasks):
            return
        if self.window.current is not None and self.window.current.key.startswith(f"{bundle_id}/"):
            self.window.autosaver.flush()
        self.service.release(bundle_id)

    def _released(self, bundle_id: str) -> None:
        text = self.tr("Released '%1': its open tasks went back to the platform.")
        self.window.statusBar().showMessage(text.replace("%1", bundle_id), 8000)
        current = self.window.current
        if current is not None and current.key.startswith(f"{bundle_id}/"):
            self.window.current = None
            self.window.work_time.stop()
            self.window.pane.show_placeholder(has_tasks=True)
        self.window.refresh_queue()
        self.window.refresh_status()

    def _release_failed(self, bundle_id: str, exc: BaseException) -> None:
        self.window.statusBar().showMessage(
            self.tr("'%1' could not be released: %2")
            .replace("%1", bundle_id)
            .replace("%2", str(exc)),
            10000,
        )
        self.window.report_error(exc)

    # -- status

    def _state(self, state: SyncState) -> None:
        self.label.setText(state.text)
        self.label.setStyleSheet(f"color: {STATE_COLOURS.get(state.kind, '#57606a')}")
        self.label.setToolTip(state.text)
        signed = self.service.account is not None
        self.sync_action.setEnabled(self.service.can_sync)
        self.sign_out_action.setEnabled(signed)
        self.release_action.setEnabled(signed)

    def _store_changed(self, change: Any) -> None:
        self.window._apply_change(change)
        if change.settings & {"catalogue", "server.qualifications", "server.accuracy"}:
            self.refresh_catalogue()
        if change.tasks or change.outbox:
            self.window.refresh_outbox()

    def submitted(self) -> None:
        self.service.sync_soon()

    def close(self) -> None:
        self.service.stop()
