"""What a sync pass writes into the local store: acks, the ledger, the catalogue, leases."""

from __future__ import annotations

from decimal import Decimal

from app.store import Store
from tests.test_store import add_bundle


def entry(entry_id: str, status: str, key: str | None, amount: str = "0.05", **extra):  # type: ignore[no-untyped-def]
    return {
        "entry_id": entry_id, "kind": extra.pop("kind", "task_reward"), "status": status,
        "amount": Decimal(amount), "currency": "EUR", "bundle_id": "b1", "task_id": "t0",
        "task_kind": "translation", "idempotency_key": key, "reason": extra.pop("reason", None),
        "occurred_at": extra.pop("occurred_at", "2026-11-29T10:00:00+00:00"),
        "updated_at": "2026-11-29T10:00:00+00:00",
    }  # fmt: skip


def test_pending_results_come_oldest_first_with_bundle_and_task(store: Store) -> None:
    keys = add_bundle(store, tasks=3)
    uuids = [store.submit(key, {"n": i}) for i, key in enumerate(keys)]
    pending = store.pending_results(limit=2)
    assert [p["uuid"] for p in pending] == uuids[:2]
    assert (pending[0]["bundle_id"], pending[0]["task_id"], pending[0]["result"]) == (
        "b1",
        "t0",
        {"n": 0},
    )


def test_acks_mark_results_sent_or_rejected_and_duplicates_count_once(store: Store) -> None:
    keys = add_bundle(store, tasks=3)
    uuids = [store.submit(key, {"n": i}) for i, key in enumerate(keys)]
    change = store.record_acks(
        [
            (uuids[0], "accepted", None, None),
            (uuids[1], "duplicate", None, None),
            (uuids[2], "rejected", "lease_expired", "The lease ended before the result arrived."),
            ("unknown-key", "accepted", None, None),
        ]
    )
    assert change.tasks == set(keys) and change.outbox
    states = {row.uuid: row.state for row in store.outbox()}
    assert states == {uuids[0]: "sent", uuids[1]: "sent", uuids[2]: "rejected"}
    assert store.pending_results(limit=10) == []
    assert store.task(keys[2])["state"] == "rejected"
    assert store.counts_by_state()["sent"] == 2


def test_a_send_failure_keeps_the_result_queued_with_the_error(store: Store) -> None:
    [key] = add_bundle(store, tasks=1)
    uuid = store.submit(key, {"n": 1})
    store.record_send_failure([uuid], "Cannot reach the server")
    [row] = store.outbox()
    assert (row.state, row.attempts, row.last_error) == ("queued", 1, "Cannot reach the server")


def test_earnings_upsert_move_results_and_the_cursor_in_one_step(store: Store) -> None:
    [key] = add_bundle(store, tasks=1)
    uuid = store.submit(key, {"n": 1})
    store.record_acks([(uuid, "accepted", None, None)])
    store.apply_earnings([entry("e1", "pending", uuid)], "c1", reset=False)
    assert store.task(key)["state"] == "sent"
    store.apply_earnings([entry("e1", "approved", uuid)], "c2", reset=False)
    assert store.task(key)["state"] == "accepted"
    assert [(e["id"], e["status"]) for e in store.ledger()] == [("e1", "approved")]
    assert store.earnings_cursor() == "c2"
    store.apply_earnings(
        [
            entry(
                "p1", "paid", None, "-0.05", kind="payout", occurred_at="2026-11-29T11:00:00+00:00"
            )
        ],
        "c3",
        reset=False,
    )
    from datetime import date

    # Payouts are money leaving the account, not earnings of the day.
    assert store.earnings_on(date(2026, 11, 29)) == {"EUR": Decimal("0.05")}


def test_a_rejected_reward_shows_its_reason_and_a_reset_starts_from_zero(store: Store) -> None:
    [key] = add_bundle(store, tasks=1)
    uuid = store.submit(key, {"n": 1})
    store.apply_earnings(
        [entry("e1", "rejected", uuid, reason="The translation drops a placeholder.")],
        "c1",
        reset=False,
    )
    [row] = store.outbox()
    assert row.state == "rejected"
    assert store.task(key)["state"] == "rejected"
    store.apply_earnings([entry("e9", "pending", None)], "c9", reset=True)
    assert [e["id"] for e in store.ledger()] == ["e9"]


def test_catalogue_and_leases_are_kept_for_offline_viewing(store: Store) -> None:
    offer = {"bundle_id": "b-9", "kind": "translation", "title": "Menus", "task_count": 4}
    store.save_catalogue([offer])
    store.save_catalogue([offer, {**offer, "bundle_id": "b-10"}])
    assert [c["bundle_id"] for c in store.catalogue()] == ["b-9", "b-10"]
    lease = {
        "bundle_id": "b-9", "lease_id": "l-1", "kind": "translation",
        "expires_at": "2026-12-01T00:00:00+00:00", "archive_path": "/v1/bundles/b-9/archive",
        "archive_sha256": "0" * 64, "size_bytes": 1234,
    }  # fmt: skip
    store.save_lease(lease)
    store.set_lease_state("b-9", "imported")
    assert [(row["bundle_id"], row["state"]) for row in store.leases()] == [("b-9", "imported")]
    assert store.leases(["claimed"]) == []


def test_releasing_a_bundle_drops_its_open_tasks_and_drafts_and_keeps_submitted_ones(
    store: Store,
) -> None:
    keys = add_bundle(store, tasks=3)
    store.save_lease(
        {
            "bundle_id": "b1", "lease_id": "l1", "kind": "translation",
            "expires_at": "2026-12-01T00:00:00+00:00", "archive_path": "/v1/bundles/b1",
            "archive_sha256": "0" * 64, "size_bytes": 10,
        }
    )  # fmt: skip
    store.submit(keys[0], {"n": 0})
    store.save_draft(keys[1], {"n": 1})
    assert store.open_task_count("b1") == 2
    change, empty = store.release_bundle("b1")
    assert change.tasks == frozenset(keys[1:]) and not empty
    assert [t.id for t in store.tasks()] == [keys[0]]
    assert store.draft(keys[1]) is None
    assert store.leases()[0]["state"] == "released"
    assert store.pending_results(10)[0]["uuid"]  # the submitted result still goes up
    assert store.integrity_check() == "ok"


def test_releasing_a_bundle_with_nothing_submitted_removes_it(store: Store) -> None:
    add_bundle(store, tasks=2)
    _, empty = store.release_bundle("b1")
    assert empty and store.bundles() == [] and store.tasks() == []
