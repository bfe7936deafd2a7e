"""The packaged application: `--smoke-test` on the source tree, and the PyInstaller build.

The build runs only when PyInstaller is installed and ``OUVRAGE_PACKAGING=1`` (it takes
about a minute and writes ``dist/`` and ``build/``); CI runs it as its own step
(``packaging/build.sh --smoke``).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def offscreen_env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


@pytest.mark.slow
def test_the_smoke_test_opens_an_editor_of_every_kind_on_the_demo(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--demo", "--profile", str(tmp_path / "demo"),
         "--smoke-test"],
        capture_output=True, text=True, cwd=ROOT, env=offscreen_env(), timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "smoke test passed" in done.stdout
    for kind in ("translation", "transcription", "photo_clip"):
        assert kind in done.stdout
    assert (tmp_path / "demo" / "logs" / "ouvrage.log").is_file()


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("PyInstaller") is None or os.environ.get("OUVRAGE_PACKAGING") != "1",
    reason="needs PyInstaller and OUVRAGE_PACKAGING=1 (CI builds it in its own step)",
)
def test_the_one_folder_build_starts_offscreen() -> None:
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), "--smoke"],
        capture_output=True, text=True, cwd=ROOT, env=offscreen_env(), timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "smoke test passed" in done.stdout
    assert (ROOT / "dist" / "ouvrage" / "ouvrage").is_file()
