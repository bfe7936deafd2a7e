r"""Reading a server's answers: statuses, bodies and failures turned into ``ServerError``\ s.

Qt-free, no SQL. ``ServerClient`` sends; these functions decide what came
back: ``status_error`` for a non-2xx status, ``read_bounded`` and
``parse_answer`` for a JSON body read with a size limit (unpacked from gzip
when it came compressed) and validated against its model, ``transport_error``
for whatever ``requests``, ``urllib3`` or the socket raised. ``host`` is the
server as messages name it.
"""

from __future__ import annotations

import http.client
import ssl
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError

from sync.bundle_errors import shown, size_text, summarize
from sync.compression import DamagedCoding, InflatesTooFar, UnknownCoding, inflater_for
from sync.errors import (
    CertificateRefused,
    MalformedAnswer,
    NetworkUnavailable,
    Redirected,
    Refused,
    ServerBusy,
    ServerError,
    SignInRequired,
)
from sync.protocol import ErrorBody, ErrorCode
from sync.retry import parse_retry_after

__all__ = ["parse_answer", "read_bounded", "status_error", "transport_error"]

M = TypeVar("M", bound=BaseModel)

ERROR_BODY_LIMIT = 64 * 1024  # an error explanation never needs more
# An error body is only a nicer message: a trickling one must not hold the caller for hours.
ERROR_BODY_SECONDS = 10.0
READ_CHUNK = 64 * 1024
_SIGN_IN_CODES = {ErrorCode.UNAUTHORIZED.value, ErrorCode.TOKEN_EXPIRED.value}


def status_error(
    host: str, response: requests.Response, *, seconds: float = ERROR_BODY_SECONDS
) -> ServerError:
    """The ``ServerError`` that a non-2xx ``response`` means (its body is read, bounded in
    size and to ``seconds``)."""
    status = response.status_code
    if 300 <= status < 400:
        return Redirected(host, _redirect_target(response))
    error = _error_body(host, response, seconds)
    code = error.code if error is not None else None
    if status == 401 or code in _SIGN_IN_CODES:
        return SignInRequired(host, code or ErrorCode.UNAUTHORIZED.value)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if retry_after is None and error is not None and error.retry_after is not None:
        retry_after = parse_retry_after(repr(error.retry_after))
    detail = error.message if error is not None else (response.reason or None)
    if status in (408, 429) or 500 <= status < 600:
        return ServerBusy(host, status, retry_after=retry_after, code=code, detail=detail)
    if status == 416:
        return Refused(
            "range_not_satisfiable",
            detail or "the requested part of the file does not exist",
            host=host,
            status=status,
        )
    if 400 <= status < 500:
        return Refused(
            code or f"http_{status}",
            detail or f"HTTP {status}",
            host=host,
            status=status,
            retry_after=retry_after,
        )
    return MalformedAnswer(host, f"an unexpected HTTP status {status}")


def _error_body(host: str, response: requests.Response, seconds: float) -> ErrorBody | None:
    try:
        raw = read_bounded(host, response, ERROR_BODY_LIMIT, seconds=seconds)
        return ErrorBody.model_validate_json(raw)
    except (ServerError, ValidationError):
        return None  # the status alone still says what happened


def read_bounded(
    host: str, response: requests.Response, limit: int, *, seconds: float | None = None
) -> bytes:
    """The whole body, unpacked if the server sent it gzipped (``Content-Encoding``).

    Refused (``MalformedAnswer``) once the body passes ``limit`` bytes as it
    arrives or once unpacked, before more than ``limit`` bytes are held: a small
    gzip bomb is stopped as early as a long body. A damaged gzip stream, or a
    coding other than gzip, is a ``MalformedAnswer`` too. ``seconds`` bounds the
    whole read: a server that trickles a byte at a time never trips the per-read
    timeout, so without it a sync could hang for hours. Raises
    ``NetworkUnavailable`` if the connection fails or the deadline passes.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise MalformedAnswer(host, _too_large(int(declared), limit))
    try:
        inflater = inflater_for(response.headers.get("Content-Encoding"), limit)
    except UnknownCoding as exc:
        coding = shown(exc.coding, 40)
        raise MalformedAnswer(
            host, f"its answer is compressed as '{coding}', which Ouvrage cannot read"
        ) from None
    deadline = time.monotonic() + seconds if seconds is not None else None
    body = bytearray()
    arrived = 0
    try:
        for chunk in _raw_chunks(response):
            arrived += len(chunk)
            if arrived > limit:
                raise MalformedAnswer(host, _too_large(None, limit))
            if inflater is not None:
                inflater.feed(chunk, body)
            else:
                body += chunk
            if len(body) > limit:
                raise MalformedAnswer(host, _too_large(None, limit))
            if deadline is not None and time.monotonic() > deadline:
                raise NetworkUnavailable(
                    host, f"its answer trickles in too slowly (over {seconds:.0f} s)"
                )
        if inflater is not None:
            inflater.end()
    except InflatesTooFar:
        raise MalformedAnswer(host, _too_large(None, limit, unpacked=True)) from None
    except DamagedCoding as exc:
        raise MalformedAnswer(host, f"its gzip-compressed answer is damaged ({exc})") from None
    except ServerError:
        raise
    except Exception as exc:
        raise transport_error(host, exc) from exc
    return bytes(body)


def _raw_chunks(response: requests.Response) -> Iterable[bytes]:
    """The body's bytes as they come off the connection, still compressed if they were."""
    raw = response.raw
    # read1 returns whatever has arrived, so the deadline is checked between trickles.
    read1 = getattr(raw, "read1", None)
    if read1 is not None:
        return iter(lambda: read1(READ_CHUNK, decode_content=False), b"")
    if hasattr(raw, "stream"):  # pragma: no cover - urllib3 older than 2.3
        return raw.stream(READ_CHUNK, decode_content=False)  # type: ignore[no-any-return]
    return iter(lambda: raw.read(READ_CHUNK), b"")  # pragma: no cover - a file-like body


