"""Checks before a clipping is submitted, and its grade against gold."""

from __future__ import annotations

import json

import numpy as np
import pytest

from taskkinds.base import ExportItem, Problem
from taskkinds.photo_clip import KIND
from taskkinds.photo_clip.checks import boundary_f, grade, validate
from taskkinds.photo_clip.masks import rasterize
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region

PAYLOAD = PhotoClipPayload(
    image="images/0004.webp", width=200, height=100, instruction="the dog", min_area=16
)


def square(x: float, y: float, side: float) -> list[tuple[float, float]]:
    return [(x, y), (x + side, y), (x + side, y + side), (x, y + side)]


def result(*regions: Region) -> PhotoClipResult:
    return PhotoClipResult(regions=list(regions))


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in problems]


def test_one_clean_region_has_no_problem() -> None:
    assert validate(PAYLOAD, result(Region(outer=square(10, 10, 50)))) == []


def test_an_empty_result_says_there_is_nothing_to_submit() -> None:
    problems = validate(PAYLOAD, PhotoClipResult())
    assert codes(problems) == [("no_region", "")]
    assert problems[0].blocking and "Nothing is clipped" in problems[0].message


def test_a_bow_tie_is_self_intersecting_at_its_index() -> None:
    bow_tie = Region(outer=[(10, 10), (60, 60), (60, 10), (10, 60)])
    problems = validate(PAYLOAD, result(Region(outer=square(100, 10, 50)), bow_tie))
    assert codes(problems) == [("self_intersecting", "1")]
    assert "Region 2 crosses itself" in problems[0].message


def test_a_crossed_hole_is_self_intersecting_too() -> None:
    region = Region(outer=square(10, 10, 80), holes=[[(20, 20), (40, 40), (40, 20), (20, 40)]])
    problems = validate(PAYLOAD, result(region))
    assert codes(problems) == [("self_intersecting", "0")]
    assert "hole 1 crosses itself" in problems[0].message


def test_a_region_under_the_minimum_area_is_too_small() -> None:
    tiny = Region(outer=square(10, 10, 3))  # 9 square pixels, 16 needed
    holed = Region(outer=square(50, 10, 5), holes=[square(51, 11, 3)])  # 25 - 9 = 16: fine
    problems = validate(PAYLOAD, result(tiny, holed))
    assert codes(problems) == [("too_small", "0")]
    assert "9 square pixels" in problems[0].message and "16" in problems[0].message


def test_points_more_than_half_a_pixel_outside_the_image_are_refused() -> None:
    on_the_border = Region(outer=[(-0.5, -0.5), (200.5, 0), (200, 100.5), (0, 100)])
    beyond = Region(outer=[(150, 50), (201, 50), (190, 90)])
    above = Region(outer=[(10, -1), (50, 10), (10, 20)])
    problems = validate(PAYLOAD, result(on_the_border, beyond, above))
    assert codes(problems) == [("outside_image", "1"), ("outside_image", "2")]


def test_a_hole_poking_out_of_its_region_or_lying_beside_it_is_refused() -> None:
    poking = Region(outer=square(10, 10, 40), holes=[square(40, 20, 20)])
    beside = Region(outer=square(100, 10, 30), holes=[square(140, 10, 5)])
    along = Region(outer=square(10, 50, 40), holes=[square(10, 60, 10)])  # shares an edge
    touching = Region(outer=square(60, 50, 40), holes=[[(60, 65), (70, 60), (70, 70)]])
    problems = validate(PAYLOAD, result(poking, beside, along, touching))
    assert codes(problems) == [("hole_outside", "0"), ("hole_outside", "1"), ("hole_outside", "2")]
    assert "hole 1 reaches outside the region" in problems[0].message


