"""Reading a task's photo into pixels, refusing hostile or damaged files clearly. Qt-free.

Pillow only. Pixels are returned as stored: EXIF orientation is not applied, so
coordinates match the payload's ``width`` and ``height``.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL import Image

    RGBImage = npt.NDArray[np.uint8]

__all__ = ["DEFAULT_MAX_PIXELS", "FORMATS", "ImageUnreadable", "load_rgb", "open_rgb"]

# The same bound as the bundle importer's (sync.manifest.Limits.max_image_pixels).
DEFAULT_MAX_PIXELS = 64_000_000
FORMATS = ("PNG", "JPEG", "WEBP")


class ImageUnreadable(ValueError):
    """A photo that cannot be turned into pixels; the message says which and what to do."""

    def __init__(self, path: Path, problem: str, advice: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"The photo '{path.name}' cannot be opened: {problem}. {advice}")


_DAMAGED_ADVICE = "Download the bundle again or import a fresh copy of it."
_TOO_LARGE_ADVICE = "Ask the task's publisher for a smaller copy of the photo."


def load_rgb(path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> RGBImage:
    """Decode the PNG, JPEG or WebP at ``path`` into a read-only ``(height, width, 3)``
    uint8 RGB array (alpha dropped, greyscale and palettes expanded).

    Raises ``ImageUnreadable`` as ``open_rgb`` does.
    """
    import numpy as np  # imported when pixels are wanted: the editor's first frame needs none

    return np.asarray(open_rgb(path, max_pixels=max_pixels), dtype=np.uint8)


def open_rgb(path: Path | str, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> Image.Image:
    """Decode the PNG, JPEG or WebP at ``path`` into a loaded Pillow image in RGB mode.

    The header is read first: an image over ``max_pixels`` pixels (a decompression
    bomb, or just too large) is refused before any pixel is decoded. Raises
    ``ImageUnreadable`` when the file is missing, not one of those formats, too large,
    truncated or otherwise damaged.
    """
    from PIL import Image, UnidentifiedImageError  # the editor reads through Qt first

    path = Path(path)
    try:
        with warnings.catch_warnings():
            # Our own limit below decides; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=list(FORMATS)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_large(path, width, height, max_pixels)
                image.load()
                # Loaded pixels outlive the closed file; convert() would copy even RGB.
                return image if image.mode == "RGB" else image.convert("RGB")
    except ImageUnreadable:
        raise
    except FileNotFoundError:
        raise ImageUnreadable(
            path, "the file is missing", "Import the bundle again to restore it."
        ) from None
    except Image.DecompressionBombError:
        raise ImageUnreadable(
            path,
            "it claims more pixels than Ouvrage opens safely",
            _TOO_LARGE_ADVICE,
        ) from None
    except UnidentifiedImageError:
        raise ImageUnreadable(
            path, "it is not a PNG, JPEG or WebP image, or its header is damaged", _DAMAGED_ADVICE
        ) from None
    except PermissionError:
        raise ImageUnreadable(
            path, "Ouvrage is not allowed to read it", "Check the file's permissions."
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:  # Pillow's decoders on bad data
        truncated = "truncated" in str(exc)
        problem = "the file is cut short" if truncated else "the file is damaged or incomplete"
        raise ImageUnreadable(path, problem, _DAMAGED_ADVICE) from exc


def _too_large(path: Path, width: int, height: int, max_pixels: int) -> ImageUnreadable:
    return ImageUnreadable(
        path,
        f"it has {width} × {height} pixels, more than the {max_pixels / 1e6:.0f} megapixels "
        "Ouvrage opens safely",
        _TOO_LARGE_ADVICE,
    )
