"""Start the window: the Qt application, the style, then the profile on the database worker."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def make_application(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    # Background threads run Python too (imports, queries): hand the GIL back to the UI
    # thread more often than the default 5 ms so painting and typing stay smooth.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Ouvrage")
    app.setOrganizationName("Ouvrage")
    app.setApplicationDisplayName("Ouvrage")
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run_window(profile_dir: Path, *, demo: bool = False, server: str | None = None) -> int:
    """Open the main window on ``profile_dir`` and run until it closes; returns the exit status.

    The window shows at once; the database and the task kinds load on the
    database worker, and a fresh demo profile is built there too.
    """
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = make_application()
    from contextlib import ExitStack

    from app.context import AppContext
    from app.mainwindow import MainWindow
    from app.profile import Profile
    from app.session import normalize_url

    auto_sign_in, auto_claim = None, ()
    with ExitStack() as stack:
        if demo:
            # A fresh demo: its own mock server on a free loopback port, data inside the profile.
            import shutil

            from mockserver.testing import running_server

            shutil.rmtree(profile_dir, ignore_errors=True)
            handle = stack.enter_context(running_server(profile_dir / "server", seed=1))
            server, auto_sign_in = handle.url, ("demo", "demo")
            from app.demo import demo_bundle_ids

            # The demo's tasks come the way real ones do: claimed from the catalogue.
            auto_claim = demo_bundle_ids()
            logging.getLogger(__name__).info(
                "demo server at %s (admin token %s)", handle.url, handle.admin_token
            )
        ctx = AppContext.create(Profile(profile_dir), demo=demo)
        window = MainWindow(
            ctx,
            server_url=normalize_url(server) if server else None,
            auto_sign_in=auto_sign_in,
            auto_claim=auto_claim,
        )
        window.show()
        try:
            return app.exec()
        finally:
            ctx.close()
