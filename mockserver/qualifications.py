"""Qualifications: tests built from demo tasks, graded on the server, certificates.

Each attempt at a test is a bundle of its own (``qual-<id>-<who>-<n>``),
built when it is first claimed, never in the catalogue, unpaid. Its gold
answers stay in the server's database; when every task has an accepted result
the attempt is graded with the kind's ``grade()``: the mean score passes at the
qualification's pass mark. A failed test may be taken again after its retry
delay, under the next attempt number.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from mockserver import catalogue, demo_data
from mockserver.accounts import require_contributor
from mockserver.availability import when
from mockserver.clock import from_timestamp
from mockserver.demo_data import DEMO_DIR, QualificationDef
from mockserver.errors import ApiError
from mockserver.leasing import lease_model, start_lease
from mockserver.records import AttemptRow, BundleRow, CertificateRow
from sync.bundle import build_bundle
from sync.protocol import (
    Certificate,
    ErrorCode,
    Lease,
    Qualification,
    QualificationList,
    QualificationStatus,
)

if TYPE_CHECKING:
    from mockserver.state import ServerState

_TEST_ID = re.compile(r"^qual-([a-z][a-z0-9_]{0,31})-([0-9a-f]{8})-([1-9][0-9]{0,5})$")
_EPSILON = 1e-9  # a mean equal to the pass mark passes, whatever the float rounding


def contributor_tag(contributor_id: str) -> str:
    """A short stand-in for the contributor id in test bundle ids."""
    return hashlib.sha256(contributor_id.encode("utf-8")).hexdigest()[:8]


def test_bundle_id(qualification_id: str, contributor_id: str, attempt: int) -> str:
    return f"qual-{qualification_id}-{contributor_tag(contributor_id)}-{attempt}"


def is_test_bundle_id(bundle_id: str) -> bool:
    return _TEST_ID.match(bundle_id) is not None


@dataclass(frozen=True)
class _Standing:
    """One contributor's history with one qualification."""

    certificate: CertificateRow | None
    attempts: list[AttemptRow]  # not cleared, oldest first
    next_attempt: int

    @property
    def open(self) -> AttemptRow | None:
        return next((a for a in self.attempts if a.graded_at is None), None)

    @property
    def last_graded(self) -> AttemptRow | None:
        return next((a for a in reversed(self.attempts) if a.graded_at is not None), None)

    def retry_at(self, definition: QualificationDef) -> float | None:
        last = self.last_graded
        if last is None or last.passed or last.graded_at is None:
            return None
        return last.graded_at + definition.retry_delay_seconds


def _standing(state: ServerState, contributor_id: str, qualification_id: str) -> _Standing:
    store = state.store
    return _Standing(
        certificate=store.certificate(contributor_id, qualification_id),
        attempts=store.attempts_of(contributor_id, qualification_id),
        next_attempt=store.last_attempt_number(contributor_id, qualification_id) + 1,
    )


# --- what the contributor sees ---------------------------------------------------------


def listing(state: ServerState, contributor_id: str) -> QualificationList:
    """Every qualification of the kinds this server knows, with the contributor's standing."""
    now = state.clock.now()
    return QualificationList(
        server_time=now,
        qualifications=[
            qualification_model(state, contributor_id, definition, now.timestamp())
            for definition in demo_data.qualification_defs(state.registry)
        ],
    )


def qualification_model(
    state: ServerState, contributor_id: str, definition: QualificationDef, now: float
) -> Qualification:
    standing = _standing(state, contributor_id, definition.qualification_id)
    qid = definition.qualification_id
    next_id = test_bundle_id(qid, contributor_id, standing.next_attempt)
    retry_at = standing.retry_at(definition)
    status = QualificationStatus.NONE
    test_id: str | None = next_id
    if standing.certificate is not None:
        status, test_id = QualificationStatus.PASSED, None
    elif standing.open is not None:
        status, test_id = QualificationStatus.PENDING, standing.open.bundle_id
    elif retry_at is not None:
        status = QualificationStatus.FAILED
        test_id = next_id if now >= retry_at else None
    last = standing.attempts[-1] if standing.attempts else None
    graded = standing.last_graded
    certificate = standing.certificate
    last_at = None if last is None else (last.graded_at or last.started_at)
    return Qualification(
        qualification_id=qid,
        kind=definition.kind,
        title=definition.title,
        description=definition.description,
        pass_mark=definition.pass_mark,
        retry_delay_seconds=definition.retry_delay_seconds,
        task_count=len(definition.tasks),
        status=status,
        test_bundle_id=test_id,
        attempts=len(standing.attempts),
        last_score=graded.score if graded else None,
        last_attempt_at=None if last_at is None else from_timestamp(last_at),
        retry_at=(
            from_timestamp(retry_at)
            if retry_at is not None and status is QualificationStatus.FAILED
            else None
        ),
        certificate=None if certificate is None else _certificate(definition, certificate),
    )


