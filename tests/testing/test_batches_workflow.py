"""Batches, workflow and members of the emulator over plain GraphQL: state that every read agrees on (listings,
counts, exports), the refusals, and the shapes the official SDK reads."""

from __future__ import annotations

import json
from typing import Any

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_exports import poll, project_input, run_export

CREATE = "mutation C($name: String!) { createProject(data: {name: $name}) { id dataRowCount } }"
BATCH = """mutation B($p: ID!, $input: CreateBatchInput!) { project(where: {id: $p}) {
  createBatchV2(input: $input) { batch { id name size consensusSettingsJson } failedDataRowIds } } }"""
BATCHES = """query L($p: ID!, $after: String, $first: PageSize) { project(where: {id: $p}) {
  batches(after: $after, first: $first) { nodes { id name size } pageInfo { endCursor hasNextPage } } } }"""
QUEUES = "query Q($p: ID!) { project(where: {id: $p}) { taskQueues { id name dataRowCount } dataRowCount } }"
MOVE = """mutation M($p: ID!, $q: ID, $ids: AddRowsToTaskQueueViaDataRowIdentifiersInput!) {
  project(where: {id: $p}) {
    createBulkAddRowsToQueueTask(data: {queueId: $q, dataRowIdentifiers: $ids}) { taskId } } }"""
TASK = "query T($id: ID!) { task(where: {id: $id}) { status type errors result } }"


async def project_with_batch(emu: Emulator, gql: Gql, n: int = 6) -> tuple[str, str, list[str]]:
    _, body = await gql(CREATE, {"name": "wf"})
    pid = body["data"]["createProject"]["id"]
    rows = emu.data_row_ids(emu.dataset_ids[0])[:n]
    _, body = await gql(BATCH, {"p": pid, "input": {"name": "b", "dataRowIds": rows}}, path="/_gql")
    return pid, body["data"]["project"]["createBatchV2"]["batch"]["id"], rows


async def test_a_batch_shows_in_listings_counts_and_exports(emu: Emulator, gql: Gql) -> None:
    pid, batch_id, rows = await project_with_batch(emu, gql)
    _, listed = await gql(BATCHES, {"p": pid, "first": 1}, path="/_gql")
    assert listed["data"]["project"]["batches"]["nodes"] == [{"id": batch_id, "name": "b", "size": 6}]
    _, queues = await gql(QUEUES, {"p": pid}, path="/_gql")
    assert [q["dataRowCount"] for q in queues["data"]["project"]["taskQueues"]] == [6, 0, 0]
    assert queues["data"]["project"]["dataRowCount"] == 6
    tid = await run_export(emu, gql, project_input(pid, includeProjectDetails=True))
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    lines = [json.loads(line) for line in emu.export_lines(tid)]
    assert sorted(line["data_row"]["id"] for line in lines) == sorted(rows)
    assert {line["projects"][pid]["project_details"]["batch_id"] for line in lines} == {batch_id}


async def test_moved_rows_show_in_their_queue_and_in_exports(emu: Emulator, gql: Gql) -> None:
    pid, _, rows = await project_with_batch(emu, gql)
    _, queues = await gql(QUEUES, {"p": pid}, path="/_gql")
    review = queues["data"]["project"]["taskQueues"][1]["id"]
    _, moved = await gql(MOVE, {"p": pid, "q": review, "ids": {"ids": rows[:2], "idType": "ID"}}, path="/_gql")
    _, task = await gql(TASK, {"id": moved["data"]["project"]["createBulkAddRowsToQueueTask"]["taskId"]})
    assert task["data"]["task"]["type"] == "send-to-task-queue"
    _, queues = await gql(QUEUES, {"p": pid}, path="/_gql")
    assert [q["dataRowCount"] for q in queues["data"]["project"]["taskQueues"]] == [4, 2, 0]
    search = [{"type": "task_queue_status", "status": "InReview"}]
    tid = await run_export(emu, gql, project_input(pid, search, includeProjectDetails=True))
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    lines = [json.loads(line) for line in emu.export_lines(tid)]
    assert sorted(line["data_row"]["id"] for line in lines) == sorted(rows[:2])
    assert {line["projects"][pid]["project_details"]["workflow_status"] for line in lines} == {"IN_REVIEW"}


