"""Opening the task's photo for the editor: a reduced picture first, then full resolution.

Both steps run off the UI thread (QImage, unlike QPixmap, may be built on any
thread). Qt's own readers decode straight into the QImage the canvas paints, so the
photo is in memory once, never as a decoded copy beside it. A large JPEG is first
decoded at reduced size by libjpeg's DCT scaling, a large WebP at reduced size by
libwebp's scaling; any other large photo is decoded once, and a reduced copy of it is
painted while the rest is prepared. Whatever Qt cannot read (or a JPEG cut short, which
Qt would fill with grey) goes through Pillow (``images.open_rgb``), which reads it or
says what is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from taskkinds.photo_clip.images import DEFAULT_MAX_PIXELS, open_rgb
from widgets.imagecanvas import PREVIEW_SIDE, rgb_to_qimage
from widgets.imagepreview import (
    SCALED_FORMATS,
    image_reader,
    jpeg_complete,
    reduced_image,
    rgb32,
)

if TYPE_CHECKING:
    import numpy as np  # imported with the full photo: the reduced first look needs none
    from PIL import Image  # only for what Qt cannot read

__all__ = ["FirstLook", "FullPhoto", "first_look", "full_photo"]


@dataclass(frozen=True)
class FirstLook:
    """What to paint first: a reduced ``preview`` (or None), and the ``decoded`` photo if
    it already had to be decoded in full to make it (an RGB32 QImage, or a Pillow image
    when Qt could not read the file)."""

    preview: QImage | None
    decoded: QImage | Image.Image | None


@dataclass(frozen=True)
class FullPhoto:
    image: QImage

    @cached_property
    def pixels(self) -> np.ndarray:
        """A read-only RGB view into ``image`` for the tools (keep both together). Made
        apart from the decode, so the photo can be painted before numpy is imported."""
        return rgb_view(self.image)


def first_look(path: Path) -> FirstLook:
    """A reduced picture of the photo at ``path``, as fast as its format allows.

    Raises ``ImageUnreadable`` (from ``open_rgb``) when a photo that is neither JPEG nor
    WebP is damaged or too large; a JPEG or WebP that fails here is left to the full
    decode, which says why.
    """
    reduced = reduced_image(path, max_pixels=DEFAULT_MAX_PIXELS)  # JPEG or WebP
    if reduced is not None:
        return FirstLook(reduced, None)
    reader = image_reader(path)
    size = reader.size()
    if bytes(reader.format().data()).lower() in SCALED_FORMATS or not size.isValid():
        return FirstLook(None, None)  # small, or refused by the full decode that follows
    factor = math.ceil(max(size.width(), size.height()) / PREVIEW_SIDE)
    decoded = _read_full(path)
    if not isinstance(decoded, QImage):  # Pillow read what Qt could not
        if factor <= 1:
            return FirstLook(None, decoded)
        import numpy as np

        reduced_pixels = np.asarray(decoded.reduce(factor), dtype=np.uint8)
        return FirstLook(rgb_to_qimage(reduced_pixels), decoded)
    if factor <= 1:
        return FirstLook(None, decoded)
    preview = decoded.scaled(
        decoded.width() // factor,
        decoded.height() // factor,
        mode=Qt.TransformationMode.SmoothTransformation,
    )
    return FirstLook(preview, decoded)


def full_photo(path: Path, decoded: QImage | Image.Image | None = None) -> FullPhoto:
    """The full-resolution QImage (and, through it, a read-only RGB view of its pixels for
    the tools), decoding ``path`` unless it is ``decoded``. The photo is held once, in the
    QImage.

    Raises ``ImageUnreadable`` when the photo is missing, damaged or too large.
    """
    image = _read_full(path) if decoded is None else decoded
    qimage = image if isinstance(image, QImage) else pil_to_qimage(image)
    return FullPhoto(qimage)


def _read_full(path: Path) -> QImage | Image.Image:
    """The whole photo: an RGB32 QImage decoded by Qt, else Pillow's RGB image (or its
    ``ImageUnreadable``)."""
    reader = image_reader(path)
    size = reader.size()
    fmt = bytes(reader.format().data()).lower()
    readable = (
        fmt in (b"jpeg", b"jpg", b"png", b"webp")
        and size.isValid()
        and size.width() * size.height() <= DEFAULT_MAX_PIXELS
        and (fmt not in (b"jpeg", b"jpg") or jpeg_complete(path))
    )
    if readable:
        image = reader.read()
        if not image.isNull():
            return rgb32(image)
    # Qt cannot read it, or would not say what is wrong: Pillow reads it or explains.
    return open_rgb(path)


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
    import numpy as np

    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(height, image.bytesPerLine())
    return raw[:, : 4 * width].reshape(height, width, 4)[:, :, 2::-1]


