"""Where a contributor's profile lives on disk. Qt-free."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "Ouvrage"
DB_FILENAME = "ouvrage.sqlite3"


def data_root() -> Path:
    """The platform's per-user data folder for Ouvrage (XDG, AppData, Application Support)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_profile_dir() -> Path:
    return data_root() / "default"


def demo_profile_dir() -> Path:
    return data_root() / "demo"


@dataclass(frozen=True)
class Profile:
    """One contributor's folder: the database, and verified media beside it."""

    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / DB_FILENAME

    @property
    def bundles_dir(self) -> Path:
        return self.root / "bundles"

    def bundle_dir(self, bundle_id: str) -> Path:
        return self.bundles_dir / bundle_id

    def ensure(self) -> Profile:
        """Create the folders and clear imports a crash left half-done."""
        self.bundles_dir.mkdir(parents=True, exist_ok=True)
        for leftover in self.bundles_dir.glob(".incoming-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        return self
