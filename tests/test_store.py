"""The local store: schema, migrations, drafts and the outbox."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from app.store import (
    SCHEMA_VERSION,
    AlreadySubmitted,
    NewBundle,
    NewTask,
    NotADatabase,
    SchemaTooNew,
    Store,
    TaskNotFound,
    connect,
    migrate,
)


def add_bundle(store: Store, bundle_id: str = "b1", tasks: int = 3) -> list[str]:
    store.add_bundle(
        NewBundle(
            bundle_id=bundle_id, kind="translation", kind_version=1, title="Bundle",
            instructions="Do it well.", currency="EUR", deadline="2026-12-31T00:00:00+00:00",
            estimated_minutes_per_task=1.0, manifest_sha256="m" * 64, archive_sha256="a" * 64,
            source="file",
            tasks=tuple(
                NewTask(f"t{i}", {"n": i}, Decimal("0.05"), f"task {i}") for i in range(tasks)
            ),
        )
    )  # fmt: skip
    return [f"{bundle_id}/t{i}" for i in range(tasks)]


def test_a_new_profile_database_uses_wal_foreign_keys_and_the_latest_schema(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"bundles", "tasks", "drafts", "outbox", "ledger", "events", "settings"} <= set(
        store.db.table_names()
    )


def test_a_database_from_schema_1_is_migrated_without_losing_work(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite_utils.Database(connect(path))
    assert migrate(db.conn, path=path, upto=1) == 1
    # What an Ouvrage of schema 1 had written: a bundle, a task, a draft and a queued result.
    db["bundles"].insert({
        "id": "b1", "kind": "translation", "kind_version": 1, "title": "Old", "instructions": "",
        "currency": "EUR", "deadline": "2026-12-31T00:00:00+00:00", "manifest_sha256": "m",
        "archive_sha256": "a", "source": "file", "imported_at": "2026-01-01T00:00:00+00:00",
    })  # fmt: skip
    for n, state in ((1, "draft"), (2, "queued")):
        db["tasks"].insert({
            "id": f"b1/t{n}", "bundle_id": "b1", "task_id": f"t{n}", "kind": "translation",
            "position": n, "payload": "{}", "reward": "0.05", "summary": f"old {n}",
            "state": state, "updated_at": "2026-01-01T00:00:00+00:00",
        })  # fmt: skip
    db["drafts"].insert({"task_id": "b1/t1", "content": '{"x": 1}', "saved_at": "2026-01-01"})
    db["outbox"].insert({
        "uuid": "u-1", "task_id": "b1/t2", "kind": "translation", "result": '{"y": 2}',
        "created_at": "2026-01-01T00:00:00+00:00", "state": "queued",
    })  # fmt: skip
    db.close()

    store = Store(path)
    try:
        assert store.schema_version == SCHEMA_VERSION
        assert store.draft("b1/t1") == {"x": 1}
        [row] = store.outbox()
        assert (row.uuid, row.task_id, row.state, row.attempts) == ("u-1", "b1/t2", "queued", 0)
        assert store.counts_by_state()["queued"] == 1
        assert store.outbox_waiting() == 1
        # The migrated database keeps working: the draft can be submitted.
        store.submit("b1/t1", {"x": 2})
        assert store.outbox_waiting() == 2
    finally:
        store.close()


def test_a_database_from_a_newer_ouvrage_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer Ouvrage"):
        Store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(NotADatabase, match="cannot be opened"):
        Store(path)


def test_saving_a_draft_marks_the_task_and_keeps_the_latest_content(store: Store) -> None:
    key, *_ = add_bundle(store)
    change = store.save_draft(key, {"text": "a"})
    assert change.tasks == {key}
    store.save_draft(key, {"text": "ab"})
    assert store.draft(key) == {"text": "ab"}
    assert store.counts_by_state()["draft"] == 1


def test_submitting_moves_the_draft_into_the_outbox_with_a_unique_key(store: Store) -> None:
    first, second, _ = add_bundle(store)
    store.save_draft(first, {"text": "draft"})
    uuid1 = store.submit(first, {"text": "final"})
    uuid2 = store.submit(second, {"text": "other"})
    assert uuid1 != uuid2 and len(uuid1) == 36
    assert store.draft(first) is None
    assert store.submitted_result(first) == {"text": "final"}
    assert {row.task_id for row in store.outbox(["queued"])} == {first, second}
    assert store.counts_by_state()["queued"] == 2
    assert [e["type"] for e in store.events()][:2] == ["submitted", "submitted"]


def test_a_task_cannot_be_submitted_twice_and_late_drafts_are_ignored(store: Store) -> None:
    key, *_ = add_bundle(store)
    store.submit(key, {"text": "final"})
    with pytest.raises(AlreadySubmitted):
        store.submit(key, {"text": "again"})
    assert store.save_draft(key, {"text": "late autosave"}).tasks == frozenset()
    assert store.draft(key) is None
    assert len(store.outbox()) == 1


def test_a_failed_submit_changes_nothing(store: Store) -> None:
    key, *_ = add_bundle(store)
    store.save_draft(key, {"text": "keep me"})
    with pytest.raises(TaskNotFound):
        store.submit("b1/missing", {"text": "x"})
    # A duplicate idempotency key violates the primary key inside the transaction.
    store.submit(f"{key[:-1]}1", {"text": "x"}, idempotency_key="same")
    with pytest.raises(Exception):  # noqa: B017 - sqlite3.IntegrityError
        store.submit(key, {"text": "y"}, idempotency_key="same")
    assert store.draft(key) == {"text": "keep me"}
    assert store.task(key)["state"] == "draft"


def test_filters_return_tasks_in_bundle_order(store: Store) -> None:
    add_bundle(store, "b1", 3)
    add_bundle(store, "b2", 2)
    store.save_draft("b2/t1", {"x": 1})
    assert [t.id for t in store.tasks()] == ["b1/t0", "b1/t1", "b1/t2", "b2/t0", "b2/t1"]
    assert [t.id for t in store.tasks(bundle_id="b2")] == ["b2/t0", "b2/t1"]
    assert [t.id for t in store.tasks(state="draft")] == ["b2/t1"]
    assert [t.id for t in store.task_rows(["b2/t1", "b1/t0"])] == ["b1/t0", "b2/t1"]
    assert store.tasks(kind="photo_clip") == []


def test_settings_round_trip_and_survive_reopening(profile) -> None:  # type: ignore[no-untyped-def]
    store = Store(profile.db_path)
    store.set_setting("window.geometry", "abc")
    store.set_setting("reference_wage", {"amount": "11.65", "currency": "EUR"})
    store.close()
    store = Store(profile.db_path)
    try:
        assert store.setting("window.geometry") == "abc"
        assert store.setting("reference_wage") == {"amount": "11.65", "currency": "EUR"}
        assert store.setting("missing", 42) == 42
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def test_everyday_work_never_loads_sqlite_utils_or_numpy(tmp_path: Path) -> None:
    """Drafts, submits, settings, events and task time go through the plain connection:
    sqlite-utils (155 modules, and numpy which it imports) is only for migrations and
    bulk writes."""
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "profile.sqlite3"
    store = Store(path)
    keys = add_bundle(store, tasks=2)
    store.close()
    script = textwrap.dedent(
        f"""
        import sys
        from app.store import Store
        store = Store({str(path)!r})
        store.save_draft({keys[0]!r}, {{"text": "brouillon"}})
        store.set_setting("window.last_task", {keys[0]!r})
        store.add_task_time({keys[0]!r}, 12.0, 30.0)
        store.submit({keys[0]!r}, {{"text": "fini"}})
        store.log_event("opened", {keys[1]!r})
        store.save_draft({keys[1]!r}, {{"text": "suite"}})
        print(sorted(m for m in ("sqlite_utils", "numpy", "click") if m in sys.modules))
        store.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    store = Store(path)
    try:
        assert store.outbox()[0].task_id == keys[0]
        assert store.draft(keys[1]) == {"text": "suite"}
        assert store.setting("window.last_task") == keys[0]
        assert store.task_time(keys[0]) == (12.0, 30.0)
    finally:
        store.close()


def test_a_failure_inside_a_nested_write_undoes_only_its_part(store: Store) -> None:
    keys = add_bundle(store, tasks=2)
    with store._atomic():
        store.save_draft(keys[0], {"text": "kept"})
        with pytest.raises(RuntimeError), store._atomic():
            store.save_draft(keys[1], {"text": "undone"})
            raise RuntimeError("inner failure")
    assert store.draft(keys[0]) == {"text": "kept"}
    assert store.draft(keys[1]) is None
    with pytest.raises(RuntimeError), store._atomic():
        store.set_setting("a", 1)
        raise RuntimeError("outer failure")
    assert store.setting("a") is None and not store.conn.in_transaction
