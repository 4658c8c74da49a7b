"""``client.imports.inputs``: the records an import was sent, streamed back from its input files, as the unmodified
SDK's ``AnnotationImport.inputs`` reads them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import pytest_asyncio

from alabelbox import Client
from alabelbox.testing import Emulator


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=11, projects=1, data_rows=30, task_seconds=0.0) as emulator:
        yield emulator


async def test_inputs_stream_the_records_sent(emu: Emulator) -> None:
    pid = emu.project_ids[0]
    rows = [emu.world.row_id(0, i) for i in range(3)]
    records: list[dict[str, Any]] = [
        {"dataRow": {"id": r}, "name": "text_q0", "answer": f"seen {i} 見た"} for i, r in enumerate(rows)
    ]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        job = await client.imports.create(pid, name="inputs", records=records)
        got = [r async for r in client.imports.inputs(job)]
        assert [(r["dataRow"]["id"], r["name"], r["answer"]) for r in got] == [
            (r["dataRow"]["id"], r["name"], r["answer"]) for r in records
        ]
        done = await client.imports.wait(job)
        assert [r async for r in client.imports.inputs(done)] == got  # the same before and after it ran

    labelbox = pytest.importorskip("labelbox")

    def sdk_inputs() -> list[dict[str, Any]]:
        sdk = labelbox.Client(
            api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
        )
        imported = labelbox.LabelImport.from_name(sdk, pid, "inputs")
        return list(imported.inputs)

    assert await anyio.to_thread.run_sync(sdk_inputs) == got
