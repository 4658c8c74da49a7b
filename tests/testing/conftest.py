"""Fixtures for the emulator's own tests: a small emulator and a bare aiohttp GraphQL caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from alabelbox.testing import Emulator

Gql = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=3, projects=5, data_rows=250, batch_size=100, shard_bytes=30_000, task_seconds=0.2) as e:
        yield e


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


@pytest.fixture
def gql(emu: Emulator, session: aiohttp.ClientSession) -> Gql:
    """``await gql(query, variables, path="/graphql", key=...)`` -> ``(status, json body)``."""

    async def call(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        path: str = "/graphql",
        key: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        headers = {"Authorization": f"Bearer {key or emu.api_key}"}
        body = {"query": query, "variables": variables}
        async with session.post(emu.url + path, json=body, headers=headers) as resp:
            return resp.status, await resp.json()

    return call
