"""The adaptive offset window: its rule on given latencies, and the paginator following it."""

from __future__ import annotations

import asyncio
import doctest
import statistics
from typing import Any

import pytest

from alabelbox import InvalidArgumentError
from alabelbox._pagination import DEFAULT_WINDOW, INITIAL_WINDOW, Paginator, _OffsetPages
from alabelbox._window import AdaptiveWindow


def test_the_docstring_example_holds() -> None:
    # alabelbox._window is private, so tests/test_docstring_examples.py does not reach it.
    finder = doctest.DocTestFinder()
    found = finder.find(AdaptiveWindow, "AdaptiveWindow", globs={"AdaptiveWindow": AdaptiveWindow})
    (test,) = [t for t in found if t.examples]
    assert doctest.DocTestRunner().run(test).failed == 0


def test_slow_start_doubles_per_round_trip_up_to_the_pool() -> None:
    window = AdaptiveWindow(initial=4, maximum=32)
    sizes = []
    for _ in range(3):  # three round trips, each with a window's worth of answers
        for _ in range(window.size):
            window.record(0.030)
        sizes.append(window.size)
    assert sizes == [8, 16, 32]
    for _ in range(100):
        window.record(0.030)
    assert window.size == 32  # never above the pool


def test_a_slow_answer_cuts_once_per_round_trip_then_growth_is_additive() -> None:
    window = AdaptiveWindow(initial=20, maximum=32)
    window.record(0.030)
    window.record(0.200)  # 6.7x the round trip: requests queue somewhere
    assert window.size == 14  # 21 * 0.7
    for _ in range(10):
        window.record(0.200)  # answers sent at the old size: no cut again in this round trip
    assert window.size == 14
    for _ in range(14):
        window.record(0.030)
    assert window.size == 15  # a round trip of answers (14 steps of about 1/15) adds about one page


def test_a_round_trip_of_fast_answers_after_a_cut_is_back_to_slow_start() -> None:
    window = AdaptiveWindow(initial=20, maximum=32)
    window.record(0.030)
    window.record(0.200)
    for _ in range(14):
        window.record(0.030)
    assert window.size == 15
    sizes = []
    for _ in range(15):  # the slowness has passed: the next round trip doubles the window, as at the start
        window.record(0.030)
        sizes.append(window.size)
    assert sizes == list(range(16, 31))


def test_a_round_trip_with_a_queued_answer_stays_additive() -> None:
    window = AdaptiveWindow(initial=20, maximum=32)
    window.record(0.030)
    window.record(0.200)
    assert window.size == 14
    for _ in range(4):
        for k in range(14):
            # One answer in each round trip is 2x the round trip: some queueing, neither growth nor a cut.
            window.record(0.060 if k == 7 else 0.030)
    assert window.size == 17  # about a page per round trip, never doubling


def test_the_round_trip_is_the_fastest_answer_of_the_walk_so_far() -> None:
    # A window that has filled a busy server sees only queued answers; it must not take them for the round trip.
    window = AdaptiveWindow(initial=8, maximum=32)
    window.record(0.050)
    for _ in range(200):
        window.record(0.400)  # 8x: queued; cut once per round trip, down to the floor
    assert window.base == 0.050
    assert window.size == 1


def test_jitter_and_moderate_slowness_are_no_signal() -> None:
    window = AdaptiveWindow(initial=8, maximum=32)
    window.record(0.002)
    window.record(0.015)  # 7.5x a loopback round trip, but only 13 ms slower: noise, not queueing
    assert window.size == 9
    fast = AdaptiveWindow(initial=8, maximum=32)
    fast.record(0.100)
    fast.record(0.200)  # 2x: neither grows nor shrinks
    assert fast.size == 9


def test_a_rate_limit_halves_and_the_floor_is_one_page() -> None:
    window = AdaptiveWindow(initial=8, maximum=32)
    window.record(0.05, limited=True)
    assert window.size == 4
    for _ in range(20):
        window.record(0.05, limited=True)
        window._hold_until = 0  # every answer a new round trip
    assert window.size == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"initial": 0}, "initial: must be a positive integer, got 0"),
        ({"maximum": 2.5}, "maximum: must be a positive integer, got 2.5"),
        ({"grow_below": 4.0}, "needs 1 <= grow_below <= shrink_above, got 4.0 and 3.0"),
        ({"beta": 1.0}, "beta: must be between 0 and 1, got 1.0"),
    ],
)
def test_bad_windows_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        AdaptiveWindow(**options)


