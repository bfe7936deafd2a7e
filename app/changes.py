"""Task states and the "what changed" value mutations return. Light: no database import."""

from __future__ import annotations

from dataclasses import dataclass

TASK_STATES = ("new", "draft", "queued", "sent", "accepted", "rejected")
# Once a result is in the outbox the task's text is frozen.
SUBMITTED_STATES = frozenset({"queued", "sent", "accepted", "rejected"})
OUTBOX_STATES = ("queued", "sent", "accepted", "rejected")


@dataclass(frozen=True)
class Change:
    """What a mutation touched, so each view refreshes only what it shows."""

    bundles: bool = False
    tasks: frozenset[str] = frozenset()
    outbox: bool = False
    drafts: bool = False
    settings: frozenset[str] = frozenset()

    def __or__(self, other: Change) -> Change:
        return Change(
            bundles=self.bundles or other.bundles,
            tasks=self.tasks | other.tasks,
            outbox=self.outbox or other.outbox,
            drafts=self.drafts or other.drafts,
            settings=self.settings | other.settings,
        )
