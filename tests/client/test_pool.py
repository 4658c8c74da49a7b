"""The client and its pool against a real local GraphQL server over loopback."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import AsyncIterator

import anyio
import pytest

from alabelbox import (
    AuthenticationError,
    AuthorizationError,
    Client,
    ClientStateError,
    Limits,
    RetryConfig,
    Timeout,
    TimeoutError,
)
from alabelbox._version import __version__
from tests.client.local_server import LocalServer, serve

KEY = "lb-secret-key-abcdef"
ECHO = "query EchoPyApi($n: Int) { echo }"
SLOW = "query Slow($delay: Float) { echo }"


@pytest.fixture
async def api() -> AsyncIterator[LocalServer]:
    async with serve() as server:
        yield server


@pytest.fixture
async def storage() -> AsyncIterator[LocalServer]:
    async with serve() as server:
        yield server


async def test_200_concurrent_calls_each_get_their_own_answer(api: LocalServer) -> None:
    results: dict[int, object] = {}
    async with Client(api_key=KEY, endpoint=api.endpoint, limits=Limits(max_concurrent_requests=64)) as client:

        async def call(n: int) -> None:
            data = await client.execute(ECHO, {"n": n})
            results[n] = data["echo"]["n"]

        async with anyio.create_task_group() as tg:
            for n in range(200):
                tg.start_soon(call, n)
        assert client.statistics().completed == 200
    assert results == {n: n for n in range(200)}


async def test_concurrency_is_bounded_by_the_limiter(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint, limits=Limits(max_concurrent_requests=5)) as client:
        async with anyio.create_task_group() as tg:
            for _ in range(40):
                tg.start_soon(client.execute, SLOW, {"delay": 0.02})
    assert api.max_active == 5


async def test_cancelling_100_in_flight_calls_leaves_the_pool_empty(api: LocalServer) -> None:
    client = Client(api_key=KEY, endpoint=api.endpoint, limits=Limits(max_concurrent_requests=40))
    async with client:
        with anyio.CancelScope() as scope:
            async with anyio.create_task_group() as tg:
                for _ in range(100):
                    tg.start_soon(client.execute, SLOW, {"delay": 30})
                with anyio.fail_after(10):
                    while api.started < 40 or client.statistics().queued < 60:  # noqa: ASYNC110 - server state
                        await anyio.sleep(0.01)
                stats = client.statistics()
                assert (stats.in_flight, stats.queued) == (40, 60)
                scope.cancel()
        stats = client.statistics()
        assert (stats.in_flight, stats.queued) == (0, 0)
        assert (stats.cancelled, stats.failed) == (100, 0)
        # The pool still works after the cancellation.
        assert (await client.execute(ECHO, {"n": 1}))["echo"] == {"n": 1}
    del client
    gc.collect()  # an unclosed aiohttp session would warn here, and warnings are errors


async def test_timeout_fires_at_the_configured_time(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint, retry=RetryConfig(max_retries=0)) as client:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await client.execute(SLOW, {"delay": 5}, timeout=0.5)
        elapsed = time.monotonic() - started
    assert 0.45 <= elapsed < 1.5


async def test_client_timeout_applies_not_gqls_hidden_10_seconds(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint, timeout=Timeout(total=20)) as client:
        data = await client.execute(SLOW, {"delay": 10.5})
    assert data["echo"] == {"delay": 10.5}


async def test_headers_identify_the_client_and_carry_the_key(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint) as client:
        await client.execute(ECHO)
    (request,) = api.requests
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert request.headers["X-User-Agent"] == f"alabelbox {__version__}"
    info = sys.version_info
    assert request.headers["X-Python-Version"] == f"{info.major}.{info.minor}.{info.micro}-{info.releaselevel}"
    assert request.body == {"query": ECHO, "variables": None}


async def test_experimental_calls_go_to_the_gql_path(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint) as client:
        data = await client.execute(ECHO, experimental=True)
    assert data["path"] == "/_gql"


async def test_the_key_never_goes_to_another_origin(api: LocalServer, storage: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint) as client:
        async with client.download(f"{storage.url}/file") as response:
            assert len(await response.read()) == 1000
        # Even when the caller passes it explicitly.
        async with client.download(f"{storage.url}/file", headers={"Authorization": f"Bearer {KEY}"}) as response:
            await response.read()
        # A redirect from the API origin to storage is not followed with the key attached.
        async with client.download(f"{api.url}/redirect?to={storage.url}/file") as response:
            assert response.status == 302
        # On the API's own origin the key is sent (legacy frame URLs live there).
        async with client.download(f"{api.url}/file") as response:
            await response.read()
    assert len(storage.requests) == 2
    for request in storage.requests:
        assert "Authorization" not in request.headers
        assert KEY not in str(request.headers)
    api_file = [r for r in api.requests if r.path == "/file"]
    assert api_file[0].headers["Authorization"] == f"Bearer {KEY}"


async def test_a_failed_download_never_quotes_the_key(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint) as client:
        with pytest.raises(AuthorizationError) as info:
            async with client.download(f"{api.url}/echo-auth"):
                pass
    assert info.value.status == 403
    assert "<redacted>" in str(info.value)
    assert KEY not in str(info.value) and KEY not in repr(info.value)


async def test_lifecycle_enter_once_close_twice(api: LocalServer) -> None:
    client = Client(api_key=KEY, endpoint=api.endpoint)
    async with client:
        with pytest.raises(ClientStateError, match="already been entered"):
            await client.__aenter__()
    await client.aclose()  # a second close is fine
    with pytest.raises(ClientStateError, match="closed"):
        await client.execute(ECHO)
    with pytest.raises(ClientStateError, match="closed"):
        async with client:
            pass


async def test_a_client_opens_lazily_without_async_with(api: LocalServer) -> None:
    client = Client(api_key=KEY, endpoint=api.endpoint)
    try:
        assert (await client.execute(ECHO, {"n": 3}))["echo"] == {"n": 3}
    finally:
        await client.aclose()


async def test_repr_shows_live_counts_and_never_the_key(api: LocalServer) -> None:
    async with Client(api_key=KEY, endpoint=api.endpoint) as client:
        await client.execute(ECHO)
        text = repr(client)
    assert KEY not in text
    assert "state=opened" in text and "in_flight=0" in text
    assert "state=closed" in repr(client)


def test_missing_key_says_how_to_set_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LABELBOX_API_KEY", raising=False)
    with pytest.raises(AuthenticationError, match="LABELBOX_API_KEY"):
        Client()


async def test_key_and_endpoint_from_the_environment(api: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABELBOX_API_KEY", "env-key")
    monkeypatch.setenv("LABELBOX_ENDPOINT", api.endpoint)
    async with Client() as client:
        await client.execute(ECHO)
    assert api.requests[0].headers["Authorization"] == "Bearer env-key"
    assert os.environ["LABELBOX_API_KEY"] == "env-key"
