"""The translation editor: memory matches, prefill, glossary, QA, spelling and imports."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from app.context import AppContext
from app.mainwindow import MainWindow
from app.profile import Profile
from taskkinds.translation import KIND, editor_panel
from taskkinds.translation.editor import TranslationEditor
from taskkinds.translation.editor_row import FORBIDDEN_BACKGROUND, ON_LIGHT, TERM_BACKGROUND
from taskkinds.translation.editor_spelling import underlined_words
from taskkinds.translation.formats import write_tmx
from taskkinds.translation.memory import MemoryEntry, Origin
from taskkinds.translation.model import GlossaryTerm, TranslationPayload
from taskkinds.translation.workspace import Workspace, build_workspace, term_records, tm_records
from tests.factories import translation_bundle
from widgets.background import run_inline

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier

FORECAST = GlossaryTerm(source="forecast", targets=("prévisions",), forbidden=("pronostic",))


def payload_of(*sources: str, target_lang: str = "fr", **extra: Any) -> TranslationPayload:
    return TranslationPayload.model_validate(
        {
            "source_lang": "en",
            "target_lang": target_lang,
            "segments": [{"id": f"s{n}", "source": s} for n, s in enumerate(sources, start=1)],
            **extra,
        }
    )


def workspace_of(*pairs: tuple[str, str], terms: tuple[GlossaryTerm, ...] = ()) -> Workspace:
    entries = [MemoryEntry(source, target, "en", "fr", Origin.OWN) for source, target in pairs]
    return build_workspace("en>fr", tm_records(entries) + term_records(terms))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "editors.ini"), QSettings.Format.IniFormat)


def open_editor(qtbot, payload: TranslationPayload, **options: Any) -> TranslationEditor:  # type: ignore[no-untyped-def]
    options.setdefault("run_background", run_inline)
    editor = TranslationEditor(payload, options.pop("media_dir", None), options.pop("draft", None),
                               **options)  # fmt: skip
    qtbot.addWidget(editor)
    editor.resize(1100, 700)
    return editor


def checked_like_the_shell(editor: TranslationEditor) -> TranslationEditor:
    """Show the kind's problems on every draft, as the main window does."""

    def check(content: dict) -> None:
        editor.show_problems(KIND.validate(editor.payload, KIND.parse_result(content)))

    editor.draftChanged.connect(check)
    check(editor.content())
    return editor


