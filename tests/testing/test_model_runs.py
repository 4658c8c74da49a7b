"""Models and model runs over plain GraphQL: what the emulator refuses, and that a run follows the rows it holds;
send to annotate from the catalog too."""

from __future__ import annotations

import json
from typing import Any

from alabelbox._queries import data_rows as dq
from alabelbox._queries import model_runs as q
from alabelbox._queries import models as mq
from alabelbox.testing import Emulator, _send

from .conftest import Gql

ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}
ROWS = "query R($id: ID!){annotationGroups(where: {modelRunId: {id: $id}}, first: 100){nodes{id dataRow{id}}}}"


async def new_run(emu: Emulator, gql: Gql) -> str:
    oid = emu.backend.ontologies.upsert_ontology({"name": "O", "normalized": json.dumps(ONTOLOGY)})
    _, body = await gql(mq.CREATE_MODEL, {"name": "m", "ontologyId": oid})
    model_id = body["data"]["createModel"]["id"]
    _, body = await gql(q.CREATE_MODEL_RUN, {"name": "r", "config": None, "modelId": model_id})
    return str(body["data"]["createModelRun"]["id"])


def code(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["extensions"]["code"])


async def test_blank_names_and_bad_config_are_bad_user_input(emu: Emulator, gql: Gql) -> None:
    oid = emu.backend.ontologies.upsert_ontology({"name": "O", "normalized": json.dumps(ONTOLOGY)})
    _, body = await gql(mq.CREATE_MODEL, {"name": "  ", "ontologyId": oid})
    assert code(body) == "BAD_USER_INPUT"
    _, body = await gql(mq.CREATE_MODEL, {"name": "m", "ontologyId": oid})
    model_id = body["data"]["createModel"]["id"]
    _, body = await gql(q.CREATE_MODEL_RUN, {"name": "r", "config": [1, 2], "modelId": model_id})
    assert code(body) == "BAD_USER_INPUT" and "trainingMetadata" in body["errors"][0]["message"]
    _, body = await gql(q.CREATE_MODEL_RUN, {"name": "", "config": None, "modelId": model_id})
    assert code(body) == "BAD_USER_INPUT"


async def test_registrations_refuse_empty_lists(emu: Emulator, gql: Gql) -> None:
    run = await new_run(emu, gql)
    _, body = await gql(q.CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK, {"modelRunId": run})
    assert code(body) == "BAD_USER_INPUT" and "No data rows" in body["errors"][0]["message"]
    _, body = await gql(q.CREATE_MEA_MODEL_RUN_LABEL_REGISTRATION_TASK, {"modelRunId": run, "labelIds": []})
    assert code(body) == "BAD_USER_INPUT" and "No labels" in body["errors"][0]["message"]
    _, body = await gql(q.CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK, {"modelRunId": "nope", "dataRowIds": ["a"]})
    assert code(body) == "RESOURCE_NOT_FOUND"


async def test_splits_only_on_the_experimental_endpoint(emu: Emulator, gql: Gql) -> None:
    run = await new_run(emu, gql)
    data = {"assignments": [{"split": "TEST", "dataRowIds": ["a"]}]}
    _, body = await gql(q.ASSIGN_DATA_SPLIT, {"modelRunId": run, "data": data})
    assert code(body) == "GRAPHQL_VALIDATION_FAILED"
    _, body = await gql(q.ASSIGN_DATA_SPLIT, {"modelRunId": run, "data": data}, path="/_gql")
    task_id = body["data"]["createAssignDataRowsToDataSplitTask"]
    # The task of one kind is not found through another kind's status query.
    _, body = await gql(q.MEA_DATA_ROW_REGISTRATION_TASK_STATUS, {"where": {"id": task_id}})
    assert code(body) == "RESOURCE_NOT_FOUND"
    _, body = await gql(q.ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS, {"id": task_id}, path="/_gql")
    assert body["data"]["assignDataRowsToDataSplitTaskStatus"] == {"status": "IN_PROGRESS", "errorMessage": None}
    emu.clock.advance(1.0)
    _, body = await gql(q.ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS, {"id": task_id}, path="/_gql")
    status = body["data"]["assignDataRowsToDataSplitTaskStatus"]
    assert status["status"] == "FAILED" and "a" in status["errorMessage"]


