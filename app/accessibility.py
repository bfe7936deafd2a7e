"""Names for assistive technology: what each focusable control is called, and the checks.

``describe_main_window`` names the window's own controls that were built without a
name (tabs, status labels, splitter). ``fill_missing_names`` gives any control of an
editor that still has none the best name available — its label's text, its tooltip,
its placeholder — so a screen reader never announces a bare "edit" or "scroll area".
``unnamed_controls`` lists what is still left; the tests require it to be empty.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

if TYPE_CHECKING:
    from app.mainwindow import MainWindow

__all__ = [
    "accessible_label",
    "describe_main_window",
    "fill_missing_names",
    "focusable_controls",
    "unnamed_controls",
]

_MNEMONIC = re.compile(r"&(?!&)")
_SHORTCUT_IN_TIP = re.compile(r"\s*\([^)]*\)\s*$")


translate = QCoreApplication.translate


def focusable_controls(root: QWidget) -> list[QWidget]:
    """Visible widgets under ``root`` that the Tab key can reach, focus proxies excluded."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.isEnabled():
            continue
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if _inner_part(widget):
            continue
        found.append(widget)
    return found


def _inner_part(widget: QWidget) -> bool:
    """A spin box's or combo box's own line edit, a scroll area's viewport: named by its owner."""
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractSpinBox | QComboBox):
        return True
    if parent is not None and parent.focusProxy() is widget:
        return True
    return widget.objectName().startswith("qt_") and not isinstance(widget, QTabBar)


def _buddy_texts(root: QWidget) -> dict[int, str]:
    texts: dict[int, str] = {}
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.text():
            texts[id(buddy)] = _MNEMONIC.sub("", label.text())
    return texts


def accessible_label(widget: QWidget, buddies: dict[int, str] | None = None) -> str:
    """What a screen reader calls ``widget``: its accessible name, else its visible text,
    else its label's text (a buddy); "" when it has none of them."""
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton) and widget.text().strip():
        return _MNEMONIC.sub("", widget.text()).strip()
    if isinstance(widget, QTabBar) and widget.count():
        return ", ".join(widget.tabText(i) for i in range(widget.count()))
    if buddies is None:
        window = widget.window()
        buddies = _buddy_texts(window)
    return buddies.get(id(widget), "")


def unnamed_controls(root: QWidget) -> list[QWidget]:
    """Focusable controls under ``root`` with neither an accessible name nor a visible label."""
    buddies = _buddy_texts(root.window())
    return [w for w in focusable_controls(root) if not accessible_label(w, buddies)]


def _name_from_hints(widget: QWidget) -> str:
    tip = widget.toolTip()
    if tip and not tip.lstrip().startswith("<"):
        return _SHORTCUT_IN_TIP.sub("", tip).strip()
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) and widget.placeholderText():
        return widget.placeholderText()
    return ""


def fill_missing_names(root: QWidget, context: str) -> list[QWidget]:
    """Name every unnamed focusable control under ``root`` from its tooltip or placeholder,
    or else after ``context`` (e.g. "Translation editor"); returns the ones it named."""
    named = []
    for widget in unnamed_controls(root):
        name = _name_from_hints(widget)
        if not name and isinstance(widget, QAbstractScrollArea):
            name = translate("accessibility", "%1: scrollable area").replace("%1", context)
        if not name:
            name = context
        widget.setAccessibleName(name)
        named.append(widget)
    return named


def describe_main_window(window: MainWindow) -> None:
    """Accessible names and descriptions of the window's own controls and status labels."""
    window.setAccessibleName(window.windowTitle())
    window.tabs.setAccessibleName(translate("accessibility", "Views"))
    window.tabs.setAccessibleDescription(
        translate(
            "accessibility",
            "Tasks, outbox, catalogue, earnings and qualifications; Ctrl+1 to Ctrl+5 switch "
            "between them",
        )
    )
    window.tabs.tabBar().setAccessibleName(translate("accessibility", "Views"))
    window.splitter.setAccessibleName(translate("accessibility", "Task queue and open task"))
    window.queue.setAccessibleDescription(
        translate(
            "accessibility",
            "Up and Down move between tasks and open them; Alt+Left and Alt+Right too",
        )
    )
    window.queue_count.setAccessibleName(translate("accessibility", "Tasks shown"))
    labels = {
        window.profile_label: (
            translate("accessibility", "Profile"),
            translate("accessibility", "The folder this profile is kept in"),
        ),
        window.network_label: (
            translate("accessibility", "Network state"),
            translate("accessibility", "Whether results can be sent now"),
        ),
        window.waiting_label: (translate("accessibility", "Results waiting to send"), ""),
        window.earnings_label: (translate("accessibility", "Earnings today"), ""),
        window.lease_label: (
            translate("accessibility", "Lease warning"),
            translate("accessibility", "The lease that ends first"),
        ),
    }
    for label, (name, description) in labels.items():
        label.setAccessibleName(name)
        if description:
            label.setAccessibleDescription(description)
    # The queue moves between rows with the arrows; Tab goes on to the next control
    # instead of walking its cells, so the keyboard never stays stuck inside it.
    window.queue.setTabKeyNavigation(False)
