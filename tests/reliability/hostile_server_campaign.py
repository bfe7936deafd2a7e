"""Hostile server: malformed JSON, wrong types, huge bodies, redirects elsewhere, trickles.

Every trial points a real ``ServerClient`` (or a whole ``sync_once`` pass, or a
download) at ``HostileServer`` scripted to misbehave one way, and checks that
the call ends within a bound of time and of memory, with a ``ServerError`` (or
a sync report error, or a ``DownloadError``) whose message is one clear line,
and that nothing was sent to another host.
"""

from __future__ import annotations

import gzip
import json
import random
import tempfile
import threading
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync.client import ServerClient
from sync.download import download_archive, part_paths
from sync.engine import OutboxItem, sync_once
from sync.errors import Cancelled, DownloadError, ServerError
from sync.protocol import EarningsPage, ResultBatch, ResultItem
from sync.retry import CancelToken, RetryPolicy
from tests.http_double import sample_catalogue, sample_config, sample_entry, sample_lease
from tests.reliability.common import CampaignResult, one_line, timed
from tests.reliability.hostile_http import HostileServer, RawRequest, Sender
from tests.test_sync_engine import MemoryStore

ANSWER_SECONDS = 2.0  # the client's deadline for an answer's headers, then for its body
READ_TIMEOUT = 2.0  # and for each wait on the socket
MAX_JSON_BYTES = 8 * 2**20  # the client's default limit
MEMORY_BOUND = 4 * MAX_JSON_BYTES  # Python memory one trial may hold at its peak
TRICKLE_INTERVAL = 1.0  # "one byte a second"
SLACK = 3.0  # scheduling, TLS, interpreter: added to every time bound
ARCHIVE = b"PK" + bytes(range(256)) * 40  # what the fake lease says the archive is


@dataclass(frozen=True)
class Trial:
    """One way to misbehave: ``behaviour`` answers; ``call`` is what the client does."""

    name: str
    category: str
    behaviour: Callable[[RawRequest, Sender, random.Random], None]
    call: str = "config"  # config, catalogue, submit, sync, download, download-cancelled
    expect: str = "error"  # error | bounded (a pass that may end cleanly, but must end)


# --- behaviours ------------------------------------------------------------------------------


def _body(data: bytes, status: int = 200, **headers: str) -> Any:
    return lambda request, out, rng: out.answer(status, data, headers=headers)


def _config_with(**changes: Any) -> bytes:
    data = json.loads(sample_config().model_dump_json())
    data.update(changes)
    return json.dumps(data).encode()


def _raw_field(field: str, raw: str) -> bytes:
    """The sample config with ``field`` set to ``raw``, written as is (not JSON-escaped)."""
    data = json.loads(sample_config().model_dump_json())
    data[field] = "@@"
    return json.dumps(data).replace('"@@"', raw).encode()


def _config_missing(field: str) -> bytes:
    data = json.loads(sample_config().model_dump_json())
    del data[field]
    return json.dumps(data).encode()


