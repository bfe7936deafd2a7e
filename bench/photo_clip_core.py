"""Photo clipping core: each assist on a 12-megapixel photo against Pillow's decode of it.

A generated scene (4000 × 3000, JPEG quality 90) is decoded with Pillow, then each
assist runs on it as the editor would call it; every figure is the median of a few
runs, shown beside its ratio to the decode. Goal (issue 4): each assist ≤ 1 s per
interaction. Geometry figures for a 2,000-vertex outline come after.

    python -m bench.photo_clip_core [--runs 5] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import math
import platform
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from bench.timing import warm_time
from taskkinds.photo_clip.assists import grabcut_proposal, load_rgb, magic_wand, scissors_path
from taskkinds.photo_clip.demo import generate_scene
from taskkinds.photo_clip.export import mask_png
from taskkinds.photo_clip.geometry import (
    as_array,
    moved_vertex_crosses,
    regions_bounding_box,
    self_intersects,
)
from taskkinds.photo_clip.masks import mask_to_regions, rasterize, stroke_mask, union
from taskkinds.photo_clip.model import Box, PhotoClipResult

WIDTH, HEIGHT = 4000, 3000




def star(points: int) -> np.ndarray:
    angles = np.arange(2 * points) * math.pi / points
    radii = np.where(np.arange(2 * points) % 2 == 0, 1400.0, 700.0)
    return np.column_stack([2000 + radii * np.cos(angles), 1500 + radii * np.sin(angles)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    scene = generate_scene(4, WIDTH, HEIGHT)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scene.jpg"
        buffer = io.BytesIO()
        Image.fromarray(scene.image).save(buffer, format="JPEG", quality=90)
        path.write_bytes(buffer.getvalue())

        def pillow_decode() -> None:
            with Image.open(path) as image:
                image.load()

        decode = warm_time(pillow_decode, args.runs)
        image = load_rgb(path)
        results: dict[str, float] = {"load_rgb": warm_time(lambda: load_rgb(path), args.runs)}

    gold = scene.gold.regions
    box = regions_bounding_box(gold)
    assert box is not None
    padded = Box(x=box.x - 60, y=box.y - 60, w=box.w + 120, h=box.h + 120)
    gold_mask = rasterize(gold, WIDTH, HEIGHT)
    rows, columns = np.nonzero(gold_mask)
    seed = (columns[len(columns) // 2] + 0.5, rows[len(rows) // 2] + 0.5)
    outline = as_array(gold[0].outer)
    anchors = [tuple(outline[i]) for i in (0, 60, 120, 180)]
    background_seed = (40.5, 40.5)

    results["grabcut_proposal (box around the object)"] = warm_time(
        lambda: grabcut_proposal(image, padded), args.runs
    )
    results["magic_wand (object, tolerance 40)"] = warm_time(
        lambda: magic_wand(image, seed, 40), args.runs
    )
    results["magic_wand (background, tolerance 60)"] = warm_time(
        lambda: magic_wand(image, background_seed, 60), args.runs
    )
    results["scissors_path (3 legs along a quarter outline)"] = warm_time(
        lambda: scissors_path(image, anchors), args.runs
    )
    assist_names = list(results)[1:]

    ring = star(1000)
    results["self_intersects (2,000-vertex star)"] = warm_time(
        lambda: self_intersects(ring), args.runs
    )
    results["moved_vertex_crosses (2,000 vertices, one drag step)"] = warm_time(
        lambda: moved_vertex_crosses(ring, 10, (2100.0, 1500.0)), args.runs * 20
    )
    stroke = stroke_mask([(seed[0] + dx, seed[1]) for dx in range(0, 400, 8)], 25, WIDTH, HEIGHT)
    results["union with a brush stroke (12 MP image)"] = warm_time(
        lambda: union(gold, stroke, WIDTH, HEIGHT), args.runs
    )
    results["mask_to_regions (object mask, 12 MP)"] = warm_time(
        lambda: mask_to_regions(gold_mask), args.runs
    )
    results["mask_png export (12 MP)"] = warm_time(
        lambda: mask_png(PhotoClipResult(regions=gold), scene.payload.model_copy()), args.runs
    )

    if args.json:
        payload = {"pillow_decode_s": decode, "seconds": results, "machine": platform.platform()}
        print(json.dumps(payload, indent=2))
        return
    print(f"12 MP photo ({WIDTH} × {HEIGHT} JPEG), median of {args.runs} runs")
    print(f"{'Pillow decode (reference)':55s} {decode * 1000:8.0f} ms")
    for name, seconds in results.items():
        ratio = f"{seconds / decode:6.2f}× decode" if name in assist_names else ""
        goal = ("  ok" if seconds <= 1.0 else "  OVER 1 s") if name in assist_names else ""
        print(f"{name:55s} {seconds * 1000:8.1f} ms  {ratio}{goal}")


if __name__ == "__main__":
    main()
