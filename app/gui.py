"""Start the window: the Qt application, the style, then the profile on the database worker."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def lighten_pyside_import_probe() -> bool:
    """Make PySide6's look at each newly imported module cheap; True when it was replaced.

    Once PySide6 is imported it checks every module imported after it for ``PySide6`` in
    its source (for ``from __feature__ import``), through ``inspect.getsource``, which
    keeps every such source in ``linecache``: about 15 MiB and 25 ms by the time a photo
    task is open. The same answer comes from reading the file's bytes and keeping
    nothing. A PySide6 without that private probe is left as it is.
    """
    import PySide6.QtCore  # noqa: F401 - installs the probe being replaced

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False

    def uses_pyside(module: object) -> bool:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(origin, str) or not origin.endswith(".py"):
            return False  # what inspect.getsource cannot read either
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False

    feature._mod_uses_pyside = uses_pyside
    return True


def make_application(  # type: ignore[no-untyped-def]
    argv: list[str] | None = None, *, theme: str | None = None
):
    """The ``QApplication`` with its names and the theme (``theme`` overrides the system's)."""
    lighten_pyside_import_probe()
    from PySide6.QtWidgets import QApplication

    from app.appearance import Appearance

    # Background threads run Python too (imports, queries): hand the GIL back to the UI
    # thread more often than the default 5 ms so painting and typing stay smooth.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Ouvrage")
    app.setOrganizationName("Ouvrage")
    app.setApplicationDisplayName("Ouvrage")
    # The palette and the style sheet (resources/style.qss) of the theme, at the system's size.
    Appearance.install(app, theme)
    return app


def _start_logging(profile_dir: Path) -> None:
    """The rotating log in the profile (secrets redacted), with Qt's own messages in it."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from app.diagnostics import LOG_FORMAT, setup_logging
    from app.profile import Profile

    try:
        setup_logging(Profile(profile_dir))
    except OSError as exc:  # a read-only profile still opens; the log goes to stderr only
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
        logging.getLogger(__name__).warning("no log file in %s: %s", profile_dir, exc)
    qt_log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    quiet = ("propagateSizeHints",)  # the offscreen platform says this for every window

    def from_qt(kind: QtMsgType, _context: object, message: str) -> None:
        if not any(word in message for word in quiet):
            qt_log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(from_qt)


def run_window(
    profile_dir: Path,
    *,
    demo: bool = False,
    server: str | None = None,
    theme: str | None = None,
    language: str | None = None,
    smoke_test: bool = False,
) -> int:
    """Open the main window on ``profile_dir`` and run until it closes; returns the exit status.

    The window shows at once; the database and the task kinds load on the
    database worker, and a fresh demo profile is built there too. ``theme``
    overrides the system's (``light``, ``dark``, ``high-contrast``); ``language``
    (``en``, ``fr``) overrides the preference and the system's (see ``app.i18n``);
    ``smoke_test`` waits for the queue and an editor of each kind, then exits (0 when
    all opened).
    """
    if not demo:
        _start_logging(profile_dir)
    app = make_application(theme=theme)
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

            # The demo starts fresh, but keeps how its window looked (size, zoom, colours,
            # whether the tour was shown): window.ini survives the wipe.
            ini = profile_dir / "window.ini"
            kept = ini.read_bytes() if ini.is_file() else None
            shutil.rmtree(profile_dir, ignore_errors=True)
            if kept is not None:
                profile_dir.mkdir(parents=True, exist_ok=True)
                ini.write_bytes(kept)
            _start_logging(profile_dir)  # after the wipe: the demo's own log
            handle = stack.enter_context(running_server(profile_dir / "server", seed=1))
            server, auto_sign_in = handle.url, ("demo", "demo")
            from app.demo import demo_bundle_ids

            # The demo's tasks come the way real ones do: claimed from the catalogue.
            auto_claim = demo_bundle_ids()
            logging.getLogger(__name__).info(
                "demo server at %s (admin token %s)", handle.url, handle.admin_token
            )
        # Before any window: widgets translate their texts as they are built.
        from app.i18n import install_language

        install_language(app, profile_dir, explicit=language)
        ctx = AppContext.create(Profile(profile_dir), demo=demo)
        window = MainWindow(
            ctx,
            server_url=normalize_url(server) if server else None,
            auto_sign_in=auto_sign_in,
            auto_claim=auto_claim,
        )
        window.show()
        if smoke_test:
            from app.smoke import SmokeTest

            SmokeTest(window, require_all_kinds=demo).start()
        try:
            return app.exec()
        finally:
            ctx.close()
