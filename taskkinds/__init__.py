"""Task kinds and the registry that lists them.

Adding a kind means adding one package and one line in ``BUILTIN_KINDS``.
Kinds are registered explicitly, never through import side effects.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

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
    """The kinds this application knows, looked up by id."""

    def __init__(self, kinds: Iterable[TaskKind] = ()) -> None:
        self._kinds: dict[str, TaskKind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: TaskKind) -> None:
        if kind.id in self._kinds:
            raise DuplicateKind(f"A task kind with id '{kind.id}' is already registered")
        self._kinds[kind.id] = kind

    def get(self, kind_id: str) -> TaskKind:
        """Return the kind; raises ``UnknownKind`` with an actionable message."""
        try:
            return self._kinds[kind_id]
        except KeyError:
            raise UnknownKind(kind_id) from None

    def __contains__(self, kind_id: object) -> bool:
        return kind_id in self._kinds

    def __iter__(self) -> Iterator[TaskKind]:
        return iter(self._kinds.values())

    def ids(self) -> frozenset[str]:
        return frozenset(self._kinds)


_default: Registry | None = None


def default_registry() -> Registry:
    """The registry of built-in kinds, built once."""
    global _default
    if _default is None:
        _default = Registry(importlib.import_module(path).KIND for path in BUILTIN_KINDS)
    return _default
