"""Light, dark and high-contrast looks that follow the system, and the zoom of the text.

``Appearance.install(app)`` picks the theme (an explicit choice — command line,
``OUVRAGE_THEME``, the View menu — or else the system's colour scheme and contrast
preference), sets a matching palette and renders ``resources/style.qss`` with the
theme's colours and the zoomed font sizes. It follows the system when its scheme
changes. The zoom (Ctrl++, Ctrl+-, Ctrl+0) scales the application font from the
system's own size; the window keeps it in the profile's ``window.ini``.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableView,
    QWidget,
)

__all__ = [
    "THEMES",
    "ZOOM_STEPS",
    "Appearance",
    "Tones",
    "appearance",
    "system_theme",
    "tone",
]

STYLE_PATH = Path(__file__).resolve().parent.parent / "resources" / "style.qss"
THEMES = ("auto", "light", "dark", "high-contrast")
ENV_THEME = "OUVRAGE_THEME"
ZOOM_STEPS = (70, 80, 90, 100, 110, 125, 150, 175, 200, 250)


@dataclass(frozen=True)
class Tones:
    """The colours the style sheet and the shell's own widgets use in one theme."""

    text: str
    muted: str
    panel: str
    border: str
    focus: str
    focus_width: int
    button: str
    button_hover: str
    error: str
    warning: str
    ok: str
    contrast_frames: str = ""


TONES = {
    "light": Tones(
        text="#1f2328", muted="#57606a", panel="#f6f8fa", border="#8c959f", focus="#0969da",
        focus_width=2, button="#f6f8fa", button_hover="#eaeef2", error="#b3261e",
        warning="#8a5a00", ok="#1a7f37",
    ),
    "dark": Tones(
        text="#e6edf3", muted="#9da7b3", panel="#161b22", border="#6e7681", focus="#58a6ff",
        focus_width=2, button="#21262d", button_hover="#30363d", error="#ff7b72",
        warning="#d29922", ok="#3fb950",
    ),
    "high-contrast": Tones(
        text="#ffffff", muted="#ffffff", panel="#000000", border="#ffffff", focus="#ffff00",
        focus_width=3, button="#000000", button_hover="#1a1a1a", error="#ff9e9e",
        warning="#ffff00", ok="#7fff7f",
        contrast_frames=(
            "QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView, QFrame#segmentRow "
            "{ border: 1px solid #ffffff; }"
        ),
    ),
}  # fmt: skip

