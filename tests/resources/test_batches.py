"""``client.batches`` against the emulator: create (sync and the async path), create many under faults, create from
a dataset, list, retrieve, remove queued rows, delete, delete labels, and the export of a batch."""

from __future__ import annotations

from typing import Any

import pytest

from alabelbox import Client, InvalidArgumentError, LabelboxError, ResourceNotFoundError, TaskFailedError
from alabelbox.resources.batches import SYNC_BATCH_ROWS
from alabelbox.testing import Emulator
from alabelbox.types import BatchSpec, ProjectDetails
from tests.resources.conftest import emulator, fast_retry

CREATE_PROJECT = "mutation C($name: String!) { createProject(data: {name: $name, mediaType: IMAGE}) { id } }"


async def new_project(client: Client, name: str = "batches") -> str:
    data = await client.execute(CREATE_PROJECT, {"name": name})
    return str(data["createProject"]["id"])


def held(emu: Emulator, project_id: str) -> dict[str, Any]:
    """The emulator's truth: row id -> (batch id, queue, priority) of the rows the project's created batches hold."""
    batches = emu.backend.batches
    key = emu.backend.projects.find_key(project_id)
    assert key is not None
    return {batches.row_id(r): (e.batch, e.queue, e.priority) for r, e in batches.project_rows(key).items()}


async def test_create_by_ids_and_by_global_keys(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])
    batch = await client.batches.create(
        pid, "by ids", data_row_ids=rows[:5], priority=2, consensus={"number_of_labels": 3, "coverage_percentage": 0.5}
    )
    assert (batch.name, batch.size, batch.failed_data_row_ids) == ("by ids", 5, ())
    assert batch.consensus_settings == {"numberOfLabels": 3, "coveragePercentage": 0.5}
    keys = [emu.world.global_key(1, i) for i in range(3)]
    by_keys = await client.batches.create(pid, "by keys", global_keys=[*keys, "no-such-key"])
    assert by_keys.size == 3 and by_keys.failed_data_row_ids == ("no-such-key",)
    truth = held(emu, pid)
    assert {r for r, (b, _, _) in truth.items() if b == batch.id} == set(rows[:5])
    assert {truth[r][2] for r in rows[:5]} == {2}
    sent = emu.api_requests("createBatchV2PyApi")[0]
    assert sent.path == "/_gql"
    assert sent.variables is not None and sent.variables["batchInput"]["consensusSettings"] == {
        "numberOfLabels": 3,
        "coveragePercentage": 0.5,
    }


async def test_rows_already_in_the_project_are_reported_not_duplicated(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])
    await client.batches.create(pid, "first", data_row_ids=rows[:4])
    again = await client.batches.create(pid, "second", data_row_ids=rows[2:6])
    assert again.size == 2
    assert set(again.failed_data_row_ids) == set(rows[2:4])
    assert len(held(emu, pid)) == 6


async def test_a_large_batch_takes_the_async_path() -> None:
    async with emulator(projects=1, data_rows=SYNC_BATCH_ROWS + 20) as emu:
        async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client:
            pid = await new_project(client)
            rows = emu.data_row_ids(emu.dataset_ids[0])
            batch = await client.batches.create(pid, "big", data_row_ids=rows, priority=4)
            assert batch.size == len(rows) and batch.failed_data_row_ids == ()
            assert emu.api_requests("createBatchV2PyApi") == []
            assert (
                len(emu.api_requests("createEmptyBatchPyApi"))
                == len(emu.api_requests("addDataRowsToBatchAsyncPyApi"))
                == 1
            )
            assert len(held(emu, pid)) == len(rows)


