"""Importing bundle files into a profile: visible all at once, or not at all."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.importer import import_bundle_file
from app.profile import Profile
from app.store import Store
from sync.bundle import (
    BundleConflict,
    BundleError,
    TaskInvalid,
    UnknownBundleKind,
    UnsupportedFormat,
)
from taskkinds import default_registry
from tests.bundle_factory import bundle_zip, manifest_dict
from tests.factories import translation_bundle, translation_task
from tests.test_bundle_hostile import CASES

REGISTRY = default_registry()


def profile_files(profile: Profile) -> set[str]:
    """Everything in the profile but the database's own files."""
    return {
        str(p.relative_to(profile.root))
        for p in profile.root.rglob("*")
        if not p.name.startswith("ouvrage.sqlite3")
    }


def test_an_imported_bundle_shows_all_its_tasks_and_keeps_its_files(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    media = {"glossary.csv": b"source,target\nsave,enregistrer\n"}
    tasks = [translation_task(i) for i in range(4)]
    tasks[0]["media"] = ["glossary.csv"]
    path = translation_bundle(
        tmp_path / "in" / "b.zip", bundle_id="b-media", media=media, tasks=tasks
    )

    outcome = import_bundle_file(store, profile, path, REGISTRY)

    assert (outcome.bundle_id, outcome.task_count, outcome.already_imported) == (
        "b-media",
        4,
        False,
    )
    assert [t.task_id for t in store.tasks()] == ["t0000", "t0001", "t0002", "t0003"]
    assert store.task("b-media/t0000")["media"] == ["glossary.csv"]
    assert (profile.bundle_dir("b-media") / "glossary.csv").read_bytes() == media["glossary.csv"]
    assert (profile.bundle_dir("b-media") / "manifest.json").exists()
    assert not list(profile.bundles_dir.glob(".incoming-*"))
    first = store.tasks()[0]
    assert first.summary.startswith("Hello {name}") and first.reward == first.reward.__class__(
        "0.05"
    )


def test_importing_the_same_bundle_twice_changes_nothing(
    store: Store, profile: Profile, bundle_file: Path
) -> None:
    import_bundle_file(store, profile, bundle_file, REGISTRY)
    store.save_draft(store.tasks()[0].id, {"version": 1, "targets": {"s1": "keep"}})
    again = import_bundle_file(store, profile, bundle_file, REGISTRY)
    assert again.already_imported
    assert len(store.tasks()) == 3
    assert store.draft(store.tasks()[0].id) == {"version": 1, "targets": {"s1": "keep"}}


def test_a_different_bundle_under_a_known_id_is_refused_and_the_first_kept(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    import_bundle_file(store, profile, translation_bundle(tmp_path / "a.zip", tasks=2), REGISTRY)
    other = translation_bundle(tmp_path / "b.zip", tasks=5)
    before = profile_files(profile)
    with pytest.raises(BundleConflict, match="b-test"):
        import_bundle_file(store, profile, other, REGISTRY)
    assert len(store.tasks()) == 2
    assert profile_files(profile) == before


def test_a_payload_the_kind_rejects_names_the_task(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    tasks = [translation_task(0), {"id": "t-bad", "payload": {"source_lang": "en", "segments": []}}]
    path = translation_bundle(tmp_path / "bad.zip", tasks=tasks)
    with pytest.raises(TaskInvalid, match="t-bad") as caught:
        import_bundle_file(store, profile, path, REGISTRY)
    assert "bad.zip" in str(caught.value)
    assert store.tasks() == [] and store.bundles() == []
    assert profile_files(profile) == {"bundles"}


def test_an_unknown_kind_asks_for_a_newer_ouvrage(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    path = bundle_zip(tmp_path / "future-kind.zip", manifest=manifest_dict(kind="video_caption"))
    with pytest.raises(UnknownBundleKind, match="newer Ouvrage"):
        import_bundle_file(store, profile, path, REGISTRY)
    assert profile_files(profile) == {"bundles"}


def test_a_newer_kind_version_asks_for_a_newer_ouvrage(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    path = translation_bundle(tmp_path / "v9.zip", kind_version=9)
    with pytest.raises(BundleError, match="update Ouvrage"):
        import_bundle_file(store, profile, path, REGISTRY)
    assert store.bundles() == []


def test_a_newer_bundle_format_asks_for_a_newer_ouvrage(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    path = bundle_zip(tmp_path / "f2.zip", manifest=manifest_dict(format_version=2))
    with pytest.raises(UnsupportedFormat, match="newer"):
        import_bundle_file(store, profile, path, REGISTRY)


def test_media_left_by_a_crash_before_the_database_insert_is_replaced(
    store: Store, profile: Profile, bundle_file: Path
) -> None:
    orphan = profile.bundle_dir("b-test")
    orphan.mkdir(parents=True)
    (orphan / "stale.txt").write_text("left by a crash")
    import_bundle_file(store, profile, bundle_file, REGISTRY)
    assert not (orphan / "stale.txt").exists()
    assert len(store.tasks()) == 3


@pytest.mark.parametrize("name", sorted(CASES), ids=sorted(CASES))
def test_a_hostile_bundle_is_refused_by_the_importer_and_leaves_the_profile_as_it_was(
    name: str, store: Store, profile: Profile, tmp_path: Path
) -> None:
    case = CASES[name]
    incoming = tmp_path / "usb-stick"
    incoming.mkdir()
    path = case.make(incoming / "b-17.zip")
    outside_before = {str(p) for p in tmp_path.parent.iterdir()}
    profile_before = profile_files(profile)

    with pytest.raises(BundleError) as caught:
        import_bundle_file(store, profile, path, REGISTRY, limits=case.limits)

    assert "b-17.zip" in str(caught.value)
    assert store.bundles() == [] and store.tasks() == []
    assert profile_files(profile) == profile_before
    assert {str(p) for p in tmp_path.parent.iterdir()} == outside_before
    assert sorted(p.name for p in incoming.iterdir()) == ["b-17.zip"]
    assert store.integrity_check() == "ok"


def test_the_demo_bundles_import_and_exercise_the_checks(
    store: Store, profile: Profile, tmp_path: Path
) -> None:
    from app.demo import build_demo_bundles

    kinds = []
    for path in build_demo_bundles(tmp_path / "demo"):
        with zipfile.ZipFile(path) as archive:
            kinds.append(json.loads(archive.read("manifest.json"))["kind"])
        import_bundle_file(store, profile, path, REGISTRY, source="demo")
    assert sorted(kinds) == ["photo_clip", "transcription", "translation", "translation"]
    sources = " ".join(
        seg["source"]
        for row in store.tasks(kind="translation")
        for seg in store.task(row.id)["payload"]["segments"]
    )
    for needle in ("{name}", "%s", "%(city)s", "<b>", "1,5", "2.5", "%%"):
        assert needle in sources
    pairs = {b["title"].split("(")[-1] for b in store.bundles() if b["kind"] == "translation"}
    assert pairs == {"English → French)", "French → English)"}
    # The photo clipping demo carries its photos, verified and unpacked beside the database.
    photo = next(b for b in store.bundles() if b["kind"] == "photo_clip")
    assert (profile.bundle_dir(photo["id"]) / "images" / "astronaut.webp").stat().st_size > 1000
