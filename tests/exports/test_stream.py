"""Streaming export shards against the emulator, compared with its truth."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anyio
import pytest

from alabelbox import Client, ExportStreamNotFoundError, InvalidArgumentError, StreamStateError
from alabelbox._exports.stream import ShardStream
from alabelbox.testing import Emulator
from alabelbox.types import ExportRow, ExportTask, StreamType


def _client_task_list() -> list[str]:
    server = ("RequestHandler", "_accept_connection")
    return [repr(t) for t in asyncio.all_tasks() if not any(name in repr(t.get_coro()) for name in server)]


def _client_tasks() -> int:
    """Tasks on the loop that are not the emulator's own request handlers (they share the loop)."""
    server = ("RequestHandler", "_accept_connection")
    return sum(1 for t in asyncio.all_tasks() if not any(name in repr(t.get_coro()) for name in server))


async def _finished(emu: Emulator, client: Client, **create: Any) -> ExportTask:
    task = await client.exports.create_and_poll(poll_interval=0.01, wait_timeout=60, **create)
    await emu.wait_task(task.id)
    return task


async def _collect(stream: ShardStream[Any]) -> list[Any]:
    async with stream as rows:
        return [record async for record in rows]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_every_row_in_order_with_global_positions(emu: Emulator, client: Client, concurrency: int) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    truth = emu.export_lines(task.id)
    assert len(emu.task(task.id).streams["RESULT"].shards) > 3
    records = await _collect(client.exports.stream(task, model=None, concurrency=concurrency))
    assert [r.value for r in records] == [json.loads(line) for line in truth]
    offset = 0
    for line_no, (record, raw) in enumerate(zip(records, truth, strict=True)):
        assert (record.offset, record.line, record.end) == (offset, line_no, offset + len(raw))
        offset += len(raw)


async def test_typed_rows_by_default(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[1])
    records = await _collect(client.exports.stream(task))
    assert records and all(isinstance(r.value, ExportRow) for r in records)
    assert [r.value.data_row.id for r in records] == [
        json.loads(line)["data_row"]["id"] for line in emu.export_lines(task.id)
    ]


