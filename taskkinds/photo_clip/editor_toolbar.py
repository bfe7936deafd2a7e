"""The photo clipping editor's toolbar: tools, undo/redo, view toggles and tool settings.

It only builds the controls and says which key does what; the editor connects them.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QSlider, QSpinBox, QToolBar, QWidget

__all__ = ["TOOL_KEYS", "ClipToolbar", "Tool", "tool_title"]


class Tool(StrEnum):
    POLYGON = "polygon"
    EDIT = "edit"
    BRUSH = "brush"
    ERASER = "eraser"
    BOX = "box"
    WAND = "wand"
    SCISSORS = "scissors"


# Title and keys of each tool, shown in the tooltips (the editor handles the keys).
TOOL_KEYS = {
    Tool.POLYGON: (QT_TRANSLATE_NOOP("ClipToolbar", "Polygon"), "P"),
    Tool.EDIT: (QT_TRANSLATE_NOOP("ClipToolbar", "Edit and select"), "E"),
    Tool.BRUSH: (QT_TRANSLATE_NOOP("ClipToolbar", "Brush"), "B"),
    Tool.ERASER: (QT_TRANSLATE_NOOP("ClipToolbar", "Eraser"), "Shift+B / X"),
    Tool.BOX: (QT_TRANSLATE_NOOP("ClipToolbar", "Box → GrabCut"), "G"),
    Tool.WAND: (QT_TRANSLATE_NOOP("ClipToolbar", "Magic wand"), "W"),
    Tool.SCISSORS: (QT_TRANSLATE_NOOP("ClipToolbar", "Scissors"), "S"),
}


def tool_title(title: str) -> str:
    """A title of ``TOOL_KEYS`` in the contributor's language."""
    return QCoreApplication.translate("ClipToolbar", title)


class ClipToolbar(QToolBar):
    """Tool actions, subtract toggle, undo/redo, fit/outline/cut-out, opacity, brush size
    and wand tolerance. Settings controls take focus only from a click, and give it
    back to the photo when done, so the tool keys keep working."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("clipTools")
        group = QActionGroup(self)
        self.tool_actions: dict[Tool, QAction] = {}
        for tool, (title, keys) in TOOL_KEYS.items():
            action = QAction(tool_title(title), self)
            action.setToolTip(f"{tool_title(title)} ({keys})")
            action.setCheckable(True)
            action.setData(tool.value)
            group.addAction(action)
            self.addAction(action)
            self.tool_actions[tool] = action
        self.subtract_action = self._toggle(
            self.tr("Subtract"), self.tr("Cut from the regions (or hold Alt)")
        )
        self.addSeparator()
        self.undo_action = self.addAction(self.tr("Undo"))
        self.undo_action.setToolTip(self.tr("Undo (Ctrl+Z)"))
        self.redo_action = self.addAction(self.tr("Redo"))
        self.redo_action.setToolTip(self.tr("Redo (Ctrl+Shift+Z, Ctrl+Y)"))
        self.delete_action = self.addAction(self.tr("Delete region"))
        self.delete_action.setToolTip(
            self.tr("Delete the selected region (Delete); select one with the Edit tool")
        )
        self.delete_action.setEnabled(False)
        self.addSeparator()
        self.fit_action = self.addAction(self.tr("Fit"))
        self.fit_action.setToolTip(
            self.tr("Show the whole photo (0); zoom with Ctrl+wheel, + and -")
        )
        self.outline_action = self._toggle(self.tr("Outline"), self.tr("Outline only (O)"))
        self.cutout_action = self._toggle(self.tr("Cut-out"), self.tr("Preview the cut-out (C)"))
        self.opacity = self._slider(0, 100, 40, self.tr("Overlay opacity"))
        self.brush_size = QSpinBox(self)
        self.brush_size.setRange(1, 500)
        self.brush_size.setSuffix(self.tr(" px"))
        self.brush_size.setToolTip(self.tr("Brush radius ([ and ], or the wheel over the photo)"))
        self.brush_size.setAccessibleName(self.tr("Brush radius"))
        self.brush_size.setValue(12)
        self.brush_size.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.addWidget(self.brush_size)
        self.tolerance = self._slider(0, 120, 32, self.tr("Magic wand tolerance"))

    def view_actions(self) -> tuple[QAction, ...]:
        """The actions that stay enabled on a read-only task."""
        return (self.fit_action, self.outline_action, self.cutout_action)

    def _toggle(self, title: str, tip: str) -> QAction:
        action = self.addAction(title)
        action.setCheckable(True)
        action.setToolTip(tip)
        return action

    def _slider(self, low: int, high: int, value: int, name: str) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal, self)
        slider.setRange(low, high)
        slider.setValue(value)
        slider.setMaximumWidth(90)
        slider.setToolTip(name)
        slider.setAccessibleName(name)
        slider.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.addWidget(slider)
        return slider