def _certificate(definition: QualificationDef, row: CertificateRow) -> Certificate:
    return Certificate(
        qualification_id=definition.qualification_id,
        title=definition.title,
        kind=definition.kind,
        earned_at=from_timestamp(row.earned_at),
        score=row.score,
        source=row.source,
    )


# --- taking a test ----------------------------------------------------------------------


def claim_test(state: ServerState, contributor_id: str, bundle_id: str) -> Lease:
    """Lease the contributor's open or next attempt at a test, building it if new.

    Raises ``ApiError``: 404 ``not_offered`` for an unknown qualification or an
    attempt that is not the current one, 403 ``forbidden`` for another
    contributor's attempt, 409 ``already_qualified``, 403
    ``qualification_retry_later`` (with ``retry_after``) while a failed test's
    retry delay runs.
    """
    match = _TEST_ID.match(bundle_id)
    assert match is not None, "callers check is_test_bundle_id first"
    qid, tag = match.group(1), match.group(2)
    store = state.store
    with store.transaction():
        stamp = state.clock.timestamp()
        definition = demo_data.qualification_def(state.registry, qid)
        if definition is None:
            raise ApiError(404, ErrorCode.NOT_OFFERED, f"There is no qualification '{qid}'.")
        if tag != contributor_tag(contributor_id):
            raise ApiError(
                403,
                ErrorCode.FORBIDDEN,
                f"The test '{bundle_id}' belongs to another contributor. "
                "List your qualifications to get your own.",
            )
        standing = _standing(state, contributor_id, qid)
        if standing.certificate is not None:
            raise ApiError(
                409,
                ErrorCode.ALREADY_QUALIFIED,
                f"You already hold the '{definition.title}' qualification; no test is needed.",
            )
        current = standing.open
        if current is not None:
            _require_current(bundle_id, current.bundle_id)
            bundle = store.bundle(current.bundle_id)
            assert bundle is not None
            holder = store.active_lease(bundle.bundle_id, stamp)
            if holder is not None:
                return lease_model(state, holder, bundle)
            return start_lease(state, contributor_id, bundle, stamp)
        retry_at = standing.retry_at(definition)
        if retry_at is not None and stamp < retry_at:
            raise ApiError(
                403,
                ErrorCode.QUALIFICATION_RETRY_LATER,
                f"You failed the '{definition.title}' test; you may take it again from "
                f"{when(retry_at)}.",
                retry_after=retry_at - stamp,
            )
        expected = test_bundle_id(qid, contributor_id, standing.next_attempt)
        _require_current(bundle_id, expected)
        bundle = _publish_test(state, definition, expected)
        store.add_attempt(
            AttemptRow(
                bundle_id=expected,
                qualification_id=qid,
                contributor_id=contributor_id,
                attempt=standing.next_attempt,
                started_at=stamp,
            )
        )
        return start_lease(state, contributor_id, bundle, stamp)


def _require_current(asked: str, current: str) -> None:
    if asked != current:
        raise ApiError(
            404,
            ErrorCode.NOT_OFFERED,
            f"The test attempt '{asked}' is not offered; your current one is '{current}'. "
            "List your qualifications again.",
        )


