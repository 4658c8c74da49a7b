"""Writes to seeded data rows: the official SDK (7.17.0, unmodified) and alabelbox assign and clear global keys,
add attachments and metadata on rows the emulator generated, and both read them back alike, in every place a row's
values show (the row, the listings and their filters, the global-key lookups, export v2 and the legacy export)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client
from alabelbox.testing import Emulator

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")
md = pytest.importorskip("labelbox.schema.data_row_metadata")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

ALL = {"attachments": True, "metadata_fields": True, "data_row_details": True}


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=5, projects=1, data_rows=12, task_seconds=0.0) as e:
        yield e


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def generated_key(emu: Emulator, rid: str) -> str:
    """The global key the emulator generated for seeded row ``rid``."""
    got = emu.backend.data_rows.find(rid)
    assert got is not None
    return emu.world.global_key(*got)


async def export_lines(client: Client, **source: Any) -> dict[str, dict[str, Any]]:
    task = await client.exports.create_and_poll(**source, params=ALL, poll_interval=0.01)
    async with client.exports.stream(task, model=None) as stream:
        return {r.value["data_row"]["id"]: r.value async for r in stream}


async def test_keys_attachments_and_metadata_written_to_seeded_rows_are_read_back_by_both(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    s0, s1, s2, untouched = emu.data_row_ids(emu.dataset_ids[0])[:4]
    w = emu.world
    old0, old1, old2, old3 = (generated_key(emu, r) for r in (s0, s1, s2, untouched))
    index = emu.backend.data_rows.find(untouched)
    assert index is not None
    before = w.export_line(*index, {"includeAttachments": True, "includeMetadata": True}, [], [])

    def sdk_writes() -> dict[str, Any]:
        sdk = sdk_client(emu)
        assigned = sdk.assign_global_keys_to_data_rows([{"data_row_id": s0, "global_key": "sdk-key"}])
        cleared = sdk.clear_global_keys([old1])
        note = sdk.get_data_row(s0).create_attachment("RAW_TEXT", "from the sdk", "sdk-note")
        mdo = sdk.get_data_row_metadata_ontology()
        failed = mdo.bulk_upsert(
            [md.DataRowMetadata(data_row_id=s0, fields=[md.DataRowMetadataField(name="tag", value="sdk")])]
        )
        return {"assigned": assigned, "cleared": cleared, "note": note.uid, "failed": failed}

    sdk = await in_thread(sdk_writes)
    assert sdk["assigned"]["status"] == "SUCCESS" and sdk["cleared"]["results"] == [old1] and not sdk["failed"]
    mine = await client.global_keys.assign([(s2, "ours-key")])
    assert [a.global_key for a in mine.results] == ["ours-key"] and not mine.errors
    ours_note = await client.attachments.create(s1, type="TEXT_URL", value="https://example.com/n.txt", name="ours")
    assert not await client.metadata.upsert([{"global_key": "ours-key", "fields": [{"name": "tag", "value": "ours"}]}])

    # The lookups: new keys find their rows, replaced and cleared keys nothing.
    looked = await client.global_keys.lookup(["sdk-key", "ours-key", old0, old1, old2])
    assert looked.results == [s0, s2, None, None, None]

    def sdk_reads() -> dict[str, Any]:
        sdk = sdk_client(emu)
        dataset = sdk.get_dataset(emu.dataset_ids[0])
        mdo = sdk.get_data_row_metadata_ontology()
        return {
            "lookup": sdk.get_data_row_ids_for_global_keys(["sdk-key", "ours-key", old0, old1, old2])["results"],
            "keys": {r.uid: r.global_key for r in dataset.data_rows()},
            "attachments": {
                rid: [(a.uid, a.attachment_value) for a in sdk.get_data_row(rid).attachments()] for rid in (s0, s1)
            },
            "metadata": {
                m.data_row_id: [(f.name, f.value) for f in m.fields if f.name == "tag"]
                for m in mdo.bulk_export([s0, s2])
            },
            "export": {
                line.json["data_row"]["id"]: line.json
                for line in _sdk_export(dataset, {"attachments": True, "metadata_fields": True})
            },
        }

    read = await in_thread(sdk_reads)
    assert read["lookup"] == [s0, s2, "", "", ""]
    assert (read["keys"][s0], read["keys"][s1], read["keys"][s2]) == ("sdk-key", None, "ours-key")
    assert read["keys"][untouched] == old3
    assert read["attachments"] == {
        s0: [(sdk["note"], "from the sdk")],
        s1: [(ours_note.id, "https://example.com/n.txt")],
    }
    assert read["metadata"] == {s0: [("tag", "sdk")], s2: [("tag", "ours")]}

    # alabelbox reads the same: the row, the listing filtered by the new keys, the metadata, the export.
    row = await client.data_rows.retrieve(s0)
    assert row.global_key == "sdk-key" and [a.id async for a in client.attachments.list(s0)] == [sdk["note"]]
    listed = [r.id async for r in client.data_rows.list(emu.dataset_ids[0], global_keys=["sdk-key", "ours-key", old0])]
    assert sorted(listed) == sorted([s0, s2])
    exported = {e.data_row_id: [(v.name, v.value) for v in e.fields] for e in await client.metadata.export([s0, s2])}
    assert exported == {s0: [("tag", "sdk")], s2: [("tag", "ours")]}
    lines = await export_lines(client, dataset_id=emu.dataset_ids[0])
    for rid in (s0, s1, s2, untouched):
        theirs, ours = read["export"][rid], lines[rid]
        assert theirs["data_row"] == {k: v for k, v in ours["data_row"].items() if k != "details"}
        assert theirs["attachments"] == ours["attachments"] and theirs["metadata_fields"] == ours["metadata_fields"]
    assert lines[s0]["data_row"]["global_key"] == "sdk-key" and "global_key" not in lines[s1]["data_row"]
    assert [(a["id"], a["value"]) for a in lines[s1]["attachments"]] == [(ours_note.id, "https://example.com/n.txt")]
    assert [(m["schema_name"], m["value"]) for m in lines[s2]["metadata_fields"]] == [("tag", "ours")]
    assert lines[untouched]["attachments"] == before["attachments"]  # an untouched row keeps its generated values
    assert lines[untouched]["metadata_fields"] == before["metadata_fields"]
    by_key = await export_lines(client, global_keys=["sdk-key", "ours-key", old0])
    assert sorted(by_key) == sorted([s0, s2])

    # The legacy export of the project (its labels are on these rows) names the rows by their keys as they stand.
    async with client.exports.export_labels(emu.project_ids[0], model=None, poll_interval=0.01) as rows:
        legacy = {r["DataRow ID"]: r async for r in rows}
    assert (legacy[s0]["Global Key"], legacy[s1]["Global Key"], legacy[s2]["Global Key"]) == (
        "sdk-key",
        None,
        "ours-key",
    )
    assert legacy[untouched]["Global Key"] == old3 and legacy[untouched]["DataRow Metadata"] == []
    assert [m["value"] for m in legacy[s2]["DataRow Metadata"]] == ["ours"]
    json.dumps(legacy)  # plain JSON throughout


def _sdk_export(dataset: Any, params: dict[str, Any]) -> list[Any]:
    task = dataset.export(params=params)
    task.wait_till_done()
    return list(task.get_buffered_stream())


async def test_a_key_taken_back_from_a_seeded_row_can_go_to_another_and_deletes_of_attachments_work(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    s0, s1 = emu.data_row_ids(emu.dataset_ids[0])[:2]
    old0 = generated_key(emu, s0)
    taken = await client.global_keys.assign([(s1, old0)])  # s0 holds it
    assert [e.data_row_id for e in taken.errors] == [s1]
    assert (await client.global_keys.clear([old0])).results == [old0]
    moved = await client.global_keys.assign([(s1, old0)])
    assert not moved.errors and (await client.global_keys.lookup([old0])).results == [s1]
    note = await client.attachments.create(s0, type="RAW_TEXT", value="x")
    await client.attachments.update(note.id, name="renamed")

    def sdk_reads_and_deletes() -> tuple[list[Any], str | None]:
        sdk = sdk_client(emu)
        row = sdk.get_data_row(s0)
        names = [a.attachment_name for a in row.attachments()]
        for a in row.attachments():
            a.delete()
        return names, sdk.get_data_row(s1).global_key

    names, key = await in_thread(sdk_reads_and_deletes)
    assert names == ["renamed"] and key == old0
    assert [a async for a in client.attachments.list(s0)] == []
    assert (await client.data_rows.retrieve(s0)).global_key is None
