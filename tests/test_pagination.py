"""Paginator unit tests on fake page fetchers: order, exactly once, windows, cancellation, cursor guards."""

from __future__ import annotations

import asyncio
import gc
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alabelbox import InvalidArgumentError, PaginationError
from alabelbox._pagination import CursorPage, Paginator


@dataclass
class OffsetSource:
    """``n`` items 0..n-1 served by skip/first, with per-call delays and bookkeeping."""

    n: int
    delay: float = 0.0
    jitter: float = 0.0
    fail_at_skip: int | None = None
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    calls: list[tuple[int, int]] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    finished: list[int] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0

    async def __call__(self, skip: int, first: int) -> Sequence[int]:
        self.calls.append((skip, first))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            wait = self.delay + (self.rng.uniform(0, self.jitter) if self.jitter else 0.0)
            if wait:
                await asyncio.sleep(wait)
            else:
                await asyncio.sleep(0)
            if self.fail_at_skip is not None and skip == self.fail_at_skip:
                raise RuntimeError(f"page at {skip} failed")
            self.finished.append(skip)
            return list(range(skip, min(self.n, skip + first)))
        except asyncio.CancelledError:
            self.cancelled.append(skip)
            raise
        finally:
            self.in_flight -= 1


def other_tasks() -> set[asyncio.Task[object]]:
    return {t for t in asyncio.all_tasks() if t is not asyncio.current_task()}


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


# -- offset mode ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("window", [1, 4, 16])
@pytest.mark.parametrize("n", [0, 1, 99, 100, 101, 1000, 1050])
async def test_offset_yields_every_item_once_in_order(n: int, window: int) -> None:
    source = OffsetSource(n, jitter=0.002)
    items = [i async for i in Paginator.offset(source, page_size=100, window=window)]
    assert items == list(range(n))
    assert source.peak <= window
    # Exactly N x page-size costs one extra, empty page, as in the SDK; nothing is lost or repeated.
    needed = n // 100 + 1
    assert sorted(s for s, _ in source.calls)[:needed] == [100 * k for k in range(needed)]
    assert len(source.calls) <= needed + window - 1


async def test_offset_pages_come_out_in_order_when_they_arrive_out_of_order() -> None:
    source = OffsetSource(2050, jitter=0.01)
    pages = [page async for page in Paginator.offset(source, page_size=100, window=16).iter_pages()]
    assert [p.number for p in pages] == list(range(21))
    assert [i for p in pages for i in p.items] == list(range(2050))
    assert source.finished != sorted(source.finished)  # they really did arrive out of order
    assert pages[0].has_more and not pages[-1].has_more


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 700), page_size=st.integers(1, 120), window=st.integers(1, 10))
def test_offset_exactly_once_property(n: int, page_size: int, window: int) -> None:
    async def run() -> list[int]:
        source = OffsetSource(n, jitter=0.0005, rng=random.Random(n))
        got = [i async for i in Paginator.offset(source, page_size=page_size, window=window)]
        assert source.peak <= window
        return got

    assert asyncio.run(run()) == list(range(n))


async def test_pages_past_the_end_are_cancelled() -> None:
    class Slow(OffsetSource):
        async def __call__(self, skip: int, first: int) -> Sequence[int]:
            # Pages past the end take long: they must be cancelled, not awaited.
            self.delay = 10.0 if skip >= self.n + first else 0.0
            return await super().__call__(skip, first)

    source = Slow(250)
    loop = asyncio.get_running_loop()
    started = loop.time()
    items = [i async for i in Paginator.offset(source, page_size=100, window=8)]
    assert items == list(range(250))
    assert loop.time() - started < 5.0
    await settle()
    assert source.cancelled  # the slow pages past the end were in flight and got cancelled
    assert not other_tasks()


async def test_window_bounds_pages_held_in_memory() -> None:
    source = OffsetSource(5000)
    held: list[int] = []
    async for page in Paginator.offset(source, page_size=100, window=4).iter_pages():
        # Fetched but not yet consumed: at most the window.
        held.append(len(source.finished) - page.number - 1)
        await asyncio.sleep(0.001)  # a slow consumer, so the window fills up
    assert max(held) <= 4


