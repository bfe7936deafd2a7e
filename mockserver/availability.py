"""What keeps a contributor from claiming a bundle now: a missing qualification, or
the platform withholding its kind (low accuracy, fatigue, rotation).

The catalogue shows these reasons and a claim is refused by them, from the same
``Availability``, so what a contributor reads is what a claim does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockserver import demo_data, rules
from mockserver.clock import from_timestamp
from mockserver.records import BundleRow
from sync.protocol import ErrorCode

if TYPE_CHECKING:
    from mockserver.state import ServerState

# Fatigue looks this many (window + pause) spans back: older results cannot matter now.
_FATIGUE_SPANS = 3


@dataclass(frozen=True)
class Block:
    """Why a claim is refused: ``until`` is the server time (POSIX) it ends, if known."""

    code: ErrorCode
    message: str
    until: float | None = None


def when(stamp: float) -> str:
    """A server time as messages show it."""
    return from_timestamp(stamp).strftime("%Y-%m-%d %H:%M UTC")


def kind_name(state: ServerState, kind: str) -> str:
    """A kind as messages name it: its title in running text ("photo clipping")."""
    title = state.registry.get(kind).title if kind in state.registry else kind
    return title[:1].lower() + title[1:]


class Availability:
    """One contributor's locks and withheld kinds at ``now``, given the bundles on offer.

    Computed lazily and kept for the request; build a new one for each request.
    """

    def __init__(
        self, state: ServerState, contributor_id: str, offered: Sequence[BundleRow], now: float
    ) -> None:
        self.state = state
        self.contributor_id = contributor_id
        self.offered = list(offered)
        self.now = now
        self._certified: dict[str, bool] = {}
        self._withheld: dict[str, Block | None] = {}
        self._blocks: dict[str, Block | None] = {}

    def qualification_block(self, bundle: BundleRow) -> Block | None:
        """``qualification_needed`` when the bundle needs a qualification not held."""
        qualification_id = bundle.qualification_id
        if qualification_id is None or self._holds(qualification_id):
            return None
        definition = demo_data.qualification_def(self.state.registry, qualification_id)
        title = definition.title if definition else qualification_id
        return Block(
            ErrorCode.QUALIFICATION_NEEDED,
            f"The bundle '{bundle.bundle_id}' is for contributors with the '{title}' "
            f"qualification ('{qualification_id}'). Pass its test (see your qualifications), "
            "then claim the bundle again.",
        )

    def kind_block(self, kind: str) -> Block | None:
        """Why bundles of ``kind`` are withheld now (accuracy, fatigue, then rotation)."""
        if kind not in self._blocks:
            block = self._withheld_for(kind)
            if block is None:
                block = self._rotation_block(kind)
            self._blocks[kind] = block
        return self._blocks[kind]

    # --- the rules -------------------------------------------------------------------

    def _holds(self, qualification_id: str) -> bool:
        if qualification_id not in self._certified:
            found = self.state.store.certificate(self.contributor_id, qualification_id)
            self._certified[qualification_id] = found is not None
        return self._certified[qualification_id]

    def _withheld_for(self, kind: str) -> Block | None:
        """Accuracy or fatigue: the kind is paused until a time."""
        if kind not in self._withheld:
            self._withheld[kind] = self._accuracy_block(kind) or self._fatigue_block(kind)
        return self._withheld[kind]

    def _accuracy_block(self, kind: str) -> Block | None:
        running = [
            row
            for row in self.state.store.withholdings_of(self.contributor_id, kind)
            if row.until > self.now
        ]
        if not running:
            return None
        latest = max(running, key=lambda row: row.until)
        return Block(ErrorCode.ACCURACY_TOO_LOW, latest.reason, latest.until)

    def _fatigue_block(self, kind: str) -> Block | None:
        policy = self.state.platform
        if policy.fatigue_results <= 0 or policy.fatigue_pause_minutes <= 0:
            return None
        window_s = policy.fatigue_window_minutes * 60
        pause_s = policy.fatigue_pause_minutes * 60
        since = max(
            self.state.store.fresh_start(self.contributor_id, kind),
            self.now - _FATIGUE_SPANS * (window_s + pause_s),
        )
        times = self.state.store.result_times(self.contributor_id, kind, since)
        until = rules.fatigue_until(times, policy.fatigue_results, window_s, pause_s, self.now)
        if until is None:
            return None
        name = kind_name(self.state, kind)
        return Block(
            ErrorCode.ROTATION,
            f"You sent {policy.fatigue_results} {name} results within "
            f"{policy.fatigue_window_minutes:g} minutes. New {name} bundles are paused until "
            f"{when(until)} so you can rest or switch to another kind.",
            until,
        )

    def _rotation_block(self, kind: str) -> Block | None:
        limit = self.state.platform.rotation
        if limit <= 0:
            return None
        since = self.state.store.fresh_start(self.contributor_id, kind)
        recent = self.state.store.recent_claim_kinds(self.contributor_id, limit, since)
        # Only kinds the contributor could claim now count as somewhere else to go.
        elsewhere = {
            bundle.kind
            for bundle in self.offered
            if bundle.kind != kind
            and self.qualification_block(bundle) is None
            and self._withheld_for(bundle.kind) is None
        }
        if not rules.rotation_blocks(recent, kind, elsewhere, limit):
            return None
        return Block(
            ErrorCode.ROTATION,
            f"Your last {limit} bundles were all {kind_name(self.state, kind)}. "
            "Claim a bundle of another kind first.",
        )
