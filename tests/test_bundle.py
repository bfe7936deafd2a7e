"""Bundle format v1: building, reading and unpacking real zip files."""

from __future__ import annotations

import json
import pickle
import tempfile
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sync.bundle import (
    FORMAT_VERSION,
    BundleConflict,
    BundleError,
    Manifest,
    ManifestInvalid,
    TaskInvalid,
    UnknownBundleKind,
    UnsupportedFormat,
    build_bundle,
    extract_bundle,
    read_manifest,
)
from tests.bundle_factory import (
    KNOWN_KINDS,
    bundle_zip,
    manifest_dict,
    media_entry,
    png_bytes,
    snapshot,
)

DEADLINE = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
PHOTO = png_bytes(16, 9)
WAV = b"RIFF" + bytes(range(256)) * 8
TASKS = [
    {"id": "t-1", "payload": {"text": "bonjour"}, "media": ["img/kitchen.png"]},
    {"id": "t-2", "payload": {"text": "merci"}, "media": ["audio/clip.wav"], "reward": "0.25"},
    {"id": "t-3", "payload": {"text": "au revoir"}},
]


def _build(dest: Path, **overrides: Any) -> Path:
    arguments: dict[str, Any] = {
        "bundle_id": "b-17",
        "kind": "translation",
        "title": "Menus from Lyon",
        "tasks": TASKS,
        "media": {"img/kitchen.png": PHOTO, "audio/clip.wav": WAV, "readme.txt": b"hello\n"},
        "reward_per_task": Decimal("0.05"),
        "deadline": DEADLINE,
        "instructions": "Translate each line into English.",
    }
    arguments.update(overrides)
    return build_bundle(dest, **arguments)


def test_a_built_bundle_unpacks_with_every_file_and_the_same_manifest(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "b-17.zip")

    read = read_manifest(zip_path, known_kinds=KNOWN_KINDS)
    verified = extract_bundle(zip_path, tmp_path / "staging", known_kinds=KNOWN_KINDS)

    assert verified.manifest == read
    assert verified.directory == tmp_path / "staging"
    assert (verified.directory / "img/kitchen.png").read_bytes() == PHOTO
    assert (verified.directory / "audio/clip.wav").read_bytes() == WAV
    assert (verified.directory / "readme.txt").read_bytes() == b"hello\n"
    with zipfile.ZipFile(zip_path) as archive:
        assert (verified.directory / "manifest.json").read_bytes() == archive.read("manifest.json")
    assert read.bundle_id == "b-17"
    assert read.deadline == DEADLINE
    assert [task.id for task in read.tasks] == ["t-1", "t-2", "t-3"]
    assert read.tasks[1].media == ["audio/clip.wav"]
    assert {m.path: m.size for m in read.media} == {
        "audio/clip.wav": len(WAV),
        "img/kitchen.png": len(PHOTO),
        "readme.txt": 6,
    }


def test_media_can_come_from_files_on_disk(tmp_path: Path) -> None:
    (tmp_path / "kitchen.png").write_bytes(PHOTO)
    media = {"img/kitchen.png": tmp_path / "kitchen.png", "audio/clip.wav": WAV}
    zip_path = _build(tmp_path / "b.zip", media=media)

    verified = extract_bundle(zip_path, tmp_path / "staging", known_kinds=KNOWN_KINDS)

    assert (verified.directory / "img/kitchen.png").read_bytes() == PHOTO


def test_rewards_are_exact_decimals_and_a_task_may_override_them(tmp_path: Path) -> None:
    manifest = read_manifest(_build(tmp_path / "b.zip"), known_kinds=KNOWN_KINDS)

    rewards = [manifest.reward_for(task) for task in manifest.tasks]

    assert rewards == [Decimal("0.05"), Decimal("0.25"), Decimal("0.05")]
    assert sum(rewards) == Decimal("0.35")  # no float drift


