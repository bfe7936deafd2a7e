"""The ``ouvrage`` command line, run as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app.store import Store

ROOT = Path(__file__).resolve().parent.parent


def ouvrage(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_import_then_status_reports_tasks_and_schema(tmp_path: Path, bundle_file: Path) -> None:
    profile = tmp_path / "p"
    done = ouvrage("import", "--profile", profile, bundle_file)
    assert done.returncode == 0, done.stderr
    assert "imported 'Test bundle' (3 tasks)" in done.stdout

    # --profile is accepted before the subcommand too.
    status = ouvrage("--profile", profile, "status", "--json")
    assert status.returncode == 0, status.stderr
    info = json.loads(status.stdout)
    assert info["tasks"]["new"] == 3 and info["tasks_total"] == 3
    assert info["outbox"] == {"waiting": 0, "total": 0}
    assert info["profile"] == str(profile) and info["schema_version"] >= 2

    text = ouvrage("status", "--profile", profile)
    assert "Tasks:          3 (new 3, draft 0" in text.stdout


def test_a_refused_import_exits_non_zero_with_one_line_naming_the_file(
    tmp_path: Path, bundle_file: Path
) -> None:
    broken = tmp_path / "broken.zip"
    data = bundle_file.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    done = ouvrage("import", "--profile", tmp_path / "p", broken, bundle_file)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("ouvrage: ") and "broken.zip" in line
    assert "imported 'Test bundle'" in done.stdout  # the good file still went in


def test_a_missing_file_and_a_profile_from_the_future_are_refused(tmp_path: Path) -> None:
    missing = ouvrage("import", "--profile", tmp_path / "p", tmp_path / "nope.zip")
    assert missing.returncode == 1 and "nope.zip" in missing.stderr

    future = tmp_path / "future"
    store = Store(future / "ouvrage.sqlite3")
    store.conn.execute("PRAGMA user_version = 42")
    store.close()
    status = ouvrage("status", "--profile", future)
    assert status.returncode == 1
    assert "newer Ouvrage" in status.stderr and len(status.stderr.strip().splitlines()) == 1


def test_export_writes_xliff_of_submitted_results(tmp_path: Path, bundle_file: Path) -> None:
    profile = tmp_path / "p"
    assert ouvrage("import", "--profile", profile, bundle_file).returncode == 0
    nothing = ouvrage(
        "export", "--profile", profile, "--kind", "translation", "--out", tmp_path / "x.xlf"
    )
    assert nothing.returncode == 1 and "no submitted" in nothing.stderr

    store = Store(profile / "ouvrage.sqlite3")
    key = store.tasks()[0].id
    store.submit(key, {"version": 1, "targets": {"s1": "Bonjour {name}", "s2": "Enregistrer"}})
    store.close()

    out = tmp_path / "out" / "results.xlf"
    done = ouvrage("export", "--profile", profile, "--kind", "translation", "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Wrote 1 result(s)" in done.stdout
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    root = ET.parse(out).getroot()
    assert root.get("srcLang") == "en" and root.get("trgLang") == "fr"
    targets = [t.text for t in root.iterfind(".//x:target", ns)]
    assert targets == ["Bonjour {name}", "Enregistrer"]

    unknown = ouvrage("export", "--profile", profile, "--kind", "video", "--out", out)
    assert unknown.returncode == 1 and "newer Ouvrage" in unknown.stderr
    bad_format = ouvrage(
        "export", "--profile", profile, "--kind", "translation", "--format", "pdf", "--out", out
    )
    assert bad_format.returncode == 1 and "xliff" in bad_format.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    done = ouvrage("import", "--profile", tmp_path / "p")
    assert done.returncode == 2 and "FILE" in done.stderr
