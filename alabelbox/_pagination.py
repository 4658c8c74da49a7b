"""One paginator for every listing: offset pages fetched k at a time, cursor pages fetched one ahead.

A :class:`Paginator` is a recipe, not a cursor: each ``async for``, :meth:`Paginator.iter_pages`, ``await``,
:meth:`Paginator.get_one` or :meth:`Paginator.get_many` starts a fresh walk from the first page.

Offset mode (``skip``/``first``)
    Up to ``window`` pages are in flight at once. By default the window adapts (:class:`~alabelbox._window.
    AdaptiveWindow`): it starts at :data:`INITIAL_WINDOW`, grows while pages come back as fast as the fastest one
    (latency dominates), and shrinks when they come back much slower (the server or the pool is the limit, or the
    client waited out a 429), never beyond the client's pool; an explicit ``window=`` pins it. Pages come out in
    order, whatever order they arrive in. The walk stops at the first short page; pages already requested past it are
    cancelled and their items (there should be none) are never seen. Memory holds at most ``window`` pages plus the
    one being consumed.

Cursor mode
    The next page is requested as soon as a page arrives, so the network works while the consumer does. No more
    overlap is possible: a page's cursor comes only in the answer for the page before it. If the
    server says there is more but hands back no cursor, the same cursor, or one it gave before, the walk raises
    :class:`~alabelbox.PaginationError` instead of looping forever (githubkit's guard).

Fetches run as asyncio tasks that go through ``Client.execute``, so they count against the client's concurrency
limit: fifty paginators at once queue on the pool instead of exceeding it. Leaving a loop early (``break``, an
exception) cancels what is in flight: the page iterator cancels its tasks when it is closed or dropped, and a task
that fails after nobody waits for it any more has its error retrieved, so asyncio logs nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Generic, TypeVar

from alabelbox._constants import DEFAULT_MAX_CONCURRENT_REQUESTS
from alabelbox._exceptions import InvalidArgumentError, PaginationError
from alabelbox._validation import check_positive_int
from alabelbox._window import AdaptiveWindow

__all__ = [
    "DEFAULT_WINDOW",
    "INITIAL_WINDOW",
    "CursorFetcher",
    "CursorPage",
    "OffsetFetcher",
    "Page",
    "PageIterator",
    "Paginator",
]

T = TypeVar("T")

#: A pinned window for listings that pass one (``window=DEFAULT_WINDOW``): pages in flight at once.
DEFAULT_WINDOW = 8

#: Offset pages in flight when an adaptive walk starts; the window grows (or shrinks) from there. A walk of a hundred
#: pages at 100 ms reaches the pool one round trip sooner than from 8, and a busy server's first answers cut it.
INITIAL_WINDOW = 16

OffsetFetcher = Callable[[int, int], Awaitable[Sequence[T]]]
"""``fetch(skip, first)``: one offset page, at most ``first`` items starting at item ``skip``."""


@dataclass(frozen=True, slots=True)
class CursorPage(Generic[T]):
    """What a cursor fetcher returns for one page.

    Attributes:
        items: The page's items.
        next_cursor: The cursor of the next page; None or ``""`` when there is none.
        has_more: Whether the server says there is a next page. None when it does not say, in which case a
            truthy ``next_cursor`` means "more" (the official SDK's rule for ``datasetDataRows``).
    """

    items: Sequence[T]
    next_cursor: str | None
    has_more: bool | None = None


CursorFetcher = Callable[[str | None], Awaitable[CursorPage[T]]]
"""``fetch(cursor)``: the page that starts at ``cursor`` (None for the first page)."""


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing.

    Attributes:
        items: The page's items, in server order.
        number: The page's position in the walk, from 0.
        has_more: Whether another page may follow.
        next_cursor: Cursor mode: the cursor of the next page (None in offset mode or on the last page).
    """

    items: list[T]
    number: int
    has_more: bool
    next_cursor: str | None = field(default=None)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]


