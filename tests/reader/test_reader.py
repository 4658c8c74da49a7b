"""read_records: samples, chunking invariance, positions, errors, early exit, long lines, real sources."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alabelbox._exceptions import ExportParseError, IncompleteExportError, RecordValidationError
from alabelbox._streaming import Record, read_records
from alabelbox.types import ExportRow, LegacyLabelRow

from .conftest import LEGACY_SAMPLES, NDJSON_SAMPLE, chunked

NDJSON = NDJSON_SAMPLE.read_bytes()
LINES = NDJSON.splitlines()


async def collect(source: Any, model: Any = ExportRow, **kwargs: Any) -> list[Record[Any]]:
    async with read_records(source, model, **kwargs) as reader:
        return [r async for r in reader]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


# -- the real samples ---------------------------------------------------------------------------------------------


async def test_ndjson_sample_typed_with_positions() -> None:
    records = await collect(chunked(NDJSON, 4096), format="ndjson")
    assert [r.value for r in records] == [ExportRow.model_validate_json(x) for x in LINES]
    assert [r.line for r in records] == list(range(102))
    for r in records:
        assert r.offset is not None and r.end is not None
        assert NDJSON[r.offset : r.end] == LINES[r.line] + b"\n"  # type: ignore[index]
    assert records[-1].end == len(NDJSON)


async def test_ndjson_sample_as_dicts() -> None:
    records = await collect(chunked(NDJSON, 1000), None)
    assert [r.value for r in records] == [json.loads(x) for x in LINES]


@pytest.mark.parametrize("path", LEGACY_SAMPLES, ids=lambda p: p.name)
async def test_legacy_samples_through_the_reader(path: Path) -> None:
    data = await anyio.Path(path).read_bytes()
    original = json.loads(data)
    rows = original if isinstance(original, list) else [original]
    records = await collect(chunked(data, 333), LegacyLabelRow, format="json")
    assert [r.value.model_dump(mode="json", exclude_unset=True) for r in records] == rows
    for r, row in zip(records, rows, strict=True):
        assert json.loads(data[r.offset : r.end]) == row


def test_the_ijson_engine_is_gone_with_a_message_that_says_so() -> None:
    from alabelbox._exceptions import InvalidArgumentError

    with pytest.raises(InvalidArgumentError, match=r"json_engine: expected 'splitter', got 'ijson' \(the ijson engine"):
        read_records(chunked(b"[]", 1), None, json_engine="ijson")  # type: ignore[call-overload]


async def test_auto_detects_each_format() -> None:
    assert len(await collect(chunked(NDJSON, 7), format="auto")) == 102
    for path in LEGACY_SAMPLES:
        assert len(await collect(chunked(path.read_bytes(), 7), LegacyLabelRow)) == 1


# -- chunking never changes the output ---------------------------------------------------------------------------

SAMPLE_SLICE = b"".join(line + b"\n" for line in LINES[:12])
ARRAY_SLICE = b"[\n" + b",\n".join(LINES[:12]) + b"\n]\n"


def _summary(records: list[Record[Any]]) -> list[tuple[Any, ...]]:
    return [(r.value, r.offset, r.line, r.end) for r in records]


_EXPECTED_NDJSON = _summary(run(collect(chunked(SAMPLE_SLICE, len(SAMPLE_SLICE)))))
_EXPECTED_ARRAY = _summary(run(collect(chunked(ARRAY_SLICE, len(ARRAY_SLICE)), format="json")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=4000), min_size=1, max_size=30))
def test_chunk_boundaries_never_change_ndjson(sizes: list[int]) -> None:
    assert _summary(run(collect(chunked(SAMPLE_SLICE, sizes), format="ndjson"))) == _EXPECTED_NDJSON


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=4000), min_size=1, max_size=30))
def test_chunk_boundaries_never_change_json_array(sizes: list[int]) -> None:
    got = _summary(run(collect(chunked(ARRAY_SLICE, sizes), format="json")))
    assert got == _EXPECTED_ARRAY
    assert [v for v, *_ in got] == [v for v, *_ in _EXPECTED_NDJSON]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.characters(codec="utf-8")),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(alphabet='{}[]",\\ab\n', max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.dictionaries(st.text(max_size=6), json_values, max_size=4), max_size=6),
    st.lists(st.integers(min_value=1, max_value=64), min_size=1, max_size=10),
)
def test_splitter_equals_json_loads_on_tricky_strings(items: list[dict[str, Any]], sizes: list[int]) -> None:
    # Brackets, quotes, backslashes and newlines inside strings must not confuse the item splitter.
    data = json.dumps(items, ensure_ascii=False, indent=1).encode()
    records = run(collect(chunked(data, sizes), None, format="json"))
    assert [r.value for r in records] == items
    assert [json.loads(data[r.offset : r.end]) for r in records] == items
    ndjson = b"".join(json.dumps(i, ensure_ascii=False).encode() + b"\n" for i in items)
    assert [r.value for r in run(collect(chunked(ndjson, sizes), None, format="ndjson"))] == items


@pytest.mark.parametrize("size", [1, 3, 100])
async def test_a_null_record_is_kept_whatever_the_chunking(size: int) -> None:
    # A value that is None is a record (dict mode, or a model that allows None), not a skipped one.
    data = b'{"a": 1}\nnull\n{"b": 2}\n'
    assert [r.value for r in await collect(chunked(data, size), None, format="ndjson")] == [{"a": 1}, None, {"b": 2}]
    array = b'[{"a": 1},\n null,\n {"b": 2}]'
    assert [r.value for r in await collect(chunked(array, size), None, format="json")] == [{"a": 1}, None, {"b": 2}]


def test_cjk_and_emoji_split_inside_characters() -> None:
    row = json.loads(LINES[0])
    row["data_row"]["external_id"] = "東京タワー🗼" * 50 + "😀👍🏽"
    line = json.dumps(row, ensure_ascii=False).encode() + b"\n"
    data = line * 3
    assert len(data) != len(data.decode())  # really multi-byte
    for size in (1, 2, 3, 5, 7):
        for fmt, payload in (("ndjson", data), ("json", b"[" + b",".join([line] * 3) + b"]")):
            records = run(collect(chunked(payload, size), format=fmt))
            assert [r.value.data_row.external_id for r in records] == [row["data_row"]["external_id"]] * 3


# -- truncation and corruption -------------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=0, max_value=len(SAMPLE_SLICE)), st.integers(min_value=1, max_value=3000))
def test_truncation_gives_a_prefix_then_incomplete(cut: int, size: int) -> None:
    data = SAMPLE_SLICE[:cut]
    got: list[Record[Any]] = []

    async def consume() -> None:
        async with read_records(chunked(data, size), ExportRow, format="ndjson") as reader:
            async for r in reader:
                got.append(r)

    complete = data.count(b"\n")
    tail = data[data.rfind(b"\n") + 1 :]
    if tail and tail == SAMPLE_SLICE.splitlines()[complete]:
        complete += 1  # cut just before a newline: the last record is whole (a final newline is optional)
        tail = b""
    if not tail:
        run(consume())
    else:
        with pytest.raises(IncompleteExportError) as info:
            run(consume())
        resume = data.rfind(b"\n") + 1
        assert (info.value.offset, info.value.line) == (resume, complete)
    # Never a wrong record (the end of a last line without its newline is one byte shorter, hence [:3]).
    assert [g[:3] for g in _summary(got)] == [e[:3] for e in _EXPECTED_NDJSON[:complete]]


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=len(ARRAY_SLICE) - 2), st.integers(min_value=1, max_value=3000))
def test_array_truncation_gives_a_prefix_then_incomplete(cut: int, size: int) -> None:
    data = ARRAY_SLICE[:cut]
    got: list[Record[Any]] = []

    async def consume() -> None:
        async with read_records(chunked(data, size), ExportRow, format="json") as reader:
            async for r in reader:
                got.append(r)

    with pytest.raises(IncompleteExportError) as info:
        run(consume())
    assert _summary(got) == _EXPECTED_ARRAY[: len(got)]
    assert info.value.offset == (got[-1].end if got else 1)


@settings(max_examples=120, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(SAMPLE_SLICE) - 1),
    st.sampled_from([b"\x00", b"\x01", b"\x1f"]),
    st.integers(min_value=1, max_value=3000),
)
def test_corruption_gives_parse_error_at_the_bad_line(at: int, byte: bytes, size: int) -> None:
    # A control byte is invalid anywhere in JSON (inside strings too), so the line holding it must fail.
    data = SAMPLE_SLICE[:at] + byte + SAMPLE_SLICE[at + 1 :]
    bad_line = SAMPLE_SLICE[:at].count(b"\n")
    got: list[Record[Any]] = []

    async def consume() -> None:
        async with read_records(chunked(data, size), ExportRow, format="ndjson") as reader:
            async for r in reader:
                got.append(r)

    with pytest.raises(ExportParseError) as info:
        run(consume())
    assert info.value.line == bad_line
    assert info.value.offset is not None and info.value.offset <= at + 1
    assert _summary(got) == _EXPECTED_NDJSON[:bad_line]


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=len(ARRAY_SLICE) - 1), st.integers(min_value=1, max_value=3000))
def test_array_corruption_is_an_error_never_a_wrong_record(at: int, size: int) -> None:
    data = ARRAY_SLICE[:at] + b"\x01" + ARRAY_SLICE[at + 1 :]
    got: list[Record[Any]] = []

    async def consume() -> None:
        async with read_records(chunked(data, size), ExportRow, format="json") as reader:
            async for r in reader:
                got.append(r)

    with pytest.raises((ExportParseError, IncompleteExportError)):
        run(consume())
    assert _summary(got) == _EXPECTED_ARRAY[: len(got)]
    assert all(r.end is not None and r.end <= at for r in got)


async def test_parse_error_carries_offset_line_and_excerpt() -> None:
    data = LINES[0] + b"\n" + b'{"data_row": {"id": "x"}, "oops" 1}\n'
    with pytest.raises(ExportParseError) as info:
        await collect(chunked(data, 10), format="ndjson")
    err = info.value
    assert err.line == 1
    assert err.offset == len(LINES[0]) + 1 + data.splitlines()[1].index(b"1}")  # the byte jiter stopped at
    assert "oops" in err.excerpt


async def test_validation_error_raise_and_skip() -> None:
    bad = b'{"data_row": {"id": 42}}\n'
    data = LINES[0] + b"\n" + bad + LINES[1] + b"\n"
    with pytest.raises(RecordValidationError) as info:
        await collect(chunked(data, 100), format="ndjson")
    assert info.value.field_path == "data_row.id"
    assert (info.value.offset, info.value.line) == (len(LINES[0]) + 1, 1)

    async with read_records(chunked(data, 100), ExportRow, on_invalid="skip") as reader:
        got = [r async for r in reader]
    assert [r.line for r in got] == [0, 2]
    assert [e.line for e in reader.invalid] == [1]
    assert reader.invalid[0].validation_errors[0]["type"] == "string_type"


@pytest.mark.parametrize("fmt", ["ndjson", "auto"])
async def test_skipped_records_are_reported_at_the_end(fmt: str, caplog: pytest.LogCaptureFixture) -> None:
    bad = b'{"data_row": {"id": 42}}\n'
    data = LINES[0] + b"\n" + bad + LINES[1] + b"\n"
    with caplog.at_level(logging.WARNING, logger="alabelbox.reader"):
        await collect(chunked(data, 100), on_invalid="skip", format=fmt)
    (record,) = caplog.records
    assert "1 invalid records skipped" in record.getMessage()
    assert "line 1" in record.getMessage() and "data_row.id" in record.getMessage()


async def test_blank_and_crlf_lines_are_not_records() -> None:
    data = LINES[0] + b"\r\n\n  \n" + LINES[1]  # no final newline: still a complete record
    records = await collect(chunked(data, 3), format="ndjson")
    assert [r.line for r in records] == [0, 3]
    assert records[-1].end == len(data)


async def test_start_offset_and_line_make_positions_global() -> None:
    records = await collect(chunked(NDJSON, 512), format="ndjson", start_offset=10_000, start_line=500)
    assert records[0].offset == 10_000 and records[0].line == 500
    assert records[-1].end == 10_000 + len(NDJSON) and records[-1].line == 601


async def test_resume_from_incomplete_error_position() -> None:
    cut = len(NDJSON) // 2
    got: list[Record[Any]] = []
    with pytest.raises(IncompleteExportError) as info:
        async with read_records(chunked(NDJSON[:cut], 999), ExportRow) as reader:
            async for r in reader:
                got.append(r)
    err = info.value
    assert err.offset is not None and err.line is not None
    async with read_records(
        chunked(NDJSON[err.offset :], 999), ExportRow, start_offset=err.offset, start_line=err.line
    ) as reader:
        got += [r async for r in reader]
    assert _summary(got) == _summary(await collect(chunked(NDJSON, 999)))


# -- resources, event loop, long lines, real sources ---------------------------------------------------------------


async def test_early_break_closes_the_source_and_leaves_no_task() -> None:
    closed = asyncio.Event()

    async def source() -> AsyncIterator[bytes]:
        try:
            while True:
                yield NDJSON
        finally:
            closed.set()

    tasks_before = asyncio.all_tasks()
    async with read_records(source(), ExportRow) as reader:
        async for r in reader:
            if r.line == 150:
                break
    assert closed.is_set()
    assert asyncio.all_tasks() == tasks_before


async def test_heartbeat_keeps_running_while_parsing() -> None:
    data = NDJSON * 20  # ~3 MB in one chunk: the source never blocks
    beats = 0

    async def heartbeat() -> None:
        nonlocal beats
        while True:
            beats += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(heartbeat())
    try:
        records = await collect(chunked(data, len(data)), format="ndjson", yield_every=64 * 1024)
    finally:
        task.cancel()
    assert len(records) == 102 * 20
    assert beats >= len(data) // (64 * 1024) // 2


async def test_lines_longer_than_aiohttp_limit_over_http() -> None:
    row = json.loads(LINES[0])
    row["data_row"]["row_data"] = "🙂" * 300_000  # 1.2 MB: over aiohttp's 512 KiB line limit
    long_line = json.dumps(row, ensure_ascii=False).encode() + b"\n"
    body = LINES[0] + b"\n" + long_line + LINES[1] + b"\n"

    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        for i in range(0, len(body), 65_536):
            await resp.write(body[i : i + 65_536])
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/shard", handler)
    async with TestServer(app) as server, ClientSession() as session:
        async with session.get(server.make_url("/shard")) as response:
            records = await collect(response.content, format="ndjson")
        async with session.get(server.make_url("/shard")) as response:
            whole = await collect(response, None)
    assert [r.line for r in records] == [0, 1, 2]
    assert records[1].value.data_row.row_data == row["data_row"]["row_data"]
    assert [r.value for r in whole] == [json.loads(x) for x in body.splitlines()]


async def test_anyio_file_and_byte_stream_sources(tmp_path: Path) -> None:
    path = tmp_path / "export.ndjson"
    await anyio.Path(path).write_bytes(NDJSON)
    async with await anyio.open_file(path, "rb") as f:
        records = await collect(f, format="ndjson")
    assert len(records) == 102

    send, receive = anyio.create_memory_object_stream[bytes](10)  # an async iterator of chunks

    async def feed() -> None:
        async with send:
            for i in range(0, len(NDJSON), 5000):
                await send.send(NDJSON[i : i + 5000])

    async with anyio.create_task_group() as tg:
        tg.start_soon(feed)
        got = await collect(receive, format="ndjson")
    assert _summary(got) == _summary(records)


async def test_empty_sources() -> None:
    assert await collect(chunked(b"", 1)) == []
    assert await collect(chunked(b"[]", 1), format="json") == []
    assert await collect(chunked(b"  \n", 1), format="ndjson") == []


async def test_bad_arguments_are_rejected_before_reading() -> None:
    from alabelbox._exceptions import InvalidArgumentError

    with pytest.raises(InvalidArgumentError):
        read_records(chunked(b"", 1), ExportRow, format="xml")  # type: ignore[call-overload]
    with pytest.raises(InvalidArgumentError):
        await collect(object())


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
@pytest.mark.parametrize("fmt", ["ndjson", "json"])
async def test_dict_mode_keeps_integers_past_64_bits_exact(chunk: int, fmt: str) -> None:
    # orjson would turn these into floats (ijl/orjson#308); dict mode must give back the integers.
    values = [{"n": 2**64}, {"n": -(2**63) - 1}, {"n": 10**30, "s": "x" * 100}, {"n": 12345}, {"n": 2**63 - 1}]
    if fmt == "ndjson":
        data = b"".join(json.dumps(v).encode() + b"\n" for v in values)
    else:
        data = json.dumps(values).encode()
    records = await collect(chunked(data, chunk), None, format=fmt)
    assert [r.value for r in records] == values
    assert all(type(r.value["n"]) is int for r in records)
