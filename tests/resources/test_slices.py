"""``client.slices`` against the emulator: the seeded saved queries, the rows each selects (created rows included),
the cursor walks (the catalog's string cursor, the model's object cursor), and the slice export."""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import DataSplit, SliceDataRow

from .conftest import fast_retry

ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=8, projects=3, data_rows=120, batch_size=50, task_seconds=0.0) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as c:
        yield c


def pairs(rows: list[SliceDataRow]) -> list[tuple[str, str | None]]:
    return [(row.id, row.global_key) for row in rows]


async def make_run(emu: Emulator, client: Client) -> str:
    """A model run holding rows 0-9 of dataset 0 and rows 0-4 of dataset 1; rows 2, 5, 8 of dataset 0 TRAINING."""
    ontology_id = emu.backend.ontologies.upsert_ontology(
        {"name": "Boxes", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}
    )
    model = await client.models.create("detector", ontology_id=ontology_id)
    run = await client.model_runs.create(model.id, name="baseline")
    first, second = emu.dataset_ids[:2]
    ids = emu.data_row_ids(first)[::-1][:10] + emu.data_row_ids(second)[::-1][:5]
    await client.model_runs.upsert_data_rows(run.id, data_row_ids=ids, poll_interval=0.01)
    training = [ids[2], ids[5], ids[8]]
    await client.model_runs.assign_split(run.id, DataSplit.TRAINING, data_row_ids=training, poll_interval=0.01)
    return run.id


# -- list and retrieve -----------------------------------------------------------------------------------------------


async def test_list_holds_the_catalog_slices_and_retrieve_reads_either_kind(emu: Emulator, client: Client) -> None:
    listed = await client.slices.list()
    assert [s.id for s in listed] == emu.catalog_slice_ids
    assert len(listed) == 3 + 2  # one per dataset, "First batches", "Hand-picked"
    first = listed[0]
    assert first.filter == [{"ids": [emu.dataset_ids[0]], "operator": "is", "type": "dataset"}]
    assert first.created_at is not None and first.updated_at is not None and first.updated_at > first.created_at
    assert await client.slices.retrieve(first.id) == first
    model = await client.slices.retrieve(emu.model_slice_ids[1])
    training = [{"type": "data_split", "operator": "is", "value": "TRAINING"}]
    assert (model.name, model.filter) == ("Training split", training)
    assert model.id not in {s.id for s in listed}  # the API lists catalog slices only


async def test_retrieve_refuses_an_unknown_or_malformed_id(emu: Emulator, client: Client) -> None:
    unknown = emu.world.ids.encode("v", 0, 999)
    with pytest.raises(ResourceNotFoundError):
        await client.slices.retrieve(unknown)
    with pytest.raises(InvalidArgumentError, match="slice_id"):
        await client.slices.retrieve("")
    assert emu.api_requests("getSavedQueryPyApi")[-1].variables == {"id": unknown}  # the empty id was never sent


# -- catalog slices --------------------------------------------------------------------------------------------------


