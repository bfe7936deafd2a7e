"""The HTTP conversation with a task server (protocol v1), one method per endpoint.

Qt-free, no SQL. ``ServerClient`` wraps a ``requests`` session: TLS is always
verified (a tester may give a CA file), redirects are never followed, every
JSON answer is read with a size limit and validated against its
``sync.protocol`` model, and every failure comes out as a ``ServerError``
subclass (see ``sync.errors``, made by ``sync.answers``) whose message names
the host and what to do.
Transient failures are retried through a ``RetryPolicy``; see ``claim`` for
the one request that is not blindly repeatable. JSON goes both ways gzipped
when it is worth it (``sync.compression``): request bodies over 1 KiB, unless
the server refused that once (415, or a 400 or 422 that the same body sent
uncompressed does not get), and answers the server chooses to compress.
Archives never: their byte ranges and checksums are of the file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel, ValidationError
from requests.auth import AuthBase

from sync.answers import (
    ERROR_BODY_SECONDS,
    READ_CHUNK,
    parse_answer,
    read_bounded,
    status_error,
    transport_error,
)
from sync.bundle_errors import shown, summarize
from sync.compression import SMALLEST_COMPRESSED, gzip_body
from sync.deadline import DeadlineAdapter, headers_deadline
from sync.errors import (
    BadServerAddress,
    CredentialsRefused,
    MalformedAnswer,
    NetworkUnavailable,
    Refused,
    ServerBusy,
    ServerError,
    SignInRequired,
)
from sync.protocol import (
    API_PREFIX,
    AccuracyReport,
    BatchResponse,
    Catalogue,
    ClaimRequest,
    EarningsPage,
    ErrorCode,
    Lease,
    LeaseList,
    QualificationList,
    ReleaseRequest,
    ReleaseResponse,
    ResultBatch,
    ServerConfig,
    SignInRequest,
    SignInResponse,
    WireModel,
)
from sync.retry import CancelToken, RetryPolicy

__all__ = ["ServerClient"]

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

USER_AGENT = "Ouvrage/0.1 (protocol v1)"


class _Bearer(AuthBase):
    """Sends ``Authorization: Bearer``; with no token it keeps netrc credentials out too."""

    def __init__(self, token: str | None) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.token:
            request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class ServerClient:
    """One contributor's conversation with the task server at ``base_url``.

    ``base_url`` is where ``/v1`` lives (``https://tasks.example.org``).
    ``token`` is a session token kept from an earlier sign-in; ``ca_file`` the
    certificate authorities to trust instead of the system's (for test servers);
    ``timeout`` the (connect, read) timeouts in seconds; ``retry`` how
    transient failures are retried (default ``RetryPolicy()``);
    ``max_json_bytes`` the largest JSON answer accepted; ``answer_seconds`` the
    longest the headers of an answer, and then a JSON body, may take to arrive in
    full (a trickling server). Raises ``BadServerAddress`` if ``base_url`` is not
    an http(s) URL with a host.

    Safe to share between threads as long as ``token`` is not reassigned
    while requests run.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        ca_file: Path | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        max_json_bytes: int = 8 * 2**20,
        answer_seconds: float = 120.0,
    ) -> None:
        self.base_url, self.host = _check_base_url(base_url)
        self.token = token
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.max_json_bytes = max_json_bytes
        self.answer_seconds = answer_seconds
        # Verification is never off: a CA file replaces the system's authorities, no more.
        self._verify: str | bool = str(ca_file) if ca_file is not None else True
        self._owns_session = session is None
        self._session = session if session is not None else _new_session()
        self._lock = threading.Lock()
        self._requests_sent = 0
        self._body_bytes_sent = 0
        self._body_bytes_received = 0
        # Cleared for good (for this client, so this server) when it cannot read gzip.
        self._gzip_requests = True
        # Set once a gzipped body was read: from then on a 400 or 422 is about the content.
        self._gzip_confirmed = False

    # --- housekeeping ------------------------------------------------------------------

    @property
    def requests_sent(self) -> int:
        """How many HTTP requests this client has sent, retries included."""
        with self._lock:
            return self._requests_sent

    @property
    def body_bytes_sent(self) -> int:
        """Bytes of request bodies sent, as they went on the wire (gzipped when they were)."""
        with self._lock:
            return self._body_bytes_sent

    @property
    def body_bytes_received(self) -> int:
        """Bytes of JSON answer bodies (error bodies included) as they came off the wire,
        before unpacking; archives are not counted (``download_archive`` counts those)."""
        with self._lock:
            return self._body_bytes_received

    @property
    def gzips_requests(self) -> bool:
        """Whether large request bodies still go gzipped: False once the server answered
        415 (Unsupported Media Type) to one, or a 400 or 422 that the same body sent
        uncompressed did not get (a server that reads the packed bytes as plain JSON)."""
        return self._gzip_requests

    def close(self) -> None:
        """Close the connections of the session this client created (not one passed in)."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> ServerClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- session -------------------------------------------------------------------------

    def sign_in(
        self,
        contributor_id: str,
        password: str,
        device_name: str | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> SignInResponse:
        """POST /session: exchange credentials for a token, which this client then uses.

        Raises ``CredentialsRefused`` for a wrong id or password, ``ValueError``
        for credentials that cannot even be sent (empty, too long), else any
        ``ServerError``.
        """
        body = _build(
            SignInRequest,
            "contributor id and password",
            contributor_id=contributor_id,
            password=password,
            device_name=device_name,
        )

        def attempt() -> SignInResponse:
            try:
                return self._exchange("POST", "/session", SignInResponse, body=body, auth=False)
            except SignInRequired as error:
                raise CredentialsRefused(
                    error.code,
                    "the contributor id or the password is not right",
                    host=self.host,
                    status=401,
                    advice="Check them and try again.",
                ) from None

        answer = self.retry.call(attempt, cancel=cancel)
        self.token = answer.token
        return answer

    def sign_out(self, *, cancel: CancelToken | None = None) -> None:
        """DELETE /session, then forget the token (even if the server could not be told).

        A session the server already ended counts as signed out. Raises any
        other ``ServerError`` after forgetting the token.
        """
        try:
            if self.token:
                self.retry.call(self._end_session, cancel=cancel)
        except SignInRequired:
            pass
        finally:
            self.token = None

    # --- reading -------------------------------------------------------------------------

    def config(self, *, cancel: CancelToken | None = None) -> ServerConfig:
        """GET /config: the server's limits, currency and clock. No sign-in needed."""
        return self.retry.call(
            lambda: self._exchange("GET", "/config", ServerConfig, auth=False), cancel=cancel
        )

    def catalogue(self, *, cancel: CancelToken | None = None) -> Catalogue:
        """GET /catalogue: the bundles offered to this contributor."""
        return self.retry.call(
            lambda: self._exchange("GET", "/catalogue", Catalogue), cancel=cancel
        )

    def leases(self, *, cancel: CancelToken | None = None) -> LeaseList:
        """GET /leases: the bundles this contributor holds now."""
        return self.retry.call(lambda: self._exchange("GET", "/leases", LeaseList), cancel=cancel)

    def earnings(
        self, cursor: str | None, limit: int = 500, *, cancel: CancelToken | None = None
    ) -> EarningsPage:
        """GET /earnings: ledger changes after ``cursor`` (None: from the start)."""
        if not 1 <= limit <= 10_000:
            raise ValueError(f"earnings limit must be between 1 and 10,000, not {limit}")
        params: dict[str, str] = {"limit": str(limit)}
        if cursor is not None:
            params["cursor"] = cursor
        return self.retry.call(
            lambda: self._exchange("GET", "/earnings", EarningsPage, params=params), cancel=cancel
        )

    def qualifications(self, *, cancel: CancelToken | None = None) -> QualificationList:
        """GET /qualifications: every qualification, this contributor's standing with it
        (certificate, retry time) and the test bundle to claim next.

        A server older than this feature answers 404: ``Refused`` with code
        ``not_found``.
        """
        return self.retry.call(
            lambda: self._exchange("GET", "/qualifications", QualificationList), cancel=cancel
        )

    def accuracy(self, *, cancel: CancelToken | None = None) -> AccuracyReport:
        """GET /accuracy: this contributor's running accuracy on test questions, per kind,
        with what it unlocks or risks. Raises like ``qualifications``."""
        return self.retry.call(
            lambda: self._exchange("GET", "/accuracy", AccuracyReport), cancel=cancel
        )

    # --- changing ------------------------------------------------------------------------

    def claim(self, bundle_id: str, *, cancel: CancelToken | None = None) -> Lease:
        """POST /claims: reserve a bundle; returns its lease.

        A claim is not idempotent, so it is never repeated blindly. When its
        outcome is unknown (the request left but the answer was lost, a 500/502/504,
        or ``already_claimed``), GET /leases tells whether this contributor now
        holds the bundle: if so that lease is returned, otherwise the claim is
        retried like any transient failure (the server refuses a second claim
        of one bundle, so a late duplicate cannot reserve it twice). A
        qualification test is claimed the same way, with its ``test_bundle_id``.
        Raises ``Refused`` (``not_offered``, ``already_claimed``, ``cap_reached``,
        ``rotation``, ``accuracy_too_low``, ``qualification_needed``,
        ``qualification_retry_later``, ``already_qualified``…; its ``retry_after``
        says when a refusal for a while ends) or another ``ServerError``.
        """
        body = _build(ClaimRequest, "bundle id", bundle_id=bundle_id)

        def attempt() -> Lease:
            try:
                return self._exchange("POST", "/claims", Lease, body=body)
            except (NetworkUnavailable, ServerBusy, Refused) as error:
                if not _claim_outcome_unknown(error):
                    raise
                held = self._held_lease(body.bundle_id)
                if held is None:
                    raise
                return held

        return self.retry.call(attempt, cancel=cancel)

    def release(
        self,
        bundle_id: str,
        task_ids: list[str] | None = None,
        *,
        cancel: CancelToken | None = None,
    ) -> ReleaseResponse:
        """POST /releases: give back a whole bundle (``task_ids`` None) or some of its tasks."""
        body = _build(ReleaseRequest, "bundle or task id", bundle_id=bundle_id, task_ids=task_ids)
        return self.retry.call(
            lambda: self._exchange("POST", "/releases", ReleaseResponse, body=body), cancel=cancel
        )

    def submit(self, batch: ResultBatch, *, cancel: CancelToken | None = None) -> BatchResponse:
        """POST /results: send a batch; the answer has one ack per result.

        Safe to repeat: each result carries its idempotency key, and a key the
        server has seen comes back ``duplicate`` instead of being counted again.
        A batch over 1 KiB goes gzipped (``Content-Encoding: gzip``); a server
        that answers 415 to that, or 400 or 422 before it has read any gzipped
        body, gets it again uncompressed (once), and every body after it too if
        that was the trouble.
        """
        return self.retry.call(
            lambda: self._exchange("POST", "/results", BatchResponse, body=batch), cancel=cancel
        )

    # --- archives ------------------------------------------------------------------------

    def open_archive(
        self, path: str, *, offset: int = 0, etag: str | None = None
    ) -> requests.Response:
        """GET a bundle archive, streamed; one attempt, no retry (the download loop retries).

        ``path`` is the lease's ``archive_path``, relative to the server URL;
        with ``offset`` > 0 the request asks for the rest from there
        (``Range: bytes=offset-``), and with ``etag`` only if the archive is
        still that one (``If-Range``). Returns the open response, status 200 or
        206; the caller closes it and reads it with ``stream_body``. Raises
        ``Refused`` (code ``range_not_satisfiable`` for 416), ``SignInRequired``,
        ``ServerBusy``, ``NetworkUnavailable`` or ``MalformedAnswer``.
        """
        url = self._archive_url(path)
        headers = {
            "Accept": "application/zip, application/octet-stream",
            # A compressed transfer would make byte ranges and hashes meaningless.
            "Accept-Encoding": "identity",
        }
        if offset > 0:
            headers["Range"] = f"bytes={offset}-"
            if etag:
                headers["If-Range"] = etag if etag.startswith(('"', "W/")) else f'"{etag}"'
        response = self._send("GET", url, headers=headers)
        if response.status_code in (200, 206):
            return response
        with response:
            raise self._status_error(response)

    def stream_body(
        self, response: requests.Response, chunk_size: int = READ_CHUNK
    ) -> Iterator[bytes]:
        """The raw bytes of a streamed response as they arrive (no decoding).

        Raises ``NetworkUnavailable`` when the connection is cut or stalls,
        including a body shorter than its ``Content-Length``.
        """
        raw = response.raw
        try:
            if hasattr(raw, "read1"):
                # read1 hands over what has arrived, so progress and cancel stay responsive.
                while chunk := raw.read1(chunk_size, decode_content=False):
                    yield chunk
            else:  # pragma: no cover - urllib3 older than 2.3
                yield from raw.stream(chunk_size, decode_content=False)
        except ServerError:
            raise
        except Exception as exc:
            raise transport_error(self.host, exc) from exc

    # --- internals -----------------------------------------------------------------------

    def _held_lease(self, bundle_id: str) -> Lease | None:
        """This contributor's lease on ``bundle_id`` according to one GET /leases, or None."""
        try:
            held = self._exchange("GET", "/leases", LeaseList)
        except SignInRequired:
            raise
        except ServerError:
            return None
        return next((lease for lease in held.leases if lease.bundle_id == bundle_id), None)

    def _end_session(self) -> None:
        url = f"{self.base_url}{API_PREFIX}/session"
        with self._send("DELETE", url, headers={"Accept": "application/json"}) as response:
            if not 200 <= response.status_code < 300:
                raise self._status_error(response)

    def _exchange(
        self,
        method: str,
        endpoint: str,
        model: type[M],
        *,
        body: WireModel | None = None,
        params: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> M:
        """One request to ``/v1{endpoint}`` and its answer, validated as ``model``."""
        if auth and not self.token:
            raise SignInRequired(self.host)
        headers = {"Accept": "application/json"}
        data: bytes | None = None
        if body is not None:
            data = body.model_dump_json().encode()
            headers["Content-Type"] = "application/json"
        url = f"{self.base_url}{API_PREFIX}{endpoint}"
        with self._send_json(
            method, url, headers=headers, data=data, params=params, auth=auth
        ) as response:
            try:
                if not 200 <= response.status_code < 300:
                    raise self._status_error(response)
                raw = read_bounded(
                    self.host, response, self.max_json_bytes, seconds=self.answer_seconds
                )
            finally:
                self._count_received(response)
        return parse_answer(self.host, raw, model)

    def _send_json(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        data: bytes | None,
        params: Mapping[str, str] | None,
        auth: bool,
    ) -> requests.Response:
        """``_send`` with ``data`` gzipped when large; again uncompressed, once, when the
        server shows it cannot read gzip."""
        if data is None or len(data) < SMALLEST_COMPRESSED or not self._gzip_requests:
            return self._send(method, url, headers=headers, data=data, params=params, auth=auth)
        packed = {**headers, "Content-Encoding": "gzip"}
        response = self._send(
            method, url, headers=packed, data=gzip_body(data), params=params, auth=auth
        )
        status = response.status_code
        unread = status == 415 or (status in (400, 422) and not self._gzip_confirmed)
        if not unread:
            if status < 400:
                self._gzip_confirmed = True
            return response
        # 415 means the server did not run the request (RFC 7694); a 400 or 422 from a
        # server that read the packed bytes as JSON is a refusal before running anything
        # too. Either way even a claim can go again, uncompressed.
        self._count_received(response)
        response.close()
        again = self._send(method, url, headers=headers, data=data, params=params, auth=auth)
        if status == 415 or again.status_code not in (400, 422):
            self._gzip_requests = False  # this server gets identity from now on
            log.info("%s reads no gzipped request bodies: sending them uncompressed", self.host)
        return again

    def _send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        data: bytes | None = None,
        params: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> requests.Response:
        # gzip only: it is the one coding ``sync.answers`` unpacks (archives ask for identity).
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **headers}
        with self._lock:
            self._requests_sent += 1
            self._body_bytes_sent += len(data) if data is not None else 0
        with headers_deadline(self.answer_seconds) as watch:
            try:
                return self._session.request(
                    method,
                    url,
                    headers=headers,
                    data=data,
                    params=params,
                    auth=_Bearer(self.token if auth else None),
                    timeout=self.timeout,
                    verify=self._verify,
                    allow_redirects=False,
                    stream=True,
                )
            except Exception as exc:
                if watch.fired:
                    raise NetworkUnavailable(
                        self.host,
                        f"its answer trickles in too slowly (over {self.answer_seconds:.0f} s)",
                    ) from exc
                raise transport_error(self.host, exc) from exc

    def _count_received(self, response: requests.Response) -> None:
        """Add the body bytes read off ``response``'s connection so far (before unpacking)."""
        tell = getattr(response.raw, "tell", None)
        try:
            arrived = int(tell()) if callable(tell) else 0
        except Exception:  # noqa: BLE001 - a counter must never break a request
            arrived = 0
        with self._lock:
            self._body_bytes_received += arrived

    def _status_error(self, response: requests.Response) -> ServerError:
        return status_error(
            self.host, response, seconds=min(self.answer_seconds, ERROR_BODY_SECONDS)
        )

    def _archive_url(self, path: str) -> str:
        """The archive's URL on this server; a lease cannot point at another host."""
        if not path or any(not c.isprintable() or c.isspace() for c in path):
            raise MalformedAnswer(self.host, f"an archive address '{shown(path)}' it cannot use")
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or path.startswith("//"):
            raise MalformedAnswer(
                self.host, f"an archive address on another server ('{shown(path)}')"
            )
        return f"{self.base_url}/{path.lstrip('/')}"


