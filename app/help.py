"""Help for the contributor: the shortcut sheet (Ctrl+/), the tour, diagnostics export.

``install_help(window, help_menu, view_menu)`` is the window's one call: it adds the
Help and View actions, names the window's controls for assistive technology and
starts the tour on the first demo start. The sheet lists the window's shortcuts from
its menus and each editor's keys from the editor's own table, grouped by screen and
searchable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import kind_title

if TYPE_CHECKING:
    from app.mainwindow import MainWindow

__all__ = [
    "Shortcut",
    "ShortcutGroup",
    "ShortcutSheet",
    "editor_groups",
    "install_help",
    "window_groups",
]

NATIVE = QKeySequence.SequenceFormat.NativeText


translate = QCoreApplication.translate


@dataclass(frozen=True)
class Shortcut:
    keys: str
    what: str


@dataclass(frozen=True)
class ShortcutGroup:
    title: str
    shortcuts: tuple[Shortcut, ...]


# ---------------------------------------------------------------- what the sheet lists


def _plain(text: str) -> str:
    """A menu text as read: no mnemonic ampersand, no trailing ellipsis."""
    return re.sub(r"&(?!&)", "", text).replace("&&", "&").rstrip("…").strip()


def _menu_shortcuts(menu: QMenu) -> list[Shortcut]:
    found = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            found.extend(_menu_shortcuts(submenu))
        elif action.shortcuts():
            keys = ", ".join(k.toString(NATIVE) for k in action.shortcuts())
            found.append(Shortcut(keys, _plain(action.text())))
    return found


def window_groups(window: QWidget) -> list[ShortcutGroup]:
    """One group per menu of ``window`` with the shortcuts of its actions, then the keys
    that move around the window."""
    groups = []
    menu_bar = window.menuBar() if hasattr(window, "menuBar") else None
    if menu_bar is not None:
        for top in menu_bar.actions():
            menu = top.menu()
            if menu is None:
                continue
            shortcuts = _menu_shortcuts(menu)
            if shortcuts:
                title = translate("help", "Menu %1").replace("%1", _plain(top.text()))
                groups.append(ShortcutGroup(title, tuple(shortcuts)))
    groups.append(
        ShortcutGroup(
            translate("help", "Moving around"),
            (
                Shortcut(
                    translate("help", "Tab, Shift+Tab"),
                    translate("help", "Next / previous control"),
                ),
                Shortcut(
                    translate("help", "Up, Down"),
                    translate("help", "Move in the task queue (opens the task)"),
                ),
                Shortcut(
                    _native("Ctrl+Tab, Ctrl+Shift+Tab"), translate("help", "Next / previous view")
                ),
                Shortcut(translate("help", "Space"), translate("help", "Press the focused button")),
                Shortcut(_native("Esc"), translate("help", "Close a dialog")),
                Shortcut("Alt", translate("help", "Open the menus")),
            ),
        )
    )
    return groups


def _native(keys: str) -> str:
    """Portable key names (``Ctrl+Shift+Tab, Esc``) as the contributor's keyboard says them;
    what is not a key sequence (``Alt+1–5``, ``Ctrl+↑/↓``) is left as written."""
    portable = QKeySequence.SequenceFormat.PortableText
    said = []
    for key in (k.strip() for k in keys.split(",")):
        sequence = QKeySequence(key)
        said.append(sequence.toString(NATIVE) if sequence.toString(portable) == key else key)
    return ", ".join(said)


# Words of the translation editor's key hint, as a sentence.
_TRANSLATION_WORDS = {
    "segment": QT_TRANSLATE_NOOP("help", "Previous / next segment"),
    "match": QT_TRANSLATE_NOOP("help", "Replace with the best match / match n"),
    "confirm": QT_TRANSLATE_NOOP("help", "Confirm the segment and go on"),
    "source": QT_TRANSLATE_NOOP("help", "Copy the source into the target"),
    "search": QT_TRANSLATE_NOOP("help", "Search the memory (concordance)"),
}


def translation_shortcuts() -> list[Shortcut]:
    """From the translation editor's key hint (``KEYS_HINT``: "keys word · keys word")."""
    from taskkinds.translation.editor import KEYS_HINT

    found = []
    for part in KEYS_HINT.split("·"):
        keys, _, word = part.strip().rpartition(" ")
        if keys:
            what = translate("help", _TRANSLATION_WORDS.get(word, word))
            found.append(Shortcut(_native(keys), what))
    return found


