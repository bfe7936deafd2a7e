"""The whole loop against a real mock server: sign in, claim, download, work, sync, get paid."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt

from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
from app.store import Store
from mockserver.testing import running_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def server(tmp_path: Path):  # type: ignore[no-untyped-def]
    with running_server(tmp_path / "server", seed=7) as handle:
        yield handle


@pytest.fixture(autouse=True)
def no_system_keyring():  # type: ignore[no-untyped-def]
    # The test machine has no keyring service; the profile fallback is the path under test.
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def select_translation_offer(catalogue) -> None:  # type: ignore[no-untyped-def]
    """Make the first translation bundle of the catalogue view current (the tests type text)."""
    model = catalogue.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r)["kind"] == "translation")
    catalogue.table.selectRow(row)


def ouvrage(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_the_command_line_signs_in_claims_syncs_and_sees_the_approval(
    server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    profile = tmp_path / "p"
    bad = ouvrage("login", "--profile", profile, "--server", server.url, "--user", "demo",
                  "--password-stdin", stdin="wrong\n")  # fmt: skip
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1

    done = ouvrage("login", "--profile", profile, "--server", server.url, "--user", "demo",
                   "--password-stdin", stdin="demo\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "profile folder" in done.stdout  # no keyring here: said plainly

    first = ouvrage("sync", "--profile", profile)
    assert first.returncode == 0, first.stderr
    store = Store(profile / "ouvrage.sqlite3")
    offer = next(o for o in store.catalogue() if o["kind"] == "translation")
    store.close()

    claimed = ouvrage("sync", "--profile", profile, "--claim", offer["bundle_id"])
    assert claimed.returncode == 0, claimed.stderr
    assert f"{offer['task_count']} task(s)" in claimed.stdout

    store = Store(profile / "ouvrage.sqlite3")
    task = store.tasks()[0]
    payload = store.task(task.id)["payload"]
    # The source copied as the target passes every check of the kind.
    store.submit(
        task.id, {"version": 1, "targets": {s["id"]: s["source"] for s in payload["segments"]}}
    )
    store.close()

    sent = ouvrage("sync", "--profile", profile)
    assert sent.returncode == 0, sent.stderr
    assert "Sent 1 result(s): 1 accepted" in sent.stdout

    server.admin.approve(contributor_id="demo", all_pending=True)
    paid = ouvrage("sync", "--profile", profile)
    assert paid.returncode == 0, paid.stderr
    store = Store(profile / "ouvrage.sqlite3")
    try:
        assert store.task(task.id)["state"] == "accepted"
        assert [(e["status"], e["amount"]) for e in store.ledger()] == [
            ("approved", offer["reward_per_task"])
        ]
    finally:
        store.close()


def test_sync_without_a_sign_in_says_what_to_do(tmp_path: Path) -> None:
    done = ouvrage("sync", "--profile", tmp_path / "p")
    assert done.returncode == 1 and "ouvrage login" in done.stderr


def test_gui_claim_download_submit_sync_then_accepted_after_approval(
    qtbot, server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    profile = Profile(tmp_path / "profile")
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx, server_url=server.url, auto_sign_in=("demo", "demo"))
    qtbot.addWidget(window)
    window.show()
    link = window.link
    assert link is not None and link.service.account is not None
    assert window.tabs.currentWidget() is link.catalogue  # the demo opens on the catalogue
    assert link.catalogue.model.rowCount() >= 1
    assert "Synced at" in window.network_label.text()

    select_translation_offer(link.catalogue)
    bundle_id = link.catalogue.selected_bundle()
    qtbot.mouseClick(link.catalogue.claim_button, Qt.MouseButton.LeftButton)
    assert "ready to work on" in link.catalogue.progress_text.text()
    assert window.queue_model.rowCount() >= 1
    assert all(window.queue_model.task_at(r).bundle_id == bundle_id
               for r in range(window.queue_model.rowCount()))  # fmt: skip

    window.tabs.setCurrentIndex(0)
    window.move_task(1)
    editor = window.pane.editor
    key = window.current.key
    for row in editor.rows:
        row.target.setPlainText(row.segment.source)  # passes every check of the kind
    editor.request_submit()
    assert ctx.store.outbox()[0].task_id == key

    link.service.sync_now()
    assert ctx.store.task(key)["state"] == "sent"
    assert "Synced at" in window.network_label.text()

    server.admin.approve(contributor_id="demo", all_pending=True)
    link.service.sync_now()
    assert ctx.store.task(key)["state"] == "accepted"
    window.refresh_outbox()
    assert window.outbox_view.model.row_at(0).state == "accepted"
    window.close()
    ctx.close()


def window_with_a_submitted_task(qtbot, server, tmp_path: Path) -> tuple[MainWindow, str]:  # type: ignore[no-untyped-def]
    """A window signed in to ``server`` that claimed a bundle and submitted its first task."""
    ctx = AppContext.open(Profile(tmp_path / "profile"), inline=True)
    window = MainWindow(ctx, server_url=server.url, auto_sign_in=("demo", "demo"))
    qtbot.addWidget(window)
    window.show()
    select_translation_offer(window.link.catalogue)
    window.link.claim(window.link.catalogue.selected_bundle())
    key = window.queue_model.task_at(0).id
    payload = ctx.store.task(key)["payload"]
    ctx.store.submit(
        key, {"version": 1, "targets": {s["id"]: s["source"] for s in payload["segments"]}}
    )
    return window, key


def test_an_expired_sign_in_asks_again_and_keeps_the_outbox(qtbot, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window, key = window_with_a_submitted_task(qtbot, server, tmp_path)
    ctx, link = window.ctx, window.link

    server.admin.expire_tokens("demo")
    link.service.sync_now()
    assert link.service.state.kind == "sign_in"
    assert link.dialog is not None and link.dialog.isVisible()
    assert ctx.store.outbox()[0].state == "queued"  # nothing lost

    dialog = link.dialog
    dialog.contributor.setText("demo")
    dialog.password.setText("demo")
    dialog.submit()
    assert not dialog.isVisible()
    assert ctx.store.task(key)["state"] == "sent"
    window.close()
    ctx.close()


def test_a_result_the_reviewer_refuses_shows_why_in_the_outbox_and_the_task(
    qtbot, server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    window, key = window_with_a_submitted_task(qtbot, server, tmp_path)
    ctx, link = window.ctx, window.link
    link.service.sync_now()
    server.admin.reject(
        "The target is the untranslated source.", contributor_id="demo", all_pending=True
    )
    link.service.sync_now()

    window.tabs.setCurrentIndex(1)
    row = window.outbox_view.model.row_at(0)
    assert row.state == "rejected"
    assert "untranslated source" in window.outbox_view.model.data(
        window.outbox_view.model.index(0, 4)
    )
    assert "1 refused" in window.outbox_view.summary.text()
    window.tabs.setCurrentIndex(0)
    window.current = None
    window.open_task(key)
    assert (
        "Refused by the server: The target is the untranslated source."
        in window.pane.save_state.text()
    )
    window.close()
    ctx.close()


def test_a_thousand_results_from_the_real_store_arrive_once_through_thirty_percent_faults(
    server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from app.fetching import claim_and_fetch
    from app.session import ServerAccount
    from app.sync_adapter import StoreSync
    from sync.engine import sync_once
    from sync.errors import ServerError
    from taskkinds import default_registry
    from tests.factories import translation_bundle

    bundle = translation_bundle(
        tmp_path / "thousand.zip", bundle_id="b-1000", tasks=1000, segments=1,
        reward_per_task=Decimal("0.01"),
    )  # fmt: skip
    server.admin.publish_file(bundle)
    profile = Profile(tmp_path / "profile").ensure()
    store = Store(profile.db_path)
    client = ServerAccount(server.url, "demo").client(None)
    client.sign_in("demo", "demo")
    claim_and_fetch(client, store, profile, default_registry(), "b-1000")
    for row in store.tasks():
        payload = store.task(row.id)["payload"]
        store.submit(
            row.id, {"version": 1, "targets": {s["id"]: s["source"] for s in payload["segments"]}}
        )

    server.admin.set_faults(
        error_probability=0.1, retry_after_s=0, cut_probability=0.1, cut_after_bytes=50,
        drop_probability=0.1,
    )  # fmt: skip
    passes = 0
    while store.pending_count() and passes < 40:
        passes += 1
        # A pass may give up on a bad stretch of faults; the next one resumes.
        with contextlib.suppress(ServerError):
            sync_once(client, StoreSync(store), batch_size=50)
    server.admin.clear_faults()
    sync_once(client, StoreSync(store))

    assert store.pending_count() == 0
    held = server.admin.results("demo")
    assert len(held) == 1000 and len({r.idempotency_key for r in held}) == 1000
    assert {row.state for row in store.outbox()} == {"sent"}
    server_ledger = server.admin.ledger("demo")
    assert len(server_ledger) == 1000  # each result paid once
    ours = {(e["id"], e["status"], e["amount"]) for e in store.ledger()}
    assert ours == {(e.entry_id, e.status.value, str(e.amount)) for e in server_ledger}
    assert store.integrity_check() == "ok"
    store.close()


def test_a_failing_server_gets_a_clear_status_and_a_later_retry_that_succeeds(
    qtbot, server, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app.session import ServerAccount
    from sync.client import ServerClient
    from sync.retry import RetryPolicy

    # One attempt per call: the service's own back-off timer is what is under test.
    monkeypatch.setattr(
        ServerAccount, "client",
        lambda self, token: ServerClient(self.url, token=token, retry=RetryPolicy(attempts=1)),
    )  # fmt: skip
    profile = Profile(tmp_path / "profile")
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx, server_url=server.url, auto_sign_in=("demo", "demo"))
    qtbot.addWidget(window)
    window.show()
    service = window.link.service
    server.admin.set_faults(error_probability=1.0, retry_after_s=0)
    service.sync_now()
    assert service.state.kind == "error"
    assert "next try in" in window.network_label.text()
    assert service._timer.isActive() and 7 <= service._timer.remainingTime() / 1000 <= 23
    service.sync_now()
    second_delay = service._timer.remainingTime() / 1000
    assert 15 <= second_delay <= 45  # backs off further, with jitter

    server.admin.clear_faults()
    service._timer.timeout.emit()  # the timer fires
    assert service.state.kind == "synced" and "Synced at" in window.network_label.text()
    window.close()
    ctx.close()


def test_signing_out_forgets_the_token_but_keeps_the_work(qtbot, server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.session import TokenVault

    window, key = window_with_a_submitted_task(qtbot, server, tmp_path)
    ctx, link = window.ctx, window.link
    account = link.service.account
    assert TokenVault(ctx.profile).load(account) is not None
    link.sign_out_action.trigger()
    assert TokenVault(ctx.profile).load(account) is None
    assert ctx.store.setting("server.account") is None
    assert "not signed in" in window.network_label.text()
    assert not link.sync_action.isEnabled()
    assert "Sign in" in link.catalogue.summary.text()
    assert ctx.store.outbox()[0].task_id == key  # the queued result stays for the next sign-in
    window.close()
    ctx.close()


def test_releasing_a_bundle_asks_first_then_gives_its_open_tasks_back(
    qtbot, server, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from app import dialogs

    window, key = window_with_a_submitted_task(qtbot, server, tmp_path)
    ctx, link = window.ctx, window.link
    bundle_id = key.split("/")[0]
    tasks_before = window.queue_model.rowCount()
    assert tasks_before >= 2
    offered: list = []
    monkeypatch.setattr(
        dialogs,
        "ask_bundle_to_release",
        lambda parent, choices: offered.extend(choices) or bundle_id,
    )
    monkeypatch.setattr(dialogs, "confirm_release", lambda parent, title, n: False)
    link.ask_release()
    assert [b for b, _ in offered] == [bundle_id]
    assert f"{tasks_before - 1} task(s) open" in offered[0][1]
    assert window.queue_model.rowCount() == tasks_before  # cancelled: nothing changed

    monkeypatch.setattr(dialogs, "confirm_release", lambda parent, title, n: True)
    link.ask_release()
    assert [r["state"] for r in ctx.store.leases()] == ["released"]
    rows = [window.queue_model.task_at(r) for r in range(window.queue_model.rowCount())]
    assert [r.id for r in rows] == [key]  # the submitted task stays, the open ones went back
    assert "Released" in window.statusBar().currentMessage()
    link.service.sync_now()
    assert ctx.store.task(key)["state"] == "sent"  # its result still counts
    window.close()
    ctx.close()


def test_a_qualification_test_taken_in_the_window_unlocks_its_bundles(
    qtbot, server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from mockserver import demo_data
    from taskkinds import default_registry

    ctx = AppContext.open(Profile(tmp_path / "profile"), inline=True)
    window = MainWindow(ctx, server_url=server.url, auto_sign_in=("demo", "demo"))
    qtbot.addWidget(window)
    window.show()
    link = window.link
    view, catalogue = link.qualifications, link.catalogue
    assert view.model.rowCount() == 3  # one per kind, synced for offline viewing
    assert ctx.store.setting("server_clock_offset_s") is not None

    entries = [catalogue.model.row_at(r) for r in range(catalogue.model.rowCount())]
    locked = next(r for r, e in enumerate(entries) if e["kind"] == "translation" and e["locked"])
    catalogue.table.selectRow(locked)
    assert catalogue.model.index(locked, 8).data() == "Needs a qualification"
    assert not catalogue.claim_button.isEnabled()
    assert "test" in catalogue.progress_text.text()

    rows = [view.model.row_at(r) for r in range(view.model.rowCount())]
    index = next(r for r, q in enumerate(rows) if q["kind"] == "translation")
    view.table.selectRow(index)
    qualification = rows[index]
    qtbot.mouseClick(view.take_button, Qt.MouseButton.LeftButton)
    test_bundle = qualification["test_bundle_id"]
    keys = [window.queue_model.task_at(r).id for r in range(window.queue_model.rowCount())]
    assert sorted(keys) == [f"{test_bundle}/q{n}" for n in (1, 2, 3)]

    definition = demo_data.qualification_def(default_registry(), qualification["qualification_id"])
    for n, (spec_id, task_id) in enumerate(definition.tasks, start=1):
        ctx.store.submit(f"{test_bundle}/q{n}", demo_data.demo_golds()[spec_id][task_id])
    link.service.sync_now()
    link.service.sync_now()
    rows = [view.model.row_at(r) for r in range(view.model.rowCount())]
    passed = next(q for q in rows if q["kind"] == "translation")
    assert passed["status"] == "passed" and passed["certificate"] is not None
    assert view.model.index(rows.index(passed), 4).data().startswith("Earned")
    entries = [catalogue.model.row_at(r) for r in range(catalogue.model.rowCount())]
    assert not any(e["locked"] for e in entries if e["kind"] == "translation")
    window.close()
    ctx.close()


def test_the_earnings_view_shows_what_the_server_approved_rejected_paid_and_gave(
    qtbot, server, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime
    from decimal import Decimal

    from app.earnings_view_data import compute, read_snapshot

    window, key = window_with_a_submitted_task(qtbot, server, tmp_path)
    ctx, link = window.ctx, window.link
    second = window.queue_model.task_at(1).id
    payload = ctx.store.task(second)["payload"]
    ctx.store.submit(
        second, {"version": 1, "targets": {s["id"]: s["source"] for s in payload["segments"]}}
    )
    link.service.sync_now()
    bundle = key.split("/")[0]
    server.admin.approve(tasks=[(bundle, key.split("/")[1])])
    server.admin.reject("Machine translation", tasks=[(bundle, second.split("/")[1])])
    server.admin.pay("demo")
    server.admin.bonus("demo", "1.50", "Careful work")
    link.service.sync_now()

    reward = Decimal(str(ctx.store.task(key)["reward"]))
    summary = compute(read_snapshot(ctx.store), datetime.now(UTC).date()).summary
    totals = summary.totals
    assert totals.earned == reward + Decimal("1.50")  # approved reward, then paid, and the bonus
    assert totals.rejected == reward and totals.rejected_tasks == 1
    assert totals.paid_out == reward and totals.pending == 0
    assert summary.cap.cap is not None and summary.cap.earned == totals.earned

    window.tabs.setCurrentWidget(window._earnings_view)
    qtbot.waitUntil(lambda: window._earnings_view.computed is not None, timeout=10_000)
    reasons = [e.reason for e in window._earnings_view.computed.summary.recent]
    assert "Machine translation" in reasons and "Careful work" in reasons
    window.close()
    ctx.close()
