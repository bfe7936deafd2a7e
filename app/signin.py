"""The sign-in dialog: server address, contributor id, password. Never blocks on the network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.session import ServerAccount, TokenVault, normalize_url
from app.tasks import op

if TYPE_CHECKING:
    from app.context import AppContext


class SignInDialog(QDialog):
    """Emits ``signedIn(account, token)`` once the server accepted the credentials."""

    signedIn = Signal(object, str)

    def __init__(
        self, ctx: AppContext, account: ServerAccount | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Sign in to a task server"))
        self.setObjectName("signInDialog")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.server = QLineEdit(account.url if account else "", self)
        self.server.setPlaceholderText("https://tasks.example.org")
        self.server.setAccessibleName(self.tr("Server address"))
        self.contributor = QLineEdit(account.contributor_id if account else "", self)
        self.contributor.setAccessibleName(self.tr("Contributor id"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.ca_file = QLineEdit(account.ca_file if account else "", self)
        self.ca_file.setPlaceholderText(self.tr("only for a test server with its own certificate"))
        self.ca_file.setAccessibleName(self.tr("Certificate authority file"))
        form.addRow(self.tr("&Server:"), self.server)
        form.addRow(self.tr("&Contributor id:"), self.contributor)
        form.addRow(self.tr("&Password:"), self.password)
        form.addRow(self.tr("CA &file:"), self.ca_file)
        layout.addLayout(form)

        where = (
            self.tr("Your sign-in is kept in the system keyring.")
            if TokenVault.keyring_available()
            else self.tr(
                "No system keyring was found: your sign-in is kept in your profile folder, "
                "readable only by your user account."
            )
        )
        self.storage_note = QLabel(where, self)
        self.storage_note.setWordWrap(True)
        self.storage_note.setObjectName("storageNote")
        layout.addWidget(self.storage_note)
        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.password if account else self.server).setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(460, self.sizeHint().height())

    def submit(self) -> None:
        url, user, password = (
            self.server.text().strip(),
            self.contributor.text().strip(),
            self.password.text(),
        )
        if not url or not user or not password:
            self._fail(self.tr("Fill in the server, your contributor id and your password."))
            return
        ca_file = self.ca_file.text().strip()
        if ca_file and not Path(ca_file).is_file():
            self._fail(self.tr("The certificate file %1 does not exist.").replace("%1", ca_file))
            return
        account = ServerAccount(normalize_url(url), user, ca_file=ca_file)
        # Cancel stays available: a slow or dead network must not trap the contributor here.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.error.setText(self.tr("Signing in…"))
        self.error.setStyleSheet("")
        self.error.show()
        vault, ctx = TokenVault(self.ctx.profile), self.ctx

        def sign_in() -> tuple[ServerAccount, str]:
            client = account.client(None, attempts=2)  # someone is waiting for the answer
            answer = client.sign_in(user, password, device_name="Ouvrage")
            signed = ServerAccount(
                account.url, answer.contributor_id, answer.display_name, account.ca_file
            )
            vault.save(signed, answer.token)
            ctx.db.call(lambda: ctx.store.set_setting("server.account", signed.to_json()))
            return signed, answer.token

        op(sign_in).success(self._done).failure(lambda exc: self._fail(str(exc))).run(self.ctx.net)

    def _done(self, result: tuple[ServerAccount, str]) -> None:
        if not self.isVisible():
            return  # cancelled while the server answered: the vault already holds the token
        account, token = result
        self.password.clear()
        self.signedIn.emit(account, token)
        self.accept()

    def _fail(self, message: Any) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.error.setStyleSheet("color: #b3261e")
        self.error.setText(str(message))
        self.error.show()