def test_the_manifest_is_first_sorted_and_keeps_decimals_as_strings(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "b.zip")

    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
        raw = archive.read("manifest.json")

    assert infos[0].filename == "manifest.json"
    data = json.loads(raw)
    assert list(data) == sorted(data)
    assert data["reward_per_task"] == "0.05"
    assert data["tasks"][1]["reward"] == "0.25"
    assert data["format_version"] == FORMAT_VERSION
    methods = {info.filename: info.compress_type for info in infos}
    assert methods["img/kitchen.png"] == zipfile.ZIP_STORED  # already compressed
    assert methods["audio/clip.wav"] == zipfile.ZIP_DEFLATED
    assert methods["manifest.json"] == zipfile.ZIP_DEFLATED


def test_the_default_deadline_is_two_weeks_ahead(tmp_path: Path) -> None:
    manifest = read_manifest(_build(tmp_path / "b.zip", deadline=None), known_kinds=KNOWN_KINDS)

    days = (manifest.deadline - datetime.now(UTC)).days

    assert 13 <= days <= 14


@pytest.mark.parametrize(
    "overrides",
    [
        {"bundle_id": "../b-17"},
        {"kind": "Photo Clip"},
        {"title": ""},
        {"currency": "euro"},
        {"reward_per_task": Decimal("-0.01")},
        {"deadline": datetime(2030, 1, 1)},  # no time zone
        {"media": {"../evil.txt": b"x"}},
        {"media": {"inner.zip": b"PK"}},
        {"media": {"a.txt": b"1", "A.txt": b"2"}},
        {"tasks": []},
        {"tasks": [{"id": "t-1", "payload": {}, "media": ["ghost.png"]}]},
        {"tasks": [{"id": "t-1", "payload": {}}, {"id": "t-1", "payload": {}}]},
        {"tasks": [{"id": "t-1", "payload": {}, "price": 3}]},
        {"tasks": [{"id": "t-1", "payload": {"score": float("nan")}}]},
    ],
    ids=[
        "bundle-id-traversal",
        "bad-kind",
        "empty-title",
        "bad-currency",
        "negative-reward",
        "naive-deadline",
        "unsafe-media-path",
        "nested-archive",
        "case-duplicate-media",
        "no-tasks",
        "task-media-not-listed",
        "duplicate-task-ids",
        "unknown-task-field",
        "nan-in-payload",
    ],
)
def test_building_an_invalid_manifest_is_refused_and_writes_nothing(
    overrides: dict[str, Any], tmp_path: Path
) -> None:
    dest = tmp_path / "b.zip"
    dest.write_bytes(b"the previous bundle")

    with pytest.raises(ManifestInvalid) as caught:
        _build(dest, **overrides)

    assert "'b.zip'" in str(caught.value)
    assert dest.read_bytes() == b"the previous bundle"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.zip"]  # no temp file left


def test_the_same_archive_gives_the_same_hashes(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "b.zip")

    first = extract_bundle(zip_path, tmp_path / "one", known_kinds=KNOWN_KINDS)
    second = extract_bundle(zip_path, tmp_path / "two", known_kinds=KNOWN_KINDS)

    assert first.manifest_sha256 == second.manifest_sha256
    assert first.archive_sha256 == second.archive_sha256
    assert len(first.archive_sha256) == 64


def test_building_twice_gives_byte_identical_archives(tmp_path: Path) -> None:
    one = _build(tmp_path / "one.zip").read_bytes()
    two = _build(tmp_path / "two.zip").read_bytes()

    assert one == two


def test_unknown_kind_asks_for_a_newer_ouvrage(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "b.zip", kind="audio_tagging")

    with pytest.raises(UnknownBundleKind) as caught:
        read_manifest(zip_path, known_kinds=KNOWN_KINDS)

    assert "audio_tagging" in str(caught.value)
    assert "newer Ouvrage" in str(caught.value)


def test_a_bundle_can_be_named_as_the_user_knows_it(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "download.part", kind="audio_tagging")

    with pytest.raises(UnknownBundleKind, match="'Menus from Lyon'"):
        read_manifest(zip_path, known_kinds=KNOWN_KINDS, source="Menus from Lyon")


