"""What the reliability campaigns found, each fixed and pinned here by a fast test."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import ProfileDiskFull, Store
from mockserver.testing import running_server
from sync.answers import parse_answer
from sync.bundle import AudioRefused
from sync.client import ServerClient
from sync.download import download_archive
from sync.engine import EARNINGS_PAGES_PER_PASS, OutboxItem, _next_batch, sync_once
from sync.errors import MalformedAnswer, NetworkUnavailable, ServerBusy
from sync.protocol import EarningsPage, ServerConfig
from sync.retry import RetryPolicy
from taskkinds import default_registry
from tests.factories import translation_bundle
from tests.http_double import sample_config, sample_entry
from tests.mockserver_util import translation_zip
from tests.reliability.bundle_corpus import opus, transcription_zip
from tests.reliability.disk_campaign import fill, small_disk
from tests.reliability.hostile_http import HostileServer, RawRequest, Sender
from tests.test_sync_engine import FakeServer, MemoryStore

# --- a server that trickles ----------------------------------------------------------------


def test_an_error_answer_that_trickles_in_is_cut_off_by_a_deadline() -> None:
    def slow_error(request: RawRequest, out: Sender) -> None:
        out.head(503, {"Content-Length": "100000"})
        out.trickle(b" " * 100_000, 0.5)

    with HostileServer() as server:
        server.behaviour = slow_error
        client = ServerClient(server.url, answer_seconds=1.0, retry=RetryPolicy(attempts=1))
        started = time.monotonic()
        with pytest.raises(ServerBusy, match="HTTP 503"):
            client.config()
        assert time.monotonic() - started < 10  # the body alone would take 14 hours


def test_headers_that_trickle_in_are_cut_off_by_a_deadline() -> None:
    def slow_headers(request: RawRequest, out: Sender) -> None:
        out.trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, 0.2)

    with HostileServer() as server:
        server.behaviour = slow_headers
        client = ServerClient(
            server.url, timeout=(2, 2), answer_seconds=1.0, retry=RetryPolicy(attempts=1)
        )
        started = time.monotonic()
        with pytest.raises(NetworkUnavailable, match="trickles in too slowly"):
            client.config()
        assert time.monotonic() - started < 8


# --- earnings that never end ---------------------------------------------------------------


class EndlessEarnings(FakeServer):
    """Says there are more earnings, forever, under a new cursor each time."""

    def __init__(self, *, with_entries: bool) -> None:
        super().__init__()
        self.with_entries = with_entries
        self.pages_served = 0

    def earnings(
        self, cursor: str | None, limit: int = 500, *, cancel: object = None
    ) -> EarningsPage:
        self.requests_sent += 1
        self.pages_served += 1
        entries = [sample_entry(self.pages_served)] if self.with_entries else []
        return EarningsPage(entries=entries, cursor=uuid.uuid4().hex, more=True)


def test_more_earnings_that_never_arrive_end_the_pass_even_under_new_cursors() -> None:
    server = EndlessEarnings(with_entries=False)
    report = sync_once(server, MemoryStore())
    assert server.pages_served == 1
    assert any("never arrive" in error for error in report.errors)


def test_a_server_that_always_has_more_earnings_is_asked_a_bounded_number_of_times() -> None:
    server = EndlessEarnings(with_entries=True)
    store = MemoryStore()
    sync_once(server, store)
    assert server.pages_served == EARNINGS_PAGES_PER_PASS
    assert store.cursor is not None  # the next pass goes on from there


# --- answers with impossible values ------------------------------------------------------


def test_a_negative_yearly_cap_is_a_malformed_answer() -> None:
    raw = sample_config().model_dump_json().replace('"annual_cap":"3000"', '"annual_cap":"-1"')
    with pytest.raises(MalformedAnswer, match="annual_cap"):
        parse_answer("tasks.example.org", raw.encode(), ServerConfig)


@pytest.mark.parametrize("value", ["[5, [1], 1]", '[0, [1, 2], "a"]', '[["a"], 1, 2]'])
def test_an_array_where_an_amount_belongs_is_a_malformed_answer(value: str) -> None:
    raw = sample_config().model_dump_json().replace('"annual_cap":"3000"', f'"annual_cap":{value}')
    with pytest.raises(MalformedAnswer, match="configuration holds a value of the wrong type"):
        parse_answer("tasks.example.org", raw.encode(), ServerConfig)


# --- damaged audio -------------------------------------------------------------------------


def test_a_truncated_audio_clip_is_refused_at_import_and_leaves_nothing(tmp_path: Path) -> None:
    clip = opus()
    path = transcription_zip(tmp_path / "usb" / "clips.zip", "audio/c.opus", clip[: len(clip) // 2])
    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    try:
        with pytest.raises(AudioRefused, match=r"'clips\.zip'.*audio/c\.opus.*truncated"):
            import_bundle_file(store, profile, path, default_registry())
        assert store.bundles() == []
        assert list(profile.bundles_dir.iterdir()) == []
    finally:
        store.close()


def test_a_sound_audio_clip_still_imports(tmp_path: Path) -> None:
    path = transcription_zip(tmp_path / "usb" / "clips.zip", "audio/c.opus", opus())
    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    try:
        assert import_bundle_file(store, profile, path, default_registry()).task_count == 1
    finally:
        store.close()


# --- lone surrogates -----------------------------------------------------------------------


@pytest.fixture
def store_with_tasks(tmp_path: Path) -> Iterator[Store]:
    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    import_bundle_file(
        store, profile, translation_bundle(tmp_path / "b.zip", tasks=3), default_registry()
    )
    yield store
    store.close()


def test_a_draft_holding_half_an_emoji_is_saved_and_reads_back(store_with_tasks: Store) -> None:
    store = store_with_tasks
    key = store.tasks()[0].id
    content = {"targets": {"s1": "Bonjour \ud83d", "s2": "ok"}}
    store.save_draft(key, content)
    assert store.draft(key) == content
    store.submit(key, content)
    assert store.submitted_result(key) == content
    store.add_memory_records("translation", "en-fr", [{"source": "Hi", "target": "\udfff"}])
    assert store.integrity_check() == "ok"


def test_a_result_holding_half_an_emoji_goes_out_with_a_replacement_character() -> None:
    item = OutboxItem(
        str(uuid.uuid4()), "b-1", "t-1", "translation",
        {"targets": {"s1": "Bonjour \ud83d"}}, datetime.now(UTC),
    )  # fmt: skip
    items, batch, refused = _next_batch([item], 2**20)
    assert items == [item] and refused == []
    assert batch is not None
    assert batch.results[0].result == {"targets": {"s1": "Bonjour \ufffd"}}
    batch.model_dump_json()


# --- a full disk ---------------------------------------------------------------------------


def test_a_full_disk_under_the_database_is_a_clear_error_and_loses_nothing(
    tmp_path: Path,
) -> None:
    with small_disk(tmp_path / "disk", 2 * 2**20) as mounted:
        if not mounted:
            pytest.skip("mounting a small tmpfs needs root")
        profile = Profile(tmp_path / "disk" / "profile").ensure()
        store = Store(profile.db_path)
        try:
            import_bundle_file(
                store, profile, translation_bundle(tmp_path / "b.zip", tasks=200),
                default_registry(),
            )  # fmt: skip
            keys = [row.id for row in store.tasks()]
            store.save_draft(keys[0], {"targets": {"s1": "kept"}})
            filler = fill(tmp_path / "disk")
            with pytest.raises(ProfileDiskFull, match="disk .* is full.*Free some disk space"):
                for key in keys[1:]:
                    store.save_draft(key, {"targets": {"s1": os.urandom(20_000).hex()}})
            assert store.integrity_check() == "ok"
            assert store.draft(keys[0]) == {"targets": {"s1": "kept"}}
            filler.unlink()
            store.save_draft(keys[-1], {"targets": {"s1": "after"}})
            assert store.draft(keys[-1]) == {"targets": {"s1": "after"}}
        finally:
            store.close()


def test_disk_full_is_recognised_from_sqlites_error_code() -> None:
    from app.store.records import is_disk_full

    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("SELECT * FROM nowhere")
    except sqlite3.OperationalError as exc:
        assert not is_disk_full(exc)
    assert not is_disk_full(ValueError("database or disk is full"))


# --- an archive already there ----------------------------------------------------------------


def test_an_archive_downloaded_before_a_failed_import_is_not_fetched_again(
    tmp_path: Path,
) -> None:
    with running_server(tmp_path / "server", publish_demo=False, rotation=0) as server:
        server.admin.publish_file(translation_zip(tmp_path, "b-there", noise_bytes=200_000))
        client = ServerClient(server.url)
        client.sign_in("demo", "demo")
        lease = client.claim("b-there")
        dest = tmp_path / "downloads" / "b-there.zip"
        first = download_archive(client, lease, dest)
        assert first.bytes_on_wire == lease.size_bytes
        again = download_archive(client, lease, dest)
        assert (again.attempts, again.bytes_on_wire) == (0, 0)
        dest.write_bytes(random.Random(1).randbytes(lease.size_bytes))  # not the archive
        fresh = download_archive(client, lease, dest)
        assert fresh.bytes_on_wire == lease.size_bytes


def test_the_reliability_marker_is_declared() -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--markers"],
        capture_output=True, text=True, timeout=120, cwd=root,
    )  # fmt: skip
    assert "@pytest.mark.reliability" in done.stdout


def test_a_download_stopped_by_a_full_disk_says_so_even_when_the_database_is_full_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the disk-full campaign (1 run in 3 at full counts): recording why a
    download stopped is itself a write, and on the same full disk its ProfileDiskFull
    replaced the download's own error."""
    from types import SimpleNamespace

    import app.fetching
    from app.fetching import fetch_lease
    from sync.errors import DownloadError

    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    recorded: list[str] = []

    def set_lease_state(bundle_id: str, state: str, message: str = "") -> None:
        if state == "claimed":
            raise ProfileDiskFull(profile.db_path)
        recorded.append(state)

    def download(*_args: object, **_kwargs: object) -> None:
        raise DownloadError("b1", "The disk holding your profile is full: free some space.")

    monkeypatch.setattr(store, "set_lease_state", set_lease_state)
    monkeypatch.setattr(app.fetching, "download_archive", download)
    try:
        with pytest.raises(DownloadError, match="disk holding your profile is full"):
            fetch_lease(
                None, store, profile, default_registry(),  # type: ignore[arg-type]
                SimpleNamespace(bundle_id="b1"),  # type: ignore[arg-type]
            )  # fmt: skip
        assert recorded == ["downloading"]  # resumed like any half-done download
    finally:
        store.close()
