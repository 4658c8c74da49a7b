"""The polling schedule on an injected clock, and ``poll_until``'s loop (the emulator cases: tests/exports)."""

from __future__ import annotations

import doctest
import itertools
import math
import time
from collections.abc import Callable
from typing import Any

import pytest

from alabelbox import ApiLimitError, ExportTimeoutError, InvalidArgumentError
from alabelbox import TimeoutError as LabelboxTimeoutError
from alabelbox._polling import PollSchedule, poll_until


def test_the_docstring_example_holds() -> None:
    # alabelbox._polling is private, so tests/test_docstring_examples.py does not reach it.
    found = doctest.DocTestFinder().find(PollSchedule, "PollSchedule", globs={"PollSchedule": PollSchedule})
    (test,) = [t for t in found if t.examples]
    assert doctest.DocTestRunner().run(test).failed == 0


def simulate(schedule: PollSchedule, finish: float, progress: Callable[[float], float | None]) -> list[float]:
    """The times (seconds waited) at which a task finishing at ``finish`` is polled; the last one sees it done."""
    now = 0.0
    polls = []
    while True:
        polls.append(now)
        if now >= finish:
            return polls
        schedule.observe(now, progress(now))
        now += schedule.next_delay(now)
        assert len(polls) < 10_000


def linear(finish: float) -> Callable[[float], float]:
    return lambda t: min(99.0, 100.0 * t / finish)


@pytest.mark.parametrize("finish", [0.4, 3.0, 17.0, 60.0, 600.0, 3600.0])
@pytest.mark.parametrize("reports", ["linear", "stuck", "none"])
def test_a_finished_task_is_noticed_within_the_bound(finish: float, reports: str) -> None:
    progress: dict[str, Callable[[float], float | None]] = {
        "linear": linear(finish),
        "stuck": lambda t: 99.0,  # says 99 % from the start: the prediction is always early
        "none": lambda t: None,
    }
    schedule = PollSchedule()
    polls = simulate(schedule, finish, progress[reports])
    late = polls[-1] - finish
    assert 0 <= late <= max(1.0, 0.1 * finish) + 1e-9
    # Not hammering: never two looks closer than min_interval, and few looks in all.
    assert min(b - a for a, b in itertools.pairwise(polls)) >= schedule.min_interval - 1e-9
    assert len(polls) <= 3 + min(finish, 10.0) + 11 * math.log(max(1.0, min(finish, 150.0) / 10)) + finish / 15


def test_progress_predicts_the_end_so_it_is_noticed_at_once() -> None:
    polls = simulate(PollSchedule(), 17.0, linear(17.0))
    assert polls[-1] - 17.0 <= 0.05 * 17.0 * 0.2 + 0.1  # a fraction of the 1.7 s bound: the prediction hit
    polls_blind = simulate(PollSchedule(), 17.0, lambda t: None)
    assert polls[-1] < polls_blind[-1]


def test_a_long_wait_costs_few_polls() -> None:
    polls = simulate(PollSchedule(), 3600.0, lambda t: None)
    assert len(polls) < 300  # the SDK's 2 s polling takes 1,800; a fixed 1 s, 3,600
    assert max(b - a for a, b in itertools.pairwise(polls)) <= 15.0 + 1e-9  # max_interval


def test_a_rate_limit_pushes_the_next_poll_past_retry_after_and_slows_down() -> None:
    schedule = PollSchedule()
    schedule.observe(0.0, None)
    assert schedule.next_delay(0.0) == 1.0
    schedule.rate_limited(1.0, 5.0)
    assert schedule.next_delay(1.0) == 5.0  # Retry-After wins over the 2 s stretched bound
    assert schedule.bound(1.0) == 2.0
    schedule.rate_limited(6.0, None)
    assert schedule.next_delay(6.0) == 4.0  # stretched twice
    schedule.observe(10.0, None)
    assert schedule.next_delay(10.0) == 2.0  # an answered poll halves the stretch
    schedule.observe(12.0, None)
    assert schedule.next_delay(12.0) == pytest.approx(1.2)
    for _ in range(10):
        schedule.rate_limited(20.0, None)
    assert schedule.bound(20.0) == 8 * 2.0  # the stretch stops at 8


def test_a_task_going_back_resets_the_prediction() -> None:
    schedule = PollSchedule()
    for t, p in [(0.0, 0.0), (1.0, 50.0), (2.0, 10.0)]:
        schedule.observe(t, p)
    assert schedule.predicted_finish() is None
    schedule.observe(3.0, 20.0)
    assert schedule.predicted_finish() == pytest.approx(3.0 + 80 / 10)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"notice": 0}, "notice: must be a number of seconds > 0, got 0"),
        ({"min_interval": -1.0}, "min_interval: must be a number of seconds > 0, got -1.0"),
        ({"max_interval": True}, "max_interval: must be a number of seconds > 0, got True"),
        ({"fraction": 1.0}, "fraction: must be >= 0 and < 1, got 1.0"),
        ({"notice": 20.0}, "needs min_interval <= notice <= max_interval, got 0.25, 20.0 and 15.0"),
    ],
)
def test_bad_schedules_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        PollSchedule(**options)


# -- poll_until ------------------------------------------------------------------------------------------------------

FAST = {"notice": 0.01, "min_interval": 0.01, "max_interval": 0.05}


async def test_poll_until_returns_the_first_done_state_and_reports_each() -> None:
    states = iter([1, 2, 3, 4])
    seen: list[int] = []

    async def fetch() -> int:
        return next(states)

    async def record(state: int) -> None:
        seen.append(state)

    got = await poll_until(fetch, lambda s: s == 3, wait_timeout=5, on_progress=record, schedule=PollSchedule(**FAST))
    assert got == 3 and seen == [1, 2, 3]


async def test_poll_until_waits_out_a_429_and_goes_on() -> None:
    calls: list[float] = []

    async def fetch() -> str:
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise ApiLimitError("slow down", retry_after=0.2)
        return "done"

    assert await poll_until(fetch, lambda s: s == "done", wait_timeout=5, schedule=PollSchedule(**FAST)) == "done"
    assert calls[1] - calls[0] >= 0.2


async def test_poll_until_raises_the_callers_timeout_error_with_the_last_state() -> None:
    async def fetch() -> str:
        return "running"

    def on_timeout(last: str | None, seconds: float) -> Exception:
        return ExportTimeoutError(f"still {last} after {seconds} s")

    with pytest.raises(ExportTimeoutError, match=r"still running after 0.1 s"):
        await poll_until(fetch, lambda s: False, wait_timeout=0.1, on_timeout=on_timeout, schedule=PollSchedule(**FAST))
    with pytest.raises(LabelboxTimeoutError, match=r"the task was still running after 0.1 s"):
        await poll_until(fetch, lambda s: False, wait_timeout=0.1, schedule=PollSchedule(**FAST))


async def test_a_request_timeout_inside_is_not_taken_for_the_wait_running_out() -> None:
    async def fetch() -> str:
        raise LabelboxTimeoutError("the request timed out")

    with pytest.raises(LabelboxTimeoutError, match="the request timed out"):
        await poll_until(fetch, lambda s: False, wait_timeout=5)


@pytest.mark.parametrize("bad", [0, -1.0, True])
async def test_a_bad_wait_timeout_is_refused(bad: Any) -> None:
    async def fetch() -> str:  # pragma: no cover - never called
        return "x"

    with pytest.raises(InvalidArgumentError, match="wait_timeout: must be > 0 or None"):
        await poll_until(fetch, lambda s: True, wait_timeout=bad)