async def test_create_many_keeps_going_past_failed_batches(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    await client.batches.create(pid, "taken", data_row_ids=emu.data_row_ids(emu.dataset_ids[2])[:1])
    rows = emu.data_row_ids(emu.dataset_ids[0])
    specs = [BatchSpec(f"part {k}", data_row_ids=rows[k * 10 : (k + 1) * 10]) for k in range(6)]
    specs[2] = BatchSpec("taken", data_row_ids=rows[20:30])  # the name is used already: refused
    specs[4] = BatchSpec("ghosts", data_row_ids=["clnope1", "clnope2"])  # no such rows: refused
    done = await client.batches.create_many(pid, specs, concurrency=3)
    assert [r.index for r in done.results] == list(range(6))
    assert [r.name for r in done.failed] == ["taken", "ghosts"]
    assert [getattr(r.error, "code", None) for r in done.failed] == ["BAD_USER_INPUT"] * 2
    assert "already exists" in str(done.failed[0].error) and "None of the data rows" in str(done.failed[1].error)
    assert [b.name for b in done.batches] == ["part 0", "part 1", "part 3", "part 5"]
    truth = held(emu, pid)
    for result in done.results:
        if result.batch is not None:
            got = {r for r, (b, _, _) in truth.items() if b == result.batch.id}
            assert got == set(specs[result.index].data_row_ids or [])
    assert not set(rows[20:30]) & set(truth)  # nothing of the refused batch joined
    with pytest.raises(LabelboxError, match="already exists"):
        done.raise_for_failures()


async def test_create_many_reports_a_server_error_per_batch(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[1])
    specs = [BatchSpec(f"b{k}", data_row_ids=rows[k * 5 : (k + 1) * 5]) for k in range(4)]
    emu.faults.http_error(500, nth=[3])  # the third request of the call: one createBatchV2 breaks
    done = await client.batches.create_many(pid, specs, concurrency=1)
    assert len(done.failed) == 1 and len(done.batches) == 3
    assert sum(b.size or 0 for b in done.batches) == 15 == len(held(emu, pid))


@pytest.mark.parametrize(
    ("spec", "argument"),
    [
        (BatchSpec("", data_row_ids=["r1"]), "specs[1].name"),
        (BatchSpec("x"), "specs[1].data_row_ids"),
        (BatchSpec("x", data_row_ids=["r1"], global_keys=["k"]), "specs[1].data_row_ids"),
        (BatchSpec("x", global_keys=[]), "specs[1].global_keys"),
        (BatchSpec("x", data_row_ids="r1"), "specs[1].data_row_ids"),
        (BatchSpec("x", data_row_ids=["r1"], priority=0), "specs[1].priority"),
        (BatchSpec("x", data_row_ids=["r1"], consensus={"number_of_labels": 0}), "specs[1].consensus.number_of_labels"),
        (BatchSpec("x", data_row_ids=["r1"], consensus={"coverage": 1}), "specs[1].consensus"),
        (BatchSpec("a", data_row_ids=["r2"]), "specs[1].name"),
    ],
)
async def test_bad_specs_are_refused_before_any_request(
    client: Client, emu: Emulator, spec: BatchSpec, argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        await client.batches.create_many("p1", [BatchSpec("a", data_row_ids=["r1"]), spec])
    assert info.value.argument == argument
    assert emu.api_requests() == []


async def test_bad_arguments_are_refused_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="at most 100000") as info:
        await client.batches.create("p1", "huge", data_row_ids=[f"r{i}" for i in range(100_001)])
    assert info.value.argument == "data_row_ids"
    with pytest.raises(InvalidArgumentError, match="project_id"):
        await client.batches.create("", "x", data_row_ids=["r1"])
    with pytest.raises(InvalidArgumentError, match="concurrency"):
        await client.batches.create_many("p1", [], concurrency=0)
    with pytest.raises(InvalidArgumentError, match="batch_id"):
        await client.batches.delete_labels("p1", "")
    with pytest.raises(InvalidArgumentError, match="keep_as_templates"):
        await client.batches.delete_labels("p1", "b1", keep_as_templates="yes")  # type: ignore[arg-type]
    assert emu.api_requests() == []


async def test_create_from_dataset_takes_only_rows_not_in_the_project(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])
    await client.batches.create(pid, "early", data_row_ids=rows[:50])
    done = await client.batches.create_from_dataset(pid, emu.dataset_ids[0], name_prefix="rest-", priority=3)
    assert done.ok and [(b.name, b.size) for b in done.batches] == [("rest-0000", len(rows) - 50)]
    truth = held(emu, pid)
    assert set(truth) == set(rows) and truth[rows[-1]][2] == 3
    with pytest.raises(LabelboxError, match="already in the project"):
        await client.batches.create_from_dataset(pid, emu.dataset_ids[0], name_prefix="again-")


