"""Data-row ingestion: the unmodified official SDK 7.17 and plain GraphQL against the emulator's truth.

The SDK uploads descriptor files with ``uploadFile``, sends ``upsertDataRows`` and pages through the task's
results and errors; every test checks what it reads back against ``emu.backend.data_rows``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from alabelbox.testing import Emulator

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]

TAG = "cko8s9r5v0001h2dk9elqdidh"
SPLIT = "cko8sbczn0002h2dkdaxb5kal"
TRAIN = "cko8sbscr0003h2dk04w86hof"


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=7, projects=2, data_rows=20, task_seconds=0.0) as e:
        yield e


async def gql(emu: Emulator, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as s,
        s.post(
            emu.endpoint,
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {emu.api_key}"},
        ) as r,
    ):
        body: dict[str, Any] = await r.json()
        return body


def truth_rows(emu: Emulator, dataset_id: str) -> dict[str, dict[str, Any]]:
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset_id)
    assert key is not None
    return {rid: rows.record(rid) for rid in rows.created_in(key)}


async def test_sdk_creates_rows_with_keys_metadata_attachments_and_a_local_file(
    emu: Emulator, tmp_path: Path, no_external_network: list[Any]
) -> None:
    local = tmp_path / "cat.jpg"
    local.write_bytes(b"\xff\xd8\xffjpeg bytes")

    def run() -> tuple[Any, Any, list[Any], list[dict[str, Any]]]:
        client = sdk_client(emu)
        ds = client.create_dataset(name="ingest")
        task = ds.create_data_rows(
            [
                {
                    "row_data": "https://example.com/a.jpg",
                    "global_key": "gk-a",
                    "external_id": "ext-a",
                    "media_type": "IMAGE",
                    "metadata_fields": [{"schema_id": TAG, "value": "hello"}, {"schema_id": SPLIT, "value": TRAIN}],
                    "attachments": [{"type": "RAW_TEXT", "value": "note", "name": "n1"}],
                },
                {"row_data": str(local), "global_key": "gk-local"},
                {
                    "row_data": {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": []},
                    "global_key": "gk-conv",
                },
            ]
        )
        task.wait_till_done()
        return ds, (task.status, task.errors), list(ds.data_rows()), task.result

    ds, (status, errors), listed, result = await in_thread(run)
    truth = truth_rows(emu, ds.uid)
    assert (status, errors) == ("COMPLETE", None)
    assert len(truth) == 3 and {r["globalKey"] for r in truth.values()} == {"gk-a", "gk-local", "gk-conv"}
    assert sorted(r["id"] for r in result) == sorted(truth)
    assert {r.uid: r.global_key for r in listed} == {k: v["globalKey"] for k, v in truth.items()}
    a = next(r for r in truth.values() if r["globalKey"] == "gk-a")
    assert (a["externalId"], a["rowData"], a["mediaType"]) == ("ext-a", "https://example.com/a.jpg", "IMAGE")
    assert [(m["schemaId"], m["value"]) for m in a["metadataFields"]] == [(TAG, "hello"), (SPLIT, TRAIN)]
    assert [(x["type"], x["value"], x["name"]) for x in a["attachments"]] == [("RAW_TEXT", "note", "n1")]
    # The local file was uploaded through uploadFile and the row points at its bytes on storage.
    loc = next(r for r in truth.values() if r["globalKey"] == "gk-local")
    assert loc["externalId"] == str(local)
    async with aiohttp.ClientSession() as s, s.get(loc["rowData"]) as r:
        assert await r.read() == b"\xff\xd8\xffjpeg bytes"
    conv = next(r for r in truth.values() if r["globalKey"] == "gk-conv")
    assert json.loads(conv["rowData"])["type"] == "application/vnd.labelbox.conversational"
    # The SDK reads one row back by id, with its metadata and attachments, exactly as stored.

    def read_back() -> tuple[Any, list[Any], list[Any]]:
        row = sdk_client(emu).get_data_row(a["id"])
        return row, row.metadata_fields, list(row.attachments())

    row, md, atts = await in_thread(read_back)
    assert (row.global_key, row.external_id, row.row_data) == ("gk-a", "ext-a", "https://example.com/a.jpg")
    assert [(m["schemaId"], m["value"]) for m in md] == [(TAG, "hello"), (SPLIT, TRAIN)]
    assert [(x.uid, x.attachment_type, x.attachment_value) for x in atts] == [
        (x["id"], x["type"], x["value"]) for x in a["attachments"]
    ]
    assert no_external_network == []
    ops = [r.operation_name for r in emu.api_requests()]
    assert "UpsertDataRowsPyApi" in ops and "SuccessesfulDataRowImportsPyApi" in ops


async def test_sdk_upserts_by_global_key_and_by_id(emu: Emulator) -> None:
    def run() -> tuple[Any, Any]:
        gk, uid = labelbox.GlobalKey, labelbox.UniqueId
        client = sdk_client(emu)
        ds = client.create_dataset(name="upsert")
        t1 = ds.upsert_data_rows([{"row_data": "https://example.com/1.jpg", "global_key": "k1"}])
        t1.wait_till_done()
        rid = t1.result[0]["id"]
        t2 = ds.upsert_data_rows(
            [
                {"key": gk("k1"), "global_key": "k1-renamed"},
                {"key": uid(rid), "external_id": "ext-1"},
                {"key": gk("missing"), "external_id": "x"},
            ]
        )
        t2.wait_till_done()
        return ds, (t2.status, t2.errors)

    ds, (status, errors) = await in_thread(run)
    truth = list(truth_rows(emu, ds.uid).values())
    assert len(truth) == 1
    assert (truth[0]["globalKey"], truth[0]["externalId"]) == ("k1-renamed", "ext-1")
    assert status == "COMPLETE"
    assert [e["message"] for e in errors] == ["No data row with global key 'missing'"]


async def test_per_row_errors_duplicates_and_injected_failures(emu: Emulator) -> None:
    def run() -> tuple[Any, Any, Any, Any]:
        ds = sdk_client(emu).create_dataset(name="faults")
        emu.faults.fail_data_rows(0)
        failed = ds.create_data_rows([{"row_data": "https://example.com/0.jpg", "global_key": "faulted"}])
        failed.wait_till_done()
        task = ds.create_data_rows(
            [
                {"row_data": "https://example.com/1.jpg", "global_key": "dup"},
                {"row_data": "https://example.com/2.jpg", "global_key": "dup"},
                {"row_data": "https://example.com/4.jpg", "metadata_fields": [{"schema_id": TAG, "value": "x" * 5000}]},
            ]
        )
        task.wait_till_done()
        return ds, (failed.status, failed.errors), task.errors, task.result

    ds, (status, faulted), errors, result = await in_thread(run)
    # A task whose every row failed is FAILED; the SDK still reads each row's error.
    assert status == "FAILED"
    assert [(e["message"], e["failedDataRows"][0]["globalKey"]) for e in faulted] == [
        ("Data row could not be created: an internal error occurred. Please try again.", "faulted")
    ]
    truth = list(truth_rows(emu, ds.uid).values())
    assert [r["globalKey"] for r in truth] == ["dup"]
    assert [r["id"] for r in result] == [truth[0]["id"]]
    by_key = {e["failedDataRows"][0]["globalKey"]: e["message"] for e in errors}
    assert by_key["dup"] == f"Duplicate global key: 'dup' is already used by data row {truth[0]['id']}"
    assert by_key[None] == "metadata_fields[0] (tag): 5000 characters, more than the 4096 allowed"


async def test_plain_graphql_listing_cursor_and_bad_manifest(emu: Emulator) -> None:
    ds = emu.backend.datasets.create("plain")
    rows = emu.backend.data_rows
    ids = [rows.create(ds, {"rowData": f"https://x/{n}", "globalKey": f"g{n}"}) for n in range(5)]
    q = (
        "query($id: ID!, $from: ID) { datasetDataRows(id: $id, first: 2, from: $from)"
        " { nodes { id } pageInfo { startCursor } totalCount } }"
    )
    seen: list[str] = []
    cursor = None
    while True:
        page = (await gql(emu, q, {"id": ds, "from": cursor}))["data"]["datasetDataRows"]
        seen += [n["id"] for n in page["nodes"]]
        assert page["totalCount"] == 5
        cursor = page["pageInfo"]["startCursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]
    rows.delete_created(ids[0])
    got = await gql(emu, "query($id: ID!) { dataRow(where: {id: $id}) { id } }", {"id": ids[0]})
    assert got["data"]["dataRow"] is None and "not found" in got["errors"][0]["message"].lower()
    where = await gql(emu, q.replace("from: $from", 'from: $from, where: {globalKey: "g3"}'), {"id": ds})
    assert [n["id"] for n in where["data"]["datasetDataRows"]["nodes"]] == [ids[3]]
    bad = await gql(emu, 'mutation { upsertDataRows(data: {manifestUri: "http://nowhere/b/k.json"}) { id } }')
    assert "Unknown file 'http://nowhere/b/k.json'" in bad["errors"][0]["message"]


async def test_sdk_global_key_jobs_assign_lookup_clear(emu: Emulator) -> None:
    ds = emu.backend.datasets.create("keys")
    rows = emu.backend.data_rows
    a, b = (rows.create(ds, {"rowData": f"https://x/{n}"}) for n in range(2))
    seeded_key = emu.world.global_key(0, 3)

    def run() -> tuple[Any, Any, Any, Any]:
        client = sdk_client(emu)
        assigned = client.assign_global_keys_to_data_rows(
            [
                {"data_row_id": a, "global_key": "ka"},
                {"data_row_id": b, "global_key": "ka"},
                {"data_row_id": "nope", "global_key": "kn"},
            ]
        )
        found = client.get_data_row_ids_for_global_keys(["ka", seeded_key, "missing"])
        cleared = client.clear_global_keys(["ka", "missing"])
        after = client.get_data_row_ids_for_global_keys(["ka"])
        return assigned, found, cleared, after

    assigned, found, cleared, after = await in_thread(run)
    assert assigned["status"] == "PARTIAL SUCCESS"
    assert assigned["results"] == [{"data_row_id": a, "global_key": "ka", "sanitized": False}]
    assert [(e["data_row_id"], e["global_key"]) for e in assigned["errors"]] == [(b, "ka"), ("nope", "kn")]
    assert found["results"] == [a, emu.world.row_id(0, 3), ""]  # "" at the place of a key not found, as the SDK says
    assert found["errors"] == [{"global_key": "missing", "error": "Data Row not found"}]
    assert cleared["results"] == ["ka"] and cleared["status"] == "PARTIAL SUCCESS"
    assert rows.record(a)["globalKey"] is None
    assert after["status"] == "FAILURE" and after["results"] == [""]


async def test_sdk_deletes_rows_and_they_disappear_everywhere(emu: Emulator) -> None:
    ds = emu.backend.datasets.create("deletes")
    rows = emu.backend.data_rows
    a, b = (rows.create(ds, {"rowData": f"https://x/{n}", "globalKey": f"del-{n}"}) for n in range(2))

    def run() -> tuple[list[str], Any, str]:
        client = sdk_client(emu)
        labelbox.DataRow.bulk_delete([client.get_data_row(a)])
        left = [r.uid for r in client.get_dataset(ds).data_rows()]
        found = client.get_data_row_ids_for_global_keys(["del-0", "del-1"])
        try:
            client.get_data_row(a)
        except Exception as e:  # the SDK's ResourceNotFoundError
            return left, found, type(e).__name__
        return left, found, "no error"

    left, found, error = await in_thread(run)
    assert left == [b] and rows.created_in(ds) == [b]
    assert found["results"] == ["", b] and found["errors"] == [{"global_key": "del-0", "error": "Data Row not found"}]
    assert error == "ResourceNotFoundError"
    seeded = emu.world.row_id(0, 1)
    got = await gql(emu, "mutation($i: [ID!]!) { deleteDataRows(where: {dataRowIds: $i}) { id } }", {"i": [b, seeded]})
    assert "is a seeded row" in got["errors"][0]["message"] and rows.created_in(ds) == [b]


async def test_created_rows_are_in_v2_dataset_and_catalog_exports(emu: Emulator) -> None:
    def run() -> tuple[Any, list[Any], int]:
        client = sdk_client(emu)
        ds = client.create_dataset(name="exported")
        task = ds.create_data_rows(
            [
                {
                    "row_data": "https://example.com/e.jpg",
                    "global_key": "exp-1",
                    "metadata_fields": [{"schema_id": SPLIT, "value": TRAIN}, {"schema_id": TAG, "value": "t"}],
                    "attachments": [{"type": "TEXT_URL", "value": "https://example.com/n.txt", "name": "n"}],
                }
            ]
        )
        task.wait_till_done()
        export = ds.export(params={"metadata_fields": True, "attachments": True, "data_row_details": True})
        export.wait_till_done()
        lines = [o.json for o in export.get_buffered_stream()]
        catalog = client.get_catalog().export(params={}, filters={"global_keys": ["exp-1"]})
        catalog.wait_till_done()
        return ds, lines, len([o.json for o in catalog.get_buffered_stream()])

    ds, lines, in_catalog = await in_thread(run)
    (rid,) = truth_rows(emu, ds.uid)
    row = emu.backend.data_rows.record(rid)
    assert [line["data_row"]["id"] for line in lines] == [rid]
    (line,) = lines
    assert line["data_row"]["global_key"] == "exp-1" and line["data_row"]["details"]["dataset_id"] == ds.uid
    assert line["metadata_fields"] == [
        {"schema_id": SPLIT, "schema_name": "split", "value": {"schema_id": TRAIN, "schema_name": "train"}},
        {"schema_id": TAG, "schema_name": "tag", "value": "t"},
    ]
    assert line["attachments"] == row["attachments"] and line["projects"] == {}
    assert in_catalog == 1
