"""Accuracy on gold questions: what a contributor's running scores unlock or risk.

Per kind, the last ``accuracy_window`` graded gold questions since the kind
was last withheld for accuracy (or an admin's fresh start) make the running
accuracy. Too low withholds new bundles of the kind for a while; high enough
earns the kind's qualification. The thresholds are the platform policy's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockserver import demo_data, rules
from mockserver.availability import kind_name, when
from mockserver.clock import from_timestamp
from mockserver.records import CertificateRow, WithholdingRow
from sync.protocol import AccuracyReport, AccuracyStatus, KindAccuracy
from sync.protocol_admin import PlatformPolicy

if TYPE_CHECKING:
    from mockserver.state import ServerState

ACCURACY_REASON = "accuracy"


def _since(state: ServerState, contributor_id: str, kind: str) -> float:
    """Where the current accuracy window starts (graded strictly after this)."""
    starts = [state.store.fresh_start(contributor_id, kind)]
    starts += [row.started_at for row in state.store.withholdings_of(contributor_id, kind)]
    return max(starts)


def level(state: ServerState, contributor_id: str, kind: str) -> rules.AccuracyLevel:
    policy = state.platform
    scores = state.store.gold_scores(contributor_id, kind, _since(state, contributor_id, kind))
    return rules.accuracy_level(
        scores,
        window=policy.accuracy_window,
        min_graded=policy.accuracy_min_graded,
        warn_below=policy.accuracy_warn_below,
        withhold_below=policy.accuracy_withhold_below,
        grant_at=policy.accuracy_grant_at,
        grant_graded=policy.accuracy_grant_graded,
    )


def after_gold(state: ServerState, contributor_id: str, kind: str, now: float) -> None:
    """Act on a newly graded gold question: withhold the kind, or grant its qualification."""
    policy = state.platform
    judged = level(state, contributor_id, kind)
    if judged.withhold and judged.mean is not None:
        if policy.accuracy_pause_minutes <= 0:
            return
        until = now + policy.accuracy_pause_minutes * 60
        name = kind_name(state, kind)
        reason = (
            f"Your accuracy on {name} test questions fell to {judged.mean:.0%} over the last "
            f"{judged.graded}, under {policy.accuracy_withhold_below:.0%}: new {name} bundles "
            f"are withheld until {when(until)}. Read the instructions again; your accuracy is "
            "measured afresh from now."
        )
        state.store.add_withholding(
            WithholdingRow(contributor_id, kind, reason, started_at=now, until=until)
        )
    elif judged.grant:
        qualification = demo_data.qualification_for_kind(state.registry, kind)
        if qualification is None:
            return
        if state.store.certificate(contributor_id, qualification.qualification_id) is None:
            state.store.put_certificate(
                CertificateRow(
                    contributor_id, qualification.qualification_id, now, judged.mean, "accuracy"
                )
            )


def report(state: ServerState, contributor_id: str) -> AccuracyReport:
    """The contributor's accuracy on every kind this server knows."""
    now = state.clock.now()
    return AccuracyReport(
        server_time=now,
        kinds=[
            kind_accuracy(state, contributor_id, kind.id, now.timestamp())
            for kind in state.registry
        ],
    )


def kind_accuracy(state: ServerState, contributor_id: str, kind: str, now: float) -> KindAccuracy:
    policy = state.platform
    judged = level(state, contributor_id, kind)
    running = [
        row.until for row in state.store.withholdings_of(contributor_id, kind) if row.until > now
    ]
    withheld_until = max(running) if running else None
    qualification = demo_data.qualification_for_kind(state.registry, kind)
    held = qualification is not None and (
        state.store.certificate(contributor_id, qualification.qualification_id) is not None
    )
    status = AccuracyStatus(judged.status)
    if withheld_until is not None:
        status = AccuracyStatus.WITHHELD
    return KindAccuracy(
        kind=kind,
        graded=judged.graded,
        mean_score=judged.mean,
        status=status,
        window=policy.accuracy_window,
        min_graded=policy.accuracy_min_graded,
        warn_below=policy.accuracy_warn_below,
        withhold_below=policy.accuracy_withhold_below,
        grant_at=policy.accuracy_grant_at,
        grant_graded=policy.accuracy_grant_graded if policy.accuracy_grant_at is not None else None,
        qualification=qualification.qualification_id if qualification else None,
        withheld_until=None if withheld_until is None else from_timestamp(withheld_until),
        consequence=_consequence(policy, kind, judged, status, withheld_until, qualification, held),
    )


def _consequence(
    policy: PlatformPolicy,
    kind: str,  # as messages name it
    judged: rules.AccuracyLevel,
    status: AccuracyStatus,
    withheld_until: float | None,
    qualification: demo_data.QualificationDef | None,
    held: bool,
) -> str:
    """One or two sentences for the contributor: where they stand, what it unlocks or risks."""
    floor = f"{policy.accuracy_withhold_below:.0%}"
    if status is AccuracyStatus.WITHHELD and withheld_until is not None:
        return (
            f"New {kind} bundles are withheld until {when(withheld_until)}: your accuracy on "
            f"its test questions fell under {floor}. It is measured afresh from then."
        )
    if status is AccuracyStatus.UNRATED:
        text = (
            f"{judged.graded} of {policy.accuracy_min_graded} test questions graded: your "
            f"{kind} accuracy is judged from {policy.accuracy_min_graded} on. Under {floor}, "
            f"new {kind} bundles are withheld for a while."
        )
    elif status is AccuracyStatus.AT_RISK:
        text = (
            f"Your {kind} accuracy is {judged.mean:.0%} over {judged.graded} test questions, "
            f"under {policy.accuracy_warn_below:.0%}: under {floor}, new {kind} bundles are "
            f"withheld for {policy.accuracy_pause_minutes / 60:g} h."
        )
    else:
        text = (
            f"Your {kind} accuracy is {judged.mean:.0%} over {judged.graded} test questions: "
            f"keep it at {floor} or more to keep getting {kind} bundles."
        )
    if qualification is not None and held:
        text += f" You hold the '{qualification.title}' qualification."
    elif qualification is not None and policy.accuracy_grant_at is not None:
        text += (
            f" {policy.accuracy_grant_at:.0%} or more over {policy.accuracy_grant_graded} test "
            f"questions earns the '{qualification.title}' qualification without its test."
        )
    return text
