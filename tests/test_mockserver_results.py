"""Result submission on the mock server: one answer per result, paid at most once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from mockserver.testing import ServerHandle, running_server
from sync.protocol import ErrorBody
from tests.mockserver_util import BAD_TARGETS, Contributor, result_item, sign_in, translation_zip


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerHandle]:
    with running_server(tmp_path / "server", publish_demo=False, largest_batch=20) as handle:
        zips = tmp_path / "zips"
        handle.admin.publish_file(
            translation_zip(zips, "b-1", tasks=4, task_rewards={"t4": "0.25"})
        )
        handle.admin.publish_file(translation_zip(zips, "b-2", tasks=2))
        yield handle


@pytest.fixture
def demo(server: ServerHandle) -> Contributor:
    contributor = sign_in(server.url, "demo")
    contributor.claim("b-1")
    return contributor


def test_an_accepted_result_adds_one_pending_reward(
    server: ServerHandle, demo: Contributor
) -> None:
    item = result_item("b-1", "t1")
    [ack] = demo.submit(item)
    assert (ack.status, ack.reason, str(ack.idempotency_key)) == (
        "accepted",
        None,
        item["idempotency_key"],
    )
    [entry] = server.admin.ledger("demo")
    assert (entry.kind, entry.status, entry.amount, entry.currency) == (
        "task_reward",
        "pending",
        Decimal("0.10"),
        "EUR",
    )
    assert (entry.bundle_id, entry.task_id, str(entry.idempotency_key)) == (
        "b-1",
        "t1",
        item["idempotency_key"],
    )


def test_a_task_with_its_own_reward_pays_that_reward(
    server: ServerHandle, demo: Contributor
) -> None:
    demo.submit(result_item("b-1", "t4"))
    assert [entry.amount for entry in server.admin.ledger("demo")] == [Decimal("0.25")]


def test_resending_a_batch_pays_once(server: ServerHandle, demo: Contributor) -> None:
    batch = [result_item("b-1", f"t{i}") for i in (1, 2, 3)]
    first = demo.submit(*batch)
    second = demo.submit(*batch)
    third = demo.submit(*batch)
    assert [ack.status for ack in first] == ["accepted"] * 3
    assert [ack.status for ack in second + third] == ["duplicate"] * 6
    assert len(server.admin.ledger("demo")) == 3
    assert len(server.admin.results("demo")) == 3


def test_the_same_key_twice_in_one_batch_counts_once(
    server: ServerHandle, demo: Contributor
) -> None:
    item = result_item("b-1", "t1")
    acks = demo.submit(item, item)
    assert [ack.status for ack in acks] == ["accepted", "duplicate"]
    assert len(server.admin.ledger("demo")) == 1


def test_a_resent_rejected_result_gets_the_same_rejection(demo: Contributor) -> None:
    item = result_item("b-1", "t1", targets=BAD_TARGETS)
    [first] = demo.submit(item)
    [again] = demo.submit(item)
    assert first.status == again.status == "rejected"
    assert first.reason == again.reason == "invalid"
    assert first.message == again.message


def test_a_result_after_the_lease_expired_is_rejected(
    server: ServerHandle, demo: Contributor
) -> None:
    server.admin.advance_clock(2 * 86_400 + 60)
    [ack] = demo.submit(result_item("b-1", "t1"))
    assert (ack.status, ack.reason) == ("rejected", "lease_expired")
    assert server.admin.ledger("demo") == []


def test_a_result_for_a_withdrawn_task_is_rejected(server: ServerHandle, demo: Contributor) -> None:
    assert server.admin.withdraw("b-1", ["t2"]) == ["t2"]
    acks = demo.submit(result_item("b-1", "t1"), result_item("b-1", "t2"))
    assert [(ack.status, ack.reason) for ack in acks] == [
        ("accepted", None),
        ("rejected", "withdrawn"),
    ]


def test_a_result_with_a_blocking_problem_is_invalid_with_its_message(
    demo: Contributor,
) -> None:
    [empty] = demo.submit(result_item("b-1", "t1", targets=BAD_TARGETS))
    assert (empty.status, empty.reason) == ("rejected", "invalid")
    assert "empty" in (empty.message or "")
    [lost_placeholder] = demo.submit(
        result_item("b-1", "t2", targets={"s1": "Bonjour", "s2": "Ok"})
    )
    assert lost_placeholder.reason == "invalid"
    assert "{name}" in (lost_placeholder.message or "")
    [wrong_shape] = demo.submit(result_item("b-1", "t3", result={"texts": ["Bonjour"]}))
    assert wrong_shape.reason == "invalid"


def test_results_for_unknown_tasks_or_bundles_are_rejected(demo: Contributor) -> None:
    acks = demo.submit(result_item("b-1", "t99"), result_item("b-none", "t1"))
    assert [(ack.status, ack.reason) for ack in acks] == [("rejected", "unknown_task")] * 2


def test_results_for_a_bundle_never_claimed_are_not_yours(demo: Contributor) -> None:
    [ack] = demo.submit(result_item("b-2", "t1"))
    assert (ack.status, ack.reason) == ("rejected", "not_yours")


def test_a_second_result_for_an_accepted_task_is_not_paid(
    server: ServerHandle, demo: Contributor
) -> None:
    first, second = demo.submit(result_item("b-1", "t1"), result_item("b-1", "t1"))
    assert first.status == "accepted"
    assert (second.status, second.reason) == ("rejected", "invalid")
    assert len(server.admin.ledger("demo")) == 1


def test_a_batch_over_the_largest_batch_is_refused_whole(
    server: ServerHandle, demo: Contributor
) -> None:
    items = [result_item("b-1", "t1", key=uuid.uuid4()) for _ in range(21)]
    response = demo.post("/v1/results", {"results": items})
    assert response.status_code == 413
    assert ErrorBody.model_validate_json(response.content).code == "batch_too_large"
    assert server.admin.results() == []


def test_acks_come_in_the_order_of_the_batch(demo: Contributor) -> None:
    items = [result_item("b-1", f"t{i}") for i in (3, 1, 2)]
    acks = demo.submit(*items)
    assert [str(ack.idempotency_key) for ack in acks] == [i["idempotency_key"] for i in items]


def test_time_spent_on_a_task_is_stored_and_shown_to_admins_and_in_the_ledger(
    server: ServerHandle, demo: Contributor
) -> None:
    timed = result_item("b-1", "t1")
    timed.update(
        active_seconds=42.5,
        elapsed_seconds=95.0,
        started_at=datetime(2031, 5, 2, 9, 30, tzinfo=UTC).isoformat(),
    )
    untimed = result_item("b-1", "t2")  # every timing is optional
    assert [ack.status for ack in demo.submit(timed, untimed)] == ["accepted", "accepted"]
    stored = {result.task_id: result for result in server.admin.results("demo")}
    assert (stored["t1"].active_seconds, stored["t1"].elapsed_seconds) == (42.5, 95.0)
    assert stored["t1"].started_at == datetime(2031, 5, 2, 9, 30, tzinfo=UTC)
    assert (stored["t2"].active_seconds, stored["t2"].started_at) == (None, None)
    entries = {entry.task_id: entry for entry in demo.earnings().entries}
    assert (entries["t1"].active_seconds, entries["t1"].task_kind) == (42.5, "translation")
    assert entries["t2"].active_seconds is None


def test_negative_or_absurd_timings_are_refused_as_a_whole_request(demo: Contributor) -> None:
    item = result_item("b-1", "t1")
    item["active_seconds"] = -1
    response = demo.post("/v1/results", {"results": [item]})
    assert response.status_code == 422
    assert ErrorBody.model_validate_json(response.content).code == "invalid_request"
