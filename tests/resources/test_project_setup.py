"""client.projects writes (create, update, delete, clone, connect_ontology) and relationships, against the emulator."""

from __future__ import annotations

import json
from typing import Any

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import MediaType, OntologyBuilder, QualityMode, Tool, ToolType


def _walk_schema_ids(value: Any, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("feature_schema_id", "schemaId") and isinstance(item, str):
                out.add(item)
            _walk_schema_ids(item, out)
    elif isinstance(value, list):
        for item in value:
            _walk_schema_ids(item, out)
    return out


@pytest.mark.parametrize(
    ("modes", "expected"),
    [
        ((QualityMode.BENCHMARK, QualityMode.CONSENSUS), (3, 0.0, True, True)),
        ({QualityMode.BENCHMARK}, (1, 1.0, True, False)),
        (["CONSENSUS"], (3, 0.0, False, True)),
    ],
)
async def test_create_with_quality_modes(
    client: Client, emu: Emulator, modes: Any, expected: tuple[int, float, bool, bool]
) -> None:
    project = await client.projects.create(
        "Street scenes", media_type=MediaType.VIDEO, description="cars", quality_modes=modes
    )
    truth = emu.project(project.id)
    got = (
        project.auto_audit_number_of_labels,
        project.auto_audit_percentage,
        project.is_benchmark_enabled,
        project.is_consensus_enabled,
    )
    assert got == expected
    assert expected == (
        truth["autoAuditNumberOfLabels"],
        truth["autoAuditPercentage"],
        truth["isBenchmarkEnabled"],
        truth["isConsensusEnabled"],
    )
    assert project.allowed_media_type == "VIDEO" == truth["allowedMediaType"]
    assert project.name == "Street scenes" and project.description == "cars"
    assert [p.id async for p in client.projects.list()] == [*emu.project_ids, project.id]
    sent = emu.api_requests("CreateProject")[0].variables
    assert sent is not None and sent["data"]["allowedMediaType"] == "VIDEO" and "editorTaskType" not in sent["data"]


async def test_create_with_consensus_settings(client: Client, emu: Emulator) -> None:
    project = await client.projects.create(
        "Agreement",
        media_type="TEXT",
        quality_modes={QualityMode.CONSENSUS},
        consensus_labels=5,
        consensus_coverage=0.25,
    )
    truth = emu.project(project.id)
    assert (truth["autoAuditNumberOfLabels"], truth["autoAuditPercentage"]) == (5, 0.25)
    assert project.quality_modes == {QualityMode.CONSENSUS}


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"name": " "}, "name"),
        ({"media_type": "PHOTO"}, "media_type"),
        ({"quality_modes": ()}, "quality_modes"),
        ({"quality_modes": "BENCHMARK"}, "quality_modes"),
        ({"quality_modes": ["GOLD"]}, "quality_modes"),
        ({"quality_modes": {QualityMode.BENCHMARK}, "consensus_labels": 3}, "consensus_labels"),
        ({"consensus_labels": 1}, "consensus_labels"),
        ({"consensus_coverage": 1.5}, "consensus_coverage"),
        ({"consensus_coverage": float("nan")}, "consensus_coverage"),
        ({"editor_task_type": "PAINT"}, "editor_task_type"),
    ],
)
async def test_create_arguments_are_checked_before_any_request(
    client: Client, emu: Emulator, kwargs: dict[str, Any], argument: str
) -> None:
    arguments: dict[str, Any] = {"name": "P", "media_type": MediaType.IMAGE, **kwargs}
    name = arguments.pop("name")
    with pytest.raises(InvalidArgumentError) as caught:
        await client.projects.create(name, **arguments)
    assert caught.value.argument == argument
    assert emu.api_requests() == []


async def test_update_delete_and_their_errors(client: Client, emu: Emulator) -> None:
    project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
    updated = await client.projects.update(project.id, name="Roofs v2", description="tiles", media_type="PDF")
    truth = emu.project(project.id)
    assert (updated.name, updated.description, updated.allowed_media_type) == ("Roofs v2", "tiles", "PDF")
    assert (truth["name"], truth["description"], truth["allowedMediaType"]) == ("Roofs v2", "tiles", "PDF")
    with pytest.raises(InvalidArgumentError, match="at least one"):
        await client.projects.update(project.id)
    with pytest.raises(InvalidArgumentError, match="name"):
        await client.projects.update(project.id, name="")
    # A seeded project can be renamed too; the listings show the new name.
    seeded = emu.project_ids[0]
    await client.projects.update(seeded, name="Renamed")
    assert [p.name async for p in client.projects.list(name="Renamed")] == ["Renamed"]

    await client.projects.delete(project.id)
    assert project.id not in [p.id async for p in client.projects.list()]
    with pytest.raises(KeyError):
        emu.project(project.id)
    with pytest.raises(ResourceNotFoundError):
        await client.projects.retrieve(project.id)
    with pytest.raises(ResourceNotFoundError):
        await client.projects.delete(project.id)
    with pytest.raises(ResourceNotFoundError):
        await client.projects.update("cl_no_such_project_00000", name="x")
    assert emu.api_requests("DeleteProject")[0].variables == {"id": project.id}


