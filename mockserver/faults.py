"""Fault injection: a pure ASGI middleware that makes non-admin ``/v1/`` answers misbehave.

Being below the framework, it can do what a bad network does: wait, trickle
bytes, answer 5xx without running the endpoint, cut a body mid-way, run the
endpoint and then drop its answer, or garble the JSON. One seeded
``random.Random`` takes every decision (a fixed number of draws per request),
so the same seed and the same sequence of requests replay the same faults.
It is the outermost layer, so it sees bodies as they go over the wire (gzipped
where they are): its cuts and trickles count those bytes, and its
``TrafficLog`` records them.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import random
import threading
import time
import zlib
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from mockserver.errors import error_body_bytes, retry_after_header
from sync.protocol import API_PREFIX, ErrorCode
from sync.protocol_admin import FaultSettings

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

log = logging.getLogger("mockserver.faults")

RESULTS_PATH = f"{API_PREFIX}/results"
_DRAWS_PER_REQUEST = 9
# Appended to a cut JSON prefix, this is never valid JSON: ",," cannot appear anywhere.
_GARBAGE = b'",,]}'


class _InjectedCutFilter(logging.Filter):
    """Hides uvicorn's complaint about the unfinished answers we leave on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing response."


_CUT_FILTER = _InjectedCutFilter()


def quiet_injected_cuts() -> None:
    """Keep the server log readable: a cut is logged once by us, not as a server error."""
    logging.getLogger("uvicorn.error").addFilter(_CUT_FILTER)  # adding twice is a no-op


def is_faultable(path: str) -> bool:
    """Faults touch ``/v1/`` paths except the admin API (and never /docs or /openapi.json)."""
    admin = f"{API_PREFIX}/admin"
    return path.startswith(f"{API_PREFIX}/") and not (path == admin or path.startswith(admin + "/"))


def is_archive(path: str) -> bool:
    return path.startswith(f"{API_PREFIX}/bundles/") and path.endswith("/archive")


@dataclass(frozen=True)
class FaultPlan:
    """What goes wrong with one request."""

    delay_s: float = 0.0
    bandwidth: int = 0  # bytes per second, 0 = unlimited
    error_status: int | None = None
    retry_after_s: float = 1.0
    cut_after: int | None = None  # body bytes sent before the connection is cut
    drop: bool = False
    first_byte_delay_s: float = 0.0
    malformed: bool = False

    @property
    def clean(self) -> bool:
        return self == FaultPlan(retry_after_s=self.retry_after_s)


@dataclass(frozen=True)
class Exchange:
    """One request and its answer on a faultable path, as they went over the wire."""

    method: str
    path: str
    request_coding: str  # the request's Content-Encoding, "" for none
    request_bytes: int  # request body bytes received (still gzipped if they were)
    status: int | None  # None: no answer was started
    answer_coding: str  # the answer's Content-Encoding, "" for none
    answer_bytes: int  # answer body bytes sent, after any cut or garbling


class TrafficLog:
    """The last exchanges on faultable paths (the most recent 10,000), for tests and testers
    who want to see what really went over the wire."""

    def __init__(self, keep: int = 10_000) -> None:
        self._exchanges: deque[Exchange] = deque(maxlen=keep)
        self._lock = threading.Condition()

    def record(self, exchange: Exchange) -> None:
        with self._lock:
            self._exchanges.append(exchange)
            self._lock.notify_all()

    def exchanges(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        at_least: int = 0,
        wait_s: float = 5.0,
    ) -> list[Exchange]:
        """Oldest first; only those of ``method`` and ``path`` when given. With
        ``at_least``, wait up to ``wait_s`` for that many: an exchange is recorded once
        the server has sent its last byte, which the client may have read before."""

        def matching() -> list[Exchange]:
            return [
                e
                for e in self._exchanges
                if (method is None or e.method == method) and (path is None or e.path == path)
            ]

        with self._lock:
            self._lock.wait_for(lambda: len(matching()) >= at_least, timeout=wait_s)
            return matching()

    def clear(self) -> None:
        with self._lock:
            self._exchanges.clear()