# Font sizes of the style sheet, relative to the (zoomed) application font.
FONT_SCALES = {
    "font_title": 1.2,
    "font_heading": 1.45,
    "font_large": 1.1,
    "font_small": 0.85,
}


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#1c2128"), QColor("#0d1117"), QColor("#e6edf3")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#161b22"),
        QPalette.ColorRole.ToolTipBase: QColor("#2d333b"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#8b949e"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#21262d"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ffffff"),
        QPalette.ColorRole.Highlight: QColor("#1f6feb"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#58a6ff"),
        QPalette.ColorRole.LinkVisited: QColor("#bc8cff"),
        QPalette.ColorRole.Light: QColor("#3d444d"),
        QPalette.ColorRole.Midlight: QColor("#30363d"),
        QPalette.ColorRole.Mid: QColor("#262c33"),
        QPalette.ColorRole.Dark: QColor("#0b0e12"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6e7681"))
    return p


def _high_contrast_palette() -> QPalette:
    p = QPalette()
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    for role in (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.AlternateBase,
        QPalette.ColorRole.Button,
        QPalette.ColorRole.ToolTipBase,
        QPalette.ColorRole.Dark,
        QPalette.ColorRole.Shadow,
    ):
        p.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.ToolTipText,
        QPalette.ColorRole.BrightText,
        QPalette.ColorRole.Light,
        QPalette.ColorRole.Midlight,
        QPalette.ColorRole.Mid,
    ):
        p.setColor(role, white)
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#c0c0c0"))
    p.setColor(QPalette.ColorRole.Highlight, yellow)
    p.setColor(QPalette.ColorRole.HighlightedText, black)
    p.setColor(QPalette.ColorRole.Link, QColor("#00ffff"))
    p.setColor(QPalette.ColorRole.LinkVisited, QColor("#ff80ff"))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return p


def system_theme(app: QGuiApplication | None = None) -> str:
    """``light``, ``dark`` or ``high-contrast`` as the system asks for it.

    High contrast comes from Qt's contrast preference (Qt 6.10+) or a high-contrast
    GTK theme; dark from the colour scheme (Qt 6.5+).
    """
    hints = (app or QGuiApplication.instance()).styleHints()  # type: ignore[union-attr]
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is not None:
        preference = accessibility().contrastPreference()
        if preference == getattr(Qt.ContrastPreference, "HighContrast", object()):
            return "high-contrast"
    gtk = os.environ.get("GTK_THEME", "").lower()
    if "highcontrast" in gtk.replace("-", "").replace(" ", ""):
        return "high-contrast"
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark or gtk.endswith(":dark"):
        return "dark"
    return "light"


class Appearance(QObject):
    """The application's theme and text zoom; one per ``QApplication``."""

    changed = Signal()

    def __init__(self, app: QApplication, *, theme: str = "auto") -> None:
        super().__init__(app)
        self.setObjectName("ouvrageAppearance")
        self.app = app
        self._system_palette = QPalette(app.palette())
        self._system_style = app.style().name() if app.style() is not None else ""
        self._base_font = QFont(app.font())
        self._template = STYLE_PATH.read_text(encoding="utf-8") if STYLE_PATH.exists() else ""
        self.choice = theme if theme in THEMES else "auto"
        self.zoom = 100
        self.theme = ""
        self.forced = False  # the choice came from the command line or the environment
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._system_changed)
        accessibility = getattr(hints, "accessibility", None)
        if accessibility is not None:
            accessibility().contrastPreferenceChanged.connect(self._system_changed)

    @classmethod
    def install(cls, app: QApplication, theme: str | None = None) -> Appearance:
        """Create (or find) the application's appearance and apply it.

        ``theme`` is an explicit choice (``--theme``); else ``OUVRAGE_THEME``; else auto.
        """
        current = appearance(app)
        if current is None:
            chosen = theme or os.environ.get(ENV_THEME, "auto")
            current = cls(app, theme=chosen)
            current.forced = bool(theme or os.environ.get(ENV_THEME))
            current.apply()
        elif theme:
            current.forced = True
            current.set_choice(theme)
        return current

    def uninstall(self) -> None:
        """Give the application back its system palette, style, font and no style sheet."""
        self.app.setStyleSheet("")
        if self.app.style().name().lower() != self._system_style.lower():
            self.app.setStyle(self._system_style)
        self.app.setPalette(self._system_palette)
        self.app.setFont(self._base_font)
        self.setObjectName("")
        self.setParent(None)
        self.deleteLater()

    # -- theme

    def resolved(self) -> str:
        return system_theme(self.app) if self.choice == "auto" else self.choice

    def set_choice(self, choice: str) -> None:
        """``auto``, ``light``, ``dark`` or ``high-contrast``; applies it at once."""
        if choice not in THEMES:
            raise ValueError(f"unknown theme {choice!r}; choose one of {', '.join(THEMES)}")
        self.choice = choice
        self.apply()

    def _system_changed(self, *_args: object) -> None:
        if self.choice == "auto":
            self.apply()

    @property
    def tones(self) -> Tones:
        return TONES[self.theme or "light"]

    def apply(self) -> None:
        """Set the palette and the style sheet for the current theme and zoom."""
        self.theme = self.resolved()
        if self.theme == "light":
            if self.app.style().name().lower() != self._system_style.lower():
                self.app.setStyle(self._system_style)
            self.app.setPalette(self._system_palette)
        elif not (self.choice == "auto" and sys.platform == "darwin"):
            # The native macOS style follows its own dark mode; elsewhere Fusion honours
            # the palette on every platform (the Windows style would ignore it).
            if self.app.style().name().lower() != "fusion":
                self.app.setStyle("Fusion")
            palette = _dark_palette() if self.theme == "dark" else _high_contrast_palette()
            self.app.setPalette(palette)
        font = QFont(self._base_font)
        size = self._base_font.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * self.zoom / 100)
        else:
            font.setPixelSize(max(6, round(self._base_font.pixelSize() * self.zoom / 100)))
        self.app.setFont(font)
        self.app.setStyleSheet(self.stylesheet())
        self.changed.emit()

    def stylesheet(self) -> str:
        """``style.qss`` with ``@name`` tokens replaced by this theme's values."""
        tones = self.tones
        base = self.app.font().pointSizeF()
        values = {name: str(getattr(tones, name)) for name in Tones.__dataclass_fields__}
        values["focus_width"] = f"{tones.focus_width}px"
        for name, scale in FONT_SCALES.items():
            values[name] = f"{max(6.0, base * scale):.1f}pt" if base > 0 else "inherit"
        return render(self._template, values)

    # -- zoom

    def set_zoom(self, percent: int) -> int:
        """Zoom the application's text to the nearest step of ``percent``; returns it."""
        step = min(ZOOM_STEPS, key=lambda s: abs(s - int(percent)))
        if step != self.zoom:
            self.zoom = step
            self.apply()
        return self.zoom

    def zoom_in(self) -> int:
        bigger = [s for s in ZOOM_STEPS if s > self.zoom]
        return self.set_zoom(bigger[0] if bigger else self.zoom)

    def zoom_out(self) -> int:
        smaller = [s for s in ZOOM_STEPS if s < self.zoom]
        return self.set_zoom(smaller[-1] if smaller else self.zoom)

    def reset_zoom(self) -> int:
        return self.set_zoom(100)


