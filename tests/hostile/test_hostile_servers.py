"""Hostile servers on loopback: the client ends within its bounds with a typed error and no secret anywhere.

"Anywhere": the message, ``repr``, every attribute (deeply), the chained causes, the formatted traceback with its
locals, the pickle, and every log record. The secrets: the API key and the signature of the signed URLs.
"""

from __future__ import annotations

import logging
import pickle
import time
import traceback
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import pytest_asyncio

from alabelbox import (
    AuthenticationError,
    Client,
    ExportDownloadError,
    InternalServerError,
    LabelboxError,
    Limits,
    NetworkError,
    RetryConfig,
    Timeout,
    TimeoutError,
)
from alabelbox._exports.download import download_task
from tests.hostile.servers import KEY, SIGNATURE, Hostile, serve

TOTAL = 0.3
RETRIES = 2
RETRY = RetryConfig(max_retries=RETRIES, initial_delay=0.01, max_delay=0.02, max_retry_after=0.02, deadline=10.0)
#: Every case must end within its attempts' bounds plus this much (backoff, connection set-up, a loaded machine).
SLACK = 1.5
SECRETS = (KEY[:8], KEY[-8:], SIGNATURE[:8], SIGNATURE[-8:])


@pytest_asyncio.fixture
async def hostile() -> AsyncIterator[Hostile]:
    async with serve() as server:
        yield server


@pytest_asyncio.fixture
async def client(hostile: Hostile) -> AsyncIterator[Client]:
    timeout = Timeout(total=TOTAL, connect=TOTAL)
    async with Client(api_key=KEY, endpoint=hostile.endpoint, timeout=timeout, retry=RETRY) as c:
        yield c


def _texts(error: BaseException) -> list[str]:
    """Everything an error shows: messages, reprs, attributes, causes, the traceback with locals, the pickle."""
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out += [str(current), repr(current), repr(vars(current)), repr(current.args)]
        current = current.__cause__ or current.__context__
    out.append(pickle.dumps(error).decode("latin-1"))
    return out


def _with_locals(error: BaseException) -> str:
    return "".join(traceback.TracebackException.from_exception(error, capture_locals=True).format())


def assert_clean(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(error, LabelboxError), repr(error)
    ours = [r for r in caplog.records if r.name.startswith("alabelbox")]  # not the test servers' access log
    texts = [*_texts(error), *(r.getMessage() for r in ours), *(repr(r.__dict__) for r in ours)]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {text[:2000]!r}"
    # The locals of the traceback's frames: the key never (a signed URL is an argument there: documented).
    shown = _with_locals(error)
    assert KEY[:8] not in shown and KEY[-8:] not in shown
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and str(copy) == str(error)


async def _read_stream(client: Client, concurrency: int = 2) -> list[Any]:
    async with client.exports.stream("task1", model=None, concurrency=concurrency) as rows:
        return [r async for r in rows]


# -- only LabelboxError escapes -----------------------------------------------------------------------------------


async def test_a_failed_shard_lookup_raises_itself_not_an_exception_group(hostile: Hostile) -> None:
    hostile.api_mode = "fail_after_first"
    hostile.shards = 6
    async with Client(api_key=KEY, endpoint=hostile.endpoint, max_retries=0) as client:
        with pytest.raises(InternalServerError, match="Service Unavailable"):
            await _read_stream(client, concurrency=4)


async def test_task_download_raises_no_exception_group_either(hostile: Hostile, tmp_path: Path) -> None:
    hostile.api_mode = "fail_after_first"
    hostile.shards = 6
    async with Client(api_key=KEY, endpoint=hostile.endpoint, max_retries=0) as client:
        with pytest.raises(InternalServerError):
            await download_task(client, "task1", tmp_path / "out.ndjson", concurrency=4)
    assert not (tmp_path / "out.ndjson").exists()


async def test_the_streams_read_a_well_behaved_pair_of_origins(hostile: Hostile, client: Client) -> None:
    records = await _read_stream(client)
    assert [r.value["data_row"]["id"] for r in records] == [f"row-{i:04d}" for i in range(60)]
    assert all("Authorization" not in headers for headers in hostile.storage_requests)


# -- the API origin ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected", "attempts"),
    [
        ("stall", TimeoutError, RETRIES + 1),
        ("trickle", TimeoutError, RETRIES + 1),
        ("close", NetworkError, RETRIES + 1),
        ("echo", AuthenticationError, 1),
        ("html", InternalServerError, RETRIES + 1),
    ],
)
async def test_a_hostile_api(
    hostile: Hostile,
    client: Client,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    expected: type[LabelboxError],
    attempts: int,
) -> None:
    hostile.api_mode = mode
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(expected) as info:
        await client.execute("query Me { user { id } }")
    elapsed = time.monotonic() - started
    assert elapsed < attempts * TOTAL + SLACK, elapsed
    assert_clean(info.value, caplog)