async def test_identifiers_are_the_rows_each_catalog_slice_selects(emu: Emulator, client: Client) -> None:
    w = emu.world
    expected_sizes = [120, 120, 120, 3 * 50, 120 // 5]
    for slice_id, size in zip(emu.catalog_slice_ids, expected_sizes, strict=True):
        rows = [row async for row in client.slices.data_row_identifiers(slice_id, page_size=17)]
        assert pairs(rows) == emu.slice_data_rows(slice_id)
        assert len(rows) == len({row.id for row in rows}) == size
    # What the filters say, independently of the emulator's walk: dataset 1 in index order, the hand-picked keys.
    dataset_one = [row async for row in client.slices.data_row_identifiers(emu.catalog_slice_ids[1])]
    assert pairs(dataset_one) == [(w.row_id(1, i), w.global_key(1, i)) for i in range(120)]
    picked = [row async for row in client.slices.data_row_identifiers(emu.catalog_slice_ids[4])]
    assert [row.global_key for row in picked] == [w.global_key(0, i) for i in range(0, 120, 5)]


async def test_the_cursor_walk_asks_each_page_once(emu: Emulator, client: Client) -> None:
    slice_id = emu.catalog_slice_ids[0]
    before = len(emu.api_requests("getDataRowIdenfifiersBySavedQueryPyApi"))
    rows = [row async for row in client.slices.data_row_identifiers(slice_id, page_size=25)]
    sent = emu.api_requests("getDataRowIdenfifiersBySavedQueryPyApi")[before:]
    assert len(sent) == math.ceil(120 / 25)
    cursors = [r.variables["from"] for r in sent if r.variables is not None]
    # Each page starts after the last row of the one before: no page asked twice, none skipped.
    assert cursors == [None] + [rows[k * 25 - 1].id for k in range(1, len(sent))]
    assert all(r.variables is not None and r.variables["first"] == 25 for r in sent)


async def test_a_walk_resumes_from_a_page_cursor(emu: Emulator, client: Client) -> None:
    slice_id = emu.catalog_slice_ids[2]
    page = await client.slices.data_row_identifiers(slice_id, page_size=40)
    assert page.has_more and page.next_cursor == page.items[-1].id
    rest = [row async for row in client.slices.data_row_identifiers(slice_id, start_cursor=page.next_cursor)]
    assert pairs(page.items) + pairs(rest) == emu.slice_data_rows(slice_id)


async def test_created_rows_join_the_slices_whose_filter_matches_them(emu: Emulator, client: Client) -> None:
    first, second = emu.dataset_ids[:2]
    made = await client.data_rows.create_many(
        first, [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"slice-gk-{i}"} for i in range(3)]
    )
    await client.data_rows.create_many(second, [{"row_data": "https://example.com/other.jpg"}])
    rows = [row async for row in client.slices.data_row_identifiers(emu.catalog_slice_ids[0], page_size=50)]
    assert len(rows) == 123
    assert pairs(rows[-3:]) == [(r.id, f"slice-gk-{i}") for i, r in enumerate(made)]
    # A cursor on a created row resumes among the created rows.
    tail = [row async for row in client.slices.data_row_identifiers(emu.catalog_slice_ids[0], start_cursor=made[0].id)]
    assert [row.id for row in tail] == [r.id for r in made[1:]]
    # A slice over a created dataset holds only its created rows.
    dataset = await client.datasets.create("fresh")
    fresh = await client.data_rows.create_many(dataset.id, [{"row_data": "https://example.com/new.jpg"}])
    added = emu.add_slice("Fresh rows", [{"ids": [dataset.id], "operator": "is", "type": "dataset"}])
    assert added in {s.id for s in await client.slices.list()}
    assert pairs([row async for row in client.slices.data_row_identifiers(added)]) == [(fresh[0].id, None)]
    await client.data_rows.delete([fresh[0].id])
    assert [row async for row in client.slices.data_row_identifiers(added)] == []


async def test_identifiers_of_an_unknown_or_model_slice_are_not_found(emu: Emulator, client: Client) -> None:
    with pytest.raises(ResourceNotFoundError):
        await client.slices.data_row_identifiers(emu.model_slice_ids[0])
    with pytest.raises(InvalidArgumentError, match="page_size"):
        client.slices.data_row_identifiers(emu.catalog_slice_ids[0], page_size=0)


# -- model slices ----------------------------------------------------------------------------------------------------


async def test_model_slices_select_rows_of_the_run(emu: Emulator, client: Client) -> None:
    run_id = await make_run(emu, client)
    every, training, dataset_zero = emu.model_slice_ids
    run_rows = [r["data_row_id"] for r in emu.model_run_rows(run_id)]
    walk = client.slices.model_data_row_identifiers
    assert [r.id async for r in walk(every, run_id, page_size=4)] == run_rows
    assert [r.id async for r in walk(training, run_id)] == [run_rows[2], run_rows[5], run_rows[8]]
    assert [r.id async for r in walk(dataset_zero, run_id, page_size=3)] == run_rows[:10]
    for slice_id in emu.model_slice_ids:
        assert pairs([r async for r in walk(slice_id, run_id, page_size=4)]) == emu.slice_data_rows(slice_id, run_id)
    gks = {r.id: r.global_key async for r in walk(every, run_id)}
    assert gks[run_rows[0]] == emu.world.global_key(0, 0)  # rows 0-9 of dataset 0 came first


