"""Conformance of datasets and data-row writes: the unmodified official SDK 7.17 and alabelbox against one emulator.

Each test writes with one client and reads with the other, and both agree with the emulator's truth
(``emu.backend.data_rows`` / ``emu.backend.datasets``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from alabelbox import Client, DataRowKey, DataRowSpec, ResourceNotFoundError
from alabelbox.testing import Emulator

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")
sdk_exceptions = pytest.importorskip("lbox.exceptions")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]

TAG = "cko8s9r5v0001h2dk9elqdidh"
SPLIT = "cko8sbczn0002h2dkdaxb5kal"
TRAIN = "cko8sbscr0003h2dk04w86hof"


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=11, projects=1, data_rows=5, task_seconds=0.0) as e:
        yield e


@pytest.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def truth(emu: Emulator, dataset_id: str) -> dict[str, dict[str, Any]]:
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset_id)
    assert key is not None
    return {rid: rows.record(rid) for rid in rows.created_in(key)}


def by_key(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["globalKey"]: r for r in rows.values()}


async def test_dataset_crud_both_ways(emu: Emulator, client: Client, no_external_network: list[Any]) -> None:
    sdk_made = await in_thread(lambda: sdk_client(emu).create_dataset(name="by-sdk", description="d1"))
    ours = await client.datasets.retrieve(sdk_made.uid)
    assert (ours.name, ours.description) == ("by-sdk", "d1") == (sdk_made.name, sdk_made.description)
    await client.datasets.update(sdk_made.uid, name="renamed-by-alabelbox")
    assert (await in_thread(lambda: sdk_client(emu).get_dataset(sdk_made.uid))).name == "renamed-by-alabelbox"

    made = await client.datasets.create("by-alabelbox", description="d2")

    def sdk_reads_and_updates() -> tuple[str, str]:
        ds = sdk_client(emu).get_dataset(made.id)
        seen = (ds.name, ds.description)
        ds.update(description="changed-by-sdk")
        return seen

    assert await in_thread(sdk_reads_and_updates) == ("by-alabelbox", "d2")
    assert (await client.datasets.retrieve(made.id)).description == "changed-by-sdk"
    assert emu.backend.datasets.table.get(made.id)["description"] == "changed-by-sdk"

    await client.datasets.delete(sdk_made.uid)
    await in_thread(lambda: sdk_client(emu).get_dataset(made.id).delete())
    with pytest.raises(ResourceNotFoundError):
        await client.datasets.retrieve(made.id)
    with pytest.raises(sdk_exceptions.ResourceNotFoundError):
        await in_thread(lambda: sdk_client(emu).get_dataset(sdk_made.uid))
    names = {d.name async for d in client.datasets.list()}
    assert names.isdisjoint({"by-sdk", "renamed-by-alabelbox", "by-alabelbox"})
    assert no_external_network == []


async def test_alabelbox_creates_and_the_sdk_reads_the_same_rows(
    emu: Emulator, client: Client, tmp_path: Path, no_external_network: list[Any]
) -> None:
    local = tmp_path / "dog.png"
    local.write_bytes(b"\x89PNG a dog")
    dataset = await client.datasets.create("ours")
    result = await client.data_rows.create(
        dataset.id,
        [
            {
                "row_data": "https://example.com/a.jpg",
                "global_key": "a",
                "external_id": "ext-a",
                "metadata_fields": [{"schema_id": TAG, "value": "hello"}, {"name": "split", "value": "train"}],
                "attachments": [{"type": "RAW_TEXT", "value": "note", "name": "n1"}],
            },
            DataRowSpec(local, global_key="local"),
            {
                "row_data": {"type": "application/vnd.labelbox.conversational", "version": 1, "messages": []},
                "global_key": "conv",
            },
        ],
    )
    assert result.ok
    stored = by_key(truth(emu, dataset.id))

    def sdk_reads() -> tuple[dict[str, Any], Any]:
        client = sdk_client(emu)
        rows = {r.global_key: r for r in client.get_dataset(dataset.id).data_rows()}
        a = client.get_data_row(rows["a"].uid)
        return {k: (r.uid, r.external_id, r.row_data) for k, r in rows.items()}, (
            [(m["schemaId"], m["value"]) for m in a.metadata_fields],
            [(x.attachment_type, x.attachment_value, x.attachment_name) for x in a.attachments()],
        )

    sdk_rows, (metadata, attachments) = await in_thread(sdk_reads)
    assert sdk_rows == {k: (r["id"], r["externalId"], r["rowData"]) for k, r in stored.items()}
    assert metadata == [(TAG, "hello"), (SPLIT, TRAIN)]
    assert attachments == [("RAW_TEXT", "note", "n1")]
    ours = {r.global_key: (r.id, r.external_id, r.row_data) async for r in client.data_rows.list(dataset.id)}
    assert ours == sdk_rows
    assert stored["local"]["externalId"] == str(local)  # as the SDK names an uploaded file's row
    assert no_external_network == []


async def test_the_sdk_creates_and_alabelbox_reads_the_same_rows(
    emu: Emulator, client: Client, tmp_path: Path, no_external_network: list[Any]
) -> None:
    local = tmp_path / "cat.jpg"
    local.write_bytes(b"\xff\xd8 a cat")

    def run() -> str:
        ds = sdk_client(emu).create_dataset(name="theirs")
        task = ds.create_data_rows(
            [
                {
                    "row_data": "https://example.com/x.jpg",
                    "global_key": "x",
                    "metadata_fields": [{"schema_id": TAG, "value": "t"}],
                },
                {"row_data": str(local), "global_key": "y"},
            ]
        )
        task.wait_till_done()
        assert task.status == "COMPLETE"
        return str(ds.uid)

    dataset_id = await in_thread(run)
    stored = by_key(truth(emu, dataset_id))
    rows = {r.global_key: r async for r in client.data_rows.list(dataset_id)}
    assert {k: (r.id, r.row_data, r.external_id) for k, r in rows.items()} == {
        k: (r["id"], r["rowData"], r["externalId"]) for k, r in stored.items()
    }
    assert [(m.schema_id, m.value) for m in rows["x"].metadata_fields] == [(TAG, "t")]
    assert (await client.datasets.retrieve(dataset_id)).row_count == 2
    assert no_external_network == []


async def test_upserts_updates_and_deletes_cross_over(emu: Emulator, client: Client) -> None:
    dataset = await client.datasets.create("cross")
    created = await client.data_rows.create_many(
        dataset.id, [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}"} for i in range(4)]
    )
    ids = [r.id for r in created]

    def sdk_writes() -> tuple[str, Any]:
        c = sdk_client(emu)
        ds = c.get_dataset(dataset.id)
        task = ds.upsert_data_rows([{"key": labelbox.GlobalKey("k0"), "external_id": "sdk-upserted"}])
        task.wait_till_done()
        row = c.get_data_row(ids[1])
        row.update(external_id="sdk-updated")
        labelbox.DataRow.bulk_delete([c.get_data_row(ids[2])])
        return task.status, task.errors

    assert await in_thread(sdk_writes) == ("COMPLETE", None)
    stored = truth(emu, dataset.id)
    assert stored[ids[0]]["externalId"] == "sdk-upserted"
    assert stored[ids[1]]["externalId"] == "sdk-updated"
    assert ids[2] not in stored
    ours = {r.id: r.external_id async for r in client.data_rows.list(dataset.id)}
    assert ours == {rid: r["externalId"] for rid, r in stored.items()}

    result = await client.data_rows.upsert(dataset.id, [{"key": DataRowKey.id(ids[3]), "external_id": "ours-upserted"}])
    assert result.ok
    await client.data_rows.update(ids[0], global_key="k0-ours")
    assert await client.data_rows.delete([ids[1]]) == 1

    def sdk_reads() -> dict[str, tuple[str, str]]:
        return {r.uid: (r.global_key, r.external_id) for r in sdk_client(emu).get_dataset(dataset.id).data_rows()}

    stored = truth(emu, dataset.id)
    assert await in_thread(sdk_reads) == {rid: (r["globalKey"], r["externalId"]) for rid, r in stored.items()}
    assert sorted(stored) == sorted([ids[0], ids[3]])
    assert stored[ids[0]]["globalKey"] == "k0-ours" and stored[ids[3]]["externalId"] == "ours-upserted"


async def test_failed_rows_read_the_same_by_both(emu: Emulator, client: Client) -> None:
    ours_id = (await client.datasets.create("failures-ours")).id
    specs = [{"row_data": f"https://example.com/{i}.jpg", "external_id": f"e{i}"} for i in range(5)]
    emu.faults.fail_data_rows(1, 3, message="boom")
    ours = await client.data_rows.create(ours_id, specs)

    def sdk_run() -> tuple[str, list[Any]]:
        ds = sdk_client(emu).create_dataset(name="failures-sdk")
        emu.faults.fail_data_rows(1, 3, message="boom")
        task = ds.create_data_rows([dict(s) for s in specs])
        task.wait_till_done()
        return str(ds.uid), list(task.failed_data_rows or [])

    theirs_id, theirs = await in_thread(sdk_run)
    # Each reports exactly the rows that are not in its dataset (the SDK sends its items in thread-completion
    # order, so which two of its specs are items 1 and 3 varies; ours are in spec order).
    every = {s["external_id"] for s in specs}
    ours_missing = every - {r["externalId"] for r in truth(emu, ours_id).values()}
    theirs_missing = every - {r["externalId"] for r in truth(emu, theirs_id).values()}
    assert [(f.index, f.message, f.external_id) for f in ours.failed] == [(1, "boom", "e1"), (3, "boom", "e3")]
    assert {f.external_id for f in ours.failed} == ours_missing
    assert {f["failedDataRows"][0]["externalId"] for f in theirs} == theirs_missing
    assert {f["message"] for f in theirs} == {"boom"} and len(theirs) == 2