# --- helpers ----------------------------------------------------------------------------


def _new_session() -> requests.Session:
    """A session whose answers must send their headers in time (see ``sync.deadline``)."""
    session = requests.Session()
    adapter = DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _check_base_url(address: str) -> tuple[str, str]:
    """The normalised base URL and the host as messages show it."""
    try:
        parts = urlsplit(address.strip())
        port = parts.port
    except ValueError:
        raise BadServerAddress(address, "is not a valid web address") from None
    if parts.scheme not in ("http", "https"):
        raise BadServerAddress(address, "must start with https:// (or http:// for a test server)")
    if not parts.hostname:
        raise BadServerAddress(address, "has no server name")
    if parts.username or parts.password:
        raise BadServerAddress(address, "must not contain a user name or password")
    if parts.query or parts.fragment:
        raise BadServerAddress(address, "must not contain '?' or '#'")
    host = parts.hostname if port is None else f"{parts.hostname}:{port}"
    if ":" in parts.hostname:  # IPv6 literal
        host = f"[{parts.hostname}]" if port is None else f"[{parts.hostname}]:{port}"
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return base, host


def _build(model: type[M], what: str, **fields: Any) -> M:
    """A request body from the caller's values; bad values are the caller's ``ValueError``."""
    try:
        return model(**fields)
    except ValidationError as exc:
        raise ValueError(f"Cannot send this {what}: {summarize(exc)}") from None


def _claim_outcome_unknown(error: ServerError) -> bool:
    if isinstance(error, NetworkUnavailable):
        return error.request_sent
    if isinstance(error, ServerBusy):
        # 408, 429 and 503 say the request was not processed; the others leave it open.
        return error.status not in (408, 429, 503)
    return isinstance(error, Refused) and error.code == ErrorCode.ALREADY_CLAIMED.value
