"""Where the sign-in token is kept: the OS keyring, or a private file in the profile."""

from __future__ import annotations

import stat

import keyring
import pytest
from keyring.backend import KeyringBackend

from app.profile import Profile
from app.session import ServerAccount, TokenVault, normalize_url

ACCOUNT = ServerAccount("https://tasks.example.org", "alice", "Alice")


class MemoryKeyring(KeyringBackend):
    """Stands in for the desktop's keyring service, which does not run on test machines."""

    priority = 10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring():  # type: ignore[no-untyped-def]
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_with_a_keyring_the_token_never_touches_the_profile(
    memory_keyring, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    vault = TokenVault(profile)
    assert vault.save(ACCOUNT, "secret-token-123") == "keyring"
    assert vault.load(ACCOUNT) == "secret-token-123"
    assert not (profile.root / "private").exists() or not any((profile.root / "private").iterdir())
    assert "secret-token-123" not in "".join(
        p.read_text(errors="ignore") for p in profile.root.rglob("*") if p.is_file()
    )
    vault.forget(ACCOUNT)
    assert vault.load(ACCOUNT) is None


def test_without_a_keyring_the_token_is_a_private_file_in_the_profile(
    no_keyring, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    vault = TokenVault(profile)
    assert not vault.keyring_available()
    assert vault.save(ACCOUNT, "secret-token-456") == "profile"
    [path] = list((profile.root / "private").iterdir())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert vault.load(ACCOUNT) == "secret-token-456"
    vault.forget(ACCOUNT)
    assert vault.load(ACCOUNT) is None and not path.exists()


def test_two_profiles_signed_in_as_the_same_person_keep_separate_tokens(
    memory_keyring, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    first, second = TokenVault(Profile(tmp_path / "a")), TokenVault(Profile(tmp_path / "b"))
    first.save(ACCOUNT, "token-a")
    second.save(ACCOUNT, "token-b")
    assert (first.load(ACCOUNT), second.load(ACCOUNT)) == ("token-a", "token-b")


def test_server_urls_are_normalized_and_accounts_round_trip() -> None:
    assert normalize_url(" tasks.example.org/ ") == "https://tasks.example.org"
    assert normalize_url("http://127.0.0.1:8765") == "http://127.0.0.1:8765"
    assert ServerAccount.from_json(ACCOUNT.to_json()) == ACCOUNT
    assert ServerAccount.from_json({"url": ""}) is None
    assert ACCOUNT.host == "tasks.example.org"
