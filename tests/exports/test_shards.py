"""The shard core: ``exports.shards``, ``exports.sign``, the bounded ``exports.stream(shard=)``, and the key-less
:class:`SignedShardReader`, against the emulator (faults included)."""

from __future__ import annotations

import itertools
import pickle
from dataclasses import replace
from typing import Any

import pytest

from alabelbox import (
    Client,
    ExportDownloadError,
    ExportShard,
    InvalidArgumentError,
    SignedShardReader,
    SignedUrlExpiredError,
    StreamStateError,
    StreamType,
)
from alabelbox.testing import Emulator
from tests.exports.conftest import FAST_RETRY


async def finished(client: Client, emu: Emulator) -> str:
    task = await client.exports.create_and_poll(
        project_id=emu.project_ids[0], params={"label_details": True}, poll_interval=0.02
    )
    return task.id


def ids_of(records: list[Any]) -> list[str]:
    return [r["data_row"]["id"] for r in records]


async def test_the_listing_covers_the_stream_exactly(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shards = await client.exports.shards(task_id)
    metadata = await client.exports.metadata(task_id)
    assert metadata is not None and len(shards) >= 4
    assert [s.index for s in shards] == list(range(len(shards)))
    assert shards[0].byte_start == 0 and shards[0].line_start == 0
    for before, after in itertools.pairwise(shards):
        assert after.byte_start == before.byte_end + 1 and after.line_start == before.line_end + 1
    assert sum(s.size for s in shards) == metadata.total_size
    assert sum(s.lines for s in shards) == metadata.total_lines == len(emu.export_lines(task_id))
    assert all(s.url is None and s.task_id == task_id and s.stream_type is StreamType.RESULT for s in shards)


async def test_a_signed_shard_keeps_its_url_out_of_repr_equality_and_hash(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    plain = await client.exports.shards(task_id)
    signed = await client.exports.shards(task_id, signed=True)
    assert signed == plain and hash(signed[0]) == hash(plain[0])
    assert all(s.is_signed and s.url and "X-Goog-Signature=" in s.url for s in signed)
    assert "X-Goog" not in repr(signed) and "http" not in repr(signed)
    assert pickle.loads(pickle.dumps(plain[0])) == plain[0]
    assert b"X-Goog" not in pickle.dumps(plain) and signed[0].unsigned().url is None
    fresh = await client.exports.sign(plain[2])
    assert fresh == plain[2] and fresh.url is not None and "X-Goog-Signature=" in fresh.url


async def test_an_export_that_matched_nothing_has_no_shards(client: Client, emu: Emulator) -> None:
    task = await client.exports.create_and_poll(
        project_id=emu.project_ids[0], filters={"data_row_ids": ["cl0000000000000000000none"]}, poll_interval=0.02
    )
    assert await client.exports.shards(task, missing_ok=True) == []


async def test_a_bounded_stream_reads_its_shard_and_nothing_past_it(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shards = await client.exports.shards(task_id)
    truth = ids_of(emu.export_records(task_id))
    target = shards[2]
    lookups = len(emu.api_requests("GetExportFileFromOffsetPyApi"))
    downloads = len(emu.storage_requests)
    async with client.exports.stream(task_id, shard=target, model=None) as rows:
        records = [row async for row in rows]
    assert ids_of([r.value for r in records]) == truth[target.line_start : target.line_end + 1]
    assert records[0].offset == target.byte_start and records[-1].end == target.byte_end + 1
    assert len(emu.api_requests("GetExportFileFromOffsetPyApi")) == lookups + 1  # its own signing, no probe
    assert [r.path for r in emu.storage_requests[downloads:]] == [emu.storage_requests[downloads].path]
    assert emu.storage_requests[downloads].path.endswith("00002.ndjson")


async def test_a_bounded_stream_is_exactly_once_under_storage_faults(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shards = await client.exports.shards(task_id, signed=True)  # a signed shard is fetched with its own URL
    truth = ids_of(emu.export_records(task_id))
    emu.faults.reset_downloads(rate=0.3)
    emu.faults.truncate_downloads(rate=0.2)
    emu.faults.storage_error(503, rate=0.2)
    got: list[str] = []
    for shard in shards:
        async with client.exports.stream(task_id, shard=shard, model=None) as rows:
            got += [row.value["data_row"]["id"] async for row in rows]
    assert got == truth
    assert len(emu.storage_requests) > len(shards)


async def test_a_bounded_stream_rejects_a_shard_that_is_not_the_servers(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shard = (await client.exports.shards(task_id))[1]
    moved = replace(shard, byte_end=shard.byte_end - 10)
    with pytest.raises(ExportDownloadError, match="the server now says"):
        async with client.exports.stream(task_id, shard=moved) as rows:
            [row async for row in rows]
    with pytest.raises(InvalidArgumentError, match="not to the RESULT stream of other"):
        client.exports.stream("other", shard=shard)
    with pytest.raises(InvalidArgumentError, match="not both"):
        client.exports.stream(task_id, shard=shard, start_offset=0)
    with pytest.raises(ExportDownloadError, match="the server now says"):
        await client.exports.sign(moved)


async def test_the_keyless_reader_resumes_and_never_sends_the_key(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shards = await client.exports.shards(task_id, signed=True)
    truth = ids_of(emu.export_records(task_id))
    emu.faults.reset_downloads(rate=0.3)
    emu.faults.truncate_downloads(rate=0.2)
    emu.faults.storage_error(503, rate=0.2)
    before = len(emu.storage_requests)
    got: list[str] = []
    retries = 0
    for shard in shards:
        reader = SignedShardReader(shard, retry=FAST_RETRY)
        async with reader as rows:
            async for row in rows:
                assert shard.line_start <= (row.line or 0) <= shard.line_end
                got.append(row.value["data_row"]["id"])
        retries += reader.retries
    assert got == truth and retries > 0
    sent = emu.storage_requests[before:]
    assert any("range" in {k.lower() for k in r.headers} for r in sent)  # resumed with Range
    assert not any("authorization" in {k.lower() for k in r.headers} for r in sent)
    assert emu.key_leaks == []


async def test_the_keyless_reader_types_rows_with_a_model(client: Client, emu: Emulator) -> None:
    from alabelbox.types import ExportRow

    task_id = await finished(client, emu)
    shard = (await client.exports.shards(task_id, signed=True))[0]
    async with SignedShardReader(shard, model=ExportRow) as rows:
        typed = [row.value async for row in rows]
    assert [r.data_row.id for r in typed] == ids_of(emu.export_records(task_id))[: shard.lines]


async def test_an_expired_url_is_its_own_error_and_shows_no_signature(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shard = (await client.exports.shards(task_id, signed=True))[1]
    assert shard.url is not None
    signature = shard.url.split("X-Goog-Signature=")[1].split("&")[0]
    emu.clock.advance(emu.settings.url_ttl + 120)
    with pytest.raises(SignedUrlExpiredError, match="sign the shard again") as caught:
        async with SignedShardReader(shard, retry=FAST_RETRY) as rows:
            [row async for row in rows]
    error = caught.value
    assert isinstance(error, ExportDownloadError) and error.status == 400
    assert signature not in f"{error} {error!r} {vars(error)} {error.__cause__!r}"
    assert signature.encode() not in pickle.dumps(error)
    fresh = await client.exports.sign(shard)  # the driver's way out: sign again, read anew
    async with SignedShardReader(fresh, retry=FAST_RETRY) as rows:
        assert len([row async for row in rows]) == shard.lines


async def test_the_keyless_reader_checks_lengths(client: Client, emu: Emulator) -> None:
    task_id = await finished(client, emu)
    shard = (await client.exports.shards(task_id, signed=True))[0]
    short = replace(shard, byte_end=shard.byte_end - 1)
    with pytest.raises(ExportDownloadError, match="Content-Length"):
        async with SignedShardReader(short, retry=FAST_RETRY) as rows:
            [row async for row in rows]
    more_lines = replace(shard, line_end=shard.line_end + 1)
    with pytest.raises(ExportDownloadError, match="its ranges say lines"):
        async with SignedShardReader(more_lines, retry=FAST_RETRY) as rows:
            [row async for row in rows]


async def test_the_keyless_reader_needs_a_signed_shard_and_its_block() -> None:
    plain = ExportShard("t", StreamType.RESULT, 0, 0, 9, 0, 0)
    with pytest.raises(InvalidArgumentError, match="carries no signed URL"):
        SignedShardReader(plain)
    reader = SignedShardReader(replace(plain, url="http://127.0.0.1:9/x?sig=1"))
    with pytest.raises(StreamStateError):
        aiter(reader)
    assert "sig=1" not in repr(reader)
