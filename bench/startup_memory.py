"""Start-up and memory: a usable Ouvrage window with 10,000 tasks and a 24 MP photo open,
against a bare Qt window plus Pillow's decode of the same photo, in the same run.

Each measurement is a fresh process, so its peak resident set is its own (``VmHWM`` of
``/proc/self/status``: ``ru_maxrss`` would include the parent's, kept across fork and exec).
Time runs from just before the process is spawned to the moment it reports:

- Ouvrage, on a profile of 10,000 tasks (9,999 translation tasks and one clipping task)
  closed last with the clipping task open: the window shown, the queue on screen (its first
  screenful), the clipping task reopened and its photo painted beside the queue ("usable");
  then the full-resolution image ready and all 10,000 rows read, after which the peak RSS
  is read;
- baseline: a bare ``QMainWindow`` shown and the same photo decoded by Pillow (kept alive
  until the peak RSS is read).

Runs alternate between the two so machine noise hits both alike. The project's modules
are byte-compiled first, as an installed copy's are. Goals (issue 9): time and
peak RSS each ≤ 1.5× the baseline.

    python -m bench.startup_memory [--runs 5] [--tasks 10000] [--format jpg|webp] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.timing import compile_project, spawn_marked

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_RATIO = 1.5
WIDTH, HEIGHT = 6000, 4000  # 24 MP

PEAK_KIB = """
import resource
def peak_kib():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's over fork/exec.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

BARE_WINDOW = (
    PEAK_KIB
    + """
import sys
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
window.show()
def decode():
    image = Image.open(sys.argv[1])
    image.load()
    window.image = image  # kept alive, as an editor keeps its photo
    print("usable", flush=True)
    print("peak_kib", peak_kib(), flush=True)
    app.quit()
QTimer.singleShot(0, decode)
app.exec()
"""
)

OUVRAGE_WINDOW = (
    PEAK_KIB
    + """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from app.gui import make_application
app = make_application()
from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
ctx = AppContext.create(Profile(Path(sys.argv[1])))
window = MainWindow(ctx)
window.resize(1280, 800)
window.show()
expected = int(sys.argv[2])
deadline = time.monotonic() + 120
marks = set()
def canvas():
    editor = window.pane.editor
    return getattr(editor, "canvas", None) if editor is not None else None
def say(mark):
    marks.add(mark)
    print(mark, flush=True)
def poll():
    # The clipping task was open when the profile last closed: Ouvrage reopens it itself.
    if time.monotonic() > deadline:
        sys.exit(f"stuck after {sorted(marks)}")
    shown = canvas()
    rows = window.queue_model.rowCount()
    if "queue" not in marks and rows:
        say("queue")
    if "usable" not in marks and rows and shown is not None and shown.shows_photo():
        window.repaint()  # the queue and the photo painted, as the contributor sees them
        say("usable")
    if "usable" in marks and "full" not in marks and shown.has_image():
        shown.grab()
        say("full")
    if "filled" not in marks and rows >= expected:
        say("filled")
    if {"full", "filled"} <= marks:
        QTimer.singleShot(200, done)  # whatever the full image set off settles
    else:
        QTimer.singleShot(1, poll)
def done():
    print("peak_kib", peak_kib(), flush=True)
    window.close()
    ctx.close()
    app.quit()
QTimer.singleShot(0, lambda: (say("shown"), poll()))
app.exec()
"""
)


def make_photo(folder: Path, fmt: str) -> Path:
    from PIL import Image

    from bench.photo_clip import photo_like

    path = folder / f"photo-24mp.{fmt}"
    options = {"quality": 90} if fmt == "jpg" else {"quality": 80}
    Image.fromarray(photo_like(WIDTH, HEIGHT, seed=3)).save(path, **options)
    return path


