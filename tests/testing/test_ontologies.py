"""Ontologies and feature schemas over plain GraphQL and the REST endpoints the SDK uses, against the truth."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_projects_writes import CONNECT, create

ONTOLOGY_FIELDS = (
    "classificationSchemaCount createdAt description mediaType name normalized objectSchemaCount id updatedAt"
)
UPSERT = (
    "mutation upsertRootSchemaNodePyApi($data: UpsertOntologyInput!){ upsertOntology(data: $data){ "
    + ONTOLOGY_FIELDS
    + " } }"
)
GET = "query GetOntologyPyApi($param_0: ID!){ontology(where: {id: $param_0}){" + ONTOLOGY_FIELDS + "}}"
SEARCH = (
    "query getOntologiesPyApi($search: String, $filter: OntologyFilter, $from : String, $first: PageSize){ "
    "ontologies(where: {filter: $filter, search: $search}, after: $from, first: $first){ nodes {id name} "
    "nextCursor } }"
)
CREATE_FS = (
    "mutation upsertRootSchemaNodePyApi($data: UpsertRootSchemaNodeInput!){ upsertRootSchemaNode(data: $data)"
    "{ name name normalized id } }"
)
GET_FS = (
    "query rootSchemaNodePyApi($rootSchemaNodeWhere: RootSchemaNodeWhere!){ rootSchemaNode(where: "
    "$rootSchemaNodeWhere){name name normalized id} }"
)

NESTED: dict[str, Any] = {
    "tools": [
        {
            "tool": "rectangle",
            "name": "box",
            "classifications": [
                {
                    "type": "radio",
                    "name": "kind",
                    "options": [
                        {"label": "a", "value": "a", "options": [{"type": "text", "name": "why", "options": []}]},
                        {"label": "b", "value": "b", "options": []},
                    ],
                }
            ],
        },
        {"tool": "polygon", "name": "poly", "classifications": []},
        {"tool": "edge", "name": "rel", "classifications": []},
    ],
    "classifications": [
        {"type": "checklist", "name": "tags", "options": [{"label": "x", "value": "x"}, {"label": "y", "value": "y"}]}
    ],
}


def walk(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *[n for c in [*node.get("classifications", ()), *node.get("options", ())] for n in walk(c)]]


async def upsert(gql: Gql, normalized: dict[str, Any], name: str = "Nested", **extra: Any) -> dict[str, Any]:
    status, body = await gql(UPSERT, {"data": {"name": name, "normalized": json.dumps(normalized), **extra}})
    assert status == 200 and "errors" not in body, body
    ontology: dict[str, Any] = body["data"]["upsertOntology"]
    return ontology


def rest(emu: Emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emu.api_key}"}


async def test_upsert_ontology_gives_every_nested_node_ids(emu: Emulator, gql: Gql) -> None:
    ontology = await upsert(gql, NESTED, mediaType="IMAGE")
    truth = emu.ontology(ontology["id"])
    assert ontology["normalized"] == truth["normalized"]
    assert ontology["objectSchemaCount"] == 3 and ontology["classificationSchemaCount"] == 1
    assert ontology["mediaType"] == "IMAGE" and ontology["name"] == "Nested"
    nodes = [n for root in [*truth["normalized"]["tools"], *truth["normalized"]["classifications"]] for n in walk(root)]
    assert len(nodes) == 10  # box > kind > (a > why, b); poly; rel; tags > (x, y)
    assert all(n["featureSchemaId"] and n["schemaNodeId"] for n in nodes)
    assert len({n["featureSchemaId"] for n in nodes}) == len(nodes) == len({n["schemaNodeId"] for n in nodes})
    box = truth["normalized"]["tools"][0]
    assert box["classifications"][0]["options"][0]["options"][0]["name"] == "why"
    # Each root is a feature schema of its own, with the same nested content.
    assert emu.feature_schema(box["featureSchemaId"])["normalized"] == box
    _, body = await gql(GET, {"param_0": ontology["id"]})
    assert body["data"]["ontology"] == ontology


async def test_ontology_from_existing_feature_schemas_reuses_their_ids(emu: Emulator, gql: Gql) -> None:
    _, body = await gql(CREATE_FS, {"data": {"normalized": json.dumps({"tool": "polygon", "name": "poly"})}})
    feature = body["data"]["upsertRootSchemaNode"]
    assert feature["normalized"]["featureSchemaId"] == feature["id"] and feature["name"] == "poly"
    _, body = await gql(GET_FS, {"rootSchemaNodeWhere": {"featureSchemaId": feature["id"]}})
    assert body["data"]["rootSchemaNode"] == feature
    ontology = await upsert(gql, {"tools": [feature["normalized"]], "classifications": []}, name="Reuse")
    assert ontology["normalized"]["tools"][0]["featureSchemaId"] == feature["id"]


async def test_bad_ontology_input_is_refused(emu: Emulator, gql: Gql) -> None:
    cases = [
        ({"name": "x", "normalized": "{not json"}, "The ontology normalized JSON is not valid JSON"),
        ({"name": "x", "normalized": "[]"}, "The ontology normalized JSON must be an object"),
        ({"name": " ", "normalized": "{}"}, "An ontology name must not be blank"),
        ({"name": "x", "normalized": '{"tools": 3}'}, "The ontology's tools must be a list"),
        ({"name": "x", "normalized": '{"tools": [{"tool": "line", "featureSchemaId": "clfnope"}]}'}, "clfnope"),
        (
            {"name": "x", "normalized": '{"tools": [3]}'},
            "Every tool and classification of an ontology must be an object",
        ),
    ]
    for data, message in cases:
        _, body = await gql(UPSERT, {"data": data})
        assert message in body["errors"][0]["message"], (data, body)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    _, body = await gql(SEARCH, {"search": "", "filter": {"status": "ALL"}, "from": None, "first": 100})
    seeded = [emu.project_ontology_id(p) for p in emu.project_ids]
    assert [o["id"] for o in body["data"]["ontologies"]["nodes"]] == seeded  # nothing half-created
    _, body = await gql(UPSERT, {"data": {"id": "clnnope", "name": "x", "normalized": "{}"}})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND" and "clnnope" in body["errors"][0]["message"]
    _, body = await gql(CREATE_FS, {"data": {"normalized": "7"}})
    assert body["errors"][0]["message"] == "The feature schema normalized JSON must be an object"


async def test_search_pages_with_a_cursor(gql: Gql) -> None:
    ids = [(await upsert(gql, {"tools": [], "classifications": []}, name=f"Animals {i}"))["id"] for i in range(3)]
    await upsert(gql, {"tools": [], "classifications": []}, name="Vehicles")
    seen: list[str] = []
    cursor = None
    while True:
        _, body = await gql(SEARCH, {"search": "animals", "filter": {"status": "ALL"}, "from": cursor, "first": 2})
        got = body["data"]["ontologies"]
        seen += [n["id"] for n in got["nodes"]]
        cursor = got["nextCursor"]
        if cursor is None:
            break
    assert seen == ids


async def test_unused_and_delete_follow_use(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    base = emu.url + "/api/v1"
    ontology = await upsert(gql, NESTED)
    oid = ontology["id"]
    roots = [ontology["normalized"]["tools"][0]["featureSchemaId"]]
    async with session.put(
        base + "/feature-schemas/new_feature_schema_id",
        json={"normalized": json.dumps({"tool": "line", "name": "loose"})},
        headers=rest(emu),
    ) as resp:
        assert resp.status == 200
        loose = (await resp.json())["schemaId"]
    async with session.get(base + "/feature-schemas/unused", json={"after": None}, headers=rest(emu)) as resp:
        assert await resp.json() == [loose]
    async with session.delete(base + f"/feature-schemas/{roots[0]}", headers=rest(emu)) as resp:
        assert resp.status == 409
        assert "is used by an ontology" in (await resp.json())["message"]
    pid = (await create(gql))["id"]
    await gql(CONNECT, {"projectId": pid, "ontologyId": oid})
    async with session.get(base + "/ontologies/unused", json={"after": None}, headers=rest(emu)) as resp:
        assert await resp.json() == []
    async with session.delete(base + f"/ontologies/{oid}", headers=rest(emu)) as resp:
        assert resp.status == 409 and "is used by a project" in (await resp.json())["message"]
    assert emu.ontology(oid)["name"] == "Nested"
    async with session.delete(base + f"/feature-schemas/{loose}", headers=rest(emu)) as resp:
        assert resp.status == 204
    async with session.delete(base + f"/feature-schemas/{loose}", headers=rest(emu)) as resp:
        assert resp.status == 404 and (await resp.json())["code"] == "NOT_FOUND"


async def test_rest_ontology_nodes_insert_and_remove(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    base = emu.url + "/api/v1"
    oid = (await upsert(gql, NESTED))["id"]
    _, body = await gql(CREATE_FS, {"data": {"normalized": json.dumps({"tool": "point", "name": "pt"})}})
    fid = body["data"]["upsertRootSchemaNode"]["id"]
    async with session.post(
        base + f"/ontologies/{oid}/feature-schemas/{fid}", json={"position": 1}, headers=rest(emu)
    ) as resp:
        assert resp.status == 201
    assert [t["name"] for t in emu.ontology(oid)["normalized"]["tools"]] == ["box", "pt", "poly", "rel"]
    async with session.get(base + f"/ontologies/{oid}", headers=rest(emu)) as resp:
        nodes = (await resp.json())["featureSchemaNodes"]
    assert [t["name"] for t in nodes["tools"]] == ["box", "pt", "poly"]
    assert [t["name"] for t in nodes["relationships"]] == ["rel"]
    assert [c["name"] for c in nodes["classifications"]] == ["tags"]
    assert not any(n["archived"] for n in nodes["tools"])
    async with session.delete(base + f"/ontologies/{oid}/feature-schemas/{fid}", headers=rest(emu)) as resp:
        assert await resp.json() == {"archived": False, "deleted": True}
    assert fid not in [t["featureSchemaId"] for t in emu.ontology(oid)["normalized"]["tools"]]
    async with session.post(
        base + f"/ontologies/{oid}/feature-schemas/{fid}", json={"position": -1}, headers=rest(emu)
    ) as resp:
        assert resp.status == 400 and "position" in (await resp.json())["message"]
    async with session.patch(
        base + f"/feature-schemas/{fid}/definition", json={"title": ""}, headers=rest(emu)
    ) as resp:
        assert resp.status == 400 and "title" in (await resp.json())["message"]
    async with session.patch(
        base + f"/feature-schemas/{fid}/definition", json={"title": "dot"}, headers=rest(emu)
    ) as resp:
        assert resp.status == 200
    assert emu.feature_schema(fid)["name"] == "dot" == emu.feature_schema(fid)["normalized"]["name"]


async def test_removing_a_root_of_a_used_ontology_archives_it(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    base = emu.url + "/api/v1"
    ontology = await upsert(gql, NESTED)
    oid, fid = ontology["id"], ontology["normalized"]["tools"][1]["featureSchemaId"]
    pid = (await create(gql))["id"]
    await gql(CONNECT, {"projectId": pid, "ontologyId": oid})
    async with session.delete(base + f"/ontologies/{oid}/feature-schemas/{fid}", headers=rest(emu)) as resp:
        assert await resp.json() == {"archived": True, "deleted": False}
    async with session.get(base + f"/ontologies/{oid}", headers=rest(emu)) as resp:
        tools = (await resp.json())["featureSchemaNodes"]["tools"]
    assert [t["archived"] for t in tools] == [False, True]
    async with session.patch(base + f"/ontologies/{oid}/feature-schemas/{fid}/unarchive", headers=rest(emu)) as resp:
        assert await resp.json() == {"unarchived": True}
    assert fid in emu.feature_schema_ids(pid)


async def test_rest_errors_name_what_is_missing(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    base = emu.url + "/api/v1"
    async with session.get(base + "/ontologies/clnnope", headers=rest(emu)) as resp:
        assert resp.status == 404 and "clnnope" in (await resp.json())["message"]
    async with session.put(base + "/feature-schemas/clfnope", json={"normalized": "{}"}, headers=rest(emu)) as resp:
        assert resp.status == 404 and "clfnope" in (await resp.json())["message"]
    async with session.put(
        base + "/feature-schemas/new_feature_schema_id", json={"normalized": "{nope"}, headers=rest(emu)
    ) as resp:
        assert resp.status == 400 and "normalized" in (await resp.json())["message"]
    async with session.put(base + "/feature-schemas/new_feature_schema_id", data=b"[", headers=rest(emu)) as resp:
        assert resp.status == 400 and "not valid JSON" in (await resp.json())["message"]
    async with session.put(base + "/feature-schemas/new_feature_schema_id", json=[1], headers=rest(emu)) as resp:
        assert resp.status == 400 and (await resp.json())["message"] == "The request body must be a JSON object"
    async with session.put(
        base + "/feature-schemas/new_feature_schema_id", json={"normalized": "[]"}, headers=rest(emu)
    ) as resp:
        assert resp.status == 400 and (await resp.json())["message"] == "normalized must be a JSON object"
    oid = (await upsert(gql, NESTED))["id"]
    async with session.delete(base + f"/ontologies/{oid}/feature-schemas/clfnope", headers=rest(emu)) as resp:
        assert resp.status == 404 and "clfnope is not in ontology" in (await resp.json())["message"]
    async with session.get(base + "/ontologies/unused", headers={"Authorization": "Bearer wrong"}) as resp:
        assert resp.status == 401
