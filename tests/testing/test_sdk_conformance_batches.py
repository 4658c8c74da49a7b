"""The official labelbox SDK (7.17.0), unmodified, sends rows to a project in batches and moves them through the
workflow against the emulator; alabelbox reads back exactly that, and the other way round. Every test checks both
against the emulator's truth. (A file of its own beside ``test_sdk_conformance.py``, whose fixtures it shares.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import BatchSpec

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    # Tasks finish at once: the SDK sleeps 2 s between task polls.
    async with Emulator(seed=7, projects=3, data_rows=230, shard_bytes=40_000, task_seconds=0.0) as e:
        yield e


@pytest.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def truth(emu: Emulator, project_id: str) -> dict[str, tuple[str, int, int]]:
    """Row id -> (batch id, queue index, priority) for the rows the project's created batches hold."""
    batches = emu.backend.batches
    key = emu.backend.projects.find_key(project_id)
    assert key is not None
    return {batches.row_id(r): (e.batch, e.queue, e.priority) for r, e in batches.project_rows(key).items()}


async def test_sdk_batches_are_what_alabelbox_reads(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    rows = emu.data_row_ids(emu.dataset_ids[0])
    keys = [emu.world.global_key(1, i) for i in range(5)]

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        project = sdk.create_project(name="Batches", media_type=labelbox.MediaType.Image)
        by_ids = project.create_batch(
            "by ids", rows[:8], priority=2, consensus_settings={"number_of_labels": 2, "coverage_percentage": 0.5}
        )
        by_keys = project.create_batch("by keys", global_keys=[*keys, "nobody"], priority=4)
        gone = project.create_batch("gone", rows[8:12])
        gone.delete()
        task = project.create_batches_from_dataset("all-", emu.dataset_ids[2])
        task.wait_till_done()
        by_ids.remove_queued_data_rows()
        return {
            "project": project,
            "by_ids": by_ids,
            "by_keys": by_keys,
            "from_dataset": task.result(),
            "errors": task.errors(),
            "listed": [(b.uid, b.name, b.size) for b in project.batches()],
            "got": sdk.get_batch(project.uid, by_keys.uid),
        }

    got = await in_thread(run)
    pid = got["project"].uid
    assert got["by_ids"].size == 8 and got["by_keys"].size == 5
    assert list(got["by_keys"].failed_data_row_ids) == ["nobody"]
    assert got["errors"] is None and [b.size for b in got["from_dataset"]] == [230]
    assert got["got"].name == "by keys"
    mine = await client.batches.list(pid)
    assert [(b.id, b.name, b.size) for b in mine] == got["listed"]
    assert [b.name for b in mine] == ["by ids", "by keys", "all-0000"]
    assert mine[0].size == 0  # every row of "by ids" was still queued
    assert mine[1].consensus_settings is None
    held = truth(emu, pid)
    assert len(held) == 5 + 230
    assert {held[r][2] for r in held if held[r][0] == got["by_keys"].uid} == {4}
    requests = {r.operation_name for r in emu.api_requests()}
    assert {
        "CheckAllDataRowsHaveBeenProcessedPyApi",
        "createBatchV2PyApi",
        "DeleteBatchPyApi",
        "RemoveQueuedDataRowsFromBatchPyApi",
        "createBatchesFromDatasetPyApi",
        "getProjectBatchPyApi",
    } <= requests


async def test_sdk_takes_the_async_path_for_a_large_batch(no_external_network: list[Any]) -> None:
    async with Emulator(seed=7, projects=1, data_rows=1_005, task_seconds=0.0) as emu:
        rows = emu.data_row_ids(emu.dataset_ids[0])

        def run() -> Any:
            project = sdk_client(emu).create_project(name="Big", media_type=labelbox.MediaType.Image)
            return project, project.create_batch("big", rows)

        project, batch = await in_thread(run)
        async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
            mine = await client.batches.retrieve(project.uid, batch.uid)
        assert batch.size == mine.size == len(rows) == len(truth(emu, project.uid))
        assert [len(emu.api_requests(op)) for op in ("createEmptyBatchPyApi", "addDataRowsToBatchAsyncPyApi")] == [1, 1]


async def test_sdk_reads_the_batches_alabelbox_creates(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    pid = (await client.execute('mutation { createProject(data: {name: "mine"}) { id } }'))["createProject"]["id"]
    rows = emu.data_row_ids(emu.dataset_ids[1])
    done = await client.batches.create_many(
        pid, [BatchSpec(f"part {k}", data_row_ids=rows[k * 20 : (k + 1) * 20], priority=k + 1) for k in range(3)]
    )
    assert done.ok

    def run() -> Any:
        project = sdk_client(emu).get_project(pid)
        return [(b.uid, b.name, b.size) for b in project.batches()]

    assert await in_thread(run) == [(b.id, b.name, 20) for b in done.batches]


async def test_sdk_workflow_is_what_alabelbox_reads(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    rows = emu.data_row_ids(emu.dataset_ids[0])[:12]

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        project = sdk.create_project(name="Flow", media_type=labelbox.MediaType.Image)
        project.create_batch("work", rows)
        queues = project.task_queues()
        project.move_data_rows_to_task_queue(labelbox.UniqueIds(rows[:3]), queues[1].uid)
        project.move_data_rows_to_task_queue(labelbox.UniqueIds(rows[3:5]), None)
        project.set_labeling_parameter_overrides([(labelbox.UniqueId(rows[5]), 1), (labelbox.UniqueId(rows[6]), 2)])
        project.update_data_row_labeling_priority(labelbox.UniqueIds(rows[7:9]), 3)
        failed = None
        try:
            project.move_data_rows_to_task_queue(labelbox.UniqueIds(["clnope"]), queues[1].uid)
        except Exception as exc:  # the SDK raises LabelboxError when the task FAILED
            failed = exc
        return {
            "project": project,
            "queues": [(q.uid, q.name, q.data_row_count) for q in project.task_queues()],
            "overview": project.get_overview(),
            "overrides": sorted((o.priority, o.uid) for o in project.labeling_parameter_overrides()),
            "failed": failed,
        }

    got = await in_thread(run)
    pid = got["project"].uid
    mine = await client.workflow.task_queues(pid)
    assert [(q.id, q.name, q.data_row_count) for q in mine] == got["queues"]
    assert [c for _, _, c in got["queues"]] == [7, 3, 2]
    overview = await client.workflow.overview(pid)
    sdk_overview = got["overview"]
    assert (
        (overview.to_label, overview.in_review, overview.done, overview.total_data_rows)
        == (
            sdk_overview.to_label,
            sdk_overview.in_review,
            sdk_overview.done,
            sdk_overview.total_data_rows,
        )
        == (7, 3, 2, 12)
    )
    priorities = sorted((p.priority, p.id) for p in await client.workflow.priorities(pid))
    assert priorities == got["overrides"]
    assert [p for p, _ in priorities] == [1, 2, 3, 3]
    held = truth(emu, pid)
    assert [held[r][1] for r in rows[:5]] == [1, 1, 1, 2, 2]
    assert [held[r][2] for r in rows[5:10]] == [1, 2, 3, 3, 5]
    assert got["failed"] is not None and "clnope" in str(got["failed"])


async def test_alabelbox_workflow_is_what_the_sdk_reads(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    pid = (await client.execute('mutation { createProject(data: {name: "flow"}) { id } }'))["createProject"]["id"]
    rows = emu.data_row_ids(emu.dataset_ids[0])[:6]
    await client.batches.create(pid, "work", data_row_ids=rows)
    queues = await client.workflow.task_queues(pid)
    await client.workflow.move_data_rows(pid, queues[1].id, data_row_ids=rows[:2])
    await client.workflow.set_priorities(pid, {rows[2]: 1})
    user = emu.world.user_id(2)
    await client.project_members.add(pid, user, "REVIEWER")

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        project = sdk.get_project(pid)
        return {
            "queues": [q.data_row_count for q in project.task_queues()],
            "overrides": [o.priority for o in project.labeling_parameter_overrides()],
            "members": [(m.user().uid, m.role().name, m.access_from) for m in project.members()],
        }

    got = await in_thread(run)
    assert got["queues"] == [4, 2, 0]
    assert got["overrides"] == [1]
    assert got["members"] == [(emu.user_id, "ADMIN", "ORGANIZATION"), (user, "REVIEWER", "PROJECT")]


async def test_sdk_members_are_what_alabelbox_reads(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    user_id = emu.world.user_id(2)  # organization role NONE: a project-based user

    def run() -> Any:
        sdk = sdk_client(emu)
        project = sdk.create_project(name="Team", media_type=labelbox.MediaType.Image)
        user = sdk.get_user()
        other = next(u for u in sdk.get_organization().users() if u.uid == user_id)
        other.upsert_project_role(project, sdk.get_roles()["LABELER"])
        before = [(m.user().uid, m.role().name) for m in project.members()]
        with pytest.raises(ValueError, match="not project based"):
            user.upsert_project_role(project, sdk.get_roles()["LABELER"])
        return project, before

    project, before = await in_thread(run)
    mine = await client.project_members.list(project.uid)
    assert [(m.user.id, m.role.name) for m in mine] == before == [(emu.user_id, "ADMIN"), (user_id, "LABELER")]

    def remove() -> list[Any]:
        sdk = sdk_client(emu)
        other = next(u for u in sdk.get_organization().users() if u.uid == user_id)
        other.remove_from_project(sdk.get_project(project.uid))
        return [m.user().uid for m in sdk.get_project(project.uid).members()]

    assert await in_thread(remove) == [emu.user_id]
    assert [m.user.id for m in await client.project_members.list(project.uid)] == [emu.user_id]


async def test_sdk_exports_a_batch_as_alabelbox_does(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    rows = emu.data_row_ids(emu.dataset_ids[0])

    def run() -> tuple[Any, list[Any]]:
        sdk = sdk_client(emu)
        project = sdk.create_project(name="Export", media_type=labelbox.MediaType.Image)
        batch = project.create_batch("one", rows[:5], priority=2)
        project.create_batch("two", rows[5:9])
        task = project.export(filters={"batch_ids": [batch.uid]}, params={"project_details": True})
        task.wait_till_done()
        return batch, [line.json for line in task.get_buffered_stream()]

    batch, sdk_lines = await in_thread(run)
    assert sorted(line["data_row"]["id"] for line in sdk_lines) == sorted(rows[:5])
    pid = next(iter(sdk_lines[0]["projects"]))
    details = sdk_lines[0]["projects"][pid]["project_details"]
    assert (details["batch_id"], details["priority"], details["workflow_status"]) == (batch.uid, 2, "TO_LABEL")
    task = await client.exports.create_and_poll(
        project_id=pid, filters={"batch_ids": [batch.uid]}, params={"project_details": True}, poll_interval=0.01
    )
    async with client.exports.stream(task, model=None) as stream:
        mine = [record.value async for record in stream]
    assert sorted(mine, key=lambda r: r["data_row"]["id"]) == sorted(sdk_lines, key=lambda r: r["data_row"]["id"])


async def test_sdk_deletes_the_labels_of_a_batch(emu: Emulator, client: Client, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]
    batches = await client.batches.list(pid)

    def run() -> Any:
        sdk = sdk_client(emu)
        batch = next(b for b in sdk.get_project(pid).batches() if b.uid == batches[0].id)
        return batch.delete_labels(set_labels_as_template=True)

    answer = await in_thread(run)
    deleted = answer["project"]["deleteBatchLabels"]["deletedLabelIds"]
    assert sorted(deleted) == emu.deleted_label_ids(pid) == emu.template_label_ids(pid)
    assert (await client.batches.delete_labels(pid, batches[0].id)).deleted_label_ids == []


async def test_sdk_create_batches_splits_and_names_them(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    rows = emu.data_row_ids(emu.dataset_ids[1])

    def run() -> Any:
        project = sdk_client(emu).create_project(name="Split", media_type=labelbox.MediaType.Image)
        task = project.create_batches("part-", rows[:30], priority=1)
        task.wait_till_done()
        made = task.result()
        return project, task.errors(), made, made[0].project().uid

    project, errors, made, owner = await in_thread(run)
    assert errors is None and owner == project.uid
    assert [(b.name, b.size) for b in made] == [("part-0000", 30)]
    mine = await client.batches.retrieve(project.uid, made[0].uid)
    assert (mine.name, mine.size) == ("part-0000", 30)
    assert {p for _, _, p in truth(emu, project.uid).values()} == {1}
