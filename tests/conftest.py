from __future__ import annotations

import os

# Before any Qt import: the machines that run the tests have no screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Windows started by the tests (``python -m app`` included) speak English whatever the
# machine's language; tests/test_i18n.py asks for French where it wants it.
os.environ.setdefault("OUVRAGE_LANG", "en")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app.profile import Profile  # noqa: E402
from app.store import Store  # noqa: E402
from tests.factories import translation_bundle  # noqa: E402


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    return Profile(tmp_path / "profile").ensure()


@pytest.fixture
def store(profile: Profile):
    store = Store(profile.db_path)
    yield store
    store.close()


@pytest.fixture
def bundle_file(tmp_path: Path) -> Path:
    """A small, valid translation bundle on disk (outside the profile)."""
    return translation_bundle(tmp_path / "incoming" / "b-test.zip")