async def test_a_deleted_datasets_rows_leave_the_run(emu: Emulator, gql: Gql) -> None:
    run = await new_run(emu, gql)
    rows = [emu.data_row_ids(emu.dataset_ids[0])[0], emu.data_row_ids(emu.dataset_ids[1])[0]]
    _, body = await gql(q.CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK, {"modelRunId": run, "dataRowIds": rows})
    assert "errors" not in body
    _, body = await gql(ROWS, {"id": run})
    assert [n["dataRow"]["id"] for n in body["data"]["annotationGroups"]["nodes"]] == rows
    _, body = await gql(
        "mutation D($id: ID!){updateDataset(where: {id: $id} data: {deleted: true}) {id}}", {"id": emu.dataset_ids[0]}
    )
    assert "errors" not in body
    _, body = await gql(ROWS, {"id": run})
    assert [n["dataRow"]["id"] for n in body["data"]["annotationGroups"]["nodes"]] == rows[1:]
    assert [r["data_row_id"] for r in emu.model_run_rows(run)] == rows[1:]


async def test_send_to_annotate_refuses_bad_input(emu: Emulator, gql: Gql) -> None:
    run = await new_run(emu, gql)
    base = {
        "destinationProjectId": emu.project_ids[0],
        "batchInput": {"batchName": "b", "batchPriority": 5},
        "destinationTaskQueue": {"type": "done"},
        "searchQuery": [{"type": "data_row_id", "operator": "is", "ids": ["a"]}],
        "sourceModelRunId": run,
    }
    bad: list[tuple[dict[str, Any], str]] = [
        ({"batchInput": {"batchName": " "}}, "batchName"),
        ({"batchInput": {"batchName": "b", "batchPriority": 9}}, "batchPriority"),
        ({"destinationTaskQueue": {"type": "elsewhere"}}, "destinationTaskQueue"),
        ({"conflictLabelsResolutionStrategy": "WIN"}, "conflictLabelsResolutionStrategy"),
        ({"searchQuery": []}, "searchQuery"),
        ({"searchQuery": [{"type": "dataset", "ids": ["d"]}]}, "searchQuery[0]"),
        ({"predictionsInput": {"modelRunId": "other"}}, "predictionsInput"),
    ]
    for change, named in bad:
        _, body = await gql(q.SEND_TO_ANNOTATE_FROM_MEA, {"input": {**base, **change}})
        assert code(body) == "BAD_USER_INPUT", change
        assert named in body["errors"][0]["message"], change
    _, body = await gql(q.SEND_TO_ANNOTATE_FROM_MEA, {"input": {**base, "destinationProjectId": "nope"}})
    assert code(body) == "RESOURCE_NOT_FOUND"
    assert emu.sent_to_annotate() == []


async def test_a_cursor_survives_the_removal_of_its_row(emu: Emulator, gql: Gql) -> None:
    run = await new_run(emu, gql)
    rows = emu.data_row_ids(emu.dataset_ids[0])[:3]
    await gql(q.CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK, {"modelRunId": run, "dataRowIds": rows})
    _, body = await gql(q.MODEL_RUN, {"modelRunId": run, "from": None, "first": 1})
    page = body["data"]["annotationGroups"]
    assert [n["dataRow"]["id"] for n in page["nodes"]] == rows[:1]
    await gql(q.DELETE_MODEL_RUN_DATA_ROWS, {"modelRunId": run, "dataRowIds": rows[:1]})
    _, body = await gql(q.MODEL_RUN, {"modelRunId": run, "from": page["pageInfo"]["endCursor"], "first": 5})
    page = body["data"]["annotationGroups"]
    assert [n["dataRow"]["id"] for n in page["nodes"]] == rows[1:] and page["pageInfo"]["endCursor"] is None
    # Added again, the row comes back at the end, as a new model-run data row.
    await gql(q.CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK, {"modelRunId": run, "dataRowIds": rows[:1]})
    assert [r["data_row_id"] for r in emu.model_run_rows(run)] == [*rows[1:], rows[0]]
    _, body = await gql(q.MODEL_RUN, {"modelRunId": run, "from": "not-a-cursor", "first": 5})
    assert code(body) == "BAD_USER_INPUT"


