"""What a translation editor works with beyond its task: the contributor's translation
memory and the glossary terms they imported, for one language pair. Qt-free.

The shell keeps the records (``learn`` gives them on submit; the editor hands over what
the contributor imports) and builds a ``Workspace`` from them off the UI thread once
per language pair; the editor then looks matches up in it as the contributor moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from taskkinds.base import KindMemory
from taskkinds.translation.memory_entries import MemoryEntry, own_entries
from taskkinds.translation.model import GlossaryTerm, TranslationPayload, TranslationResult

if TYPE_CHECKING:
    from taskkinds.translation.memory import TranslationMemory

__all__ = [
    "MEMORY",
    "Workspace",
    "add_records",
    "build_workspace",
    "learn",
    "memory_key",
    "term_records",
    "tm_records",
]

TM = "tm"
TERM = "term"


@dataclass
class Workspace:
    """One language pair's memory and imported glossary terms."""

    source_lang: str
    target_lang: str
    memory: TranslationMemory
    terms: list[GlossaryTerm] = field(default_factory=list)


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def memory_key(payload: TranslationPayload) -> str:
    """The memory a task uses: its language pair by primary language (``en>fr``), since
    the memory serves en-GB from en-US entries."""
    return f"{_primary(payload.source_lang)}>{_primary(payload.target_lang)}"


def tm_records(entries: Iterable[MemoryEntry]) -> list[dict[str, Any]]:
    return [{"type": TM, **entry.to_record()} for entry in entries]


def term_records(terms: Iterable[GlossaryTerm]) -> list[dict[str, Any]]:
    return [{"type": TERM, **term.model_dump(mode="json")} for term in terms]


def learn(payload: TranslationPayload, result: TranslationResult) -> list[dict[str, Any]]:
    """The records a submitted result adds: its non-blank targets as own memory entries."""
    return tm_records(own_entries(payload, result, datetime.now(UTC)))


def build_workspace(key: str, records: list[dict[str, Any]]) -> Workspace:
    """A workspace from every record kept under ``key``; unreadable records are skipped."""
    from taskkinds.translation.memory import TranslationMemory  # numpy and rapidfuzz

    source, _, target = key.partition(">")
    workspace = Workspace(source, target, TranslationMemory(source, target))
    add_records(workspace, records)
    return workspace


def add_records(workspace: Workspace, records: list[dict[str, Any]]) -> None:
    """Put new records into ``workspace`` (entries into its memory, terms into its list)."""
    entries = []
    for record in records:
        body = {k: v for k, v in record.items() if k != "type"}
        try:
            if record.get("type") == TERM:
                workspace.terms.append(GlossaryTerm.model_validate(body))
            else:
                entries.append(MemoryEntry.from_record(body))
        except ValueError:
            continue  # a record from a damaged or newer build: the rest still helps
    workspace.memory.extend(entries)


MEMORY = KindMemory(key=memory_key, learn=learn, build=build_workspace, add=add_records)
