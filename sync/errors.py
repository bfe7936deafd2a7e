"""Why talking to the task server failed: error types whose messages a contributor can act on.

Qt-free. Every message names the server host and says what to do. Two families:
``ServerError`` for the conversation with the server (network, refusal, a
malformed answer) and ``DownloadError`` for a bundle archive that could not be
stored or verified on this computer. ``Cancelled`` is not a failure: the
contributor (or the application shutting down) asked to stop.
"""

from __future__ import annotations

from sync.bundle_errors import shown

_AGAIN = "Ouvrage will try again."


class Cancelled(Exception):
    """Long-running sync work stopped because its ``CancelToken`` was cancelled."""

    def __init__(self, what: str = "Sync") -> None:
        super().__init__(what)
        self.what = what

    def __str__(self) -> str:
        return f"{self.what} was cancelled."


class SyncError(Exception):
    """Anything that stops sync work, with a message for the contributor (``str(error)``)."""


# --- the server conversation ---------------------------------------------------------


class ServerError(SyncError):
    """The conversation with the task server at ``host`` failed.

    ``str(error)`` is the whole message for the contributor.
    """

    def __init__(self, host: str, message: str) -> None:
        super().__init__(host, message)
        self.host = host
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadServerAddress(ServerError):
    """The server address is not an http(s) URL with a host."""

    def __init__(self, address: str, problem: str) -> None:
        super().__init__(
            shown(address),
            f"The server address '{shown(address)}' {problem}. "
            "Check it in the sign-in settings (for example https://tasks.example.org).",
        )


class NetworkUnavailable(ServerError):
    """DNS failure, connection refused or reset, timeout, or a body cut short. Retryable.

    ``request_sent`` is False when the request certainly never reached the
    server (name lookup, refused or timed-out connection): then even a request
    that is not idempotent may be repeated.
    """

    def __init__(self, host: str, problem: str, *, request_sent: bool = True) -> None:
        super().__init__(host, f"Cannot reach {host}: {problem}. Check your connection; {_AGAIN}")
        self.problem = problem
        self.request_sent = request_sent


class CertificateRefused(ServerError):
    """The server's TLS certificate could not be verified. Not retried: it will not fix itself."""

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(
            host,
            f"Ouvrage could not verify that it is talking to the real {host} "
            f"({shown(detail, 160)}). Check the server address; for a test server, "
            "give Ouvrage its certificate authority file.",
        )


class ServerBusy(ServerError):
    """HTTP 408, 429 or 5xx: the server cannot answer now. Retryable.

    ``retry_after`` is the wait in seconds the server asked for, if any;
    ``status`` the HTTP status; ``code`` the ``ErrorBody`` code if one came.
    """

    def __init__(
        self,
        host: str,
        status: int,
        *,
        retry_after: float | None = None,
        code: str | None = None,
        detail: str | None = None,
    ) -> None:
        said = f": {shown(detail, 200)}" if detail else ""
        when = (
            f" Ouvrage will try again in {_duration(retry_after)}."
            if retry_after is not None
            else f" {_AGAIN}"
        )
        super().__init__(host, f"{host} cannot answer right now (HTTP {status}{said}).{when}")
        self.status = status
        self.retry_after = retry_after
        self.code = code


class SignInRequired(ServerError):
    """401, or an ``unauthorized``/``token_expired`` code: no session token, or it ended."""

    def __init__(self, host: str, code: str = "unauthorized") -> None:
        problem = (
            f"Your session on {host} has expired. Sign in again"
            if code == "token_expired"
            else f"{host} needs you to sign in. Sign in"
        )
        super().__init__(host, f"{problem}; nothing you did is lost.")
        self.code = code


class Refused(ServerError):
    """The server refused the request with a 4xx ``ErrorBody``; ``code`` is its machine code.

    ``retry_after`` (seconds) is set when the refusal lasts a known time (work
    withheld for a while, a qualification test's retry delay). Never retried
    automatically: the application tells the contributor and asks again later.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        host: str,
        status: int,
        advice: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        text = f"{host} refused the request: {shown(message, 300)}"
        text = text if text.endswith((".", "!", "?")) else text + "."
        super().__init__(host, f"{text} {advice}" if advice else text)
        self.code = code
        self.server_message = message
        self.status = status
        self.retry_after = retry_after


class CredentialsRefused(Refused):
    """Sign-in failed: the contributor id or the password is wrong."""


class MalformedAnswer(ServerError):
    """An answer Ouvrage cannot use: not JSON, the wrong shape, too large, or a redirect."""

    def __init__(self, host: str, problem: str) -> None:
        super().__init__(
            host,
            f"{host} sent an answer Ouvrage cannot use: {problem}. "
            "Ouvrage set it aside and will ask again later; if this keeps happening, "
            "tell the platform's support.",
        )
        self.problem = problem


class Redirected(MalformedAnswer):
    """The server answered with a redirect; Ouvrage never follows one."""

    def __init__(self, host: str, target: str) -> None:
        ServerError.__init__(
            self,
            host,
            f"{host} tried to send Ouvrage elsewhere ({shown(target, 120)}). "
            "Ouvrage does not follow redirects: check the server address in the sign-in "
            "settings, or tell the platform's support.",
        )
        self.problem = f"a redirect to {shown(target, 120)}"
        self.target = target


# --- storing and verifying a download --------------------------------------------------


class DownloadError(SyncError):
    """A bundle archive could not be stored or verified on this computer."""

    def __init__(self, bundle_id: str, message: str) -> None:
        super().__init__(bundle_id, message)
        self.bundle_id = bundle_id
        self.message = message

    def __str__(self) -> str:
        return self.message


class DownloadCorrupt(DownloadError):
    """The received archive does not match the lease's size or SHA-256; the .part is deleted."""

    def __init__(self, bundle_id: str, problem: str) -> None:
        super().__init__(
            bundle_id,
            f"The download of bundle '{shown(bundle_id)}' is damaged: {problem}. "
            "It was deleted; download it again.",
        )


class ArchiveChanged(DownloadError):
    """The server offers a different archive than the one the lease describes."""

    def __init__(self, bundle_id: str, problem: str) -> None:
        super().__init__(
            bundle_id,
            f"The bundle '{shown(bundle_id)}' changed on the server since it was claimed "
            f"({problem}). Refresh your leases or claim it again.",
        )


class DownloadDiskFull(DownloadError):
    """The disk filled up while writing; the partial download is kept for later."""

    def __init__(self, bundle_id: str, where: str) -> None:
        super().__init__(
            bundle_id,
            f"The disk is full: the download of bundle '{shown(bundle_id)}' cannot be "
            f"written to {shown(where, 160)}. Free some disk space; the download will "
            "continue where it stopped.",
        )


class DownloadWriteFailed(DownloadError):
    """Writing the download failed for another local reason (permissions, I/O)."""

    def __init__(self, bundle_id: str, where: str, reason: str) -> None:
        super().__init__(
            bundle_id,
            f"The download of bundle '{shown(bundle_id)}' cannot be written to "
            f"{shown(where, 160)} ({shown(reason, 120)}). Check that Ouvrage's profile "
            "folder can be written to, then try again.",
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
