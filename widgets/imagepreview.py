"""Photos read by Qt's own image readers, and reduced first looks at large ones.

``reduced_image`` decodes a large JPEG or WebP straight to a reduced size (libjpeg's
DCT scaling, libwebp's scaling): a 24 MP JPEG in about 70 ms instead of a full decode,
with the GIL released, so it can run beside Python work. ``MediaPreviews`` starts
those decodes for a task's photos as soon as the task is read from the store, while
its kind and editor are still being imported; the editor takes what is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage, QImageReader

__all__ = [
    "PENDING",
    "MAX_PIXELS",
    "REDUCED_SIDE",
    "MediaPreviews",
    "image_reader",
    "jpeg_complete",
    "reduced_image",
    "rgb32",
]

REDUCED_SIDE = 1024  # the reduced look is at least this long (DCT scaling: 1/2, 1/4, 1/8)
# Photos over this many pixels are left to the editor, which refuses them with a reason
# (the bundle importer's bound too).
MAX_PIXELS = 64_000_000
SCALED_FORMATS = (b"jpeg", b"jpg", b"webp")  # formats Qt decodes at a reduced size
PENDING = object()  # MediaPreviews.take: the decode has not finished yet


def image_reader(path: Path) -> QImageReader:
    """A reader that keeps pixels as stored and leaves the size bound to the caller."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(False)  # pixels as stored: the payload's coordinates are
    reader.setAllocationLimit(0)  # the caller checks the pixel count first
    reader.setDecideFormatFromContent(True)
    return reader


def rgb32(image: QImage) -> QImage:
    """``image`` as RGB32 (alpha dropped, greyscale and palettes expanded), in place
    when the depth allows, so a same-size copy is made only for other depths."""
    if image.format() != QImage.Format.Format_RGB32:
        image.convertTo(QImage.Format.Format_RGB32)
    return image


def jpeg_complete(path: Path) -> bool:
    """Whether the JPEG at ``path`` ends with its end-of-image marker (padding allowed):
    Qt's reader paints a file cut short grey instead of saying so."""
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - 64))
            tail = file.read()
    except OSError:
        return False
    return tail.rstrip(b"\x00\r\n\t ").endswith(b"\xff\xd9")


def reduced_image(
    path: Path, *, side: int = REDUCED_SIDE, max_pixels: int = MAX_PIXELS
) -> QImage | None:
    """A reduced RGB32 look at the large JPEG or WebP at ``path``, decoded at that size;
    None for a photo that is small, of another format, over ``max_pixels``, damaged or
    cut short (the full decode then says what is wrong)."""
    reader = image_reader(path)
    fmt = bytes(reader.format().data()).lower()
    size = reader.size()
    if fmt not in SCALED_FORMATS or not size.isValid():
        return None
    width, height = size.width(), size.height()
    longest = max(width, height)
    if longest <= side or width * height > max_pixels:
        return None
    if fmt == b"webp":
        factor = -(-longest // side)  # libwebp scales to any size
        reader.setScaledSize(QSize(width // factor, height // factor))
    else:
        if not jpeg_complete(path):
            return None
        factor = next(f for f in (8, 4, 2, 1) if longest / f >= side)
        # The size libjpeg gives at 1/factor, so Qt does not scale again after it.
        reader.setScaledSize(QSize(-(-width // factor), -(-height // factor)))
    image = reader.read()
    return None if image.isNull() else rgb32(image)


class MediaPreviews(QObject):
    """Reduced looks at photos, decoded ahead of the editor that shows them.

    ``prefetch`` (from any thread) starts one decode per large JPEG or WebP through
    ``submit``; ``take`` hands an image over once (or ``PENDING``, or None when there is
    nothing to take) and ``ready(path)`` says a pending one finished.
    """

    ready = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._images: dict[str, QImage | None | object] = {}

    def prefetch(
        self, paths: Iterable[Path], submit: Callable[[Callable[[], Any]], None]
    ) -> None:
        with self._lock:  # looks nobody took (the task was left meanwhile) are dropped
            self._images = {k: v for k, v in self._images.items() if v is PENDING}
        for path in paths:
            if path.suffix.lower() not in (".jpg", ".jpeg", ".webp"):
                continue
            key = str(path)
            with self._lock:
                if key in self._images:
                    continue
                self._images[key] = PENDING
            submit(lambda path=path, key=key: self._decode(path, key))

    def _decode(self, path: Path, key: str) -> None:
        try:
            image = reduced_image(path)
        except Exception:  # noqa: BLE001 - the editor's own decode says what is wrong
            image = None
        with self._lock:
            if key not in self._images:
                return  # taken meanwhile as pending and given up on
            self._images[key] = image
        self.ready.emit(key)

    def take(self, path: Path) -> QImage | None | object:
        """The reduced image of ``path`` (forgotten here), ``PENDING``, or None."""
        key = str(path)
        with self._lock:
            state = self._images.get(key)
            if state is not PENDING:
                self._images.pop(key, None)
            return state
