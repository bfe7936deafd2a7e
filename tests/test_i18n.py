"""Languages: every user-facing string goes through Qt's translation system, the French
catalogue covers all of them, the window speaks French when asked, and dates, numbers and
money follow the language's QLocale.

The catalogue tests read the code (``ast``) and run ``pyside6-lupdate`` into a temporary
file; the window tests install the French translators for one test and remove them after,
so every other test keeps its English texts.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLocale, QModelIndex, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QToolBar,
    QWidget,
)

from app import i18n
from app.context import AppContext
from app.demo import build_demo_bundles
from app.formatting import duration_text, money
from app.i18n import (
    TsTranslator,
    choose_language,
    install_language,
    remember_language,
    saved_language,
    uninstall_language,
)
from app.mainwindow import MainWindow
from app.preferences import Preferences
from app.profile import Profile
from scripts.update_translations import (
    ROOT,
    Message,
    lupdate,
    lupdate_command,
    read_messages,
    source_files,
)

TRANSLATIONS = ROOT / "resources" / "translations"
FRENCH_TS = TRANSLATIONS / "ouvrage_fr.ts"
ENGLISH_TS = TRANSLATIONS / "ouvrage_en.ts"
PLACEHOLDER = re.compile(r"%L?n|%\d")
NEEDS_LUPDATE = pytest.mark.skipif(
    lupdate_command() is None, reason="pyside6-lupdate is not installed (pip install pyside6)"
)


def french() -> dict[tuple[str, str, str], Message]:
    return read_messages(FRENCH_TS)


# ---------------------------------------------------------------- the catalogue


@NEEDS_LUPDATE
def test_lupdate_finds_no_message_that_french_lacks_or_leaves_unfinished(tmp_path: Path) -> None:
    """The test that fails when a visible string is not translated: lupdate over the code
    into a fresh file, against the French catalogue in the repository."""
    fresh = tmp_path / "fresh_fr.ts"
    lupdate(fresh, "fr_FR")
    wanted = read_messages(fresh)
    have = french()
    assert len(wanted) > 400  # the Qt modules were read
    missing = sorted(f"[{c}] {s!r}" for c, s, k in wanted if (c, s, k) not in have)
    assert not missing, "run python3 -m scripts.update_translations, then translate:\n" + "\n".join(
        missing
    )
    unfinished = sorted(f"[{c}] {s!r}" for (c, s, k), m in have.items() if not m.finished)
    assert not unfinished, "translate in resources/translations/ouvrage_fr.ts:\n" + "\n".join(
        unfinished
    )
    stale = sorted(f"[{c}] {s!r}" for c, s, k in have if (c, s, k) not in wanted)
    assert not stale, "no longer in the code (run scripts.update_translations):\n" + "\n".join(
        stale
    )


def _literal(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def code_messages() -> tuple[set[tuple[str, str, str]], list[str]]:
    """What the code asks to translate, by ``(context, source, comment)``, read the way Qt
    reads it at run time (``self.tr`` → the class's name), and what lupdate cannot read."""
    found: set[tuple[str, str, str]] = set()
    problems: list[str] = []
    classes: dict[str, list[str]] = {}  # class → its bases' names
    with_tr: set[str] = set()

    for relative in source_files():
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))

        def visit(node: ast.AST, cls: str | None, in_function: bool, where: Path) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    classes[child.name] = [ast.unparse(b).split("[")[0] for b in child.bases]
                    visit(child, child.name, False, where)
                    continue
                inner = in_function or isinstance(child, ast.FunctionDef | ast.Lambda)
                if isinstance(child, ast.JoinedStr):
                    for part in ast.walk(child):
                        if isinstance(part, ast.Call) and _call_name(part) in ("tr", "translate"):
                            problems.append(f"{where}:{child.lineno}: tr() inside an f-string")
                if isinstance(child, ast.Call):
                    note(child, cls, in_function, where)
                visit(child, cls, inner, where)

        def note(call: ast.Call, cls: str | None, in_function: bool, where: Path) -> None:
            name, args, line = _call_name(call), call.args, f"{where}:{call.lineno}"
            comment = _literal(args[2] if name != "tr" else args[1]) if len(args) > 2 else None
            if name == "tr" and isinstance(call.func, ast.Attribute):
                comment = _literal(args[1]) if len(args) > 1 else None
                source = _literal(args[0]) if args else None
                if cls is None or source is None:
                    problems.append(f"{line}: tr() needs a class and a literal text")
                    return
                with_tr.add(cls)
                found.add((cls, source, comment or ""))
            elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2:
                context = _literal(args[0])
                if context is None:
                    problems.append(f"{line}: {name}() needs a literal context")
                    return
                if source := _literal(args[1]):
                    found.add((context, source, comment or ""))
            else:
                return
            if name != "QT_TRANSLATE_NOOP" and not in_function:
                problems.append(f"{line}: translated at import time, before the translator")

        visit(tree, None, False, relative)
    # Qt looks ``self.tr`` up under the instance's own class: a base class's texts would be
    # looked up under the subclass's name, and never found. Bases use explicit contexts.
    for cls, bases in classes.items():
        problems += [f"{cls} inherits self.tr() texts from {b}" for b in bases if b in with_tr]
    return found, problems


