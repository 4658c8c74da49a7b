"""Fixtures for the export tests: a small emulator and a client with quick retries."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client, RetryConfig
from alabelbox.testing import Emulator
from tests.client.aioresponses_compat import mocked

__all__ = ["client", "emu", "emu_options", "mocked"]

FAST_RETRY = RetryConfig(max_retries=6, initial_delay=0.005, max_delay=0.05, max_retry_after=0.05, deadline=60.0)


@pytest.fixture
def emu_options() -> dict[str, Any]:
    return {"seed": 3, "projects": 2, "data_rows": 300, "task_seconds": 0.05, "shard_bytes": 64 * 1024}


@pytest_asyncio.fixture
async def emu(emu_options: dict[str, Any]) -> AsyncIterator[Emulator]:
    async with Emulator(**emu_options) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=FAST_RETRY) as c:
        yield c
