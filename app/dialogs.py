"""Small dialogs of the window: file choosers, error boxes, about. Loaded when first needed."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

log = logging.getLogger(__name__)

translate = QCoreApplication.translate


def bundle_filter() -> str:
    """The file dialog's filter for bundles, in the contributor's language."""
    return translate("dialogs", "Ouvrage bundles (*.zip *.ouvrage);;All files (*)")


def describe_error(exc: BaseException) -> tuple[str, str]:
    """A title and one or two sentences the contributor can act on; never a traceback."""
    from app.exporting import NothingToExport
    from app.store import StoreError
    from sync.bundle import BundleError
    from taskkinds import UnknownKind

    if isinstance(exc, BundleError):
        return translate("dialogs", "Bundle refused"), str(exc)
    if isinstance(exc, StoreError):
        return translate("dialogs", "Profile problem"), str(exc)
    if isinstance(exc, UnknownKind | NothingToExport):
        return translate("dialogs", "Cannot do that yet"), str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        text = translate("dialogs", "%1%2. Check the disk and try again.")
        return translate("dialogs", "File problem"), text.replace(
            "%1", exc.strerror or str(exc)
        ).replace("%2", where)
    log.error("operation failed", exc_info=exc)
    return translate("dialogs", "Something went wrong"), str(exc) or type(exc).__name__


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
        parent, translate("dialogs", "Import bundles"), str(Path.home()), bundle_filter()
    )
    return [Path(p) for p in paths]


def ask_export_path(parent: QWidget, kind_id: str, title: str, suffix: str) -> Path | None:
    suggested = str(Path.home() / f"ouvrage-{kind_id}{suffix}")
    path, _ = QFileDialog.getSaveFileName(
        parent, translate("dialogs", "Export results"), suggested, f"{title} (*{suffix})"
    )
    return Path(path) if path else None


def show_about(parent: QWidget) -> None:
    from app import __version__

    QMessageBox.about(
        parent,
        translate("dialogs", "About Ouvrage"),
        translate(
            "dialogs",
            "<b>Ouvrage %1</b><p>Work on micro-tasks offline; results are kept safely and "
            "sent when the network comes back.</p><p>Licence: GPL-3.0-or-later.</p>",
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
        translate("dialogs", "Release a bundle"),
        translate("dialogs", "Give this bundle back to the platform:"),
        labels,
        0,
        False,
    )
    if not ok:
        return None
    return choices[labels.index(label)][0]


def confirm_release(parent: QWidget, title: str, open_tasks: int) -> bool:
    """Ask before giving a bundle back: its unsubmitted tasks and drafts are lost."""
    text = translate(
        "dialogs",
        "Release “%1”? Its %n task(s) not submitted yet go back to the platform, and your "
        "drafts of them are deleted. Results you already submitted still count.",
        None,
        open_tasks,
    )
    answer = QMessageBox.question(
        parent,
        translate("dialogs", "Release the bundle?"),
        text.replace("%1", title),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
