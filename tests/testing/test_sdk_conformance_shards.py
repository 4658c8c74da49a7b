"""Shard by shard and whole: the official SDK's export stream and alabelbox's shard readers agree with the emulator.

The official SDK reads an export whole (``get_buffered_stream``); alabelbox lists the same task's shards and reads
each on its own, with a client (``exports.stream(task, shard=...)``) and with no key (``SignedShardReader``). Both
must see exactly the emulator's rows, and alabelbox's shard ranges must be the emulator's own files.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from alabelbox import Client, SignedShardReader
from alabelbox.testing import Emulator

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=11, projects=2, data_rows=180, shard_bytes=30_000, task_seconds=0.1) as e:
        yield e


async def test_sdk_whole_and_alabelbox_by_shard_agree_with_the_emulator(emu: Emulator) -> None:
    pid = emu.project_ids[0]

    def sdk_export() -> tuple[str, list[Any], int | None, int | None]:
        client = labelbox.Client(
            api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
        )
        task = client.get_project(pid).export(params={"label_details": True})
        task.wait_till_done()
        assert task.status == "COMPLETE", task.status
        rt = labelbox.StreamType.RESULT
        records = [out.json for out in task.get_buffered_stream()]
        return task.uid, records, task.get_total_file_size(rt), task.get_total_lines(rt)

    task_id, sdk_records, sdk_size, sdk_lines = await anyio.to_thread.run_sync(sdk_export)
    truth = emu.export_records(task_id)
    assert sdk_records == truth

    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        shards = await client.exports.shards(task_id)
        signed = await client.exports.shards(task_id, signed=True)
        by_client: list[Any] = []
        for shard in shards:
            async with client.exports.stream(task_id, shard=shard, model=None) as rows:
                by_client += [row.value async for row in rows]
    by_keyless: list[Any] = []
    for shard in signed:
        async with SignedShardReader(shard) as keyless:
            by_keyless += [row.value async for row in keyless]

    files = emu.task(task_id).streams["RESULT"].shards
    assert len(files) > 3
    assert [s.ranges() for s in shards] == [(f.byte_start, f.byte_end, f.line_start, f.line_end) for f in files]
    assert sum(s.size for s in shards) == sdk_size
    assert sum(s.lines for s in shards) == sdk_lines == len(truth)
    assert by_client == truth and by_keyless == truth
    assert emu.key_leaks == []
