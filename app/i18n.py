"""The contributor's language: which one, the translators that speak it, and its QLocale.

``install_language(app, profile_dir)`` runs once at start, before any window is built:

- the language is ``--lang``, else ``OUVRAGE_LANG``, else the preference (mirrored into the
  profile's ``window.ini`` when saved, so it is read without opening the database), else
  the system's first supported UI language, else English;
- Qt's own translations (``qtbase_<lang>.qm``, shipped with PySide6) and Ouvrage's
  catalogue are installed; Ouvrage's comes from a compiled ``.qm`` beside the ``.ts``
  (the package build makes it), else one compiled at start into ``<profile>/cache/
  translations`` with ``lrelease``, else the ``.ts`` read directly by ``TsTranslator``;
- ``QLocale.setDefault`` makes dates, numbers and money follow the language (with the
  system's region where it has one).

English is the source language: its catalogue only holds the plural forms ("1 task",
"3 tasks"). Nothing is ever written outside the profile.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
)

if TYPE_CHECKING:
    from taskkinds import ExportFormat, TaskKind

__all__ = [
    "ENV_LANGUAGE",
    "LANGUAGES",
    "InstalledLanguage",
    "TsTranslator",
    "choose_language",
    "format_title",
    "install_language",
    "kind_title",
    "remember_language",
    "saved_language",
    "system_language",
    "uninstall_language",
]

log = logging.getLogger(__name__)

LANGUAGES = ("en", "fr")  # the languages Ouvrage ships; English is the source
ENV_LANGUAGE = "OUVRAGE_LANG"
CATALOGUE = "ouvrage"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"
INI_KEY = "i18n/language"  # the preference's mirror in the profile's window.ini
CACHE = Path("cache") / "translations"  # inside the profile
LRELEASE_TIMEOUT_S = 30


# ---------------------------------------------------------------- which language


def _supported(code: str | None) -> str:
    """``fr``, ``fr_CA``, ``fr-BE`` → ``fr``; "" for anything Ouvrage does not speak."""
    base = (code or "").strip().replace("-", "_").split("_")[0].lower()
    return base if base in LANGUAGES else ""


def system_language() -> str:
    """The first of the system's UI languages that Ouvrage speaks; English otherwise."""
    for code in QLocale.system().uiLanguages():
        if found := _supported(code):
            return found
    return "en"


def choose_language(explicit: str | None = None, saved: str | None = None) -> str:
    """``explicit`` (``--lang``), else ``OUVRAGE_LANG``, else ``saved`` (the preference),
    else the system's language; always one of ``LANGUAGES``."""
    for candidate in (explicit, os.environ.get(ENV_LANGUAGE), saved):
        if found := _supported(candidate):
            return found
    return system_language()


def _ini(profile_dir: Path) -> QSettings:
    return QSettings(str(profile_dir / "window.ini"), QSettings.Format.IniFormat)


def saved_language(profile_dir: Path) -> str:
    """The language preference as last saved for this profile ("" follows the system)."""
    if not (profile_dir / "window.ini").is_file():
        return ""
    return _supported(str(_ini(profile_dir).value(INI_KEY, "") or ""))


def remember_language(profile_dir: Path, language: str) -> None:
    """Mirror the preference into ``window.ini``, which the next start reads before the
    database opens ("" follows the system)."""
    profile_dir.mkdir(parents=True, exist_ok=True)
    settings = _ini(profile_dir)
    settings.setValue(INI_KEY, _supported(language))
    settings.sync()


def locale_for(language: str) -> QLocale:
    """The system's locale when it speaks ``language`` (its region's dates and money), else
    ``language`` in the system's region where Qt knows that pair, else its main region."""
    system = QLocale.system()
    if _supported(system.name()) == language:
        return system
    wanted = QLocale(language)
    paired = QLocale(wanted.language(), system.territory())
    return paired if paired.language() == wanted.language() else wanted


# ---------------------------------------------------------------- a .ts read directly


def _plural_form(language: str, n: int) -> int:
    """Which numerus form ``n`` takes (Qt's rules for the languages Ouvrage ships)."""
    if language == "fr":
        return 0 if n <= 1 else 1
    return 0 if n == 1 else 1


class TsTranslator(QTranslator):
    """A ``QTranslator`` over a Qt Linguist ``.ts`` file, for a source checkout without
    ``lrelease``. Unfinished, obsolete and vanished messages are left out, as
    ``lrelease -nounfinished`` leaves them out."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._language = ""
        self._messages: dict[tuple[str, str, str], list[str]] = {}
        self._read(path)

    def _read(self, path: Path) -> None:
        """Raises ``OSError`` or ``xml.etree.ElementTree.ParseError``."""
        import xml.etree.ElementTree as ET  # only when no compiled catalogue can be used

        root = ET.parse(path).getroot()
        self._language = _supported(root.get("language"))
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") in (
                    "unfinished", "obsolete", "vanished"
                ):  # fmt: skip
                    continue
                if message.get("numerus") == "yes":
                    forms = [form.text or "" for form in translation.iter("numerusform")]
                else:
                    forms = [translation.text or ""]
                if any(forms):
                    key = (
                        name,
                        message.findtext("source") or "",
                        message.findtext("comment") or "",
                    )
                    self._messages[key] = forms

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return not self._messages

    def language(self) -> str:
        return self._language

    def filePath(self) -> str:  # noqa: N802 - Qt API
        return str(self.path)

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """The translation, or None (Qt then asks the next translator, or shows ``source``)."""
        forms = self._messages.get((context, source, disambiguation or ""))
        if not forms:
            return None
        # As a compiled catalogue does: the form ``n`` calls for, even for a message that
        # has only one (Qt then shows the source text).
        index = _plural_form(self._language, n) if n >= 0 else 0
        return (forms[index] or None) if index < len(forms) else None


# ---------------------------------------------------------------- Ouvrage's catalogue


def _lrelease() -> list[str] | None:
    """The command that compiles a .ts into a .qm: PySide6's lrelease, or none."""
    try:
        import PySide6

        binary = Path(PySide6.__file__).parent / ("lrelease.exe" if os.name == "nt" else "lrelease")
        if binary.is_file():
            return [str(binary)]
    except ImportError:  # pragma: no cover - PySide6 is what runs this
        pass
    import shutil

    wrapper = shutil.which("pyside6-lrelease")
    return [wrapper] if wrapper else None


