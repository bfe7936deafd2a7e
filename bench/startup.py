"""Start-up time: Ouvrage with 10,000 tasks against a bare PySide6 window, in the same run.

Each measurement is a fresh process, timed from just before it is spawned to the
moment it reports its window shown and, for Ouvrage, the queue on screen (its first
screenful of tasks painted, the count of all 10,000 known) and then all 10,000 rows
read. Runs alternate between them so machine noise hits all alike. A third window is
timed as a reference, not as the goal's baseline: a bare PySide6 window showing the same
first 200 rows in a QTableWidget, read with sqlite3 (what any real window pays for text,
fonts and a table, with no Ouvrage code). The project's modules are byte-compiled first,
as an installed copy's are.

    python -m bench.startup [--runs 7] [--tasks 10000] [--json]
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

from bench.timing import compile_project, spawn_marked

ROOT = Path(__file__).resolve().parent.parent

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

# A reference, not the goal's baseline: what any real PySide6 window pays to show the same
# first screenful (fonts, text, a table), with none of Ouvrage's code.
TABLE_WINDOW = """
import os, sqlite3, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1100, 720)
database = sqlite3.connect(os.path.join(sys.argv[1], "ouvrage.sqlite3"))
rows = database.execute(
    "SELECT state, summary, bundle_id, reward FROM tasks ORDER BY bundle_id, position LIMIT 200"
).fetchall()
table = QTableWidget(len(rows), 4)
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        table.setItem(r, c, QTableWidgetItem(str(value)))
window.setCentralWidget(table)
window.show()
def shown():
    window.repaint()  # the rows painted
    print("shown", flush=True)
    os._exit(0)  # PySide may crash tearing down table items at exit; nothing to keep
QTimer.singleShot(0, shown)
app.exec()
"""

OUVRAGE_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from app.gui import make_application
app = make_application()
from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
ctx = AppContext.create(Profile(Path(sys.argv[1])))
window = MainWindow(ctx)
window.show()
expected = int(sys.argv[2])
queue_seen = False
def shown():
    print("shown", flush=True)
    poll()
def poll():
    global queue_seen
    rows = window.queue_model.rowCount()
    if rows and not queue_seen:
        queue_seen = True
        window.repaint()  # the rows painted, as the contributor sees them
        print("queue", flush=True)
    if rows >= expected:
        print("filled", flush=True)
        window.close()
        ctx.close()
        app.quit()
    else:
        QTimer.singleShot(1, poll)
QTimer.singleShot(0, shown)
app.exec()
"""


def make_profile(root: Path, tasks: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from app.importer import import_bundle_file
    from app.profile import Profile
    from app.store import Store
    from taskkinds import default_registry
    from tests.factories import translation_bundle

    profile = Profile(root / "profile").ensure()
    store = Store(profile.db_path)
    bundle = translation_bundle(root / "big.zip", bundle_id="bench-10k", tasks=tasks)
    import_bundle_file(store, profile, bundle, default_registry())
    store.close()
    return profile.root






def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ouvrage-bench-") as tmp:
        profile = make_profile(Path(tmp), args.tasks)
        compile_project()
        bare, table, shown, queue, filled = [], [], [], [], []
        for _ in range(args.runs):
            bare.append(spawn_marked([sys.executable, "-c", BARE_WINDOW], ("shown",))["shown"])
            table.append(
                spawn_marked([sys.executable, "-c", TABLE_WINDOW, str(profile)], ("shown",))[
                    "shown"
                ]
            )
            marks = spawn_marked(
                [sys.executable, "-c", OUVRAGE_WINDOW, str(profile), str(args.tasks)],
                ("shown", "queue", "filled"),
            )
            shown.append(marks["shown"])
            queue.append(marks["queue"])
            filled.append(marks["filled"])

    result = {
        "benchmark": "startup",
        "machine": f"{platform.machine()} {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "qt_platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "tasks": args.tasks,
        "runs": args.runs,
        "bare_window_s": statistics.median(bare),
        "table_window_s": statistics.median(table),
        "ouvrage_window_shown_s": statistics.median(shown),
        "ouvrage_queue_shown_s": statistics.median(queue),
        "ouvrage_queue_filled_s": statistics.median(filled),
    }
    result["ratio_table"] = result["table_window_s"] / result["bare_window_s"]
    result["ratio_shown"] = result["ouvrage_window_shown_s"] / result["bare_window_s"]
    result["ratio_queue"] = result["ouvrage_queue_shown_s"] / result["bare_window_s"]
    result["ratio_filled"] = result["ouvrage_queue_filled_s"] / result["bare_window_s"]
    result["goal_ratio"] = 1.5
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']} (Qt platform {result['qt_platform']})")
    print(f"medians of {args.runs} runs, {args.tasks} tasks in the profile")
    print(f"  bare PySide6 window shown      {result['bare_window_s'] * 1000:7.0f} ms   1.00×")
    print(f"  bare window, 200 rows in a table {result['table_window_s'] * 1000:5.0f} ms   "
          f"{result['ratio_table']:.2f}×   (reference: no Ouvrage code)")  # fmt: skip
    print(f"  Ouvrage window shown           {result['ouvrage_window_shown_s'] * 1000:7.0f} ms   "
          f"{result['ratio_shown']:.2f}×")  # fmt: skip
    queue_ms = result["ouvrage_queue_shown_s"] * 1000
    print(f"  Ouvrage queue on screen        {queue_ms:7.0f} ms   "
          f"{result['ratio_queue']:.2f}×   (goal ≤ {result['goal_ratio']}×)")  # fmt: skip
    filled_ms = result["ouvrage_queue_filled_s"] * 1000
    print(f"  all {args.tasks} tasks read          {filled_ms:7.0f} ms   "
          f"{result['ratio_filled']:.2f}×")  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
