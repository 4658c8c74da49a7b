"""Protocol edge cases a real server rarely produces, with aioresponses: wrong lengths, gaps, UInt64 strings."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client, ExportDownloadError, ExportStreamNotFoundError, RetryConfig

ENDPOINT = "https://api.labelbox.test/graphql"
STORAGE = "https://storage.test/bucket"
KEY = "lb-test-key"
LINES = [b'{"a": 1}\n', b'{"a": 2}\n', b'{"a": 3}\n', b'{"a": 4}\n']  # 9 bytes each


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Client]:
    async with Client(api_key=KEY, endpoint=ENDPOINT, retry=RetryConfig(max_retries=0)) as c:
        yield c


def header(size: int, lines: int) -> dict[str, Any]:
    return {"data": {"task": {"exportMetadataHeader": {"totalSize": str(size), "totalLines": str(lines)}}}}


def shard(start: int, end: int, line_start: int, line_end: int, name: str) -> dict[str, Any]:
    info = {
        "offsets": {"start": str(start), "end": str(end)},  # UInt64 arrives as strings
        "lines": {"start": line_start, "end": line_end},  # ... or as ints
        "file": f"{STORAGE}/{name}",
    }
    return {"data": {"task": {"exportFileFromOffset": info}}}


async def read_all(client: Client, **kwargs: Any) -> list[Any]:
    async with client.exports.stream("task1", model=None, concurrency=1, **kwargs) as rows:
        return [r async for r in rows]


async def test_string_and_int_ranges_and_two_shards(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(36, 4))
    mocked.post(ENDPOINT, payload=shard(0, 17, 0, 1, "s0"))
    mocked.get(f"{STORAGE}/s0", body=b"".join(LINES[:2]))
    mocked.post(ENDPOINT, payload=shard(18, 35, 2, 3, "s1"))
    mocked.get(f"{STORAGE}/s1", body=b"".join(LINES[2:]))
    records = await read_all(client)
    assert [r.value for r in records] == [json.loads(x) for x in LINES]
    assert [(r.offset, r.line) for r in records] == [(0, 0), (9, 1), (18, 2), (27, 3)]
    sent = [json.loads(c.kwargs["data"]) for k, calls in mocked.requests.items() for c in calls if k[0] == "POST"]
    offsets = [s["variables"]["offset"] for s in sent if "offset" in s["variables"]]
    assert offsets == ["0", "18"]  # UInt64 sent as strings, as the SDK does


async def test_a_body_longer_than_its_range_is_an_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(18, 2))
    mocked.post(ENDPOINT, payload=shard(0, 17, 0, 1, "s0"))
    mocked.get(f"{STORAGE}/s0", body=b"".join(LINES[:3]))
    with pytest.raises(
        ExportDownloadError, match=r"longer than its inclusive range \(27 bytes received, 18 expected\)"
    ):
        await read_all(client)


async def test_a_short_body_is_a_cut_off_retried_then_reported(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(18, 2))
    mocked.post(ENDPOINT, payload=shard(0, 17, 0, 1, "s0"))
    mocked.get(f"{STORAGE}/s0", body=LINES[0] + b'{"a"')
    with pytest.raises(ExportDownloadError, match=r"attempt.* at byte 13: the body ended after 13 of 18"):
        await read_all(client)


async def test_shards_that_do_not_chain_are_an_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(36, 4))
    mocked.post(ENDPOINT, payload=shard(0, 17, 0, 1, "s0"))
    mocked.get(f"{STORAGE}/s0", body=b"".join(LINES[:2]))
    mocked.post(ENDPOINT, payload=shard(18, 35, 3, 4, "s1"))  # line 2 is missing
    with pytest.raises(ExportDownloadError, match="starts at line 3, expected 2"):
        await read_all(client)


async def test_line_count_must_match_the_range(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(18, 3))
    mocked.post(ENDPOINT, payload=shard(0, 17, 0, 2, "s0"))  # says 3 lines, holds 2
    mocked.get(f"{STORAGE}/s0", body=b"".join(LINES[:2]))
    with pytest.raises(ExportDownloadError, match="2 lines, its range says 3"):
        await read_all(client)


async def test_a_null_header_is_a_clear_error(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"task": {"exportMetadataHeader": None}}})
    with pytest.raises(ExportStreamNotFoundError, match="export task task1 has no RESULT stream"):
        await read_all(client)


async def test_a_malformed_shard_description(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload=header(18, 2))
    mocked.post(ENDPOINT, payload={"data": {"task": {"exportFileFromOffset": {"offsets": {"start": "x"}}}}})
    with pytest.raises(ExportDownloadError, match="the server's shard description is malformed"):
        await read_all(client)


async def test_model_run_export_input(client: Client, mocked: Any) -> None:
    mocked.post(ENDPOINT, payload={"data": {"exportDataRowsInModelRun": {"taskId": "t9", "isStreamable": True}}})
    task = await client.exports.create(model_run_id="mr1", params={"predictions": True})
    assert task.id == "t9"
    ((_, calls),) = [(k, v) for k, v in mocked.requests.items() if k[0] == "POST"]
    body = json.loads(calls[0].kwargs["data"])
    assert "exportDataRowsInModelRun" in body["query"]
    assert body["variables"]["input"]["filters"] == {"modelRunId": "mr1"}
    assert body["variables"]["input"]["params"]["includePredictions"] is True