def _publish_test(state: ServerState, definition: QualificationDef, bundle_id: str) -> BundleRow:
    """Build the test's bundle from its demo tasks, publish it, and keep its golds."""
    specs = demo_data.demo_specs()
    tasks: list[dict[str, Any]] = []
    media: dict[str, Any] = {}
    golds: dict[str, Any] = {}
    minutes: list[float] = []
    instructions: list[str] = []
    for index, (spec_id, task_id) in enumerate(definition.tasks, start=1):
        spec = specs[spec_id]
        task = demo_data.spec_task(spec_id, task_id)
        names = list(task.get("media", []))
        payload = {
            key: value
            for key, value in task["payload"].items()
            if key not in definition.drop_payload_fields
        }
        tasks.append({"id": f"q{index}", "payload": payload, "media": names})
        media.update({name: DEMO_DIR / spec["media"][name] for name in names})
        golds[f"q{index}"] = demo_data.test_gold(state.registry, definition, spec_id, task_id)
        if spec.get("estimated_minutes_per_task"):
            minutes.append(float(spec["estimated_minutes_per_task"]))
        if spec.get("instructions") and spec["instructions"] not in instructions:
            instructions.append(spec["instructions"])
    about = (
        f"{definition.description}\n\nPass mark: {definition.pass_mark:.0%} on average. "
        f"The test is graded once all {len(tasks)} answers are in; if it fails, you may take "
        f"it again after {definition.retry_delay_seconds / 3600:g} h. Test tasks are not paid."
    )
    staging = state.bundles_dir / f".test-{uuid.uuid4().hex}.zip"
    try:
        build_bundle(
            staging,
            bundle_id=bundle_id,
            kind=definition.kind,
            title=f"Qualification test · {definition.title}",
            instructions="\n\n".join([about, *instructions])[:20_000],
            reward_per_task=Decimal(0),
            currency=state.options.currency,
            estimated_minutes_per_task=sum(minutes) / len(minutes) if minutes else None,
            deadline=state.clock.now().replace(microsecond=0) + catalogue.DEMO_DEADLINE,
            tasks=tasks,
            media=media,
        )
        catalogue.publish_archive(state, staging, purpose="qualification")
    finally:
        staging.unlink(missing_ok=True)
    for task_id, gold in golds.items():
        state.store.put_gold(bundle_id, task_id, json.dumps(gold, ensure_ascii=False))
    bundle = state.store.bundle(bundle_id)
    assert bundle is not None
    return bundle


def finish_attempt_if_complete(state: ServerState, bundle: BundleRow, now: float) -> None:
    """Grade a test attempt once every task has a grade: pass at the pass mark or above."""
    store = state.store
    attempt = store.attempt(bundle.bundle_id)
    if attempt is None or attempt.graded_at is not None or attempt.cleared:
        return
    task_ids = [task.task_id for task in store.tasks_of(bundle.bundle_id) if not task.withdrawn]
    scores = store.bundle_scores(bundle.bundle_id)
    if not task_ids or any(task_id not in scores for task_id in task_ids):
        return
    mean = sum(scores[task_id] for task_id in task_ids) / len(task_ids)
    definition = demo_data.qualification_def(state.registry, attempt.qualification_id)
    passed = definition is not None and mean >= definition.pass_mark - _EPSILON
    store.finish_attempt(bundle.bundle_id, now, mean, passed)
    if passed:
        store.put_certificate(
            CertificateRow(attempt.contributor_id, attempt.qualification_id, now, mean, "test")
        )


# --- admin ------------------------------------------------------------------------------


def _definition(state: ServerState, qualification_id: str) -> QualificationDef:
    definition = demo_data.qualification_def(state.registry, qualification_id)
    if definition is None:
        known = ", ".join(d.qualification_id for d in demo_data.qualification_defs(state.registry))
        raise ApiError(
            404,
            ErrorCode.NOT_FOUND,
            f"There is no qualification '{qualification_id}' (known: {known or 'none'}).",
        )
    return definition


def grant(
    state: ServerState,
    contributor_id: str,
    qualification_id: str,
    *,
    source: str = "granted",
    score: float | None = None,
) -> Qualification:
    """Give the contributor the qualification's certificate; returns the new standing."""
    require_contributor(state, contributor_id)
    definition = _definition(state, qualification_id)
    now = state.clock.timestamp()
    state.store.put_certificate(
        CertificateRow(contributor_id, qualification_id, now, score, source)
    )
    return qualification_model(state, contributor_id, definition, now)


def reset(state: ServerState, contributor_id: str, qualification_id: str | None) -> list[str]:
    """Forget certificates and attempts (retry delays with them); returns the ids touched."""
    require_contributor(state, contributor_id)
    if qualification_id is not None:
        _definition(state, qualification_id)
    with state.store.transaction():
        cleared = state.store.clear_attempts(contributor_id, qualification_id)
        deleted = state.store.delete_certificates(contributor_id, qualification_id)
    return sorted(set(cleared) | set(deleted))