def _garbage(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(200, rng.randbytes(rng.randint(1, 4096)))


def _endless_body(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.head(200)  # no length: the body ends when the connection does
    chunk = b" " * 65536
    for _ in range(4 * MAX_JSON_BYTES // len(chunk)):
        if not out.send(chunk):
            return


def _endless_error(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.head(500)
    for _ in range(1000):
        if not out.send(b"x" * 65536):
            return


_BOMB = gzip.compress(b" " * (256 * 2**20), 9)  # 256 MB of JSON whitespace in ~250 KB


def _gzip_bomb(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(200, _BOMB, headers={"Content-Encoding": "gzip"})


def _gzip_bomb_no_length(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(200, _BOMB, headers={"Content-Encoding": "gzip"}, length=False)


def _gzip_bomb_error(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(503, _BOMB, headers={"Content-Encoding": "gzip"})


def _gzip_in_gzip_bomb(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(200, gzip.compress(_BOMB, 9), headers={"Content-Encoding": "gzip, gzip"})


def _gzip_damaged(request: RawRequest, out: Sender, rng: random.Random) -> None:
    packed = bytearray(gzip.compress(sample_config().model_dump_json().encode()))
    spot = rng.randrange(10, len(packed) - 8)  # past the header, before the checksum
    packed[spot] ^= 1 << rng.randrange(8)
    out.answer(200, bytes(packed), headers={"Content-Encoding": "gzip"})


def _gzip_cut_short(request: RawRequest, out: Sender, rng: random.Random) -> None:
    packed = gzip.compress(sample_config().model_dump_json().encode())
    out.answer(
        200, packed[: rng.randrange(10, len(packed) - 1)], headers={"Content-Encoding": "gzip"}
    )


def _coded_as(coding: str) -> Any:
    def behave(request: RawRequest, out: Sender, rng: random.Random) -> None:
        body = gzip.compress(sample_config().model_dump_json().encode())
        out.answer(200, body, headers={"Content-Encoding": coding})

    return behave


def _long_header(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.answer(200, sample_config().model_dump_json().encode(), headers={"X-Pad": "a" * 100_000})


def _many_headers(request: RawRequest, out: Sender, rng: random.Random) -> None:
    many = {f"X-H{i}": "1" for i in range(1000)}
    out.answer(200, sample_config().model_dump_json().encode(), headers=many)


def _declared_huge(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.head(200, {"Content-Length": str(10 * 2**30)})
    out.send(b"{" + b" " * 1000)


def _redirect(status: int, target: str | None = None) -> Any:
    def behave(request: RawRequest, out: Sender, rng: random.Random) -> None:
        location = target or f"http://evil.example.org{request.path}"
        out.answer(status, b"", headers={"Location": location}, reason="Moved")

    return behave


def _trickle_status(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.trickle(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 100, TRICKLE_INTERVAL)


def _trickle_headers(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    out.trickle(b"X-Slow: " + b"a" * 10_000, TRICKLE_INTERVAL)


def _trickle_body(request: RawRequest, out: Sender, rng: random.Random) -> None:
    body = sample_config().model_dump_json().encode() * 10
    out.head(200, {"Content-Length": str(len(body))})
    out.trickle(body, TRICKLE_INTERVAL)


def _trickle_error(request: RawRequest, out: Sender, rng: random.Random) -> None:
    body = b'{"code": "server_error", "message": "' + b"slow " * 2000 + b'"}'
    out.head(500, {"Content-Length": str(len(body))})
    out.trickle(body, TRICKLE_INTERVAL)


def _continue_flood(request: RawRequest, out: Sender, rng: random.Random) -> None:
    for _ in range(10_000):
        if not out.send(b"HTTP/1.1 100 Continue\r\n\r\n"):
            return
        time.sleep(0.05)


def _close_at_once(request: RawRequest, out: Sender, rng: random.Random) -> None:
    return  # the server closes the connection without a word


def _garbage_status(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.send(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")


def _cut_in_headers(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.send(b"HTTP/1.1 200 OK\r\nContent-Le")


def _sync_server(earnings: Callable[[RawRequest, Sender, random.Random], None]) -> Any:
    """A server whose config and catalogue are fine and whose earnings misbehave."""

    def behave(request: RawRequest, out: Sender, rng: random.Random) -> None:
        if request.path.startswith("/v1/config"):
            out.answer(200, sample_config().model_dump_json().encode())
        elif request.path.startswith("/v1/catalogue"):
            out.answer(200, sample_catalogue().model_dump_json().encode())
        elif request.path.startswith("/v1/earnings"):
            earnings(request, out, rng)
        elif request.path.startswith("/v1/results"):
            acks = [
                {"idempotency_key": str(uuid.uuid4()), "status": "accepted"}
                for _ in json.loads(request.body)["results"]
            ]  # answers for keys that were never sent
            out.answer(200, json.dumps({"acks": acks}).encode())
        else:
            out.answer(404, b'{"code": "not_found", "message": "no"}')

    return behave


def _more_forever_empty(request: RawRequest, out: Sender, rng: random.Random) -> None:
    page = EarningsPage(entries=[], cursor=uuid.uuid4().hex, more=True)
    out.answer(200, page.model_dump_json().encode())


def _more_forever_full(request: RawRequest, out: Sender, rng: random.Random) -> None:
    entry = sample_entry(rng.randrange(10**9))
    page = EarningsPage(entries=[entry], cursor=uuid.uuid4().hex, more=True, reset=True)
    out.answer(200, page.model_dump_json().encode())


def _unknown_ack_status(request: RawRequest, out: Sender, rng: random.Random) -> None:
    keys = [item["idempotency_key"] for item in json.loads(request.body)["results"]]
    acks = [{"idempotency_key": key, "status": "paid_twice"} for key in keys]
    out.answer(200, json.dumps({"acks": acks}).encode())


def _archive(data: bytes, status: int = 200) -> Any:
    def behave(request: RawRequest, out: Sender, rng: random.Random) -> None:
        out.answer(status, data, headers={"Content-Type": "application/zip"})

    return behave


def _archive_trickle(request: RawRequest, out: Sender, rng: random.Random) -> None:
    out.head(200, {"Content-Type": "application/zip", "Content-Length": str(len(ARCHIVE))})
    out.trickle(ARCHIVE, TRICKLE_INTERVAL)


def _flipped(data: bytes) -> bytes:
    return data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]


def trials() -> list[Trial]:
    """Every misbehaviour tried, by category."""
    config = sample_config().model_dump_json().encode()
    return [
        # --- malformed JSON
        Trial("html instead of JSON", "malformed JSON", _body(b"<html>Bad gateway</html>")),
        Trial("truncated JSON", "malformed JSON", _body(config[: len(config) // 2])),
        Trial("empty body", "malformed JSON", _body(b"")),
        Trial("NaN for the yearly cap", "malformed JSON", _body(_raw_field("annual_cap", "NaN"))),
        Trial("nested 100,000 deep", "malformed JSON", _body(b"[" * 100_000 + b"]" * 100_000)),
        Trial("invalid UTF-8", "malformed JSON", _body(b'{"server_name": "\xff\xfe\xfd"}')),
        Trial("UTF-16 JSON", "malformed JSON", _body(config.decode().encode("utf-16"))),
        Trial("random bytes", "malformed JSON", _garbage),
        Trial("JSON then garbage", "malformed JSON", _body(config + b"}}garbage")),
        Trial("a damaged gzip answer", "malformed JSON", _gzip_damaged),
        Trial("a gzip answer cut short", "malformed JSON", _gzip_cut_short),
        Trial("an answer coded as br", "malformed JSON", _coded_as("br")),
        # --- wrong types
        Trial("a list, not an object", "wrong types", _body(b"[1, 2, 3]")),
        Trial("a string for a number", "wrong types", _body(_config_with(largest_batch="lots"))),
        Trial("a negative limit", "wrong types", _body(_config_with(largest_batch=-5))),
        Trial("a 400-digit number", "wrong types", _body(_raw_field("largest_batch", "9" * 400))),
        Trial("a negative yearly cap", "wrong types", _body(_config_with(annual_cap="-1"))),
        Trial("a missing field", "wrong types", _body(_config_missing("server_time"))),
        Trial("null for the clock", "wrong types", _body(_config_with(server_time=None))),
        Trial(
            "a string for a list",
            "wrong types",
            _body(b'{"generated_at": "2026-01-01T00:00:00Z", "bundles": "all"}'),
            "catalogue",
        ),  # fmt: skip
        Trial("acks for keys never sent", "wrong types", _sync_server(_more_forever_empty), "sync"),
        Trial("an unknown ack status", "wrong types", _unknown_ack_status, "submit"),
        Trial(
            "a ledger amount in words",
            "wrong types",
            _body(b'{"entries": [{"entry_id": "e", "amount": "free money"}], "cursor": "c"}'),
            "earnings",
        ),  # fmt: skip
        Trial(
            "more earnings, always empty", "wrong types", _sync_server(_more_forever_empty), "sync"
        ),
        Trial(
            "more earnings forever, reset each time",
            "wrong types",
            _sync_server(_more_forever_full),
            "sync",
            expect="bounded",
        ),  # fmt: skip
        # --- huge bodies
        Trial("10 GB announced", "huge bodies", _declared_huge),
        Trial("an endless body", "huge bodies", _endless_body),
        Trial("a gzip bomb (256 MB)", "huge bodies", _gzip_bomb),
        Trial("a gzip bomb without a length", "huge bodies", _gzip_bomb_no_length),
        Trial("a gzip bomb for the results", "huge bodies", _gzip_bomb, "submit"),
        Trial("a gzip bomb for the earnings", "huge bodies", _gzip_bomb, "earnings"),
        Trial("a gzip bomb in an error body", "huge bodies", _gzip_bomb_error),
        Trial("gzip in gzip, a bomb", "huge bodies", _gzip_in_gzip_bomb),
        Trial("a 100 KB header line", "huge bodies", _long_header),
        Trial("1,000 headers", "huge bodies", _many_headers),
        Trial("an endless error body", "huge bodies", _endless_error),
        Trial(
            "an archive longer than its lease",
            "huge bodies",
            _archive(ARCHIVE + b"more"),
            "download",
        ),
        # --- redirects
        *[
            Trial(f"{status} to another host", "redirects", _redirect(status))
            for status in (301, 302, 303, 307, 308)
        ],
        Trial("307 for the results", "redirects", _redirect(307), "submit"),
        Trial("302 for the archive", "redirects", _redirect(302), "download"),
        # --- trickles
        Trial("status line, 1 byte/s", "trickles", _trickle_status),
        Trial("headers, 1 byte/s", "trickles", _trickle_headers),
        Trial("JSON body, 1 byte/s", "trickles", _trickle_body),
        Trial("error body, 1 byte/s", "trickles", _trickle_error),
        Trial("100 Continue, forever", "trickles", _continue_flood),
        Trial("archive, 1 byte/s (cancelled)", "trickles", _archive_trickle, "download-cancelled"),
        # --- broken connections
        Trial("closed without answer", "broken connections", _close_at_once),
        Trial("not HTTP at all", "broken connections", _garbage_status),
        Trial("cut in the headers", "broken connections", _cut_in_headers),
        Trial("a damaged archive", "broken connections", _archive(_flipped(ARCHIVE)), "download"),
    ]


# --- the campaign ----------------------------------------------------------------------------


def _client(url: str) -> ServerClient:
    return ServerClient(
        url,
        token="t" * 40,
        timeout=(READ_TIMEOUT, READ_TIMEOUT),
        retry=RetryPolicy(attempts=1, sleep=lambda _: None),
        answer_seconds=ANSWER_SECONDS,
    )


def _bound(trial: Trial) -> float:
    """The most a trial may take: deadlines of headers and body, one more read, slack."""
    if trial.call == "sync":
        return 4 * (2 * ANSWER_SECONDS + READ_TIMEOUT) + 10 * SLACK
    if trial.call == "download-cancelled":
        return 2.0 + READ_TIMEOUT + SLACK
    return 2 * ANSWER_SECONDS + READ_TIMEOUT + SLACK


def _result_batch() -> ResultBatch:
    item = ResultItem(
        idempotency_key=uuid.uuid4(), bundle_id="b-0", task_id="t-1", kind="translation",
        result={"targets": {"s1": "Bonjour"}}, submitted_at=datetime.now(UTC),
    )  # fmt: skip
    return ResultBatch(results=[item])


def _outbox_item() -> OutboxItem:
    return OutboxItem(
        idempotency_key=str(uuid.uuid4()), bundle_id="b-0", task_id="t-1", kind="translation",
        result={"targets": {"s1": "Bonjour"}}, submitted_at=datetime.now(UTC),
    )  # fmt: skip


def _run_call(trial: Trial, client: ServerClient, work: Path) -> list[str]:
    """Make the trial's call; return the messages the contributor would read."""
    try:
        if trial.call == "config":
            client.config()
        elif trial.call == "catalogue":
            client.catalogue()
        elif trial.call == "earnings":
            client.earnings(None)
        elif trial.call == "submit":
            client.submit(_result_batch())
        elif trial.call == "sync":
            store = MemoryStore([_outbox_item()])
            report = sync_once(client, store)
            if trial.expect == "bounded":
                return report.errors or ["(the pass ended by itself)."]
            if len(store.outbox) != 1:
                return ["the pass lost a result that the server never acknowledged."]
            return report.errors
        else:
            dest = work / f"{uuid.uuid4().hex}.zip"
            cancel = CancelToken()
            if trial.call == "download-cancelled":
                timer = threading.Timer(2.0, cancel.cancel)
                timer.start()
            try:
                download_archive(client, sample_lease(ARCHIVE), dest, cancel=cancel)
            finally:
                cancel.cancel()
            return []
    except (ServerError, DownloadError) as error:
        return [str(error)]
    except Cancelled as stopped:
        return [str(stopped)] if trial.call == "download-cancelled" else [f"RAW {stopped}"]
    except Exception as exc:  # noqa: BLE001 - what escapes is the finding
        return [f"RAW {type(exc).__name__}: {exc}"]
    return []


def run_hostile_server_campaign(rounds: int = 1, seed: int = 8) -> CampaignResult:
    """Every trial ``rounds`` times (random parts re-drawn each round)."""
    result = CampaignResult(
        "hostile-server",
        "Hostile server: malformed, wrong, huge, redirecting and trickling answers",
    )
    rng = random.Random(seed)
    worst_seconds: dict[str, float] = {}
    worst_memory = 0
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-hostile-") as tmp:
        work = Path(tmp)
        with HostileServer() as elsewhere, HostileServer() as server:
            for _ in range(rounds):
                for trial in trials():
                    behaviour = trial.behaviour
                    if trial.category == "redirects" and trial.call == "config":
                        # One of them points at a server we watch: it must never be asked.
                        behaviour = _redirect(302, f"{elsewhere.url}/v1/config")
                    server.behaviour = _bound_behaviour(behaviour, random.Random(rng.random()))
                    result.trials += 1
                    result.tried[trial.category] += 1
                    tracemalloc.start()
                    started = time.monotonic()
                    messages = _run_call(trial, _client(server.url), work)
                    elapsed = time.monotonic() - started
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                    worst_seconds[trial.category] = max(
                        worst_seconds.get(trial.category, 0.0), elapsed
                    )
                    worst_memory = max(worst_memory, peak)
                    _judge(result, trial, messages, elapsed, peak)
            if elsewhere.requests:
                result.leaked += len(elsewhere.requests)
                result.fail(f"a redirect was followed to another host ({elsewhere.requests[0]})")
        leftovers = [p.name for p in work.iterdir() if not p.name.endswith((".part", ".json"))]
        if leftovers:
            result.fail(f"downloads left files behind: {leftovers}")
        for part in work.glob("*.part"):
            if not part_paths(part.with_suffix(""))[1].exists():
                result.fail(f"a .part without its sidecar: {part.name}")
    result.figures["worst seconds by category"] = {
        k: round(v, 2) for k, v in sorted(worst_seconds.items())
    }
    result.figures["worst Python memory (MB)"] = round(worst_memory / 2**20, 1)
    result.figures["bounds"] = (
        f"{ANSWER_SECONDS:.0f} s for headers and again for a body, {READ_TIMEOUT:.0f} s per "
        f"read, {MEMORY_BOUND / 2**20:.0f} MB of memory; one attempt per trial"
    )
    return result


def _bound_behaviour(
    behaviour: Callable[[RawRequest, Sender, random.Random], None], draw: random.Random
) -> Callable[[RawRequest, Sender], None]:
    return lambda request, out: behaviour(request, out, draw)


def _judge(
    result: CampaignResult, trial: Trial, messages: list[str], elapsed: float, peak: int
) -> None:
    if elapsed > _bound(trial):
        result.fail(f"{trial.name}: took {elapsed:.1f} s (bound {_bound(trial):.0f} s)")
    if peak > MEMORY_BOUND:
        result.fail(f"{trial.name}: held {peak / 2**20:.0f} MB (bound {MEMORY_BOUND / 2**20:.0f})")
    if not messages:
        if trial.expect == "error":
            result.fail(f"{trial.name}: accepted without a word")
        return
    for message in messages:
        if message.startswith("RAW "):
            result.fail(f"{trial.name}: an exception escaped: {message[4:200]}")
        elif not one_line(message):
            result.fail(f"{trial.name}: unclear message {message[:200]!r}")
