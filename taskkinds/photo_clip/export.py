"""Clipping results in the field's formats: COCO, labelme, PNG masks, RGBA cut-outs. Qt-free.

The source photo is never re-encoded: COCO and labelme files name it by its path
inside the bundle (``images/0004.webp``), and a cut-out is a new PNG built from
the decoded photo and the mask. Every ``to_*`` function takes the items of one
kind and returns the bytes of one file, as ``ExportFormat.write`` expects.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from taskkinds.base import ExportItem, as_model
from taskkinds.photo_clip import rle
from taskkinds.photo_clip.geometry import as_array
from taskkinds.photo_clip.images import DEFAULT_MAX_PIXELS, load_rgb
from taskkinds.photo_clip.masks import Mask, mask_bounds, rasterize, rasterize_window
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region

__all__ = [
    "DEFAULT_CATEGORY",
    "LABELME_HOLE_LABEL",
    "LABELME_VERSION",
    "coco_document",
    "cutout_png",
    "labelme_document",
    "mask_png",
    "to_coco",
    "to_coco_rle",
    "to_labelme_zip",
    "to_mask_zip",
]


DEFAULT_CATEGORY = "object"  # the category of regions without a label
LABELME_VERSION = "5.5.0"  # the labelme file format these documents follow
# labelme's own tools paint "_background_" as class 0, so a hole drawn after its
# region comes out empty in their label images.
LABELME_HOLE_LABEL = "_background_"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same results give the same bytes


def _tasks(
    items: Sequence[ExportItem],
) -> list[tuple[ExportItem, PhotoClipPayload, PhotoClipResult]]:
    return [
        (item, as_model(PhotoClipPayload, item.payload), as_model(PhotoClipResult, item.result))
        for item in items
    ]


def _points(ring: Sequence[tuple[float, float]]) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in ring]


# --- COCO ----------------------------------------------------------------------------------


def _region_window(region: Region, payload: PhotoClipPayload) -> tuple[Mask, int, int]:
    """The region's pixels over its box clipped to the image, with the box's corner."""
    outer = as_array(region.outer)
    x0 = min(max(math.floor(outer[:, 0].min()), 0), payload.width)
    y0 = min(max(math.floor(outer[:, 1].min()), 0), payload.height)
    x1 = max(min(math.ceil(outer[:, 0].max()), payload.width), x0)
    y1 = max(min(math.ceil(outer[:, 1].max()), payload.height), y0)
    return rasterize_window([region], x0, y0, x1 - x0, y1 - y0), x0, y0


def _coco_annotation(
    region: Region, payload: PhotoClipPayload, use_rle: bool
) -> tuple[dict[str, Any], int]:
    """The segmentation, area and box of one region, and its pixel count."""
    window, x0, y0 = _region_window(region, payload)
    area = int(np.count_nonzero(window))
    segmentation: Any
    if use_rle or region.holes:
        # COCO polygons cannot carry holes: pycocotools reads RLE for iscrowd 0 too.
        counts = rle.encode_window(window, x0, y0, payload.height, payload.width)
        segmentation = {
            "size": [payload.height, payload.width],
            "counts": rle.counts_to_string(counts),
        }
    else:
        segmentation = [[float(v) for point in region.outer for v in point]]
    outer = as_array(region.outer)
    lo = np.clip(outer.min(axis=0), 0, [payload.width, payload.height])
    hi = np.clip(outer.max(axis=0), 0, [payload.width, payload.height])
    bbox = [float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1])]
    return {"segmentation": segmentation, "area": area, "bbox": bbox, "iscrowd": 0}, area


def coco_document(items: Sequence[ExportItem], *, use_rle: bool = False) -> dict[str, Any]:
    """The COCO dictionary for ``items``.

    ``images``: one per distinct ``(bundle, image)``, ``file_name``
    ``<bundle_id>/<image path in the bundle>``, ids from 1. ``annotations``: one
    per region, ids from 1, ``iscrowd`` 0, ``area`` its pixel count (pixel-centre
    rule), ``bbox`` ``[x, y, width, height]`` of its outer ring within the image,
    ``segmentation`` a polygon — or, with ``use_rle`` or when the region has holes
    (which COCO polygons cannot carry), compressed RLE. ``categories``: one per
    label, ``DEFAULT_CATEGORY`` for regions without one, ids from 1 in order of
    first use. Raises nothing for valid items.
    """
    images: dict[tuple[str, str], dict[str, Any]] = {}
    categories: dict[str, int] = {}
    annotations: list[dict[str, Any]] = []
    for item, payload, result in _tasks(items):
        key = (item.bundle_id, payload.image)
        if key not in images:
            images[key] = {
                "id": len(images) + 1,
                "file_name": f"{item.bundle_id}/{payload.image}",
                "width": payload.width,
                "height": payload.height,
            }
        for region in result.regions:
            name = region.label or DEFAULT_CATEGORY
            category_id = categories.setdefault(name, len(categories) + 1)
            fields, _ = _coco_annotation(region, payload, use_rle)
            annotations.append(
                {
                    "id": len(annotations) + 1,
                    "image_id": images[key]["id"],
                    "category_id": category_id,
                    **fields,
                }
            )
    return {
        "info": {"description": "Photo clipping results exported by Ouvrage", "version": "1.0"},
        "licenses": [],
        "images": list(images.values()),
        "annotations": annotations,
        "categories": [
            {"id": number, "name": name, "supercategory": DEFAULT_CATEGORY}
            for name, number in categories.items()
        ],
    }


def to_coco(items: Sequence[ExportItem]) -> bytes:
    """One COCO JSON file for ``items``, polygons where possible (see ``coco_document``)."""
    return _json_bytes(coco_document(items))


def to_coco_rle(items: Sequence[ExportItem]) -> bytes:
    """One COCO JSON file for ``items``, every segmentation as compressed RLE."""
    return _json_bytes(coco_document(items, use_rle=True))


def _json_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")


# --- labelme ---------------------------------------------------------------------------------


def _labelme_shape(points: list[list[float]], label: str, group: int, hole: bool) -> dict[str, Any]:
    return {
        "label": label,
        "points": points,
        "group_id": group,
        "description": f"hole in region {group}" if hole else "",
        "shape_type": "polygon",
        "flags": {"hole": True} if hole else {},
        "mask": None,
    }


def labelme_document(payload: PhotoClipPayload, result: PhotoClipResult) -> dict[str, Any]:
    """One task as a labelme annotation dictionary.

    Each region becomes a polygon shape labelled with its label (or
    ``DEFAULT_CATEGORY``) and ``group_id`` its index from 1; each of its holes follows
    it as a polygon with the same ``group_id``, the label ``LABELME_HOLE_LABEL`` (which
    labelme's tools paint as background) and the flag ``hole: true``. ``imagePath`` is
    the photo's path inside the bundle, ``imageData`` is null (labelme then reads the
    photo from ``imagePath``, relative to the JSON file).
    """
    shapes: list[dict[str, Any]] = []
    for group, region in enumerate(result.regions, start=1):
        label = region.label or DEFAULT_CATEGORY
        shapes.append(_labelme_shape(_points(region.outer), label, group, hole=False))
        for hole in region.holes:
            shapes.append(_labelme_shape(_points(hole), LABELME_HOLE_LABEL, group, hole=True))
    return {
        "version": LABELME_VERSION,
        "flags": {},
        "shapes": shapes,
        "imagePath": payload.image,
        "imageData": None,
        "imageHeight": payload.height,
        "imageWidth": payload.width,
    }


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def to_labelme_zip(items: Sequence[ExportItem]) -> bytes:
    """A zip holding one labelme JSON per task, at ``<bundle_id>/<task_id>.json``.

    labelme keeps one file per image, hence the zip. Unzipped into the folder that
    holds the bundles' media folders, each JSON sits at its bundle's root, where its
    ``imagePath`` finds the photo.
    """
    entries = []
    for item, payload, result in _tasks(items):
        document = labelme_document(payload, result)
        text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
        entries.append((f"{item.bundle_id}/{item.task_id}.json", text.encode("utf-8")))
    return _zip(entries)


# --- PNG masks and cut-outs ----------------------------------------------------------------


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def mask_png(result: PhotoClipResult, payload: PhotoClipPayload) -> bytes:
    """The result's mask as an 8-bit greyscale PNG the photo's size: 255 inside, 0 outside."""
    mask = rasterize(result.regions, payload.width, payload.height)
    return _png(Image.fromarray(mask.astype(np.uint8) * 255, mode="L"))


def to_mask_zip(items: Sequence[ExportItem]) -> bytes:
    """A zip holding one PNG mask per task, at ``<bundle_id>/<task_id>.png``."""
    return _zip(
        [
            (f"{item.bundle_id}/{item.task_id}.png", mask_png(result, payload))
            for item, payload, result in _tasks(items)
        ]
    )


def cutout_png(
    image_path: Path | str,
    result: PhotoClipResult,
    *,
    crop: bool = False,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> bytes:
    """An RGBA PNG of the clipped object: the photo's pixels where the mask is set,
    fully transparent (and black) elsewhere. The photo's size unless ``crop``, which
    keeps only the box around the mask (at least one pixel).

    Raises ``ImageUnreadable`` when the photo cannot be decoded (see ``load_rgb``).
    """
    pixels = load_rgb(image_path, max_pixels=max_pixels)
    height, width = pixels.shape[:2]
    mask = rasterize(result.regions, width, height)
    rgba = np.zeros((height, width, 4), dtype=np.uint8)
    rgba[mask, :3] = pixels[mask]
    rgba[mask, 3] = 255
    if crop:
        x0, y0, x1, y1 = mask_bounds(mask) or (0, 0, 1, 1)
        rgba = rgba[y0:y1, x0:x1]
    return _png(Image.fromarray(rgba, mode="RGBA"))
