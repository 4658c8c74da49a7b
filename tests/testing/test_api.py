"""The API origin with a bare aiohttp client: queries, filters, pagination, deletions, errors."""

from __future__ import annotations

import json
import sys
from typing import Any

import aiohttp

from alabelbox.testing import Emulator

from .conftest import Gql

LABELS = """query L($projectId: ID!)
    {project (where: {id: $projectId})
        {labels (skip: %d first: %d %s) {id createdAt agreement secondsToLabel
          createdBy {id email} type {id name} dataRow {id dataset {id}}}}}"""


async def labels(gql: Gql, pid: str, where: str = "", first: int = 100, skip: int = 0) -> list[dict[str, Any]]:
    status, body = await gql(LABELS % (skip, first, where), {"projectId": pid})
    assert status == 200, body
    assert "errors" not in body, body
    return body["data"]["project"]["labels"]  # type: ignore[no-any-return]


async def test_wrong_or_missing_key_is_authentication_error(emu: Emulator, session: aiohttp.ClientSession) -> None:
    for headers in ({"Authorization": "Bearer nope"}, {}):
        async with session.post(emu.endpoint, json={"query": "{user{id}}"}, headers=headers) as r:
            assert r.status == 401
            body = await r.json()
        assert body["errors"][0]["extensions"]["code"] == "AUTHENTICATION_ERROR"


async def test_user_organization_and_user_projects(emu: Emulator, gql: Gql) -> None:
    _status, body = await gql("{user{id email organization{id name} projects{id name}}}")
    user = body["data"]["user"]
    assert user["id"] == emu.user_id
    assert user["organization"]["id"] == emu.organization_id
    assert [p["id"] for p in user["projects"]] == emu.project_ids
    assert any(ord(ch) > 0x3000 for ch in "".join(p["name"] for p in user["projects"]))


async def test_projects_where_and_literal_offset_pages(emu: Emulator, gql: Gql) -> None:
    name = emu.world.project_name(2)
    q = """query GetProjectsPyApi($param_0: String!, $param_1: Boolean!){projects(where:
        {AND: [{name: $param_0}, {deleted: $param_1}]} skip: 0 first: 100){id name}}"""
    _, body = await gql(q, {"param_0": name, "param_1": False})
    assert body["data"]["projects"] == [{"id": emu.project_ids[2], "name": name}]
    _, body = await gql("{projects(where: {deleted: false} skip: 2 first: 2){id}}")
    assert [p["id"] for p in body["data"]["projects"]] == emu.project_ids[2:4]


async def test_missing_project_is_resource_not_found(gql: Gql) -> None:
    status, body = await gql('{project(where: {id: "nope"}){id}}')
    assert status == 200
    assert body["data"] == {"project": None}
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"


