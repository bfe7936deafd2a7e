"""Photo clipping demo content: exact generated scenes, small licence-clean assets, a valid bundle,
and Qt-free modules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sync.bundle import extract_bundle, read_manifest
from taskkinds.photo_clip import KIND
from taskkinds.photo_clip.checks import grade
from taskkinds.photo_clip.demo import (
    DEMO_DIR,
    DEMO_PHOTOS,
    DEMO_SCENES,
    generate_scene,
    load_scene_files,
    write_scene,
)
from taskkinds.photo_clip.demo_spec import DEMO_BUNDLE_ID, build_demo_bundles, demo_golds
from taskkinds.photo_clip.masks import rasterize

ROOT = Path(__file__).resolve().parent.parent


def test_a_scene_is_the_same_for_the_same_seed() -> None:
    first, again = generate_scene(11, 320, 240), generate_scene(11, 320, 240)
    assert np.array_equal(first.image, again.image) and first.gold == again.gold
    assert not np.array_equal(first.image, generate_scene(12, 320, 240).image)


@pytest.mark.parametrize("hole", [False, True])
def test_the_gold_mask_is_exactly_the_painted_target(hole: bool) -> None:
    scene = generate_scene(5, 640, 480, flat=True, hole=hole, noise=0)
    colour = scene.image[tuple(np.argwhere(rasterize(scene.gold.regions, 640, 480))[0])]
    painted = np.all(scene.image == colour, axis=2)
    assert np.array_equal(painted, rasterize(scene.gold.regions, 640, 480))
    assert scene.payload.instruction.startswith(f"The {scene.gold.regions[0].label} shape")


def test_demo_assets_are_small_and_every_photo_has_a_licence() -> None:
    files = [p for p in DEMO_DIR.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 600_000
    licences = (DEMO_DIR / "LICENSES.md").read_text(encoding="utf-8")
    for image_path in DEMO_DIR.glob("*.webp"):
        assert image_path.stat().st_size <= 100_000, image_path.name
        with Image.open(image_path) as image:
            assert image.format == "WEBP" and max(image.size) <= 1000
        assert image_path.name in licences, f"{image_path.name} has no licence entry"
    assert {f"{stem}.webp" for stem in DEMO_PHOTOS} <= {p.name for p in files}


def test_demo_scene_files_match_their_images() -> None:
    scenes = load_scene_files()
    assert len(scenes) >= 3
    for payload, gold, image_path in scenes:
        with Image.open(image_path) as image:
            assert image.size == (payload.width, payload.height)
        assert gold.regions and grade(gold, gold) == 1.0


def test_the_demo_bundle_is_valid_and_every_payload_parses(tmp_path: Path) -> None:
    [bundle] = build_demo_bundles(tmp_path / "out")
    manifest = read_manifest(bundle, known_kinds={"photo_clip"})
    assert manifest.bundle_id == DEMO_BUNDLE_ID and manifest.kind == "photo_clip"
    folder = extract_bundle(bundle, tmp_path / "staging", known_kinds={"photo_clip"}).directory
    task_ids = []
    for task in manifest.tasks:
        payload = KIND.parse_payload(task.payload)
        assert task.media == [payload.image]
        with Image.open(folder / payload.image) as image:
            assert image.size == (payload.width, payload.height)
        task_ids.append(task.id)
    assert set(demo_golds()) <= set(task_ids)
    assert len(task_ids) == len(DEMO_PHOTOS) + len(demo_golds())


QT_FREE = [
    "taskkinds.photo_clip",
    "taskkinds.photo_clip.model",
    "taskkinds.photo_clip.checks",
    "taskkinds.photo_clip.export",
    "taskkinds.photo_clip.geometry",
    "taskkinds.photo_clip.masks",
    "taskkinds.photo_clip.assists",
    "taskkinds.photo_clip.demo",
    "taskkinds.photo_clip.demo_spec",
]
# What the mock server loads must not pull in OpenCV either.
OPENCV_FREE = {"taskkinds.photo_clip", *QT_FREE[1:4]}


@pytest.mark.parametrize("module", QT_FREE)
def test_the_core_modules_import_no_qt(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(','.join(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PySide6', 'shiboken6', 'cv2'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded = set(filter(None, done.stdout.strip().split(",")))
    assert not {m for m in loaded if not m.startswith("cv2")}, f"{module} pulls in Qt"
    if module in OPENCV_FREE:
        assert not loaded, f"{module} pulls in OpenCV"


def test_the_committed_scenes_are_what_the_generator_makes(tmp_path: Path) -> None:
    for seed, options in DEMO_SCENES:
        scene = generate_scene(seed, 800, 544, **options)
        _, json_path = write_scene(scene, tmp_path)
        committed = DEMO_DIR / json_path.name
        assert json_path.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