class FaultController:
    """The current ``FaultSettings``, the seeded generator that applies them, and the
    ``TrafficLog`` of what the injector let through."""

    def __init__(
        self,
        settings: FaultSettings | None = None,
        *,
        seed: int | None = None,
        on_change: Callable[[FaultSettings], None] | None = None,
    ) -> None:
        self._settings = settings or FaultSettings()
        self._random = random.Random(seed)
        self._on_change = on_change
        self._lock = threading.Lock()
        self.traffic = TrafficLog()

    @property
    def settings(self) -> FaultSettings:
        return self._settings

    def set(self, settings: FaultSettings) -> None:
        with self._lock:
            self._settings = settings
            if self._on_change is not None:
                self._on_change(settings)

    def plan(self, method: str, path: str) -> FaultPlan:
        """Decide the faults of one request (draws the same count whatever the settings)."""
        with self._lock:
            s = self._settings
            r_lat, u_jit, r_bw, r_err, u_err, r_cut, r_drop, r_slow, r_bad = (
                self._random.random() for _ in range(_DRAWS_PER_REQUEST)
            )
        delay = 0.0
        if r_lat < s.latency_probability:
            delay = (s.latency_ms + u_jit * s.jitter_ms) / 1000
        cut_after = s.cut_after_bytes if r_cut < s.cut_probability else None
        if s.cut_every_bytes and is_archive(path):
            cut_after = min(s.cut_every_bytes, cut_after if cut_after is not None else 1 << 62)
        statuses = s.error_statuses
        return FaultPlan(
            delay_s=delay,
            bandwidth=s.bandwidth_bytes_per_s if r_bw < s.bandwidth_probability else 0,
            error_status=(
                statuses[min(int(u_err * len(statuses)), len(statuses) - 1)]
                if r_err < s.error_probability
                else None
            ),
            retry_after_s=s.retry_after_s,
            cut_after=cut_after,
            drop=method == "POST" and path == RESULTS_PATH and r_drop < s.drop_probability,
            first_byte_delay_s=(
                s.slow_first_byte_ms / 1000 if r_slow < s.slow_first_byte_probability else 0.0
            ),
            malformed=r_bad < s.malformed_probability,
        )


