"""The official labelbox SDK (7.17.0), unmodified, reads slices against the emulator.

It lists the catalog slices, gets one by id and by name, walks the data-row identifiers of a catalog slice and of
a model slice (whose cursor is an object), takes the ids alone, and exports a slice with ``export`` (streamed) and
``export_v2`` (its ``result``). Every test checks what the SDK read against the emulator's truth, and alabelbox reads
back exactly the same, sending the same requests. (A file of its own beside ``test_sdk_conformance.py``, whose helpers
it shares.)
"""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import DataSplit

from .test_sdk_conformance import in_thread, lbox_exceptions, no_external_network

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=13, projects=2, data_rows=130, shard_bytes=20_000, task_seconds=0.0) as e:
        yield e


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
    )


def identifiers(collection: Any) -> list[tuple[str, str | None]]:
    """``(id, global key)`` of each ``Slice.DataRowIdAndGlobalKey`` of an SDK collection."""
    return [(row.to_hash()["id"], row.to_hash()["global_key"]) for row in collection]


async def test_sdk_reads_catalog_slices_and_their_rows(emu: Emulator, no_external_network: list[Any]) -> None:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        made = await client.data_rows.create_many(
            emu.dataset_ids[0], [{"row_data": "https://example.com/new.jpg", "global_key": "new-gk"}]
        )
    slice_id = emu.catalog_slice_ids[0]

    def run() -> dict[str, Any]:
        client = sdk(emu)
        one = client.get_catalog_slice(slice_id)
        return {
            "all": [(s.uid, s.name, s.filter) for s in client.get_catalog_slices()],
            "one": (one.uid, one.name, one.description, one.filter, one.created_at, one.updated_at),
            "by_name": client.get_catalog_slice(slice_name=one.name).uid,
            "rows": identifiers(one.get_data_row_identifiers()),
            "hand_picked": identifiers(client.get_catalog_slice(emu.catalog_slice_ids[-1]).get_data_row_identifiers()),
        }

    got = await in_thread(run)
    truth = emu.slice_data_rows(slice_id)
    assert got["rows"] == truth and len(truth) == 131 and truth[-1] == (made[0].id, "new-gk")
    assert got["hand_picked"] == emu.slice_data_rows(emu.catalog_slice_ids[-1])
    assert [uid for uid, _, _ in got["all"]] == emu.catalog_slice_ids
    assert got["by_name"] == slice_id
    assert no_external_network == []

    # alabelbox reads back the same, with the same requests.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = await client.slices.retrieve(slice_id)
        assert (mine.id, mine.name, mine.description, mine.filter, mine.created_at, mine.updated_at) == got["one"]
        assert [(s.id, s.name, s.filter) for s in await client.slices.list()] == got["all"]
        rows = [(r.id, r.global_key) async for r in client.slices.data_row_identifiers(slice_id)]
        assert rows == got["rows"]
    sent = [r.variables for r in emu.api_requests("getDataRowIdenfifiersBySavedQueryPyApi")]
    pages = [v for v in sent if v is not None and v["id"] == slice_id]
    # The same pages with the same cursors, each asked once: 131 rows in pages of 100.
    assert len(pages) == 4 and pages[:2] == pages[2:]
    assert [v["from"] for v in pages[:2]] == [None, got["rows"][99][0]]


