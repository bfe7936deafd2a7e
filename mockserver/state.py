"""Everything a running mock server holds: its options, database, clock, faults and kinds."""

from __future__ import annotations

import random
import secrets
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from mockserver.clock import ServerClock
from mockserver.faults import FaultController
from mockserver.store import MockStore
from sync.protocol_admin import FaultSettings, PlatformPolicy
from taskkinds import Registry, default_registry

DATABASE_NAME = "mockserver.sqlite3"
BUNDLES_FOLDER = "bundles"


@dataclass(frozen=True)
class ServerOptions:
    """How the mock server behaves; every field has the default a tester expects.

    ``faults`` None keeps the faults stored in the data dir (none at first);
    ``registry`` None uses the built-in kinds (tests pass one with a fake kind);
    ``publish_demo`` publishes the demo catalogue when the data dir is new, with
    ``qualified_copies`` more copies of each demo spec that need its kind's
    qualification. ``rotation``, ``gold_rate`` and ``fatigue_*`` start the
    platform policy (see ``PlatformPolicy``) unless ``policy`` gives all of it;
    an admin may change it while the server runs.
    """

    server_name: str = "Ouvrage mock server"
    currency: str = "EUR"
    annual_cap: Decimal = Decimal("3000")
    rotation: int = 3  # at most this many consecutive claims of one kind; 0 = no limit
    gold_rate: float = 0.05  # share of each demo bundle's tasks that are gold questions
    fatigue_results: int = 0  # results of one kind within the window that pause it; 0 = off
    fatigue_window_minutes: float = 60.0
    fatigue_pause_minutes: float = 30.0
    policy: PlatformPolicy | None = None
    qualified_copies: int = 1
    lease_seconds: int = 2 * 86_400
    largest_batch: int = 500
    largest_upload_bytes: int = 32 * 2**20
    token_seconds: int | None = None  # None: tokens last until signed out or expired by admin
    seed: int | None = None
    admin_token: str | None = None  # None: a random one
    demo_copies: int = 4
    publish_demo: bool = True
    faults: FaultSettings | None = None
    registry: Registry | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "annual_cap", Decimal(str(self.annual_cap)))
        if self.lease_seconds < 60:
            raise ValueError("lease_seconds must be at least 60")
        if not 1 <= self.largest_batch <= 10_000:
            raise ValueError("largest_batch must be between 1 and 10,000")
        if self.largest_upload_bytes < 1024:
            raise ValueError("largest_upload_bytes must be at least 1024")
        if self.annual_cap < 0:
            raise ValueError("annual_cap cannot be negative")
        if self.qualified_copies < 0:
            raise ValueError("qualified_copies cannot be negative")
        self.initial_policy()  # raises ValueError (a pydantic ValidationError) if out of range

    def initial_policy(self) -> PlatformPolicy:
        if self.policy is not None:
            return self.policy
        return PlatformPolicy(
            rotation=self.rotation,
            gold_rate=self.gold_rate,
            fatigue_results=self.fatigue_results,
            fatigue_window_minutes=self.fatigue_window_minutes,
            fatigue_pause_minutes=self.fatigue_pause_minutes,
        )


class PolicyHolder:
    """The platform policy in force; admins replace it while requests read it."""

    def __init__(self, policy: PlatformPolicy) -> None:
        self._policy = policy
        self._lock = threading.Lock()

    @property
    def current(self) -> PlatformPolicy:
        with self._lock:
            return self._policy

    def set(self, policy: PlatformPolicy) -> PlatformPolicy:
        with self._lock:
            self._policy = policy
        return policy


@dataclass
class ServerState:
    data_dir: Path
    options: ServerOptions
    store: MockStore
    clock: ServerClock
    faults: FaultController
    registry: Registry
    admin_token: str
    policy: PolicyHolder = field(default_factory=lambda: PolicyHolder(PlatformPolicy()))
    # Which tasks become gold questions; seeded with the faults for reproducible runs.
    rng: random.Random = field(default_factory=random.Random)

    @property
    def platform(self) -> PlatformPolicy:
        """The platform policy in force now."""
        return self.policy.current

    @property
    def bundles_dir(self) -> Path:
        return self.data_dir / BUNDLES_FOLDER

    def close(self) -> None:
        self.store.close()


def open_state(data_dir: Path, options: ServerOptions | None = None) -> ServerState:
    """Open (or create) the server's data dir and return its state.

    A new data dir gets the demo contributors and, with ``publish_demo``, the
    demo catalogue. Raises ``OSError`` if the folder cannot be written and
    ``sqlite3.Error`` if the database is unreadable.
    """
    from mockserver import accounts, catalogue  # they need the state type

    options = options or ServerOptions()
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / BUNDLES_FOLDER).mkdir(exist_ok=True)
    store = MockStore(data_dir / DATABASE_NAME)
    clock = ServerClock(
        store.get_setting("clock_offset", 0.0),
        on_change=lambda offset: store.set_setting("clock_offset", offset),
    )
    if options.faults is not None:
        store.set_setting("faults", options.faults.model_dump(mode="json"))
    faults = FaultController(
        FaultSettings.model_validate(store.get_setting("faults", {})),
        seed=options.seed,
        on_change=lambda settings: store.set_setting("faults", settings.model_dump(mode="json")),
    )
    state = ServerState(
        data_dir=data_dir,
        options=options,
        store=store,
        clock=clock,
        faults=faults,
        registry=options.registry or default_registry(),
        admin_token=options.admin_token or secrets.token_urlsafe(18),
        policy=PolicyHolder(options.initial_policy()),
        rng=random.Random(options.seed),
    )
    if not store.get_setting("initialised", False):
        accounts.ensure_demo_contributors(store)
        if options.publish_demo:
            catalogue.publish_demo_catalogue(state)
        store.set_setting("initialised", True)
    return state
