"""Photo clipping geometry and masks: areas, crossings, simplification, pixels and back."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from pydantic import ValidationError

from taskkinds.photo_clip.checks import iou
from taskkinds.photo_clip.demo import blob_ring
from taskkinds.photo_clip.geometry import (
    bounding_box,
    moved_vertex_crosses,
    point_in_region,
    points_in_ring,
    region_area,
    regions_bounding_box,
    rings_cross,
    self_intersects,
    signed_area,
    simplify,
    simplify_path,
)
from taskkinds.photo_clip.masks import (
    mask_to_regions,
    rasterize,
    rasterize_window,
    stroke_mask,
    subtract,
    union,
)
from taskkinds.photo_clip.model import (
    PhotoClipPayload,
    PhotoClipResult,
    Region,
    new_result,
    summarize,
)

SQUARE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
BOW_TIE = [(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)]


def star(points: int, outer: float = 900.0, inner: float = 450.0) -> np.ndarray:
    """A star with ``points`` tips: 2 × ``points`` vertices, long thin spikes, no crossing."""
    angles = np.arange(2 * points) * math.pi / points
    radii = np.where(np.arange(2 * points) % 2 == 0, outer, inner)
    return np.column_stack([1000 + radii * np.cos(angles), 1000 + radii * np.sin(angles)])


def ring_list(array: np.ndarray) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in array]


# --- model ---------------------------------------------------------------------------------


def test_the_models_refuse_unknown_fields_and_impossible_values() -> None:
    good = {"image": "images/0004.webp", "width": 640, "height": 480, "instruction": "the dog"}
    payload = PhotoClipPayload.model_validate(good)
    assert payload.min_area == 16.0 and payload.hint_box is None
    for bad in (
        {**good, "colour": "red"},
        {**good, "width": 0},
        {**good, "height": 20_001},
        {**good, "instruction": "x" * 501},
        {**good, "hint_box": {"x": 1, "y": 1, "w": -3, "h": 4}},
    ):
        with pytest.raises(ValidationError):
            PhotoClipPayload.model_validate(bad)
    with pytest.raises(ValidationError):
        Region(outer=[(0, 0), (1, 1)])  # two points are not a ring
    with pytest.raises(ValidationError):
        Region.model_validate({"outer": [[0, 0], [1, 0], [1, float("nan")]]})
    with pytest.raises(ValidationError):
        PhotoClipResult.model_validate({"regions": [{"outer": SQUARE}] * 201})


def test_a_new_result_is_empty_and_the_summary_is_the_instruction_on_one_line() -> None:
    payload = PhotoClipPayload(
        image="images/a.webp", width=10, height=10, instruction="  the   dog\nand its ball "
    )
    assert new_result(payload).regions == []
    assert summarize(payload) == "the dog and its ball"
    long = payload.model_copy(update={"instruction": "word " * 40})
    assert len(summarize(long)) == 80 and summarize(long).endswith("…")


# --- areas and containment -----------------------------------------------------------------


def test_area_with_holes_subtracts_the_holes_whatever_the_winding() -> None:
    hole = [(2.0, 2.0), (2.0, 4.0), (4.0, 4.0), (4.0, 2.0)]  # other winding than SQUARE
    assert signed_area(SQUARE) == 100.0
    assert signed_area(list(reversed(SQUARE))) == -100.0
    region = Region(outer=SQUARE, holes=[hole, [(6, 6), (8, 6), (8, 8), (6, 8)]])
    assert region_area(region) == 100.0 - 4.0 - 4.0


def test_points_inside_a_region_are_those_inside_its_outer_ring_and_out_of_its_holes() -> None:
    region = Region(outer=SQUARE, holes=[[(2, 2), (4, 2), (4, 4), (2, 4)]])
    assert point_in_region((5, 5), region)
    assert not point_in_region((3, 3), region)  # in the hole
    assert not point_in_region((11, 5), region)
    assert points_in_ring([(1, 1), (-1, 1), (9.5, 9.5)], SQUARE).tolist() == [True, False, True]


def test_bounding_boxes_cover_every_point() -> None:
    box = bounding_box([(3, 4), (10, -2), (5, 8)])
    assert (box.x, box.y, box.w, box.h) == (3, -2, 7, 10)
    assert regions_bounding_box([]) is None
    both = regions_bounding_box(
        [Region(outer=SQUARE), Region(outer=[(20, 20), (30, 20), (25, 30)])]
    )
    assert both is not None and (both.right, both.bottom) == (30, 30)


# --- crossings -----------------------------------------------------------------------------


def test_a_bow_tie_crosses_itself_and_a_square_does_not() -> None:
    assert self_intersects(BOW_TIE)
    assert not self_intersects(SQUARE)


def test_a_2000_vertex_star_does_not_cross_itself_until_one_spike_is_dragged_across() -> None:
    ring = star(1000)
    assert len(ring) == 2000
    assert not self_intersects(ring)
    dragged = ring.copy()
    dragged[10] = ring[1000] + (3, 3)  # a tip pulled across the star
    assert self_intersects(dragged)
    assert moved_vertex_crosses(ring, 10, tuple(ring[1000] + (3, 3)))
    assert not moved_vertex_crosses(ring, 10, tuple(ring[10] * 0.999 + 1))


def test_passing_through_an_edge_at_a_vertex_and_running_along_one_are_crossings() -> None:
    through_vertex = [(0, 0), (10, 0), (10, 5), (5, 0), (3, -5)]
    along = [(0, 0), (10, 0), (10, -5), (4, -5), (4, 0), (2, 0), (2, 5), (0, 5)]
    assert self_intersects(through_vertex)
    assert self_intersects(along)


def test_touching_at_a_point_is_not_a_crossing() -> None:
    pinch = [(0, 0), (1, 0), (1, 1), (2, 1), (2, 2), (1, 2), (1, 1), (0, 1)]  # two pixels, diagonal
    touch = [(0, 0), (10, 0), (10, 5), (5, 0), (3, 5)]  # a vertex resting on an edge
    assert not self_intersects(pinch)
    assert not self_intersects(touch)


def test_rings_cross_when_their_edges_do() -> None:
    assert rings_cross(SQUARE, [(5, 5), (15, 5), (15, 6)])
    assert not rings_cross(SQUARE, [(2, 2), (3, 2), (3, 3)])


# --- simplification ------------------------------------------------------------------------


def distance_to_ring(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest edge of ``ring``."""
    a, b = ring, np.roll(ring, -1, axis=0)
    ab = b - a
    t = np.clip(np.einsum("pkj,kj->pk", points[:, None] - a, ab) / (ab**2).sum(axis=1), 0, 1)
    nearest = a + t[..., None] * ab
    return np.linalg.norm(points[:, None] - nearest, axis=2).min(axis=1)


