"""Hostile bundles from a USB stick: each refused clearly, nothing written, the app still works.

Each bundle of ``bundle_corpus.corpus()`` (and each of the archive-level cases of
``tests.test_bundle_hostile``) goes through the real importer into a real
profile. It must be refused with a ``BundleError`` of the expected kind whose
message is one line naming the file; the profile and everything around it must
be byte for byte as before; the store must hold what it held. Then a valid
bundle must still import, and the command line, given every hostile file and a
valid one in one run, must refuse each with one line and import the last.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import Store
from sync.bundle import DEFAULT_LIMITS, BundleError, Limits
from taskkinds import default_registry
from tests.bundle_factory import snapshot
from tests.reliability.bundle_corpus import CONFLICTING_ID, corpus, manifest, zipped
from tests.reliability.common import CampaignResult, one_line, timed

ROOT = Path(__file__).resolve().parents[2]
# Where a zip slip would land if the checks failed.
ESCAPE_TARGETS = (Path("/tmp/evil.txt"), Path(tempfile.gettempdir()) / "evil.txt")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _around(root: Path) -> dict[str, bytes | None]:
    """The profile and the folders around it, without the database (read-only here)."""
    return {
        name: data
        for name, data in snapshot(root).items()
        if not name.startswith("usb") and "ouvrage.sqlite3" not in name
    }


def run_hostile_bundle_campaign(rounds: int = 1) -> CampaignResult:
    """The whole corpus ``rounds`` times (random bytes drawn anew); then the CLI once."""
    from tests.test_bundle_hostile import CASES

    result = CampaignResult(
        "hostile-bundles", "Hostile bundles: refused clearly, nothing written, still running"
    )
    registry = default_registry()
    escaped_before = {p for p in ESCAPE_TARGETS if p.exists()}
    with timed(result), tempfile.TemporaryDirectory(prefix="ouvrage-usb-") as tmp:
        root = Path(tmp)
        usb = root / "usb"
        usb.mkdir()
        profile = Profile(root / "profile").ensure()
        store = Store(profile.db_path)
        try:
            first = zipped(usb / "taken.zip", manifest_data=manifest(bundle_id=CONFLICTING_ID))
            import_bundle_file(store, profile, first, registry)
            first.unlink()
            cases: list[Case] = [
                (c.name, c.category, c.make, c.refusal, c.limits) for c in corpus()
            ]
            cases += [
                (name, "archive-level cases (test_bundle_hostile)", case.make, BundleError,
                 case.limits)
                for name, case in CASES.items()
            ]  # fmt: skip
            result.figures["corpus size"] = len(cases)
            refusals: dict[str, int] = {}
            for _ in range(rounds):
                for name, category, make, refusal, limits in cases:
                    result.trials += 1
                    result.tried[category] += 1
                    path = make(usb / f"{_slug(name)}.zip")
                    before, bundles = _around(root), len(store.bundles())
                    outcome = _import(store, profile, path, registry, limits)
                    path.unlink()
                    refusals[type(outcome).__name__] = refusals.get(type(outcome).__name__, 0) + 1
                    _judge(result, name, path, outcome, refusal)
                    if _around(root) != before:
                        result.leaked += 1
                        result.fail(f"{name}: files changed in or around the profile")
                    if len(store.bundles()) != bundles:
                        result.fail(f"{name}: the store changed")
            if store.integrity_check() != "ok":
                result.fail("the profile database failed its integrity check")
            valid = zipped(usb / "valid.zip", manifest_data=manifest(bundle_id="b-valid"))
            try:
                import_bundle_file(store, profile, valid, registry)
            except Exception as exc:  # noqa: BLE001 - the finding
                result.fail(f"a valid bundle no longer imports after the corpus: {exc}")
            result.figures["refused as"] = dict(sorted(refusals.items()))
        finally:
            store.close()
        _command_line(result, root, cases)
    for target in ESCAPE_TARGETS:
        if target.exists() and target not in escaped_before:
            result.leaked += 1
            result.fail(f"a file was written outside the profile: {target}")
    return result


def _import(
    store: Store, profile: Profile, path: Path, registry: object, limits: Limits
) -> BaseException | None:
    try:
        import_bundle_file(store, profile, path, registry, limits=limits)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - judged by the caller
        return exc
    return None


def _judge(
    result: CampaignResult,
    name: str,
    path: Path,
    outcome: BaseException | None,
    refusal: type[BundleError],
) -> None:
    if outcome is None:
        result.leaked += 1
        result.fail(f"{name}: imported")
        return
    if not isinstance(outcome, BundleError):
        result.fail(f"{name}: an exception escaped: {type(outcome).__name__}: {outcome}")
        return
    if not isinstance(outcome, refusal):
        result.fail(f"{name}: refused as {type(outcome).__name__}, not {refusal.__name__}")
    message = str(outcome)
    if not one_line(message) or f"'{path.name}'" not in message:
        result.fail(f"{name}: unclear message {message[:200]!r}")


Case = tuple[str, str, Callable[[Path], Path], type[BundleError], Limits]


def _command_line(result: CampaignResult, root: Path, cases: list[Case]) -> None:
    """``ouvrage import`` with every hostile file (default limits) then a valid one."""
    folder = root / "usb-cli"
    folder.mkdir()
    files = [
        make(folder / f"{n:03d}-{_slug(name)}.zip")
        for n, (name, _, make, _, limits) in enumerate(cases)
        if limits == DEFAULT_LIMITS
    ]
    files.append(zipped(folder / "zzz-valid.zip", manifest_data=manifest(bundle_id="b-cli")))
    profile = Profile(root / "cli-profile").ensure()
    first = zipped(root / "taken.zip", manifest_data=manifest(bundle_id=CONFLICTING_ID))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "app", "import", "--profile", str(profile.root)]
    subprocess.run([*command, str(first)], capture_output=True, cwd=ROOT, env=env, timeout=120)
    done = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, cwd=ROOT, env=env,
        timeout=600,
    )  # fmt: skip
    result.trials += 1
    result.tried["command line runs (one import of every file)"] += 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    refused = [line for line in lines if line.startswith("ouvrage: The bundle '")]
    result.figures["command line"] = (
        f"exit {done.returncode}, {len(refused)} refusals for {len(files) - 1} hostile files, "
        f"valid one imported: {'zzz-valid.zip: imported' in done.stdout}"
    )
    # libmpg123 writes its own notes about a damaged MP3 straight to stderr.
    others = [line for line in lines if not line.startswith("ouvrage:")]
    result.figures["other lines on stderr (from the MP3 decoder)"] = len(others)
    if done.returncode != 1 or len(refused) != len(files) - 1:
        result.fail(f"the command line run went wrong: {done.returncode}, {lines[:3]}")
    unclear = [line for line in refused if not one_line(line)]
    if unclear:
        result.fail(f"the command line printed unclear refusals: {unclear[:2]}")
    if "zzz-valid.zip: imported" not in done.stdout:
        result.fail("the command line did not import the valid bundle after the hostile ones")
    if "Traceback" in done.stderr:
        result.fail("the command line printed a traceback")
