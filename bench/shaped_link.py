"""A poor link to the mock server, for ``bench.poor_link`` (a helper module, not a benchmark).

As root on Linux with ``ip``, ``tc`` and ``nft``: the mock server runs in its own network
namespace behind a veth pair; ``tc tbf`` limits both directions to the rate and an
nftables ``numgen random`` rule drops the given share of packets each way. ``netem`` is
not used (not every kernel has it), so the added delay is the mock server's own per-answer
latency. The namespace (and with it the veth pair, its queues and rules) is deleted on the
way out, on failure and on SIGTERM too.

Elsewhere: the mock server on loopback, throttled by its own faults (bandwidth per answer
and latency; no packet loss, and requests are not throttled).
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE_PREFIX = "ouvb-"  # ouvrage bench; the suffix is the owning process id


@dataclass
class Link:
    """Where the mock server listens and how the link to it is made."""

    mode: str  # "netns" (shaped by the kernel) or "throttle" (the mock server's own faults)
    host: str
    port: int
    description: str
    server_prefix: list[str] = field(default_factory=list)  # runs the server in the namespace
    interface: str | None = None  # our end of the veth pair, whose counters we read
    namespace: str | None = None
    rate_kbit: float = 0.0
    loss_percent: float = 0.0
    shaped: bool = False

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def counters(self) -> tuple[int, int] | None:
        """(bytes received, bytes sent) on our end of the link, frames included; None on
        loopback, where other processes' traffic would be counted too."""
        if self.interface is None:
            return None
        stats = Path("/sys/class/net") / self.interface / "statistics"
        return int((stats / "rx_bytes").read_text()), int((stats / "tx_bytes").read_text())

    def shape(self) -> None:
        """Turn the rate limit and the loss on (the set-up traffic went through unshaped)."""
        if self.mode != "netns" or self.shaped:
            return
        assert self.namespace is not None and self.interface is not None
        rate = f"{self.rate_kbit:g}kbit"
        # burst: a few full frames; latency: how long a packet may queue before tbf drops it.
        tbf = ["root", "tbf", "rate", rate, "burst", "4500", "latency", "500ms"]
        _run(["tc", "qdisc", "add", "dev", self.interface, *tbf])
        _run(["tc", "-n", self.namespace, "qdisc", "add", "dev", _peer(self.interface), *tbf])
        if self.loss_percent > 0:
            per_10k = round(self.loss_percent * 100)
            rules = (
                "table inet ouvrage_bench_loss {\n"
                f" chain in {{ type filter hook input priority 0; policy accept;"
                f" numgen random mod 10000 < {per_10k} drop; }}\n"
                f" chain out {{ type filter hook output priority 0; policy accept;"
                f" numgen random mod 10000 < {per_10k} drop; }}\n"
                "}\n"
            )
            _run(["ip", "netns", "exec", self.namespace, "nft", "-f", "-"], stdin=rules)
        self.shaped = True


def netns_unavailable_reason() -> str | None:
    """Why the kernel-shaped link cannot be built here, or None if it can."""
    if sys.platform != "linux":
        return "not Linux"
    if os.geteuid() != 0:
        return "not running as root"
    missing = [tool for tool in ("ip", "tc", "nft") if shutil.which(tool) is None]
    if missing:
        return f"missing {', '.join(missing)} (Debian packages iproute2, nftables)"
    probe = f"{NAMESPACE_PREFIX}probe{os.getpid()}"
    try:
        _run(["ip", "netns", "add", probe])
    except RuntimeError as exc:
        return f"cannot create a network namespace ({exc})"
    _delete_namespace(probe)
    return None


@contextmanager
def poor_link(mode: str, rate_kbit: float, loss_percent: float) -> Iterator[Link]:
    """The link for ``mode`` ("auto", "netns" or "throttle"), cleaned up on exit.

    Raises ``RuntimeError`` when ``mode`` is "netns" and it cannot be built.
    """
    reason = netns_unavailable_reason() if mode in ("auto", "netns") else "throttle asked for"
    if reason is not None and mode == "netns":
        raise RuntimeError(f"cannot shape a link with network namespaces: {reason}")
    if reason is not None:
        yield Link(
            mode="throttle",
            host="127.0.0.1",
            port=_free_port(),
            description=f"loopback, the mock server's own throttling ({reason})",
            rate_kbit=rate_kbit,
        )
        return
    _remove_stale_namespaces()
    with _namespace(rate_kbit, loss_percent) as link:
        yield link


@contextmanager
def _namespace(rate_kbit: float, loss_percent: float) -> Iterator[Link]:
    pid = os.getpid()
    namespace = f"{NAMESPACE_PREFIX}{pid}"
    ours, theirs = f"ovb{pid % 10**8}a", f"ovb{pid % 10**8}b"
    subnet = f"10.{200 + pid % 50}.{(pid // 50) % 250}"
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}

    def cleanup() -> None:
        _delete_namespace(namespace)  # deletes the veth pair with its queues and rules

    def on_signal(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)  # unwinds through the finally below

    atexit.register(cleanup)
    for sig in previous:
        signal.signal(sig, on_signal)
    try:
        _run(["ip", "netns", "add", namespace])
        _run(["ip", "link", "add", ours, "type", "veth", "peer", "name", theirs])
        _run(["ip", "link", "set", theirs, "netns", namespace])
        _run(["ip", "addr", "add", f"{subnet}.2/30", "dev", ours])
        _run(["ip", "link", "set", ours, "up"])
        _run(["ip", "-n", namespace, "addr", "add", f"{subnet}.1/30", "dev", theirs])
        _run(["ip", "-n", namespace, "link", "set", theirs, "up"])
        _run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        # Full-size segments, whatever the host's offloads: frames are what tbf meters.
        for args in (["ip", "link", "set", ours], ["ip", "-n", namespace, "link", "set", theirs]):
            _run([*args, "mtu", "1500"])
        yield Link(
            mode="netns",
            host=f"{subnet}.1",
            port=8765,
            description=(
                f"veth pair into network namespace {namespace}: tc tbf {rate_kbit:g} kbit/s "
                f"each way, nftables dropping {loss_percent:g} % of packets each way "
                "(no netem: the delay is the mock server's)"
            ),
            server_prefix=["ip", "netns", "exec", namespace],
            interface=ours,
            namespace=namespace,
            rate_kbit=rate_kbit,
            loss_percent=loss_percent,
        )
    finally:
        cleanup()
        atexit.unregister(cleanup)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _peer(interface: str) -> str:
    return interface[:-1] + "b"


def _run(args: list[str], stdin: str | None = None) -> None:
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip() or done.returncode}")


def _delete_namespace(name: str) -> None:
    subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=30)


def _remove_stale_namespaces() -> None:
    """Namespaces left by an earlier run of this benchmark whose process is gone."""
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=30)
    for line in listed.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        owner = name.removeprefix(NAMESPACE_PREFIX)
        if name.startswith(NAMESPACE_PREFIX) and owner.isdigit() and not _alive(int(owner)):
            _delete_namespace(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