async def test_sdk_exports_a_catalog_slice(emu: Emulator, no_external_network: list[Any]) -> None:
    slice_id = emu.catalog_slice_ids[-1]  # hand-picked: every fifth of the first 130 rows of dataset 0
    project_id = emu.project_ids[0]

    def run() -> tuple[list[Any], list[Any]]:
        one = sdk(emu).get_catalog_slice(slice_id)
        task = one.export(params={"label_details": True, "project_ids": [project_id]})
        task.wait_till_done()
        streamed = [out.json for out in task.get_buffered_stream()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            legacy = one.export_v2(params={"data_row_details": True})
        legacy.wait_till_done()
        return streamed, legacy.result

    streamed, legacy = await in_thread(run)
    truth = [rid for rid, _ in emu.slice_data_rows(slice_id)]
    assert [r["data_row"]["id"] for r in streamed] == truth == [r["data_row"]["id"] for r in legacy]
    assert len(truth) == 26
    assert all(len(r["projects"][project_id]["labels"]) == 1 for r in streamed)
    assert all("details" in r["data_row"] for r in legacy)
    assert no_external_network == []

    # alabelbox sends what the SDK sends and exports the same lines.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        params = {"label_details": True, "project_ids": [project_id]}
        task = await client.exports.create_and_poll(slice_id=slice_id, params=params, poll_interval=0.01)
        async with client.exports.stream(task, model=None) as stream:
            mine = [record.value async for record in stream]
    assert mine == streamed
    theirs, _, ours = emu.api_requests("exportDataRowsInSlicePyApi")
    assert theirs.variables is not None and ours.variables is not None
    assert ours.variables["input"]["filters"] == theirs.variables["input"]["filters"] == {"sliceId": slice_id}
    # The same params, every one; a list of ids not given goes as [] (the SDK sends null: the API reads both as none).
    sent = theirs.variables["input"]["params"]
    sdk_params = {k: [] if v is None and k.endswith("Ids") else v for k, v in sent.items()}
    assert ours.variables["input"]["params"] == sdk_params


async def test_sdk_reads_a_model_slice(emu: Emulator, no_external_network: list[Any]) -> None:
    ids = emu.data_row_ids(emu.dataset_ids[0])[:30] + emu.data_row_ids(emu.dataset_ids[1])[:5]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        ontology_id = emu.backend.ontologies.upsert_ontology(
            {"name": "Boxes", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}
        )
        model = await client.models.create("detector", ontology_id=ontology_id)
        run_id = (await client.model_runs.create(model.id, name="baseline")).id
        await client.model_runs.upsert_data_rows(run_id, data_row_ids=ids, poll_interval=0.01)
        await client.model_runs.assign_split(run_id, DataSplit.TRAINING, data_row_ids=ids[::3], poll_interval=0.01)
    every, training, dataset_zero = emu.model_slice_ids

    def run() -> dict[str, Any]:
        client = sdk(emu)
        got: dict[str, Any] = {}
        for slice_id in (every, training, dataset_zero):
            model_slice = client.get_model_slice(slice_id)
            got[slice_id] = identifiers(model_slice.get_data_row_identifiers(run_id))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            got["ids"] = list(client.get_model_slice(training).get_data_row_ids(run_id))
        got["name"] = client.get_model_slice(training).name
        with pytest.raises(lbox_exceptions.ResourceNotFoundError):
            client.get_model_slice(emu.world.ids.encode("v", 1, 999))
        return got

    got = await in_thread(run)
    assert got[every] == emu.slice_data_rows(every, run_id) and [rid for rid, _ in got[every]] == ids
    assert [rid for rid, _ in got[training]] == ids[::3] == got["ids"]
    assert [rid for rid, _ in got[dataset_zero]] == ids[:30]
    assert got["name"] == "Training split"
    assert no_external_network == []

    # alabelbox reads back the same; its object cursors are the SDK's.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        for slice_id in (every, training, dataset_zero):
            walk = client.slices.model_data_row_identifiers(slice_id, run_id, page_size=10)
            assert [(r.id, r.global_key) async for r in walk] == got[slice_id]
        before = len(emu.api_requests("getDataRowIdenfifiersBySavedModelQueryPyApi"))
        assert len([r async for r in client.slices.model_data_row_identifiers(every, run_id, page_size=10)]) == 35
    pages = emu.api_requests("getDataRowIdenfifiersBySavedModelQueryPyApi")[before:]
    assert [r.variables["from"] for r in pages if r.variables is not None] == [None] + [
        {"dataRowId": rid, "globalKey": gk} for rid, gk in (got[every][9], got[every][19], got[every][29])
    ]
