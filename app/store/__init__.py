"""The contributor's local store: one SQLite file per profile, the only place that speaks SQL.

Qt-free. A ``Store`` is used from one thread at a time (the database worker in
the window, the main thread in the command line). Mutations return a
``Change`` so views refresh only what moved.
"""

from app.changes import OUTBOX_STATES, SUBMITTED_STATES, TASK_STATES, Change
from app.store.main import Store
from app.store.records import (
    AlreadySubmitted,
    NewBundle,
    NewTask,
    NotADatabase,
    OutboxRow,
    ProfileDiskFull,
    SchemaTooNew,
    StoreError,
    TaskNotFound,
    TaskRow,
    now_iso,
    task_key,
)
from app.store.schema import MIGRATIONS, SCHEMA_VERSION, connect, migrate

__all__ = [
    "MIGRATIONS",
    "OUTBOX_STATES",
    "SCHEMA_VERSION",
    "SUBMITTED_STATES",
    "TASK_STATES",
    "AlreadySubmitted",
    "Change",
    "NewBundle",
    "NewTask",
    "NotADatabase",
    "OutboxRow",
    "ProfileDiskFull",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "TaskNotFound",
    "TaskRow",
    "connect",
    "migrate",
    "now_iso",
    "task_key",
]