def make_profile(root: Path, tasks: int, photo: Path) -> tuple[Path, str]:
    """A profile of ``tasks - 1`` translation tasks and one 24 MP clipping task; returns the
    profile folder and the clipping task's key."""
    from app.importer import import_bundle_file
    from app.mainwindow import LAST_TASK_SETTING
    from app.profile import Profile
    from app.store import Store
    from sync.bundle import build_bundle
    from taskkinds import default_registry
    from tests.factories import translation_bundle

    profile = Profile(root / "profile").ensure()
    store = Store(profile.db_path)
    registry = default_registry()
    text = translation_bundle(root / "text.zip", bundle_id="bench-text", tasks=tasks - 1)
    image_name = f"images/{photo.name}"
    payload = {
        "version": 1,
        "image": image_name,
        "width": WIDTH,
        "height": HEIGHT,
        "instruction": "The red object in the middle",
    }
    clip = build_bundle(
        root / "photo.zip",
        bundle_id="bench-photo",
        kind="photo_clip",
        title="A 24 MP photo",
        tasks=[{"id": "photo-24mp", "payload": payload, "media": [image_name]}],
        media={image_name: photo},
        estimated_minutes_per_task=2.0,
    )
    import_bundle_file(store, profile, clip, registry)
    import_bundle_file(store, profile, text, registry)
    key = store.tasks(kind="photo_clip")[0].id
    store.set_setting(LAST_TASK_SETTING, key)  # open when the profile last closed
    store.close()
    return profile.root, key




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--format", choices=("jpg", "webp"), default="jpg")
    parser.add_argument("--quick", action="store_true", help="3 runs")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs

    samples: dict[str, list[float]] = {
        k: []
        for k in ("bare_usable", "bare_peak", "shown", "queue", "filled", "usable", "full", "peak")
    }
    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-memory-") as tmp:
        folder = Path(tmp)
        photo = make_photo(folder, args.format)
        profile, key = make_profile(folder, args.tasks, photo)
        compile_project()
        for _ in range(runs):
            bare = spawn_marked(
                [sys.executable, "-c", BARE_WINDOW, str(photo)], ("usable",), values=("peak_kib",)
            )
            samples["bare_usable"].append(bare["usable"])
            samples["bare_peak"].append(bare["peak_kib"])
            ours = spawn_marked(
                [sys.executable, "-c", OUVRAGE_WINDOW, str(profile), str(args.tasks), key],
                ("shown", "queue", "filled", "usable", "full"),
                values=("peak_kib",),
            )
            for mark in ("shown", "queue", "filled", "usable", "full"):
                samples[mark].append(ours[mark])
            samples["peak"].append(ours["peak_kib"])

    m = {name: statistics.median(values) for name, values in samples.items()}
    time_ratio = m["usable"] / m["bare_usable"]
    rss_ratio = m["peak"] / m["bare_peak"]
    decoded_mib = WIDTH * HEIGHT * 3 / 2**20
    rows = [
        {
            "figure": f"time to a usable window ({args.tasks:,} tasks, 24 MP photo painted)",
            "value": m["usable"],
            "unit": "s",
            "baseline": m["bare_usable"],
            "baseline_label": "bare Qt window + Pillow decode",
            "ratio": time_ratio,
            "goal": f"≤ {GOAL_RATIO}×",
            "met": time_ratio <= GOAL_RATIO,
        },
        {
            "figure": "peak RSS (after the full-resolution image is ready)",
            "value": m["peak"] / 1024,
            "unit": "MiB",
            "baseline": m["bare_peak"] / 1024,
            "baseline_label": "bare Qt window + Pillow decode",
            "ratio": rss_ratio,
            "goal": f"≤ {GOAL_RATIO}×",
            "met": rss_ratio <= GOAL_RATIO,
        },
        {"figure": "  window shown", "value": m["shown"], "unit": "s"},
        {"figure": "  queue on screen", "value": m["queue"], "unit": "s"},
        {"figure": f"  all {args.tasks:,} tasks read", "value": m["filled"], "unit": "s"},
        {
            "figure": "  full-resolution photo ready",
            "value": m["full"],
            "unit": "s",
            "baseline": m["bare_usable"],
            "baseline_label": "bare Qt window + Pillow decode",
            "ratio": m["full"] / m["bare_usable"],
        },
    ]
    result: dict[str, Any] = {
        "benchmark": "startup_memory",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}",
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "tasks": args.tasks,
        "photo": f"{WIDTH}×{HEIGHT} {args.format.upper()}",
        "decoded_photo_mib": decoded_mib,
        "runs": runs,
        "bare_usable_s": m["bare_usable"],
        "bare_peak_mib": m["bare_peak"] / 1024,
        "ouvrage_shown_s": m["shown"],
        "ouvrage_queue_s": m["queue"],
        "ouvrage_filled_s": m["filled"],
        "ouvrage_usable_s": m["usable"],
        "ouvrage_full_image_s": m["full"],
        "ouvrage_peak_mib": m["peak"] / 1024,
        "ratio_usable": time_ratio,
        "ratio_peak_rss": rss_ratio,
        "samples": samples,
        "rows": rows,
        "goals": {"ratio_usable": GOAL_RATIO, "ratio_peak_rss": GOAL_RATIO},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']} (Qt platform {result['qt_platform']})")
    print(f"medians of {runs} runs; {args.tasks:,} tasks, a {result['photo']} photo "
          f"({decoded_mib:.0f} MiB decoded)")  # fmt: skip
    print(f"  bare Qt window + Pillow decode   {m['bare_usable'] * 1000:7.0f} ms   "
          f"peak RSS {m['bare_peak'] / 1024:6.0f} MiB")  # fmt: skip
    print(f"  Ouvrage usable (photo painted)   {m['usable'] * 1000:7.0f} ms   "
          f"{time_ratio:.2f}×  (goal ≤ {GOAL_RATIO}×)")  # fmt: skip
    print(f"    shown {m['shown'] * 1000:.0f} ms, queue {m['queue'] * 1000:.0f} ms, "
          f"all rows {m['filled'] * 1000:.0f} ms, "
          f"full image {m['full'] * 1000:.0f} ms")  # fmt: skip
    print(f"  Ouvrage peak RSS                 {m['peak'] / 1024:7.0f} MiB  "
          f"{rss_ratio:.2f}×  (goal ≤ {GOAL_RATIO}×)")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
