"""What the window and its views share: the profile, its store, the kinds and the executors.

The heavy part (the database layer, pydantic models of every kind) loads in
``load()``, which the window runs on the database worker so the window can be
shown first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.profile import Profile
from app.tasks import Executor, InlineExecutor, ThreadExecutor

if TYPE_CHECKING:
    from app.store import Store
    from taskkinds import Registry, TaskKind


@dataclass
class AppContext:
    profile: Profile
    db: Executor  # one worker: it owns the write connection
    net: Executor  # a few workers: network work, and heavy computing off the database worker
    demo: bool = False
    store: Store | None = None
    registry: Registry | None = None

    @classmethod
    def create(cls, profile: Profile, *, inline: bool = False, demo: bool = False) -> AppContext:
        """Executors only; call ``load()`` (on the database worker) before using the store."""
        if inline:
            return cls(profile, InlineExecutor(), InlineExecutor(), demo)
        db, net = ThreadExecutor("ouvrage-db", 1), ThreadExecutor("ouvrage-net", 3)
        return cls(profile, db, net, demo)

    @classmethod
    def open(cls, profile: Profile, *, inline: bool = False, demo: bool = False) -> AppContext:
        """Create and load at once (tests, scripts)."""
        ctx = cls.create(profile, inline=inline, demo=demo)
        ctx.load()
        return ctx

    @property
    def ready(self) -> bool:
        return self.store is not None

    def load(self) -> AppContext:
        """Open the profile's store and the kinds. Raises ``StoreError`` or ``OSError``."""
        return self.load_store().load_kinds()

    def load_store(self) -> AppContext:
        """Open the store: enough to list the queue."""
        if self.store is None:
            from app.store import Store

            self.profile.ensure()
            self.store = Store(self.profile.db_path)
        return self

    def load_kinds(self) -> AppContext:
        """Import every task kind (pydantic models and all): the menus and filters list them."""
        from taskkinds import default_registry

        self.registry = default_registry()
        return self

    def kind(self, kind_id: str) -> TaskKind:
        """One kind, importing only it if the others are not loaded yet (the task reopened
        at start-up). Raises ``UnknownKind``."""
        if self.registry is None:
            from taskkinds import default_registry

            self.registry = default_registry(lazy=True)
        return self.registry.get(kind_id)

    def close(self) -> None:
        self.db.shutdown(wait=True)
        self.net.shutdown(wait=False)
        if self.store is not None:
            self.store.close()
