"""Fields the emulator's exports carry and agree on with GraphQL: ``project_details.selected_label_id`` (the
project's label of the row), a legacy row's ``DataRow Workflow Info`` (its queue ids those of the project's task
queues), and a seeded row's metadata, the same in ``metadataFields``, the metadata export and export lines."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import ExportRow, ProjectDetails


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=4, projects=2, data_rows=12, task_seconds=0.0) as e:
        yield e


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


async def test_project_details_name_the_selected_label(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[0]
    task = await client.exports.create_and_poll(project_id=pid, params={"project_details": True}, poll_interval=0.01)
    async with client.exports.stream(task, model=None) as stream:
        lines: list[dict[str, Any]] = [record.value async for record in stream]
    assert len(lines) == 12
    selected = set()
    for line in lines:
        project = line["projects"][pid]
        assert project["project_details"]["selected_label_id"] == project["labels"][0]["id"]
        selected.add(project["project_details"]["selected_label_id"])
        # The typed reader reads it.
        typed = ExportRow.model_validate(line).projects
        assert isinstance(typed, dict)
        details = typed[pid].project_details
        assert isinstance(details, ProjectDetails) and details.selected_label_id == project["labels"][0]["id"]
    assert selected == set(emu.label_ids(pid))


async def test_legacy_rows_carry_their_workflow_info(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[0]
    queues = {q.name: q.id for q in await client.workflow.task_queues(pid)}
    async with client.exports.export_labels(pid, poll_interval=0.01) as rows:
        legacy = [row async for row in rows]
    assert len(legacy) == 12
    for row in legacy:
        info = row.data_row_workflow_info
        assert info is not None and info.task_name in queues | {"Rework": None}
        (entry,) = info.workflow_history or []
        assert (entry.previous_task_id, entry.next_task_id) == (
            queues["Initial labeling task"],
            queues["Initial review task"],
        )
        label = await client.labels.retrieve(row.id)
        assert label.created_by is not None and entry.actor_id == label.created_by.id
        assert label.created_at is not None
        assert entry.created_at == label.created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def test_a_seeded_rows_metadata_agrees_everywhere(client: Client, emu: Emulator) -> None:
    ontology = {s.name: s for s in (await client.metadata.ontology()).schemas}
    split = ontology["split"]
    train = next(o for o in split.options if o.name == "train")
    row_id = emu.data_row_ids(emu.dataset_ids[1])[3]
    row = await client.data_rows.retrieve(row_id)
    assert [(f.schema_id, f.name, f.value) for f in row.metadata_fields] == [(split.id, "split", train.id)]
    assert [(m.schema_id, m.value) for m in row.custom_metadata] == [(split.id, train.id)]
    (exported,) = await client.metadata.export([row_id])
    assert [(f.schema_id, f.value) for f in exported.fields] == [(split.id, train.id)]
    task = await client.exports.create_and_poll(
        data_row_ids=[row_id], params={"metadata_fields": True}, poll_interval=0.01
    )
    async with client.exports.stream(task, model=None) as stream:
        (line,) = [record.value async for record in stream]
    assert line["metadata_fields"] == [
        {"schema_id": split.id, "schema_name": "split", "value": {"schema_id": train.id, "schema_name": "train"}}
    ]