def test_every_problem_of_a_region_is_reported() -> None:
    crossed = Region(
        outer=[(-10, -10), (50, 50), (50, -10), (-10, 50)], holes=[square(160, 60, 10)]
    )
    tiny = Region(outer=[(199, 99), (203, 99), (203, 103)], holes=[[(1, 1), (2, 1), (2, 2)]])
    assert codes(validate(PAYLOAD, result(crossed, tiny))) == [
        ("self_intersecting", "0"),
        ("hole_outside", "0"),
        ("outside_image", "0"),
        ("hole_outside", "1"),
        ("too_small", "1"),
        ("outside_image", "1"),
    ]


# --- grade ---------------------------------------------------------------------------------


def test_identical_results_grade_one_and_disjoint_ones_zero() -> None:
    gold = result(Region(outer=square(10, 10, 40), holes=[square(20, 20, 10)]))
    assert grade(gold, gold) == 1.0
    assert grade(result(Region(outer=square(100, 10, 40))), gold) == 0.0
    assert grade(PhotoClipResult(), PhotoClipResult()) == 1.0
    assert grade(PhotoClipResult(), gold) == 0.0


def test_half_overlapping_squares_grade_a_third() -> None:
    gold = result(Region(outer=square(0, 0, 40)))
    shifted = result(Region(outer=[(20, 0), (60, 0), (60, 40), (20, 40)]))
    assert grade(shifted, gold) == pytest.approx(1 / 3)


def test_grade_counts_overlapping_regions_once() -> None:
    gold = result(Region(outer=square(0, 0, 40)))
    doubled = result(Region(outer=square(0, 0, 40)), Region(outer=square(0, 0, 40)))
    assert grade(doubled, gold) == 1.0


def test_boundary_f_rewards_outlines_within_the_tolerance() -> None:
    gold = rasterize([Region(outer=square(20, 20, 60))], 100, 100)
    near = rasterize([Region(outer=square(21, 21, 60))], 100, 100)
    far = rasterize([Region(outer=square(30, 30, 60))], 100, 100)
    assert boundary_f(gold, gold) == 1.0
    assert boundary_f(near, gold, tolerance_px=2) == 1.0
    assert boundary_f(near, gold, tolerance_px=0) < 0.2
    assert boundary_f(far, gold) < 0.3
    empty = np.zeros_like(gold)
    assert boundary_f(empty, empty) == 1.0 and boundary_f(empty, gold) == 0.0
    with pytest.raises(ValueError, match="cannot be compared"):
        boundary_f(gold, gold[:50])


# --- the kind as a whole -------------------------------------------------------------------


def test_the_kind_honours_the_task_kind_contract() -> None:
    """What tests/test_kinds.py asks of every registered kind (this one is not yet)."""
    payload = KIND.parse_payload(PAYLOAD.model_dump(mode="json"))
    blank = KIND.new_result(payload)
    problems = KIND.validate(payload, blank)
    assert problems and any(p.blocking for p in problems)
    dumped = json.loads(json.dumps(blank.model_dump(mode="json")))
    assert KIND.parse_result(dumped) == blank
    assert KIND.summarize(payload) == "the dog"
    assert 0.0 <= KIND.grade(blank, blank) <= 1.0
    filled = result(Region(outer=square(10, 10, 50), holes=[square(20, 20, 10)], label="dog"))
    assert KIND.parse_result(json.loads(json.dumps(filled.model_dump(mode="json")))) == filled
    for fmt in KIND.export_formats:
        for answer in (blank, filled):
            data = fmt.write([ExportItem("t1", "b1", payload, answer)])
            assert isinstance(data, bytes) and data
    assert KIND.editor_path == "taskkinds.photo_clip.editor:PhotoClipEditor"


def test_a_result_drawn_far_outside_its_image_is_graded_without_exhausting_memory() -> None:
    gold = result(Region(outer=square(0, 0, 4000)))
    huge = result(Region(outer=[(0, 0), (1e7, 0), (0, 1e7)]))
    assert 0.0 <= grade(huge, gold) < 0.01
    half = result(Region(outer=[(0, 0), (4000, 0), (4000, 2000), (0, 2000)]))
    assert grade(half, gold) == pytest.approx(0.5)
