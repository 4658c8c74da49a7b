"""``client.tasks`` and the ``Resource`` helpers, against the emulator."""

from __future__ import annotations

import pickle

import pytest

from alabelbox import (
    Client,
    InvalidArgumentError,
    ResourceNotFoundError,
    ResponseModelError,
    Task,
    TaskFailedError,
    TaskStatus,
    WaitTimeoutError,
)
from alabelbox._queries.exports import EXPORT_DATA_ROWS_IN_PROJECT
from alabelbox._queries.projects import LIST_PROJECTS, RETRIEVE_PROJECT
from alabelbox.resources._base import Resource, operation_of
from alabelbox.testing import Emulator
from alabelbox.types.project import Project


def _export_input(project_id: str) -> dict[str, object]:
    return {"input": {"taskName": "t", "filters": {"projectId": project_id}, "params": {}, "streamable": True}}


async def test_a_task_started_by_a_mutation_is_retrieved_and_waited_for(emu: Emulator, client: Client) -> None:
    task = await Resource(client)._create_task(EXPORT_DATA_ROWS_IN_PROJECT, _export_input(emu.project_ids[0]))
    assert isinstance(task, Task) and task.type == "export-data-rows"
    seen: list[TaskStatus] = []
    done = await client.tasks.wait(task, poll_interval=0.01, on_progress=lambda t: seen.append(t.status))
    assert done.id == task.id and done.status is TaskStatus.COMPLETE and done.succeeded and done.is_done
    assert seen[-1] is TaskStatus.COMPLETE
    again = await client.tasks.retrieve(task.id)
    assert again == done  # frozen data, equal by value
    assert pickle.loads(pickle.dumps(done)) == done


async def test_a_failed_task_raises_with_its_errors(emu: Emulator, client: Client) -> None:
    emu.faults.fail_exports(message="the export broke")
    task = await Resource(client)._create_task(EXPORT_DATA_ROWS_IN_PROJECT, _export_input(emu.project_ids[0]))
    with pytest.raises(TaskFailedError, match="the export broke") as caught:
        await client.tasks.wait(task.id, poll_interval=0.01)
    assert caught.value.task_id == task.id
    assert caught.value.errors and "the export broke" in str(caught.value.errors[0])


async def test_running_out_of_time_says_how_far_the_task_got() -> None:
    async with Emulator(seed=1, projects=1, data_rows=20, task_seconds=30.0) as emu:
        async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
            task = await Resource(client)._create_task(EXPORT_DATA_ROWS_IN_PROJECT, _export_input(emu.project_ids[0]))
            with pytest.raises(WaitTimeoutError, match=rf"task {task.id} still IN_PROGRESS"):
                await client.tasks.wait(task, wait_timeout=0.2, poll_interval=0.05)


async def test_an_unknown_task_and_bad_arguments_are_refused(client: Client) -> None:
    with pytest.raises(ResourceNotFoundError, match="task nope not found"):
        await client.tasks.retrieve("nope")
    with pytest.raises(InvalidArgumentError, match="task_id"):
        await client.tasks.retrieve("")
    with pytest.raises(InvalidArgumentError, match="max_poll_interval"):
        await client.tasks.wait("t", poll_interval=5, max_poll_interval=1)
    with pytest.raises(InvalidArgumentError, match="wait_timeout"):
        await client.tasks.wait("t", wait_timeout=0)


async def test_the_helpers_take_the_operation_and_path_from_the_document(emu: Emulator, client: Client) -> None:
    assert operation_of(RETRIEVE_PROJECT)[1] == ("project",)
    resource = Resource(client)
    project = await resource._retrieve(RETRIEVE_PROJECT, {"id": emu.project_ids[1]}, Project)
    assert project.id == emu.project_ids[1]
    with pytest.raises(ResourceNotFoundError, match=r"no project with id") as caught:
        await resource._retrieve(RETRIEVE_PROJECT, {"id": "cl000nope"}, Project)
    assert caught.value.operation == operation_of(RETRIEVE_PROJECT)[0]
    listing = resource._offset_listing(LIST_PROJECTS, {}, Project, page_size=2, window=None)
    assert [p.id async for p in listing] == emu.project_ids
    with pytest.raises(ResponseModelError, match="the answer has no nothing"):
        await resource._retrieve(RETRIEVE_PROJECT, {"id": emu.project_ids[0]}, Project, path=("nothing",))


def test_a_document_with_several_root_fields_needs_a_path() -> None:
    query = "query Two { a { id } b { id } }"
    assert operation_of(query) == ("Two", ())
    with pytest.raises(TypeError, match="Two has several root fields"):
        Resource._where(query, None)