def compile_ts(ts: Path, qm: Path) -> bool:
    """Compile ``ts`` into ``qm`` (through a temporary file); False when ``lrelease`` is
    missing or fails, or the folder cannot be written."""
    import subprocess  # only when a catalogue needs compiling, not at every start

    command = _lrelease()
    if command is None:
        return False
    partial = qm.with_name(qm.name + ".part")
    try:
        qm.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [*command, "-silent", "-nounfinished", str(ts), "-qm", str(partial)],
            capture_output=True, text=True, timeout=LRELEASE_TIMEOUT_S, check=False,
        )  # fmt: skip
        if done.returncode != 0 or not partial.is_file():
            log.warning("lrelease failed on %s: %s", ts, done.stderr.strip()[-500:])
            partial.unlink(missing_ok=True)
            return False
        partial.replace(qm)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("cannot compile %s into %s: %s", ts, qm, exc)
        partial.unlink(missing_ok=True)
        return False


def _fresh(qm: Path, ts: Path) -> bool:
    """A .qm usable for ``ts``: present, and not older than the .ts (or no .ts at all)."""
    if not qm.is_file():
        return False
    if getattr(sys, "frozen", False) or not ts.is_file():
        return True  # a packaged build ships its .qm as built
    return qm.stat().st_mtime >= ts.stat().st_mtime


def _load_qm(qm: Path, parent: QObject) -> QTranslator | None:
    translator = QTranslator(parent)
    if translator.load(str(qm)):
        return translator
    log.warning("%s cannot be loaded", qm)
    return None


def catalogue_translator(
    language: str, profile_dir: Path | None, parent: QObject, translations: Path = TRANSLATIONS
) -> tuple[QTranslator | None, str]:
    """Ouvrage's translator for ``language`` and where it came from (``qm``, ``cache``,
    ``ts``), or ``(None, "")`` when there is no catalogue for it."""
    ts = translations / f"{CATALOGUE}_{language}.ts"
    shipped = translations / f"{CATALOGUE}_{language}.qm"
    if _fresh(shipped, ts) and (found := _load_qm(shipped, parent)) is not None:
        return found, "qm"
    if not ts.is_file():
        return None, ""
    if profile_dir is not None:
        cached = profile_dir / CACHE / shipped.name
        if (_fresh(cached, ts) or compile_ts(ts, cached)) and (
            found := _load_qm(cached, parent)
        ) is not None:
            return found, "cache"
    from xml.etree.ElementTree import ParseError

    try:
        return TsTranslator(ts, parent), "ts"
    except (OSError, ParseError) as exc:
        log.warning("%s cannot be read: %s", ts, exc)
        return None, ""


# ---------------------------------------------------------------- installing


@dataclass
class InstalledLanguage:
    """What ``install_language`` did: the language, its locale and the translators."""

    language: str
    locale: QLocale
    translators: list[QTranslator]
    source: str  # where Ouvrage's catalogue came from: "qm", "cache", "ts" or ""


def install_language(
    app: QCoreApplication,
    profile_dir: Path | None = None,
    *,
    explicit: str | None = None,
    translations: Path = TRANSLATIONS,
) -> InstalledLanguage:
    """Choose the language (see ``choose_language``), install Qt's and Ouvrage's
    translators on ``app`` and make its locale the default. Call it before building any
    window: texts are translated when widgets are made."""
    saved = saved_language(profile_dir) if profile_dir is not None else ""
    language = choose_language(explicit, saved)
    locale = locale_for(language)
    QLocale.setDefault(locale)
    translators: list[QTranslator] = []
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_loaded = language != "en" and qt.load(QLocale(language), "qtbase", "_", qt_dir)
    if qt_loaded:
        translators.append(qt)
    ours, source = catalogue_translator(language, profile_dir, app, translations)
    if ours is not None:
        translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)
    log.info(
        "language %s (locale %s, catalogue: %s, Qt's own: %s)",
        language, locale.name(), source or "none", "yes" if qt_loaded else "no",
    )  # fmt: skip
    return InstalledLanguage(language, locale, translators, source)


def uninstall_language(app: QCoreApplication, installed: InstalledLanguage) -> None:
    """Remove what ``install_language`` installed and give back the system's locale."""
    for translator in installed.translators:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale.system())


# ---------------------------------------------------------------- kinds' words


def kind_title(kind: TaskKind | Any) -> str:
    """A kind's title in the contributor's language (marked in the kind's editor module)."""
    return QCoreApplication.translate("TaskKind", kind.title)


def format_title(fmt: ExportFormat | Any) -> str:
    """An export format's title in the contributor's language."""
    return QCoreApplication.translate("TaskKind", fmt.title)