def transcription_shortcuts(settings: QSettings | None) -> list[Shortcut]:
    """From the transcription editor's commands, as the contributor bound them."""
    from taskkinds.transcription.editor_keys import COMMANDS, KeyBindings, command_title

    bindings = KeyBindings(settings)
    found: list[Shortcut] = []
    numbered: dict[str, list[str]] = {}
    for command in COMMANDS:
        keys = bindings.text(command.id) or translate("help", "(no key)")
        prefix, _, number = command.id.rpartition("_")
        if number.isdigit():  # tag_1…tag_9, speaker_1…speaker_9: one line each
            if prefix not in numbered:
                numbered[prefix] = []
                what = command_title(command, number=translate("help", "n"))
                found.append(Shortcut(f"@{prefix}", what))
            numbered[prefix].append(keys)
            continue
        found.append(Shortcut(keys, command_title(command)))
    return [
        Shortcut(f"{numbered[s.keys[1:]][0]} … {numbered[s.keys[1:]][-1]}", s.what)
        if s.keys.startswith("@")
        else s
        for s in found
    ]


_TIP_KEYS = re.compile(r"^(?P<what>[^()]+?)\s*\((?P<keys>[^)]+)\)")
# Keys the photo clipping editor handles while drawing, which no tooltip names.
_PHOTO_DRAWING = (
    (QT_TRANSLATE_NOOP("help", "Shift+drag"), QT_TRANSLATE_NOOP("help", "Freehand outline")),
    ("Enter", QT_TRANSLATE_NOOP("help", "Close the polygon")),
    ("Backspace", QT_TRANSLATE_NOOP("help", "Remove the last point")),
    ("Esc", QT_TRANSLATE_NOOP("help", "Cancel the shape, or deselect")),
)


def photo_clip_shortcuts() -> list[Shortcut]:
    """From the photo clipping toolbar's key table and the keys named in its tooltips."""
    from taskkinds.photo_clip.editor_toolbar import TOOL_KEYS, ClipToolbar, tool_title

    found = [Shortcut(keys, tool_title(title)) for title, keys in TOOL_KEYS.values()]
    holder = QWidget()
    try:
        toolbar = ClipToolbar(holder)
        tool_tips = {a.toolTip() for a in toolbar.tool_actions.values()}
        tips = [a.toolTip() for a in toolbar.actions() if a.toolTip() not in tool_tips]
        tips += [w.toolTip() for w in toolbar.findChildren(QWidget) if w.toolTip()]
    finally:
        holder.deleteLater()
    seen = {s.what for s in found}
    for tip in tips:
        match = _TIP_KEYS.match(tip)
        if match is None or match["what"] in seen:
            continue
        seen.add(match["what"])
        # "(or hold Alt)": the keys without the "or" (in the contributor's language).
        keys = match["keys"].strip()
        word = translate("help", "or", "the word before a key in a tooltip: (or hold Alt)")
        keys = keys[len(word) :].lstrip() if keys.startswith(word + " ") else keys
        found.append(Shortcut(keys, match["what"].strip()))
    found += [
        Shortcut(translate("help", keys) if keys == "Shift+drag" else _native(keys),
                 translate("help", what))
        for keys, what in _PHOTO_DRAWING
    ]  # fmt: skip
    return found


