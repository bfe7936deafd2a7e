"""Clipping exports: COCO (polygons and RLE), labelme, PNG masks and RGBA cut-outs."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from taskkinds.base import ExportItem
from taskkinds.photo_clip import KIND, rle
from taskkinds.photo_clip.export import (
    LABELME_HOLE_LABEL,
    coco_document,
    cutout_png,
    labelme_document,
    mask_png,
    to_coco,
    to_labelme_zip,
    to_mask_zip,
)
from taskkinds.photo_clip.images import ImageUnreadable
from taskkinds.photo_clip.masks import rasterize
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region

PAYLOAD = PhotoClipPayload(image="images/a.webp", width=100, height=80, instruction="the dog")
DOG = Region(
    outer=[(10, 10), (60, 10), (60, 60), (10, 60)],
    holes=[[(20, 20), (30, 20), (30, 30), (20, 30)]],
    label="dog",
)
BALL = Region(outer=[(70, 5), (90, 5), (80, 30)])
RESULT = PhotoClipResult(regions=[DOG, BALL])


def item(task_id: str = "t1", payload: PhotoClipPayload = PAYLOAD) -> ExportItem:
    return ExportItem(task_id, "b-17", payload, RESULT)


# --- COCO RLE --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(arrays(np.bool_, st.tuples(st.integers(0, 40), st.integers(0, 40))))
def test_compressed_rle_round_trips_any_mask(mask: np.ndarray) -> None:
    encoded = rle.encode(mask)
    assert encoded["size"] == list(mask.shape)
    assert set(encoded["counts"]) <= {chr(c) for c in range(48, 112)}
    assert np.array_equal(rle.decode(encoded), mask)
    counts = rle.counts_from_mask(mask)
    assert sum(counts) == mask.size
    assert np.array_equal(rle.decode({"size": list(mask.shape), "counts": counts}), mask)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**31), min_size=1, max_size=60))
def test_the_count_string_codec_round_trips_large_and_shrinking_counts(counts: list[int]) -> None:
    assert rle.counts_from_string(rle.counts_to_string(counts)) == counts


def test_rle_matches_strings_written_by_pycocotools() -> None:
    # Produced with pycocotools.mask.encode on the same masks.
    small = np.zeros((6, 5), dtype=bool)
    small[1:4, 1:3] = True
    small[5, 4] = small[0, 4] = True
    assert rle.encode(small) == {"size": [6, 5], "counts": "73305NL0"}
    assert rle.encode(np.ones((3, 3), dtype=bool))["counts"] == "09"
    assert rle.encode(np.zeros((2, 5), dtype=bool))["counts"] == ":"
    yy, xx = np.mgrid[0:400, 0:600]
    ellipse = ((xx - 300) ** 2 / 250**2 + (yy - 200) ** 2 / 150**2) < 1
    ellipse[150:250, 250:350] = False
    counts = rle.encode(ellipse)["counts"]
    assert counts.startswith("[Sd0k0`;:F:H6J6J6J6K4L4L4K6L2M4L4L4M2M4M2M4M2M4M2N2M4M2N2N2N")
    digest = "327ebdf06c2acb783733099a7961bc081bffc0c12f1586c2d3b6ba5a5c80a52c"
    assert hashlib.sha256(counts.encode()).hexdigest() == digest
    assert int(rle.decode(rle.encode(ellipse)).sum()) == 107757


def test_a_region_encoded_from_its_box_equals_the_full_mask_encoding() -> None:
    mask = np.zeros((80, 100), dtype=bool)
    mask[0:80, 30:40] = True  # runs that continue from one column into the next
    mask[5:9, 70:71] = True
    window = mask[0:80, 30:71]
    assert rle.encode_window(window, 30, 0, 80, 100) == rle.counts_from_mask(mask)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"size": [2, 2], "counts": "0a"}, "cut short"),
        ({"size": [2, 2], "counts": "0~"}, "characters"),
        ({"size": [2, 2], "counts": [1, 2]}, "add up to 3"),
        ({"counts": "0"}, "size"),
        ({"size": [2, 2], "counts": [1, -1, 4]}, "negative"),
    ],
)
def test_a_malformed_rle_is_refused(bad: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rle.decode(bad)


# --- COCO ------------------------------------------------------------------------------------


def test_coco_json_has_the_fields_coco_tools_read() -> None:
    document = json.loads(to_coco([item("t1"), item("t2")]))
    assert set(document) >= {"images", "annotations", "categories"}
    # Two tasks on the same photo of the same bundle share one image entry.
    assert document["images"] == [
        {"id": 1, "file_name": "b-17/images/a.webp", "width": 100, "height": 80}
    ]
    assert [c["name"] for c in document["categories"]] == ["dog", "object"]
    annotations = document["annotations"]
    assert [a["id"] for a in annotations] == [1, 2, 3, 4]
    for annotation in annotations:
        assert set(annotation) >= {"id", "image_id", "category_id", "segmentation", "area"}
        assert annotation["iscrowd"] == 0 and annotation["image_id"] == 1
        assert len(annotation["bbox"]) == 4
    dog, ball = annotations[0], annotations[1]
    assert dog["bbox"] == [10.0, 10.0, 50.0, 50.0] and dog["area"] == 2500 - 100
    # COCO polygons cannot hold holes: the dog comes as RLE, the ball as a polygon.
    assert np.array_equal(rle.decode(dog["segmentation"]), rasterize([DOG], 100, 80))
    assert ball["segmentation"] == [[70.0, 5.0, 90.0, 5.0, 80.0, 30.0]]
    assert ball["bbox"] == [70.0, 5.0, 20.0, 25.0]
    assert ball["area"] == int(rasterize([BALL], 100, 80).sum())


def test_coco_rle_export_decodes_to_the_result_mask() -> None:
    document = coco_document([item()], use_rle=True)
    masks = [rle.decode(a["segmentation"]) for a in document["annotations"]]
    assert all(m.shape == (80, 100) for m in masks)
    assert np.array_equal(masks[0] | masks[1], rasterize(RESULT.regions, 100, 80))
    assert json.loads(KIND.export_format("coco-rle").write([item()])) == document


# --- labelme ---------------------------------------------------------------------------------


def test_labelme_json_has_the_fields_labelme_reads() -> None:
    document = labelme_document(PAYLOAD, RESULT)
    assert set(document) == {
        "version",
        "flags",
        "shapes",
        "imagePath",
        "imageData",
        "imageHeight",
        "imageWidth",
    }
    assert document["imagePath"] == "images/a.webp" and document["imageData"] is None
    assert (document["imageHeight"], document["imageWidth"]) == (80, 100)
    assert isinstance(document["version"], str) and document["flags"] == {}
    for shape in document["shapes"]:
        # What labelme's loader asserts about each shape.
        assert isinstance(shape["label"], str)
        assert shape["shape_type"] == "polygon" and len(shape["points"]) > 2
        assert all(len(p) == 2 and all(isinstance(v, float) for v in p) for p in shape["points"])
        assert isinstance(shape["group_id"], int)
        assert all(isinstance(k, str) and isinstance(v, bool) for k, v in shape["flags"].items())
        assert isinstance(shape["description"], str)
    labels = [(s["label"], s["group_id"], s["flags"]) for s in document["shapes"]]
    assert labels == [
        ("dog", 1, {}),
        (LABELME_HOLE_LABEL, 1, {"hole": True}),
        ("object", 2, {}),
    ]


def test_the_labelme_export_is_a_zip_of_one_json_per_task() -> None:
    data = to_labelme_zip([item("t1"), item("t2")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["b-17/t1.json", "b-17/t2.json"]
        document = json.loads(archive.read("b-17/t1.json"))
    assert document == labelme_document(PAYLOAD, RESULT)
    assert to_labelme_zip([item("t1"), item("t2")]) == data  # same input, same bytes


# --- PNG masks and cut-outs ------------------------------------------------------------------


def test_the_mask_png_decodes_to_the_same_mask() -> None:
    with Image.open(io.BytesIO(mask_png(RESULT, PAYLOAD))) as image:
        assert image.format == "PNG" and image.mode == "L" and image.size == (100, 80)
        pixels = np.asarray(image)
    assert set(np.unique(pixels)) == {0, 255}
    assert np.array_equal(pixels == 255, rasterize(RESULT.regions, 100, 80))
    with zipfile.ZipFile(io.BytesIO(to_mask_zip([item()]))) as archive:
        assert archive.namelist() == ["b-17/t1.png"]


def test_the_cutout_keeps_the_photo_inside_and_is_transparent_outside(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    photo = rng.integers(0, 256, (80, 100, 3), dtype=np.uint8)
    path = tmp_path / "a.png"
    Image.fromarray(photo).save(path)
    before = path.read_bytes()
    with Image.open(io.BytesIO(cutout_png(path, RESULT))) as image:
        assert image.mode == "RGBA" and image.size == (100, 80)
        rgba = np.asarray(image)
    mask = rasterize(RESULT.regions, 100, 80)
    assert (rgba[~mask, 3] == 0).all() and (rgba[mask, 3] == 255).all()
    assert np.array_equal(rgba[mask, :3], photo[mask])
    assert path.read_bytes() == before  # the source photo is left as it was
    with Image.open(io.BytesIO(cutout_png(path, RESULT, crop=True))) as image:
        assert image.size == (80, 55)  # x 10..90, y 5..60


def test_a_cutout_of_an_unreadable_photo_says_so(tmp_path: Path) -> None:
    path = tmp_path / "broken.webp"
    path.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    with pytest.raises(ImageUnreadable, match="broken.webp"):
        cutout_png(path, RESULT)
