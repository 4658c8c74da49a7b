"""Fixtures for the cluster readers: an emulator on a thread of its own, and what to search for leaks.

Dask's ``compute()`` and Ray's ``take_all()`` block the calling thread, so the emulator cannot share the test's
event loop: it runs on a background thread's loop, reached over loopback like a real server. Its key is fixed for
the module and given to the workers through an environment variable that only these tests use, so the workers
look it up themselves (``ApiKey.from_env``) and it never travels in a task.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs

import anyio
import pytest

from alabelbox import ApiKey, Client, ClientSpec, RetryConfig
from alabelbox.testing import Emulator

T = TypeVar("T")

#: The environment variable the workers read the key from.
KEY_ENV = "ALABELBOX_CLUSTER_TEST_KEY"
#: Quick retries, so faults cost milliseconds.
FAST_RETRY = RetryConfig(max_retries=4, initial_delay=0.005, max_delay=0.05, max_retry_after=0.05, deadline=60.0)


class ThreadedEmulator:
    """An :class:`Emulator` served from its own thread's event loop."""

    def __init__(self, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="emulator", daemon=True)
        self._thread.start()
        self.emu = Emulator(**options)
        self.call(self.emu.__aenter__)

    def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run a coroutine function on the emulator's loop and wait for it."""

        async def run() -> T:
            return await fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=120)

    def close(self) -> None:
        self.call(self.emu.aclose)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture(scope="module")
def cluster_key() -> Iterator[str]:
    """The emulator's key, in :data:`KEY_ENV` for this process and every worker it starts."""
    key = f"lb-emu-{secrets.token_hex(16)}"
    os.environ[KEY_ENV] = key
    yield key
    os.environ.pop(KEY_ENV, None)


@pytest.fixture(scope="module")
def threaded_emu(cluster_key: str) -> Iterator[ThreadedEmulator]:
    server = ThreadedEmulator(
        seed=5, projects=2, data_rows=400, task_seconds=0.05, shard_bytes=48 * 1024, api_key=cluster_key
    )
    yield server
    server.close()


@pytest.fixture
def emu(threaded_emu: ThreadedEmulator) -> Iterator[Emulator]:
    """The module's emulator, with no faults left over from the test before."""
    threaded_emu.emu.faults.clear()
    yield threaded_emu.emu
    threaded_emu.emu.faults.clear()


@pytest.fixture
def spec(emu: Emulator) -> ClientSpec:
    """What the workers make their client from: the key by name only."""
    return ClientSpec(endpoint=emu.endpoint, api_key=ApiKey.from_env(KEY_ENV), retry=FAST_RETRY)


def run(fn: Callable[[Client], Awaitable[T]], spec: ClientSpec) -> T:
    """``await fn(client)`` with a client made from ``spec``, on a private loop (the tests are synchronous)."""

    async def main() -> T:
        async with spec.client() as client:
            return await fn(client)

    return anyio.run(main)


_TASKS: dict[tuple[int, int], str] = {}


def finished_task(emu: Emulator, spec: ClientSpec, project: int = 0) -> str:
    """A COMPLETE export task of project ``project`` (one per emulator), with details so rows shard well."""
    cached = _TASKS.get((id(emu), project))
    if cached is not None:
        return cached

    async def create(client: Client) -> str:
        task = await client.exports.create_and_poll(
            project_id=emu.project_ids[project],
            params={"label_details": True, "project_details": True},
            poll_interval=0.05,
        )
        return task.id

    _TASKS[(id(emu), project)] = task_id = run(create, spec)
    return task_id


def truth_ids(emu: Emulator, task_id: str) -> list[str]:
    """The data-row ids of the task's RESULT stream, in stream order, as the emulator holds them."""
    return [record["data_row"]["id"] for record in emu.export_records(task_id)]


def signatures(emu: Emulator) -> set[str]:
    """The signature (and credential) of every signed URL the storage origin has been asked for."""
    found: set[str] = set()
    for request in emu.storage_requests:
        query = parse_qs(request.query_string)
        for name in ("X-Goog-Signature",):
            found.update(query.get(name, []))
    return found


def leaks(texts: dict[str, str], key: str, sigs: set[str]) -> list[str]:
    """Where in ``texts`` the key, a URL signature, or any ``X-Goog-Signature=`` value appears."""
    found = []
    signed_param = re.compile(r"X-Goog-Signature=(?!<redacted>)[0-9a-f]{16}")
    for where, text in texts.items():
        if key in text:
            found.append(f"the key in {where}")
        for sig in sigs:
            if sig in text:
                found.append(f"a signature in {where}")
                break
        if signed_param.search(text):
            found.append(f"an X-Goog-Signature value in {where}")
    return found


def read_tree(root: Path) -> dict[str, str]:
    """Every file under ``root``, decoded leniently."""
    out: dict[str, str] = {}
    for path in root.rglob("*"):
        if path.is_file():
            try:
                out[str(path)] = path.read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
    return out