def editor_groups(
    kind_titles: dict[str, str] | None = None, settings: QSettings | None = None
) -> list[ShortcutGroup]:
    """Each editor's keys, titled by the kind's title where ``kind_titles`` gives it."""
    titles = kind_titles or {}
    # Each editor keeps its keys in its own form; these read them.
    sources: dict[str, Any] = {
        "translation": translation_shortcuts,
        "transcription": lambda: transcription_shortcuts(settings),
        "photo_clip": photo_clip_shortcuts,
    }
    groups = []
    for kind_id, read in sources.items():
        title = titles.get(kind_id, kind_id.replace("_", " ").capitalize())
        groups.append(
            ShortcutGroup(translate("help", "%1 editor").replace("%1", title), tuple(read()))
        )
    return groups


# ---------------------------------------------------------------- the sheet


class ShortcutSheet(QDialog):
    """Every shortcut, grouped by screen; typing in the search box filters them."""

    def __init__(self, groups: list[ShortcutGroup], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle(translate("help", "Keyboard shortcuts"))
        layout = QVBoxLayout(self)
        self.search = QLineEdit(self)
        self.search.setObjectName("shortcutSearch")
        self.search.setPlaceholderText(translate("help", "Search: a key or what it does"))
        self.search.setAccessibleName(translate("help", "Search shortcuts"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.search.installEventFilter(self)
        label = QLabel(translate("help", "&Search:"), self)
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutList")
        self.tree.setAccessibleName(translate("help", "Shortcuts by screen"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([translate("help", "Keys"), translate("help", "What it does")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        bold = QFont(self.font())
        bold.setBold(True)
        for group in groups:
            top = QTreeWidgetItem([group.title, ""])
            top.setFont(0, bold)
            top.setFirstColumnSpanned(True)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)
            for shortcut in group.shortcuts:
                child = QTreeWidgetItem([shortcut.keys, shortcut.what])
                child.setToolTip(1, shortcut.what)
                top.addChild(child)
        self.tree.expandAll()
        layout.addWidget(self.tree, 1)
        self.empty = QLabel(translate("help", "No shortcut matches."), self)
        self.empty.hide()
        layout.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(620, 640)
        self.search.setFocus()

    def filter(self, text: str) -> int:
        """Show the shortcuts whose keys or description contain ``text`` (or whose group
        title does); returns how many are shown."""
        needle = text.strip().casefold()
        shown = 0
        for group, items in self._groups():
            whole = bool(needle) and needle in group.text(0).casefold()
            visible = 0
            for item in items:
                hit = (
                    not needle
                    or whole
                    or needle in item.text(0).casefold()
                    or needle in item.text(1).casefold()
                )
                item.setHidden(not hit)
                visible += hit
            group.setHidden(visible == 0)
            shown += visible
        self.empty.setVisible(shown == 0)
        return shown

    def _groups(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Each group's item and its shortcuts' items."""
        found = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            if group is not None:
                items = [group.child(j) for j in range(group.childCount())]
                found.append((group, [item for item in items if item is not None]))
        return found

    def _shown_items(self) -> list[QTreeWidgetItem]:
        return [
            item
            for group, items in self._groups()
            if not group.isHidden()
            for item in items
            if not item.isHidden()
        ]

    def visible_shortcuts(self) -> list[tuple[str, str]]:
        """``(keys, what)`` of every shortcut the search leaves shown."""
        return [(item.text(0), item.text(1)) for item in self._shown_items()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # Down from the search box goes to the first shortcut shown.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self._focus_first_shown()
                return True
        return super().eventFilter(watched, event)

    def _focus_first_shown(self) -> None:
        shown = self._shown_items()
        if shown:
            self.tree.setCurrentItem(shown[0])
            self.tree.setFocus(Qt.FocusReason.TabFocusReason)


def shortcut_sheet_for(window: MainWindow) -> ShortcutSheet:
    registry = window.ctx.registry
    titles = {kind.id: kind_title(kind) for kind in registry} if registry else {}
    settings = window._editor_settings() if hasattr(window, "_editor_settings") else None
    groups = window_groups(window) + editor_groups(titles, settings)
    return ShortcutSheet(groups, window)


# ---------------------------------------------------------------- the window's help


class HelpActions(QObject):
    """The Help menu's actions on one window, and the shortcut sheet it opened."""

    def __init__(self, window: MainWindow, help_menu: QMenu) -> None:
        super().__init__(window)
        self.setObjectName("helpActions")
        self.window = window
        self.sheet: ShortcutSheet | None = None
        self.tour: Any = None
        existing = help_menu.actions()
        self._before = existing[0] if existing else None  # About stays last
        self.shortcuts_action = self._add(
            help_menu, translate("help", "&Keyboard shortcuts"), "Ctrl+/", self.show_shortcuts
        )
        self.tour_action = self._add(help_menu, translate("help", "&Tour"), None, self.show_tour)
        self.diagnostics_action = self._add(
            help_menu, translate("help", "Export &diagnostics…"), None, self.export_diagnostics
        )
        if self._before is not None:
            help_menu.insertSeparator(self._before)
        self.diagnostics_action.setToolTip(
            translate(
                "help",
                "Save a zip for a bug report: logs without passwords or tokens, versions, settings",
            )
        )

    def _add(self, menu: QMenu, text: str, keys: str | None, slot: Any) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.insertAction(self._before, action)  # type: ignore[arg-type]  # None appends
        self.window.addAction(action)
        return action

    def show_shortcuts(self) -> ShortcutSheet:
        if self.sheet is None or not self.sheet.isVisible():
            self.sheet = shortcut_sheet_for(self.window)
            self.sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.sheet.destroyed.connect(lambda: setattr(self, "sheet", None))
        self.sheet.show()
        self.sheet.raise_()
        self.sheet.activateWindow()
        return self.sheet

    def show_tour(self) -> Any:
        from app.tour import TourCard

        if self.tour is None:
            self.tour = TourCard(self.window)
            self.tour.destroyed.connect(lambda: setattr(self, "tour", None))
        self.tour.start()
        return self.tour

    def export_diagnostics(self) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        suggested = Path.home() / f"ouvrage-diagnostics-{stamp}.zip"
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            translate("help", "Export diagnostics"),
            str(suggested),
            translate("help", "Zip files (*.zip)"),
        )
        if path:
            self.write_diagnostics(Path(path))

    def write_diagnostics(self, path: Path) -> None:
        """Write the diagnostics zip on the database worker; say where it went."""
        from app.diagnostics import export_diagnostics
        from app.tasks import op

        window = self.window
        op(export_diagnostics, window.ctx.profile, path, window.ctx.store).success(
            lambda written: window.statusBar().showMessage(
                translate("help", "Diagnostics written to %1").replace("%1", str(written)), 10000
            )
        ).failure(window.report_error).run(window.ctx.db)


def _tooltips_name_shortcuts(window: QWidget) -> None:
    """Each of the window's actions says its keys in its tooltip (toolbars, menus)."""
    for action in window.actions():
        keys = action.shortcut().toString(NATIVE)
        if keys and (not action.toolTip() or action.toolTip() == _plain(action.text())):
            action.setToolTip(f"{_plain(action.text())} ({keys})")


def install_help(window: MainWindow, help_menu: QMenu, view_menu: QMenu) -> HelpActions:
    """Help and View actions, accessible names, and the tour on the first demo start."""
    from app.accessibility import describe_main_window, fill_missing_names
    from app.appearance import install_view_actions
    from app.tour import start_first_run_tour

    actions = HelpActions(window, help_menu)
    install_view_actions(window, view_menu)
    describe_main_window(window)
    _tooltips_name_shortcuts(window)

    def name_tab(index: int) -> None:
        page = window.tabs.widget(index)
        if page is not None:
            fill_missing_names(page, window.tabs.tabText(index))

    window.tabs.currentChanged.connect(name_tab)
    if window.ctx.demo:
        start_first_run_tour(window, actions)
    return actions