async def test_the_key_never_reaches_the_storage_origin(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    await _collect(client.exports.stream(task, model=None, concurrency=3))
    assert emu.storage_requests, "no shard was downloaded"
    assert emu.key_leaks == []
    assert all("Authorization" not in r.headers for r in emu.storage_requests)
    # ... while every GraphQL call carried it.
    assert all(r.headers.get("Authorization") == f"Bearer {emu.api_key}" for r in emu.api_requests())


async def test_resume_from_a_saved_position_in_the_middle_of_a_shard(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    truth = emu.export_lines(task.id)
    shard = emu.task(task.id).streams["RESULT"].shards[1]
    middle = (shard.line_start + shard.line_end) // 2
    assert shard.line_start < middle < shard.line_end
    async with client.exports.stream(task, model=None) as rows:
        async for record in rows:
            if record.line == middle:
                break
        saved = rows.position
    emu.requests.clear()
    resumed = await _collect(client.exports.stream(task, model=None, start_offset=saved[0], start_line=saved[1]))
    assert [r.value for r in resumed] == [json.loads(line) for line in truth[middle + 1 :]]
    assert resumed[0].line == middle + 1 and resumed[0].offset == saved[0]
    # The resumed shard was fetched with a Range from the saved byte, not from its start.
    first = emu.storage_requests[0]
    assert first.headers.get("Range") == f"bytes={saved[0] - shard.byte_start}-"


async def test_start_line_alone_and_start_offset_alone(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    truth = emu.export_lines(task.id)
    by_line = await _collect(client.exports.stream(task, model=None, start_line=77))
    assert [r.line for r in by_line] == list(range(77, len(truth)))
    offset = sum(len(line) for line in truth[:120])
    by_offset = await _collect(client.exports.stream(task, model=None, start_offset=offset))
    assert by_offset[0].line == 120 and len(by_offset) == len(truth) - 120
    with pytest.raises(InvalidArgumentError, match=f"byte {offset + 3} is not the start of a line"):
        await _collect(client.exports.stream(task, model=None, start_offset=offset + 3))
    assert await _collect(client.exports.stream(task, model=None, start_line=len(truth))) == []
    with pytest.raises(InvalidArgumentError, match="start_line: 100000 is past the end of the stream"):
        await _collect(client.exports.stream(task, start_line=100_000))


async def test_an_empty_export(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0], filters={"data_row_ids": ["nope"]})
    with pytest.raises(ExportStreamNotFoundError, match=f"export task {task.id} has no RESULT stream"):
        await _collect(client.exports.stream(task))
    assert await _collect(client.exports.stream(task, missing_ok=True)) == []
    assert await client.exports.metadata(task) is None


async def test_the_errors_stream(emu: Emulator, client: Client) -> None:
    emu.faults.export_errors(0.2)
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    errors = await _collect(client.exports.stream(task, stream_type=StreamType.ERRORS))
    assert errors and [r.value for r in errors] == emu.export_records(task.id, "ERRORS")


async def test_early_break_and_cancel_leave_nothing_running(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    before = _client_tasks()
    emu.faults.bandwidth(200_000)  # slow shards, so fetches are in flight when we leave
    async with client.exports.stream(task, model=None, concurrency=4) as rows:
        async for _record in rows:
            break
        assert client.statistics().downloads_in_flight > 0
    assert client.statistics().downloads_in_flight == 0
    assert _client_tasks() == before, _client_task_list()
    with anyio.move_on_after(0.2) as scope:
        async with client.exports.stream(task, model=None, concurrency=4) as rows:
            async for _record in rows:
                pass
    assert scope.cancelled_caught
    assert client.statistics().downloads_in_flight == 0
    assert _client_tasks() == before, _client_task_list()


async def test_an_error_in_the_consumer_propagates_unwrapped(emu: Emulator, client: Client) -> None:
    task = await _finished(emu, client, project_id=emu.project_ids[0])
    with pytest.raises(KeyError, match="mine"):
        async with client.exports.stream(task, model=None) as rows:
            async for _record in rows:
                raise KeyError("mine")
    assert client.statistics().downloads_in_flight == 0


async def test_a_stream_must_be_entered(client: Client) -> None:
    stream = client.exports.stream("t")
    with pytest.raises(StreamStateError, match=r"use `async with client\.exports\.stream"):
        stream.__aiter__()
    with pytest.raises(InvalidArgumentError, match="concurrency: must be a positive integer, got 0"):
        client.exports.stream("t", concurrency=0)


@pytest.mark.parametrize(
    "emu_options",
    [{"seed": 7, "projects": 1, "data_rows": 100_000, "task_seconds": 0.0, "shard_bytes": 128 * 1024}],
)
async def test_exactly_once_through_resets_429_5xx_and_expired_urls(emu: Emulator, client: Client) -> None:
    """100,000 small rows (catalog lines, no labels); 5 % of shard GETs reset at a random byte, more answer
    429 or 503, and signed URLs expire while shards wait their turn. Every row arrives once, in order."""
    emu.settings.url_ttl = 30.0
    task = await _finished(emu, client, dataset_id=emu.dataset_ids[0])
    truth = emu.export_lines(task.id)
    assert len(truth) == 100_000
    emu.faults.reset_downloads(rate=0.05)  # at a byte drawn from the emulator's seeded generator
    emu.faults.storage_error(429, rate=0.03, retry_after=0)
    emu.faults.storage_error(503, rate=0.03)
    emu.faults.http_error(503, rate=0.03)  # and the GraphQL lookups fail now and then too
    expected = iter(truth)
    count = 0
    offset = 0
    async with client.exports.stream(task, model=None, concurrency=4) as rows:
        async for record in rows:
            raw = next(expected)
            assert record.line == count and record.offset == offset, f"row {count} out of place"
            assert record.value == json.loads(raw)
            offset += len(raw)
            count += 1
            if count % 20_000 == 0:
                emu.clock.advance(60)  # every URL handed out so far has now expired
        retries = rows.retries
    statuses = [s for r in emu.storage_requests for s in r.status if s in (429, 503)]
    assert count == 100_000
    assert rows.position == (offset, 100_000)
    statuses_seen = [s for r in emu.storage_requests for s in r.status]
    assert 400 in statuses_seen, "no signed URL expired"
    assert statuses.count(429) > 0 and statuses.count(503) > 0
    resets = [r for r in emu.storage_requests if r.headers.get("Range")]
    assert resets, "no shard was resumed with a Range"
    assert retries >= len(statuses)
    assert emu.key_leaks == []