def test_simplify_drops_only_points_within_the_tolerance() -> None:
    rng = np.random.default_rng(7)
    ring = blob_ring(rng, (500, 500), 300) + rng.normal(0, 0.3, (720, 2))
    simpler = np.array(simplify(ring, 0.8))
    assert 10 < len(simpler) < 200
    assert distance_to_ring(ring, simpler).max() <= 0.8 + 1e-9
    assert simplify(SQUARE, 5.0) == SQUARE  # never below three points
    assert simplify_path([(0, 0), (1, 0.1), (2, 0), (3, 0)], 0.5) == [(0.0, 0.0), (3.0, 0.0)]


# --- pixels --------------------------------------------------------------------------------


def test_a_pixel_belongs_to_a_region_when_its_centre_does() -> None:
    assert rasterize([Region(outer=SQUARE)], 20, 20).sum() == 100
    shifted = Region(outer=[(2.5, 2.5), (7.5, 2.5), (7.5, 7.5), (2.5, 7.5)])
    assert rasterize([shifted], 20, 20).sum() == 25  # centres 2.5..6.5 on each axis
    donut = Region(outer=SQUARE, holes=[[(3, 3), (6, 3), (6, 6), (3, 6)]])
    mask = rasterize([donut], 20, 20)
    assert mask.sum() == 91 and not mask[4, 4] and mask[0, 0]
    outside = Region(outer=[(-5, -5), (5, -5), (5, 5), (-5, 5)])
    assert rasterize([outside], 20, 20).sum() == 25  # only the part inside the image
    assert rasterize_window([outside], -5, -5, 10, 10).all()


