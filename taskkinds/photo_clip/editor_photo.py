"""Opening the task's photo for the editor: a reduced picture first, then full resolution.

Both steps run off the UI thread (QImage, unlike QPixmap, may be built on any
thread). A large JPEG is first decoded at reduced size with Pillow's DCT scaling;
any other large photo is decoded once, and a reduced copy of those pixels is
painted while the full-resolution QImage is being built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtGui import QImage

from taskkinds.photo_clip.images import DEFAULT_MAX_PIXELS, open_rgb
from widgets.imagecanvas import PREVIEW_SIDE, rgb_to_qimage

__all__ = ["FirstLook", "FullPhoto", "first_look", "full_photo"]

JPEG_PREVIEW_SIDE = 1024  # asked of the DCT scaling, which rounds up to 1/2, 1/4 or 1/8


@dataclass(frozen=True)
class FirstLook:
    """What to paint first: a reduced ``preview`` (or None), and the ``decoded`` photo if
    it already had to be decoded in full to make it."""

    preview: QImage | None
    decoded: Image.Image | None


@dataclass(frozen=True)
class FullPhoto:
    pixels: np.ndarray  # a view into ``image``: keep both together
    image: QImage


def first_look(path: Path) -> FirstLook:
    """A reduced picture of the photo at ``path``, as fast as its format allows.

    Raises ``ImageUnreadable`` (from ``load_rgb``) when a non-JPEG photo is damaged or
    too large; a JPEG that fails here is left to the full decode, which says why.
    """
    jpeg = _jpeg_preview(path)
    if jpeg is not None:
        return FirstLook(jpeg, None)
    try:
        with Image.open(path) as probe:
            is_jpeg = probe.format == "JPEG"
    except Exception:  # noqa: BLE001 - load_rgb below says what is wrong, in the user's words
        is_jpeg = False
    if is_jpeg:  # small, or refused by the full decode that follows
        return FirstLook(None, None)
    decoded = open_rgb(path)
    factor = math.ceil(max(decoded.size) / PREVIEW_SIDE)
    if factor <= 1:
        return FirstLook(None, decoded)
    # Pillow's box reduce: a few milliseconds at 24 MP, and no copy of the full pixels.
    reduced = np.asarray(decoded.reduce(factor), dtype=np.uint8)
    return FirstLook(rgb_to_qimage(reduced), decoded)


def full_photo(path: Path, decoded: Image.Image | None = None) -> FullPhoto:
    """The full-resolution QImage and a read-only RGB view of its pixels for the assists,
    decoding ``path`` unless it is ``decoded``. The photo is held once, in the QImage.

    Raises ``ImageUnreadable`` when the photo is missing, damaged or too large.
    """
    image = open_rgb(path) if decoded is None else decoded
    qimage = pil_to_qimage(image)
    return FullPhoto(rgb_view(qimage), qimage)


ROWS_PER_COPY = 256  # copied a band at a time: no second full-size buffer while converting


def pil_to_qimage(image: Image.Image) -> QImage:
    """An RGB32 QImage (fast to draw) holding a copy of an RGB Pillow image."""
    width, height = image.size
    out = QImage(width, height, QImage.Format.Format_RGB32)
    target = out.bits()  # RGB32 is B, G, R, 255 in memory on little-endian machines
    stride = out.bytesPerLine()
    for top in range(0, height, ROWS_PER_COPY):
        bottom = min(height, top + ROWS_PER_COPY)
        band = image.crop((0, top, width, bottom)).tobytes("raw", "BGRX")
        if stride == 4 * width:
            target[top * stride : bottom * stride] = band
        else:  # never for RGB32 today, but padding would shift every row
            for row in range(bottom - top):
                start = (top + row) * stride
                target[start : start + 4 * width] = band[row * 4 * width : (row + 1) * 4 * width]
    return out


def rgb_view(image: QImage) -> np.ndarray:
    """A read-only ``(height, width, 3)`` RGB view of an RGB32 QImage's pixels, no copy.
    Keep the QImage alive as long as the view is used."""
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    return raw[:, : 4 * width].reshape(height, width, 4)[:, :, 2::-1]


def _jpeg_preview(path: Path) -> QImage | None:
    """A reduced decode of a large JPEG, or None for anything else (or any trouble)."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            too_big = width * height > DEFAULT_MAX_PIXELS  # load_rgb will say why
            if max(width, height) <= JPEG_PREVIEW_SIDE or too_big or image.format != "JPEG":
                return None
            longest = max(width, height)
            image.draft(
                "RGB", (width * JPEG_PREVIEW_SIDE // longest, height * JPEG_PREVIEW_SIDE // longest)
            )
            pixels = np.asarray(image.convert("RGB"))
    except Exception:  # noqa: BLE001 - the full decode that follows says what is wrong
        return None
    return rgb_to_qimage(np.ascontiguousarray(pixels))
