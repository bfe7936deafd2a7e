"""Earnings on the mock server: cursor paging, status changes that reappear, resets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from mockserver.testing import ServerHandle, running_server
from sync.protocol import LedgerEntry
from tests.mockserver_util import Contributor, result_item, sign_in, translation_zip


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(tmp_path / "server", publish_demo=False) as handle:
        zips = tmp_path / "zips"
        handle.admin.publish_file(translation_zip(zips, "b-1", tasks=5))
        handle.admin.publish_file(translation_zip(zips, "b-2", tasks=2))
        yield handle


@pytest.fixture
def demo(server: ServerHandle) -> Contributor:
    contributor = sign_in(server.url, "demo")
    contributor.claim("b-1")
    acks = contributor.submit(*(result_item("b-1", f"t{i}") for i in range(1, 6)))
    assert {ack.status for ack in acks} == {"accepted"}
    return contributor


def pull_all(contributor: Contributor, cursor: str | None, limit: int = 100) -> tuple[list, str]:
    """Every page after ``cursor``; returns the entries and the final cursor."""
    entries: list[LedgerEntry] = []
    while True:
        page = contributor.earnings(cursor, limit)
        entries.extend(page.entries)
        cursor = page.cursor
        if not page.more:
            return entries, cursor


def test_earnings_come_in_pages_that_end_with_more_false(demo: Contributor) -> None:
    sizes, mores, cursor = [], [], None
    seen: list[str] = []
    for _ in range(4):
        page = demo.earnings(cursor, limit=2)
        sizes.append(len(page.entries))
        mores.append(page.more)
        seen += [entry.task_id or "" for entry in page.entries]
        cursor = page.cursor
        assert not page.reset
        if not page.more:
            break
    assert (sizes, mores) == ([2, 2, 1], [True, True, False])
    assert seen == ["t1", "t2", "t3", "t4", "t5"]
    assert demo.earnings(cursor).entries == []


def test_an_entry_reappears_when_its_status_changes(
    server: ServerHandle, demo: Contributor
) -> None:
    entries, cursor = pull_all(demo, None)
    key = entries[0].idempotency_key
    assert server.admin.approve(keys=[key]).changed == [entries[0].entry_id]
    approved, cursor = pull_all(demo, cursor)
    assert [(e.entry_id, e.status) for e in approved] == [(entries[0].entry_id, "approved")]
    payout = server.admin.pay("demo")
    assert (payout.amount, payout.paid_entries) == (Decimal("0.10"), 1)
    paid, cursor = pull_all(demo, cursor)
    assert [(e.kind, e.status, e.amount) for e in paid] == [
        ("task_reward", "paid", Decimal("0.10")),
        ("payout", "paid", Decimal("-0.10")),
    ]
    assert pull_all(demo, cursor)[0] == []


def test_a_rejection_reappears_with_its_reason(server: ServerHandle, demo: Contributor) -> None:
    _, cursor = pull_all(demo, None)
    server.admin.reject("Placeholders in the wrong order", tasks=[("b-1", "t3")])
    [entry] = pull_all(demo, cursor)[0]
    assert (entry.task_id, entry.status, entry.reason) == (
        "t3",
        "rejected",
        "Placeholders in the wrong order",
    )


def test_approving_all_pending_then_paying_adds_one_negative_payout(
    server: ServerHandle, demo: Contributor
) -> None:
    assert len(server.admin.approve(contributor_id="demo", all_pending=True).changed) == 5
    server.admin.bonus("demo", "1.50", "Fast and careful")
    payout = server.admin.pay("demo")
    assert payout.amount == Decimal("2.00") and payout.paid_entries == 6
    ledger = server.admin.ledger("demo")
    assert sum(entry.amount for entry in ledger) == 0
    assert {entry.status for entry in ledger} == {"paid"}
    assert server.admin.pay("demo").entry is None  # nothing left to pay


def test_the_pulled_copy_equals_the_server_ledger(server: ServerHandle, demo: Contributor) -> None:
    copy: dict[str, LedgerEntry] = {}
    entries, cursor = pull_all(demo, None, limit=3)
    copy.update((entry.entry_id, entry) for entry in entries)
    server.admin.approve(tasks=[("b-1", "t1"), ("b-1", "t2")])
    server.admin.reject("Off topic", tasks=[("b-1", "t4")])
    server.admin.pay("demo")
    server.admin.bonus("demo", "0.30", "Welcome")
    entries, cursor = pull_all(demo, cursor, limit=3)
    copy.update((entry.entry_id, entry) for entry in entries)
    truth = {entry.entry_id: entry for entry in server.admin.ledger("demo")}
    assert copy == truth


def test_a_garbage_or_old_cursor_starts_again_from_zero(
    server: ServerHandle, demo: Contributor
) -> None:
    _, cursor = pull_all(demo, None)
    for bad in ("garbage", "x.5", cursor + "9999", cursor.split(".")[0] + ".-1"):
        page = demo.earnings(bad)
        assert page.reset, bad
        assert len(page.entries) == 5
    server.admin.reset_cursors()
    page = demo.earnings(cursor)
    assert page.reset and len(page.entries) == 5
    assert not demo.earnings(page.cursor).reset


def test_contributors_see_only_their_own_earnings(server: ServerHandle, demo: Contributor) -> None:
    alice = sign_in(server.url, "alice")
    alice.claim("b-2")
    alice.submit(result_item("b-2", "t1"))
    server.admin.bonus("alice", "5", "Hello")
    mine = pull_all(demo, None)[0]
    hers = pull_all(alice, None)[0]
    assert {entry.bundle_id for entry in mine} == {"b-1"}
    assert [(entry.kind, entry.bundle_id) for entry in hers] == [
        ("task_reward", "b-2"),
        ("bonus", None),
    ]


def test_an_empty_ledger_gives_an_empty_first_page(server: ServerHandle) -> None:
    page = sign_in(server.url, "bob").earnings()
    assert (page.entries, page.more, page.reset) == ([], False, False)