def activated(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def backgrounds(edit: QPlainTextEdit) -> list[tuple[str, str]]:
    """(text, colour) of each stretch the highlighter gave a background."""
    block = edit.document().firstBlock()
    found = []
    for span in block.layout().formats():
        if span.format.hasProperty(QTextCharFormat.Property.BackgroundBrush):
            text = block.text()[span.start : span.start + span.length]
            found.append((text, span.format.background().color().name()))
    return found


# --- the whole loop through the main window -------------------------------------------


def test_a_keyboard_only_contributor_reuses_the_last_task_through_the_memory(
    qtbot, profile: Profile, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    first = ["Save the file", "Save all files", "Open the settings"]
    second = ["Save the file now", "Save all the files"]
    tasks = [
        {"id": "t1", "payload": payload_of(*first).model_dump(mode="json")},
        {"id": "t2", "payload": payload_of(*second).model_dump(mode="json")},
    ]
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        activated(qtbot, window)
        window.import_files(
            [translation_bundle(tmp_path / "tm.zip", bundle_id="b-tm", tasks=tasks)]
        )
        window.move_task(1)
        editor = window.pane.editor
        assert isinstance(editor, TranslationEditor) and window.current.key == "b-tm/t1"
        assert editor.matches == []  # nothing learned yet

        # The first task, typed and submitted from the keyboard alone.
        for n, text in enumerate(["Enregistrer le fichier", "Enregistrer tous les fichiers"]):
            qtbot.keyClicks(editor.rows[n].target, text)
            qtbot.keyClick(editor.rows[n].target, Qt.Key.Key_Down, CTRL)
            assert editor.current_index() == n + 1
        qtbot.keyClicks(editor.rows[2].target, "Ouvrir la configuration")
        qtbot.keyClick(editor.rows[2].target, Qt.Key.Key_Return, CTRL)
        assert [row.task_id for row in ctx.store.outbox()] == ["b-tm/t1"]

        # The next task of the pair opens with the first one's translations as matches.
        assert window.current.key == "b-tm/t2"
        editor = window.pane.editor
        first_row, second_row = editor.rows
        assert first_row.target.hasFocus()
        assert [(m.score, m.entry.target, m.origin) for m in editor.matches] == [
            (87, "Enregistrer le fichier", Origin.OWN)
        ]
        shown = editor.panel.match_view.toPlainText()
        assert "87 %" in shown and "Enregistrer le fichier" in shown
        assert "line-through" not in editor.panel.match_view.toHtml()  # nothing to delete
        assert "underline" in editor.panel.match_view.toHtml()  # " now" is new

        qtbot.keyClick(first_row.target, Qt.Key.Key_R, CTRL)
        assert first_row.text() == "Enregistrer le fichier"
        qtbot.keyClick(first_row.target, Qt.Key.Key_End)
        qtbot.keyClicks(first_row.target, " maintenant")

        qtbot.keyClick(first_row.target, Qt.Key.Key_Down, CTRL)
        assert second_row.target.hasFocus()
        assert [m.entry.target for m in editor.matches] == [
            "Enregistrer tous les fichiers",
            "Enregistrer le fichier",
        ]
        qtbot.keyClick(second_row.target, Qt.Key.Key_2, ALT)
        assert second_row.text() == "Enregistrer le fichier"
        qtbot.keyClick(second_row.target, Qt.Key.Key_1, ALT)
        assert second_row.text() == "Enregistrer tous les fichiers"
        qtbot.keyClick(second_row.target, Qt.Key.Key_Up, CTRL)
        assert first_row.target.hasFocus() and editor.matches[0].score == 87

        qtbot.keyClick(first_row.target, Qt.Key.Key_Return, CTRL)
        assert ctx.store.submitted_result("b-tm/t2")["targets"] == {
            "s1": "Enregistrer le fichier maintenant",
            "s2": "Enregistrer tous les fichiers",
        }
    finally:
        window.close()
        ctx.close()


def test_a_dismissed_warning_goes_away_and_stays_dismissed_when_the_task_reopens(
    qtbot, profile: Profile, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    tasks = [
        {"id": "t1", "payload": payload_of("Save the file.", "Quit").model_dump(mode="json")},
        {"id": "t2", "payload": payload_of("Print").model_dump(mode="json")},
    ]
    ctx = AppContext.open(profile, inline=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    try:
        activated(qtbot, window)
        window.import_files(
            [translation_bundle(tmp_path / "qa.zip", bundle_id="b-qa", tasks=tasks)]
        )
        window.move_task(1)
        editor = window.pane.editor
        qtbot.keyClicks(editor.rows[0].target, "Enregistrer le fichier")
        problems = editor.rows[0].problems.text()
        assert "full stop" in problems and "dismiss:s1:end_punctuation:" in problems
        # The other segment is empty: an error, which cannot be dismissed.
        assert "empty" in editor.rows[1].problems.text()
        assert "dismiss:" not in editor.rows[1].problems.text()

        href = problems.split('href="')[1].split('"')[0]
        editor.rows[0].problems.linkActivated.emit(href)
        assert editor.rows[0].problems.isHidden()
        assert editor.content()["dismissed"] == [href.removeprefix("dismiss:")]

        qtbot.keyClick(window, Qt.Key.Key_Right, ALT)  # to the next task and back
        assert window.current.key == "b-qa/t2"
        qtbot.keyClick(window, Qt.Key.Key_Left, ALT)
        reopened = window.pane.editor
        assert window.current.key == "b-qa/t1" and reopened is not editor
        assert reopened.rows[0].text() == "Enregistrer le fichier"
        assert reopened.rows[0].problems.isHidden()
        texts = [
            window.pane.problem_list.item(i).text() for i in range(window.pane.problem_list.count())
        ]
        assert not any("full stop" in text for text in texts)
        assert any("empty" in text.lower() for text in texts)
    finally:
        window.close()
        ctx.close()


# --- the editor on its own ------------------------------------------------------------


def test_an_exact_match_fills_an_empty_target_for_review_until_edited_or_confirmed(
    qtbot, settings: QSettings
) -> None:  # type: ignore[no-untyped-def]
    payload = payload_of("Save", "Quit", "Print the page")
    editor = checked_like_the_shell(open_editor(qtbot, payload, settings=settings))
    drafts: list[dict] = []
    editor.draftChanged.connect(drafts.append)
    activated(qtbot, editor)
    editor.focus_first_empty()

    editor.set_memory(workspace_of(("Save", "Enregistrer"), ("Quit", "Quitter")))
    qtbot.waitUntil(lambda: editor.rows[1].text() == "Quitter")
    save, quit_, other = editor.rows
    assert save.text() == "Enregistrer" and other.text() == ""
    assert save.badge.isVisible() and quit_.badge.isVisible() and not other.badge.isVisible()
    assert drafts[-1]["needs_review"] == ["s1", "s2"]
    assert "Confirm" in save.problems.text() and "100 %" in save.problems.text()

    save.target.setFocus()
    save.target.insertPlainText("Tout e")  # any edit is a review
    assert not save.badge.isVisible()
    assert editor.content()["needs_review"] == ["s2"]

    qtbot.keyClick(save.target, Qt.Key.Key_Down, CTRL)
    qtbot.keyClick(quit_.target, Qt.Key.Key_Return, ALT)  # right as it is: confirm, go on
    assert quit_.text() == "Quitter" and not quit_.badge.isVisible()
    assert "needs_review" not in editor.content()
    assert other.target.hasFocus()
    qtbot.keyClick(other.target, Qt.Key.Key_B, CTRL)  # no match: start from the source
    assert other.text() == "Print the page"


def test_a_draft_keeps_its_review_marks_and_dismissals(qtbot) -> None:  # type: ignore[no-untyped-def]
    draft = {"targets": {"s1": "Enregistrer"}, "needs_review": ["s1"], "dismissed": ["s1:x:1"]}
    editor = open_editor(qtbot, payload_of("Save"), draft=draft)
    assert editor.rows[0].needs_review
    assert editor.content() == {"version": 1, **draft}
    editor.set_read_only(True)
    editor.insert_match(1)
    editor.copy_source()
    assert editor.rows[0].text() == "Enregistrer"


def test_the_bundle_memory_and_memory_files_are_offered_without_the_shell(
    qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    media = tmp_path / "bundle"
    (media / "tm").mkdir(parents=True)
    entries = [MemoryEntry("Print the page", "Imprimer la page", "en", "fr")]
    (media / "tm" / "app.tmx").write_bytes(write_tmx(entries, "en"))
    payload = payload_of(
        "Print the pages",
        "Save",
        memory=[{"source": "Save", "target": "Enregistrer"}],
        memory_files=["tm/app.tmx"],
    )
    editor = open_editor(qtbot, payload, media_dir=media)
    assert [(m.entry.target, m.origin) for m in editor.matches] == [
        ("Imprimer la page", Origin.BUNDLE)
    ]
    qtbot.waitUntil(lambda: editor.rows[1].text() == "Enregistrer")
    assert editor.rows[1].needs_review

    hits = editor.search_concordance("page")
    assert [hit.entry.target for hit in hits] == ["Imprimer la page"]
    assert f"background-color:{TERM_BACKGROUND}" in editor.panel.concordance_view.toHtml().lower()
    assert "Imprimer la page" in editor.panel.concordance_view.toPlainText()


def test_glossary_terms_are_marked_listed_and_a_forbidden_translation_flagged(
    qtbot,
) -> None:  # type: ignore[no-untyped-def]
    payload = payload_of("Tap <b>Details</b> for the forecast of the week", glossary=[FORECAST])
    editor = checked_like_the_shell(open_editor(qtbot, payload))
    week = GlossaryTerm(source="week", targets=("semaine",), forbidden=("hebdo",))
    editor.set_memory(workspace_of(terms=(week,)))
    row = editor.rows[0]

    source = row.source.text()
    assert "&lt;b&gt;Details&lt;/b&gt;" in source  # markup of the source is shown, not run
    assert (
        f'<span style="background-color:{TERM_BACKGROUND}; color:{ON_LIGHT}">forecast</span>'
        in source
    )
    assert (
        f'<span style="background-color:{TERM_BACKGROUND}; color:{ON_LIGHT}">week</span>' in source
    )
    terms = editor.panel.term_view.toPlainText()
    assert "prévisions" in terms and "pronostic" in terms and "semaine" in terms

    row.target.setPlainText("Touchez <b>Détails</b> pour le pronostic de la hebdo")
    assert (
        f'<span style="background-color:{FORBIDDEN_BACKGROUND}; color:{ON_LIGHT}">forecast</span>'
        in row.source.text()
    )
    assert ("pronostic", QColor(FORBIDDEN_BACKGROUND).name()) in backgrounds(row.target)
    lines = row.problems.text().split("<br>")
    forbidden = [line for line in lines if "forbids" in line]
    assert len(forbidden) == 2 and "“pronostic”" in forbidden[0]  # the bundle's term
    assert "“hebdo”" in forbidden[1]  # and the contributor's imported one
    assert all("✖" in line and "dismiss:" not in line for line in forbidden)  # errors stay
    assert any("semaine" in line and "dismiss:" in line for line in lines)  # a warning


def test_misspelled_french_words_are_underlined_with_suggestions_and_a_personal_dictionary(
    qtbot, settings: QSettings
) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, payload_of("Forecasts are available", "See the meteogram"),
                         settings=settings)  # fmt: skip
    first, second = editor.rows
    first.target.setPlainText("Les prévisions sont disponibels")
    second.target.setPlainText("Les prévisions sont disponibles")
    assert underlined_words(first.target) == ["disponibels"]
    assert underlined_words(second.target) == []

    menu = first.target.build_menu(len("Les prévisions sont dispo"))
    texts = [action.text() for action in menu.actions()]
    assert texts[0] == "disponibles" and "Add “disponibels” to the dictionary" in texts
    assert "&Copy" in "".join(texts) or any("Copy" in text for text in texts)  # then Qt's menu
    menu.actions()[0].trigger()
    assert first.text() == "Les prévisions sont disponibles"
    assert underlined_words(first.target) == []
    assert second.target.build_menu(3).actions()[0].text() != "disponibles"  # a right word

    second.target.setPlainText("Voir le météogramme")
    assert underlined_words(second.target) == ["météogramme"]
    [add] = [
        a for a in second.target.build_menu(12).actions() if a.objectName() == "addToDictionary"
    ]
    add.trigger()
    assert underlined_words(second.target) == []
    assert "météogramme" in settings.value("translation/personal/fr", type=list)

    again = open_editor(qtbot, payload_of("See the meteogram"), settings=settings)
    again.rows[0].target.setPlainText("Voir le météogramme")
    assert underlined_words(again.rows[0].target) == []


def test_the_dictionary_loads_off_the_ui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, payload_of("Available"), run_background=None)
    editor.rows[0].target.setPlainText("disponibels")
    deadline = time.monotonic() + 10
    while not editor.spelling_ready and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    assert underlined_words(editor.rows[0].target) == ["disponibels"]


def test_dismissing_and_fixing_french_spacing_from_the_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    editor = checked_like_the_shell(open_editor(qtbot, payload_of("Storm alert: stay indoors!")))
    row = editor.rows[0]
    row.target.setPlainText("Alerte tempête: restez à l'intérieur!")
    assert "fix-spacing:s1" in row.problems.text()
    row.problems.linkActivated.emit("fix-spacing:s1")
    assert row.text() == "Alerte tempête\u00a0: restez à l'intérieur\u202f!"
    assert "French typography" not in row.problems.text()


# --- imports ----------------------------------------------------------------------------


def test_an_imported_tmx_gives_matches_and_is_handed_to_the_shell(
    qtbot, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    tmx = tmp_path / "client memory.tmx"
    tmx.write_bytes(
        write_tmx([MemoryEntry("Print the page", "Imprimer la page", "en", "fr")], "en")
    )
    monkeypatch.setattr(editor_panel, "choose_import_file", lambda *_: tmx)
    editor = open_editor(qtbot, payload_of("Print the pages"))
    workspace = workspace_of()
    editor.set_memory(workspace)
    learned: list[list[dict]] = []
    editor.memoryLearned.connect(learned.append)
    assert editor.matches == []

    qtbot.mouseClick(editor.panel.import_memory_button, Qt.MouseButton.LeftButton)
    [records] = learned
    assert [(r["type"], r["target"], r["origin"]) for r in records] == [
        ("tm", "Imprimer la page", "imported")
    ]
    assert [(m.entry.target, m.origin) for m in editor.matches] == [
        ("Imprimer la page", Origin.IMPORTED)
    ]
    assert len(workspace.memory) == 1  # every task of the pair gets it
    assert "client memory.tmx" in editor.panel.status.text()


def test_an_imported_csv_glossary_marks_its_terms(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "terms.csv"
    csv.write_text("source,target,forbidden\npage,page,feuille\n", encoding="utf-8")
    monkeypatch.setattr(editor_panel, "choose_import_file", lambda *_: csv)
    editor = open_editor(qtbot, payload_of("Print the page"))
    learned: list[list[dict]] = []
    editor.memoryLearned.connect(learned.append)
    qtbot.mouseClick(editor.panel.import_glossary_button, Qt.MouseButton.LeftButton)
    assert [(r["type"], r["source"]) for r in learned[0]] == [("term", "page")]
    assert f'<span style="background-color:{TERM_BACKGROUND}; color:{ON_LIGHT}">page</span>' in (
        editor.rows[0].source.text()
    )
    assert "feuille" in editor.panel.term_view.toPlainText()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("broken.tmx", b'<?xml version="1.0"?><tmx version="1.4"><body><tu><tuv', "broken.tmx"),
        ("notes.txt", b"\xff\xfe\x00garbage", "notes.txt"),
    ],
)
def test_a_damaged_file_gets_a_message_naming_it(
    qtbot, tmp_path: Path, monkeypatch, name: str, data: bytes, says: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    monkeypatch.setattr(editor_panel, "choose_import_file", lambda *_: path)
    editor = open_editor(qtbot, payload_of("Print the page"))
    learned: list[list[dict]] = []
    editor.memoryLearned.connect(learned.append)
    editor.import_memory()
    assert not editor.panel.status.isHidden()
    assert says in editor.panel.status.text()
    assert learned == [] and editor.matches == []


def test_cancelling_the_file_dialog_imports_nothing(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(editor_panel, "choose_import_file", lambda *_: None)
    editor = open_editor(qtbot, payload_of("Print"))
    editor.import_glossary()
    assert editor.panel.status.isHidden()


def test_the_match_threshold_is_a_setting(qtbot, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    editor = open_editor(qtbot, payload_of("Save all the files"), settings=settings)
    editor.set_memory(workspace_of(("Save the document", "Enregistrer le document")))
    assert editor.matches == []  # 57 %
    editor.panel.threshold.setValue(55)
    assert [m.score for m in editor.matches] == [57]
    assert settings.value("translation/match_threshold", type=int) == 55
    again = open_editor(qtbot, payload_of("Save"), settings=settings)
    assert again.match_threshold == 55 and again.panel.threshold.value() == 55
