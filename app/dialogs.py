"""Small dialogs of the window: file choosers, error boxes, about. Loaded when first needed."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

log = logging.getLogger(__name__)

BUNDLE_FILTER = "Ouvrage bundles (*.zip *.ouvrage);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def describe_error(exc: BaseException) -> tuple[str, str]:
    """A title and one or two sentences the contributor can act on; never a traceback."""
    from app.exporting import NothingToExport
    from app.store import StoreError
    from sync.bundle import BundleError
    from taskkinds import UnknownKind

    if isinstance(exc, BundleError):
        return _tr("Bundle refused"), str(exc)
    if isinstance(exc, StoreError):
        return _tr("Profile problem"), str(exc)
    if isinstance(exc, UnknownKind | NothingToExport):
        return _tr("Cannot do that yet"), str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        text = _tr("%1%2. Check the disk and try again.")
        return _tr("File problem"), text.replace("%1", exc.strerror or str(exc)).replace(
            "%2", where
        )
    log.error("operation failed", exc_info=exc)
    return _tr("Something went wrong"), str(exc) or type(exc).__name__


def open_error_box(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A window-modal warning that does not block the event loop."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box


def ask_bundle_files(parent: QWidget) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent, _tr("Import bundles"), str(Path.home()), BUNDLE_FILTER
    )
    return [Path(p) for p in paths]


def ask_export_path(parent: QWidget, kind_id: str, title: str, suffix: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, _tr("Export results"), str(Path.home() / f"ouvrage-{kind_id}{suffix}"),
        f"{title} (*{suffix})",
    )  # fmt: skip
    return Path(path) if path else None


def show_about(parent: QWidget) -> None:
    from app import __version__

    QMessageBox.about(
        parent,
        _tr("About Ouvrage"),
        _tr(
            "<b>Ouvrage %1</b><p>Work on micro-tasks offline; results are kept safely and "
            "sent when the network comes back.</p><p>Licence: GPL-3.0-or-later.</p>"
        ).replace("%1", __version__),
    )


def ask_bundle_to_release(parent: QWidget, choices: list[tuple[str, str]]) -> str | None:
    """Let the contributor pick one of ``choices`` ``(bundle_id, description)``; None if
    they cancel."""
    from PySide6.QtWidgets import QInputDialog

    if not choices:
        return None
    labels = [description for _, description in choices]
    label, ok = QInputDialog.getItem(
        parent,
        _tr("Release a bundle"),
        _tr("Give this bundle back to the platform:"),
        labels,
        0,
        False,
    )
    if not ok:
        return None
    return choices[labels.index(label)][0]


def confirm_release(parent: QWidget, title: str, open_tasks: int) -> bool:
    """Ask before giving a bundle back: its unsubmitted tasks and drafts are lost."""
    text = _tr(
        "Release “%1”? Its %2 task(s) not submitted yet go back to the platform, and your "
        "drafts of them are deleted. Results you already submitted still count."
    )
    answer = QMessageBox.question(
        parent,
        _tr("Release the bundle?"),
        text.replace("%1", title).replace("%2", str(open_tasks)),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
