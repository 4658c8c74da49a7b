"""Bulk calls split into chunks within the API's limits, run a few at a time, results kept in input order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import anyio

from alabelbox._validation import check_positive_int

__all__ = ["chunks", "run_bounded"]

T = TypeVar("T")
R = TypeVar("R")


def chunks(items: Sequence[T], size: int) -> list[tuple[int, Sequence[T]]]:
    """``(offset, chunk)`` pairs covering ``items`` in order, each chunk at most ``size`` long.

    Example:
        >>> chunks("abcde", 2)
        [(0, 'ab'), (2, 'cd'), (4, 'e')]
    """
    return [(start, items[start : start + size]) for start in range(0, len(items), size)]


async def run_bounded(calls: Sequence[Callable[[], Awaitable[R]]], limit: int) -> list[R]:
    """Await every call, at most ``limit`` at a time; their results in the order of ``calls``.

    The first call to raise cancels the others and its error propagates (the caller turns the errors it can
    report per item into results before they get here).

    Example:
        >>> async def double(x: int) -> int:
        ...     return 2 * x
        >>> await run_bounded([lambda x=x: double(x) for x in range(4)], limit=2)
        [0, 2, 4, 6]
    """
    limiter = anyio.CapacityLimiter(check_positive_int("max_concurrency", limit))
    results: list[R | None] = [None] * len(calls)
    failed: list[Exception] = []

    async with anyio.create_task_group() as tg:

        async def one(i: int) -> None:
            try:
                async with limiter:
                    results[i] = await calls[i]()
            except Exception as exc:  # the caller sees this error itself, not an ExceptionGroup around it
                failed.append(exc)
                tg.cancel_scope.cancel()

        for i in range(len(calls)):
            tg.start_soon(one, i)
    if failed:
        raise failed[0]
    return results  # type: ignore[return-value]  # every slot was filled
