"""Kinds' memories (a translation memory per language pair), built once and kept current.

The records live in the store; each memory is built from them off the UI thread the first
time a task needs it, then kept in this cache: a submitted result (``learn``) and what
an editor imports (``keep``) go both into the store and into the built object. The
memory object itself is only ever touched on the UI thread once built.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.tasks import op

if TYPE_CHECKING:
    from app.context import AppContext
    from taskkinds import TaskKind

log = logging.getLogger(__name__)

Ready = Callable[[Any], None]


class KindMemories:
    """The built memories of this session, by ``(kind id, key)``."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._built: dict[tuple[str, str], Any] = {}
        self._waiting: dict[tuple[str, str], list[Ready]] = {}
        self._pending: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def request(self, kind: TaskKind, payload: Any, ready: Ready) -> None:
        """Call ``ready(memory)`` on the UI thread once the task's memory is built (at once
        if it already is). Nothing is called for a kind without a memory."""
        memory = kind.memory
        if memory is None:
            return
        slot = (kind.id, memory.key(payload))
        if slot in self._built:
            ready(self._built[slot])
            return
        if slot in self._waiting:
            self._waiting[slot].append(ready)
            return
        self._waiting[slot] = [ready]
        store, key = self.ctx.store, slot[1]
        assert store is not None

        def built(result: Any) -> None:
            self._built[slot] = result
            late = self._pending.pop(slot, [])
            if late:
                memory.add(result, late)
            for callback in self._waiting.pop(slot, []):
                callback(result)

        def failed(exc: BaseException) -> None:
            self._waiting.pop(slot, None)
            log.warning("building the %s memory %s failed", slot[0], key, exc_info=exc)

        def load() -> None:
            records = store.memory_records(kind.id, key)
            # Building takes seconds for a large memory: not on the database worker.
            op(memory.build, key, records).success(built).failure(failed).run(self.ctx.net)

        op(load).failure(failed).run(self.ctx.db)

    def learn(self, kind: TaskKind, payload: Any, result: Any) -> None:
        """Keep what a submitted ``result`` teaches (if the kind learns anything)."""
        if kind.memory is None:
            return
        try:
            records = kind.memory.learn(payload, result)
        except (ValueError, TypeError):
            log.warning("the %s kind could not learn from a result", kind.id, exc_info=True)
            return
        self.keep(kind, kind.memory.key(payload), records)

    def keep(self, kind: TaskKind, key: str, records: list[dict[str, Any]]) -> None:
        """Store ``records`` and add them to the memory if it is built (or being built)."""
        if kind.memory is None or not records:
            return
        slot = (kind.id, key)
        if slot in self._built:
            kind.memory.add(self._built[slot], records)
        elif slot in self._waiting:
            self._pending.setdefault(slot, []).extend(records)
        store = self.ctx.store
        assert store is not None
        op(store.add_memory_records, kind.id, key, records).failure(
            lambda exc: log.warning("keeping %s memory records failed", kind.id, exc_info=exc)
        ).run(self.ctx.db)
