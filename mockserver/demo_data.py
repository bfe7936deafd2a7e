"""The mock server's private demo data: gold answers and qualification tests.

Both live in ``resources/demo/server`` and never go into a bundle. Gold answers
are kept by demo spec (its ``bundle_id``) and task id, each either the gold
result itself or a ``"file#key"`` pointer into a JSON file of
``resources/demo`` (the photo scenes and the transcription references already
hold theirs). Loaded once, checked against the kinds' result models.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sync.bundle_errors import summarize
from taskkinds import Registry, UnknownKind

DEMO_DIR = Path(__file__).resolve().parent.parent / "resources" / "demo"
SERVER_DIR = DEMO_DIR / "server"
GOLDS_PATH = SERVER_DIR / "golds.json"
QUALIFICATIONS_PATH = SERVER_DIR / "qualifications.json"


class DemoDataError(ValueError):
    """The server's demo data is broken: a developer's mistake, named precisely."""


@dataclass(frozen=True)
class QualificationDef:
    """A qualification and the demo tasks its test is built from."""

    qualification_id: str
    kind: str
    title: str
    description: str
    pass_mark: float
    retry_delay_seconds: int
    tasks: tuple[tuple[str, str], ...]  # (demo spec bundle_id, task id)
    drop_payload_fields: tuple[str, ...] = ()


def demo_spec_paths() -> list[Path]:
    """The demo bundle specs, by file name."""
    return sorted(DEMO_DIR.glob("*.json"))


@functools.cache
def demo_specs() -> dict[str, dict[str, Any]]:
    """Every demo spec by its ``bundle_id``."""
    specs = {}
    for path in demo_spec_paths():
        spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        specs[spec["bundle_id"]] = spec
    return specs


def spec_task(spec_id: str, task_id: str) -> dict[str, Any]:
    """The task ``task_id`` of the demo spec ``spec_id``; raises ``DemoDataError``."""
    spec = demo_specs().get(spec_id)
    if spec is None:
        raise DemoDataError(f"There is no demo spec '{spec_id}'.")
    for task in spec["tasks"]:
        if task["id"] == task_id:
            return dict(task)
    raise DemoDataError(f"The demo spec '{spec_id}' has no task '{task_id}'.")


@functools.cache
def demo_golds() -> dict[str, dict[str, dict[str, Any]]]:
    """Gold results by demo spec id and task id, pointers resolved (not yet validated)."""
    document = json.loads(GOLDS_PATH.read_text(encoding="utf-8"))
    golds: dict[str, dict[str, dict[str, Any]]] = {}
    for spec_id, tasks in document.items():
        if spec_id.startswith("_"):
            continue
        golds[spec_id] = {task_id: _resolve(value) for task_id, value in tasks.items()}
    return golds


def _resolve(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    file_name, hash_sign, key = str(value).partition("#")
    document = json.loads((DEMO_DIR / file_name).read_text(encoding="utf-8"))
    gold = document[key] if hash_sign else document
    if not isinstance(gold, dict):
        raise DemoDataError(f"The gold answer at '{value}' is not a JSON object.")
    return gold


def checked_golds(spec_id: str, kind_id: str, registry: Registry) -> dict[str, dict[str, Any]]:
    """The gold results of one spec's tasks, each valid for its kind.

    Empty when the kind is unknown to ``registry`` or the spec has no golds;
    raises ``DemoDataError`` for a gold the kind's result model refuses.
    """
    golds = demo_golds().get(spec_id, {})
    if not golds or kind_id not in registry:
        return {}
    kind = registry.get(kind_id)
    for task_id, gold in golds.items():
        try:
            kind.parse_result(gold)
        except ValidationError as exc:
            raise DemoDataError(
                f"The gold answer of {spec_id}/{task_id} is not a valid {kind_id} result: "
                f"{summarize(exc)}."
            ) from exc
    return golds


@functools.cache
def _all_definitions() -> tuple[QualificationDef, ...]:
    document = json.loads(QUALIFICATIONS_PATH.read_text(encoding="utf-8"))
    return tuple(
        QualificationDef(
            qualification_id=item["qualification_id"],
            kind=item["kind"],
            title=item["title"],
            description=item.get("description", ""),
            pass_mark=float(item["pass_mark"]),
            retry_delay_seconds=int(item["retry_delay_seconds"]),
            tasks=tuple((spec_id, task_id) for spec_id, task_id in item["tasks"]),
            drop_payload_fields=tuple(item.get("drop_payload_fields", ())),
        )
        for item in document["qualifications"]
    )


def qualification_defs(registry: Registry) -> list[QualificationDef]:
    """The qualifications of the kinds ``registry`` knows, in the file's order."""
    return [item for item in _all_definitions() if item.kind in registry]


def qualification_def(registry: Registry, qualification_id: str) -> QualificationDef | None:
    for item in qualification_defs(registry):
        if item.qualification_id == qualification_id:
            return item
    return None


def qualification_for_kind(registry: Registry, kind: str) -> QualificationDef | None:
    """The qualification of ``kind`` (the first listed), or None."""
    return next((item for item in qualification_defs(registry) if item.kind == kind), None)


def test_gold(registry: Registry, definition: QualificationDef, spec_id: str, task_id: str) -> Any:
    """The gold result of one task of a qualification test; raises ``DemoDataError``."""
    try:
        kind = registry.get(definition.kind)
    except UnknownKind as exc:
        raise DemoDataError(str(exc)) from exc
    gold = checked_golds(spec_id, kind.id, registry).get(task_id)
    if gold is None:
        raise DemoDataError(
            f"The qualification '{definition.qualification_id}' uses {spec_id}/{task_id}, "
            "which has no gold answer in golds.json."
        )
    return gold
