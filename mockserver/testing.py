"""A real mock server on a free loopback port, for tests: ``with running_server(dir) as server``.

The server runs the real app under uvicorn in a background thread; the handle
gives its URL, its admin token and an ``AdminClient`` already pointed at it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from mockserver.admin_client import AdminClient
from mockserver.app import create_app
from mockserver.state import ServerOptions, ServerState, open_state

START_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class ServerHandle:
    url: str  # e.g. "http://127.0.0.1:54321", no trailing slash
    admin_token: str
    admin: AdminClient
    data_dir: Path
    state: ServerState  # for white-box checks; prefer the HTTP API


@contextmanager
def running_server(data_dir: Path, **options: Any) -> Iterator[ServerHandle]:
    """Start the mock server on 127.0.0.1 (free port) serving ``data_dir``; stop it on exit.

    ``options`` are ``ServerOptions`` fields (``annual_cap``, ``rotation``,
    ``gold_rate``, ``fatigue_results``, ``policy``, ``qualified_copies``,
    ``lease_seconds``, ``token_seconds``, ``seed``, ``faults``, ``registry``,
    ``publish_demo``, ``demo_copies``…). Raises ``RuntimeError`` if the server
    does not start within 10 s, ``TypeError`` for an unknown option.
    """
    state = open_state(data_dir, ServerOptions(**options))
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and
    # without it every answer on a kept-alive connection waits 40 ms for a delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
        config = uvicorn.Config(
            create_app(state),
            log_config=None,  # leave the host process's logging alone
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listener]}, name="mock-server", daemon=True
        )
        thread.start()
        _wait_started(server, thread)
        url = f"http://127.0.0.1:{port}"
        admin = AdminClient(url, state.admin_token)
        try:
            yield ServerHandle(url, state.admin_token, admin, data_dir, state)
        finally:
            admin.close()
            server.should_exit = True
            thread.join(timeout=10)
    finally:
        listener.close()
        state.close()


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("The mock server stopped while starting; see the log above.")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"The mock server did not start within {START_TIMEOUT_S:.0f} s.")
        time.sleep(0.005)
