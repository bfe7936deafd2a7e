"""What start-up loads and keeps: checked in fresh processes, as a contributor's start."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_fresh(code: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` with ``args`` in a fresh interpreter (a clean environment plus ``env``)
    and return the JSON object it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "OUVRAGE_LANG": "en",
            **(env or {}),
        },
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


FIRST_FRAME = """
    import json, sys
    from pathlib import Path
    from app.gui import make_application
    app = make_application()
    from taskkinds import default_registry
    from taskkinds.photo_clip.editor import PhotoClipEditor
    folder, name, width, height = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    kind = default_registry(lazy=True).get("photo_clip")
    payload = kind.parse_payload(
        {"image": name, "width": width, "height": height, "instruction": "the cup"}
    )
    jobs, first = [], {}
    def shown():
        if not first:
            editor.grab()  # painted, as the contributor sees it
            first.update(photo=editor.canvas.shows_photo(), numpy="numpy" in sys.modules,
                         checks=kind.validate.resolved)
    editor = PhotoClipEditor(payload, folder, None, run_background=lambda *job: jobs.append(job))
    editor.contentShown.connect(shown)
    editor.resize(900, 700)
    editor.show()
    while jobs:  # the background work, one job at a time, then what it set off
        fn, done = jobs.pop(0)
        done(fn())
        app.processEvents()
    print(json.dumps({"first": first, "editable": editor.image is not None,
                      "numpy": "numpy" in sys.modules}))
"""


@pytest.mark.parametrize(
    ("name", "size"),
    [("small.webp", (1600, 1067)), ("large.jpg", (3000, 2000))],  # whole, or reduced first
)
def test_a_clipping_task_paints_its_photo_before_numpy_is_imported(
    tmp_path: Path, name: str, size: tuple[int, int]
) -> None:
    """numpy and the checks cost 40 ms or more: the photo is on screen without them, and
    the tools get them right after."""
    from PIL import Image

    Image.new("RGB", size, (40, 120, 200)).save(tmp_path / name)
    seen = run_fresh(FIRST_FRAME, str(tmp_path), name, *map(str, size))
    assert seen["first"] == {"photo": True, "numpy": False, "checks": False}
    assert seen["editable"] and seen["numpy"]  # the tools work once the view is made


@pytest.mark.parametrize(("setting", "scanned"), [(None, False), ("", True)])
def test_the_first_model_built_does_not_scan_installed_packages(
    setting: str | None, scanned: bool
) -> None:
    """pydantic's plugin search reads every installed package's entry points (10-30 ms);
    Ouvrage turns it off unless the environment says otherwise."""
    code = """
        import importlib.metadata, json, sys
        scans = []
        everything = importlib.metadata.distributions
        importlib.metadata.distributions = lambda *a, **k: scans.append(1) or everything(*a, **k)
        import app
        from taskkinds import default_registry
        kind = default_registry(lazy=True).get("photo_clip")
        kind.parse_payload({"image": "a.jpg", "width": 10, "height": 10, "instruction": "x"})
        print(json.dumps({"scanned": bool(scans)}))
    """
    explicit = {"PYDANTIC_DISABLE_PLUGINS": setting} if setting is not None else {}  # kept
    assert run_fresh(code, env=explicit) == {"scanned": scanned}
