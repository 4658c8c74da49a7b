"""Project writes over plain GraphQL: create, update, clone, delete, the editor, task queues and members."""

from __future__ import annotations

import json
from typing import Any

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_exports import poll, project_input, run_export

FIELDS = (
    "autoAuditNumberOfLabels autoAuditPercentage createdAt dataRowCount description editorTaskType "
    "isBenchmarkEnabled isConsensusEnabled lastActivityTime allowedMediaType modelSetupComplete name "
    "setupComplete id updatedAt uploadType"
)
# The documents as the official SDK 7.17 sends them (labelbox.orm.query, schema/project.py).
CREATE = (
    "mutation CreateProjectPyApi($name: String!, $description: String!, $allowedMediaType: MediaType!, "
    "$autoAuditPercentage: Float!, $autoAuditNumberOfLabels: Int!, $isBenchmarkEnabled: Boolean!, "
    "$isConsensusEnabled: Boolean!){createProject(data: {name: $name description: $description "
    "allowedMediaType: $allowedMediaType autoAuditPercentage: $autoAuditPercentage autoAuditNumberOfLabels: "
    "$autoAuditNumberOfLabels isBenchmarkEnabled: $isBenchmarkEnabled isConsensusEnabled: $isConsensusEnabled}) "
    "{" + FIELDS + "}}"
)
UPDATE = (
    "mutation updateProjectPyApi($name: String!, $ProjectId: ID!){updateProject( where: {id: $ProjectId} "
    "data: {name: $name}) {" + FIELDS + "}}"
)
DELETE = (
    "mutation deleteProjectPyApi($ProjectId: ID!){updateProject( where: {id: $ProjectId} data: {deleted: true}) {id}}"
)
CLONE = "mutation CloneProjectPyApi($projectId: ID!) { cloneProject(data: { projectId: $projectId }) { id } }"
GET = (
    "query G($id: ID!){project(where: {id: $id}){id name labelCount datasets{id} labels{id} "
    "labelingFrontend{id name} ontology{id} members{id role{name} user{id}}}}"
)
QUEUES = "query Q($id: ID!){project(where: {id: $id}){taskQueues{id name queueType taskType dataRowCount}}}"
LIST = "query L{projects(where: {deleted: false} skip: 0 first: 100){id name}}"
ONTOLOGY = (
    "mutation O($data: UpsertOntologyInput!){upsertOntology(data: $data){id normalized objectSchemaCount "
    "classificationSchemaCount}}"
)
CONNECT = (
    "mutation C($projectId: ID!, $ontologyId: ID!){ project(where: {id: $projectId}) "
    "{connectOntology(ontologyId: $ontologyId) {id}}}"
)


def create_vars(name: str = "Setup", **extra: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "description": "d",
        "allowedMediaType": "IMAGE",
        "autoAuditPercentage": 0,
        "autoAuditNumberOfLabels": 3,
        "isBenchmarkEnabled": False,
        "isConsensusEnabled": True,
    }
    return {**base, **extra}


async def create(gql: Gql, name: str = "Setup") -> dict[str, Any]:
    status, body = await gql(CREATE, create_vars(name))
    assert status == 200 and "errors" not in body, body
    project: dict[str, Any] = body["data"]["createProject"]
    return project


async def create_ontology(gql: Gql, name: str = "Onto") -> dict[str, Any]:
    normalized = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}
    status, body = await gql(ONTOLOGY, {"data": {"name": name, "normalized": json.dumps(normalized)}})
    assert status == 200 and "errors" not in body, body
    ontology: dict[str, Any] = body["data"]["upsertOntology"]
    return ontology


async def test_created_project_answers_as_created_and_is_listed(emu: Emulator, gql: Gql) -> None:
    project = await create(gql)
    truth = emu.project(project["id"])
    assert project == {k: truth[k] for k in project}
    assert project["name"] == "Setup" and project["allowedMediaType"] == "IMAGE"
    assert project["isConsensusEnabled"] is True and project["autoAuditNumberOfLabels"] == 3
    assert project["dataRowCount"] == 0 and project["setupComplete"] is None
    assert project["id"] not in emu.project_ids  # never decodes as a seeded one
    _, body = await gql(LIST)
    assert [p["id"] for p in body["data"]["projects"]] == [*emu.project_ids, project["id"]]
    _, body = await gql(GET, {"id": project["id"]})
    got = body["data"]["project"]
    assert got["labelCount"] == 0 and got["datasets"] == [] and got["labels"] == []
    assert got["labelingFrontend"] is None and got["ontology"] is None
    assert [m["role"]["name"] for m in got["members"]] == ["ADMIN"]