# -- the paginator with it -------------------------------------------------------------------------------------------


class Server:
    """Offset pages of ``total`` items answered after ``latency``, serving ``capacity`` requests at once."""

    def __init__(self, total: int, latency: float, capacity: int | None = None, slow_pages: tuple[int, ...] = ()):
        self.total = total
        self.latency = latency
        self.capacity = asyncio.Semaphore(capacity) if capacity else None
        self.slow_pages = slow_pages
        self.in_flight = 0
        self.peak = 0
        self.seen_in_flight: list[int] = []
        self.requests: list[int] = []

    async def fetch(self, skip: int, first: int) -> list[int]:
        self.requests.append(skip)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.seen_in_flight.append(self.in_flight)
        try:
            if self.capacity is not None:
                async with self.capacity:  # a busy server: the rest wait, so latency grows with the window
                    await asyncio.sleep(self.latency)
            else:
                await asyncio.sleep(self.latency * (15 if skip // first in self.slow_pages else 1))
            return list(range(skip, min(skip + first, self.total)))
        finally:
            self.in_flight -= 1


async def test_the_default_window_grows_while_latency_dominates_and_keeps_order() -> None:
    server = Server(total=6_000, latency=0.02)
    got = [i async for i in Paginator.offset(server.fetch, page_size=50, max_window=24)]
    assert got == list(range(6_000))  # in order, exactly once
    assert server.peak == 24  # grew from 8 to the pool
    assert len(server.requests) <= 6_000 // 50 + 1 + 24


async def test_a_short_walk_reaches_the_pool_within_two_round_trips() -> None:
    # A hundred pages answered at the round trip: the walk starts 16 pages at once, and each fast answer starts two
    # more, so the pool is full by the 48th request (64 allows for a stalled loop); every page is asked for once.
    server = Server(total=10_000, latency=0.05)
    got = [i async for i in Paginator.offset(server.fetch, page_size=100, max_window=32)]
    assert got == list(range(10_000))
    assert server.seen_in_flight[:16] == list(range(1, 17))  # the first round trip: 16 at once
    assert max(server.seen_in_flight[:64]) == 32
    assert len(server.requests) == len(set(server.requests)) <= 101 + 32


async def test_the_default_window_stays_small_when_the_server_is_the_limit() -> None:
    server = Server(total=3_000, latency=0.05, capacity=4)
    got = [i async for i in Paginator.offset(server.fetch, page_size=50, max_window=32)]
    assert got == list(range(3_000))
    # More in flight would only queue at the server: the window backs off and stays well under the pool's 32 (a
    # loop that stalls can let slow start overshoot once, so the walk's median is held, and the peak below the pool).
    assert statistics.median(server.seen_in_flight) <= 16 and server.peak < 32


async def test_a_slow_answer_shrinks_the_window() -> None:
    # Page 20's answer takes 15 round trips (a 429 the client waited out looks like this): the window is cut.
    server = Server(total=100_000, latency=0.01, slow_pages=(20,))
    window = AdaptiveWindow(initial=INITIAL_WINDOW, maximum=32)
    sizes: list[int] = []
    async with _OffsetPages(server.fetch, 100, window, None) as pages:
        async for page in pages:
            sizes.append(window.size)
            if page.number == 40:
                break
    assert sizes[19] >= 24  # grown while every answer was as fast as the first
    assert sizes[20] <= 0.7 * sizes[19] + 1  # cut by the slow one
    assert server.requests == sorted(server.requests)  # still requested in order


async def test_an_explicit_window_pins_it() -> None:
    server = Server(total=3_000, latency=0.01)
    got = [i async for i in Paginator.offset(server.fetch, page_size=50, window=3)]
    assert got == list(range(3_000)) and server.peak == 3
    assert DEFAULT_WINDOW == 8 and INITIAL_WINDOW == 16


def test_a_bad_max_window_is_refused() -> None:
    async def fetch(skip: int, first: int) -> list[int]:  # pragma: no cover - never called
        return []

    with pytest.raises(InvalidArgumentError, match="max_window: must be a positive integer, got 0"):
        Paginator.offset(fetch, page_size=10, max_window=0)
