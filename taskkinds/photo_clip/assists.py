"""Assisted clipping: GrabCut from a box, magic wand, edge-snapping scissors. Qt-free.

Each assist takes the photo as an ``(height, width, 3)`` uint8 RGB array (see
``load_rgb``) and works on a crop or a downscaled copy, so one call answers within
about a second even on a 12-megapixel photo. Proposals are ordinary regions in
full-image pixels that the contributor edits like drawn ones. These functions are
pure and thread-safe: the editor runs them off the UI thread.

OpenCV (``opencv-python-headless``) is imported on first use.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from taskkinds.photo_clip.geometry import simplify_path
from taskkinds.photo_clip.images import ImageUnreadable, load_rgb
from taskkinds.photo_clip.masks import mask_to_regions
from taskkinds.photo_clip.model import Box, Point, Region

__all__ = [
    "ImageUnreadable",
    "grabcut_proposal",
    "load_rgb",
    "magic_wand",
    "scissors_path",
]

RGBImage = npt.NDArray[np.uint8]
_WAND_START = 512  # side of the first crop the magic wand fills
_WAND_MAX_CROP = 6_000_000  # pixels; a larger fill runs on a downscaled copy instead
_WAND_MAX_SIDE = 2048


def _cv2() -> Any:
    import cv2  # OpenCV is heavy: load it when an assist is first used

    return cv2


def _check_image(image: RGBImage) -> tuple[int, int]:
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f"expected an RGB uint8 image, got {image.dtype} {image.shape}")
    return image.shape[0], image.shape[1]


def _resized(cv2: Any, pixels: npt.NDArray[Any], scale: float) -> npt.NDArray[Any]:
    if scale >= 1:
        return pixels
    size = (max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale)))
    return cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)


def _upscaled_mask(
    cv2: Any, small: npt.NDArray[np.bool_], width: int, height: int
) -> npt.NDArray[np.bool_]:
    """A mask resized back to ``width × height``, smoothly (bilinear, then halfway)."""
    if small.shape == (height, width):
        return small
    grown = cv2.resize(small.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    return grown >= 0.5


def grabcut_proposal(
    image: RGBImage, box: Box, *, max_side: int = 640, iterations: int = 5
) -> list[Region]:
    """Regions of the object inside ``box``, found by GrabCut.

    GrabCut runs on a crop around the box (with a margin of background), scaled so
    its longer side is at most ``max_side``; its mask is scaled back, limited to the
    box and outlined. Pieces under 2 % of the largest one are dropped and holes under
    0.5 % of it filled. Deterministic for the same input. Returns ``[]`` when nothing
    is found. Raises ``ValueError`` when the image is not RGB uint8 or the box covers
    less than 2 × 2 pixels of the image.
    """
    cv2 = _cv2()
    height, width = _check_image(image)
    x0, y0 = max(0, math.floor(box.x)), max(0, math.floor(box.y))
    x1, y1 = min(width, math.ceil(box.right)), min(height, math.ceil(box.bottom))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError(
            "The box is too small for a proposal. Draw a larger box around the object."
        )
    margin = max(16, round(0.1 * max(x1 - x0, y1 - y0)))
    cx0, cy0 = max(0, x0 - margin), max(0, y0 - margin)
    cx1, cy1 = min(width, x1 + margin), min(height, y1 + margin)
    crop = image[cy0:cy1, cx0:cx1]
    scale = min(1.0, max_side / max(crop.shape[:2]))
    small = np.ascontiguousarray(_resized(cv2, crop, scale))
    sh, sw = small.shape[:2]
    # GrabCut needs some pixels outside its rectangle to learn the background from.
    rx0 = min(max(1, math.floor((x0 - cx0) * scale)), sw - 2)
    ry0 = min(max(1, math.floor((y0 - cy0) * scale)), sh - 2)
    rx1 = max(min(sw - 1, math.ceil((x1 - cx0) * scale)), rx0 + 1)
    ry1 = max(min(sh - 1, math.ceil((y1 - cy0) * scale)), ry0 + 1)
    labels = np.zeros((sh, sw), dtype=np.uint8)
    background = np.zeros((1, 65), dtype=np.float64)
    foreground = np.zeros((1, 65), dtype=np.float64)
    cv2.setRNGSeed(0)  # GrabCut seeds its colour models with k-means
    cv2.grabCut(
        small,
        labels,
        (rx0, ry0, rx1 - rx0, ry1 - ry0),
        background,
        foreground,
        iterations,
        cv2.GC_INIT_WITH_RECT,
    )
    found = (labels == cv2.GC_FGD) | (labels == cv2.GC_PR_FGD)
    mask = _upscaled_mask(cv2, found, cx1 - cx0, cy1 - cy0)
    inside = np.zeros_like(mask)
    inside[y0 - cy0 : y1 - cy0, x0 - cx0 : x1 - cx0] = True
    return _outlined(cv2, mask & inside, (cx0, cy0), 0.02, 0.005)


def _outlined(
    cv2: Any,
    mask: npt.NDArray[np.bool_],
    origin: tuple[int, int],
    piece_share: float,
    hole_share: float,
) -> list[Region]:
    """Outline ``mask``, dropping pieces and filling holes small next to its largest piece."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    if count <= 1:
        return []
    largest = float(stats[1:, cv2.CC_STAT_AREA].max())
    return mask_to_regions(
        mask,
        origin=origin,
        min_area=max(1.0, piece_share * largest),
        min_hole_area=max(1.0, hole_share * largest),
    )


