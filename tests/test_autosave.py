"""Drafts are saved soon after typing stops, and at least once a second while it goes on."""

from __future__ import annotations

import time

from app.autosave import DraftAutosaver


def test_quiet_typing_is_saved_after_a_short_pause(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[tuple[str, dict]] = []
    saver = DraftAutosaver(lambda key, content: saved.append((key, content)), quiet_ms=100)
    saver.edited("t1", {"text": "a"})
    saver.edited("t1", {"text": "ab"})
    assert saved == []
    qtbot.waitUntil(lambda: saved == [("t1", {"text": "ab"})], timeout=1000)


def test_continuous_typing_is_saved_at_least_every_max_interval(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: list[float] = []
    saver = DraftAutosaver(
        lambda key, content: saved.append(time.monotonic()), quiet_ms=300, max_ms=500
    )
    start = time.monotonic()
    text = ""
    while time.monotonic() - start < 1.6:
        text += "x"
        saver.edited("t1", {"text": text})
        qtbot.wait(50)  # a keystroke every 50 ms never leaves a 300 ms pause
    # Typing never paused for 300 ms, yet drafts were saved along the way, not only at the end.
    assert len(saved) >= 2


def test_flush_saves_every_task_at_once_and_discard_forgets(qtbot) -> None:  # type: ignore[no-untyped-def]
    saved: dict[str, dict] = {}
    saver = DraftAutosaver(lambda key, content: saved.__setitem__(key, content), quiet_ms=10_000)
    saver.edited("a", {"n": 1})
    saver.edited("b", {"n": 2})
    saver.edited("c", {"n": 3})
    saver.discard("c")
    saver.flush()
    assert saved == {"a": {"n": 1}, "b": {"n": 2}}
    assert not saver.dirty
