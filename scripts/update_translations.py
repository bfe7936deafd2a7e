"""Refresh Ouvrage's Qt translation sources (resources/translations/*.ts) from the code.

    python3 -m scripts.update_translations            # update the .ts files in place
    python3 -m scripts.update_translations --check    # exit 1 if a message is missing
                                                       # from ouvrage_fr.ts or unfinished
    python3 -m scripts.update_translations --release  # compile the .qm files (the
                                                       # package build does it)

It runs ``pyside6-lupdate`` over the Qt UI modules (``app/*.py``, ``widgets/*.py``,
``taskkinds/*/editor*.py``): new messages come in as unfinished, messages the code no
longer has are dropped, existing translations are kept. Then translate the new ones
(Qt Linguist: ``pyside6-linguist resources/translations/ouvrage_fr.ts``, or any editor),
and check again. English is the source language; ``ouvrage_en.ts`` only holds the
plural forms of messages counted with ``%n`` ("1 task" / "3 tasks").

The ``.qm`` files are built from these by ``packaging/build.sh``, or at start into the
profile's cache (see ``app/i18n.py``): never commit them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
TRANSLATIONS = ROOT / "resources" / "translations"
# The languages a translator works on; English (the source) gets its plural forms only.
TARGETS = {"fr": "fr_FR"}
PLURALS_ONLY = {"en": "en_US"}
# Where the UI's words are: the Qt modules. The Qt-free ones (models, checks, exports,
# sync, the mock server) keep their English messages.
SOURCE_GLOBS = ("app/*.py", "widgets/*.py", "taskkinds/*/editor*.py")
LUPDATE_OPTIONS = ("-locations", "none", "-no-obsolete", "-source-language", "en_US")

__all__ = ["Message", "lupdate", "lupdate_command", "read_messages", "source_files"]


def source_files(root: Path = ROOT) -> list[Path]:
    """The modules lupdate reads, relative to ``root``, sorted."""
    found = {path.relative_to(root) for pattern in SOURCE_GLOBS for path in root.glob(pattern)}
    return sorted(found)


def lupdate_command() -> list[str] | None:
    """PySide6's lupdate (the binary inside the package, or the ``pyside6-lupdate``
    wrapper), or None when it is not installed."""
    try:
        import PySide6

        name = "lupdate.exe" if os.name == "nt" else "lupdate"
        binary = Path(PySide6.__file__).parent / name
        if binary.is_file():
            return [str(binary)]
    except ImportError:
        pass
    wrapper = shutil.which("pyside6-lupdate")
    return [wrapper] if wrapper else None


def lupdate(ts: Path, language: str, *, plural_only: bool = False, root: Path = ROOT) -> str:
    """Run lupdate over ``source_files(root)`` into ``ts`` (created or merged); returns its
    report. Raises ``FileNotFoundError`` without lupdate, ``RuntimeError`` if it fails."""
    command = lupdate_command()
    if command is None:
        raise FileNotFoundError("pyside6-lupdate is not installed (pip install pyside6)")
    with tempfile.TemporaryDirectory() as work:
        listing = Path(work) / "sources.lst"
        listing.write_text("\n".join(str(p) for p in source_files(root)) + "\n", "utf-8")
        args = [*command, *LUPDATE_OPTIONS, "-target-language", language]
        if plural_only:
            args.append("-pluralonly")
        args += [f"@{listing}", "-ts", str(ts)]
        done = subprocess.run(args, cwd=root, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"lupdate failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    translations: tuple[str, ...]  # one, or one per plural form
    state: str  # "" (finished), "unfinished", "vanished", "obsolete"

    @property
    def finished(self) -> bool:
        return self.state == "" and all(self.translations) and bool(self.translations)


def read_messages(ts: Path) -> dict[tuple[str, str, str], Message]:
    """The messages of a .ts file by ``(context, source, comment)``."""
    messages = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            numerus = message.get("numerus") == "yes"
            if translation is None:
                forms: tuple[str, ...] = ()
            elif numerus:
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            key = (name, message.findtext("source") or "", message.findtext("comment") or "")
            state = translation.get("type", "") if translation is not None else "unfinished"
            messages[key] = Message(*key, numerus, forms, state)
    return messages


def check(root: Path = ROOT) -> list[str]:
    """What is wrong with the French catalogue against the code: missing or unfinished."""
    problems = []
    with tempfile.TemporaryDirectory() as work:
        fresh = Path(work) / "fresh_fr.ts"
        lupdate(fresh, TARGETS["fr"], root=root)
        wanted = read_messages(fresh)
    have = read_messages(TRANSLATIONS / "ouvrage_fr.ts")
    for key in wanted:
        message = have.get(key)
        if message is None:
            problems.append(f"missing: [{key[0]}] {key[1]!r}")
        elif not message.finished:
            problems.append(f"unfinished: [{key[0]}] {key[1]!r}")
    return problems


def release(translations: Path = TRANSLATIONS) -> int:
    """Compile each ``ouvrage_*.ts`` into the ``.qm`` beside it (what ``app.i18n`` loads
    first); returns the exit status."""
    from app.i18n import compile_ts

    status = 0
    for ts in sorted(translations.glob("ouvrage_*.ts")):
        qm = ts.with_suffix(".qm")
        if compile_ts(ts, qm):
            print(f"{qm.relative_to(ROOT)}: {qm.stat().st_size} bytes")
        else:
            print(f"cannot compile {ts.relative_to(ROOT)} (is pyside6-lrelease there?)")
            status = 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check ouvrage_fr.ts")
    parser.add_argument(
        "--release", action="store_true", help="compile every .ts into a .qm beside it"
    )
    args = parser.parse_args(argv)
    if args.release:
        return release()
    if args.check:
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) in ouvrage_fr.ts")
        return 1 if problems else 0
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for short, language in TARGETS.items():
        ts = TRANSLATIONS / f"ouvrage_{short}.ts"
        print(lupdate(ts, language))
        unfinished = [m for m in read_messages(ts).values() if not m.finished]
        print(f"{ts.relative_to(ROOT)}: {len(unfinished)} message(s) to translate")
    for short, language in PLURALS_ONLY.items():
        ts = TRANSLATIONS / f"ouvrage_{short}.ts"
        print(lupdate(ts, language, plural_only=True))
        unfinished = [m for m in read_messages(ts).values() if not m.finished]
        print(f"{ts.relative_to(ROOT)}: {len(unfinished)} plural form(s) to write")
    return 0


if __name__ == "__main__":
    sys.exit(main())