class FirstPageFast(OffsetSource):
    async def __call__(self, skip: int, first: int) -> Sequence[int]:
        self.delay = 0.0 if skip == 0 else 0.05
        return await super().__call__(skip, first)


async def test_break_cancels_in_flight_pages_and_leaks_nothing() -> None:
    source = FirstPageFast(10_000)
    seen = []
    async for item in Paginator.offset(source, page_size=100, window=8):
        seen.append(item)
        if len(seen) == 3:
            break
    await settle()
    assert seen == [0, 1, 2]
    assert source.in_flight == 0
    assert source.cancelled  # the 7 pages requested ahead were cancelled, not awaited
    assert not other_tasks()


async def test_aclose_waits_until_in_flight_pages_have_unwound() -> None:
    source = OffsetSource(10_000, delay=0.05)
    async with Paginator.offset(source, page_size=100, window=8).iter_pages() as pages:
        first = await pages.__anext__()
        assert first.items[:3] == [0, 1, 2]
        assert pages.in_flight > 0
    assert source.in_flight == 0
    assert pages.in_flight == 0
    assert not other_tasks()
    with pytest.raises(StopAsyncIteration):
        await pages.__anext__()


async def test_error_in_one_page_propagates_and_cancels_the_rest() -> None:
    source = OffsetSource(10_000, jitter=0.01, fail_at_skip=300)
    seen: list[int] = []
    with pytest.raises(RuntimeError, match="page at 300 failed"):
        async for item in Paginator.offset(source, page_size=100, window=8):
            seen.append(item)
    assert seen == list(range(300))  # everything before the failed page, in order, and nothing after
    await settle()
    assert source.in_flight == 0
    assert not other_tasks()


async def test_consumer_cancelled_while_waiting_cancels_pages() -> None:
    source = OffsetSource(10_000, delay=5.0)

    async def consume() -> None:
        async for _ in Paginator.offset(source, page_size=100, window=4):
            pass

    task = asyncio.ensure_future(consume())
    await asyncio.sleep(0.05)
    assert source.in_flight == 4
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await settle()
    assert source.in_flight == 0
    assert not other_tasks()


async def test_await_gives_the_first_page_only() -> None:
    source = OffsetSource(1000)
    page = await Paginator.offset(source, page_size=100, window=8)
    assert page.items == list(range(100))
    assert page.number == 0 and page.has_more
    assert source.calls == [(0, 100)]
    assert len(page) == 100 and page[5] == 5 and list(page)[:2] == [0, 1]


async def test_await_an_empty_listing() -> None:
    page = await Paginator.offset(OffsetSource(0), page_size=100)
    assert page.items == [] and not page.has_more


async def test_get_one_and_get_many_request_only_what_they_need() -> None:
    source = OffsetSource(1000)
    paginator = Paginator.offset(source, page_size=100, window=8)
    assert await paginator.get_one() == 0
    assert source.calls == [(0, 100)]
    source.calls.clear()
    assert await paginator.get_many(250) == list(range(250))
    assert sorted(source.calls) == [(0, 100), (100, 100), (200, 100)]
    assert await paginator.get_many(0) == []
    assert await Paginator.offset(OffsetSource(0), page_size=100).get_one() is None
    assert await Paginator.offset(OffsetSource(30), page_size=100).get_many(50) == list(range(30))
    with pytest.raises(InvalidArgumentError, match="n"):
        await paginator.get_many(-1)


async def test_a_paginator_can_be_walked_twice() -> None:
    paginator = Paginator.offset(OffsetSource(250), page_size=100, window=2)
    assert [i async for i in paginator] == [i async for i in paginator] == list(range(250))


@pytest.mark.parametrize(("name", "kwargs"), [("page_size", {"page_size": 0}), ("window", {"window": 0})])
def test_offset_rejects_bad_sizes(name: str, kwargs: dict[str, int]) -> None:
    args = {"page_size": 100, "window": 1, **kwargs}
    with pytest.raises(InvalidArgumentError) as info:
        Paginator.offset(OffsetSource(1), **args)
    assert info.value.argument == name


# -- cursor mode ----------------------------------------------------------------------------------------------


