"""client.projects against the emulator."""

from __future__ import annotations

import pytest
from aioresponses import aioresponses

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, ResponseModelError
from alabelbox.testing import Emulator
from tests.resources.conftest import emulator


async def test_list_every_project(client: Client, emu: Emulator) -> None:
    projects = [p async for p in client.projects.list()]
    assert [p.id for p in projects] == emu.project_ids
    assert all(p.data_row_count == 250 and p.created_at is not None for p in projects)
    sent = emu.api_requests("ListProjects")[0].variables
    assert sent == {"where": {"deleted": False}, "skip": 0, "first": 100}


async def test_list_projects_paged_and_filtered() -> None:
    async with emulator(projects=23, data_rows=1) as emu, Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        assert [p.id async for p in c.projects.list(page_size=5, window=3)] == emu.project_ids
        target = await c.projects.retrieve(emu.project_ids[14])
        named = [p async for p in c.projects.list(name=target.name)]
        assert [p.id for p in named] == [target.id]
        word = target.name.split()[0]
        contains = [p.id async for p in c.projects.list(name_contains=word)]
        assert target.id in contains
        assert all(word in name for name in [p.name async for p in c.projects.list(name_contains=word)])
        assert [p.id async for p in c.projects.list(where={"id_in": emu.project_ids[:2]})] == emu.project_ids[:2]
        assert [p async for p in c.projects.list(name="no such project")] == []


async def test_current_users_projects(client: Client, emu: Emulator) -> None:
    mine = [p.id async for p in client.projects.list_mine()]
    assert mine == emu.project_ids
    request = emu.api_requests("ListUserProjects")[0]
    assert request.query is not None and "user" in request.query


async def test_retrieve_and_label_count(client: Client, emu: Emulator) -> None:
    project = await client.projects.retrieve(emu.project_ids[1], timeout=5)
    assert project.id == emu.project_ids[1]
    assert await client.projects.label_count(emu.project_ids[1]) == len(emu.label_ids(emu.project_ids[1])) == 250
    with pytest.raises(ResourceNotFoundError):
        await client.projects.retrieve("cl_no_such_project_00000")
    with pytest.raises(ResourceNotFoundError):
        await client.projects.label_count("cl_no_such_project_00000")
    with pytest.raises(ResourceNotFoundError):
        [label async for label in client.labels.list("cl_no_such_project_00000")]


async def test_project_arguments_are_checked_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="name_contains"):
        client.projects.list(name_contains="")
    with pytest.raises(InvalidArgumentError, match="where"):
        client.projects.list(where=["name"])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="project_id"):
        await client.projects.retrieve("")
    assert emu.api_requests() == []


@pytest.mark.parametrize("count", [True, "12", 1.5, None])
async def test_a_label_count_that_is_not_a_count_is_refused(mocked: aioresponses, count: object) -> None:
    # Checked strictly, with the operation named from the document: no coercion of "12" or True into a count.
    mocked.post("http://127.0.0.1:9/graphql", payload={"data": {"project": {"labelCount": count}}})
    async with Client(api_key="k", endpoint="http://127.0.0.1:9/graphql", max_retries=0) as c:
        expected = ResourceNotFoundError if count is None else ResponseModelError
        with pytest.raises(expected, match=r"project\.labelCount") as info:
            await c.projects.label_count("p1")
    assert info.value.operation == "ProjectLabelCount"