def test_the_code_asks_for_translations_the_way_lupdate_and_qt_both_read_them() -> None:
    found, problems = code_messages()
    assert not problems, "\n".join(problems)
    have = french()
    assert not sorted(found - set(have)), "run python3 -m scripts.update_translations"
    assert not sorted(set(have) - found), "the catalogue has texts the code does not ask for"


# Texts that reach a Qt text setter as they are: names and examples that are the same
# in every language.
UNTRANSLATED_ON_PURPOSE = {"Ouvrage", "https://tasks.example.org"}
TEXT_SETTERS = {
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setTitle", "setStatusTip",
    "setWhatsThis", "setAccessibleName", "setAccessibleDescription", "showMessage", "addTab",
    "insertTab", "setTabText", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setSpecialValueText", "setSuffix", "setPrefix", "addItem", "addItems", "addMenu",
    "addAction", "QLabel", "QPushButton", "QAction", "QGroupBox", "QCheckBox", "QRadioButton",
    "QToolButton", "information", "question", "critical", "about", "getOpenFileName",
    "getOpenFileNames", "getSaveFileName", "getItem", "getText", "set_message",
    "show_message", "set_save_state", "setLabelText", "setPlainText", "set_series_names",
}  # fmt: skip


def _strings_reaching(node: ast.AST) -> Iterator[ast.Constant]:
    """String literals that reach a call's argument directly (not through a tr call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.JoinedStr):
        yield from (v for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.BinOp):
        yield from _strings_reaching(node.left)
        yield from _strings_reaching(node.right)
    elif isinstance(node, ast.IfExp):
        yield from _strings_reaching(node.body)
        yield from _strings_reaching(node.orelse)
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            yield from _strings_reaching(element)


def test_no_literal_text_reaches_a_widget_without_a_translation() -> None:
    untranslated = []
    for relative in source_files():
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            if _call_name(call) not in TEXT_SETTERS:
                continue
            receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id in ("log", "logging"):
                continue
            for arg in call.args:
                for text in _strings_reaching(arg):
                    words = sum(c.isalpha() for c in text.value)
                    markup = text.value.lstrip().startswith("<")
                    if words >= 2 and not markup and text.value not in UNTRANSLATED_ON_PURPOSE:
                        untranslated.append(f"{relative}:{text.lineno}: {text.value!r}")
    assert not untranslated, "wrap these in self.tr() or translate():\n" + "\n".join(untranslated)


def _mnemonics(text: str) -> int:
    return len(re.findall(r"&(?!&)", text.replace("&&", "")))


def test_french_keeps_placeholders_mnemonics_ellipses_and_its_typography() -> None:
    wrong = []
    for (context, source, _), message in french().items():
        for text in message.translations:
            where = f"[{context}] {source!r} → {text!r}"
            # A singular may leave the count out ("Corrigez le problème…"), not a plural.
            dropped_count = message.numerus and text != message.translations[-1]
            shown, asked = PLACEHOLDER.findall(text), PLACEHOLDER.findall(source)
            if dropped_count:
                asked = [p for p in asked if p not in ("%n", "%Ln")]
                shown = [p for p in shown if p not in ("%n", "%Ln")]
            if sorted(shown) != sorted(asked):
                wrong.append(f"placeholders: {where}")
            if _mnemonics(text) != _mnemonics(source):
                wrong.append(f"mnemonic: {where}")
            if source.endswith("…") != text.endswith("…"):
                wrong.append(f"ellipsis: {where}")
            if re.search(r" [;:!?»]|« ", text) and "(*" not in text:
                wrong.append(f"space before ; : ! ? » or after « must not break: {where}")
            if "'" in text:
                wrong.append(f"typographic apostrophe (’): {where}")
    assert not wrong, "\n".join(wrong)


def test_english_has_the_plural_forms_of_every_counted_message() -> None:
    counted = {key for key, message in french().items() if message.numerus}
    english = read_messages(ENGLISH_TS)
    assert set(english) == counted
    assert all(m.finished and len(m.translations) == 2 for m in english.values())


# ---------------------------------------------------------------- choosing and loading


def test_the_language_is_the_command_line_s_then_the_environment_s_then_the_preference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(i18n.ENV_LANGUAGE, raising=False)
    monkeypatch.setattr(i18n, "system_language", lambda: "en")
    assert choose_language() == "en"
    assert choose_language(saved="fr") == "fr"
    assert choose_language(explicit="en", saved="fr") == "en"
    assert choose_language(saved="de") == "en"  # not shipped: the system's
    monkeypatch.setenv(i18n.ENV_LANGUAGE, "fr_CA")
    assert choose_language(saved="en") == "fr"
    assert choose_language(explicit="en") == "en"


def test_the_preference_is_mirrored_into_window_ini_for_the_next_start(
    qtbot, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    assert saved_language(profile.root) == ""
    remember_language(profile.root, "fr")
    assert saved_language(profile.root) == "fr"
    window = MainWindow(AppContext.open(profile, inline=True))
    qtbot.addWidget(window)
    try:
        window._preferences_loaded(Preferences(language="en"))  # the store's value wins
        assert saved_language(profile.root) == "en"
    finally:
        window.close()
        window.ctx.close()


def test_ouvrage_lang_is_an_option_of_the_window() -> None:
    from app.cli import _parser

    assert _parser().parse_args(["--lang", "fr"]).lang == "fr"


@pytest.fixture
def translations(tmp_path: Path) -> Path:
    """A copy of resources/translations, so a .qm compiled beside it stays in tmp_path."""
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.qm"))
    return copy


def test_without_a_built_catalogue_it_is_compiled_into_the_profile_or_read_from_the_ts(
    qapp: QApplication, translations: Path, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    if i18n._lrelease() is not None:
        installed = install_language(qapp, profile.root, explicit="fr", translations=translations)
        try:
            assert installed.source == "cache"
            assert (profile.root / "cache" / "translations" / "ouvrage_fr.qm").is_file()
            assert QCoreApplication.translate("MainWindow", "&File") == "&Fichier"
        finally:
            uninstall_language(qapp, installed)
        assert QCoreApplication.translate("MainWindow", "&File") == "&File"
    shutil.rmtree(profile.root / "cache", ignore_errors=True)
    monkeypatch.setattr(i18n, "_lrelease", lambda: None)  # no lrelease: the .ts directly
    installed = install_language(qapp, profile.root, explicit="fr", translations=translations)
    try:
        assert installed.source == "ts"
        assert QCoreApplication.translate("MainWindow", "&File") == "&Fichier"
        assert QCoreApplication.translate("MainWindow", "not a message") == "not a message"
    finally:
        uninstall_language(qapp, installed)
    assert sorted(p.name for p in translations.iterdir()) == [
        ".gitignore", "ouvrage_en.ts", "ouvrage_fr.ts"
    ]  # fmt: skip


@pytest.mark.skipif(i18n._lrelease() is None, reason="pyside6-lrelease is not installed")
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_ts_read_directly_translates_like_the_compiled_qm(
    qapp: QApplication, tmp_path: Path, language: str
) -> None:
    ts = TRANSLATIONS / f"ouvrage_{language}.ts"
    qm = tmp_path / f"ouvrage_{language}.qm"
    assert i18n.compile_ts(ts, qm)
    compiled = QTranslator()
    assert compiled.load(str(qm))
    direct = TsTranslator(ts)
    assert not direct.isEmpty()
    for context, source, comment in read_messages(ts):
        for n in (-1, 0, 1, 2, 5):
            expected = compiled.translate(context, source, comment or None, n) or None
            assert direct.translate(context, source, comment or None, n) == expected, (
                context,
                source,
                n,
            )
    assert direct.translate("MainWindow", "not a message") is None


# ---------------------------------------------------------------- the window in French


@pytest.fixture
def in_french(qapp: QApplication, profile: Profile) -> Iterator[i18n.InstalledLanguage]:
    installed = install_language(qapp, profile.root, explicit="fr")
    yield installed
    uninstall_language(qapp, installed)


@pytest.fixture(scope="module")
def demo_bundles(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_demo_bundles(tmp_path_factory.mktemp("demo"))


def _english_only() -> tuple[dict[str, str], list[tuple[re.Pattern[str], re.Pattern[str]]]]:
    """English sources whose French differs: exact texts, and patterns of the ones with
    placeholders (a shown "Profile: /tmp/x" is the English "Profile: %1")."""
    exact: dict[str, str] = {}
    patterns = []
    for (_context, source, _), message in french().items():
        text = message.translations[-1]
        if text == source:
            continue
        if not PLACEHOLDER.search(source):
            exact.setdefault(source, text)
            continue
        if sum(c.isalpha() for c in PLACEHOLDER.sub("", source)) < 4:
            continue  # "%1 h", "%1/h": too little of English to tell

        def pattern(text: str) -> re.Pattern[str]:
            parts = PLACEHOLDER.split(text)
            return re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$", re.DOTALL)

        patterns.append((pattern(source), pattern(text)))
    return exact, patterns


def _shown_texts(window: QWidget) -> list[tuple[str, str]]:
    """``(what, text)`` of everything a contributor reads in ``window``: visible labels,
    buttons, group titles, placeholders, tabs, column titles, combo items, the menus,
    tooltips and accessible names of visible widgets, and the status bar."""
    texts: list[tuple[str, str]] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        kind = type(widget).__name__
        texts += [(f"{kind} tooltip", widget.toolTip()), (f"{kind} name", widget.accessibleName())]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append((kind, widget.text()))
        if isinstance(widget, QGroupBox):
            texts.append((kind, widget.title()))
        if isinstance(widget, QToolBar):  # what does not fit is one click away (»)
            texts += [(f"{kind} action", a.text()) for a in widget.actions()]
            texts += [(f"{kind} action tooltip", a.toolTip()) for a in widget.actions()]
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append((f"{kind} placeholder", widget.placeholderText()))
        if isinstance(widget, QTabBar):
            texts += [(kind, widget.tabText(i)) for i in range(widget.count())]
        if isinstance(widget, QComboBox):
            texts += [(kind, widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model, top = widget.model(), QModelIndex()
            try:
                columns = range(model.columnCount(top))
            except TypeError:  # a list model keeps columnCount() to itself: one column
                columns = range(1)
            texts += [
                ("column", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                for c in columns
            ]
            texts += [
                ("cell", str(model.index(r, c).data() or ""))
                for r in range(min(model.rowCount(top), 5))
                for c in columns
            ]
    if isinstance(window, QMainWindow):
        bar = window.menuBar().actions()
        texts += [("menu bar", a.text()) for a in bar]
        for action in [
            a for m in (a.menu() for a in bar) if isinstance(m, QMenu) for a in m.actions()
        ]:
            texts += [("menu", action.text()), ("menu tooltip", action.toolTip())]
        texts.append(("status bar", window.statusBar().currentMessage()))
    return [(what, text) for what, text in texts if text]


def _still_english(window: QWidget) -> list[str]:
    exact, patterns = _english_only()
    left = []
    for what, text in _shown_texts(window):
        if text in exact:
            left.append(f"{what}: {text!r} (French: {exact[text]!r})")
        elif any(en.match(text) and not fr.match(text) for en, fr in patterns):
            left.append(f"{what}: {text!r}")
    return left


# A few of each editor's main controls, in French.
EDITOR_WORDS = {
    "translation": {"Correspondances", "Glossaire", "Saisissez la traduction ici"},
    "transcription": {"Vitesse", "Volume", "Boucle", "Réglages…"},
    "photo_clip": {"Polygone", "Pinceau", "Annuler", "Photo à détourer"},
}


def test_the_window_and_every_editor_speak_french(
    qtbot, in_french: i18n.InstalledLanguage, profile: Profile, demo_bundles: list[Path]
) -> None:  # type: ignore[no-untyped-def]
    assert in_french.language == "fr" and QLocale().language() == QLocale.Language.French
    window = MainWindow(AppContext.open(profile, inline=True))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    try:
        # The empty window first: menus, tabs, the invitation to import, the status bar.
        assert [a.text() for a in window.menuBar().actions()][:3] == [
            "&Fichier", "&Tâche", "&Serveur"
        ]  # fmt: skip
        assert window.tabs.tabText(0) == "Tâches" and window.tabs.tabText(1) == "Boîte d’envoi"
        assert window.pane.placeholder_title.text() == "Aucune tâche pour l’instant"
        assert window.pane.import_button.text() == "Importer un lot…"
        assert window.waiting_label.text() == "En attente d’envoi\u00a0: 0"
        assert window.earnings_label.text() == "Aujourd’hui\u00a0: 0,00\u00a0€"
        assert not _still_english(window)

        window.import_files(demo_bundles)
        assert window.queue_model.rowCount() > 0
        assert window.kind_filter.itemText(1) == "Traduction"
        seen = set()
        for row in range(window.queue_model.rowCount()):
            task = window.queue_model.task_at(row)
            if task.kind in seen:
                continue
            seen.add(task.kind)
            window.open_task(task.id)
            qtbot.waitUntil(
                lambda t=task: window.current is not None and window.current.key == t.id
            )
            qtbot.wait(50)
            assert window.pane.submit_button.text() == "Soumettre"
            assert window.pane.instructions_toggle.text() == "Consignes"
            left = _still_english(window)
            assert not left, f"{task.kind} editor:\n" + "\n".join(left)
            shown = {text for _, text in _shown_texts(window)}
            assert EDITOR_WORDS[task.kind] <= shown, task.kind
        assert seen == set(EDITOR_WORDS)

        for index in range(1, window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            qtbot.wait(20)
            left = _still_english(window)
            assert not left, f"tab {window.tabs.tabText(index)}:\n" + "\n".join(left)
        assert window.tabs.tabText(4) == "Qualifications"
        assert window.tabs.tabText(3) == "Gains"
    finally:
        window.close()
        window.ctx.close()


def test_the_shortcut_sheet_and_the_tour_speak_french(
    qtbot, in_french: i18n.InstalledLanguage, profile: Profile
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(AppContext.open(profile, inline=True))
    qtbot.addWidget(window)
    window.show()
    try:
        sheet = window.help_actions.show_shortcuts()
        groups = [sheet.tree.topLevelItem(i).text(0) for i in range(sheet.tree.topLevelItemCount())]
        assert groups[:2] == ["Menu Fichier", "Menu Tâche"]
        rows = dict((what, keys) for keys, what in sheet.visible_shortcuts())
        assert rows["Fermer une boîte de dialogue"] == "Échap"
        assert rows["Insérer la balise n de la palette"] == "Alt+1 … Alt+9"
        assert rows["Retirer des régions"] == "maintenir Alt"
        assert not _still_english(sheet)
        sheet.close()
        tour = window.help_actions.show_tour()
        assert tour.title.text() == "Vos tâches" and tour.next_button.text() == "&Suivant ▶"
        tour.close()
    finally:
        window.close()
        window.ctx.close()


# ---------------------------------------------------------------- dates, numbers, money


def test_money_dates_and_durations_follow_the_french_locale(
    in_french: i18n.InstalledLanguage,
) -> None:
    fr = QLocale("fr_FR")
    assert money(Decimal("1.5"), "EUR", fr) == "1,50\u00a0€"
    assert money(Decimal("1234.5"), "USD", fr) == "1\u202f234,50\u00a0$"
    assert fr.toString(QDate(2026, 3, 7), QLocale.FormatType.ShortFormat) == "07/03/2026"
    assert fr.toString(1.5, "f", 1) == "1,5"
    # The installed language is the default locale: what the views format with.
    assert money(Decimal("0.06"), "EUR") == "0,06\u00a0€"
    assert QLocale().standaloneMonthName(11, QLocale.FormatType.LongFormat) == "novembre"
    assert duration_text(timedelta(days=2, hours=4)) == "2\u00a0j\u00a04\u00a0h"
    assert duration_text(timedelta(minutes=8)) == "8\u00a0min"


def test_money_stays_english_without_a_language_installed() -> None:
    en = QLocale("en_US")
    assert money(Decimal("1.5"), "EUR", en) == "€1.50"
    assert duration_text(timedelta(hours=3, minutes=12)) == "3 h 12 min"