@settings(max_examples=150, deadline=None)
@given(arrays(np.bool_, st.tuples(st.integers(1, 24), st.integers(1, 24))))
def test_a_mask_outlined_exactly_rasterizes_back_to_itself(mask: np.ndarray) -> None:
    regions = mask_to_regions(mask, tolerance=0)
    assert np.array_equal(rasterize(regions, mask.shape[1], mask.shape[0]), mask)


def blob_with_hole(seed: int, width: int, height: int) -> Region:
    rng = np.random.default_rng(seed)
    centre = (width / 2, height / 2)
    outer = blob_ring(rng, centre, min(width, height) * 0.35)
    hole = blob_ring(rng, centre, min(width, height) * 0.1, wobble=0.1)
    return Region(outer=ring_list(outer), holes=[ring_list(hole)])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rasterize_outline_rasterize_keeps_a_shape_with_a_hole(seed: int) -> None:
    mask = rasterize([blob_with_hole(seed, 900, 600)], 900, 600)
    regions = mask_to_regions(mask)  # default simplification
    assert len(regions) == 1 and len(regions[0].holes) == 1
    assert len(regions[0].outer) < 1000
    assert not self_intersects(regions[0].outer)
    assert iou(rasterize(regions, 900, 600), mask) >= 0.99


def test_outlining_keeps_a_crop_in_place_and_drops_small_pieces_and_holes() -> None:
    mask = np.zeros((50, 50), dtype=bool)
    mask[10:40, 10:40] = True
    mask[20:22, 20:22] = False  # a 4-pixel hole
    mask[45:47, 45:47] = True  # a 4-pixel speck
    regions = mask_to_regions(mask, origin=(100, 200), min_area=10, min_hole_area=10, label="box")
    assert len(regions) == 1 and regions[0].holes == [] and regions[0].label == "box"
    assert bounding_box(regions[0].outer).model_dump() == {"x": 110, "y": 210, "w": 30, "h": 30}
    assert mask_to_regions(np.zeros((5, 5), dtype=bool)) == []


def test_a_brush_stroke_adds_and_the_eraser_cuts_a_hole() -> None:
    base = [Region(outer=[(100, 100), (300, 100), (300, 300), (100, 300)], label="box")]
    stroke = stroke_mask([(300, 200), (360, 200)], 10, 400, 400)
    assert stroke[200, 350] and not stroke[215, 350]
    grown = union(base, stroke, 400, 400)
    assert len(grown) == 1 and grown[0].label == "box"
    grown_mask = rasterize(grown, 400, 400)
    assert grown_mask[200, 355] and grown_mask.sum() > 200 * 200
    erased = subtract(grown, stroke_mask([(200, 200)], 20, 400, 400), 400, 400)
    assert len(erased) == 1 and len(erased[0].holes) == 1
    assert not rasterize(erased, 400, 400)[200, 200]
    split = subtract(base, [Region(outer=[(190, 0), (210, 0), (210, 400), (190, 400)])], 400, 400)
    assert len(split) == 2  # cut in two
    assert subtract(base, [Region(outer=[(0, 0), (400, 0), (400, 400), (0, 400)])], 400, 400) == []
    elsewhere = union(base, stroke_mask([(380, 380)], 5, 400, 400), 400, 400)
    assert elsewhere[0] == base[0]  # a region the stroke does not reach stays as drawn
    assert len(elsewhere) == 2 and elsewhere[1].label == "box"
    added = union([], [Region(outer=SQUARE, label="a")], 400, 400)
    assert rasterize(added, 400, 400).sum() == 100 and added[0].label == "a"
    with pytest.raises(ValueError, match="400 × 400"):
        union(base, np.zeros((10, 10), dtype=bool), 400, 400)
