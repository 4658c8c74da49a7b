"""Dataset writes over plain GraphQL: a created, updated or deleted dataset is seen the same way everywhere."""

from __future__ import annotations

from typing import Any

import aiohttp

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_exports import CATALOG, download_stream, poll, project_input, run_export

# The documents exactly as the official SDK 7.17 sends them (labelbox.orm.query).
CREATE = (
    "mutation CreateDatasetPyApi($name: String!, $description: String!){createDataset(data: "
    "{name: $name description: $description}) {createdAt description name rowCount id updatedAt}} "
)
UPDATE = (
    "mutation updateDatasetPyApi($name: String!, $DatasetId: ID!){updateDataset(\n        where: "
    "{id: $DatasetId} data: {name: $name}) {createdAt description name rowCount id updatedAt}} "
)
DELETE = (
    "mutation deleteDatasetPyApi($DatasetId: ID!){updateDataset(\n        where: {id: $DatasetId} "
    "data: {deleted: true}) {id}} "
)
GET = "query G($id: ID!){dataset(where: {id: $id}){id name description rowCount dataRows(first: 3){id}}}"
LIST = "query L($where: DatasetWhereInput){datasets(where: $where, skip: 0, first: 100){id name}}"
ROWS = "query R($id: ID!){datasetDataRows(id: $id, first: 5){nodes{id} pageInfo{hasNextPage} totalCount}}"
ROW = "query D($id: ID!){dataRow(where: {id: $id}){id}}"


async def create(gql: Gql, name: str = "made 作成 📦", description: str = "desc") -> dict[str, Any]:
    status, body = await gql(CREATE, {"name": name, "description": description})
    assert status == 200 and "errors" not in body, body
    return dict(body["data"]["createDataset"])


def catalog_input(*query: dict[str, Any]) -> dict[str, Any]:
    return {"input": {"filters": {"searchQuery": {"scope": None, "query": list(query)}}, "params": {}}}


async def test_a_created_dataset_is_listed_and_found(emu: Emulator, gql: Gql) -> None:
    made = await create(gql)
    assert made["name"] == "made 作成 📦" and made["description"] == "desc" and made["rowCount"] == 0
    assert made["createdAt"] == made["updatedAt"] and made["createdAt"].endswith("Z")
    assert emu.dataset_ids[-1] == made["id"] and emu.dataset(made["id"])["name"] == made["name"]
    _, body = await gql(LIST)
    assert [d["id"] for d in body["data"]["datasets"]] == emu.dataset_ids
    _, body = await gql(LIST, {"where": {"name_contains": "作成"}})
    assert [d["id"] for d in body["data"]["datasets"]] == [made["id"]]
    _, body = await gql(GET, {"id": made["id"]})
    assert body["data"]["dataset"] == {
        "id": made["id"],
        "name": made["name"],
        "description": "desc",
        "rowCount": 0,
        "dataRows": [],
    }
    _, body = await gql(ROWS, {"id": made["id"]})
    assert body["data"]["datasetDataRows"] == {"nodes": [], "pageInfo": {"hasNextPage": False}, "totalCount": 0}


async def test_created_ids_never_alias_seeded_ones(emu: Emulator, gql: Gql) -> None:
    made = [await create(gql, name=f"n{k}") for k in range(3)]
    assert len({d["id"] for d in made} | set(emu.dataset_ids[:5])) == 8
    # A created dataset holds no rows, so an export filtered to it has none, even though seeded dataset 1
    # (index 1 = the first created dataset's counter) does.
    tid = await run_export(emu, gql, catalog_input({"type": "dataset", "ids": [made[0]["id"]]}), CATALOG)
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    assert emu.export_lines(tid) == []


