"""Gold questions on the mock server: mixed into work unseen, graded, reported as accuracy."""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mockserver import demo_data
from mockserver.rules import accuracy_level, gold_count
from mockserver.testing import ServerHandle, running_server
from sync.protocol import AccuracyReport, AccuracyStatus, Catalogue, ErrorBody, KindAccuracy
from sync.protocol_admin import PlatformPolicy
from taskkinds.transcription.model import result_from_text
from tests.mockserver_util import GOOD_TARGETS, Contributor, result_item, sign_in, translation_zip

WRONG_TARGETS = {"s1": "Salut {name}", "s2": "Sauver"}  # valid, but far from the gold


def accuracy_of(who: Contributor, kind: str = "translation") -> KindAccuracy:
    report = AccuracyReport.model_validate_json(who.get("/v1/accuracy").content)
    return next(item for item in report.kinds if item.kind == kind)


def catalogue_of(who: Contributor) -> Catalogue:
    return Catalogue.model_validate_json(who.get("/v1/catalogue").content)


# ---------------------------------------------------------------- mixed into demo bundles


@pytest.fixture
def all_gold(tmp_path: Path) -> Iterator[ServerHandle]:
    """Every task whose answer the server knows is a gold question."""
    with running_server(
        tmp_path / "s", gold_rate=1.0, rotation=0, seed=2, demo_copies=1, qualified_copies=0
    ) as handle:
        yield handle


def transcript_items(bundle_id: str, golds: dict[str, Any], right: set[str]) -> list[dict]:
    items = []
    for task_id, gold in golds.items():
        result = gold if task_id in right else result_from_text("I could not hear it")
        items.append(
            {
                "idempotency_key": str(uuid.uuid4()),
                "bundle_id": bundle_id,
                "task_id": task_id,
                "kind": "transcription",
                "result": result if isinstance(result, dict) else result.model_dump(mode="json"),
                "submitted_at": datetime.now(UTC).isoformat(),
                "active_seconds": 45.0,
            }
        )
    return items


def test_gold_questions_are_graded_and_their_answers_never_reach_the_contributor(
    all_gold: ServerHandle,
) -> None:
    demo = sign_in(all_gold.url)
    seen: list[bytes] = []  # every answer the contributor's side receives

    def get(path: str) -> bytes:
        response = demo.get(path)
        assert response.status_code == 200
        seen.append(response.content)
        return response.content

    get("/v1/catalogue")
    claim = demo.post("/v1/claims", {"bundle_id": "demo-transcription"})
    seen.append(claim.content)
    archive = get("/v1/bundles/demo-transcription/archive")
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        seen += [opened.read(name) for name in opened.namelist()]

    golds = demo_data.demo_golds()["demo-transcription"]
    right = {"en-weather", "fr-gare", "fr-reservation"}
    response = demo.post(
        "/v1/results", {"results": transcript_items("demo-transcription", golds, right)}
    )
    seen.append(response.content)
    assert {ack["status"] for ack in response.json()["acks"]} == {"accepted"}
    for path in ("/v1/earnings", "/v1/leases", "/v1/accuracy", "/v1/qualifications"):
        get(path)

    stored = {r.task_id: r for r in all_gold.admin.results("demo")}
    assert {r.graded_as for r in stored.values()} == {"gold"}
    assert {task_id for task_id, r in stored.items() if r.score == 1.0} == right
    assert all(r.score is not None and r.score < 0.5 for t, r in stored.items() if t not in right)

    accuracy = accuracy_of(demo, "transcription")
    assert accuracy.graded == 5
    assert accuracy.mean_score == pytest.approx(sum(stored[t].score or 0 for t in golds) / 5)
    assert accuracy.status is AccuracyStatus.AT_RISK  # 3 right out of 5: under 70 %
    assert "transcription" in accuracy.consequence and "50%" in accuracy.consequence

    # Gold questions are paid like any task: nothing tells them apart.
    assert len(all_gold.admin.ledger("demo")) == 5
    everything = b"".join(seen)
    for gold in golds.values():
        assert gold["text"].encode() not in everything
    assert b"gold" not in everything.lower()


def test_the_gold_rate_applies_to_bundles_published_after_it_changes(
    all_gold: ServerHandle,
) -> None:
    assert len(all_gold.state.store.gold_task_ids("demo-transcription")) == 5
    all_gold.admin.update_policy(gold_rate=0.0)
    [plain] = all_gold.admin.publish_demo("transcription")
    assert all_gold.state.store.gold_task_ids(plain.bundle_id) == []
    all_gold.admin.update_policy(gold_rate=0.4)
    [some] = all_gold.admin.publish_demo("transcription")
    assert len(all_gold.state.store.gold_task_ids(some.bundle_id)) == 2  # 40 % of 5 tasks

    demo = sign_in(all_gold.url)
    demo.claim(plain.bundle_id)
    golds = demo_data.demo_golds()["demo-transcription"]
    demo.submit(*transcript_items(plain.bundle_id, golds, set(golds)))
    assert {r.graded_as for r in all_gold.admin.results("demo")} == {None}
    assert accuracy_of(demo, "transcription").graded == 0


# ------------------------------------------------------ what accuracy withholds and unlocks


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[ServerHandle]:
    policy = PlatformPolicy(
        rotation=0,
        accuracy_window=5,
        accuracy_min_graded=2,
        accuracy_warn_below=0.7,
        accuracy_withhold_below=0.5,
        accuracy_pause_minutes=60,
        accuracy_grant_at=0.95,
        accuracy_grant_graded=3,
    )
    with running_server(tmp_path / "s", publish_demo=False, policy=policy) as handle:
        for bundle_id, tasks in (("b-1", 4), ("b-2", 2), ("b-3", 3)):
            handle.admin.publish_file(translation_zip(tmp_path / "zips", bundle_id, tasks=tasks))
        for task_id in ("t1", "t2", "t3"):
            handle.admin.set_gold("b-1", task_id, {"targets": GOOD_TARGETS})
            handle.admin.set_gold("b-3", task_id, {"targets": GOOD_TARGETS})
        yield handle


