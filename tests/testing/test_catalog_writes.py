"""The emulator's global-key, attachment and metadata resources over plain GraphQL: the edges the SDK does not reach."""

from __future__ import annotations

from typing import Any

from alabelbox.testing import Emulator

from .conftest import Gql

TAG, SPLIT = "cko8s9r5v0001h2dk9elqdidh", "cko8sbczn0002h2dkdaxb5kal"

UPSERT_SCHEMA = """mutation($data: UpsertCustomMetadataSchemaInput!) {
  upsertCustomMetadataSchema(data: $data) { id name kind options { id name } } }"""
UPSERT_VALUES = """mutation($m: [DataRowCustomMetadataBatchUpsertInput!]!) {
  upsertDataRowCustomMetadata(data: $m) { dataRowId globalKey error fields { schemaId value } } }"""
VALUES = """query($ids: [String!]!, $t: IdType!) {
  dataRowCustomMetadata(where: {dataRowIdentifiers: {ids: $ids, idType: $t}}) {
    dataRowId fields { schemaId value } } }"""


def created(emu: Emulator, **fields: Any) -> str:
    key = emu.backend.datasets.find(emu.dataset_ids[0])
    assert key is not None
    rid: str = emu.backend.data_rows.create(key, {"rowData": "https://example.com/x.jpg", **fields})
    return rid


def error(body: dict[str, Any]) -> tuple[str, str]:
    first = body["errors"][0]
    return first["extensions"]["code"], first["message"]


async def test_schema_upserts_keep_option_ids_and_purge_removed_options(emu: Emulator, gql: Gql) -> None:
    options = [{"name": n, "kind": "CustomMetadataEnumOption"} for n in ("a", "b")]
    _, body = await gql(UPSERT_SCHEMA, {"data": {"name": "e", "kind": "CustomMetadataEnum", "options": options}})
    schema = body["data"]["upsertCustomMetadataSchema"]
    a, b = schema["options"]
    rid = created(emu)
    _, body = await gql(UPSERT_VALUES, {"m": [{"dataRowId": rid, "fields": [{"schemaId": b["id"], "value": {}}]}]})
    assert body["data"]["upsertDataRowCustomMetadata"] == []
    # Renaming "a" and leaving "b" out: "a" keeps its id, "b" and its value go.
    kept = [{"id": a["id"], "name": "a2", "kind": "CustomMetadataEnumOption"}]
    _, body = await gql(UPSERT_SCHEMA, {"data": {"id": schema["id"], "name": "e", "kind": "CustomMetadataEnum",
                                                 "options": kept}})  # fmt: skip
    assert body["data"]["upsertCustomMetadataSchema"]["options"] == [{"id": a["id"], "name": "a2"}]
    assert emu.backend.data_rows.record(rid)["metadataFields"] == []


async def test_reserved_schemas_and_bad_schemas_are_refused(gql: Gql) -> None:
    reserved = {"id": TAG, "name": "tag2", "kind": "CustomMetadataString"}
    assert error((await gql(UPSERT_SCHEMA, {"data": reserved}))[1])[0] == "OPERATION_NOT_ALLOWED"
    taken = {"name": "split", "kind": "CustomMetadataString"}
    assert error((await gql(UPSERT_SCHEMA, {"data": taken}))[1]) == (
        "RESOURCE_CONFLICT",
        "A metadata schema named 'split' already exists",
    )
    bad_kind = {"name": "x", "kind": "CustomMetadataBlob"}
    assert "kind 'CustomMetadataBlob' is not one of" in error((await gql(UPSERT_SCHEMA, {"data": bad_kind}))[1])[1]
    delete = "mutation($w: WhereUniqueIdInput!) { deleteCustomMetadataSchema(schema: $w) { success } }"
    assert error((await gql(delete, {"w": {"id": SPLIT}}))[1])[0] == "OPERATION_NOT_ALLOWED"


async def test_value_writes_fail_per_row_and_reads_skip_missing_rows(emu: Emulator, gql: Gql) -> None:
    rid = created(emu, globalKey="gk")
    seeded = emu.data_row_ids(emu.dataset_ids[0])[0]
    items = [
        {"globalKey": "gk", "fields": [{"schemaId": TAG, "value": "ok"}]},
        {"dataRowId": rid, "globalKey": "gk", "fields": []},
        {"dataRowId": seeded, "fields": [{"schemaId": TAG, "value": "x"}]},
        {"dataRowId": rid, "fields": [{"schemaId": TAG, "value": 5}]},
    ]
    _, body = await gql(UPSERT_VALUES, {"m": items})
    failed = body["data"]["upsertDataRowCustomMetadata"]
    assert [f["error"] for f in failed] == [
        "Give exactly one of dataRowId and globalKey",
        "metadata_fields[0] (tag): a string is expected, not int",
    ]
    assert failed[1]["fields"] == [{"schemaId": TAG, "value": 5}]  # what was sent, as the SDK parses it
    _, body = await gql(VALUES, {"ids": [seeded], "t": "ID"})  # a seeded row is written too
    assert body["data"]["dataRowCustomMetadata"][0]["fields"] == [{"schemaId": TAG, "value": "x"}]
    _, body = await gql(VALUES, {"ids": ["gk", "nobody"], "t": "GKEY"})
    assert body["data"]["dataRowCustomMetadata"] == [{"dataRowId": rid, "fields": [{"schemaId": TAG, "value": "ok"}]}]


async def test_attachment_mutations_on_seeded_and_missing_rows(emu: Emulator, gql: Gql) -> None:
    create = (
        """mutation($d: ID!) { createDataRowAttachment(data: {type: RAW_TEXT, value: "v", dataRowId: $d}) { id } }"""
    )
    seeded = emu.data_row_ids(emu.dataset_ids[0])[0]
    assert (await gql(create, {"d": seeded}))[1]["data"]["createDataRowAttachment"]["id"]  # seeded rows too
    assert error((await gql(create, {"d": "nope"}))[1])[0] == "RESOURCE_NOT_FOUND"
    update = 'mutation { updateDataRowAttachment(where: {id: "nope"}, data: {name: "n"}) { id } }'
    assert error((await gql(update))[1])[0] == "RESOURCE_NOT_FOUND"
    bad_type = 'mutation { createDataRowAttachment(data: {type: TEXT, value: "v", dataRowId: "x"}) { id } }'
    assert error((await gql(bad_type))[1])[0] == "GRAPHQL_VALIDATION_FAILED"


async def test_global_key_jobs_refuse_more_than_the_limit(gql: Gql) -> None:
    lookup = "query($k: [ID!]!) { dataRowsForGlobalKeys(where: {ids: $k}) { jobId } }"
    assert error((await gql(lookup, {"k": [f"k{i}" for i in range(1001)]}))[1]) == (
        "BAD_USER_INPUT",
        "At most 1000 global keys per job, got 1001",
    )
    external = "query($e: [String!]!) { externalIdsToDataRowIds(externalId_in: $e) { dataRowId } }"
    assert "At most 1500 external ids" in error((await gql(external, {"e": ["x"] * 1501}))[1])[1]
