"""client.ontologies and client.feature_schemas against the emulator: the GraphQL reads and writes, the REST calls
(paths and bodies as the SDK sends them), typed errors, pages, retries; and the REST mapping under aioresponses."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aioresponses import aioresponses

from alabelbox import (
    ApiLimitError,
    Client,
    InternalServerError,
    LabelboxError,
    MalformedRequestError,
    ResourceConflictError,
    ResourceNotFoundError,
    UnexpectedResponseError,
)
from alabelbox.testing import Emulator
from alabelbox.types import (
    Classification,
    ClassificationType,
    MediaType,
    OntologyBuilder,
    Option,
    Tool,
    ToolType,
)
from tests.resources.conftest import fast_retry, mocked

__all__ = ["mocked"]


def rest_calls(emu: Emulator) -> list[tuple[str, str, Any]]:
    return [(r.method, r.path, r.body) for r in emu.api_requests() if r.path.startswith("/api/v1/")]


async def test_feature_schemas_over_rest_as_the_sdk_calls_them(client: Client, emu: Emulator) -> None:
    point = await client.feature_schemas.create(Tool(ToolType.POINT, "keypoint"))
    assert point.name == "keypoint" == emu.feature_schema(point.id)["name"]
    assert json.loads(emu.api_requests("CreateFeatureSchema")[0].variables["data"]["normalized"]) == {  # type: ignore[index]
        "tool": "point",
        "name": "keypoint",
    }  # as the SDK: the keys without a value are left to the API
    weather = await client.feature_schemas.create(
        Classification(ClassificationType.CHECKLIST, "weather", options=[Option("rain")])
    )
    assert not weather.is_tool and weather.normalized["options"][0]["featureSchemaId"]

    renamed = await client.feature_schemas.update_title(point.id, "eye")
    assert renamed.name == "eye" == emu.feature_schema(point.id)["normalized"]["name"]
    replaced = await client.feature_schemas.update(point.id, Tool(ToolType.POINT, "eye", color="#00ff00"))
    assert replaced.normalized["color"] == "#00ff00" == emu.feature_schema(point.id)["normalized"]["color"]

    ontology = await client.ontologies.create_from_feature_schemas(
        "Reused", [weather.id, point.id], media_type=MediaType.IMAGE
    )
    assert ontology.feature_schema_ids()[:1] == [point.id]  # the tools first, then the classifications
    assert [c.feature_schema_id for c in ontology.builder().classifications] == [weather.id]
    lane = await client.feature_schemas.create(Tool(ToolType.LINE, "lane"))
    assert [f async for f in client.feature_schemas.list_unused()] == [lane.id]
    await client.feature_schemas.insert_into_ontology(lane.id, ontology_id=ontology.id, position=0)
    assert [t.name for t in (await client.ontologies.retrieve(ontology.id)).builder().tools] == ["lane", "eye"]
    assert [f async for f in client.feature_schemas.list_unused()] == []
    assert await client.feature_schemas.is_archived(lane.id, ontology_id=ontology.id) is False

    removal = await client.feature_schemas.remove_from_ontology(lane.id, ontology_id=ontology.id)
    assert (removal.deleted, removal.archived) == (True, False)
    assert lane.id not in emu.ontology(ontology.id)["normalized"]["tools"]
    await client.feature_schemas.delete_unused(lane.id)
    with pytest.raises(KeyError):
        emu.feature_schema(lane.id)
    with pytest.raises(ResourceConflictError, match="used by an ontology") as conflict:
        await client.feature_schemas.delete_unused(point.id)
    assert conflict.value.status == 409 and emu.feature_schema(point.id)

    # Used by a project: removing archives it; unarchiving shows it again.
    project = await client.projects.create("Eyes", media_type=MediaType.IMAGE)
    await client.projects.connect_ontology(project.id, ontology.id)
    archived = await client.feature_schemas.remove_from_ontology(point.id, ontology_id=ontology.id)
    assert (archived.deleted, archived.archived) == (False, True)
    assert await client.feature_schemas.is_archived(point.id, ontology_id=ontology.id) is True
    assert await client.feature_schemas.unarchive(point.id, ontology_id=ontology.id) is True
    assert await client.feature_schemas.is_archived(point.id, ontology_id=ontology.id) is False
    with pytest.raises(ResourceConflictError, match="used by a project"):
        await client.ontologies.delete_unused(ontology.id)
    await client.projects.delete(project.id)
    assert [o async for o in client.ontologies.list_unused()] == [ontology.id]
    await client.ontologies.delete_unused(ontology.id)
    with pytest.raises(KeyError):
        emu.ontology(ontology.id)

    p, o, lane_id = point.id, ontology.id, lane.id
    assert rest_calls(emu) == [
        ("PATCH", f"/api/v1/feature-schemas/{p}/definition", {"title": "eye"}),
        ("PUT", f"/api/v1/feature-schemas/{p}", {"normalized": json.dumps({**replaced_input(p)})}),
        ("GET", "/api/v1/feature-schemas/unused", {"after": None}),
        ("POST", f"/api/v1/ontologies/{o}/feature-schemas/{lane_id}", {"position": 0}),
        ("GET", "/api/v1/feature-schemas/unused", {"after": None}),
        ("GET", f"/api/v1/ontologies/{o}", None),
        ("DELETE", f"/api/v1/ontologies/{o}/feature-schemas/{lane_id}", None),
        ("DELETE", f"/api/v1/feature-schemas/{lane_id}", None),
        ("DELETE", f"/api/v1/feature-schemas/{p}", None),
        ("DELETE", f"/api/v1/ontologies/{o}/feature-schemas/{p}", None),
        ("GET", f"/api/v1/ontologies/{o}", None),
        ("PATCH", f"/api/v1/ontologies/{o}/feature-schemas/{p}/unarchive", None),
        ("GET", f"/api/v1/ontologies/{o}", None),
        ("DELETE", f"/api/v1/ontologies/{o}", None),
        ("GET", "/api/v1/ontologies/unused", {"after": None}),
        ("DELETE", f"/api/v1/ontologies/{o}", None),
    ]
    # The key goes with every REST call, to the API's own origin.
    assert all(r.headers.get("Authorization") == f"Bearer {emu.api_key}" for r in emu.api_requests())


def replaced_input(feature_schema_id: str) -> dict[str, Any]:
    return {**Tool(ToolType.POINT, "eye", color="#00ff00").to_dict(), "featureSchemaId": feature_schema_id}


async def test_missing_things_are_typed_not_found(client: Client, emu: Emulator) -> None:
    ontology = await client.ontologies.create("One", OntologyBuilder(tools=[Tool(ToolType.POINT, "p")]))
    missing = "cl_no_such_feature_00000"
    with pytest.raises(ResourceNotFoundError):
        await client.feature_schemas.retrieve(missing)
    with pytest.raises(ResourceNotFoundError, match="not found"):
        await client.feature_schemas.update_title(missing, "t")
    with pytest.raises(ResourceNotFoundError):
        await client.feature_schemas.update(missing, Tool(ToolType.POINT, "p"))
    with pytest.raises(ResourceNotFoundError):
        await client.feature_schemas.insert_into_ontology(missing, ontology_id=ontology.id, position=0)
    with pytest.raises(ResourceNotFoundError):
        await client.feature_schemas.remove_from_ontology(missing, ontology_id=ontology.id)
    with pytest.raises(ResourceNotFoundError, match="not at the root"):
        await client.feature_schemas.is_archived(missing, ontology_id=ontology.id)
    with pytest.raises(ResourceNotFoundError):
        await client.ontologies.delete_unused("cl_no_such_ontology_0000")
    with pytest.raises(ResourceNotFoundError):
        await client.ontologies.create_from_feature_schemas("x", [missing])


async def test_unused_ids_come_in_pages_of_a_hundred(client: Client, emu: Emulator) -> None:
    created = [(await client.feature_schemas.create(Tool(ToolType.POINT, f"p{i}"))).id for i in range(205)]
    assert [f async for f in client.feature_schemas.list_unused()] == created
    bodies = [r.body for r in emu.api_requests() if r.path == "/api/v1/feature-schemas/unused"]
    assert bodies == [{"after": None}, {"after": created[99]}, {"after": created[199]}]
    schemas = [s.name async for s in client.feature_schemas.list(name_contains="p1", page_size=7)]
    assert schemas == [f"p{i}" for i in range(205) if "p1" in f"p{i}"]


async def test_rest_reads_are_retried_and_writes_are_not_run_twice(emu: Emulator) -> None:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client:
        schema = await client.feature_schemas.create(Tool(ToolType.POINT, "p"))
        emu.faults.http_error(503, rate=1.0, count=2)
        assert [f async for f in client.feature_schemas.list_unused()] == [schema.id]
        assert client.statistics().retried == 2
        emu.faults.http_error(500, rate=1.0, count=1)
        with pytest.raises(InternalServerError):
            await client.feature_schemas.delete_unused(schema.id)  # a DELETE the server may have run
        assert len([r for r in emu.api_requests() if r.method == "DELETE"]) == 1
        emu.faults.http_error(503, rate=1.0, count=1)
        renamed = await client.feature_schemas.update_title(schema.id, "q")  # idempotent: retried
        assert renamed.name == "q"


async def test_rest_answers_map_to_typed_errors(mocked: aioresponses) -> None:
    endpoint = "https://api.example.test/graphql"
    url = re.compile(r"^https://api\.example\.test/api/v1/feature-schemas/f1$")
    async with Client(api_key="secret-key-123", endpoint=endpoint, max_retries=0) as client:
        cases: list[tuple[int, Any, type[LabelboxError]]] = [
            (400, {"message": "bad", "code": "BAD_REQUEST"}, MalformedRequestError),
            (409, {"message": "used", "code": "CONFLICT"}, ResourceConflictError),
            (404, {"message": "gone"}, ResourceNotFoundError),
            (429, {"message": "slow down"}, ApiLimitError),
            (502, "<html>bad gateway</html>", InternalServerError),
            (418, {"message": "teapot secret-key-123"}, UnexpectedResponseError),
        ]
        for status, body, error in cases:
            if isinstance(body, str):
                mocked.delete(url, status=status, body=body)
            else:
                mocked.delete(url, status=status, payload=body)
            with pytest.raises(error) as caught:
                await client.feature_schemas.delete_unused("f1")
            assert caught.value.status == status and "secret-key-123" not in str(caught.value)
        mocked.get(re.compile(r".*/feature-schemas/unused$"), status=200, body="not json")
        with pytest.raises(UnexpectedResponseError, match="not JSON"):
            [f async for f in client.feature_schemas.list_unused()]
        mocked.get(re.compile(r".*/feature-schemas/unused$"), status=200, payload={"ids": []})
        with pytest.raises(UnexpectedResponseError, match="list of ids"):
            [f async for f in client.feature_schemas.list_unused()]
