"""What every campaign shares: its result, its counts, and the server it talks to."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

SCALE_VARIABLE = "OUVRAGE_RELIABILITY_SCALE"

# The counts of each campaign: in full (``python -m bench.reliability``) and in CI.
FULL_COUNTS: dict[str, dict[str, int]] = {
    "crash": {"kills": 200},
    "network": {"results": 1000},
    "hostile-bundles": {"rounds": 3},
    "fuzz": {"examples": 2000, "atheris_runs": 20_000},
    "disk-full": {"rounds": 5},
    "hostile-server": {"rounds": 3},
    "access": {"rounds": 3},
}
CI_COUNTS: dict[str, dict[str, int]] = {
    "crash": {"kills": 20},
    "network": {"results": 300},
    "hostile-bundles": {"rounds": 1},
    "fuzz": {"examples": 60, "atheris_runs": 0},
    "disk-full": {"rounds": 1},
    "hostile-server": {"rounds": 1},
    "access": {"rounds": 1},
}


def scale() -> float:
    """How much of the full counts to run: ``OUVRAGE_RELIABILITY_SCALE`` (0 means CI counts).

    "full" is 1.0; a number is a fraction of the full counts (never below the CI
    counts); unset or unreadable means the CI counts.
    """
    raw = os.environ.get(SCALE_VARIABLE, "").strip().lower()
    if raw == "full":
        return 1.0
    try:
        return max(0.0, float(raw)) if raw else 0.0
    except ValueError:
        return 0.0


def count(full: int, ci: int) -> int:
    """The count to run now: ``ci`` by default, a share of ``full`` when asked for more."""
    wanted = scale()
    return ci if wanted <= 0 else max(ci, round(full * wanted))


def counts(campaign: str) -> dict[str, int]:
    """The keyword arguments of ``campaign`` at the scale asked for (see ``scale``)."""
    ci = CI_COUNTS[campaign]
    return {name: count(full, ci[name]) for name, full in FULL_COUNTS[campaign].items()}


@dataclass
class CampaignResult:
    """What one campaign did and found.

    ``tried`` counts the faults or inputs by name; ``lost``, ``duplicated`` and
    ``leaked`` count broken promises (all must be 0); ``errors`` describes each
    broken promise (or a crash of the campaign itself); ``figures`` holds what
    else is worth reporting (times, bytes, messages seen).
    """

    campaign: str
    title: str
    trials: int = 0
    tried: Counter[str] = field(default_factory=Counter)
    lost: int = 0
    duplicated: int = 0
    leaked: int = 0
    errors: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def clean(self) -> bool:
        return not (self.lost or self.duplicated or self.leaked or self.errors)

    def fail(self, message: str) -> None:
        """Record a broken promise that is not a loss, a duplicate or a leak by itself."""
        if len(self.errors) < 200:  # enough to debug; a report must stay readable
            self.errors.append(message)

    def as_dict(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "title": self.title,
            "trials": self.trials,
            "tried": dict(sorted(self.tried.items())),
            "lost": self.lost,
            "duplicated": self.duplicated,
            "leaked": self.leaked,
            "errors": list(self.errors),
            "figures": dict(self.figures),
            "seconds": round(self.seconds, 1),
        }

    def summary(self) -> str:
        """One line for assertion messages."""
        head = (
            f"{self.campaign}: {self.trials} trials, lost {self.lost}, duplicated "
            f"{self.duplicated}, leaked {self.leaked}, {len(self.errors)} errors"
        )
        return head + "".join(f"\n  - {e}" for e in self.errors[:20])


@contextmanager
def timed(result: CampaignResult) -> Iterator[CampaignResult]:
    """Time the campaign; an exception escaping it is recorded, not raised."""
    started = time.perf_counter()
    try:
        yield result
    except Exception as exc:  # noqa: BLE001 - a campaign that crashes is a finding too
        result.fail(f"the campaign itself failed: {type(exc).__name__}: {exc}")
    finally:
        result.seconds = time.perf_counter() - started


def one_line(message: str) -> bool:
    """A message a contributor can read: one line, a full sentence, no traceback."""
    return (
        bool(message.strip())
        and "\n" not in message
        and "Traceback" not in message
        and message.rstrip().endswith((".", "!", "?", ")"))
    )
