"""A raw TCP server on 127.0.0.1 that answers whatever bytes a test scripts, at any pace.

Unlike ``tests.http_double`` it writes the status line and headers itself, so it
can trickle them, send a hundred ``100 Continue`` lines, or never finish. Each
connection reads one request, hands it to the current ``Behaviour`` and closes.
With an ``ssl.SSLContext`` it speaks TLS.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType


@dataclass(frozen=True)
class RawRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes


Behaviour = Callable[[RawRequest, "Sender"], object]  # what it returns is ignored


class Sender:
    """Writes to one client; every method returns False once the client has gone."""

    def __init__(self, conn: socket.socket, stop: threading.Event) -> None:
        self._conn = conn
        self._stop = stop

    def send(self, data: bytes) -> bool:
        try:
            self._conn.sendall(data)
            return True
        except OSError:
            return False

    def trickle(self, data: Iterable[int] | bytes, interval: float) -> bool:
        """One byte every ``interval`` seconds until done, the client leaves or the server stops."""
        for byte in data:  # noqa: SIM110 - a loop with waits reads better than all()
            if self._stop.wait(interval) or not self.send(bytes([byte])):
                return False
        return True

    def answer(
        self,
        status: int,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        reason: str = "OK",
        length: bool = True,
    ) -> bool:
        """A whole HTTP/1.1 answer; ``length`` False leaves out Content-Length."""
        lines = [f"HTTP/1.1 {status} {reason}"]
        fields = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
        if length:
            fields["Content-Length"] = str(len(body))
        lines += [f"{name}: {value}" for name, value in fields.items()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def head(self, status: int, headers: dict[str, str] | None = None) -> bool:
        """Only the status line and headers (the body follows from the caller)."""
        lines = [f"HTTP/1.1 {status} X"]
        fields = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
        lines += [f"{name}: {value}" for name, value in fields.items()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))


class HostileServer:
    """``with HostileServer() as server: server.behaviour = ...; use server.url``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.behaviour: Behaviour = lambda request, out: out.answer(404, b"{}")
        self.requests: list[RawRequest] = []
        self._tls = tls
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="hostile-http", daemon=True)

    def __enter__(self) -> HostileServer:
        self._acceptor.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._acceptor.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            conn.settimeout(10)
            try:
                if self._tls is not None:
                    conn = self._tls.wrap_socket(conn, server_side=True)
                request = _read_request(conn)
            except (OSError, ValueError):
                return  # a client that refused our certificate, or sent nothing
            if request is None:
                return
            self.requests.append(request)
            with contextlib.suppress(OSError):
                self.behaviour(request, Sender(conn, self._stop))
                # Let the client read everything before the close resets the connection.
                conn.shutdown(socket.SHUT_WR)
                deadline = time.monotonic() + 2
                conn.settimeout(0.2)
                while time.monotonic() < deadline and not self._stop.is_set():
                    try:
                        if not conn.recv(65536):
                            break
                    except TimeoutError:
                        continue


def _read_request(conn: socket.socket) -> RawRequest | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            raise ValueError("request headers too large")
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return RawRequest(method, path, headers, body)
