"""Fixtures for the resource tests: emulators of the sizes these tests need, and clients that retry fast."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from alabelbox import Client, RetryConfig
from alabelbox.testing import Emulator
from tests.client.aioresponses_compat import mocked

__all__ = ["emulator", "fast_retry", "mocked", "no_other_tasks"]

#: Retries that do not make a test wait: Retry-After is honoured up to 50 ms only.
fast_retry = RetryConfig(max_retries=6, initial_delay=0.01, max_delay=0.05, max_retry_after=0.05)


def no_other_tasks() -> set[asyncio.Task[object]]:
    """Client-side tasks still pending besides the test's own (empty when nothing leaked).

    The emulator runs in the same loop; its per-connection handler tasks (aiohttp ``RequestHandler``) live as long
    as a keep-alive connection and are not the client's.
    """
    return {
        t
        for t in asyncio.all_tasks()
        if t is not asyncio.current_task()
        and not t.done()
        and not t.get_coro().__qualname__.startswith("RequestHandler.")  # type: ignore[union-attr]
    }


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    """A small emulator: 3 projects of 250 labels."""
    async with Emulator(seed=3, projects=3, data_rows=250, batch_size=100, task_seconds=0.0) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    """A client of ``emu`` with fast retries."""
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as c:
        yield c


def emulator(**options: int) -> Emulator:
    """An emulator with ``options`` (use as ``async with emulator(data_rows=0) as emu:``)."""
    return Emulator(seed=5, task_seconds=0.0, **options)  # type: ignore[arg-type]
