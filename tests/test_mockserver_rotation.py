"""Rotation and fatigue on the mock server: a kind withheld for a while, and the catalogue
saying why."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from mockserver.rules import fatigue_until
from mockserver.testing import ServerHandle, running_server
from sync.protocol import Catalogue, CatalogueEntry, ErrorBody
from sync.protocol_admin import PlatformPolicy
from tests.mockserver_util import (
    Contributor,
    result_item,
    sign_in,
    tally_zip,
    translation_zip,
    two_kind_registry,
)

MINUTE = 60


def offers(who: Contributor) -> dict[str, CatalogueEntry]:
    catalogue = Catalogue.model_validate_json(who.get("/v1/catalogue").content)
    return {entry.bundle_id: entry for entry in catalogue.bundles}


def refusal(who: Contributor, bundle_id: str) -> ErrorBody:
    response = who.post("/v1/claims", {"bundle_id": bundle_id})
    assert response.status_code == 403, response.text
    return ErrorBody.model_validate_json(response.content)


@pytest.fixture
def tiring(tmp_path: Path) -> Iterator[ServerHandle]:
    """Three results of one kind within an hour pause that kind for 30 minutes."""
    with running_server(
        tmp_path / "s",
        publish_demo=False,
        registry=two_kind_registry(),
        rotation=0,
        fatigue_results=3,
        fatigue_window_minutes=60,
        fatigue_pause_minutes=30,
    ) as handle:
        zips = tmp_path / "zips"
        for bundle_id in ("b-1", "b-2"):
            handle.admin.publish_file(translation_zip(zips, bundle_id, tasks=3))
        handle.admin.publish_file(tally_zip(zips, "c-1"))
        yield handle


def test_many_results_of_one_kind_pause_it_and_the_catalogue_says_until_when(
    tiring: ServerHandle,
) -> None:
    demo = sign_in(tiring.url)
    demo.claim("b-1")
    demo.submit(*(result_item("b-1", f"t{i}") for i in (1, 2)))
    assert offers(demo)["b-2"].withheld_code is None  # two are not enough

    demo.submit(result_item("b-1", "t3"))
    last = max(result.received_at for result in tiring.admin.results("demo"))
    paused = offers(demo)
    entry = paused["b-2"]
    assert entry.withheld_code == "rotation" and not entry.claimable
    assert entry.withheld_until is not None
    assert abs(entry.withheld_until - (last + timedelta(minutes=30))) < timedelta(seconds=1)
    assert entry.withheld_reason is not None
    assert "3 translation results within 60 minutes" in entry.withheld_reason
    assert "paused until" in entry.withheld_reason
    assert paused["c-1"].withheld_code is None  # other kinds stay open

    body = refusal(demo, "b-2")
    assert body.code == "rotation" and body.message == entry.withheld_reason
    assert body.retry_after is not None and 0 < body.retry_after <= 30 * MINUTE
    assert demo.claim("c-1").kind == "tally"
    assert offers(sign_in(tiring.url, "alice"))["b-2"].withheld_code is None

    tiring.admin.advance_clock(30 * MINUTE + 1)
    assert offers(demo)["b-2"].withheld_code is None
    assert demo.claim("b-2").bundle_id == "b-2"


def test_an_admin_turns_fatigue_off_while_the_server_runs(tiring: ServerHandle) -> None:
    demo = sign_in(tiring.url)
    demo.claim("b-1")
    demo.submit(*(result_item("b-1", f"t{i}") for i in (1, 2, 3)))
    assert offers(demo)["b-2"].withheld_code == "rotation"
    policy = tiring.admin.update_policy(fatigue_results=0)
    assert (policy.fatigue_results, policy.fatigue_pause_minutes) == (0, 30)
    assert offers(demo)["b-2"].withheld_code is None


@pytest.fixture
def rotating(tmp_path: Path) -> Iterator[ServerHandle]:
    """After two claims of one kind, another kind first."""
    with running_server(
        tmp_path / "s", publish_demo=False, registry=two_kind_registry(), rotation=2
    ) as handle:
        zips = tmp_path / "zips"
        for index in (1, 2, 3):
            handle.admin.publish_file(translation_zip(zips, f"b-{index}"))
            handle.admin.publish_file(tally_zip(zips, f"c-{index}"))
        yield handle


def test_consecutive_claims_of_one_kind_withhold_it_until_another_kind_is_claimed(
    rotating: ServerHandle,
) -> None:
    demo = sign_in(rotating.url)
    demo.claim("b-1")
    demo.claim("b-2")
    entry = offers(demo)["b-3"]
    assert entry.withheld_code == "rotation" and entry.withheld_until is None
    assert entry.withheld_reason == (
        "Your last 2 bundles were all translation. Claim a bundle of another kind first."
    )
    assert offers(demo)["c-1"].withheld_code is None
    assert refusal(demo, "b-3").retry_after is None
    demo.claim("c-1")
    assert offers(demo)["b-3"].withheld_code is None
    assert demo.claim("b-3").bundle_id == "b-3"


def test_rotation_never_sends_a_contributor_to_bundles_they_cannot_claim(
    rotating: ServerHandle, tmp_path: Path
) -> None:
    for index in (1, 2, 3):
        rotating.admin.withdraw(f"b-{index}")
    rotating.admin.publish_file(
        translation_zip(tmp_path / "more", "b-locked"), qualification="translation"
    )
    demo = sign_in(rotating.url)
    demo.claim("c-1")
    demo.claim("c-2")
    assert offers(demo)["b-locked"].locked
    assert offers(demo)["c-3"].withheld_code is None  # translation is only on offer locked
    rotating.admin.grant_qualification("demo", "translation")
    assert offers(demo)["c-3"].withheld_code == "rotation"
    rotating.admin.reset_withholding("demo")
    assert offers(demo)["c-3"].withheld_code is None


def test_the_policy_refuses_thresholds_out_of_order(rotating: ServerHandle) -> None:
    with pytest.raises(ValueError, match="cannot be above"):
        rotating.admin.update_policy(accuracy_withhold_below=0.9, accuracy_warn_below=0.5)
    answer = requests.put(
        rotating.url + "/v1/admin/policy",
        json={"accuracy_withhold_below": 0.9, "accuracy_warn_below": 0.5},
        headers={"X-Admin-Token": rotating.admin_token},
        timeout=10,
    )
    assert answer.status_code == 422
    assert ErrorBody.model_validate_json(answer.content).code == "invalid_request"
    assert rotating.admin.get_policy() == PlatformPolicy(rotation=2)


# ---------------------------------------------------------------- the rule alone


@pytest.mark.parametrize(
    ("times", "now", "expected"),
    [
        ([], 0, None),
        ([0, 10, 20], 25, 20 + 300),  # 3 within 100 s: paused 300 s from the third
        ([0, 10, 20], 320, None),  # the pause is over
        ([0, 50, 101], 102, None),  # never 3 within 100 s
        ([0, 10, 20, 30, 40], 45, 20 + 300),  # results during a pause do not count
        ([0, 10, 20, 330, 340], 345, None),  # counting starts afresh after a pause
        ([0, 10, 20, 330, 340, 350], 355, 350 + 300),
    ],
)
def test_fatigue_pauses_a_kind_after_n_results_within_the_window(
    times: list[float], now: float, expected: float | None
) -> None:
    assert fatigue_until(times, 3, 100, 300, now) == expected


def test_fatigue_zero_turns_the_rule_off() -> None:
    assert fatigue_until([0, 1, 2, 3], 0, 100, 300, 5) is None
    assert fatigue_until([0, 1, 2, 3], 2, 100, 0, 5) is None