async def test_update_then_delete_a_created_project(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    emu.clock.advance(5)
    _, body = await gql(UPDATE, {"name": "Renamed", "ProjectId": pid})
    updated = body["data"]["updateProject"]
    assert updated["name"] == "Renamed" == emu.project(pid)["name"]
    assert updated["updatedAt"] > updated["createdAt"]
    _, body = await gql(DELETE, {"ProjectId": pid})
    assert body["data"]["updateProject"] == {"id": pid}
    _, body = await gql(GET, {"id": pid})
    assert body["data"]["project"] is None
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    _, body = await gql(LIST)
    assert pid not in [p["id"] for p in body["data"]["projects"]]


async def test_update_of_a_seeded_project_is_seen_everywhere(emu: Emulator, gql: Gql) -> None:
    pid = emu.project_ids[2]
    _, body = await gql(UPDATE, {"name": "Seeded renamed", "ProjectId": pid})
    assert body["data"]["updateProject"]["name"] == "Seeded renamed" == emu.project(pid)["name"]
    _, body = await gql(LIST)
    assert {"id": pid, "name": "Seeded renamed"} in body["data"]["projects"]


async def test_blank_name_is_refused(emu: Emulator, gql: Gql) -> None:
    _, body = await gql(CREATE, create_vars("  "))
    assert body["data"] is None
    assert body["errors"][0]["message"] == "A project name must not be blank"
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    pid = (await create(gql))["id"]
    _, body = await gql(UPDATE, {"name": "", "ProjectId": pid})
    assert body["errors"][0]["message"] == "A project name must not be blank"
    assert emu.project(pid)["name"] == "Setup"


async def test_update_of_a_missing_project_is_not_found(gql: Gql) -> None:
    _, body = await gql(UPDATE, {"name": "x", "ProjectId": "clpnope"})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert "clpnope" in body["errors"][0]["message"]


async def test_connect_ontology_sets_up_the_editor_and_clone_keeps_it(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    oid = (await create_ontology(gql))["id"]
    _, body = await gql(CONNECT, {"projectId": pid, "ontologyId": oid})
    assert body["data"]["project"]["connectOntology"] == {"id": pid}
    assert emu.project_ontology_id(pid) == oid
    assert emu.project(pid)["setupComplete"] is not None
    _, body = await gql(GET, {"id": pid})
    assert body["data"]["project"]["ontology"] == {"id": oid}
    assert body["data"]["project"]["labelingFrontend"]["name"] == "Editor"
    _, body = await gql(CLONE, {"projectId": pid})
    clone = body["data"]["cloneProject"]["id"]
    assert clone != pid and emu.project(clone)["name"] == "Setup (copy)"
    assert emu.project_ontology_id(clone) == oid
    assert emu.project(clone)["isConsensusEnabled"] is True


async def test_connect_a_missing_ontology_is_not_found(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    _, body = await gql(CONNECT, {"projectId": pid, "ontologyId": "clnnope"})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND"
    assert "clnnope" in body["errors"][0]["message"]
    assert emu.project_ontology_id(pid) is None


async def test_task_queues_of_a_created_project(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    _, body = await gql(QUEUES, {"id": pid}, path="/_gql")
    queues = body["data"]["project"]["taskQueues"]
    assert [q["taskType"] for q in queues] == ["INITIAL_LABELING_TASK", "INITIAL_REVIEW_TASK", "DONE"]
    assert {q["dataRowCount"] for q in queues} == {0}
    assert len({q["id"] for q in queues}) == 3
    _, again = await gql(QUEUES, {"id": pid}, path="/_gql")
    assert again == body  # ids are stable


async def test_export_of_a_created_project_is_empty(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    tid = await run_export(emu, gql, project_input(pid))
    assert (await poll(emu, gql, tid))[-1]["status"] == "COMPLETE"
    await emu.wait_task(tid)
    assert list(emu.export_lines(tid)) == []


async def test_connecting_an_unknown_labeling_frontend_is_not_found(emu: Emulator, gql: Gql) -> None:
    pid = (await create(gql))["id"]
    connect = (
        "mutation F($projectId: ID!, $labelingFrontendId: ID!){updateProject( where: {id: $projectId} "
        "data: {labelingFrontend: {connect: {id: $labelingFrontendId}}}) {id}}"
    )
    _, body = await gql(connect, {"projectId": pid, "labelingFrontendId": "clenope"})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND" and "clenope" in body["errors"][0]["message"]
    options = (
        "mutation O($project: ID!, $labelingFrontend: ID!, $customizationOptions: String!){"
        "createLabelingFrontendOptions(data: {project: {connect: {id: $project}} labelingFrontend: "
        "{connect: {id: $labelingFrontend}} customizationOptions: $customizationOptions}) {customizationOptions id}}"
    )
    _, body = await gql(options, {"project": pid, "labelingFrontend": "clenope", "customizationOptions": "{}"})
    assert body["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND" and "clenope" in body["errors"][0]["message"]
    _, body = await gql(GET, {"id": pid})
    assert body["data"]["project"]["labelingFrontend"] is None
