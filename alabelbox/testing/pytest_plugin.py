"""pytest fixtures for the Labelbox emulator (registered as the ``alabelbox`` pytest11 plugin).

* ``labelbox_emulator``: a running :class:`~alabelbox.testing.Emulator` per test (small data,
  short task times). Override ``labelbox_emulator_options`` to change its arguments.
* ``labelbox_client``: an ``alabelbox.Client`` connected to that emulator.

The plugin is installed with alabelbox, so it must never change or break an unrelated pytest run: it imports
nothing beyond pytest at start-up, and its async fixtures are registered once pytest knows which async plugin runs
them. With pytest-asyncio active they are ``pytest_asyncio`` fixtures (mark tests ``@pytest.mark.asyncio``, or set
``asyncio_mode = "auto"``); without it they are plain async fixtures, which anyio's pytest plugin runs for tests
marked ``@pytest.mark.anyio``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from alabelbox import Client
    from alabelbox.testing import Emulator


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    """Keyword arguments for the ``labelbox_emulator`` fixture; override it to customise."""
    return {"seed": 0, "projects": 3, "data_rows": 250, "task_seconds": 0.2, "shard_bytes": 64 * 1024}


async def _labelbox_emulator(labelbox_emulator_options: dict[str, Any]) -> AsyncIterator[Emulator]:
    """A running Labelbox emulator, closed (and its temp dir removed) after the test."""
    from ._emulator import Emulator

    async with Emulator(**labelbox_emulator_options) as emulator:
        yield emulator


async def _labelbox_client(labelbox_emulator: Emulator) -> AsyncIterator[Client]:
    """An ``alabelbox.Client`` pointed at ``labelbox_emulator``, closed after the test."""
    # Imported here, not at the top: the emulator itself never depends on the client it is used to test.
    from alabelbox import Client

    async with Client(api_key=labelbox_emulator.api_key, endpoint=labelbox_emulator.endpoint) as client:
        yield client


def _async_fixtures(fixture: Callable[..., Any]) -> type:
    """The async fixtures as a plugin (pytest reads fixtures from a plugin's type, so a class made here)."""
    return type(
        "AlabelboxAsyncFixtures",
        (),
        {
            "labelbox_emulator": fixture(_labelbox_emulator, name="labelbox_emulator"),
            "labelbox_client": fixture(_labelbox_client, name="labelbox_client"),
        },
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the async fixtures with pytest-asyncio's decorator when that plugin is active, else pytest's."""
    fixture: Callable[..., Any] = pytest.fixture
    if config.pluginmanager.hasplugin("asyncio"):
        import pytest_asyncio

        fixture = pytest_asyncio.fixture
    config.pluginmanager.register(_async_fixtures(fixture), "alabelbox-async-fixtures")
