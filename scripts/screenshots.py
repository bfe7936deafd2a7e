"""Render every screen of Ouvrage into docs/screenshots/, offscreen, on a fresh demo.

    python3 -m scripts.screenshots [--out docs/screenshots] [--size 1200x760] [--colours 256]

It starts the demo's own mock server on a free loopback port in a temporary folder,
signs in as the demo contributor, claims the demo bundles, then drives the real
window: the queue, each editor, a few results sent and approved (outbox, earnings),
the catalogue, the preferences, the shortcut sheet, the tour, and the translation
editor in the dark and high-contrast looks. PNGs are reduced to a palette so the
set stays a few hundred KB. Nothing is written outside the temporary folder and
``--out``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QBuffer, QIODevice, QPoint  # noqa: E402
from PySide6.QtGui import QImage, QPainter, QPen  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def pump(seconds: float) -> None:
    """Let the event loop run (background results arrive as signals) for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"screenshots: gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.02)


class Shooter:
    def __init__(self, out: Path, colours: int) -> None:
        self.out = out
        self.colours = colours
        self.written: list[Path] = []
        out.mkdir(parents=True, exist_ok=True)

    def save(self, image: QImage, name: str) -> Path:
        """Write ``image`` as ``<out>/<name>.png`` reduced to a palette of ``colours``."""
        import io

        from PIL import Image

        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        picture = Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")
        if self.colours:
            picture = picture.quantize(
                colors=self.colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        path = self.out / f"{name}.png"
        picture.save(path, optimize=True)
        self.written.append(path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{picture.width}×{picture.height}, {path.stat().st_size // 1024} KB")  # fmt: skip
        return path

    def widget(self, widget: QWidget, name: str) -> Path:
        pump(0.3)
        return self.save(widget.grab().toImage(), name)

    def with_card(self, window: QWidget, card: QWidget, name: str) -> Path:
        """The window with a floating card (tour, sheet) painted where it stands."""
        pump(0.3)
        image = window.grab().toImage()
        at = window.mapFromGlobal(card.mapToGlobal(QPoint(0, 0)))
        painter = QPainter(image)
        painter.drawImage(at, card.grab().toImage())
        painter.setPen(QPen(card.palette().mid().color(), 1))
        painter.drawRect(at.x(), at.y(), card.width() - 1, card.height() - 1)
        painter.end()
        return self.save(image, name)


def first_task(window: Any, kind: str, skip: int = 0) -> str:
    model = window.queue_model
    keys = [model.task_at(r).id for r in range(model.rowCount()) if model.task_at(r).kind == kind]
    return keys[skip]


def open_task(window: Any, key: str) -> Any:
    window.tabs.setCurrentIndex(0)
    window.queue_panel.select(key)
    window.open_task(key)
    wait_for(lambda: window.current is not None and window.current.key == key, f"task {key}")
    pump(0.5)
    return window.pane.editor


def submit_translations(window: Any, count: int) -> None:
    """Fill and submit ``count`` translation tasks the way a contributor would (Ctrl+B)."""
    for i in range(count):
        editor = open_task(window, first_task(window, "translation", skip=1 + i))
        for n in range(len(editor.rows)):
            editor._set_current(n)
            editor.copy_source()
        count = window.store.outbox_waiting
        waiting = window.ctx.db.call(count)
        window.submit_current()
        wait_for(
            lambda w=waiting, c=count: window.ctx.db.call(c) > w,
            "a submitted result",
        )


def render(out: Path, size: tuple[int, int], colours: int) -> list[Path]:
    from app.appearance import Appearance
    from app.context import AppContext
    from app.demo import demo_bundle_ids
    from app.gui import make_application
    from app.mainwindow import MainWindow
    from app.preferences import PreferencesDialog
    from app.profile import Profile
    from mockserver.testing import running_server

    app = make_application([sys.argv[0]], theme="light")
    look = Appearance.install(app)
    shooter = Shooter(out, colours)
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="ouvrage-shots-"))
        server = stack.enter_context(running_server(Path(tmp) / "server", seed=1))
        ctx = AppContext.create(Profile(Path(tmp) / "profile"), demo=True)
        window = MainWindow(
            ctx,
            server_url=server.url,
            auto_sign_in=("demo", "demo"),
            auto_claim=demo_bundle_ids(),
        )
        window.resize(*size)
        window.show()
        try:
            wait_for(
                lambda: ctx.registry is not None
                and {window.queue_model.task_at(r).kind
                     for r in range(window.queue_model.rowCount())} >= ctx.registry.ids(),
                "the demo's bundles",
            )  # fmt: skip
            # The first demo start shows the tour: its first card is a screenshot too.
            wait_for(lambda: window.help_actions.tour is not None, "the tour", 10)
            tour = window.help_actions.tour
            window.tabs.setCurrentIndex(0)
            shooter.with_card(window, tour, "tour")
            tour.close()
            pump(0.2)
            shooter.widget(window, "queue")

            editor = open_task(window, first_task(window, "translation"))
            editor.rows[0].target.setPlainText("Bonjour, {name} !")
            editor._set_current(1)
            pump(1.0)  # memory matches and checks
            shooter.widget(window, "translation")

            editor = open_task(window, first_task(window, "transcription"))
            wait_for(editor.waveform.has_audio, "the audio", 20)
            editor.text_edit.setPlainText("Agent: Hello, thanks for calling the help desk.")
            pump(0.5)
            shooter.widget(window, "transcription")

            open_task(window, first_task(window, "photo_clip"))
            pump(1.5)
            shooter.widget(window, "photo-clip")

            submit_translations(window, 3)
            window.link.service.sync_now()
            wait_for(lambda: ctx.db.call(ctx.store.outbox_waiting) == 0, "the results sent")
            server.admin.approve(contributor_id="demo", all_pending=True)
            server.admin.bonus("demo", "0.50", "Welcome bonus for trying the demo")
            window.link.service.sync_now()
            pump(2.0)
            window.tabs.setCurrentIndex(1)
            shooter.widget(window, "outbox")
            window.tabs.setCurrentIndex(2)
            shooter.widget(window, "catalogue")
            window.tabs.setCurrentIndex(3)
            pump(1.5)  # the earnings are computed off the UI thread
            shooter.widget(window, "earnings")

            window.tabs.setCurrentIndex(0)
            dialog = PreferencesDialog(window.prefs, parent=window)
            dialog.show()
            shooter.widget(dialog, "preferences")
            dialog.close()

            sheet = window.help_actions.show_shortcuts()
            sheet.resize(560, 600)
            shooter.widget(sheet, "shortcuts")
            sheet.close()

            editor = open_task(window, first_task(window, "translation"))
            for theme in ("dark", "high-contrast"):
                look.set_choice(theme)
                pump(0.5)
                shooter.widget(window, f"translation-{theme}")
            look.set_choice("light")
        finally:
            window.close()
            ctx.close()
    return shooter.written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1100x720", help="window size, WIDTHxHEIGHT")
    parser.add_argument(
        "--colours", type=int, default=64, help="palette size of the PNGs (0: full colour)"
    )
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    written = render(args.out, (int(width), int(height)), args.colours)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total // 1024} KB in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
