"""Export tasks as data: the unmodified SDK (7.17) and alabelbox act on the same emulator task and agree with it.

One side creates the task, the other retrieves, waits for and reads it: the task's fields, its COMPLETE status and
its rows are the same for both, and are the emulator's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest

from alabelbox import Client, ExportTaskFailedError, TaskFailedError
from alabelbox.testing import Emulator
from alabelbox.types import ExportTask, Task, TaskStatus

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

T = TypeVar("T")


def sdk_client(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
    )


async def in_thread(fn: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(fn)


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=11, projects=2, data_rows=90, shard_bytes=20_000, task_seconds=0.3) as e:
        yield e


async def test_a_task_the_sdk_created_is_waited_for_and_downloaded_by_alabelbox(emu: Emulator, tmp_path: Path) -> None:
    pid = emu.project_ids[0]

    def create() -> str:
        return str(sdk_client(emu).get_project(pid).export(params={"label_details": True}).uid)

    task_id = await in_thread(create)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        running = await client.exports.retrieve(task_id)
        done = await client.exports.wait(task_id, poll_interval=0.05, wait_timeout=30)
        assert isinstance(done, ExportTask) and isinstance(done, Task)
        assert done.status is TaskStatus.COMPLETE and done.type == "export-data-rows"
        assert running.id == done.id and running is not done  # frozen: a wait returns a new task
        progress = await client.exports.download(done, tmp_path / "rows.ndjson")
        generic = await client.tasks.retrieve(task_id)

    def read() -> tuple[Any, list[Any]]:
        task = labelbox.ExportTask.get_task(sdk_client(emu), task_id)
        task.wait_till_done()
        return task, [out.json for out in task.get_buffered_stream()]

    sdk_task, sdk_records = await in_thread(read)
    truth = emu.task(task_id)
    assert (tmp_path / "rows.ndjson").read_bytes() == b"".join(emu.export_lines(task_id))
    assert [json.loads(line) for line in (tmp_path / "rows.ndjson").read_bytes().splitlines()] == sdk_records
    assert sdk_records == emu.export_records(task_id) and len(sdk_records) == 90
    assert progress.total_bytes == truth.streams["RESULT"].total_size and progress.lines_done == 90
    # The same task, field by field, as the SDK, client.exports and client.tasks see it.
    assert (done.id, done.status.value, done.name) == (sdk_task.uid, sdk_task.status, sdk_task.name)
    assert done.created_at == sdk_task.created_at and done.updated_at == sdk_task.updated_at
    assert generic.model_dump() == done.model_dump(exclude={"is_streamable"})
    assert emu.key_leaks == []


async def test_a_task_alabelbox_created_is_read_by_the_sdk(emu: Emulator) -> None:
    pid = emu.project_ids[1]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        task = await client.exports.create_and_poll(project_id=pid, task_name="made by alabelbox", poll_interval=0.05)
        async with client.exports.stream(task, model=None) as rows:
            ours = [row.value async for row in rows]

    def read() -> tuple[str, str, list[Any]]:
        sdk_task = labelbox.ExportTask.get_task(sdk_client(emu), task.id)
        sdk_task.wait_till_done()
        return sdk_task.status, sdk_task.name, [out.json for out in sdk_task.get_buffered_stream()]

    status, name, theirs = await in_thread(read)
    assert (status, name) == ("COMPLETE", "made by alabelbox") == (task.status.value, task.name)
    assert ours == theirs == emu.export_records(task.id)


async def test_a_failed_task_fails_for_both(emu: Emulator) -> None:
    emu.faults.fail_exports(1)

    def create() -> tuple[str, str]:
        sdk_task = sdk_client(emu).get_project(emu.project_ids[0]).export()
        sdk_task.wait_till_done()
        return str(sdk_task.uid), sdk_task.status

    task_id, sdk_status = await in_thread(create)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        with pytest.raises(ExportTaskFailedError) as export_error:
            await client.exports.wait(task_id, poll_interval=0.05, wait_timeout=30)
        with pytest.raises(TaskFailedError) as task_error:
            await client.tasks.wait(task_id, poll_interval=0.05, wait_timeout=30)
    assert sdk_status == "FAILED"
    expected = [{"message": emu.task(task_id).errors("FAILED")}]
    assert export_error.value.errors == task_error.value.errors == expected
    assert export_error.value.task_id == task_error.value.task_id == task_id