async def test_update_applies_to_seeded_and_created_datasets(emu: Emulator, gql: Gql) -> None:
    made = await create(gql)
    emu.clock.advance(5)
    for dataset_id in (made["id"], emu.dataset_ids[1]):
        status, body = await gql(UPDATE, {"name": "renamed ✏️", "DatasetId": dataset_id})
        assert status == 200, body
        updated = body["data"]["updateDataset"]
        assert updated["name"] == "renamed ✏️" and updated["updatedAt"] > updated["createdAt"]
        assert emu.dataset(dataset_id)["name"] == "renamed ✏️"
    _, body = await gql(LIST, {"where": {"name": "renamed ✏️"}})
    assert sorted(d["id"] for d in body["data"]["datasets"]) == sorted([made["id"], emu.dataset_ids[1]])
    _, body = await gql(GET, {"id": emu.dataset_ids[1]})
    assert body["data"]["dataset"]["description"] == "Rows for project 1"  # untouched fields stay


async def test_a_deleted_dataset_and_its_rows_are_gone_everywhere(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    gone = emu.dataset_ids[2]
    row = emu.world.row_id(2, 7)
    status, body = await gql(DELETE, {"DatasetId": gone})
    assert status == 200 and body["data"]["updateDataset"] == {"id": gone}
    assert gone not in emu.dataset_ids
    _, body = await gql(LIST)
    assert gone not in [d["id"] for d in body["data"]["datasets"]] and len(body["data"]["datasets"]) == 4
    for query, variables in ((GET, {"id": gone}), (ROWS, {"id": gone}), (ROW, {"id": row})):
        _, body = await gql(query, variables)
        assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND", body
    _, body = await gql(DELETE, {"DatasetId": gone})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert repr(gone) in body["errors"][0]["message"]
    # A catalog export walks the other datasets only; the project fed by the dataset exports nothing.
    tid = await run_export(emu, gql, catalog_input(), CATALOG)
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    ids = {r["data_row"]["id"] for r in emu.export_records(tid)}
    assert len(ids) == 4 * 250 and row not in ids and emu.world.row_id(1, 7) in ids
    tid = await run_export(emu, gql, project_input(emu.project_ids[2]))
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    assert emu.export_lines(tid) == []
    # The export of another project still downloads whole.
    tid = await run_export(emu, gql, project_input(emu.project_ids[1]))
    await poll(emu, gql, tid)
    data, _ = await download_stream(emu, gql, session, tid)
    assert data.count(b"\n") == 250


LABELS = "query P($id: ID!){project(where: {id: $id}){labelCount labels(first: 5){id}}}"
LABEL = "query L($id: ID!){label(where: {id: $id}){id}}"
DELETE_LABELS = "mutation D($ids: [ID!]!){deleteLabels(labelIds: $ids){id}}"


async def test_the_labels_of_a_deleted_dataset_go_with_its_rows(emu: Emulator, gql: Gql) -> None:
    label = emu.world.label_id(3, 4)
    _, body = await gql(LABELS, {"id": emu.project_ids[3]})
    assert body["data"]["project"]["labelCount"] == 250 and len(body["data"]["project"]["labels"]) == 5
    await gql(DELETE, {"DatasetId": emu.dataset_ids[3]})
    _, body = await gql(LABELS, {"id": emu.project_ids[3]})
    assert body["data"]["project"] == {"labelCount": 0, "labels": []}
    assert emu.label_ids(emu.project_ids[3]) == [] and len(emu.label_ids(emu.project_ids[4])) == 250
    for query, variables in ((LABEL, {"id": label}), (DELETE_LABELS, {"ids": [label]})):
        _, body = await gql(query, variables)
        assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND", body
        assert repr(label) in body["errors"][0]["message"]


async def test_a_blank_name_is_refused_with_a_message(emu: Emulator, gql: Gql) -> None:
    status, body = await gql(CREATE, {"name": "  ", "description": ""})
    assert status == 200 and body["data"] is None
    (error,) = body["errors"]
    assert error["message"] == "A dataset name must not be blank"
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["path"] == ["createDataset"]
    _, body = await gql(UPDATE, {"name": "", "DatasetId": emu.dataset_ids[0]})
    assert body["errors"][0]["message"] == "A dataset name must not be blank"
    assert emu.dataset(emu.dataset_ids[0])["name"] == emu.world.dataset_name(0)
    assert len(emu.dataset_ids) == 5