async def test_connect_ontology_sets_up_the_editor_once(client: Client, emu: Emulator) -> None:
    project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
    before = await client.projects.retrieve(project.id)
    assert before.labeling_frontend is None and before.ontology is None and before.setup_complete is None
    assert await client.projects.ontology(project.id) is None
    builder = OntologyBuilder(tools=[Tool(ToolType.POLYGON, "tile"), Tool(ToolType.POINT, "vent")])
    ontology = await client.ontologies.create("Roof parts", builder, media_type=MediaType.IMAGE)

    connected = await client.projects.connect_ontology(project.id, ontology.id)
    assert connected.setup_complete is not None
    after = await client.projects.retrieve(project.id)
    assert after.labeling_frontend is not None and after.labeling_frontend.name == "Editor"
    assert after.ontology is not None and after.ontology.id == ontology.id == emu.project_ontology_id(project.id)
    assert after.created_by is not None and after.created_by.id == emu.user_id
    assert after.organization is not None and after.organization.id
    whole = await client.projects.ontology(project.id)
    assert whole is not None and whole.feature_schema_ids() == emu.feature_schema_ids(project.id)
    options = emu.backend.projects.frontend_options
    assert json.loads(next(iter(options.values()))) == {"tools": [], "classifications": []}

    # Connecting again (another ontology) does not connect the editor again.
    other = await client.ontologies.create("Other", OntologyBuilder(tools=[Tool(ToolType.LINE, "ridge")]))
    await client.projects.connect_ontology(project.id, other.id)
    assert emu.project_ontology_id(project.id) == other.id
    assert len(emu.api_requests("ConnectLabelingFrontend")) == 1
    assert len(emu.api_requests("CreateLabelingFrontendOptions")) == 1


async def test_connect_ontology_refuses_mismatches_and_unknown_ids(client: Client, emu: Emulator) -> None:
    project = await client.projects.create("Roofs", media_type=MediaType.IMAGE)
    video = await client.ontologies.create("Frames", OntologyBuilder(), media_type=MediaType.VIDEO)
    with pytest.raises(InvalidArgumentError, match="VIDEO") as caught:
        await client.projects.connect_ontology(project.id, video.id)
    assert caught.value.argument == "ontology_id"
    assert emu.project_ontology_id(project.id) is None and emu.api_requests("ConnectOntology") == []
    with pytest.raises(ResourceNotFoundError):
        await client.projects.connect_ontology(project.id, "cl_no_such_ontology_0000")
    with pytest.raises(ResourceNotFoundError):
        await client.projects.connect_ontology("cl_no_such_project_00000", video.id)
    with pytest.raises(InvalidArgumentError, match="ontology_id"):
        await client.projects.connect_ontology(project.id, "")
    anywhere = await client.ontologies.create("Any media", OntologyBuilder(tools=[Tool(ToolType.BBOX, "thing")]))
    await client.projects.connect_ontology(project.id, anywhere.id)
    assert emu.project_ontology_id(project.id) == anywhere.id


async def test_clone_copies_settings_and_ontology(client: Client, emu: Emulator) -> None:
    project = await client.projects.create(
        "Roofs", media_type=MediaType.IMAGE, description="d", quality_modes={QualityMode.BENCHMARK}
    )
    ontology = await client.ontologies.create("Roof parts", OntologyBuilder(tools=[Tool(ToolType.POLYGON, "tile")]))
    await client.projects.connect_ontology(project.id, ontology.id)
    copy = await client.projects.clone(project.id)
    assert copy.id != project.id and copy.name == "Roofs (copy)" == emu.project(copy.id)["name"]
    assert copy.is_benchmark_enabled is True and copy.description == "d"
    assert copy.ontology is not None and copy.ontology.id == ontology.id
    assert copy.labeling_frontend is not None
    assert [p.id async for p in client.projects.list()][-2:] == [project.id, copy.id]
    with pytest.raises(ResourceNotFoundError):
        await client.projects.clone("cl_no_such_project_00000")


async def test_seeded_projects_ontology_is_what_their_labels_and_exports_carry(client: Client, emu: Emulator) -> None:
    project_id = emu.project_ids[0]
    project = await client.projects.retrieve(project_id)
    ontology = await client.projects.ontology(project_id)
    assert ontology is not None and project.ontology is not None and project.ontology.id == ontology.id
    assert ontology.media_type == project.allowed_media_type
    ids = set(ontology.feature_schema_ids())
    assert ids == set(emu.feature_schema_ids(project_id))
    task = await client.exports.create_and_poll(project_id=project_id, poll_interval=0.01)
    exported: set[str] = set()
    for line in emu.export_lines(task.id):
        _walk_schema_ids(json.loads(line), exported)
    assert exported and exported <= ids
    labelled: set[str] = set()
    async for label in client.labels.list(project_id):
        _walk_schema_ids(json.loads(label.label or "{}"), labelled)
    assert labelled and labelled <= ids
    # The typed builder reads the seeded ontology, nested options and all.
    radio = next(c for c in ontology.builder().classifications if c.name == "radio_q0")
    assert radio.options[0].options[0].name == "radio_q1" and radio.options[0].feature_schema_id in ids


async def test_project_datasets(client: Client, emu: Emulator) -> None:
    assert [d.id async for d in client.projects.datasets(emu.project_ids[1])] == [emu.dataset_ids[1]]
    created = await client.projects.create("Empty", media_type=MediaType.IMAGE)
    assert [d async for d in client.projects.datasets(created.id)] == []
    with pytest.raises(ResourceNotFoundError):
        [d async for d in client.projects.datasets("cl_no_such_project_00000")]
