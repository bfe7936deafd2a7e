"""The log file in the profile keeps secrets out, and the diagnostics zip holds what a
report needs and nothing private."""

from __future__ import annotations

import json
import logging
import logging.handlers
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli import main
from app.diagnostics import (
    LOG_BACKUPS,
    LOG_MAX_BYTES,
    REDACTED,
    export_diagnostics,
    log_path,
    redact,
    setup_logging,
)
from app.importer import import_bundle_file
from app.profile import Profile
from app.session import ServerAccount, TokenVault
from app.store import SCHEMA_VERSION, Store
from taskkinds import default_registry

DRAFT_TEXT = "Brouillon très privé 4711"


@pytest.fixture
def logs(profile: Profile) -> Iterator[Path]:
    """Logging into ``profile`` for one test; the handlers go away afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    path = setup_logging(profile, console=False)
    yield path
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def token() -> str:
    # The shape the task server issues (mockserver/accounts.py).
    while True:
        value = secrets.token_urlsafe(32)
        if any(c.isdigit() for c in value) and value.lower() != value and value.upper() != value:
            return value


@pytest.mark.parametrize(
    "line",
    [
        "Authorization: Bearer {t}",
        "headers={{'Authorization': 'Bearer {t}'}}",
        "GET /v1/catalogue?token={t}&page=2",
        '{{"token": "{t}", "contributor_id": "demo"}}',
        "demo server at http://127.0.0.1:5000 (admin token {t})",
        "signed in, got {t} back",
        "password={t}",
        "https://demo:{t}@tasks.example.org/v1",
    ],
)
def test_every_form_of_a_token_is_redacted(line: str) -> None:
    secret = token()
    text = redact(line.format(t=secret))
    assert secret not in text
    assert REDACTED in text


def test_ordinary_log_lines_are_kept_as_they_are() -> None:
    for line in (
        "imported bundle demo-en-fr-app (11 tasks) from /tmp/x/downloads/demo-en-fr-app.zip",
        "media 0004.webp sha256 " + "ab12" * 16,
        "result 123e4567-e89b-12d3-a456-426614174000 accepted",
        "keyring refused the token (no backend); keeping it in the profile",
        "tokens: 3, passwords checked",
    ):
        assert redact(line) == line


def test_a_token_logged_is_redacted_in_the_file_and_in_the_zip(
    profile: Profile, logs: Path, store: Store, tmp_path: Path
) -> None:
    secret = token()
    log = logging.getLogger("app.session")
    log.info("sign-in answered %s", {"token": secret, "contributor_id": "demo"})
    log.warning("request failed with Authorization: Bearer %s", secret)
    try:
        raise RuntimeError(f"server refused token={secret}")
    except RuntimeError:
        log.exception("sync failed")
    flush()
    assert logs == log_path(profile) and logs.is_file()
    written = logs.read_text(encoding="utf-8")
    assert secret not in written
    assert written.count(REDACTED) >= 3
    assert "sync failed" in written and "Traceback" in written

    zip_path = export_diagnostics(profile, tmp_path / "diag.zip", store)
    with zipfile.ZipFile(zip_path) as archive:
        logged = archive.read("logs/ouvrage.log").decode("utf-8")
    assert secret not in logged
    assert "sign-in answered" in logged


def test_the_profile_s_own_token_leaves_the_zip_even_in_a_shape_no_pattern_knows(
    profile: Profile, logs: Path, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TokenVault, "keyring_available", staticmethod(lambda: False))
    odd = "plainlowercasetokenwithoutdigits"
    account = ServerAccount("https://tasks.example.org", "demo")
    TokenVault(profile).save(account, odd)
    store.set_setting("server.account", account.to_json())
    logging.getLogger("sync").info("odd %s", odd)  # no pattern can tell it from a word
    flush()

    zip_path = export_diagnostics(profile, tmp_path / "diag.zip", store)
    with zipfile.ZipFile(zip_path) as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    assert odd.encode() not in everything


def test_the_log_file_rotates_at_one_megabyte_keeping_three(profile: Profile, logs: Path) -> None:
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    assert Path(handler.baseFilename) == logs
    assert handler.maxBytes == LOG_MAX_BYTES == 1_000_000
    assert handler.backupCount == LOG_BACKUPS == 3
    line = "x" * 1000
    for _ in range(1200):
        logging.getLogger("bench").info(line)
    flush()
    names = sorted(p.name for p in logs.parent.iterdir())
    assert names == ["ouvrage.log", "ouvrage.log.1"]


def _profile_with_work(profile: Profile, store: Store, bundle_file: Path) -> None:
    import_bundle_file(store, profile, bundle_file, default_registry())
    keys = [row.id for row in store.tasks()]
    store.save_draft(keys[0], {"targets": {"s1": DRAFT_TEXT}})
    store.submit(keys[1], {"targets": {"s1": "Résultat soumis 0815", "s2": "Fin"}})
    store.set_setting("server.account", {"url": "https://t.example", "contributor_id": "demo"})
    store.set_setting("prefs.break_minutes", 45)
    store.set_setting("server.admin_token", "do-not-copy-me-please")


def test_the_zip_holds_versions_settings_counts_and_logs_but_no_work(
    profile: Profile, logs: Path, store: Store, bundle_file: Path, tmp_path: Path
) -> None:
    _profile_with_work(profile, store, bundle_file)
    (profile.root / "window.ini").write_text(
        "[view]\nzoom=125\n[window]\ngeometry=@ByteArray(\\x1\\xd9)\n", encoding="utf-8"
    )
    logging.getLogger("app").info("window opened")
    flush()

    zip_path = export_diagnostics(profile, tmp_path / "out" / "diag.zip", store)
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        assert {"README.txt", "versions.json", "settings.json", "profile.json"} <= names
        assert "logs/ouvrage.log" in names
        versions = json.loads(archive.read("versions.json"))
        settings = json.loads(archive.read("settings.json"))
        info = json.loads(archive.read("profile.json"))
        everything = b"".join(archive.read(name) for name in names)

    from app import __version__

    assert versions["ouvrage"] == __version__
    assert versions["python"] and versions["os"]
    assert "pydantic" in versions["libraries"]
    assert settings["store"]["prefs.break_minutes"] == 45
    assert settings["store"]["server.account"]["contributor_id"] == "demo"
    assert settings["store"]["server.admin_token"] == REDACTED
    assert settings["window.ini"]["view/zoom"] == "125"
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["bundles"] == 1
    assert info["tasks_by_state"]["draft"] == 1
    assert info["tasks_by_state"]["queued"] == 1
    assert info["outbox_by_state"] == {"queued": 1}
    for private in (DRAFT_TEXT, "Résultat soumis 0815", "do-not-copy-me-please"):
        assert private.encode() not in everything


def tree(root: Path) -> dict[str, float]:
    return {str(p): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_nothing_is_written_outside_the_profile_and_the_chosen_zip(
    profile: Profile, logs: Path, store: Store, bundle_file: Path, tmp_path: Path
) -> None:
    _profile_with_work(profile, store, bundle_file)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("untouched", encoding="utf-8")
    destination = tmp_path / "elsewhere" / "diagnostics.zip"
    outside_before = {
        k: v for k, v in tree(tmp_path).items() if not k.startswith(str(profile.root))
    }

    export_diagnostics(profile, destination, store)

    outside_after = {k: v for k, v in tree(tmp_path).items() if not k.startswith(str(profile.root))}
    assert set(outside_after) - set(outside_before) == {str(destination)}
    assert {k: outside_after[k] for k in outside_before} == outside_before


def test_the_command_line_writes_the_zip(
    profile: Profile, bundle_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(profile.db_path)
    try:
        _profile_with_work(profile, store, bundle_file)
    finally:
        store.close()
    out = tmp_path / "diag.zip"
    assert main(["diagnostics", "--profile", str(profile.root), "--out", str(out)]) == 0
    assert "Wrote diagnostics" in capsys.readouterr().out
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("profile.json"))["tasks_by_state"]["queued"] == 1
