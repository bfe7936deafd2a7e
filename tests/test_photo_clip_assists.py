"""Assisted clipping on real generated photos with real OpenCV, and hostile photo files."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from taskkinds.photo_clip.assists import (
    ImageUnreadable,
    grabcut_proposal,
    load_rgb,
    magic_wand,
    scissors_path,
)
from taskkinds.photo_clip.checks import iou, validate
from taskkinds.photo_clip.demo import Scene, generate_scene
from taskkinds.photo_clip.geometry import as_array, regions_bounding_box
from taskkinds.photo_clip.masks import rasterize
from taskkinds.photo_clip.model import Box, PhotoClipResult


@pytest.fixture(scope="module")
def large_scene() -> Scene:
    """3000 × 2000: large enough that GrabCut works on a downscaled crop."""
    return generate_scene(4, 3000, 2000)


def gold_mask(scene: Scene) -> np.ndarray:
    return rasterize(scene.gold.regions, scene.payload.width, scene.payload.height)


def box_around(scene: Scene, margin: float) -> Box:
    box = regions_bounding_box(scene.gold.regions)
    assert box is not None
    return Box(x=box.x - margin, y=box.y - margin, w=box.w + 2 * margin, h=box.h + 2 * margin)


def test_a_grabcut_proposal_on_a_generated_scene_matches_its_gold(large_scene: Scene) -> None:
    box = box_around(large_scene, 40)
    assert max(box.w, box.h) > 640  # the crop really is downscaled
    regions = grabcut_proposal(large_scene.image, box)
    assert regions, "no proposal"
    assert iou(rasterize(regions, 3000, 2000), gold_mask(large_scene)) >= 0.9
    # A proposal is an ordinary result that passes the checks.
    assert validate(large_scene.payload, PhotoClipResult(regions=regions)) == []
    assert grabcut_proposal(large_scene.image, box) == regions  # deterministic


def test_a_grabcut_box_too_small_asks_for_a_larger_one(large_scene: Scene) -> None:
    with pytest.raises(ValueError, match="larger box"):
        grabcut_proposal(large_scene.image, Box(x=10, y=10, w=1, h=30))


@pytest.mark.parametrize("hole", [False, True])
def test_the_magic_wand_fills_a_flat_coloured_object(hole: bool) -> None:
    scene = generate_scene(3, 1200, 800, flat=True, hole=hole)
    gold = gold_mask(scene)
    rows, columns = np.nonzero(gold)
    seed = (columns[len(columns) // 3] + 0.5, rows[len(rows) // 3] + 0.5)
    regions = magic_wand(scene.image, seed, 40)
    assert iou(rasterize(regions, 1200, 800), gold) >= 0.95
    assert len(regions) == 1 and len(regions[0].holes) == (1 if hole else 0)
    assert magic_wand(scene.image, (-5, 10), 40) == []


def test_the_magic_wand_on_a_large_area_works_on_a_downscaled_copy() -> None:
    image = np.full((2400, 2400, 3), 200, dtype=np.uint8)
    image[:, 2000:] = (20, 40, 60)
    regions = magic_wand(image, (100, 100), 30)
    assert iou(rasterize(regions, 2400, 2400), np.all(image == 200, axis=2)) >= 0.99


def test_scissors_follow_a_strong_edge_between_anchors() -> None:
    scene = generate_scene(3, 1200, 800, flat=True)
    outline = as_array(scene.gold.regions[0].outer)
    anchors = [tuple(outline[i]) for i in (0, 90, 180)]  # a quarter of the outline
    path = np.array(scissors_path(scene.image, anchors))
    assert tuple(path[0]) == anchors[0] and tuple(path[-1]) == anchors[-1]
    assert distance_to_outline(path, outline).max() <= 3.0
    # A straight line between the same anchors strays far from the edge.
    chord = np.linspace(anchors[0], anchors[1], 50)
    assert distance_to_outline(chord, outline).max() > 10
    assert scissors_path(scene.image, anchors[:1]) == [anchors[0]]


def distance_to_outline(points: np.ndarray, ring: np.ndarray) -> np.ndarray:
    a, b = ring, np.roll(ring, -1, axis=0)
    ab = b - a
    t = np.clip(np.einsum("pkj,kj->pk", points[:, None] - a, ab) / (ab**2).sum(axis=1), 0, 1)
    return np.linalg.norm(points[:, None] - (a + t[..., None] * ab), axis=2).min(axis=1)


def test_assists_refuse_what_is_not_an_rgb_photo() -> None:
    with pytest.raises(ValueError, match="RGB uint8"):
        magic_wand(np.zeros((10, 10), dtype=np.uint8), (1, 1), 10)


# --- reading photos --------------------------------------------------------------------------


def encoded(image: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format=fmt)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header promises ``width × height`` RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_load_rgb_reads_each_payload_format(tmp_path: Path, fmt: str) -> None:
    pixels = np.zeros((30, 40, 3), dtype=np.uint8)
    pixels[:, 20:] = (250, 10, 10)
    path = tmp_path / f"photo.{fmt.lower()}"
    path.write_bytes(encoded(pixels, fmt))
    loaded = load_rgb(path)
    assert loaded.shape == (30, 40, 3) and loaded.dtype == np.uint8
    assert abs(int(loaded[15, 30, 0]) - 250) < 20


def test_greyscale_and_transparent_photos_come_back_as_rgb(tmp_path: Path) -> None:
    Image.new("LA", (8, 6), (90, 128)).save(tmp_path / "grey.png")
    assert load_rgb(tmp_path / "grey.png")[0, 0].tolist() == [90, 90, 90]


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "0004.png"
    path.write_bytes(png_header_only(100_000, 100_000))
    with pytest.raises(ImageUnreadable) as caught:
        load_rgb(path)
    message = str(caught.value)
    assert "'0004.png'" in message and "more pixels than Ouvrage opens safely" in message
    assert "smaller copy" in message


def test_a_photo_over_the_pixel_limit_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(png_header_only(9000, 9000))
    with pytest.raises(ImageUnreadable, match="9000 × 9000 pixels"):
        load_rgb(path)


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "PNG"])
def test_a_truncated_photo_is_refused_clearly(tmp_path: Path, fmt: str) -> None:
    rng = np.random.default_rng(1)
    data = encoded(rng.integers(0, 256, (200, 300, 3), dtype=np.uint8), fmt)
    path = tmp_path / f"0004.{fmt.lower()}"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageUnreadable) as caught:
        load_rgb(path)
    message = str(caught.value)
    assert f"'0004.{fmt.lower()}'" in message
    assert "cut short" in message or "damaged" in message
    assert "Download the bundle again" in message


def test_a_missing_or_foreign_file_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(ImageUnreadable, match="missing"):
        load_rgb(tmp_path / "absent.webp")
    (tmp_path / "notes.webp").write_text("not a photo")
    with pytest.raises(ImageUnreadable, match="not a PNG, JPEG or WebP"):
        load_rgb(tmp_path / "notes.webp")
    gif = tmp_path / "anim.png"
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(ImageUnreadable, match="not a PNG, JPEG or WebP"):
        load_rgb(gif)
