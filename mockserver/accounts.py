"""Contributors, passwords and sign-in tokens of the mock server.

Passwords are stored as salted PBKDF2 hashes and tokens as SHA-256 hashes, so
the database never holds anything that signs in by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from mockserver.clock import from_timestamp
from mockserver.errors import ApiError, unauthorized
from mockserver.records import ContributorRow, TokenRow
from mockserver.store import MockStore
from sync.protocol import ErrorCode, SignInRequest, SignInResponse

if TYPE_CHECKING:
    from mockserver.state import ServerState

# (contributor id, password, display name): what a tester types to sign in.
DEMO_CONTRIBUTORS = (
    ("demo", "demo", "Demo Contributor"),
    ("alice", "alice", "Alice"),
    ("bob", "bob", "Bob"),
)
# A mock server: enough to keep hashes honest, cheap enough for quick tests.
_PBKDF2_ROUNDS = 10_000


def _password_hash(password: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, _PBKDF2_ROUNDS)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def put_contributor(store: MockStore, contributor_id: str, password: str, name: str) -> None:
    """Create the contributor, or replace its password and display name."""
    salt = secrets.token_bytes(16)
    store.put_contributor(
        ContributorRow(contributor_id, name, salt, _password_hash(password, salt))
    )


def ensure_demo_contributors(store: MockStore) -> None:
    for contributor_id, password, name in DEMO_CONTRIBUTORS:
        if store.contributor(contributor_id) is None:
            put_contributor(store, contributor_id, password, name)


def sign_in(state: ServerState, request: SignInRequest) -> SignInResponse:
    """Check the password and hand out a new token; raises ``ApiError`` 401 if wrong."""
    row = state.store.contributor(request.contributor_id)
    if row is None or not hmac.compare_digest(
        row.password_hash, _password_hash(request.password, row.salt)
    ):
        raise unauthorized("Wrong contributor id or password. Check both and try again.")
    token = secrets.token_urlsafe(32)
    now = state.clock.timestamp()
    seconds = state.options.token_seconds
    expires_at = None if seconds is None else now + seconds
    state.store.add_token(
        TokenRow(token_hash(token), row.contributor_id, request.device_name, now, expires_at, 0)
    )
    return SignInResponse(
        token=token,
        contributor_id=row.contributor_id,
        display_name=row.display_name,
        expires_at=None if expires_at is None else from_timestamp(expires_at),
    )


def sign_out(state: ServerState, token: str) -> None:
    """Revoke the token: later requests with it get 401 ``unauthorized``."""
    state.store.delete_token(token_hash(token))


def contributor_for_token(state: ServerState, token: str | None) -> str:
    """The contributor a bearer token signs in; raises ``ApiError`` 401 otherwise.

    ``unauthorized`` for a missing or unknown token, ``token_expired`` for one
    past its expiry (by the server clock) or expired by the admin.
    """
    if not token:
        raise unauthorized()
    row = state.store.token(token_hash(token))
    if row is None:
        raise unauthorized("This sign-in is not valid (signed out or unknown). Sign in again.")
    if row.expired or (row.expires_at is not None and row.expires_at <= state.clock.timestamp()):
        raise ApiError(
            401,
            ErrorCode.TOKEN_EXPIRED,
            "Your sign-in has expired. Sign in again; nothing you did is lost.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return row.contributor_id


def require_contributor(state: ServerState, contributor_id: str) -> None:
    """Raises ``ApiError`` 404 when no such contributor exists (admin actions)."""
    if state.store.contributor(contributor_id) is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, f"There is no contributor '{contributor_id}'.")