_TOKEN = re.compile(r"@([a-z_]+)\b")


def render(template: str, values: dict[str, str]) -> str:
    """Replace each ``@name`` in ``template``; raises ``KeyError`` for an unknown name."""
    return _TOKEN.sub(lambda m: values[m.group(1)], template)


def appearance(app: QApplication | None = None) -> Appearance | None:
    """The application's ``Appearance``, if one was installed."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None:
        return None
    return app.findChild(Appearance, "ouvrageAppearance")


def tone(name: str) -> QColor:
    """A colour of the current theme (``error``, ``warning``, ``muted``…), light by default."""
    current = appearance()
    tones = current.tones if current is not None else TONES["light"]
    return QColor(getattr(tones, name))


# ---------------------------------------------------------------- the View menu

ZOOM_KEY = "view/zoom"
THEME_KEY = "view/theme"


def _theme_titles() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "auto": translate("appearance", "Follow the &system"),
        "light": translate("appearance", "&Light"),
        "dark": translate("appearance", "&Dark"),
        "high-contrast": translate("appearance", "&High contrast"),
    }


def refit_tables(root: QWidget) -> None:
    """Row heights of fixed-height tables follow the font after a zoom."""
    for view in root.findChildren(QTableView):
        header = view.verticalHeader()
        if header.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed or not header.isVisible():
            header.setDefaultSectionSize(view.fontMetrics().height() + 8)


class ViewActions(QObject):
    """Zoom in, zoom out, actual size and the theme choice, kept in the profile's window.ini."""

    def __init__(self, window: QMainWindow, menu: QMenu, ini_path: Path) -> None:
        super().__init__(window)
        self.setObjectName("viewActions")
        self.window = window
        self.settings = QSettings(str(ini_path), QSettings.Format.IniFormat, self)
        app = QApplication.instance()
        # The running application installed its look at start (app.gui); a window made
        # without it (a test, a script) gets one that changes nothing until asked to.
        self.look = appearance(app) or Appearance(app)  # type: ignore[arg-type]
        menu.addSeparator()
        self.zoom_in_action = self._action(
            menu,
            QCoreApplication.translate("appearance", "Zoom &in"),
            [QKeySequence.StandardKey.ZoomIn, "Ctrl+="],
            self.look.zoom_in,
        )
        self.zoom_out_action = self._action(
            menu,
            QCoreApplication.translate("appearance", "Zoom &out"),
            [QKeySequence.StandardKey.ZoomOut],
            self.look.zoom_out,
        )
        self.zoom_reset_action = self._action(
            menu,
            QCoreApplication.translate("appearance", "&Actual size"),
            ["Ctrl+0"],
            self.look.reset_zoom,
        )
        themes = menu.addMenu(QCoreApplication.translate("appearance", "&Colours"))
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for name, title in _theme_titles().items():
            action = QAction(title, self.window)
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, n=name: self.choose_theme(n))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[name] = action
        saved_theme = str(self.settings.value(THEME_KEY, "") or "")
        if saved_theme in THEMES and not self.look.forced:
            self.look.set_choice(saved_theme)
        try:
            saved_zoom = int(str(self.settings.value(ZOOM_KEY, 100)))
        except (TypeError, ValueError):
            saved_zoom = 100
        self.look.set_zoom(saved_zoom)
        self.theme_actions[self.look.choice].setChecked(True)
        self._zoom = self.look.zoom
        self.look.changed.connect(self._changed)
        refit_tables(self.window)

    def _action(self, menu: QMenu, text: str, keys: list[Any], slot: Any) -> QAction:
        action = QAction(text, self.window)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.window.addAction(action)
        return action

    def choose_theme(self, name: str) -> None:
        self.look.set_choice(name)
        self.settings.setValue(THEME_KEY, name)
        self.settings.sync()

    def _changed(self) -> None:
        if not self.window.isVisible():
            return  # a closed window keeps what it had
        refit_tables(self.window)
        if self.look.zoom == self._zoom:
            return
        self._zoom = self.look.zoom
        self.settings.setValue(ZOOM_KEY, self.look.zoom)
        self.settings.sync()
        self.window.statusBar().showMessage(
            QCoreApplication.translate("appearance", "Text size %1 %").replace(
                "%1", str(self.look.zoom)
            ),
            3000,
        )


def install_view_actions(window: Any, menu: QMenu) -> ViewActions:
    """Add zoom and colour choices to ``menu``; the window's profile keeps them."""
    return ViewActions(window, menu, window.ctx.profile.root / "window.ini")
