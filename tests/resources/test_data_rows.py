"""client.data_rows against the emulator; the cursor guard against a mocked server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aioresponses import aioresponses

from alabelbox import Client, InvalidArgumentError, PaginationError, ResourceNotFoundError
from alabelbox.testing import Emulator
from tests.resources.conftest import emulator, no_other_tasks


async def test_data_rows_by_cursor_exactly_once_newest_first() -> None:
    async with emulator(projects=1, data_rows=2_345) as emu, Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        dataset_id = emu.dataset_ids[0]
        rows = [r async for r in c.data_rows.list(dataset_id)]
        assert [r.id for r in rows] == emu.data_row_ids(dataset_id)
        requests = emu.api_requests("ListDatasetDataRows")
        assert len(requests) == 5  # 500 a page, the SDK's size
        assert [r.variables["first"] for r in requests if r.variables] == [500] * 5
        assert requests[0].variables is not None and requests[0].variables["from"] is None
        # The cursor for page 2 is what page 1 returned in pageInfo.startCursor.
        assert requests[1].variables is not None and requests[1].variables["from"] == rows[500].id
        assert [r.id async for r in c.data_rows.list(dataset_id, page_size=1000)] == emu.data_row_ids(dataset_id)


async def test_data_rows_exact_multiple_of_the_page_size(client: Client, emu: Emulator) -> None:
    dataset_id = emu.dataset_ids[1]  # 250 rows
    pages = [page async for page in client.data_rows.list(dataset_id, page_size=50).iter_pages()]
    assert [len(p) for p in pages] == [50] * 5
    assert [r.id for p in pages for r in p] == emu.data_row_ids(dataset_id)
    assert not pages[-1].has_more


async def test_data_row_filters(client: Client, emu: Emulator) -> None:
    dataset_id = emu.dataset_ids[0]
    rows = [r async for r in client.data_rows.list(dataset_id)]
    wanted = [rows[3], rows[100], rows[249]]
    by_id = [r.id async for r in client.data_rows.list(dataset_id, ids=[r.id for r in wanted], page_size=2)]
    assert by_id == [r.id for r in wanted]
    keys = [r.global_key for r in wanted if r.global_key]
    by_key = [r.id async for r in client.data_rows.list(dataset_id, global_keys=keys)]
    assert by_key == [r.id for r in wanted]
    raw = [r.id async for r in client.data_rows.list(dataset_id, where={"globalKey": keys[1]})]
    assert raw == [wanted[1].id]
    one = await client.data_rows.retrieve(wanted[0].id)
    # A retrieved row carries its relationships too; a listed one leaves them None.
    assert one.model_copy(update={"dataset": None, "created_by": None, "organization": None}) == wanted[0]
    assert one.dataset_id == dataset_id and wanted[0].dataset_id is None
    assert one.created_by is not None and one.created_by.id == emu.user_id
    assert one.organization is not None and one.organization.id == emu.organization_id


async def test_resuming_from_a_cursor(client: Client, emu: Emulator) -> None:
    dataset_id = emu.dataset_ids[0]
    first = await client.data_rows.list(dataset_id, page_size=100)
    assert first.has_more and first.next_cursor
    rest = [r.id async for r in client.data_rows.list(dataset_id, page_size=100, start_cursor=first.next_cursor)]
    assert [r.id for r in first] + rest == emu.data_row_ids(dataset_id)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"ids": ["a"], "global_keys": ["k"]}, "global_keys"),
        ({"global_keys": ["k"], "external_ids": ["e"]}, "external_ids"),
        ({"ids": ["a"], "where": {"id": "a"}}, "where"),
        ({"global_keys": "k"}, "global_keys"),
        ({"page_size": 0}, "page_size"),
        ({"start_cursor": ""}, "start_cursor"),
    ],
)
async def test_data_row_arguments_are_checked_before_any_request(
    client: Client, emu: Emulator, kwargs: dict[str, Any], argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        client.data_rows.list(emu.dataset_ids[0], **kwargs)
    assert info.value.argument == argument
    assert emu.api_requests() == []


def page(ids: list[str], cursor: str | None, more: bool) -> dict[str, Any]:
    nodes = [{"id": i, "rowData": f"https://example.com/{i}.png"} for i in ids]
    return {"data": {"datasetDataRows": {"nodes": nodes, "pageInfo": {"hasNextPage": more, "startCursor": cursor}}}}


async def test_a_stalled_cursor_raises_a_clear_error(mocked: aioresponses) -> None:
    url = re.compile(r"^http://127\.0\.0\.1:9/graphql$")
    mocked.post(url, payload=page(["r1", "r2"], "r3", True))
    mocked.post(url, payload=page(["r3", "r4"], "r3", True), repeat=True)  # "more", but the cursor stays put
    async with Client(api_key="k", endpoint="http://127.0.0.1:9/graphql", max_retries=0) as c:
        seen: list[str] = []
        with pytest.raises(PaginationError, match="cursor did not move") as info:
            async for row in c.data_rows.list("d1", page_size=2):
                seen.append(row.id)
        assert "'r3'" in str(info.value)
        assert seen == ["r1", "r2"]
        assert c.statistics().in_flight == 0
        assert not no_other_tasks()
        assert sum(len(calls) for calls in mocked.requests.values()) == 2


async def test_more_without_a_cursor_raises(mocked: aioresponses) -> None:
    mocked.post("http://127.0.0.1:9/graphql", payload=page(["r1"], None, True))
    async with Client(api_key="k", endpoint="http://127.0.0.1:9/graphql", max_retries=0) as c:
        with pytest.raises(PaginationError, match="no cursor"):
            [row async for row in c.data_rows.list("d1")]


async def test_retrieve_by_global_key_looks_up_then_reads(client: Client, emu: Emulator) -> None:
    row_id = emu.data_row_ids(emu.dataset_ids[0])[3]
    key = emu.world.global_key(0, emu.world.n_rows - 1 - 3)  # that list is newest first
    row = await client.data_rows.retrieve_by_global_key(key)
    assert (row.id, row.global_key) == (row_id, key)
    assert [r.variables for r in emu.api_requests("RetrieveDataRow")] == [{"id": row_id}]  # after the lookup
    with pytest.raises(ResourceNotFoundError, match="no-such-key"):
        await client.data_rows.retrieve_by_global_key("no-such-key")
    with pytest.raises(InvalidArgumentError, match="global_key"):
        await client.data_rows.retrieve_by_global_key("")
