"""pytest fixtures for the Labelbox emulator (registered as the ``alabelbox`` pytest11 plugin).

* ``labelbox_emulator``: a running :class:`~alabelbox.testing.Emulator` per test (small data,
  short task times). Override ``labelbox_emulator_options`` to change its arguments.
* ``labelbox_client``: an ``alabelbox.Client`` connected to that emulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from ._emulator import Emulator


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
async def labelbox_client(labelbox_emulator: Emulator) -> AsyncIterator[Any]:
    """An ``alabelbox.Client`` pointed at ``labelbox_emulator`` (skips if the client is absent)."""
    try:
        import alabelbox
    except ImportError as exc:  # pragma: no cover - the package itself is broken
        pytest.skip(f"alabelbox cannot be imported: {exc}")
    client_cls = getattr(alabelbox, "Client", None)
    if client_cls is None:
        pytest.skip("alabelbox.Client does not exist yet")
    async with client_cls(
        api_key=labelbox_emulator.api_key, endpoint=labelbox_emulator.endpoint
    ) as client:
        yield client
