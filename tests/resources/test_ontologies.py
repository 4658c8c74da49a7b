"""client.ontologies against the emulator: create from a builder, retrieve, search by cursor pages; arguments checked
before any request (the REST calls of ontologies are in test_feature_schemas.py, beside the feature schemas')."""

from __future__ import annotations

import json

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import Classification, ClassificationType, MediaType, OntologyBuilder, Option, Tool, ToolType


async def test_create_retrieve_and_search_ontologies(client: Client, emu: Emulator) -> None:
    kind = Classification(ClassificationType.RADIO, "kind", options=[Option("car"), Option("bus")])
    builder = OntologyBuilder(
        tools=[Tool(ToolType.BBOX, "vehicle", classifications=[kind]), Tool(ToolType.LINE, "lane")],
        classifications=[Classification(ClassificationType.TEXT, "note")],
    )
    created = await client.ontologies.create("Streets", builder, media_type=MediaType.IMAGE)
    stored = emu.ontology(created.id)
    assert created.normalized == stored["normalized"] and created.media_type == "IMAGE"
    assert (created.object_schema_count, created.classification_schema_count) == (2, 1)
    sent = emu.api_requests("CreateOntology")[0].variables
    assert sent is not None and json.loads(sent["data"]["normalized"]) == builder.to_dict()
    again = await client.ontologies.retrieve(created.id)
    assert (
        again.normalized == created.normalized and again.builder().tools[0].classifications[0].options[1].value == "bus"
    )
    # Every root node is a feature schema of its own; nested ones carry ids too.
    assert len(created.feature_schema_ids()) == 6
    roots = [t.feature_schema_id for t in again.builder().tools]
    assert [(await client.feature_schemas.retrieve(f)).name for f in roots if f] == ["vehicle", "lane"]
    # Search (case-insensitive), and all of them, over cursor pages.
    assert [o.id async for o in client.ontologies.list(name_contains="STREET")] == [created.id]
    seeded = [emu.project_ontology_id(p) for p in emu.project_ids]
    assert [o.id async for o in client.ontologies.list(page_size=2)] == [*seeded, created.id]
    pages = emu.api_requests("ListOntologies")
    assert [r.variables["from"] for r in pages[-2:] if r.variables] == ["2", None] or len(pages) >= 3
    with pytest.raises(ResourceNotFoundError):
        await client.ontologies.retrieve("cl_no_such_ontology_0000")


async def test_ontology_arguments_are_checked_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="name"):
        await client.ontologies.create(" ", OntologyBuilder())
    with pytest.raises(InvalidArgumentError, match="media_type"):
        await client.ontologies.create("x", OntologyBuilder(), media_type="PHOTOS")
    with pytest.raises(InvalidArgumentError) as caught:
        await client.ontologies.create("x", {"tools": [{"tool": "rectangle", "name": "b", "classifications": [3]}]})
    assert caught.value.argument == "tools[0].classifications[0]"
    with pytest.raises(InvalidArgumentError, match="ontology"):
        await client.ontologies.create("x", [])  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="name_contains"):
        client.ontologies.list(name_contains="")
    with pytest.raises(InvalidArgumentError, match="feature_schema_ids"):
        await client.ontologies.create_from_feature_schemas("x", [])
    with pytest.raises(InvalidArgumentError, match="definition"):
        await client.feature_schemas.create({"name": "neither"})
    with pytest.raises(InvalidArgumentError, match="position"):
        await client.feature_schemas.insert_into_ontology("f", ontology_id="o", position=-1)
    with pytest.raises(InvalidArgumentError, match="title"):
        await client.feature_schemas.update_title("f", "")
    assert emu.api_requests() == []
