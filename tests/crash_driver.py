"""A contributor at work, to be killed: types into the real window and submits tasks.

    python -m tests.crash_driver PROFILE LOG

Runs the real main window (offscreen) with real worker threads. Every keystroke
is logged with the wall-clock time and the editor's full content, and every
submission once the store has confirmed it. The parent kills this process with
SIGKILL at a random moment and compares the log with the database.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402

from app.context import AppContext  # noqa: E402
from app.gui import make_application  # noqa: E402
from app.mainwindow import MainWindow  # noqa: E402
from app.profile import Profile  # noqa: E402

KEYSTROKE_MS = 30


def main() -> None:
    profile_dir, log_path = Path(sys.argv[1]), Path(sys.argv[2])
    log = log_path.open("a", encoding="utf-8", buffering=1)  # line-buffered: survives SIGKILL

    def write(kind: str, **fields: object) -> None:
        log.write(json.dumps({"t": time.time(), "kind": kind, **fields}) + "\n")

    app = make_application()
    ctx = AppContext.create(Profile(profile_dir))
    window = MainWindow(ctx)
    window.show()
    state = {"key": None}

    original_submitted = window._submitted

    def submitted(key: str, *rest: object) -> None:
        write("submitted", key=key)  # the store committed before this callback runs
        original_submitted(key, *rest)  # type: ignore[arg-type]

    window._submitted = submitted  # type: ignore[method-assign]

    def step() -> None:
        editor = window.pane.editor
        current = window.current
        if not ctx.ready or window.queue_model.rowCount() == 0:
            return
        if current is None or editor is None:
            if window._opening is None:
                window.move_task(1)
            return
        if current.read_only:
            # A task submitted in an earlier life: go to the next one still to do.
            following = window.queue_panel.next_open(current.key)
            if following is not None and window._opening in (None, current.key):
                window.open_task(following)
            return
        if state["key"] != current.key:
            state["key"] = current.key
            write("opened", key=current.key, content=editor.content())
        for row in editor.rows:
            typed, source = row.text(), row.segment.source
            if typed != source:
                if not source.startswith(typed):
                    row.target.setPlainText("")  # an odd draft: start the segment again
                    return
                row.target.setFocus()
                row.target.insertPlainText(source[len(typed)])
                write("typed", key=current.key, content=editor.content())
                return
        write("submitting", key=current.key)
        editor.request_submit()

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(KEYSTROKE_MS)
    write("started", pid=os.getpid())
    app.exec()


if __name__ == "__main__":
    main()