@dataclass
class CursorSource:
    """``n`` items in pages of ``size``; the cursor is the index of the next item, as a string."""

    n: int
    size: int = 100
    delay: float = 0.0
    stall_at: int | None = None
    calls: list[str | None] = field(default_factory=list)
    started: list[float] = field(default_factory=list)

    async def __call__(self, cursor: str | None) -> CursorPage[int]:
        self.calls.append(cursor)
        self.started.append(asyncio.get_running_loop().time())
        await asyncio.sleep(self.delay)
        start = int(cursor) if cursor else 0
        stop = min(self.n, start + self.size)
        nxt: str | None = str(stop) if stop < self.n else None
        if self.stall_at is not None and start >= self.stall_at:
            nxt = cursor  # the server says "more" and hands back the same cursor
        return CursorPage(items=list(range(start, stop)), next_cursor=nxt, has_more=nxt is not None)


@pytest.mark.parametrize("n", [0, 1, 500, 501, 2000])
async def test_cursor_yields_every_item_once_in_order(n: int) -> None:
    source = CursorSource(n, size=500)
    assert [i async for i in Paginator.cursor(source)] == list(range(n))
    assert source.calls == [None] + [str(500 * k) for k in range(1, -(-n // 500))]


async def test_cursor_fetches_the_next_page_while_the_consumer_works() -> None:
    source = CursorSource(400, size=100, delay=0.02)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async for _page in Paginator.cursor(source).iter_pages():
        await asyncio.sleep(0.02)  # the consumer's work overlaps the next request
    # Sequential would be 4 x (20 + 20) ms; overlapped it is about 5 x 20 ms.
    assert loop.time() - started < 0.15
    assert source.started[1] - source.started[0] < 0.03


async def test_a_stalled_cursor_raises_a_clear_error() -> None:
    source = CursorSource(10_000, size=100, stall_at=300)
    seen: list[int] = []
    with pytest.raises(PaginationError, match="cursor did not move") as info:
        async for item in Paginator.cursor(source):
            seen.append(item)
    assert "'300'" in str(info.value)
    assert seen == list(range(300))
    assert len(source.calls) == 4
    await settle()
    assert not other_tasks()


async def test_more_without_a_cursor_raises() -> None:
    async def fetch(cursor: str | None) -> CursorPage[int]:
        return CursorPage(items=[1], next_cursor=None, has_more=True)

    with pytest.raises(PaginationError, match="no cursor"):
        [i async for i in Paginator.cursor(fetch)]


async def test_a_cursor_cycle_raises() -> None:
    async def fetch(cursor: str | None) -> CursorPage[int]:
        nxt = {None: "a", "a": "b", "b": "a"}[cursor]
        return CursorPage(items=[0], next_cursor=nxt)

    with pytest.raises(PaginationError, match="'a'"):
        [i async for i in Paginator.cursor(fetch)]


async def test_cursor_without_has_more_stops_on_an_empty_cursor() -> None:
    async def fetch(cursor: str | None) -> CursorPage[int]:
        return CursorPage(items=[int(cursor or 0)], next_cursor={None: "1", "1": "2", "2": ""}[cursor])

    assert [i async for i in Paginator.cursor(fetch)] == [0, 1, 2]


async def test_cursor_break_and_get_many() -> None:
    source = CursorSource(5000, size=100, delay=0.01)
    paginator = Paginator.cursor(source, start_cursor="1000")
    async for item in paginator:
        assert item == 1000
        break
    await settle()
    gc.collect()
    await settle()
    assert not other_tasks()
    source.calls.clear()
    assert await paginator.get_many(150) == list(range(1000, 1150))
    assert source.calls == ["1000", "1100"]
    first = await paginator
    assert first.items[0] == 1000 and first.has_more and first.next_cursor == "1100"


async def test_iter_pages_max_items_requests_only_the_pages_that_hold_them() -> None:
    from alabelbox import Page, Paginator

    asked: list[int] = []

    async def fetch(skip: int, first: int) -> list[int]:
        asked.append(skip)
        return list(range(skip, min(skip + first, 100)))

    async with Paginator.offset(fetch, page_size=10, window=8).iter_pages(max_items=25) as pages:
        got = [page async for page in pages]
    assert all(isinstance(page, Page) for page in got)
    assert [len(page) for page in got] == [10, 10, 10] and sorted(asked) == [0, 10, 20]
    with pytest.raises(InvalidArgumentError, match="max_items"):
        Paginator.offset(fetch, page_size=10).iter_pages(max_items=0)