class FaultInjector:
    """ASGI middleware applying ``controller``'s plan to each faultable request."""

    def __init__(self, app: ASGIApp, controller: FaultController) -> None:
        self.app = app
        self.controller = controller

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_faultable(scope["path"]):
            await self.app(scope, receive, send)
            return
        meter = _Meter(scope, receive, send)
        try:
            await self._faulted(scope, meter.receive, meter.send)
        finally:
            self.controller.traffic.record(meter.exchange())

    async def _faulted(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        plan = self.controller.plan(scope["method"], scope["path"])
        if plan.clean:
            await self.app(scope, receive, send)
            return
        if plan.delay_s:
            await asyncio.sleep(plan.delay_s)
        where = f"{scope['method']} {scope['path']}"
        if plan.error_status is not None:
            log.info("fault: answered %s to %s", plan.error_status, where)
            await _send_injected_error(send, plan.error_status, plan.retry_after_s)
            return
        writer = _FaultyWriter(send, plan)
        try:
            await self.app(scope, receive, writer.send)
        except Exception:
            if not writer.cut:
                raise
        if writer.cut:
            log.info("fault: cut %s after %s body bytes", where, writer.sent)
        elif plan.drop:
            log.info("fault: dropped the answer to %s after running it", where)
        # After a cut or a drop we return with the response unfinished: the server
        # then closes the connection, and the client sees a truncated answer.


class _Meter:
    """Wraps ``receive`` and ``send`` to count the body bytes each way and note their coding."""

    def __init__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        self._scope = scope
        self._receive = receive
        self._send = send
        self._received = 0
        self._sent = 0
        self._status: int | None = None
        self._answer_coding = ""

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self._status = message.get("status")
            self._answer_coding = _header(message, b"content-encoding")
        elif message["type"] == "http.response.body":
            self._sent += len(message.get("body", b""))
        await self._send(message)

    def exchange(self) -> Exchange:
        return Exchange(
            method=self._scope["method"],
            path=self._scope["path"],
            request_coding=_header(self._scope, b"content-encoding"),
            request_bytes=self._received,
            status=self._status,
            answer_coding=self._answer_coding,
            answer_bytes=self._sent,
        )


def _header(holder: Message, name: bytes) -> str:
    """A header of a scope or a response start, "" if absent."""
    for key, value in holder.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


class _ConnectionCut(Exception):
    """Stops the endpoint once its answer was cut off."""


class _FaultyWriter:
    """Wraps ``send``: delays the first byte, trickles, cuts, drops or garbles the body."""

    def __init__(self, send: Send, plan: FaultPlan) -> None:
        self._send = send
        self._plan = plan
        self.cut = False
        self.sent = 0
        self._first_body = True
        self._held_start: Message | None = None
        self._held_body: list[bytes] = []
        self._pace_start = 0.0
        self._paced_bytes = 0

    async def send(self, message: Message) -> None:
        if self.cut:
            raise _ConnectionCut()
        kind = message["type"]
        if kind == "http.response.start":
            if self._plan.malformed and not self._plan.drop and _is_json(message):
                self._held_start = message
                return
            await self._send(message)
            return
        if kind != "http.response.body":
            await self._send(message)
            return
        if self._plan.drop:
            return  # the endpoint ran and committed; its answer never leaves
        body: bytes = message.get("body", b"")
        more_body: bool = message.get("more_body", False)
        if self._held_start is not None:
            self._held_body.append(body)
            if more_body:
                return
            body = _garble_coded(self._held_start, b"".join(self._held_body))
            await self._send(_with_length(self._held_start, len(body)))
            self._held_start = None
        await self._emit(body, more_body)

    async def _emit(self, body: bytes, more_body: bool) -> None:
        if body and self._first_body:
            self._first_body = False
            if self._plan.first_byte_delay_s:
                await asyncio.sleep(self._plan.first_byte_delay_s)
        limit = self._plan.cut_after
        if limit is not None and self.sent + len(body) > limit:
            keep = limit - self.sent
            if keep > 0:
                await self._paced(body[:keep], more_body=True)
            self.cut = True
            raise _ConnectionCut()
        await self._paced(body, more_body)

    async def _paced(self, body: bytes, more_body: bool) -> None:
        rate = self._plan.bandwidth
        if not rate or not body:
            await self._send({"type": "http.response.body", "body": body, "more_body": more_body})
            self.sent += len(body)
            return
        if not self._pace_start:
            self._pace_start = time.monotonic()
        step = max(256, rate // 20)  # about 20 writes a second
        for offset in range(0, len(body), step):
            piece = body[offset : offset + step]
            last = offset + step >= len(body)
            await self._send(
                {"type": "http.response.body", "body": piece, "more_body": more_body or not last}
            )
            self.sent += len(piece)
            self._paced_bytes += len(piece)
            wait = self._pace_start + self._paced_bytes / rate - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)


def _is_json(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return bool(value.lower().startswith(b"application/json"))
    return False


def _garble(body: bytes) -> bytes:
    """Half the JSON, then bytes that make it unparsable whatever came before."""
    return body[: len(body) // 2] + _GARBAGE


def _garble_coded(start: Message, body: bytes) -> bytes:
    """``_garble`` on the JSON itself: a gzipped answer is unpacked, garbled and packed again,
    so the client gets valid gzip of broken JSON (a broken server, not a broken link)."""
    if _header(start, b"content-encoding").strip().lower() != "gzip":
        return _garble(body)
    try:
        plain = gzip.decompress(body)
    except (OSError, EOFError, zlib.error):
        return _garble(body)
    return gzip.compress(_garble(plain), compresslevel=6, mtime=0)


def _with_length(start: Message, length: int) -> Message:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(length).encode("ascii")))
    return {**start, "headers": headers}


async def _send_injected_error(send: Send, status: int, retry_after_s: float) -> None:
    code = ErrorCode.UNAVAILABLE if status == 503 else ErrorCode.SERVER_ERROR
    body = error_body_bytes(
        code,
        f"Injected fault: the server answered {status} on purpose. "
        f"Try again in {retry_after_header(retry_after_s)} s.",
        retry_after_s,
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"retry-after", retry_after_header(retry_after_s).encode("ascii")),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