async def test_the_raw_graphql_errors_are_kept_redacted_deeply(hostile: Hostile, client: Client) -> None:
    hostile.api_mode = "echo"
    with pytest.raises(AuthenticationError) as info:
        await client.execute("query Me { user { id } }")
    errors = info.value.errors
    assert errors[0]["message"] == "denied: Bearer <redacted>"
    assert errors[0]["extensions"]["request"]["headers"]["Authorization"] == "Bearer <redacted>"
    assert errors[0]["path"] == ["Bearer <redacted>"] and errors[1]["message"] == "Bearer <redacted>"


async def test_a_key_across_the_excerpt_cut_leaves_no_prefix(hostile: Hostile, client: Client) -> None:
    hostile.api_mode = "html"
    with pytest.raises(InternalServerError) as info:
        await client.execute("query Me { user { id } }")
    # The message quotes one short line of the page (redacted whole, then cut): no prefix of the key survives.
    assert "\n" not in info.value.message and len(info.value.message) < 160
    assert KEY[:4] not in str(info.value) and KEY[:4] not in info.value.message


# -- the storage origin: export streams -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["stall", "trickle", "few_then_stall", "echo", "html", "close"])
async def test_a_hostile_storage_host_under_an_export_stream(
    hostile: Hostile, client: Client, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    hostile.storage_mode = mode
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(ExportDownloadError) as info:
        await _read_stream(client)
    elapsed = time.monotonic() - started
    # Each attempt is bounded by Timeout.total; attempts that make little progress by max_retries.
    assert elapsed < (RETRIES + 1) * TOTAL + SLACK, elapsed
    assert_clean(info.value, caplog)


async def test_a_trickling_host_is_bounded_even_with_many_retries_by_the_deadline(hostile: Hostile) -> None:
    hostile.storage_mode = "trickle"
    retry = RetryConfig(max_retries=1000, initial_delay=0.01, max_delay=0.01, deadline=0.5)
    async with Client(api_key=KEY, endpoint=hostile.endpoint, timeout=Timeout(total=0.2), retry=retry) as client:
        started = time.monotonic()
        with pytest.raises(ExportDownloadError, match=r"deadline of 0\.5 s ran out"):
            await _read_stream(client)
    assert time.monotonic() - started < 0.5 + 0.2 + SLACK


async def test_a_slow_consumer_is_not_a_slow_server(hostile: Hostile) -> None:
    """The attempt's bound counts the time spent waiting for the server, not for the consumer."""
    hostile.per_shard = 200  # bodies larger than the fetcher's buffer, so it waits for the consumer
    timeout = Timeout(total=0.3, connect=0.3)
    async with (
        Client(api_key=KEY, endpoint=hostile.endpoint, timeout=timeout, max_retries=0) as client,
        client.exports.stream("task1", model=None, concurrency=1) as rows,
    ):
        count = 0
        started = time.monotonic()
        async for _ in rows:
            count += 1
            if count == 1:
                await anyio.sleep(0.6)  # twice Timeout.total, with the fetcher blocked on the full buffer
        assert count == 600 and time.monotonic() - started > 0.6


async def test_the_legacy_export_download_is_bounded_too(
    hostile: Hostile, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    hostile.storage_mode = "few_then_stall"
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(ExportDownloadError) as info:
        async with client.exports.export_labels("project1", poll_interval=0.01) as rows:
            [row async for row in rows]
    assert time.monotonic() - started < (RETRIES + 1) * TOTAL + SLACK
    assert_clean(info.value, caplog)


# -- the storage origin: client.download() ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("stall", TimeoutError), ("few_then_stall", TimeoutError), ("trickle", TimeoutError), ("close", NetworkError)],
)
async def test_client_download_maps_errors_while_the_body_is_read(
    hostile: Hostile, client: Client, caplog: pytest.LogCaptureFixture, mode: str, expected: type[LabelboxError]
) -> None:
    hostile.storage_mode = mode
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(expected) as info:
        async with client.download(hostile.signed("shard0")) as response:
            await response.read()
    assert time.monotonic() - started < TOTAL + SLACK  # the whole GET is one attempt bounded by Timeout.total
    assert_clean(info.value, caplog)


async def test_client_download_quotes_no_signature_from_an_echoing_body(
    hostile: Hostile, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    hostile.storage_mode = "echo"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(InternalServerError) as info:
        async with client.download(hostile.signed("shard0")):
            pass
    assert SIGNATURE not in str(info.value) and "X-Goog-Signature=<redacted>" in str(info.value)
    assert_clean(info.value, caplog)
    assert len(hostile.storage_requests) == RETRIES + 1  # getting the response is retried like execute()


async def test_a_connect_timeout_does_not_quote_the_signed_url(hostile: Hostile) -> None:
    """aiohttp's connect-timeout message carries the whole URL; with one connection held, the next waits for it."""
    hostile.storage_mode = "stall"
    timeout = Timeout(total=2.0, connect=0.2)
    async with Client(
        api_key=KEY, endpoint=hostile.endpoint, timeout=timeout, limits=Limits(max_connections=1), max_retries=0
    ) as client:
        async with client.download(hostile.signed("shard0")):
            with pytest.raises(TimeoutError) as info:
                async with client.download(hostile.signed("shard1")):
                    pass
    assert "shard1" in str(info.value) or "timed out" in str(info.value)
    for text in _texts(info.value):
        assert SIGNATURE not in text
