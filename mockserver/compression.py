"""gzip on the mock server's wire: request bodies unpacked, large JSON answers packed.

A pure ASGI middleware, installed inside ``FaultInjector`` so that faults (cuts,
trickles, garbling) apply to the bytes that really go out. Requests: a body
sent with ``Content-Encoding: gzip`` reaches the routes unpacked, with its
unpacked length; it may unpack to at most ``largest_body`` bytes (413
otherwise), a damaged stream gets 400 and a coding other than gzip or
identity 415, each with an ``ErrorBody``. Answers: JSON of at least 1 KiB is
gzipped when the request's ``Accept-Encoding`` allows it. Nothing else is
ever packed: a bundle archive, a ranged (206) answer or a request with
``Range`` keeps its bytes as they are, so ranges and checksums stay those of
the file. The fault setting ``gzip`` imitates an older server on the
contributor API: ``refuse`` answers 415 to a gzipped body, ``ignore`` passes its
packed bytes on as they are; neither gzips an answer.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import MutableMapping
from typing import Any

from mockserver.errors import error_body_bytes
from mockserver.faults import (
    ASGIApp,
    FaultController,
    Message,
    Receive,
    Send,
    is_archive,
    is_faultable,
)
from sync.compression import (
    GZIP_LEVEL,
    SMALLEST_COMPRESSED,
    DamagedCoding,
    Inflater,
    InflatesTooFar,
    UnknownCoding,
    accepts_gzip,
    gzip_body,
    inflater_for,
)
from sync.protocol import ErrorCode

log = logging.getLogger("mockserver.compression")

Scope = MutableMapping[str, Any]


class GzipCoding:
    """ASGI middleware: gzip request bodies in, gzip JSON answers out (see the module)."""

    def __init__(
        self, app: ASGIApp, largest_body: int, faults: FaultController | None = None
    ) -> None:
        self.app = app
        self.largest_body = largest_body
        self.faults = faults  # its ``gzip`` setting imitates an older server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        mode = "on"
        if self.faults is not None and is_faultable(scope["path"]):
            mode = self.faults.settings.gzip
        if mode == "ignore":  # no idea what Content-Encoding means: bytes in, bytes out
            await self.app(scope, receive, send)
            return
        coding = headers.get("content-encoding")
        if mode == "refuse" and (coding or "identity").strip().lower() != "identity":
            await _refuse(
                receive,
                send,
                415,
                ErrorCode.INVALID_REQUEST,
                "This server reads no compressed request bodies; send it uncompressed.",
            )
            return
        try:
            inflater = inflater_for(coding, self.largest_body)
        except UnknownCoding as exc:
            await _refuse(
                receive,
                send,
                415,
                ErrorCode.INVALID_REQUEST,
                f"This server cannot read a request body coded as '{exc.coding[:40]}'; "
                "send it gzipped (Content-Encoding: gzip) or uncompressed.",
                {"accept-encoding": "gzip"},
            )
            return
        if inflater is not None:
            unpacked = await self._unpacked(scope, receive, send, inflater)
            if unpacked is None:
                return  # refused, or the client left
            scope = _with_plain_body(scope, len(unpacked))
            receive = _replaying(unpacked, receive)
        if scope["method"] == "HEAD" or is_archive(scope["path"]) or "range" in headers:
            await self.app(scope, receive, send)
            return
        accepted = mode == "on" and accepts_gzip(headers.get("accept-encoding"))
        writer = _JsonPacker(send, accepted)
        await self.app(scope, receive, writer.send)

    async def _unpacked(
        self, scope: Scope, receive: Receive, send: Send, inflater: Inflater
    ) -> bytes | None:
        """The whole request body unpacked; None once an error was answered."""
        body = bytearray()
        where = f"{scope['method']} {scope['path']}"
        unread: Receive | None = receive  # None once the whole body has been read
        try:
            while unread is not None:
                message = await receive()
                if message["type"] != "http.request":
                    return None  # http.disconnect: nobody left to answer
                if not message.get("more_body", False):
                    unread = None
                chunk: bytes = message.get("body", b"")
                if inflater.consumed + len(chunk) > self.largest_body:
                    raise InflatesTooFar(self.largest_body)
                inflater.feed(chunk, body)
            inflater.end()
        except InflatesTooFar:
            log.info("refused %s: its gzip body unpacks past %s bytes", where, self.largest_body)
            await _refuse(
                unread,
                send,
                413,
                ErrorCode.BATCH_TOO_LARGE,
                f"The request body holds more than {self.largest_body:,} bytes once unpacked "
                "from gzip, the most a request body may hold here; send smaller batches.",
            )
            return None
        except DamagedCoding as exc:
            log.info("refused %s: damaged gzip body (%s)", where, exc)
            await _refuse(
                unread,
                send,
                400,
                ErrorCode.INVALID_REQUEST,
                f"The request body says it is gzip but cannot be unpacked: {exc}. Send it again.",
            )
            return None
        return bytes(body)


class _JsonPacker:
    """Wraps ``send``: gzips a JSON answer of 1 KiB or more if the client accepts gzip."""

    def __init__(self, send: Send, accepted: bool) -> None:
        self._send = send
        self._accepted = accepted
        self._start: Message | None = None  # held until the first body part decides
        self._packer: Any = None  # a zlib compressor once streaming packed
        self._passing = False

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            if _packable(message):
                self._start = message
            else:
                self._passing = True
                await self._send(message)
            return
        if kind != "http.response.body" or self._passing:
            await self._send(message)
            return
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        if self._start is not None:
            start, self._start = self._start, None
            if not self._accepted or (not more and len(body) < SMALLEST_COMPRESSED):
                await self._send(_with_headers(start, vary=True))
                self._passing = True
                await self._send(message)
                return
            if not more:
                packed = gzip_body(body)
                await self._send(_with_headers(start, vary=True, coded=True, length=len(packed)))
                await self._send({"type": "http.response.body", "body": packed})
                return
            self._packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            await self._send(_with_headers(start, vary=True, coded=True))
        if self._packer is None:  # pragma: no cover - a body part after the last one
            return
        packed = self._packer.compress(body)
        if not more:
            packed += self._packer.flush()
        await self._send({"type": "http.response.body", "body": packed, "more_body": more})


def _headers(scope: Scope) -> dict[str, str]:
    """The request headers, names in lower case (the last of a repeated one wins)."""
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in scope.get("headers", [])
    }


def _packable(start: Message) -> bool:
    """Whether an answer could be gzipped: JSON, whole, not already coded."""
    if start.get("status") in (204, 206, 304):
        return False
    names = {name.lower(): value for name, value in start.get("headers", [])}
    content_type = names.get(b"content-type", b"").split(b";")[0].strip().lower()
    json = content_type == b"application/json" or content_type.endswith(b"+json")
    return json and b"content-encoding" not in names and b"content-range" not in names


def _with_headers(
    start: Message, *, vary: bool, coded: bool = False, length: int | None = None
) -> Message:
    """``start`` saying ``Vary: Accept-Encoding``, and gzip with its new length (or none)."""
    headers = list(start.get("headers", []))
    if coded:
        headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
        headers.append((b"content-encoding", b"gzip"))
        if length is not None:
            headers.append((b"content-length", str(length).encode("ascii")))
    if vary:
        headers.append((b"vary", b"Accept-Encoding"))
    return {**start, "headers": headers}


def _with_plain_body(scope: Scope, length: int) -> Scope:
    """``scope`` as if the body had come unpacked: no Content-Encoding, its real length."""
    dropped = (b"content-encoding", b"content-length", b"transfer-encoding")
    headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in dropped]
    headers.append((b"content-length", str(length).encode("ascii")))
    return {**scope, "headers": headers}


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives ``body`` in one message, then what ``receive`` gives."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse(
    unread: Receive | None,
    send: Send,
    status: int,
    code: ErrorCode,
    message: str,
    extra: dict[str, str] | None = None,
) -> None:
    """Answer ``status`` with an ``ErrorBody``, after reading what is left of the request
    body (up to 1 MiB) from ``unread`` (None: nothing is left): a client still sending
    would see a reset instead of the answer."""
    whole = unread is None or await _drained(unread, 2**20)
    body = error_body_bytes(code, message)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in (extra or {}).items()),
    ]
    if not whole:  # the rest of the body is still on its way: this connection is done
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _drained(receive: Receive, most: int) -> bool:
    """Read and drop the rest of the request body; False if more than ``most`` bytes are left."""
    left = most
    while left >= 0:
        message = await receive()
        if message["type"] != "http.request":
            return False
        left -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return True
    return False