def _colour_near(
    pixels: RGBImage, reference: npt.NDArray[np.int16], tolerance: int
) -> npt.NDArray[np.uint8]:
    difference = np.abs(pixels.astype(np.int16) - reference).max(axis=2)
    return (difference <= tolerance).astype(np.uint8)


def _fill_from(
    cv2: Any, near: npt.NDArray[np.uint8], seed: tuple[int, int]
) -> npt.NDArray[np.bool_]:
    """The 4-connected set of ``near`` pixels that holds ``seed`` (column, row)."""
    if not near[seed[1], seed[0]]:
        return np.zeros(near.shape, dtype=bool)
    fill = np.zeros((near.shape[0] + 2, near.shape[1] + 2), dtype=np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | (1 << 8)
    cv2.floodFill(near, fill, seed, 0, 0, 0, flags)
    return fill[1:-1, 1:-1].astype(bool)


def magic_wand(
    image: RGBImage, seed: Point, tolerance: int, *, min_hole_area: float = 64.0
) -> list[Region]:
    """The region of pixels connected to ``seed`` whose colour differs by at most
    ``tolerance`` (0–255, on every channel) from the colour around the seed.

    The reference colour is the median of the 5 × 5 pixels around the seed, and the
    photo is lightly blurred first, so noise neither moves the reference nor riddles
    the region with holes; holes under ``min_hole_area`` square pixels are filled.
    The fill starts on a crop around the seed and grows it while the region touches
    its edge; past 6 megapixels it runs on a copy downscaled to 2048 pixels instead.
    Returns ``[]`` when the seed is outside the image. Raises ``ValueError`` when
    the image is not RGB uint8.
    """
    cv2 = _cv2()
    height, width = _check_image(image)
    sx, sy = math.floor(seed[0]), math.floor(seed[1])
    if not (0 <= sx < width and 0 <= sy < height):
        return []
    patch = image[max(0, sy - 2) : sy + 3, max(0, sx - 2) : sx + 3].reshape(-1, 3)
    reference = np.median(patch, axis=0).astype(np.int16)
    tolerance = int(min(max(tolerance, 0), 255))
    half = _WAND_START // 2
    while True:
        x0, y0 = max(0, sx - half), max(0, sy - half)
        x1, y1 = min(width, sx + half), min(height, sy + half)
        if (x1 - x0) * (y1 - y0) > _WAND_MAX_CROP:
            break
        crop = cv2.GaussianBlur(image[y0:y1, x0:x1], (3, 3), 0)
        filled = _fill_from(cv2, _colour_near(crop, reference, tolerance), (sx - x0, sy - y0))
        touches = (
            (x0 > 0 and filled[:, 0].any())
            or (y0 > 0 and filled[0, :].any())
            or (x1 < width and filled[:, -1].any())
            or (y1 < height and filled[-1, :].any())
        )
        if not touches:
            return mask_to_regions(filled, origin=(x0, y0), min_hole_area=min_hole_area)
        half *= 2
    # A large region: fill a downscaled copy, then scale the mask back up.
    scale = min(1.0, _WAND_MAX_SIDE / max(height, width))
    small = cv2.GaussianBlur(_resized(cv2, image, scale), (3, 3), 0)
    seed_small = (
        min(int(sx * scale), small.shape[1] - 1),
        min(int(sy * scale), small.shape[0] - 1),
    )
    filled = _fill_from(cv2, _colour_near(small, reference, tolerance), seed_small)
    mask = _upscaled_mask(cv2, filled, width, height)
    return mask_to_regions(mask, min_hole_area=min_hole_area)


def scissors_path(
    image: RGBImage,
    points: Sequence[Point],
    *,
    margin: int = 24,
    max_side: int = 600,
    tolerance: float = 0.5,
) -> list[Point]:
    """A path through the anchor ``points`` that follows strong edges between each
    consecutive pair (OpenCV's ``IntelligentScissorsMB``).

    Each pair is solved on a crop around it widened by ``margin`` pixels, downscaled
    so its longer side is at most ``max_side``. The path runs through pixel centres,
    starts and ends exactly at the first and last anchors, passes through every
    anchor, and is simplified within ``tolerance`` pixels. Fewer than two points come
    back unchanged. Raises ``ValueError`` when the image is not RGB uint8.
    """
    cv2 = _cv2()
    height, width = _check_image(image)
    anchors = [(min(max(x, 0.0), width - 0.5), min(max(y, 0.0), height - 0.5)) for x, y in points]
    if len(anchors) < 2:
        return [(float(x), float(y)) for x, y in anchors]
    path: list[Point] = [anchors[0]]
    for start, end in zip(anchors, anchors[1:], strict=False):
        path.extend(_scissors_leg(cv2, image, start, end, margin, max_side)[1:])
        path[-1] = end
    return simplify_path(path, tolerance)


def _scissors_leg(
    cv2: Any, image: RGBImage, start: Point, end: Point, margin: int, max_side: int
) -> list[Point]:
    height, width = image.shape[:2]
    x0 = max(0, math.floor(min(start[0], end[0])) - margin)
    y0 = max(0, math.floor(min(start[1], end[1])) - margin)
    x1 = min(width, math.ceil(max(start[0], end[0])) + margin + 1)
    y1 = min(height, math.ceil(max(start[1], end[1])) + margin + 1)
    crop = image[y0:y1, x0:x1]
    scale = min(1.0, max_side / max(crop.shape[:2]))
    small = np.ascontiguousarray(_resized(cv2, crop, scale))
    sh, sw = small.shape[:2]

    def local(point: Point) -> tuple[int, int]:
        return (
            min(max(int((point[0] - x0) * scale), 0), sw - 1),
            min(max(int((point[1] - y0) * scale), 0), sh - 1),
        )

    tool = cv2.segmentation.IntelligentScissorsMB()
    tool.setEdgeFeatureCannyParameters(32, 100)
    tool.setGradientMagnitudeMaxLimit(200)
    tool.applyImage(small)
    tool.buildMap(local(start))
    contour = tool.getContour(local(end)).reshape(-1, 2)  # from the source to the target
    leg = [((px + 0.5) / scale + x0, (py + 0.5) / scale + y0) for px, py in contour.tolist()]
    return [start, *leg, end]
