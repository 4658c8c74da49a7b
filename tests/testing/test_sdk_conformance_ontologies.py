"""The unmodified official SDK 7.17 and alabelbox set up projects against one emulator and read back the same.

* The SDK creates a project (quality modes), an ontology with nested classifications, connects them and updates
  the project; alabelbox reads back exactly that, and the emulator's truth agrees with both.
* alabelbox does the same; the SDK reads it back.
* The feature schema calls (create, upsert, rename, insert, unused, remove, delete) go out as the same REST
  requests, path and body, from both.
* The typed builder writes what the SDK's ``OntologyBuilder.asdict()`` writes, and each reads the other's.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import (
    Classification,
    ClassificationType,
    MediaType,
    OntologyBuilder,
    Option,
    QualityMode,
    Scope,
    Tool,
    ToolType,
    UIMode,
)

from .test_sdk_conformance import emu, in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")
quality_mode = pytest.importorskip("labelbox.schema.quality_mode")
prompt_types = pytest.importorskip("labelbox.schema.tool_building.classification")

pytestmark = pytest.mark.sdk

__all__ = ["emu", "no_external_network"]  # fixtures, re-exported for pytest

C, T = ClassificationType, ToolType


def sdk_builder() -> Any:
    lb = labelbox
    why = lb.Classification(lb.Classification.Type.TEXT, "why", required=True)
    kind = lb.Classification(
        lb.Classification.Type.RADIO,
        "kind",
        options=[lb.Option("car", label="Car", options=[why]), lb.Option("bus", position=1)],
        ui_mode=lb.Classification.UIMode.SEARCHABLE,
    )
    return lb.OntologyBuilder(
        tools=[
            lb.Tool(lb.Tool.Type.BBOX, "vehicle", classifications=[kind]),
            lb.Tool(lb.Tool.Type.POLYGON, "road", color="#123456"),
            lb.Tool(lb.Tool.Type.NER, "person", required=True),
        ],
        classifications=[
            lb.Classification(
                lb.Classification.Type.CHECKLIST,
                "weather",
                options=[lb.Option("rain"), lb.Option("fog")],
                scope=lb.Classification.Scope.INDEX,
            ),
            lb.Classification(lb.Classification.Type.RADIO, "rating", options=[lb.Option("1")], is_likert_scale=True),
            prompt_types.PromptResponseClassification(
                prompt_types.PromptResponseClassification.Type.PROMPT, "prompt", character_min=2, character_max=80
            ),
            prompt_types.PromptResponseClassification(
                prompt_types.PromptResponseClassification.Type.RESPONSE_RADIO,
                "answer",
                options=[prompt_types.ResponseOption("yes")],
            ),
        ],
    )


def our_builder() -> OntologyBuilder:
    why = Classification(C.TEXT, "why", required=True)
    kind = Classification(
        C.RADIO,
        "kind",
        options=[Option("car", label="Car", options=[why]), Option("bus", position=1)],
        ui_mode=UIMode.SEARCHABLE,
    )
    return OntologyBuilder(
        tools=[
            Tool(T.BBOX, "vehicle", classifications=[kind]),
            Tool(T.POLYGON, "road", color="#123456"),
            Tool(T.NER, "person", required=True),
        ],
        classifications=[
            Classification(C.CHECKLIST, "weather", options=[Option("rain"), Option("fog")], scope=Scope.INDEX),
            Classification(C.RADIO, "rating", options=[Option("1")], is_likert_scale=True),
            Classification(C.PROMPT, "prompt", min_characters=2, max_characters=80),
            Classification(C.RESPONSE_RADIO, "answer", options=[Option("yes")]),
        ],
    )


def test_the_builder_writes_and_reads_the_sdks_normalized_json() -> None:
    theirs = sdk_builder().asdict()
    ours = our_builder().to_dict()
    assert ours == theirs
    assert json.dumps(ours) == json.dumps(theirs)  # key for key, in the same order
    assert OntologyBuilder.from_dict(theirs).to_dict() == theirs
    assert labelbox.OntologyBuilder.from_dict(ours).asdict() == ours
    # Standalone tools and classifications, as feature schemas are made of.
    sdk_tool = labelbox.Tool(labelbox.Tool.Type.LINE, "lane", color="#00ff00")
    assert Tool(T.LINE, "lane", color="#00ff00").to_dict() == sdk_tool.asdict()
    sdk_text = labelbox.Classification(labelbox.Classification.Type.TEXT, "note")
    assert Classification(C.TEXT, "note").to_dict() == sdk_text.asdict()


async def test_sdk_sets_up_and_alabelbox_reads_back(emu: Emulator, no_external_network: list[Any]) -> None:
    def run() -> dict[str, Any]:
        client = sdk_client(emu)
        project = client.create_project(
            name="Streets",
            description="scenes",
            media_type=labelbox.MediaType.Image,
            quality_modes={quality_mode.QualityMode.Consensus},
        )
        ontology = client.create_ontology(
            "Streets ontology", sdk_builder().asdict(), media_type=labelbox.MediaType.Image
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Connecting default labeling editor for the project."
            project.connect_ontology(ontology)
        project.update(name="Streets v2")
        return {"project": client.get_project(project.uid), "ontology": client.get_ontology(ontology.uid)}

    got = await in_thread(run)
    sdk_project, sdk_ontology = got["project"], got["ontology"]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        project = await client.projects.retrieve(sdk_project.uid)
        ontology = await client.projects.ontology(sdk_project.uid)
        listed = [p.id async for p in client.projects.list()]
    truth = emu.project(sdk_project.uid)
    assert project.name == sdk_project.name == truth["name"] == "Streets v2"
    assert project.description == sdk_project.description == "scenes"
    assert project.allowed_media_type == sdk_project.media_type.value == truth["allowedMediaType"]
    assert project.quality_modes == {QualityMode.CONSENSUS}
    assert (project.auto_audit_number_of_labels, project.auto_audit_percentage) == (
        sdk_project.auto_audit_number_of_labels,
        sdk_project.auto_audit_percentage,
    )
    assert project.setup_complete == sdk_project.setup_complete
    assert project.created_at == sdk_project.created_at and project.updated_at == sdk_project.updated_at
    assert project.labeling_frontend is not None and project.labeling_frontend.name == "Editor"
    assert project.ontology is not None and project.ontology.id == sdk_ontology.uid
    assert listed == [*emu.project_ids, sdk_project.uid]
    assert ontology is not None and ontology.id == sdk_ontology.uid
    assert ontology.normalized == sdk_ontology.normalized == emu.ontology(sdk_ontology.uid)["normalized"]
    assert ontology.feature_schema_ids() == emu.feature_schema_ids(sdk_project.uid)
    assert [t.name for t in ontology.builder().tools] == [t.name for t in sdk_ontology.tools()]
    ours = [t.feature_schema_id for t in ontology.builder().tools]
    assert ours == [t.feature_schema_id for t in sdk_ontology.tools()]
    assert no_external_network == []


async def test_alabelbox_sets_up_and_the_sdk_reads_back(emu: Emulator, no_external_network: list[Any]) -> None:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        created = await client.projects.create(
            "Roofs", media_type=MediaType.IMAGE, description="tiles", quality_modes={QualityMode.BENCHMARK}
        )
        ontology = await client.ontologies.create("Roof parts", our_builder(), media_type=MediaType.IMAGE)
        await client.projects.connect_ontology(created.id, ontology.id)
        await client.projects.update(created.id, name="Roofs v2")
        clone = await client.projects.clone(created.id)

    def run() -> dict[str, Any]:
        sdk = sdk_client(emu)
        project = sdk.get_project(created.id)
        return {
            "project": project,
            "ontology": project.ontology(),
            "frontend": project.labeling_frontend(),
            "builder": labelbox.OntologyBuilder.from_project(project),
            "clone": sdk.get_project(clone.id),
            "clone_ontology": sdk.get_project(clone.id).ontology(),
            "listed": [p.uid for p in sdk.get_projects()],
        }

    got = await in_thread(run)
    sdk_project = got["project"]
    assert sdk_project.name == "Roofs v2" == emu.project(created.id)["name"]
    assert sdk_project.description == "tiles" and sdk_project.media_type == labelbox.MediaType.Image
    assert sdk_project.is_benchmark_enabled is True and sdk_project.is_consensus_enabled is False
    assert sdk_project.auto_audit_number_of_labels == 1 and sdk_project.setup_complete is not None
    assert got["frontend"].name == "Editor"
    assert got["ontology"].uid == ontology.id and got["ontology"].normalized == ontology.normalized
    assert got["builder"].asdict() == OntologyBuilder.from_dict(ontology.normalized).to_dict()
    assert got["clone"].name == "Roofs v2 (copy)" and got["clone_ontology"].uid == ontology.id
    assert got["listed"] == [*emu.project_ids, created.id, clone.id]
    assert no_external_network == []


def rest_calls(emu: Emulator) -> list[tuple[str, str, Any]]:
    return [(r.method, r.path, r.body) for r in emu.api_requests() if r.path.startswith("/api/v1/")]


async def test_feature_schema_calls_are_the_sdks_rest_requests(no_external_network: list[Any]) -> None:
    lb = labelbox

    def sdk_side(emu: Emulator) -> None:
        sdk = sdk_client(emu)
        point = sdk.create_feature_schema(lb.Tool(lb.Tool.Type.POINT, "keypoint").asdict())
        lane = sdk.upsert_feature_schema(lb.Tool(lb.Tool.Type.LINE, "lane").asdict())
        tool = lb.Tool(lb.Tool.Type.LINE, "lane", color="#00ff00", feature_schema_id=lane.uid)
        sdk.upsert_feature_schema(tool.asdict())
        sdk.update_feature_schema_title(lane.uid, "lane marking")
        ontology = sdk.create_ontology_from_feature_schemas("From schemas", [point.uid], media_type=lb.MediaType.Image)
        sdk.get_unused_feature_schemas()
        sdk.insert_feature_schema_into_ontology(lane.uid, ontology.uid, 0)
        sdk.is_feature_schema_archived(ontology.uid, lane.uid)
        sdk.delete_feature_schema_from_ontology(ontology.uid, lane.uid)
        sdk.delete_unused_feature_schema(lane.uid)
        sdk.get_unused_ontologies()
        sdk.delete_unused_ontology(ontology.uid)

    async def our_side(emu: Emulator) -> None:
        async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
            fs = client.feature_schemas
            point = await fs.create(Tool(T.POINT, "keypoint"))
            lane = await fs.create(Tool(T.LINE, "lane"))  # the SDK's upsert without an id creates over REST
            await fs.update(lane.id, Tool(T.LINE, "lane", color="#00ff00"))
            await fs.update_title(lane.id, "lane marking")
            ontology = await client.ontologies.create_from_feature_schemas(
                "From schemas", [point.id], media_type=MediaType.IMAGE
            )
            [f async for f in fs.list_unused()]
            await fs.insert_into_ontology(lane.id, ontology_id=ontology.id, position=0)
            await fs.is_archived(lane.id, ontology_id=ontology.id)
            await fs.remove_from_ontology(lane.id, ontology_id=ontology.id)
            await fs.delete_unused(lane.id)
            [o async for o in client.ontologies.list_unused()]
            await client.ontologies.delete_unused(ontology.id)

    options: dict[str, Any] = {"seed": 11, "projects": 1, "data_rows": 3, "task_seconds": 0.0}
    async with Emulator(**options) as theirs, Emulator(**options) as ours:
        await in_thread(lambda: sdk_side(theirs))
        await our_side(ours)
        sdk_calls = rest_calls(theirs)
        created_over_rest = sdk_calls.pop(0)
        assert created_over_rest[:2] == ("PUT", "/api/v1/feature-schemas/new_feature_schema_id")
        assert rest_calls(ours) == sdk_calls
        assert len(sdk_calls) == 9
        assert list(ours.backend.ontologies.ontologies.keys()) == list(theirs.backend.ontologies.ontologies.keys())
        assert ours.feature_schema_ids(ours.project_ids[0]) == theirs.feature_schema_ids(theirs.project_ids[0])
    assert no_external_network == []


async def test_relationship_constraints_name_the_created_tools(emu: Emulator, no_external_network: list[Any]) -> None:
    lb = labelbox
    relationship_tool = pytest.importorskip("labelbox.schema.tool_building.relationship_tool")

    def run() -> Any:
        car, trailer = lb.Tool(lb.Tool.Type.BBOX, "car"), lb.Tool(lb.Tool.Type.BBOX, "trailer")
        tows = relationship_tool.RelationshipTool("tows")
        tows.add_constraint(car, trailer)  # UUIDs stand for the ids the tools do not have yet
        builder = lb.OntologyBuilder(tools=[car, trailer, tows])
        return sdk_client(emu).create_ontology("Towing (SDK)", builder.asdict()).uid

    sdk_ontology_id = await in_thread(run)
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        theirs = await client.ontologies.retrieve(sdk_ontology_id)
        builder = OntologyBuilder(tools=[Tool(T.BBOX, "car"), Tool(T.BBOX, "trailer")])
        ours = await client.ontologies.create("Towing", builder.with_relationship("tows", [("car", "trailer")]))
    for ontology in (theirs, ours):
        car, trailer, tows = ontology.builder().tools
        assert tows.definition == {"constraints": [[car.feature_schema_id, trailer.feature_schema_id]]}
        assert emu.feature_schema(str(car.feature_schema_id))["name"] == "car"
        stored = emu.feature_schema(str(tows.feature_schema_id))["normalized"]
        assert stored["definition"] == tows.definition
    assert no_external_network == []


async def test_sdk_chat_evaluation_ontology_is_accepted(emu: Emulator) -> None:
    ontology_kind = pytest.importorskip("labelbox.schema.ontology_kind")

    def run() -> Any:
        return sdk_client(emu).create_ontology(
            "Chat", {"tools": [], "classifications": []}, ontology_kind=ontology_kind.OntologyKind.ModelEvaluation
        )

    ontology = await in_thread(run)
    sent = emu.api_requests("upsertRootSchemaNodePyApi")[-1].variables
    assert sent is not None and sent["data"]["editorTaskType"] == "MODEL_CHAT_EVALUATION"
    assert emu.ontology(ontology.uid)["name"] == "Chat" == ontology.name