async def test_the_object_cursor_walks_once_and_resumes(emu: Emulator, client: Client) -> None:
    run_id = await make_run(emu, client)
    every = emu.model_slice_ids[0]
    before = len(emu.api_requests("getDataRowIdenfifiersBySavedModelQueryPyApi"))
    rows = [r async for r in client.slices.model_data_row_identifiers(every, run_id, page_size=4)]
    sent = emu.api_requests("getDataRowIdenfifiersBySavedModelQueryPyApi")[before:]
    assert len(sent) == math.ceil(15 / 4)
    # The cursor goes back as the object the API gave: the last row's id and global key.
    assert [r.variables["from"] for r in sent if r.variables is not None] == [None] + [
        {"dataRowId": rows[k * 4 - 1].id, "globalKey": rows[k * 4 - 1].global_key} for k in range(1, len(sent))
    ]
    page = await client.slices.model_data_row_identifiers(every, run_id, page_size=6)
    assert page.next_cursor is not None and json.loads(page.next_cursor)["dataRowId"] == rows[5].id
    rest = client.slices.model_data_row_identifiers(every, run_id, start_cursor=page.next_cursor)
    assert [r.id for r in page.items] + [r.id async for r in rest] == [r.id for r in rows]


async def test_model_slice_errors(emu: Emulator, client: Client) -> None:
    run_id = await make_run(emu, client)
    walk = client.slices.model_data_row_identifiers
    with pytest.raises(InvalidArgumentError, match="start_cursor"):
        walk(emu.model_slice_ids[0], run_id, start_cursor="not a cursor")
    with pytest.raises(InvalidArgumentError, match="model_run_id"):
        walk(emu.model_slice_ids[0], "")
    with pytest.raises(ResourceNotFoundError):  # a catalog slice is no model slice
        await walk(emu.catalog_slice_ids[0], run_id)
    with pytest.raises(ResourceNotFoundError):  # no such run
        await walk(emu.model_slice_ids[0], emu.world.ids.encode("k", 36**3 - 1, 999))


# -- the slice export ------------------------------------------------------------------------------------------------


async def test_a_slice_export_holds_exactly_the_slice_rows(emu: Emulator, client: Client) -> None:
    made = await client.data_rows.create_many(emu.dataset_ids[0], [{"row_data": "https://example.com/x.jpg"}])
    for slice_id in (emu.catalog_slice_ids[0], emu.catalog_slice_ids[3], emu.catalog_slice_ids[4]):
        task = await client.exports.create_and_poll(slice_id=slice_id, task_name="slice", poll_interval=0.01)
        async with client.exports.stream(task) as stream:
            exported = [record.value.data_row.id async for record in stream]
        assert exported == [rid for rid, _ in emu.slice_data_rows(slice_id)]
        assert [r["data_row"]["id"] for r in emu.export_records(task.id)] == exported
    assert exported[-1] != made[0].id  # "Hand-picked" is by global key: the created row is not in it
    sent = emu.api_requests("exportDataRowsInSlicePyApi")[-1]
    assert sent.variables is not None
    wire = sent.variables["input"]
    assert (wire["filters"], wire["taskName"], wire["isStreamableReady"]) == ({"sliceId": slice_id}, "slice", True)
    assert wire["params"]["includeLabelDetails"] is False and wire["params"]["projectIds"] == []


async def test_a_slice_export_takes_catalog_params(emu: Emulator, client: Client) -> None:
    slice_id, project_id = emu.catalog_slice_ids[4], emu.project_ids[0]
    params = {"project_ids": [project_id], "label_details": True}
    task = await client.exports.create_and_poll(slice_id=slice_id, params=params, poll_interval=0.01)
    records = emu.export_records(task.id)
    assert len(records) == 24
    assert all(len(r["projects"][project_id]["labels"]) == 1 for r in records)


async def test_a_slice_export_is_checked_before_anything_is_sent(emu: Emulator, client: Client) -> None:
    slice_id = emu.catalog_slice_ids[0]
    with pytest.raises(InvalidArgumentError, match="slice export takes no filters"):
        await client.exports.create(slice_id=slice_id, filters={"global_keys": ["a"]})
    with pytest.raises(InvalidArgumentError, match="name exactly one"):
        await client.exports.create(slice_id=slice_id, project_id=emu.project_ids[0])
    with pytest.raises(InvalidArgumentError, match="params"):
        await client.exports.create(slice_id=slice_id, params={"model_run_details": True})
    with pytest.raises(InvalidArgumentError, match="slice_id"):
        await client.exports.create(slice_id="")
    assert emu.api_requests("exportDataRowsInSlicePyApi") == []
    with pytest.raises(ResourceNotFoundError):  # a model slice has no catalog export
        await client.exports.create(slice_id=emu.model_slice_ids[0])