def test_a_bundle_built_with_a_future_format_asks_for_a_newer_ouvrage(tmp_path: Path) -> None:
    zip_path = _build(tmp_path / "b.zip", format_version=FORMAT_VERSION + 1)

    with pytest.raises(UnsupportedFormat, match="newer Ouvrage"):
        extract_bundle(zip_path, tmp_path / "staging", known_kinds=KNOWN_KINDS)
    assert not (tmp_path / "staging").exists()


def test_media_paths_that_differ_only_in_case_are_refused_by_the_model() -> None:
    data = manifest_dict(media=[media_entry("Photo.png", b"1"), media_entry("photo.PNG", b"2")])

    with pytest.raises(ValidationError, match="name the same file"):
        Manifest.model_validate(data)


def test_a_media_file_cannot_also_be_a_folder() -> None:
    data = manifest_dict(media=[media_entry("a.txt", b"1"), media_entry("a.txt/b.txt", b"2")])

    with pytest.raises(ValidationError, match="both a file and a folder"):
        Manifest.model_validate(data)


def test_errors_survive_pickling_with_their_details() -> None:
    error = TaskInvalid("b-17.zip", "has an invalid task 't-1': empty", task_id="t-1")

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is TaskInvalid
    assert str(copy) == str(error)
    assert copy.task_id == "t-1"
    assert copy.advice == error.advice


def test_a_conflict_names_the_bundle_id() -> None:
    error = BundleConflict("b-17.zip", "b-17")

    copy = pickle.loads(pickle.dumps(error))

    assert "'b-17.zip'" in str(error)
    assert "'b-17'" in str(error)
    assert str(copy) == str(error)
    assert copy.bundle_id == "b-17"


# --- properties -----------------------------------------------------------------------


def _valid_bundle_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return _build(Path(folder) / "b.zip").read_bytes()


VALID_BUNDLE = _valid_bundle_bytes()


def _extract_bytes(data: bytes) -> None:
    """Give ``data`` to read_manifest and extract_bundle; only BundleError may escape."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        zip_path = root / "fuzz.zip"
        zip_path.write_bytes(data)
        before = snapshot(root)
        for call in (
            lambda: read_manifest(zip_path, known_kinds=KNOWN_KINDS),
            lambda: extract_bundle(zip_path, root / "staging", known_kinds=KNOWN_KINDS),
        ):
            try:
                call()
            except BundleError as error:
                assert str(error).startswith("The bundle 'fuzz.zip'")
                assert snapshot(root) == before


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_only_ever_raise_bundle_errors(data: bytes) -> None:
    _extract_bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_BUNDLE) - 1), st.integers(0, 255)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, len(VALID_BUNDLE)),
)
def test_a_damaged_bundle_only_ever_raises_bundle_errors(
    changes: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(VALID_BUNDLE)
    for offset, value in changes:
        data[offset] = value
    _extract_bytes(bytes(data[: max(cut, len(data) // 2)]))


JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = sorted(manifest_dict())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    replaced=st.dictionaries(st.sampled_from(FIELDS), JUNK, max_size=4),
    removed=st.sets(st.sampled_from(FIELDS), max_size=3),
    added=st.dictionaries(st.text(max_size=20), JUNK, max_size=2),
)
def test_junk_in_manifest_fields_only_gives_manifest_errors(
    replaced: dict[str, Any], removed: set[str], added: dict[str, Any]
) -> None:
    manifest = {**manifest_dict(), **added, **replaced}
    for name in removed:
        manifest.pop(name, None)

    with tempfile.TemporaryDirectory() as folder:
        zip_path = bundle_zip(Path(folder) / "b.zip", manifest=manifest)
        try:
            read = read_manifest(zip_path, known_kinds=KNOWN_KINDS)
        except (ManifestInvalid, UnsupportedFormat, UnknownBundleKind) as error:
            assert "'b.zip'" in str(error)
        else:
            assert read == Manifest.model_validate(manifest)
