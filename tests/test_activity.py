"""Active time, break reminders and runs of one kind, on a simulated clock."""

from __future__ import annotations

import pytest

from app.activity import BreakReminder, KindRun, TaskTimer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_idle_time_is_not_active_time() -> None:
    clock = Clock()
    timer = TaskTimer(idle_after_s=60, clock=clock)
    timer.start("t1")
    for _ in range(10):  # typing every 10 s for 100 s
        clock.advance(10)
        timer.activity()
    clock.advance(600)  # lunch, the task left open
    timer.activity()
    clock.advance(20)
    measured = timer.stop()
    assert measured is not None and measured.key == "t1"
    # 100 s of typing, then only 60 s of the 600 s gap, then the last 20 s.
    assert measured.active_s == pytest.approx(180)
    assert measured.spent_s == pytest.approx(720)


def test_time_without_focus_does_not_count() -> None:
    clock = Clock()
    timer = TaskTimer(idle_after_s=60, clock=clock)
    timer.start("t1")
    clock.advance(30)
    timer.set_focused(False)  # the contributor reads mail in another window
    clock.advance(40)
    timer.activity()  # activity elsewhere is not this task's
    clock.advance(40)
    timer.set_focused(True)
    clock.advance(5)
    timer.activity()
    measured = timer.current()
    assert measured is not None
    assert measured.active_s == pytest.approx(35) and measured.spent_s == pytest.approx(115)


def test_starting_another_task_returns_the_previous_ones_time() -> None:
    clock = Clock()
    timer = TaskTimer(clock=clock)
    assert timer.start("t1") is None
    clock.advance(12)
    timer.activity()
    previous = timer.start("t2")
    assert previous is not None and (previous.key, previous.active_s) == ("t1", 12)
    assert timer.key == "t2" and timer.stop() is not None and timer.stop() is None


def test_a_break_reminder_fires_after_continuous_work_and_snoozes() -> None:
    clock = Clock()
    reminder = BreakReminder(work_minutes=50, snooze_minutes=10, rest_minutes=5, clock=clock)
    for _ in range(49):
        reminder.activity()
        clock.advance(60)
    reminder.activity()
    assert not reminder.due()
    clock.advance(60)
    reminder.activity()
    assert reminder.due()
    reminder.snooze()
    for _ in range(9):  # still working through the snooze
        clock.advance(60)
        reminder.activity()
        assert not reminder.due()
    clock.advance(60)
    reminder.activity()
    assert reminder.due()


def test_a_pause_counts_as_a_break_and_starts_the_count_again() -> None:
    clock = Clock()
    reminder = BreakReminder(work_minutes=50, rest_minutes=5, clock=clock)
    for _ in range(40):
        reminder.activity()
        clock.advance(60)
    clock.advance(6 * 60)  # a six-minute pause
    reminder.activity()
    for _ in range(20):
        clock.advance(60)
        reminder.activity()
    assert not reminder.due() and reminder.worked_s() == pytest.approx(20 * 60)


def test_a_long_run_of_one_kind_suggests_a_change_once() -> None:
    run = KindRun(suggest_after=3)
    assert [run.submitted("translation") for _ in range(4)] == [False, False, True, False]
    assert run.submitted("photo_clip") is False and run.count == 1
