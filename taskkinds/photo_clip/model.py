"""Payload and result of a photo clipping task (version 1). Qt-free.

Coordinates are image pixels of the stored image (no EXIF rotation applied):
x grows rightwards from the left edge, y downwards from the top edge, and the
pixel in column ``i``, row ``j`` is the unit square ``[i, i+1] × [j, j+1]``, so
the image spans ``[0, width] × [0, height]``. A pixel belongs to a region when
its centre ``(i + 0.5, j + 0.5)`` lies inside the outer ring and outside every
hole (see ``geometry.rasterize``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MAX_POINTS",
    "MAX_REGIONS",
    "MAX_SIDE",
    "Box",
    "PhotoClipPayload",
    "PhotoClipResult",
    "Point",
    "Region",
    "new_result",
    "summarize",
]

MAX_SIDE = 20_000
MAX_REGIONS = 200
MAX_POINTS = 100_000
MAX_HOLES = 1_000

Coordinate = Annotated[float, Field(allow_inf_nan=False)]
Point = tuple[float, float]
_ValidPoint = tuple[Coordinate, Coordinate]
# A closed ring: the last point joins the first, it is not repeated.
Ring = Annotated[list[_ValidPoint], Field(min_length=3, max_length=MAX_POINTS)]


class Box(BaseModel):
    """An axis-aligned rectangle in image pixels: top-left corner, width and height."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    x: Coordinate
    y: Coordinate
    w: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    h: Annotated[float, Field(ge=0, allow_inf_nan=False)]

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


class PhotoClipPayload(BaseModel):
    """What a bundle gives for one clipping task.

    ``image`` is the media path inside the bundle (e.g. ``images/0004.webp``);
    ``width``/``height`` are the image's size in pixels; ``hint_box`` optionally
    shows where the object is; regions smaller than ``min_area`` square pixels
    are refused by the checks.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    version: Literal[1] = 1
    image: Annotated[str, Field(min_length=1, max_length=255)]
    width: Annotated[int, Field(gt=0, le=MAX_SIDE)]
    height: Annotated[int, Field(gt=0, le=MAX_SIDE)]
    instruction: Annotated[str, Field(max_length=500)]
    hint_box: Box | None = None
    min_area: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 16.0


class Region(BaseModel):
    """One clipped piece: an outer ring with optional holes, and an optional label."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    outer: Ring
    holes: Annotated[list[Ring], Field(max_length=MAX_HOLES)] = []
    label: Annotated[str, Field(max_length=200)] | None = None


class PhotoClipResult(BaseModel):
    """What the contributor sends: the regions that make up the clipped object."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    version: Literal[1] = 1
    regions: Annotated[list[Region], Field(max_length=MAX_REGIONS)] = []


def new_result(payload: PhotoClipPayload) -> PhotoClipResult:
    """An empty result: no region yet."""
    return PhotoClipResult(regions=[])


def summarize(payload: PhotoClipPayload) -> str:
    """One line for the task queue: the instruction on one line, at most 80 characters."""
    text = " ".join(payload.instruction.split()) or f"Clip {payload.image.rpartition('/')[2]}"
    return text if len(text) <= 80 else text[:79] + "…"