async def test_list_retrieve_remove_queued_and_delete(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])
    first = await client.batches.create(pid, "one", data_row_ids=rows[:6])
    second = await client.batches.create(pid, "two", data_row_ids=rows[6:9])
    listed = [b async for b in client.batches.list(pid, page_size=1)]
    assert [(b.id, b.size) for b in listed] == [(first.id, 6), (second.id, 3)]
    assert (await client.batches.retrieve(pid, second.id)).name == "two"
    queues = await client.workflow.task_queues(pid)
    await client.workflow.move_data_rows(pid, queues[1].id, data_row_ids=rows[:2])
    await client.batches.remove_queued_data_rows(pid, first.id)
    assert (await client.batches.retrieve(pid, first.id)).size == 2  # the rows in review stay
    assert set(held(emu, pid)) == set(rows[:2]) | set(rows[6:9])
    await client.batches.delete(pid, second.id)
    with pytest.raises(ResourceNotFoundError):
        await client.batches.retrieve(pid, second.id)
    assert [b.id for b in await client.batches.list(pid)] == [first.id]
    assert set(held(emu, pid)) == set(rows[:2])


async def test_seeded_batches_are_listed_and_read_only(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[0]
    batches = await client.batches.list(pid)
    assert [b.size for b in batches] == [100, 100, 50]
    with pytest.raises(LabelboxError, match="cannot be changed"):
        await client.batches.delete(pid, batches[0].id)
    added = await client.batches.create(pid, "extra", data_row_ids=emu.data_row_ids(emu.dataset_ids[1])[:3])
    assert added.size == 3
    assert [b.name for b in await client.batches.list(pid)][-1] == "extra"


@pytest.mark.parametrize("keep", [True, False])
async def test_delete_labels_of_a_seeded_batch(client: Client, emu: Emulator, keep: bool) -> None:
    project_id = emu.project_ids[0]
    batch_id = (await client.batches.list(project_id))[1].id  # labels 100..199
    result = await client.batches.delete_labels(project_id, batch_id, keep_as_templates=keep)
    assert sorted(result.deleted_label_ids) == sorted(emu.deleted_label_ids(project_id))
    assert len(result.deleted_label_ids) == 100
    assert emu.template_label_ids(project_id) == (sorted(result.deleted_label_ids) if keep else [])
    request = emu.api_requests("DeleteBatchLabelsPyApi")[0]
    assert request.path == "/_gql"
    assert request.variables is not None
    assert request.variables["type"] == ("RequeueDataWithLabelAsTemplate" if keep else "RequeueData")


async def test_export_of_a_batch_holds_its_rows(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])
    one = await client.batches.create(pid, "one", data_row_ids=rows[:4], priority=2)
    await client.batches.create(pid, "two", data_row_ids=rows[4:7])
    task = await client.exports.create_and_poll(
        project_id=pid, filters={"batch_ids": [one.id]}, params={"project_details": True}, poll_interval=0.01
    )
    async with client.exports.stream(task) as stream:
        lines = [record.value async for record in stream]
    assert sorted(r.data_row.id for r in lines) == sorted(rows[:4])
    projects = lines[0].projects
    assert isinstance(projects, dict)
    details = projects[pid].project_details
    assert isinstance(details, ProjectDetails)
    assert (details.batch_id, details.batch_name, details.priority, details.workflow_status) == (
        one.id,
        "one",
        2,
        "TO_LABEL",
    )
    everything = await client.exports.create_and_poll(project_id=pid, poll_interval=0.01)
    async with client.exports.stream(everything) as stream:
        assert len([record async for record in stream]) == 7


async def test_a_failed_batch_task_is_reported(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    data = await client.execute(
        'mutation E($p: ID!) { project(where: {id: $p}) { createEmptyBatch(input: {name: "e"}) { id } } }',
        {"p": pid},
        experimental=True,
    )
    batch_id = data["project"]["createEmptyBatch"]["id"]
    answer = await client.execute(
        "mutation A($p: ID!, $b: ID!) { project(where: {id: $p}) {"
        ' addDataRowsToBatchAsync(input: {batchId: $b, dataRowIds: ["clnope"]}) { taskId } } }',
        {"p": pid, "b": batch_id},
        experimental=True,
    )
    with pytest.raises(TaskFailedError) as info:
        await client.tasks.wait(answer["project"]["addDataRowsToBatchAsync"]["taskId"], wait_timeout=10)
    assert "clnope" in str(info.value.errors)
