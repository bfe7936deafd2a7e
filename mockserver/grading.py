"""Grading accepted results of tasks whose gold answer the server keeps.

A gold question in ordinary work moves the contributor's accuracy on its kind;
a task of a qualification test counts toward that attempt's grade. Either way
the score is the kind's own ``grade(result, gold)``, kept in 0..1.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from mockserver import accuracy, qualifications
from mockserver.records import BundleRow, GradeRow, ResultRow
from taskkinds import TaskKind

if TYPE_CHECKING:
    from mockserver.state import ServerState


def score(kind: TaskKind, result: dict[str, Any], gold: dict[str, Any]) -> float:
    """``kind.grade`` of a result against its gold, clamped to [0, 1] (NaN counts as 0)."""
    value = float(kind.grade(kind.parse_result(result), kind.parse_result(gold)))
    if not math.isfinite(value):
        return 0.0
    return min(1.0, max(0.0, value))


def grade_accepted(state: ServerState, bundle: BundleRow, row: ResultRow, now: float) -> None:
    """Grade an accepted result if its task is gold, inside the caller's transaction."""
    answer = state.store.gold(row.bundle_id, row.task_id)
    if answer is None:
        return
    kind = state.registry.get(bundle.kind)  # known: the result passed the kind's checks
    purpose = "qualification" if bundle.purpose == "qualification" else "gold"
    state.store.add_grade(
        GradeRow(
            idempotency_key=row.idempotency_key,
            contributor_id=row.contributor_id,
            kind=bundle.kind,
            bundle_id=row.bundle_id,
            task_id=row.task_id,
            purpose=purpose,
            score=score(kind, json.loads(row.result), json.loads(answer)),
            graded_at=now,
        )
    )
    if purpose == "qualification":
        qualifications.finish_attempt_if_complete(state, bundle, now)
    else:
        accuracy.after_gold(state, row.contributor_id, bundle.kind, now)
