"""What every task kind supplies, and the problem type its checks return.

Qt-free: the editor is named by a dotted path and imported only when a window
needs it, so the mock server and the command line load kinds without Qt. Exporters,
and checks whose module loads numpy, are named the same way (``LazyFunction``), so
building the registry at start-up loads neither numpy, PIL nor lxml.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")


class Severity(StrEnum):
    """How a problem weighs on submitting: errors block it, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a result, shown inline before submit.

    ``code`` is stable and machine-readable (``empty_target``); ``message`` is
    for the contributor; ``where`` locates it inside the result (for translation,
    the segment id), or is empty for the whole result.
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    where: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class ExportItem:
    """One task's result handed to an exporter."""

    task_id: str
    bundle_id: str
    payload: BaseModel
    result: BaseModel


def as_model(model: type[M], value: Any) -> M:
    """``value`` as an instance of ``model``: itself when it already is one, else validated
    from its dump (another version's model) or from plain data."""
    if isinstance(value, model):
        return value
    data = value.model_dump() if hasattr(value, "model_dump") else value
    return model.model_validate(data)


class LazyFunction:
    """A function named by ``"package.module:name"``, imported on its first call.

    Calling it calls the function with the same arguments and returns what it returns;
    ``resolve`` imports it now (``ImportError`` or ``AttributeError`` when the path
    names nothing).
    """

    __slots__ = ("_function", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self._function: Callable[..., Any] | None = None

    @property
    def resolved(self) -> bool:
        """Whether the function has been imported."""
        return self._function is not None

    def resolve(self) -> Callable[..., Any]:
        if self._function is None:
            module_name, _, name = self.path.partition(":")
            self._function = getattr(importlib.import_module(module_name), name)
        return self._function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"LazyFunction({self.path!r})"


@dataclass(frozen=True)
class ExportFormat:
    """A standard file format a kind's results can be written to."""

    name: str  # short id used on the command line, e.g. "xliff"
    title: str  # e.g. "XLIFF 2.0"
    suffix: str  # e.g. ".xlf"
    write: Callable[[Sequence[ExportItem]], bytes]

    @classmethod
    def lazy(cls, name: str, title: str, suffix: str, write: str) -> ExportFormat:
        """A format whose writer, named ``"module:function"``, is imported when used."""
        return cls(name=name, title=title, suffix=suffix, write=LazyFunction(write))


@dataclass(frozen=True)
class KindMemory:
    """What a kind learns from submitted work and offers back while editing, such as a
    translation memory. Records are plain JSON objects the shell keeps without reading.

    ``key`` names the memory a task uses (for translation, its language pair);
    ``learn`` gives the records a submitted result adds; ``build`` turns every record
    kept under a key into the object the kind's editor works with (built off the UI
    thread); ``add`` puts new records into an object already built.
    """

    key: Callable[[Any], str]
    learn: Callable[[Any, Any], list[dict[str, Any]]]
    build: Callable[[str, list[dict[str, Any]]], Any]
    add: Callable[[Any, list[dict[str, Any]]], None]


@dataclass(frozen=True)
class TaskKind:
    """Everything the shell needs to know about one kind of task.

    The shell never branches on ``id``; it calls these members instead.
    """

    id: str
    title: str
    version: int
    payload_model: type[BaseModel]
    result_model: type[BaseModel]
    new_result: Callable[[Any], BaseModel]
    validate: Callable[[Any, Any], list[Problem]]
    grade: Callable[[Any, Any], float]
    summarize: Callable[[Any], str]
    editor_path: str  # "package.module:ClassName", imported lazily
    export_formats: tuple[ExportFormat, ...] = field(default_factory=tuple)
    memory: KindMemory | None = None  # what the kind learns from submitted work, if anything

    def parse_payload(self, data: Any) -> BaseModel:
        """Validate a payload from a bundle; raises pydantic.ValidationError."""
        return self.payload_model.model_validate(data)

    def parse_result(self, data: Any) -> BaseModel:
        """Validate a stored or received result; raises pydantic.ValidationError."""
        return self.result_model.model_validate(data)

    def export_format(self, name: str) -> ExportFormat:
        for fmt in self.export_formats:
            if fmt.name == name:
                return fmt
        known = ", ".join(f.name for f in self.export_formats) or "none"
        raise KeyError(f"{self.title} results cannot be exported as '{name}' (known: {known})")

    def load_editor(self) -> type:
        """Import and return the editor widget class (this imports Qt)."""
        module_name, _, class_name = self.editor_path.partition(":")
        return getattr(importlib.import_module(module_name), class_name)
