"""Creating and polling export tasks against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import alabelbox
from alabelbox import (
    Client,
    ExportTaskFailedError,
    ExportTimeoutError,
    InvalidArgumentError,
    ResourceNotFoundError,
)
from alabelbox.resources.tasks import check_task
from alabelbox.testing import Emulator
from alabelbox.types import ExportTask, TaskStatus


async def test_create_and_poll_sends_the_sdk_input_and_completes(emu: Emulator, client: Client) -> None:
    seen: list[float | None] = []
    task = await client.exports.create_and_poll(
        project_id=emu.project_ids[0],
        filters={"last_activity_at": ["2000-01-01T02:00:00+0200", None], "workflow_status": "InReview"},
        params={"label_details": True},
        task_name="t1",
        poll_interval=0.01,
        on_progress=lambda t: seen.append(t.completion_percentage),
    )
    assert task.status is TaskStatus.COMPLETE and task.type == "export-data-rows"
    assert seen and seen[-1] == 100.0
    (create,) = emu.api_requests("exportDataRowsInProjectPyApi")
    assert create.variables is not None
    sent = create.variables["input"]
    assert sent["taskName"] == "t1" and sent["streamable"] is True and sent["isStreamableReady"] is True
    assert sent["filters"]["searchQuery"]["query"] == [
        {
            "type": "data_row_last_activity_at",
            "value": {"operator": "GREATER_THAN_OR_EQUAL", "timezone": "UTC", "value": "2000-01-01T00:00:00+0000"},
        },
        {"type": "task_queue_status", "status": "InReview"},
    ]
    assert sent["params"]["includeLabelDetails"] is True
    # An absolute date needs no timezone lookup.
    assert emu.api_requests("CurrentUserPyApi") == []


async def test_timezone_is_looked_up_once_for_local_dates(emu: Emulator, client: Client) -> None:
    for _ in range(2):
        task = await client.exports.create(
            project_id=emu.project_ids[0], filters={"label_created_at": ["2020-01-01", None]}
        )
        await emu.wait_task(task.id)  # the emulator leaks its writer's file if closed mid-write
    assert len(emu.api_requests("CurrentUserPyApi")) == 1
    sent = emu.api_requests("exportDataRowsInProjectPyApi")[0].variables
    assert sent is not None
    assert sent["input"]["filters"]["searchQuery"]["query"][0]["value"]["timezone"] == "UTC"  # the user's, or UTC


async def test_dataset_and_data_row_exports_use_the_catalog_mutation(emu: Emulator, client: Client) -> None:
    for task in (
        await client.exports.create(dataset_id=emu.dataset_ids[1]),
        await client.exports.create(global_keys=["k1", "k2"]),
    ):
        await emu.wait_task(task.id)
    first, second = emu.api_requests("exportDataRowsInCatalogPyApi")
    assert first.variables is not None and second.variables is not None
    assert first.variables["input"]["filters"]["searchQuery"]["query"] == [
        {"ids": [emu.dataset_ids[1]], "operator": "is", "type": "dataset"}
    ]
    assert second.variables["input"]["filters"]["searchQuery"]["query"] == [
        {"ids": ["k1", "k2"], "operator": "is", "type": "global_key"}
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "source: name exactly one of project_id"),
        ({"project_id": "p", "dataset_id": "d"}, "got project_id, dataset_id"),
        ({"data_row_ids": ["a"], "filters": {"data_row_ids": ["b"]}, "catalog": False}, "given both"),
        ({"model_run_id": "m", "filters": {"data_row_ids": ["b"]}}, "a model-run export takes no filters"),
    ],
)
async def test_create_rejects_before_sending(
    emu: Emulator, client: Client, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        await client.exports.create(**kwargs)
    assert message in str(caught.value)
    assert emu.api_requests() == []


async def test_a_failed_task_raises_with_its_errors(emu: Emulator, client: Client) -> None:
    emu.faults.fail_exports(1)
    task = await client.exports.create(project_id=emu.project_ids[0])
    with pytest.raises(ExportTaskFailedError, match=f"export task {task.id} failed") as caught:
        await client.exports.wait(task, wait_timeout=10, poll_interval=0.01)
    assert (await client.exports.retrieve(task.id)).status is TaskStatus.FAILED
    assert caught.value.errors == [{"message": emu.task(task.id).errors("FAILED")}]  # what the server reported


def test_failed_task_errors_are_carried() -> None:
    task = ExportTask.model_validate({"id": "t", "status": "FAILED", "errors": [{"message": "disk full"}, "oops"]})
    with pytest.raises(ExportTaskFailedError, match="export task t failed: disk full; oops") as caught:
        check_task(task, kind="export task", error=ExportTaskFailedError)
    assert caught.value.errors == [{"message": "disk full"}, {"message": "oops"}]
    canceled = ExportTask.model_validate({"id": "t", "status": "CANCELED"})
    with pytest.raises(ExportTaskFailedError, match=r"export task t was canceled \(the server gave no errors\)"):
        check_task(canceled, kind="export task", error=ExportTaskFailedError)


def test_a_task_is_frozen_data_without_a_client() -> None:
    task = ExportTask.model_validate({"id": "t", "status": "IN_PROGRESS", "isStreamable": False})
    with pytest.raises(ValidationError, match="frozen"):
        task.status = TaskStatus.COMPLETE  # type: ignore[misc]
    assert not task.is_done and task.is_streamable is False
    assert set(ExportTask.model_fields) >= {"id", "status", "completion_percentage", "errors", "result"}
    assert not any(isinstance(v, Client) for v in vars(task).values()) and task.__pydantic_private__ in (None, {})


@pytest.mark.parametrize("emu_options", [{"seed": 1, "projects": 1, "data_rows": 50, "task_seconds": 60.0}])
async def test_a_wait_that_times_out_raises(emu: Emulator, client: Client) -> None:
    task = await client.exports.create(project_id=emu.project_ids[0])
    await emu.wait_task(task.id)  # written, but IN_PROGRESS for task_seconds
    with pytest.raises(ExportTimeoutError, match=rf"export task {task.id} still IN_PROGRESS \(\d+% done\) after 0.3 s"):
        await client.exports.wait(task, wait_timeout=0.3, poll_interval=0.05)
    polls = emu.api_requests("GetUserCreatedTasksPyApi")
    assert 2 <= len(polls) <= 7  # at most one poll per poll_interval (the notice bound), never a busy loop
    assert isinstance(ExportTimeoutError("x"), TimeoutError)


async def test_retrieve_and_wait_by_id(emu: Emulator, client: Client) -> None:
    task = await client.exports.create(project_id=emu.project_ids[0])
    seen: list[ExportTask] = []
    again = await client.exports.wait(task.id, poll_interval=0.01, wait_timeout=10, on_progress=seen.append)
    assert again.id == task.id and again.status is TaskStatus.COMPLETE and again is seen[-1]
    assert task.status is TaskStatus.IN_PROGRESS  # the created task is left as it was: a new object comes back
    with pytest.raises(ResourceNotFoundError, match="export task nope not found"):
        await client.exports.retrieve("nope")


async def test_wait_rejects_bad_intervals(emu: Emulator, client: Client) -> None:
    task = ExportTask.model_validate({"id": "t"})
    with pytest.raises(InvalidArgumentError, match="poll_interval: must be a number of seconds > 0, got 0"):
        await client.exports.wait(task, poll_interval=0)
    with pytest.raises(InvalidArgumentError, match="max_poll_interval: must be >= poll_interval, got 1 and 2"):
        await client.exports.wait(task, poll_interval=2, max_poll_interval=1)
    with pytest.raises(InvalidArgumentError, match="wait_timeout: must be > 0 or None, got -1"):
        await client.exports.wait(task, wait_timeout=-1)
    with pytest.raises(InvalidArgumentError, match="task: expected an ExportTask or a task id, got ''"):
        await client.exports.wait("")
    assert emu.api_requests() == []


async def test_creating_and_retrieving_a_task_keep_the_clients_timeout(emu: Emulator) -> None:
    # No per-call timeout means the client's, never "no limit": a stalled API must not hang an export.
    emu.faults.latency(2.0)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, timeout=0.3, max_retries=0) as slow:
        with pytest.raises(alabelbox.TimeoutError):
            await slow.exports.create(project_id=emu.project_ids[0])
        with pytest.raises(alabelbox.TimeoutError):
            await slow.exports.retrieve("clt-any-task")
