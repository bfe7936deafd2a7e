"""Task kinds and the registry that lists them.

Adding a kind means adding one package and one line in ``BUILTIN_KINDS``.
Kinds are registered explicitly, never through import side effects.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator, Mapping

from taskkinds.base import (
    ExportFormat,
    ExportItem,
    KindMemory,
    LazyFunction,
    Problem,
    Severity,
    TaskKind,
)

__all__ = [
    "BUILTIN_KINDS",
    "DuplicateKind",
    "ExportFormat",
    "ExportItem",
    "KindMemory",
    "LazyFunction",
    "Problem",
    "Registry",
    "Severity",
    "TaskKind",
    "UnknownKind",
    "default_registry",
]

# Each module exposes ``KIND``. Order is the order shown to the contributor.
BUILTIN_KINDS: tuple[str, ...] = (
    "taskkinds.translation",
    "taskkinds.transcription",
    "taskkinds.photo_clip",
)


class UnknownKind(LookupError):
    """A bundle or result names a kind this version of Ouvrage does not know."""

    def __init__(self, kind_id: str) -> None:
        self.kind_id = kind_id
        super().__init__(
            f"Tasks of kind '{kind_id}' need a newer Ouvrage. "
            "Update the application, then import the bundle again."
        )


class DuplicateKind(ValueError):
    """Two kinds were registered under the same id."""


class Registry:
    """The kinds this application knows, looked up by id.

    Kinds given as ``lazy`` (id → module path) are imported the first time they are
    asked for, or all at once by ``load_all()`` or iteration: opening one task at
    start-up then imports only its kind. Safe to use from several threads.
    """

    def __init__(
        self, kinds: Iterable[TaskKind] = (), *, lazy: Mapping[str, str] | None = None
    ) -> None:
        self._kinds: dict[str, TaskKind] = {}
        self._order: list[str] = []
        self._pending: dict[str, str] = {}
        self._lock = threading.RLock()
        for kind in kinds:
            self.register(kind)
        for kind_id, path in (lazy or {}).items():
            if kind_id in self._kinds or kind_id in self._pending:
                raise DuplicateKind(f"A task kind with id '{kind_id}' is already registered")
            self._pending[kind_id] = path
            self._order.append(kind_id)

    def register(self, kind: TaskKind) -> None:
        with self._lock:
            if kind.id in self._kinds or kind.id in self._pending:
                raise DuplicateKind(f"A task kind with id '{kind.id}' is already registered")
            self._kinds[kind.id] = kind
            self._order.append(kind.id)

    def _load(self, kind_id: str) -> None:
        with self._lock:
            path = self._pending.get(kind_id)
            if path is None:
                return
            kind = importlib.import_module(path).KIND
            if kind.id != kind_id:
                raise ValueError(f"{path} defines kind '{kind.id}', registered as '{kind_id}'")
            self._kinds[kind_id] = kind
            del self._pending[kind_id]

    def load_all(self) -> Registry:
        """Import every kind not imported yet; returns the registry."""
        for kind_id in list(self._pending):
            self._load(kind_id)
        return self

    def get(self, kind_id: str) -> TaskKind:
        """Return the kind; raises ``UnknownKind`` with an actionable message."""
        if kind_id in self._pending:
            self._load(kind_id)
        try:
            return self._kinds[kind_id]
        except KeyError:
            raise UnknownKind(kind_id) from None

    def __contains__(self, kind_id: object) -> bool:
        return kind_id in self._kinds or kind_id in self._pending

    def __iter__(self) -> Iterator[TaskKind]:
        self.load_all()
        return iter([self._kinds[kind_id] for kind_id in self._order])

    def ids(self) -> frozenset[str]:
        return frozenset(self._order)


_default: Registry | None = None


def default_registry(*, lazy: bool = False) -> Registry:
    """The registry of built-in kinds, built once; with ``lazy`` each kind is imported
    when first asked for (a built-in kind's id is its package's name)."""
    global _default
    if _default is None:
        _default = Registry(lazy={path.rsplit(".", 1)[-1]: path for path in BUILTIN_KINDS})
    return _default if lazy else _default.load_all()