async def test_parse_and_validation_errors(gql: Gql) -> None:
    status, body = await gql("{ user { id ")
    assert status == 400 and body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    status, body = await gql("{ user { nope } }")
    assert status == 400
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_datasets_and_cursor_pages(emu: Emulator, gql: Gql) -> None:
    _, body = await gql("{datasets(where: {deleted: false} skip: 0 first: 100){id rowCount}}")
    assert [d["id"] for d in body["data"]["datasets"]] == emu.dataset_ids
    did = emu.dataset_ids[1]
    _, body = await gql("query($id: ID!){dataset(where: {id: $id}){name}}", {"id": did})
    assert body["data"]["dataset"]["name"] == emu.world.dataset_name(1)
    q = """query DatasetDataRowsPyApi($id: ID!, $from: ID, $first: Int, $where: DatasetDataRowWhereInput) {
        datasetDataRows(id: $id, from: $from, first: $first, where: $where)
        { nodes { id externalId globalKey rowData mediaAttributes } pageInfo { hasNextPage startCursor } } }"""
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        _, body = await gql(q, {"id": did, "from": cursor, "first": 100, "where": None})
        page = body["data"]["datasetDataRows"]
        seen += [n["id"] for n in page["nodes"]]
        pages += 1
        cursor = page["pageInfo"]["startCursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen == emu.data_row_ids(did)  # newest first, nothing repeated or lost


async def test_label_filters(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    w = emu.world
    everything = await labels(gql, pid, first=1000)
    assert [x["id"] for x in everything] == emu.label_ids(pid)
    metas = [w.label_meta(0, i) for i in range(250)]

    uid = w.user_id(1)
    got = await labels(gql, pid, f'where: {{createdBy: {{id: "{uid}"}}}}', first=1000)
    assert [x["id"] for x in got] == [m.id for m in metas if m.creator == 1]
    assert {x["createdBy"]["id"] for x in got} == {uid}

    cut = everything[100]["createdAt"]
    got = await labels(gql, pid, f'where: {{createdAt_lt: "{cut}"}}', first=1000)
    assert [x["id"] for x in got] == [x["id"] for x in everything[:100]]
    got = await labels(gql, pid, f'where: {{createdAt_gt: "{cut}"}}', first=1000)
    assert [x["id"] for x in got] == [x["id"] for x in everything[101:]]

    skipped = w.label_type_ids["Skipped"]
    got = await labels(gql, pid, f'where: {{type: {{id: "{skipped}"}}}}', first=1000)
    assert [x["id"] for x in got] == [m.id for m in metas if m.skipped]
    assert got and {x["type"]["name"] for x in got} == {"Skipped"}

    got = await labels(gql, pid, "where: {agreement_gt: 0.2, agreement_lt: 0.5}", first=1000)
    want = [m.id for m in metas if m.agreement is not None and 0.2 < m.agreement < 0.5]
    assert want and [x["id"] for x in got] == want

    did = emu.dataset_ids[0]
    got = await labels(gql, pid, f'where: {{dataRow: {{dataset: {{id: "{did}"}}}}}}', first=1000)
    assert len(got) == 250
    other = emu.dataset_ids[1]
    sdk_where = f'where:{{dataRow: {{dataset: {{id_in: ["{other}"]}}}}, createdBy: {{id: "{uid}"}}}}'
    assert await labels(gql, pid, sdk_where) == []
    sdk_where = f'where:{{dataRow: {{dataset: {{id_in: ["{did}"]}}}}, createdBy: {{id: "{uid}"}}}}'
    got = await labels(gql, pid, sdk_where + " orderBy: createdAt_DESC")
    assert [x["id"] for x in got] == [m.id for m in reversed(metas) if m.creator == 1]


async def test_filtered_pages_concatenate(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    where = "where: {agreement_gt: 0.1}"
    whole = await labels(gql, pid, where, first=1000)
    pages = []
    for k in range(0, len(whole) + 20, 20):
        pages += await labels(gql, pid, where, first=20, skip=k)
    assert pages == whole


async def test_label_by_id_timing_fields(emu: Emulator, gql: Gql) -> None:
    lid = emu.label_ids(emu.project_ids[0])[3]
    _, body = await gql(
        "query($id: ID!){label(where: {id: $id}){secondsToLabel secondsToReview secondsToCreate label}}",
        {"id": lid},
    )
    label = body["data"]["label"]
    meta = emu.world.label_meta(0, 3)
    assert label["secondsToCreate"] == meta.seconds_to_create
    assert label["secondsToReview"] == meta.seconds_to_review
    assert label["secondsToLabel"] == meta.seconds_to_label
    assert isinstance(json.loads(label["label"]), dict)


async def test_delete_labels_requeues(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    ids = emu.label_ids(pid)
    q = f'mutation deleteLabelsPyApi{{deleteLabels(labelIds: ["{ids[0]}", "{ids[7]}"]){{id}}}}'
    status, body = await gql(q)
    assert status == 200 and body["data"]["deleteLabels"] == [{"id": ids[0]}, {"id": ids[7]}]
    assert emu.label_ids(pid) == [x for x in ids if x not in (ids[0], ids[7])]
    _, body = await gql("query($id: ID!){label(where: {id: $id}){id}}", {"id": ids[0]})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    # the data row is back in the queue: exported with no label and status TO_LABEL
    row = emu.world.export_line(0, 0, {"includeProjectDetails": True}, [0], [False])
    assert row["projects"][pid]["labels"] == []
    assert row["projects"][pid]["project_details"]["workflow_status"] == "TO_LABEL"


async def test_bulk_delete_labels_make_templates(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[1]
    uid = emu.world.user_id(2)
    q = """mutation BulkDeleteLabels($projectId: ID!, $makeTemplates: Boolean = true,
        $labelsWhere: WhereBulkLabelDelete, $first: PageSize, $skip: Int) {
      project(where: {id: $projectId}) { bulkDeleteLabels(where: $labelsWhere,
        makeTemplates: $makeTemplates, waitForQueue: true, first: $first, skip: $skip) { count } } }"""
    mine = [m.id for m in (emu.world.label_meta(1, i) for i in range(250)) if m.creator == 2]
    _status, body = await gql(q, {"projectId": pid, "labelsWhere": {"createdBy": {"id": uid}}, "first": 5, "skip": 1})
    assert body["data"]["project"]["bulkDeleteLabels"] == {"count": 5}
    assert emu.template_label_ids(pid) == sorted(mine[1:6])
    assert set(emu.deleted_label_ids(pid)) == set(mine[1:6])
    _, body = await gql(
        "query($id: ID!){label(where: {id: $id}){id secondsToLabel secondsToCreate secondsToReview}}",
        {"id": mine[1]},
    )
    assert body["data"]["label"] == {
        "id": mine[1],
        "secondsToLabel": None,
        "secondsToCreate": None,
        "secondsToReview": None,
    }


async def test_delete_batch_labels_is_experimental(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[0]
    bid = emu.world.batch_id(0, 1)
    q = """mutation DeleteBatchLabelsPyApi($projectId: ID!, $batchId: ID!, $type: DeleteBatchLabelsType!) {
          project(where: {id: $projectId}) {
            deleteBatchLabels(batchId: $batchId, data:{ type: $type }) { deletedLabelIds } }
      }"""
    v = {"projectId": pid, "batchId": bid, "type": "RequeueDataWithLabelAsTemplate"}
    _, body = await gql(q, v)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    _, body = await gql(q, v, path="/_gql")
    deleted = body["data"]["project"]["deleteBatchLabels"]["deletedLabelIds"]
    assert deleted == [emu.world.label_id(0, i) for i in range(100, 200)]
    assert len(emu.label_ids(pid)) == 150
    assert len(emu.template_label_ids(pid)) == 100


async def test_one_million_labels_page_fast_and_small() -> None:
    import time
    import tracemalloc

    tracemalloc.start()
    async with Emulator(seed=5, projects=1, data_rows=1_000_000) as emu:
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {emu.api_key}"}) as s:
            pid = emu.project_ids[0]
            ids = [emu.world.label_id(0, i) for i in (10, 500_000, 999_950)]
            q = 'mutation{{deleteLabels(labelIds: ["{}", "{}", "{}"]){{id}}}}'.format(*tuple(ids))
            async with s.post(emu.endpoint, json={"query": q}) as r:
                assert r.status == 200
            t0 = time.perf_counter()
            query = LABELS % (999_900, 100, "")
            async with s.post(emu.endpoint, json={"query": query, "variables": {"projectId": pid}}) as r:
                body = await r.json()
            elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    got = [x["id"] for x in body["data"]["project"]["labels"]]
    # 999,997 labels left: the page at skip 999,900 holds 97 of them, ending at the last label
    assert len(got) == 97
    assert got[-1] == emu.world.label_id(0, 999_999)
    assert ids[2] not in got
    assert elapsed < 2.0
    assert peak < 50 * 1024 * 1024, peak


async def test_python_version_supported() -> None:
    assert sys.version_info >= (3, 10)
