"""Write submitted results in a kind's standard format. Qt-free."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from app.store import Store
from taskkinds import ExportItem, Registry


class NothingToExport(Exception):
    def __init__(self, kind_title: str) -> None:
        super().__init__(f"There are no submitted {kind_title.lower()} results to export yet.")


def export_results(
    store: Store,
    registry: Registry,
    kind_id: str,
    format_name: str,
    out: Path,
    *,
    states: Iterable[str] | None = None,
    bundle_id: str | None = None,
) -> int:
    """Write the outbox results of one kind to ``out``; returns how many were written.

    The file appears whole or not at all. Raises ``UnknownKind``, ``KeyError``
    for an unknown format, ``NothingToExport`` or ``ValueError`` from the exporter.
    """
    kind = registry.get(kind_id)
    fmt = kind.export_format(format_name)
    rows = store.outbox_results(kind=kind_id, states=states)
    if bundle_id is not None:
        rows = [row for row in rows if row["bundle_id"] == bundle_id]
    if not rows:
        raise NothingToExport(kind.title)
    items = [
        ExportItem(
            task_id=row["task_id"],
            bundle_id=row["bundle_id"],
            payload=kind.parse_payload(row["payload"]),
            result=kind.parse_result(row["result"]),
        )
        for row in rows
    ]
    data = fmt.write(items)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(items)