def parse_answer(host: str, raw: bytes, model: type[M]) -> M:
    """``raw`` validated as ``model``; anything else is a ``MalformedAnswer``."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        if any(e["type"] == "json_invalid" for e in exc.errors()):
            problem = "its answer is empty" if not raw.strip() else "its answer is not JSON"
        else:
            problem = f"in its {_what(model)}, {summarize(exc)}"
        raise MalformedAnswer(host, problem) from None
    except ValueError:
        # pydantic-core hands a JSON array given for a Decimal to ``Decimal()`` as a tuple,
        # and lets its ValueError through unwrapped.
        raise MalformedAnswer(host, f"its {_what(model)} holds a value of the wrong type") from None


def transport_error(host: str, exc: BaseException) -> ServerError:
    """The ``ServerError`` behind a ``requests``/``urllib3``/socket exception."""
    if isinstance(exc, ServerError):
        return exc
    causes = list(_causes(exc))

    def caused_by(*types: type[BaseException]) -> bool:
        return any(isinstance(cause, types) for cause in causes)

    if caused_by(ssl.SSLCertVerificationError):
        verify = next(c for c in causes if isinstance(c, ssl.SSLCertVerificationError))
        return CertificateRefused(host, verify.verify_message or str(verify))
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return MalformedAnswer(host, "its compressed answer cannot be unpacked")
    if isinstance(exc, requests.exceptions.InvalidHeader) or caused_by(
        urllib3.exceptions.InvalidHeader, http.client.LineTooLong
    ):
        return MalformedAnswer(host, "an answer with broken headers")
    if isinstance(
        exc,
        requests.exceptions.InvalidURL
        | requests.exceptions.MissingSchema
        | requests.exceptions.InvalidSchema
        | requests.exceptions.URLRequired,
    ):
        return MalformedAnswer(host, "an address Ouvrage cannot use")
    if caused_by(urllib3.exceptions.NameResolutionError) or (
        caused_by(OSError) and any(type(c).__name__ == "gaierror" for c in causes)
    ):
        return NetworkUnavailable(
            host, "its name cannot be looked up (are you offline?)", request_sent=False
        )
    if caused_by(ConnectionRefusedError):
        return NetworkUnavailable(
            host, "the connection was refused (is the server running?)", request_sent=False
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout) or caused_by(
        urllib3.exceptions.ConnectTimeoutError
    ):
        return NetworkUnavailable(host, "no connection could be made in time", request_sent=False)
    if caused_by(urllib3.exceptions.NewConnectionError):
        return NetworkUnavailable(host, "no connection could be made", request_sent=False)
    if isinstance(exc, requests.exceptions.ReadTimeout) or caused_by(
        urllib3.exceptions.ReadTimeoutError, TimeoutError
    ):
        return NetworkUnavailable(host, "the server stopped answering")
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ConnectionError
    ) or caused_by(
        urllib3.exceptions.ProtocolError,
        http.client.IncompleteRead,
        ConnectionError,
    ):
        return NetworkUnavailable(host, "the connection was cut")
    if isinstance(exc, requests.exceptions.SSLError) or caused_by(ssl.SSLError):
        return NetworkUnavailable(host, "the secure connection failed")
    if isinstance(
        exc,
        OSError
        | http.client.HTTPException
        | urllib3.exceptions.HTTPError
        | requests.exceptions.RequestException,
    ):
        return NetworkUnavailable(host, f"the connection failed ({shown(str(exc), 120)})")
    return MalformedAnswer(host, f"an answer that broke the connection ({type(exc).__name__})")


# --- helpers ---------------------------------------------------------------------------


def _redirect_target(response: requests.Response) -> str:
    location = response.headers.get("Location")
    if not location:
        return "a redirect without a destination"
    try:
        target = urlsplit(urljoin(response.url, location))
    except ValueError:
        return shown(location, 120)
    return f"{target.scheme}://{target.netloc}{target.path}"


def _too_large(declared: int | None, limit: int, *, unpacked: bool = False) -> str:
    size = f" ({size_text(declared)})" if declared is not None else ""
    when = " once unpacked" if unpacked else ""
    return f"its answer is too large{size}{when}; Ouvrage accepts at most {size_text(limit)}"


def _what(model: type[BaseModel]) -> str:
    names = {
        "ServerConfig": "configuration",
        "SignInResponse": "sign-in answer",
        "Catalogue": "catalogue",
        "LeaseList": "list of leases",
        "Lease": "lease",
        "ReleaseResponse": "release answer",
        "BatchResponse": "answer to the results sent",
        "EarningsPage": "earnings",
    }
    return names.get(model.__name__, "answer")


def _causes(exc: BaseException, depth: int = 8) -> Iterator[BaseException]:
    """``exc`` and what it wraps: ``args``, ``reason``, ``__cause__``, ``__context__``."""
    seen: set[int] = set()
    stack: list[tuple[BaseException, int]] = [(exc, 0)]
    while stack:
        current, level = stack.pop()
        if id(current) in seen or level > depth:
            continue
        seen.add(id(current))
        yield current
        inner: list[object] = [
            *current.args,
            getattr(current, "reason", None),
            current.__cause__,
            current.__context__,
        ]
        stack.extend((c, level + 1) for c in inner if isinstance(c, BaseException))
