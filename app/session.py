"""Who is signed in to which server, and where the sign-in token is kept. Qt-free.

The token goes to the operating system's keyring when one works; otherwise to a
file in the profile that only the contributor's account can read, and the
sign-in dialog says so. Never anywhere else.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.profile import Profile

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Ouvrage"


@dataclass(frozen=True)
class ServerAccount:
    url: str
    contributor_id: str
    display_name: str = ""
    ca_file: str = ""  # a tester's own certificate authority, for a server with a private TLS cert

    def client(self, token: str | None, *, attempts: int | None = None) -> Any:
        """A ``sync.client.ServerClient`` for this account (``attempts`` per call, if given)."""
        from sync.client import ServerClient
        from sync.retry import RetryPolicy

        return ServerClient(
            self.url,
            token=token,
            ca_file=Path(self.ca_file) if self.ca_file else None,
            retry=RetryPolicy(attempts=attempts) if attempts else None,
        )

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).netloc or self.url

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> ServerAccount | None:
        if not isinstance(data, dict) or not data.get("url") or not data.get("contributor_id"):
            return None
        return cls(
            str(data["url"]),
            str(data["contributor_id"]),
            str(data.get("display_name", "")),
            str(data.get("ca_file", "")),
        )


def normalize_url(url: str) -> str:
    """``tasks.example.org`` → ``https://tasks.example.org``; no trailing slash."""
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    return url.rstrip("/")


class TokenVault:
    """Keeps one token per (profile, server, contributor)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def _name(self, account: ServerAccount) -> str:
        import hashlib  # OpenSSL's libcrypto: loaded when an account is used, not at start

        # The profile is part of the name: two profiles signed in as the same person stay apart.
        profile_tag = hashlib.sha256(str(self.profile.root.resolve()).encode()).hexdigest()[:12]
        return f"{account.contributor_id}@{account.url}#{profile_tag}"

    def _file(self, account: ServerAccount) -> Path:
        import hashlib

        digest = hashlib.sha256(self._name(account).encode()).hexdigest()[:24]
        return self.profile.root / "private" / f"token-{digest}"

    @staticmethod
    def keyring_available() -> bool:
        try:
            import keyring

            return keyring.get_keyring().priority > 0
        except Exception:  # noqa: BLE001 - a broken keyring setup means "no keyring"
            return False

    def save(self, account: ServerAccount, token: str) -> str:
        """Store ``token``; returns where it went: ``"keyring"`` or ``"profile"``."""
        if self.keyring_available():
            try:
                import keyring

                keyring.set_password(KEYRING_SERVICE, self._name(account), token)
                self._file(account).unlink(missing_ok=True)
                return "keyring"
            except Exception as exc:  # noqa: BLE001 - fall back to the profile file
                log.warning("keyring refused the token (%s); keeping it in the profile", exc)
        path = self._file(account)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        # Created readable by the owner only, before the secret is written into it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token)
        return "profile"

    def load(self, account: ServerAccount) -> str | None:
        if self.keyring_available():
            try:
                import keyring

                token = keyring.get_password(KEYRING_SERVICE, self._name(account))
                if token:
                    return token
            except Exception as exc:  # noqa: BLE001
                log.warning("keyring could not be read (%s)", exc)
        path = self._file(account)
        try:
            return path.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def forget(self, account: ServerAccount) -> None:
        if self.keyring_available():
            try:
                import keyring

                keyring.delete_password(KEYRING_SERVICE, self._name(account))
            except Exception:  # noqa: BLE001 - nothing stored there is fine
                pass
        self._file(account).unlink(missing_ok=True)
