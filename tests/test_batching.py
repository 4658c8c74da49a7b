"""``alabelbox._batching``: chunks in order, calls bounded, results in input order, the first error raised bare."""

from __future__ import annotations

from functools import partial

import anyio
import pytest

from alabelbox import InvalidArgumentError
from alabelbox._batching import chunks, run_bounded


def test_chunks_cover_the_input_in_order() -> None:
    assert chunks(list(range(5)), 2) == [(0, [0, 1]), (2, [2, 3]), (4, [4])]
    assert chunks([], 3) == []


async def test_results_keep_the_input_order_and_the_bound_holds() -> None:
    running, peak = 0, 0

    async def call(n: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await anyio.sleep(0.01 * (5 - n % 5))  # later calls finish first
        running -= 1
        return n * n

    got = await run_bounded([partial(call, n) for n in range(12)], limit=3)
    assert got == [n * n for n in range(12)] and peak == 3


async def test_the_first_error_is_raised_as_itself_and_the_rest_are_cancelled() -> None:
    finished: list[int] = []

    async def call(n: int) -> int:
        if n == 1:
            raise KeyError("boom")
        await anyio.sleep(1.0)
        finished.append(n)
        return n

    with pytest.raises(KeyError, match="boom"):
        await run_bounded([partial(call, n) for n in range(4)], limit=4)
    assert finished == []
    with pytest.raises(InvalidArgumentError, match="max_concurrency"):
        await run_bounded([], limit=0)
