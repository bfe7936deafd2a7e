"""The ledger: earnings pages from a cursor, reviews, payouts and bonuses.

Every change to an entry gives it the next number of one change sequence, so
"what changed after cursor N" is simply the entries numbered above N, and an
entry whose status changes reappears with its new state. A cursor is
``<epoch>.<number>``; a cursor from another epoch (or garbage) starts again
from zero with ``reset``.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from mockserver.accounts import require_contributor
from mockserver.clock import from_timestamp
from mockserver.records import LedgerRow
from mockserver.submissions import new_entry_id
from sync.protocol import EarningsPage, LedgerEntry, LedgerKind, LedgerStatus
from sync.protocol_admin import (
    BonusRequest,
    PayoutResponse,
    ReviewRequest,
    ReviewResponse,
)

if TYPE_CHECKING:
    from mockserver.state import ServerState

DEFAULT_PAGE = 200
LARGEST_PAGE = 1_000
_REVIEWABLE = {
    LedgerStatus.APPROVED: {LedgerStatus.PENDING.value, LedgerStatus.REJECTED.value},
    LedgerStatus.REJECTED: {LedgerStatus.PENDING.value, LedgerStatus.APPROVED.value},
}


def parse_cursor(cursor: str | None, epoch: str, last_seq: int) -> tuple[int, bool]:
    """The change number a cursor stands for, and whether the client must start again.

    No cursor starts from zero without reset; a cursor of another epoch, one
    that does not parse, or one beyond the last change gives ``(0, True)``.
    """
    if not cursor:
        return 0, False
    cursor_epoch, dot, number = cursor.rpartition(".")
    if not dot or cursor_epoch != epoch or not number.isdigit():
        return 0, True
    seq = int(number)
    return (seq, False) if seq <= last_seq else (0, True)


def earnings_page(
    state: ServerState, contributor_id: str, cursor: str | None, limit: int = DEFAULT_PAGE
) -> EarningsPage:
    """The contributor's ledger changes after ``cursor``, oldest change first."""
    store = state.store
    with store.transaction():  # the page and the cursor describe one moment
        epoch = str(store.get_setting("epoch"))
        last = store.last_seq()
        seq, reset = parse_cursor(cursor, epoch, last)
        rows = store.ledger_after(contributor_id, seq, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_seq = rows[-1].seq if more else last
    return EarningsPage(
        entries=[ledger_entry(row) for row in rows],
        cursor=f"{epoch}.{next_seq}",
        more=more,
        reset=reset,
    )


def reset_cursors(state: ServerState) -> str:
    """Start a new epoch: every client's next pull gets ``reset`` and all its entries."""
    epoch = secrets.token_hex(4)
    state.store.set_setting("epoch", epoch)
    return epoch


def ledger_entry(row: LedgerRow) -> LedgerEntry:
    return LedgerEntry(
        entry_id=row.entry_id,
        kind=LedgerKind(row.kind),
        status=LedgerStatus(row.status),
        amount=Decimal(row.amount),
        currency=row.currency,
        bundle_id=row.bundle_id,
        task_id=row.task_id,
        task_kind=row.task_kind,
        idempotency_key=UUID(row.idempotency_key) if row.idempotency_key else None,
        reason=row.reason,
        occurred_at=from_timestamp(row.occurred_at),
        updated_at=from_timestamp(row.updated_at),
        active_seconds=row.active_seconds,
    )


def review(state: ServerState, request: ReviewRequest, status: LedgerStatus) -> ReviewResponse:
    """Approve or reject accepted results' rewards; paid ones never change.

    Returns the ids of the entries whose status changed.
    """
    store = state.store
    if request.contributor_id and request.all_pending:
        require_contributor(state, request.contributor_id)
    reason = None
    if status is LedgerStatus.REJECTED:
        reason = request.reason or "Rejected by the reviewer."
    changed = []
    with store.transaction():
        now = state.clock.timestamp()
        entries = store.reward_entries(
            keys=[str(key) for key in request.idempotency_keys],
            tasks=[(ref.bundle_id, ref.task_id) for ref in request.tasks],
            pending_of=request.contributor_id if request.all_pending else None,
        )
        for entry in entries:
            if entry.status in _REVIEWABLE[status]:
                store.set_entry_status(entry.entry_id, status.value, reason, now)
                changed.append(entry.entry_id)
    return ReviewResponse(changed=changed, status=status)


def pay_out(state: ServerState, contributor_id: str) -> PayoutResponse:
    """Pay every approved reward and bonus: they become ``paid`` and one negative
    ``payout`` entry records the transfer. Nothing approved gives amount 0 and no entry."""
    require_contributor(state, contributor_id)
    store = state.store
    with store.transaction():
        now = state.clock.timestamp()
        approved = store.approved_entries(contributor_id)
        if not approved:
            return PayoutResponse(amount=Decimal(0), paid_entries=0)
        total = sum((Decimal(entry.amount) for entry in approved), Decimal(0))
        for entry in approved:
            store.set_entry_status(entry.entry_id, LedgerStatus.PAID.value, entry.reason, now)
        payout = store.add_ledger_entry(
            _money_entry(
                state, contributor_id, LedgerKind.PAYOUT, LedgerStatus.PAID, -total, "Payout", now
            )
        )
    return PayoutResponse(amount=total, paid_entries=len(approved), entry=ledger_entry(payout))


def add_bonus(state: ServerState, request: BonusRequest) -> LedgerEntry:
    """A bonus, approved at once (so the next payout includes it)."""
    require_contributor(state, request.contributor_id)
    now = state.clock.timestamp()
    row = state.store.add_ledger_entry(
        _money_entry(
            state,
            request.contributor_id,
            LedgerKind.BONUS,
            LedgerStatus.APPROVED,
            request.amount,
            request.reason,
            now,
        )
    )
    return ledger_entry(row)


def _money_entry(
    state: ServerState,
    contributor_id: str,
    kind: LedgerKind,
    status: LedgerStatus,
    amount: Decimal,
    reason: str,
    now: float,
) -> LedgerRow:
    return LedgerRow(
        entry_id=new_entry_id(),
        seq=0,
        contributor_id=contributor_id,
        kind=kind.value,
        status=status.value,
        amount=str(amount),
        currency=state.options.currency,
        bundle_id=None,
        task_id=None,
        task_kind=None,
        idempotency_key=None,
        reason=reason,
        occurred_at=now,
        updated_at=now,
    )