async def test_send_from_catalog_refuses_bad_input(emu: Emulator, gql: Gql) -> None:
    base = {
        "destinationProjectId": emu.project_ids[1],
        "batchInput": {"batchName": "b", "batchPriority": 5},
        "destinationTaskQueue": {"type": "done"},
        "annotationsInput": {"projectId": emu.project_ids[0], "featureSchemaIdsMapping": {}},
        "searchQuery": {"scope": None, "query": [{"type": "data_row_id", "operator": "is", "ids": ["a"]}]},
    }
    bad: list[tuple[dict[str, Any], str]] = [
        ({"searchQuery": [{"type": "data_row_id", "ids": ["a"]}]}, "searchQuery must be an object"),
        ({"searchQuery": {"query": []}}, "searchQuery.query names no data rows"),
        ({"searchQuery": {"query": [{"type": "global_key", "operator": "contains", "ids": ["k"]}]}}, "operator"),
        ({"limit": 10}, "limit"),
        ({"annotationsInput": ["p"]}, "annotationsInput"),
        ({"annotationsInput": {"projectId": emu.project_ids[0], "featureSchemaIdsMapping": {"a": 1}}}, "Mapping"),
        ({"batchInput": {"batchName": "b", "batchPriority": True}}, "batchPriority"),
    ]
    for change, named in bad:
        _, body = await gql(dq.SEND_TO_ANNOTATE_FROM_CATALOG, {"input": {**base, **change}})
        assert code(body) == "BAD_USER_INPUT", change
        assert named in body["errors"][0]["message"], change
    for change in (
        {"annotationsInput": {"projectId": "nope"}},
        {"predictionsInput": {"modelRunId": "nope"}},
        {"destinationTaskQueue": {"type": "id", "value": "nope"}},
    ):
        _, body = await gql(dq.SEND_TO_ANNOTATE_FROM_CATALOG, {"input": {**base, **change}})
        assert code(body) == "RESOURCE_NOT_FOUND", change
    assert emu.sent_to_annotate() == []


async def test_a_send_of_more_rows_than_a_batch_holds_makes_numbered_batches(
    emu: Emulator, gql: Gql, monkeypatch: Any
) -> None:
    monkeypatch.setattr(_send, "MAX_BATCH_ROWS", 2)
    rows = emu.data_row_ids(emu.dataset_ids[0])[:5]
    data = {
        "destinationProjectId": emu.project_ids[1],
        "batchInput": {"batchName": "big", "batchPriority": 4},
        "annotationsInput": {"projectId": emu.project_ids[0]},
        "searchQuery": {"query": [{"type": "data_row_id", "operator": "is", "ids": rows}]},
    }
    _, body = await gql(dq.SEND_TO_ANNOTATE_FROM_CATALOG, {"input": data})
    assert "errors" not in body, body
    batches = emu.backend.batches.created_of(1)
    assert [(b["name"], list(b["_rows"])) for b in batches] == [
        ("big", [emu.backend.data_rows.find_any(r) for r in rows[:2]]),
        ("big_1", [emu.backend.data_rows.find_any(r) for r in rows[2:4]]),
        ("big_2", [emu.backend.data_rows.find_any(r) for r in rows[4:]]),
    ]
    # The labels of project 0 on those rows were copied, one each (no mapping: as they are).
    assert len(emu.imported_labels(emu.project_ids[1])) == 5
