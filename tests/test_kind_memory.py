"""What kinds learn from submitted work: kept in the store, built once, kept current."""

from __future__ import annotations

from pathlib import Path

from app.context import AppContext
from app.kind_memory import KindMemories
from app.profile import Profile
from app.store import Store
from taskkinds import default_registry
from taskkinds.translation.memory import MemoryEntry, Origin
from taskkinds.translation.model import TranslationPayload, TranslationResult
from taskkinds.translation.workspace import Workspace, memory_key, tm_records

PAYLOAD = TranslationPayload.model_validate(
    {
        "source_lang": "en-GB",
        "target_lang": "fr",
        "segments": [{"id": "s1", "source": "Save the file"}, {"id": "s2", "source": "Quit"}],
    }
)


def test_records_are_kept_once_per_content_and_by_kind_and_key(store: Store) -> None:
    records = tm_records([MemoryEntry("Save", "Enregistrer", "en", "fr", Origin.IMPORTED)])
    assert store.add_memory_records("translation", "en>fr", records) == 1
    assert store.add_memory_records("translation", "en>fr", records) == 0  # the same again
    assert store.add_memory_records("translation", "en>de", records) == 1
    assert store.memory_records("translation", "en>fr") == records
    assert store.memory_count("translation", "en>fr") == 1
    assert store.memory_records("photo_clip", "en>fr") == []


def test_a_submitted_translation_is_offered_back_as_a_match(profile: Profile) -> None:
    ctx = AppContext.open(profile, inline=True)
    try:
        kind = default_registry().get("translation")
        memories = KindMemories(ctx)
        assert memory_key(PAYLOAD) == "en>fr"  # en-GB work serves every English source

        given: list[Workspace] = []
        memories.request(kind, PAYLOAD, given.append)
        [workspace] = given
        assert len(workspace.memory) == 0

        result = TranslationResult(targets={"s1": "Enregistrer le fichier", "s2": ""})
        memories.learn(kind, PAYLOAD, result)
        [match] = workspace.memory.lookup("Save the files")
        assert match.entry.target == "Enregistrer le fichier" and match.score >= 90
        assert match.origin is Origin.OWN

        # The next session builds the same memory from the store.
        again: list[Workspace] = []
        KindMemories(ctx).request(kind, PAYLOAD, again.append)
        assert [m.entry.target for m in again[0].memory.lookup("Save the file")] == [
            "Enregistrer le fichier"
        ]
        assert again[0].memory.lookup("Save the file")[0].exact
    finally:
        ctx.close()


def test_records_kept_while_the_memory_is_being_built_are_not_lost(profile: Profile) -> None:
    ctx = AppContext.open(profile, inline=True)
    try:
        kind = default_registry().get("translation")
        memories = KindMemories(ctx)
        deferred: list = []
        ctx.net = _Deferred(deferred)  # the build waits until the test runs it
        given: list[Workspace] = []
        memories.request(kind, PAYLOAD, given.append)
        assert given == []
        records = tm_records([MemoryEntry("Quit", "Quitter", "en", "fr", Origin.IMPORTED)])
        memories.keep(kind, "en>fr", records)
        for job in deferred:
            job()
        [workspace] = given
        assert workspace.memory.lookup("Quit")[0].entry.target == "Quitter"
    finally:
        ctx.close()


def test_unreadable_records_are_skipped(tmp_path: Path) -> None:
    kind = default_registry().get("translation")
    assert kind.memory is not None
    good = tm_records([MemoryEntry("Quit", "Quitter", "en", "fr", Origin.OWN)])
    workspace = kind.memory.build("en>fr", [{"type": "tm", "source": 3}, *good, {"x": 1}])
    assert [e.target for e in workspace.memory] == ["Quitter"]


class _Deferred:
    """An executor that keeps jobs for the test to run later."""

    def __init__(self, jobs: list) -> None:
        self.jobs = jobs

    def submit(self, fn, on_success, on_failure) -> None:  # type: ignore[no-untyped-def]
        def job() -> None:
            try:
                outcome = fn()
            except Exception as exc:  # noqa: BLE001
                on_failure(exc)
            else:
                on_success(outcome)

        self.jobs.append(job)

    def shutdown(self, wait: bool = True) -> None:
        pass
