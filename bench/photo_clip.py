"""Photo clipping, side by side in one run: open a 24 MP photo, export its mask, assists on 12 MP.

- open: the editor shown with a 24-megapixel JPEG, WebP and PNG painted, each against
  Pillow's own decode of the same file (goal ≤ 1.5×);
- mask export of a 24-megapixel task (``mask_png``), against Pillow encoding a PNG of the
  same size;
- each assist on a 12-megapixel photo (goal ≤ 1 s per interaction), against Pillow's decode;
- the vertex drag figure comes from ``python -m bench.photo_clip_drag`` (p99 goal ≤ 16 ms).

    QT_QPA_PLATFORM=offscreen python -m bench.photo_clip [--runs 3] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from bench.timing import median_time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def photo_like(width: int, height: int, seed: int = 1) -> np.ndarray:
    """A smooth, photo-like RGB image with an object in the middle."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, size=(height // 64 + 2, width // 64 + 2, 3), dtype=np.uint8)
    image = np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC))
    noise = rng.integers(-12, 12, size=(height, width, 1), dtype=np.int16)
    image = np.clip(image.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    yy, xx = np.ogrid[:height, :width]
    inside = ((xx - width / 2) / (width / 4)) ** 2 + ((yy - height / 2) / (height / 4)) ** 2 < 1
    image[inside] = (image[inside] // 3 + np.array([160, 40, 30], dtype=np.uint8)).clip(0, 255)
    return image


OPEN_FORMATS = ("jpg", "webp", "png")  # the payload's formats, each saved from the same pixels




def open_in_editor(
    app: Any, media_dir: Path, name: str, width: int, height: int, *, full: bool = False
) -> float:
    """Build the editor on ``media_dir/name``; return the seconds until the photo is painted.

    ``full`` waits for the full-resolution image rather than the first (reduced) paint.
    """
    from PySide6.QtCore import QThreadPool

    from taskkinds.photo_clip.editor import PhotoClipEditor
    from taskkinds.photo_clip.model import PhotoClipPayload

    started = time.perf_counter()
    payload = PhotoClipPayload(image=name, width=width, height=height, instruction="the object")
    editor = PhotoClipEditor(payload, media_dir, None)
    editor.resize(1200, 800)
    editor.show()
    deadline = time.monotonic() + 120
    ready = editor.canvas.has_image if full else editor.canvas.shows_photo
    while not ready():
        app.processEvents()
        time.sleep(0.001)
        if time.monotonic() > deadline:
            raise RuntimeError("the editor never showed the photo")
    editor.canvas.grab()  # the first paint with the photo in it
    elapsed = time.perf_counter() - started
    editor.close()
    editor.deleteLater()
    # The full decode goes on after a first paint from the preview: let it finish, so it
    # does not share the CPU with the next run (Pillow's own runs have nothing beside them).
    QThreadPool.globalInstance().waitForDone()
    app.processEvents()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from app.gui import make_application
    from taskkinds.photo_clip.assists import grabcut_proposal, magic_wand, scissors_path
    from taskkinds.photo_clip.export import mask_png
    from taskkinds.photo_clip.images import load_rgb
    from taskkinds.photo_clip.model import Box, PhotoClipPayload, PhotoClipResult, Region

    app = make_application()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-clip-") as tmp:
        folder = Path(tmp)
        big_w, big_h = 6000, 4000  # 24 MP
        big = Image.fromarray(photo_like(big_w, big_h))
        big.save(folder / "big.jpg", quality=90)
        big.save(folder / "big.webp", quality=80)
        big.save(folder / "big.png")
        del big
        mid_w, mid_h = 4240, 2832  # 12 MP
        Image.fromarray(photo_like(mid_w, mid_h, seed=2)).save(folder / "mid.jpg", quality=90)

        def pillow_decode(name: str) -> None:
            with Image.open(folder / name) as image:
                image.load()

        for suffix in OPEN_FORMATS:
            name = f"big.{suffix}"
            pillow, first, full = [], [], []
            for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
                pillow.append(median_time(lambda name=name: pillow_decode(name), 1))
                first.append(open_in_editor(app, folder, name, big_w, big_h))
                full.append(open_in_editor(app, folder, name, big_w, big_h, full=True))
            figures[f"pillow_decode_24mp_{suffix}_s"] = statistics.median(pillow)
            figures[f"editor_first_paint_24mp_{suffix}_s"] = statistics.median(first)
            figures[f"editor_full_image_24mp_{suffix}_s"] = statistics.median(full)
            figures[f"open_ratio_{suffix}"] = statistics.median(first) / statistics.median(pillow)

        ring = [(big_w * 0.25, big_h * 0.25), (big_w * 0.75, big_h * 0.25),
                (big_w * 0.75, big_h * 0.75), (big_w * 0.25, big_h * 0.75)]  # fmt: skip
        payload = PhotoClipPayload(image="big.jpg", width=big_w, height=big_h, instruction="x")
        result = PhotoClipResult(regions=[Region(outer=ring)])
        figures["mask_export_24mp_s"] = median_time(lambda: mask_png(result, payload), args.runs)
        blank = Image.new("L", (big_w, big_h))
        figures["pillow_png_24mp_s"] = median_time(
            lambda: blank.save(io.BytesIO(), format="PNG"), args.runs
        )

        figures["pillow_decode_12mp_s"] = median_time(lambda: pillow_decode("mid.jpg"), args.runs)
        photo = load_rgb(folder / "mid.jpg")
        box = Box(x=mid_w * 0.2, y=mid_h * 0.2, w=mid_w * 0.6, h=mid_h * 0.6)
        centre = (mid_w / 2, mid_h / 2)
        anchors = [(mid_w * 0.25, mid_h / 2), (mid_w / 2, mid_h * 0.25), (mid_w * 0.75, mid_h / 2)]
        figures["grabcut_12mp_s"] = median_time(lambda: grabcut_proposal(photo, box), args.runs)
        figures["magic_wand_12mp_s"] = median_time(lambda: magic_wand(photo, centre, 30), args.runs)
        figures["scissors_12mp_s"] = median_time(lambda: scissors_path(photo, anchors), args.runs)

    result_json = {
        "benchmark": "photo_clip",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        **figures,
        "goals": {"open_ratio": 1.5, "assist_s": 1.0},
    }
    if args.json:
        print(json.dumps(result_json, indent=2))
        return
    f = figures
    print(f"machine: {result_json['machine']}; medians of {args.runs} runs")
    for suffix in OPEN_FORMATS:
        label = f"open 24 MP {suffix.upper()} to first paint"
        print(f"  {label:<32} {f[f'editor_first_paint_24mp_{suffix}_s'] * 1000:7.0f} ms   "
              f"Pillow decode {f[f'pillow_decode_24mp_{suffix}_s'] * 1000:5.0f} ms   "
              f"ratio {f[f'open_ratio_{suffix}']:.2f}x (goal <= 1.5x)")  # fmt: skip
        print(f"    full resolution ready          "
              f"{f[f'editor_full_image_24mp_{suffix}_s'] * 1000:7.0f} ms")  # fmt: skip
    print(f"  mask export 24 MP                {f['mask_export_24mp_s'] * 1000:7.0f} ms   "
          f"Pillow PNG encode {f['pillow_png_24mp_s'] * 1000:5.0f} ms")  # fmt: skip
    for name in ("grabcut", "magic_wand", "scissors"):
        seconds = f[f"{name}_12mp_s"]
        ratio = seconds / f["pillow_decode_12mp_s"]
        print(f"  {name:<16} on 12 MP          {seconds * 1000:7.0f} ms   "
              f"{ratio:.1f}x Pillow's decode (goal <= 1 s)")  # fmt: skip
    print(json.dumps(result_json))


if __name__ == "__main__":
    main()
