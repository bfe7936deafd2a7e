"""The photo clipping demo bundle, built from ``resources/demo/photo_clip``. Qt-free.

Three licence-clean photos (see ``LICENSES.md`` there) and three generated scenes
whose gold clippings are known exactly (``demo_golds``), in one bundle of kind
``photo_clip``. Ready for the demo and the mock server; nothing calls it yet.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PIL import Image

from sync.bundle import build_bundle
from taskkinds.photo_clip.demo import DEMO_DIR, load_scene_files
from taskkinds.photo_clip.model import PhotoClipPayload, PhotoClipResult

__all__ = ["DEMO_BUNDLE_ID", "build_demo_bundles", "demo_golds", "demo_tasks"]

DEMO_BUNDLE_ID = "demo-photo-clip"

# Photo file stem → what to clip.
_PHOTOS = (
    ("astronaut", "The astronaut: her head, hair and orange suit (not the helmet she holds)"),
    ("coffee", "The cup of coffee with its saucer and spoon"),
    ("chelsea", "The cat"),
)

_INSTRUCTIONS = (
    "Clip the object named in each task out of its photo.\n\n"
    "• Follow the object's edge closely; leave out the background.\n"
    "• Cut holes where the background shows through the object.\n"
    "• Use the box, magic wand or scissors assists to go faster, then correct their "
    "proposal by hand.\n"
    "• The scenes are practice tasks: their exact answer is known."
)


def _photo_payload(stem: str, instruction: str, folder: Path) -> PhotoClipPayload:
    with Image.open(folder / f"{stem}.webp") as image:
        width, height = image.size
    return PhotoClipPayload(
        image=f"images/{stem}.webp", width=width, height=height, instruction=instruction
    )


def demo_tasks(folder: Path = DEMO_DIR) -> list[tuple[str, PhotoClipPayload, Path]]:
    """Every demo task as (task id, payload, image file): photos first, then scenes.
    Raises ``OSError`` when a file of ``folder`` is missing or unreadable."""
    tasks = [
        (f"photo-{stem}", _photo_payload(stem, instruction, folder), folder / f"{stem}.webp")
        for stem, instruction in _PHOTOS
    ]
    for payload, _, image in load_scene_files(folder):
        tasks.append((image.stem, payload, image))
    return tasks


def demo_golds(folder: Path = DEMO_DIR) -> dict[str, PhotoClipResult]:
    """The exact answers of the demo's scene tasks, by task id (for practice grading)."""
    return {image.stem: gold for _, gold, image in load_scene_files(folder)}


def build_demo_bundles(out_dir: Path, folder: Path = DEMO_DIR) -> list[Path]:
    """Build the photo clipping demo bundle into ``out_dir`` (created if needed) and
    return its path in a list. Raises ``OSError`` or ``sync.bundle.ManifestInvalid``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks: list[dict[str, Any]] = []
    media: dict[str, bytes | Path] = {}
    for task_id, payload, image in demo_tasks(folder):
        tasks.append(
            {
                "id": task_id,
                "payload": payload.model_dump(mode="json", exclude_none=True),
                "media": [payload.image],
            }
        )
        media[payload.image] = image
    bundle = build_bundle(
        out_dir / f"{DEMO_BUNDLE_ID}.zip",
        bundle_id=DEMO_BUNDLE_ID,
        kind="photo_clip",
        title="Demo · Clip objects out of photos",
        instructions=_INSTRUCTIONS,
        reward_per_task=Decimal("0.08"),
        currency="EUR",
        estimated_minutes_per_task=2.0,
        tasks=tasks,
        media=media,
    )
    return [bundle]
