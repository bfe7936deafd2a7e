"""A deadline on the status line and headers of an answer.

Qt-free, no SQL. A socket timeout limits each wait for bytes, not the whole
wait: a server that sends its headers one byte a second never trips it and
could hold a sync pass for days. ``DeadlineAdapter`` gives a ``requests``
session connections that shut their socket when the headers have not all
arrived within the seconds set by ``headers_deadline`` on the calling thread.
The body has its own deadline (``sync.answers.read_bounded``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import HTTPResponse

__all__ = ["DeadlineAdapter", "HeadersWatch", "headers_deadline"]

_local = threading.local()


@dataclass
class HeadersWatch:
    """The deadline of the requests made on one thread; ``fired`` once it cut one short."""

    seconds: float
    fired: bool = False


@contextmanager
def headers_deadline(seconds: float) -> Iterator[HeadersWatch]:
    """Within this block, answers on this thread must send their headers within ``seconds``.

    Only connections made by a ``DeadlineAdapter`` obey it. Yields the watch,
    whose ``fired`` says afterwards whether a connection was cut for being late.
    """
    watch = HeadersWatch(seconds)
    previous = getattr(_local, "watch", None)
    _local.watch = watch
    try:
        yield watch
    finally:
        _local.watch = previous


def _under_deadline(connection: HTTPConnection, read: Callable[[], HTTPResponse]) -> HTTPResponse:
    """``read()`` (the status line and headers), the socket shut if the deadline passes."""
    watch: HeadersWatch | None = getattr(_local, "watch", None)
    if watch is None:
        return read()

    def cut() -> None:
        watch.fired = True
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                # The blocked read returns at once; the caller sees a cut connection.
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(watch.seconds, cut)
    timer.daemon = True
    timer.start()
    try:
        return read()
    finally:
        timer.cancel()


class _WatchedHTTPConnection(HTTPConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]  # as urllib3 does
        return _under_deadline(self, super().getresponse)


class _WatchedHTTPSConnection(HTTPSConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]  # as urllib3 does
        return _under_deadline(self, super().getresponse)


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose direct connections obey ``headers_deadline``."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedPool,
            "https": _WatchedTLSPool,
        }
