"""pytest fixtures for the Labelbox emulator (registered as the ``alabelbox`` pytest11 plugin).

* ``labelbox_emulator``: a running :class:`~alabelbox.testing.Emulator` per test (small data,
  short task times). Override ``labelbox_emulator_options`` to change its arguments.
* ``labelbox_client``: an ``alabelbox.Client`` connected to that emulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio

from ._emulator import Emulator

if TYPE_CHECKING:
    from alabelbox import Client


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    """Keyword arguments for the ``labelbox_emulator`` fixture; override it to customise."""
    return {"seed": 0, "projects": 3, "data_rows": 250, "task_seconds": 0.2, "shard_bytes": 64 * 1024}


@pytest_asyncio.fixture
async def labelbox_emulator(labelbox_emulator_options: dict[str, Any]) -> AsyncIterator[Emulator]:
    """A running Labelbox emulator, closed (and its temp dir removed) after the test."""
    async with Emulator(**labelbox_emulator_options) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def labelbox_client(labelbox_emulator: Emulator) -> AsyncIterator[Client]:
    """An ``alabelbox.Client`` pointed at ``labelbox_emulator``, closed after the test."""
    # Imported here, not at the top: the emulator itself never depends on the client it is used to test.
    from alabelbox import Client

    async with Client(api_key=labelbox_emulator.api_key, endpoint=labelbox_emulator.endpoint) as client:
        yield client
