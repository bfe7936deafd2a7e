"""A real HTTP server on 127.0.0.1 whose answers each test scripts.

``HttpDouble`` runs the standard library's ``ThreadingHTTPServer`` in a thread.
A test maps ``(method, path)`` to a ``Reply``, a list of replies (served in
turn, the last one repeated) or a function of the ``Request``. A ``Reply`` can
wait before answering, declare or hide its length, stream a generated body
without holding it in memory, or cut the connection after some bytes of its
body. ``ArchiveRoute`` serves a byte string with ETag, Range and If-Range the
way a task server serves a bundle archive.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel

from sync.protocol import Catalogue, Lease, LedgerEntry, ServerConfig


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        """The body as JSON, unpacked first if it came gzipped (the client gzips large ones)."""
        coded = self.headers.get("content-encoding", "").lower() == "gzip"
        return json.loads(gzip.decompress(self.body) if coded else self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    stream: Callable[[], Iterable[bytes]] | None = None  # a body generated as it is sent
    declare_length: bool = True  # False: no Content-Length, the connection closes after
    cut_after: int | None = None  # close the connection after this many body bytes
    delay: float = 0.0  # seconds to wait before answering


Route = Reply | list[Reply] | Callable[[Request], Reply]


def json_reply(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    """A JSON answer from a pydantic model, or anything ``json.dumps`` takes."""
    if isinstance(data, BaseModel):
        body = data.model_dump_json().encode()
    else:
        body = json.dumps(data).encode()
    return Reply(status, body, {"Content-Type": "application/json", **(headers or {})})


def error_reply(status: int, code: str, message: str, *, retry_after: str | None = None) -> Reply:
    """A protocol ``ErrorBody`` answer, with ``Retry-After`` if given."""
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return json_reply({"code": code, "message": message}, status, headers)


def redirect_reply(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


def huge_reply(size: int, *, declare_length: bool = False) -> Reply:
    """``size`` bytes of a JSON-looking body, generated on the fly."""

    def generate() -> Iterator[bytes]:
        yield b'{"padding": "'
        left = size - 15
        block = b"x" * 65536
        while left > 0:
            piece = block[: min(left, len(block))]
            left -= len(piece)
            yield piece
        yield b'"}'

    headers = {"Content-Type": "application/json"}
    if declare_length:
        headers["Content-Length"] = str(size)
    return Reply(200, headers=headers, stream=generate, declare_length=declare_length)


class ArchiveRoute:
    """Serves ``data`` like a bundle archive: ETag, ``Range: bytes=N-`` and ``If-Range``.

    ``cut_every`` cuts each answer after that many body bytes; ``honour_range``
    False answers every request with the whole file (200), as some servers do.
    Changing ``data`` (``replace``) changes the ETag, so ``If-Range`` with the
    old one gets the whole new file.
    """

    def __init__(
        self, data: bytes, *, cut_every: int | None = None, honour_range: bool = True
    ) -> None:
        self.data = data
        self.etag = hashlib.sha256(data).hexdigest()
        self.cut_every = cut_every
        self.honour_range = honour_range
        self.ranges: list[str | None] = []  # the Range header of each request

    def replace(self, data: bytes) -> None:
        self.data = data
        self.etag = hashlib.sha256(data).hexdigest()

    def __call__(self, request: Request) -> Reply:
        asked = request.headers.get("range")
        self.ranges.append(asked)
        if_range = request.headers.get("if-range")
        size = len(self.data)
        headers = {
            "ETag": f'"{self.etag}"',
            "Accept-Ranges": "bytes",
            "Content-Type": "application/zip",
        }
        still_same = if_range is None or if_range.strip('"') == self.etag
        match = re.fullmatch(r"bytes=(\d+)-", asked or "")
        if match and self.honour_range and still_same:
            start = int(match[1])
            if start >= size:
                return Reply(416, b"", {"Content-Range": f"bytes */{size}"})
            headers["Content-Range"] = f"bytes {start}-{size - 1}/{size}"
            return Reply(206, self.data[start:], headers, cut_after=self.cut_every)
        return Reply(200, self.data, headers, cut_after=self.cut_every)


class HttpDouble:
    """A scriptable HTTP/1.1 server on a free loopback port. Use as a context manager."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Request] = []
        self.body_bytes_sent = 0
        self._lock = threading.Lock()
        self._closing = threading.Event()
        double = self

        class Handler(_Handler):
            owner = double

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            # The handshake happens in the handler thread, so a refused one stops nothing.
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port = self._server.server_address[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> HttpDouble:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closing.set()  # wakes replies that are waiting on purpose
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def route(self, method: str, path: str, route: Route) -> None:
        """Answer ``method path`` (the path without its query) with ``route``."""
        self.routes[(method.upper(), path)] = list(route) if isinstance(route, list) else route

    def requests_to(self, method: str, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]

    # --- called by the handler threads ---------------------------------------------------

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self.routes.get((request.method, request.path))
            if isinstance(route, list):
                reply = route.pop(0) if len(route) > 1 else route[0]
                return reply
        if route is None:
            return error_reply(404, "not_found", f"No route for {request.method} {request.path}")
        if isinstance(route, Reply):
            return route
        return route(request)

    def _count(self, sent: int) -> None:
        with self._lock:
            self.body_bytes_sent += sent


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: HttpDouble

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass

    def handle(self) -> None:
        # A client that refused our certificate or hung up is no failure of the double.
        with contextlib.suppress(ssl.SSLError, ConnectionError, TimeoutError):
            super().handle()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Request(
            self.command,
            parts.path,
            {k: v[-1] for k, v in parse_qs(parts.query).items()},
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        reply = self.owner._reply_for(request)
        if reply.delay and self.owner._closing.wait(reply.delay):
            self.close_connection = True
            return
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client stopped reading: fine

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        chunks: Iterable[bytes] = reply.stream() if reply.stream else [reply.body]
        if reply.declare_length and reply.stream is None and "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        if not reply.declare_length or reply.cut_after is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        budget = reply.cut_after
        for chunk in chunks:
            if budget is not None:
                chunk = chunk[:budget]
                budget -= len(chunk)
            self.wfile.write(chunk)
            self.owner._count(len(chunk))
            if budget == 0:
                break
        self.wfile.flush()
        if budget == 0:
            # A hard cut: the client sees the body end before its Content-Length.
            self.connection.shutdown(socket.SHUT_RDWR)


def closed_port() -> int:
    """A loopback port that nothing listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- protocol answers -------------------------------------------------------------------

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def sample_config(**changes: Any) -> ServerConfig:
    fields: dict[str, Any] = {
        "api_version": 1,
        "server_name": "Double",
        "server_time": NOW,
        "currency": "EUR",
        "annual_cap": "3000",
        "largest_batch": 100,
        "largest_upload_bytes": 4 * 2**20,
        "lease_seconds": 86400,
    }
    return ServerConfig.model_validate({**fields, **changes})


def sample_catalogue(count: int = 2) -> Catalogue:
    return Catalogue.model_validate(
        {
            "generated_at": NOW,
            "bundles": [
                {
                    "bundle_id": f"b-{n}",
                    "kind": "translation",
                    "title": f"Bundle {n}",
                    "task_count": 10,
                    "reward_per_task": "0.12",
                    "currency": "EUR",
                    "estimated_minutes_per_task": 1.5,
                    "size_bytes": 20_000,
                    "deadline": NOW + timedelta(days=7),
                }
                for n in range(count)
            ],
        }
    )


def sample_lease(archive: bytes = b"zip", bundle_id: str = "b-0") -> Lease:
    return Lease.model_validate(
        {
            "lease_id": f"l-{bundle_id}",
            "bundle_id": bundle_id,
            "kind": "translation",
            "task_ids": ["t-1", "t-2"],
            "expires_at": NOW + timedelta(days=1),
            "archive_path": f"/v1/bundles/{bundle_id}/archive",
            "archive_sha256": hashlib.sha256(archive).hexdigest(),
            "size_bytes": len(archive),
        }
    )


def sample_entry(n: int, *, status: str = "pending", amount: str = "0.12") -> LedgerEntry:
    return LedgerEntry.model_validate(
        {
            "entry_id": f"e-{n}",
            "kind": "task_reward",
            "status": status,
            "amount": amount,
            "currency": "EUR",
            "bundle_id": "b-0",
            "task_id": f"t-{n}",
            "occurred_at": NOW,
            "updated_at": NOW,
        }
    )
