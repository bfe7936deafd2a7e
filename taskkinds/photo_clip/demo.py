"""Generated clipping scenes whose gold clipping is known exactly. Qt-free.

A scene is a textured background with one target object (a smooth blob, optionally
with a hole) and optionally a distractor of another colour, plus a little noise.
The gold regions are the blob's outline as a polygon, and the target's pixels are
painted from exactly ``rasterize(gold)``, so the gold mask is the truth, not an
estimate. Same seed, same scene. Tests, benchmarks and the demo bundles use them.

``python -m taskkinds.photo_clip.demo`` rewrites the scenes of
``resources/demo/photo_clip`` (and, with scikit-image installed, the photos).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from taskkinds.photo_clip.masks import rasterize
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult, Region

__all__ = [
    "DEMO_DIR",
    "DEMO_PHOTOS",
    "DEMO_SCENES",
    "Scene",
    "blob_ring",
    "generate_scene",
    "load_scene_files",
    "write_demo_photos",
    "write_scene",
]

DEMO_DIR = Path(__file__).resolve().parents[2] / "resources" / "demo" / "photo_clip"
RGBImage = npt.NDArray[np.uint8]
# WebP quality for photos sent over poor links: about a fifth of a JPEG at quality 95, and
# within 4 MB per hour of clipping at 1600 px (bench/data_efficiency.py measures both).
WEBP_QUALITY = 52

# Named, saturated object colours, far from the muted background palette.
_OBJECT_COLOURS: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("orange", (235, 125, 30)),
    ("blue", (40, 90, 210)),
    ("red", (205, 35, 45)),
    ("purple", (140, 55, 170)),
    ("yellow", (235, 205, 40)),
)
_BACKGROUND_COLOURS = ((96, 112, 84), (128, 118, 100), (90, 98, 110), (120, 128, 112))


@dataclass(frozen=True)
class Scene:
    """A generated photo, its payload (image path ``images/<name>.webp``) and gold."""

    name: str
    image: RGBImage
    payload: PhotoClipPayload
    gold: PhotoClipResult


def blob_ring(
    rng: np.random.Generator,
    centre: tuple[float, float],
    radius: float,
    *,
    wobble: float = 0.22,
    vertices: int = 720,
) -> npt.NDArray[np.float64]:
    """A smooth star-shaped closed outline: a circle whose radius varies by at most
    ``wobble`` of itself through a few random harmonics. ``(vertices, 2)`` array."""
    angles = np.linspace(0.0, 2 * math.pi, vertices, endpoint=False)
    amplitudes = rng.uniform(0.2, 1.0, 4)
    amplitudes *= wobble / amplitudes.sum()
    phases = rng.uniform(0, 2 * math.pi, 4)
    r = radius * (
        1
        + sum(
            a * np.cos(k * angles + p)
            for k, a, p in zip(range(2, 6), amplitudes, phases, strict=True)
        )
    )
    return np.column_stack([centre[0] + r * np.cos(angles), centre[1] + r * np.sin(angles)])


def _smooth_field(
    rng: np.random.Generator, width: int, height: int, cells: int
) -> npt.NDArray[np.float32]:
    """Low-frequency noise in [-1, 1]: a coarse random grid, bicubically enlarged."""
    gw, gh = max(2, cells), max(2, round(cells * height / width))
    coarse = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    enlarged = Image.fromarray(coarse, mode="F").resize((width, height), Image.Resampling.BICUBIC)
    return np.asarray(enlarged, dtype=np.float32)


def _texture(rng: np.random.Generator, width: int, height: int) -> npt.NDArray[np.float32]:
    """Soft diagonal stripes in [-1, 1] with a random period and direction."""
    period = rng.uniform(18, 40) * max(width, height) / 1000
    angle = rng.uniform(0, math.pi)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    return np.sin((xx * math.cos(angle) + yy * math.sin(angle)) * (2 * math.pi / period))


def generate_scene(
    seed: int,
    width: int = 960,
    height: int = 640,
    *,
    hole: bool = False,
    distractor: bool = True,
    flat: bool = False,
    noise: float = 4.0,
) -> Scene:
    """A deterministic scene for ``seed``.

    The target blob's radius is about a fifth of the shorter side; with ``hole`` it
    has a hole in its middle; with ``distractor`` a second blob of another colour
    sits apart from it; ``flat`` paints the target in one colour instead of a
    striped texture; ``noise`` is the standard deviation of the Gaussian noise added
    to every pixel. Raises ``ValueError`` for an image under 64 × 64.
    """
    if width < 64 or height < 64:
        raise ValueError("a scene needs at least 64 × 64 pixels")
    rng = np.random.default_rng(seed)
    base = np.array(_BACKGROUND_COLOURS[rng.integers(len(_BACKGROUND_COLOURS))], np.float32)
    # Shared light and shade, with a little tint of its own per channel.
    light = _smooth_field(rng, width, height, 6) * 30 + _smooth_field(rng, width, height, 40) * 8
    canvas = np.empty((height, width, 3), dtype=np.float32)
    for channel in range(3):
        canvas[..., channel] = base[channel] + light + _smooth_field(rng, width, height, 8) * 8
    canvas += _texture(rng, width, height)[..., None] * 6

    short = min(width, height)
    radius = short * rng.uniform(0.18, 0.24)
    reach = radius * 1.3
    centre = (rng.uniform(reach, width - reach), rng.uniform(reach, height - reach))
    picks = rng.permutation(len(_OBJECT_COLOURS))
    colour_name, colour = _OBJECT_COLOURS[picks[0]]
    outer = blob_ring(rng, centre, radius)
    holes = [blob_ring(rng, centre, radius * 0.3, wobble=0.1, vertices=240)] if hole else []
    target = Region(outer=[tuple(p) for p in outer], holes=[[tuple(p) for p in h] for h in holes])

    if distractor:
        for _ in range(50):
            r2 = short * rng.uniform(0.1, 0.15)
            c2 = (rng.uniform(r2 * 1.3, width - r2 * 1.3), rng.uniform(r2 * 1.3, height - r2 * 1.3))
            if math.dist(c2, centre) > (reach + r2 * 1.3) * 1.05:
                other = Region(outer=[tuple(p) for p in blob_ring(rng, c2, r2)])
                other_mask = rasterize([other], width, height)
                _paint(canvas, other_mask, _OBJECT_COLOURS[picks[1]][1], rng, flat=False)
                break

    target_mask = rasterize([target], width, height)
    _paint(canvas, target_mask, colour, rng, flat=flat)
    canvas += rng.normal(0, noise, canvas.shape).astype(np.float32)
    image = np.clip(np.rint(canvas), 0, 255).astype(np.uint8)
    name = f"scene-{seed}"
    payload = PhotoClipPayload(
        image=f"images/{name}.webp",
        width=width,
        height=height,
        instruction=f"The {colour_name} shape"
        + (", without the hole in its middle" if hole else ""),
    )
    return Scene(
        name,
        image,
        payload,
        PhotoClipResult(regions=[target.model_copy(update={"label": colour_name})]),
    )


def _paint(
    canvas: npt.NDArray[np.float32],
    mask: npt.NDArray[np.bool_],
    colour: tuple[int, int, int],
    rng: np.random.Generator,
    *,
    flat: bool,
) -> None:
    """Paint ``colour`` over ``mask``, with shading and stripes unless ``flat``."""
    rows, columns = np.nonzero(mask)
    if not len(rows):
        return
    y0, y1, x0, x1 = rows.min(), rows.max() + 1, columns.min(), columns.max() + 1
    patch = np.broadcast_to(np.array(colour, np.float32), (y1 - y0, x1 - x0, 3)).copy()
    if not flat:
        shade = _smooth_field(rng, x1 - x0, y1 - y0, 4) * 18 + _texture(rng, x1 - x0, y1 - y0) * 14
        patch += shade[..., None]
    window = canvas[y0:y1, x0:x1]
    inside = mask[y0:y1, x0:x1]
    window[inside] = patch[inside]


def write_scene(scene: Scene, folder: Path, *, quality: int = WEBP_QUALITY) -> tuple[Path, Path]:
    """Write ``<folder>/<name>.webp`` (WebP at ``quality``) and ``<folder>/<name>.json``
    (``{"payload": …, "gold": …}``); returns both paths. Raises ``OSError``."""
    folder.mkdir(parents=True, exist_ok=True)
    image_path = folder / f"{scene.name}.webp"
    buffer = io.BytesIO()
    Image.fromarray(scene.image).save(buffer, format="WEBP", quality=quality, method=6)
    image_path.write_bytes(buffer.getvalue())
    json_path = folder / f"{scene.name}.json"
    document = {
        "payload": scene.payload.model_dump(mode="json", exclude_none=True),
        "gold": _rounded(scene.gold).model_dump(mode="json", exclude_none=True),
    }
    json_path.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    return image_path, json_path


def _rounded(result: PhotoClipResult) -> PhotoClipResult:
    """Coordinates to 1/100 pixel: the JSON stays small, the mask does not change."""

    def ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [(round(x, 2), round(y, 2)) for x, y in points]

    return PhotoClipResult(
        regions=[
            Region(outer=ring(r.outer), holes=[ring(h) for h in r.holes], label=r.label)
            for r in result.regions
        ]
    )


def load_scene_files(
    folder: Path = DEMO_DIR,
) -> list[tuple[PhotoClipPayload, PhotoClipResult, Path]]:
    """Every ``scene-*.json`` in ``folder`` as (payload, gold, image path), by name.
    Raises ``OSError`` or ``pydantic.ValidationError`` on a broken file."""
    scenes = []
    for json_path in sorted(folder.glob("scene-*.json")):
        document = json.loads(json_path.read_text(encoding="utf-8"))
        payload = PhotoClipPayload.model_validate(document["payload"])
        gold = PhotoClipResult.model_validate(document["gold"])
        scenes.append((payload, gold, json_path.with_suffix(".webp")))
    return scenes


# The demo's generated scenes: (seed, keyword arguments of generate_scene).
DEMO_SCENES: tuple[tuple[int, dict[str, bool]], ...] = (
    (1, {}),
    (2, {"hole": True}),
    (3, {"flat": True}),
)


# The demo's photos: file stem → scikit-image sample (licences in LICENSES.md there).
DEMO_PHOTOS = ("astronaut", "coffee", "chelsea")


def write_demo_photos(folder: Path, *, quality: int = WEBP_QUALITY) -> list[Path]:
    """Write the scikit-image sample photos of ``DEMO_PHOTOS`` as WebP into ``folder``,
    shrunk to at most 1000 pixels on their longer side. A maintainer's tool: it
    needs scikit-image, which Ouvrage does not depend on (raises ``ImportError``)."""
    from skimage import data  # type: ignore[import-not-found,unused-ignore]

    written = []
    for stem in DEMO_PHOTOS:
        photo = Image.fromarray(getattr(data, stem)()).convert("RGB")
        photo.thumbnail((1000, 1000), Image.Resampling.LANCZOS)
        path = folder / f"{stem}.webp"
        photo.save(path, format="WEBP", quality=quality, method=6)
        written.append(path)
    return written


def main() -> None:
    """Rewrite the demo scenes, and the demo photos when scikit-image is installed."""
    for seed, options in DEMO_SCENES:
        write_scene(generate_scene(seed, 800, 544, **options), DEMO_DIR)
    try:
        write_demo_photos(DEMO_DIR)
    except ImportError:
        print("scikit-image is not installed: the demo photos were left as they are")


if __name__ == "__main__":
    main()