async def test_a_move_to_an_unknown_queue_is_refused(emu: Emulator, gql: Gql) -> None:
    pid, _, rows = await project_with_batch(emu, gql)
    _, body = await gql(MOVE, {"p": pid, "q": "clnoqueue", "ids": {"ids": rows, "idType": "ID"}}, path="/_gql")
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"


async def test_a_failed_move_names_the_rows_in_its_result(emu: Emulator, gql: Gql) -> None:
    pid, _, _ = await project_with_batch(emu, gql)
    _, moved = await gql(MOVE, {"p": pid, "q": None, "ids": {"ids": ["clnope"], "idType": "ID"}}, path="/_gql")
    emu.clock.advance(5)
    _, task = await gql(TASK, {"id": moved["data"]["project"]["createBulkAddRowsToQueueTask"]["taskId"]})
    got: dict[str, Any] = task["data"]["task"]
    assert got["status"] == "FAILED"
    assert json.loads(got["result"])["failedDataRowIdentifiers"] == ["clnope"]  # the SDK parses ``result``
    _, queues = await gql(QUEUES, {"p": pid}, path="/_gql")
    assert [q["dataRowCount"] for q in queues["data"]["project"]["taskQueues"]] == [6, 0, 0]


async def test_batch_names_are_unique_within_a_project(emu: Emulator, gql: Gql) -> None:
    pid, _, _ = await project_with_batch(emu, gql)
    other = emu.data_row_ids(emu.dataset_ids[1])[:2]
    _, body = await gql(BATCH, {"p": pid, "input": {"name": "b", "dataRowIds": other}}, path="/_gql")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "already exists" in body["errors"][0]["message"]


async def test_rows_of_a_deleted_dataset_leave_the_batch_counts_and_export(emu: Emulator, gql: Gql) -> None:
    _, body = await gql(CREATE, {"name": "gone"})
    pid = body["data"]["createProject"]["id"]
    kept = emu.data_row_ids(emu.dataset_ids[1])[:2]
    await gql(BATCH, {"p": pid, "input": {"name": "kept", "dataRowIds": kept}}, path="/_gql")
    await gql(
        BATCH, {"p": pid, "input": {"name": "b", "dataRowIds": emu.data_row_ids(emu.dataset_ids[2])[:3]}}, path="/_gql"
    )
    _, deleted = await gql(
        "mutation D($id: ID!) { updateDataset(where: {id: $id}, data: {deleted: true}) { id } }",
        {"id": emu.dataset_ids[2]},
    )
    assert "errors" not in deleted
    _, listed = await gql(BATCHES, {"p": pid}, path="/_gql")
    assert [b["size"] for b in listed["data"]["project"]["batches"]["nodes"]] == [2, 0]
    _, queues = await gql(QUEUES, {"p": pid}, path="/_gql")
    assert queues["data"]["project"]["taskQueues"][0]["dataRowCount"] == 2
    tid = await run_export(emu, gql, project_input(pid))
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    assert sorted(json.loads(line)["data_row"]["id"] for line in emu.export_lines(tid)) == sorted(kept)


async def test_processed_check_and_roles(emu: Emulator, gql: Gql) -> None:
    _, body = await gql(
        "query P($ids: [ID!]) { queryAllDataRowsHaveBeenProcessed(dataRowIds: $ids) { allDataRowsHaveBeenProcessed } }",
        {"ids": emu.data_row_ids(emu.dataset_ids[0])[:2]},
    )
    assert body["data"]["queryAllDataRowsHaveBeenProcessed"] == {"allDataRowsHaveBeenProcessed": True}
    _, roles = await gql("query { roles { id name } }")
    assert [r["name"] for r in roles["data"]["roles"]] == ["ADMIN", "TEAM_MANAGER", "REVIEWER", "LABELER", "NONE"]
    _, user = await gql(
        "query U($id: ID) { user(where: {id: $id}) { orgRole { name } } }", {"id": emu.world.user_id(2)}
    )
    assert user["data"]["user"]["orgRole"]["name"] == "NONE"