def _retrieve(task: asyncio.Task[Any]) -> None:
    # A page task that fails after the consumer has gone (a break, another page's error) must not make asyncio log
    # "Task exception was never retrieved". Module-level, so a task never references its iterator.
    if not task.cancelled():
        task.exception()


def _cancel(tasks: Sequence[asyncio.Task[Any]]) -> None:
    for task in tasks:
        task.cancel()


async def _settle(tasks: Sequence[asyncio.Task[Any]]) -> None:
    # Wait until cancelled tasks have finished unwinding (released their pool slots). Shielded waits are not
    # needed: if we are cancelled here, the tasks are cancelled already and finish on their own.
    if tasks:
        await asyncio.wait(tasks)


class PageIterator(Generic[T]):
    """An async iterator over the pages of one walk; also an async context manager.

    Close it with ``aclose()`` (or ``async with``) to cancel pages in flight and wait for them to unwind. Dropping it
    without closing cancels them too; they finish unwinding on the next turns of the event loop.
    """

    def __init__(self) -> None:
        self._tasks: deque[asyncio.Task[Any]] = deque()
        self._finished = False
        self._number = 0

    def _spawn(self, coro: Awaitable[Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        task.add_done_callback(_retrieve)
        self._tasks.append(task)
        return task

    def _finish(self) -> list[asyncio.Task[Any]]:
        self._finished = True
        pending = [t for t in self._tasks if not t.done()]
        _cancel(pending)
        self._tasks.clear()
        return pending

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._finished:
            raise StopAsyncIteration
        try:
            page = await self._next_page()
        except BaseException:
            # An error, or our own cancellation: nothing more will be asked for. Wait for the pages in flight to
            # unwind, so that when the error reaches the caller no request is still holding a pool slot.
            pending = self._finish()
            try:
                await _settle(pending)
            except asyncio.CancelledError:
                pass  # cancelled again while unwinding: the tasks are cancelled already; raise the first error
            raise
        if page is None:
            await _settle(self._finish())
            raise StopAsyncIteration
        return page

    async def _next_page(self) -> Page[T] | None:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def in_flight(self) -> int:
        """Page requests started and not finished."""
        return sum(1 for t in self._tasks if not t.done())

    async def aclose(self) -> None:
        """Stop the walk: cancel pages in flight and wait until they have unwound. Calling it again does nothing."""
        await _settle(self._finish())

    async def __aenter__(self) -> PageIterator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # `break` out of `async for` drops the iterator without closing it: cancel what it started.
        tasks = getattr(self, "_tasks", None)
        if tasks:
            _cancel([t for t in tasks if not t.done()])


class _OffsetPages(PageIterator[T]):
    def __init__(
        self, fetch: OffsetFetcher[T], page_size: int, window: int | AdaptiveWindow, max_items: int | None
    ) -> None:
        super().__init__()
        self._fetch = fetch
        self._page_size = page_size
        self._window = window
        # Pages never to request: get_many(n) needs ceil(n / page_size) of them, no more.
        self._max_pages = None if max_items is None else -(-max_items // page_size)
        self._scheduled = 0

    def _size(self) -> int:
        return self._window if isinstance(self._window, int) else self._window.size

    async def _timed(self, skip: int, first: int, window: AdaptiveWindow) -> Sequence[T]:
        started = time.monotonic()
        items = await self._fetch(skip, first)
        window.record(time.monotonic() - started)
        return items

    def _fill(self) -> None:
        window = self._window
        while len(self._tasks) < self._size() and (self._max_pages is None or self._scheduled < self._max_pages):
            skip = self._scheduled * self._page_size
            if isinstance(window, int):
                self._spawn(self._fetch(skip, self._page_size))
            else:
                self._spawn(self._timed(skip, self._page_size, window))
            self._scheduled += 1

    async def _next_page(self) -> Page[T] | None:
        self._fill()
        if not self._tasks:
            return None
        task = self._tasks[0]
        items = list(await task)
        self._tasks.popleft()
        number = self._number
        self._number += 1
        short = len(items) < self._page_size
        if short or (self._max_pages is not None and self._number >= self._max_pages):
            # Pages past a short page hold nothing: cancel them, and let them unwind before the walk ends.
            await _settle(self._finish())
        else:
            self._fill()
        if not items and number > 0:
            return None
        return Page(items=items, number=number, has_more=not short)


class _CursorPages(PageIterator[T]):
    def __init__(self, fetch: CursorFetcher[T], start: str | None, max_items: int | None) -> None:
        super().__init__()
        self._fetch = fetch
        self._cursor = start
        self._seen: set[str] = {start} if start else set()
        self._max_items = max_items
        self._yielded = 0
        self._started = False

    async def _next_page(self) -> Page[T] | None:
        if not self._started:
            self._started = True
            self._spawn(self._fetch(self._cursor))
        if not self._tasks:
            return None
        task = self._tasks[0]
        result: CursorPage[T] = await task
        self._tasks.popleft()
        items = list(result.items)
        nxt = result.next_cursor or None
        more = bool(nxt) if result.has_more is None else result.has_more
        if more:
            if nxt is None:
                raise PaginationError(
                    f"the server said there is a page after cursor {self._cursor!r} but returned no cursor for it"
                )
            if nxt == self._cursor or nxt in self._seen:
                raise PaginationError(
                    f"the cursor did not move: after cursor {self._cursor!r} the server returned cursor {nxt!r} "
                    "again while saying there is more; stopping instead of looping forever"
                )
        self._yielded += len(items)
        enough = self._max_items is not None and self._yielded >= self._max_items
        if more and not enough:
            assert nxt is not None
            self._seen.add(nxt)
            self._cursor = nxt
            # Fetch ahead: the next page travels while the consumer works on this one.
            self._spawn(self._fetch(nxt))
        else:
            self._finished = True
        number = self._number
        self._number += 1
        if not items and number > 0 and not more:
            return None
        return Page(items=items, number=number, has_more=more, next_cursor=nxt if more else None)


class Paginator(Generic[T]):
    """Items of a listing, page by page: awaitable (first page) and async-iterable (items).

    Build one with :meth:`offset` or :meth:`cursor`; resources return them from their ``list`` methods.

    Example:
        >>> labels = client.labels.list(project_id)
        >>> first_page = await labels                          # one request
        >>> label_ids = [label.id async for label in labels]   # every label, in order, window pages in flight
        >>> async with labels.iter_pages() as pages:
        ...     async for page in pages:
        ...         print(page.number, len(page))
        0 12
    """

    def __init__(self, start: Callable[[int | None], PageIterator[T]]) -> None:
        self._start = start

    @classmethod
    def offset(
        cls,
        fetch: OffsetFetcher[T],
        *,
        page_size: int,
        window: int | None = None,
        max_window: int = DEFAULT_MAX_CONCURRENT_REQUESTS,
    ) -> Paginator[T]:
        """A paginator over ``skip``/``first`` pages.

        Args:
            fetch: ``await fetch(skip, first)`` returns one page.
            page_size: Items per page (``first``).
            window: Pages in flight at once, pinned; 1 is sequential, like the official SDK. None (the default)
                adapts it to the latency, from :data:`INITIAL_WINDOW` up to ``max_window``.
            max_window: The adaptive window's ceiling: the client's concurrent-request pool.

        Raises:
            InvalidArgumentError: ``page_size``, ``window`` or ``max_window`` is below 1.

        Example:
            >>> async def fetch(skip: int, first: int) -> list[int]:
            ...     return list(range(skip, min(skip + first, 5)))
            >>> await Paginator.offset(fetch, page_size=2).get_many(10)
            [0, 1, 2, 3, 4]
        """
        check_positive_int("page_size", page_size)
        check_positive_int("max_window", max_window)
        if window is not None:
            check_positive_int("window", window)
            pinned = window
            return cls(lambda limit: _OffsetPages(fetch, page_size, pinned, limit))
        # A fresh window per walk: each walk learns its own round trip.
        return cls(
            lambda limit: _OffsetPages(
                fetch, page_size, AdaptiveWindow(initial=min(INITIAL_WINDOW, max_window), maximum=max_window), limit
            )
        )

    @classmethod
    def cursor(cls, fetch: CursorFetcher[T], *, start_cursor: str | None = None) -> Paginator[T]:
        """A paginator over cursor pages; the next page is fetched while the current one is consumed.

        Args:
            fetch: ``await fetch(cursor)`` returns a :class:`CursorPage` (``cursor`` is None for the first page).
            start_cursor: Resume from this cursor instead of the beginning.

        Example:
            >>> async def fetch(cursor: str | None) -> CursorPage[str]:
            ...     if cursor is None:
            ...         return CursorPage(items=["a", "b"], next_cursor="page-2")
            ...     return CursorPage(items=["c"], next_cursor=None)
            >>> [item async for item in Paginator.cursor(fetch)]
            ['a', 'b', 'c']
        """
        return cls(lambda limit: _CursorPages(fetch, start_cursor, limit))

    def iter_pages(self, max_items: int | None = None) -> PageIterator[T]:
        """Walk the listing page by page.

        Args:
            max_items: Stop after the page that holds this many items, and request no page beyond it.

        Raises:
            InvalidArgumentError: ``max_items`` is below 1.

        Example:
            >>> async with client.labels.list(project_id, page_size=5).iter_pages() as pages:
            ...     sizes = [len(page.items) async for page in pages]
            >>> sizes
            [5, 5, 2]
        """
        if max_items is not None:
            check_positive_int("max_items", max_items)
        return self._start(max_items)

    def __aiter__(self) -> AsyncIterator[T]:
        return _Items(self._start(None))

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self._first_page().__await__()

    async def _first_page(self) -> Page[T]:
        async with self._start(1) as pages:
            async for page in pages:
                return page
        return Page(items=[], number=0, has_more=False)  # pragma: no cover - a walk always yields a first page

    async def get_one(self) -> T | None:
        """The first item, or None if the listing is empty. Requests one page.

        Example:
            >>> project = await client.projects.list().get_one()
        """
        got = await self.get_many(1)
        return got[0] if got else None

    async def get_many(self, n: int) -> list[T]:
        """Up to ``n`` first items. Requests only the pages that hold them.

        Raises:
            InvalidArgumentError: ``n`` is negative.

        Example:
            >>> labels = await client.labels.list(project_id).get_many(3)
            >>> len(labels)
            3
        """
        if n < 0:
            raise InvalidArgumentError("n", f"must be >= 0, got {n}")
        out: list[T] = []
        if n == 0:
            return out
        async with self._start(n) as pages:
            async for page in pages:
                out.extend(page.items[: n - len(out)])
                if len(out) >= n:
                    break
        return out


class _Items(AsyncIterator[T]):
    """Items of a page walk, one at a time. Holds one page; dropping it cancels the walk."""

    __slots__ = ("_buffer", "_pages")

    def __init__(self, pages: PageIterator[T]) -> None:
        self._pages = pages
        self._buffer: Iterator[T] = iter(())

    def __aiter__(self) -> _Items[T]:
        return self

    async def __anext__(self) -> T:
        while True:
            item = next(self._buffer, _END)
            if item is not _END:
                return item
            page = await self._pages.__anext__()
            self._buffer = iter(page.items)

    async def aclose(self) -> None:
        """Cancel pages in flight and wait until they have unwound."""
        await self._pages.aclose()


_END: Any = object()
