"""What start-up loads and keeps: checked in fresh processes, as a contributor's start."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(code: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "OUVRAGE_LANG": "en"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_modules_imported_after_pyside_are_not_kept_as_source_text() -> None:
    """PySide6 looks for ``PySide6`` in each newly imported module's source; Ouvrage's
    lighter look keeps the answers but not the sources (15 MiB by the time a photo opens)."""
    seen = run_fresh(
        """
        import json, linecache, sys
        from app.gui import make_application
        app = make_application()
        import app.mainwindow, taskkinds.photo_clip.editor, pydantic, email.message
        feature = sys.modules["shibokensupport.feature"]
        print(json.dumps({
            "cached": [name for name in linecache.cache if "mainwindow" in name
                       or "pydantic" in name or "email" in name],
            "editor": feature._mod_uses_pyside(sys.modules["taskkinds.photo_clip.editor"]),
            "email": feature._mod_uses_pyside(sys.modules["email.message"]),
            "selection": [feature.pyside_feature_dict.get(name)
                          for name in ("app.appearance", "app.changes")],
        }))
        """
    )
    assert seen["cached"] == []
    assert seen["editor"] is True and seen["email"] is False  # the same answers as before
    assert seen["selection"] == [0, -1]  # modules keep the feature selection they had
