"""The mock server's decisions on their own: rotation, cap, cursors, ranges, fault plans."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mockserver.clock import ServerClock
from mockserver.download import parse_range
from mockserver.earnings import parse_cursor
from mockserver.faults import FaultController, FaultPlan, is_faultable
from mockserver.rules import cap_blocks, rotation_blocks, year_bounds
from sync.protocol_admin import FaultSettings


@pytest.mark.parametrize(
    ("recent", "offered", "blocked"),
    [
        (["translation"] * 3, ["photo_clip"], True),
        (["translation"] * 3, ["translation"], False),  # nothing else to rotate to
        (["translation"] * 2, ["photo_clip"], False),  # not yet N claims
        (["translation", "photo_clip", "translation"], ["photo_clip"], False),
        (["translation"] * 5, [], False),
    ],
)
def test_rotation_blocks_after_n_claims_of_one_kind_when_another_is_offered(
    recent: list[str], offered: list[str], blocked: bool
) -> None:
    assert rotation_blocks(recent, "translation", offered, 3) is blocked


def test_rotation_zero_turns_the_rule_off() -> None:
    assert not rotation_blocks(["translation"] * 9, "translation", ["photo_clip"], 0)


def test_the_cap_blocks_only_what_would_pass_it() -> None:
    cap = Decimal("3000")
    assert not cap_blocks(Decimal("2999"), Decimal("0.5"), Decimal("0.5"), cap)  # reaching is fine
    assert cap_blocks(Decimal("2999"), Decimal("0.5"), Decimal("0.51"), cap)


def test_the_year_is_the_calendar_year_of_the_server_clock() -> None:
    start, end = year_bounds(datetime(2031, 7, 1, tzinfo=UTC))
    assert datetime.fromtimestamp(start, UTC) == datetime(2031, 1, 1, tzinfo=UTC)
    assert datetime.fromtimestamp(end, UTC) == datetime(2032, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("cursor", "expected"),
    [
        (None, (0, False)),
        ("", (0, False)),
        ("ep.7", (7, False)),
        ("ep.10", (10, False)),
        ("ep.11", (0, True)),  # beyond the last change
        ("old.3", (0, True)),
        ("ep.x", (0, True)),
        ("7", (0, True)),
    ],
)
def test_cursors_parse_or_ask_for_a_reset(cursor: str | None, expected: tuple[int, bool]) -> None:
    assert parse_cursor(cursor, "ep", 10) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-", (0, 99)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-500", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=100-", "unsatisfiable"),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-", None),
    ],
)
def test_range_headers(header: str | None, expected: object) -> None:
    assert parse_range(header, 100) == expected


def test_the_clock_only_moves_forward() -> None:
    offsets: list[float] = []
    clock = ServerClock(on_change=offsets.append)
    before = clock.now()
    clock.advance(60)
    assert (clock.now() - before).total_seconds() >= 60
    assert offsets == [60]
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_admin_routes_and_documents_are_never_faulted() -> None:
    assert is_faultable("/v1/results")
    assert is_faultable("/v1/bundles/b/archive")
    assert not is_faultable("/v1/admin/faults")
    assert not is_faultable("/openapi.json")
    assert not is_faultable("/docs")


def plans(seed: int, count: int = 50, **settings: object) -> list[FaultPlan]:
    controller = FaultController(FaultSettings(**settings), seed=seed)  # type: ignore[arg-type]
    return [controller.plan("POST", "/v1/results") for _ in range(count)]


def test_a_seed_replays_the_same_fault_plans() -> None:
    settings = {"error_probability": 0.3, "drop_probability": 0.2, "jitter_ms": 50}
    assert plans(1, **settings) == plans(1, **settings)
    assert plans(1, **settings) != plans(2, **settings)


def test_probabilities_zero_and_one_are_never_and_always() -> None:
    assert all(plan.error_status in (500, 502, 503) for plan in plans(5, error_probability=1.0))
    assert all(plan.clean for plan in plans(5))
    assert all(plan.drop for plan in plans(5, drop_probability=1.0))


def test_cut_every_applies_to_archive_downloads_only() -> None:
    controller = FaultController(FaultSettings(cut_every_bytes=1000), seed=1)
    assert controller.plan("GET", "/v1/bundles/b/archive").cut_after == 1000
    assert controller.plan("GET", "/v1/earnings").cut_after is None