def test_low_accuracy_withholds_the_kind_for_a_while_then_starts_afresh(
    strict: ServerHandle,
) -> None:
    demo = sign_in(strict.url)
    demo.claim("b-1")
    demo.submit(result_item("b-1", "t1"))  # right
    first = accuracy_of(demo)
    assert (first.status, first.graded) == (AccuracyStatus.UNRATED, 1)
    assert "1 of 2" in first.consequence

    demo.submit(result_item("b-1", "t2", targets=WRONG_TARGETS))
    risky = accuracy_of(demo)
    assert risky.status is AccuracyStatus.AT_RISK
    assert risky.mean_score is not None and 0.5 <= risky.mean_score < 0.7

    demo.submit(result_item("b-1", "t3", targets=WRONG_TARGETS))
    withheld = accuracy_of(demo)
    assert withheld.status is AccuracyStatus.WITHHELD and withheld.withheld_until is not None
    assert "withheld until" in withheld.consequence

    [entry] = [e for e in catalogue_of(demo).bundles if e.bundle_id == "b-2"]
    assert entry.withheld_code == "accuracy_too_low" and not entry.claimable
    assert entry.withheld_until == withheld.withheld_until
    assert entry.withheld_reason is not None and "accuracy" in entry.withheld_reason
    refused = demo.post("/v1/claims", {"bundle_id": "b-2"})
    assert refused.status_code == 403
    body = ErrorBody.model_validate_json(refused.content)
    assert body.code == "accuracy_too_low"
    assert body.retry_after is not None and 3500 < body.retry_after <= 3600
    # Another contributor is not affected.
    assert catalogue_of(sign_in(strict.url, "alice")).bundles[0].withheld_code is None

    strict.admin.advance_clock(3601)
    assert demo.claim("b-2").bundle_id == "b-2"
    fresh = accuracy_of(demo)
    assert (fresh.status, fresh.graded, fresh.withheld_until) == (AccuracyStatus.UNRATED, 0, None)


def test_high_accuracy_earns_the_kinds_qualification(strict: ServerHandle) -> None:
    alice = sign_in(strict.url, "alice")
    alice.claim("b-3")
    alice.submit(*(result_item("b-3", f"t{i}") for i in (1, 2, 3)))
    good = accuracy_of(alice)
    assert (good.status, good.graded, good.mean_score) == (AccuracyStatus.GOOD, 3, 1.0)
    assert "You hold the 'Translator' qualification" in good.consequence
    [translation] = [
        q for q in strict.admin.qualifications("alice").qualifications if q.kind == "translation"
    ]
    assert translation.status == "passed"
    assert translation.certificate is not None and translation.certificate.source == "accuracy"


def test_admin_fresh_start_ends_a_withholding(strict: ServerHandle) -> None:
    demo = sign_in(strict.url)
    demo.claim("b-1")
    demo.submit(*(result_item("b-1", t, targets=WRONG_TARGETS) for t in ("t1", "t2")))
    assert accuracy_of(demo).status is AccuracyStatus.WITHHELD
    assert strict.admin.reset_withholding("demo", "translation") == ["translation"]
    assert accuracy_of(demo).status is AccuracyStatus.UNRATED
    assert demo.claim("b-2").bundle_id == "b-2"


def test_a_gold_answer_must_fit_the_kind(strict: ServerHandle) -> None:
    from mockserver.admin_client import AdminError

    with pytest.raises(AdminError) as refused:
        strict.admin.set_gold("b-2", "t1", {"targets": "not a mapping"})
    assert refused.value.status == 422
    with pytest.raises(AdminError) as missing:
        strict.admin.set_gold("b-2", "t9", {"targets": GOOD_TARGETS})
    assert missing.value.status == 404


# ---------------------------------------------------------------- the rules alone


@pytest.mark.parametrize(
    ("rate", "tasks", "draw", "expected"),
    [
        (0.05, 20, 0.99, 1),
        (0.05, 11, 0.5, 1),  # 0.55 expected: one with probability 0.55
        (0.05, 11, 0.6, 0),
        (0.0, 11, 0.0, 0),
        (1.0, 6, 0.0, 6),
        (0.4, 5, 0.99, 2),
    ],
)
def test_gold_count_rounds_the_expected_number_at_random(
    rate: float, tasks: int, draw: float, expected: int
) -> None:
    assert gold_count(rate, tasks, draw) == expected


def test_accuracy_levels_judge_the_last_window_of_scores() -> None:
    judge = {
        "window": 4,
        "min_graded": 2,
        "warn_below": 0.7,
        "withhold_below": 0.5,
        "grant_at": 0.9,
        "grant_graded": 4,
    }
    assert accuracy_level([], **judge).status == "unrated"
    assert accuracy_level([0.0], **judge).withhold is False  # one is not enough to judge
    low = accuracy_level([1.0, 0.1, 0.2, 0.3, 0.4], **judge)  # the 1.0 left the window
    assert (low.graded, low.status, low.withhold) == (4, "at_risk", True)
    assert low.mean == pytest.approx(0.25)
    high = accuracy_level([0.9, 1.0, 0.95, 0.92], **judge)
    assert (high.status, high.grant, high.withhold) == ("good", True, False)
    assert accuracy_level([1.0, 1.0], **judge).grant is False  # needs 4 graded
