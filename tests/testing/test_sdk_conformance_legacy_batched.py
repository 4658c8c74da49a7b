"""Rows created through the API join a project's exports once a batch adds them: the SDK (7.17.0, unmodified) adds
them with ``project.create_batch``, labels are imported on them, and they and their labels show in the project's
export v2 and in its legacy export (``exportLabels``, read by alabelbox's legacy export and fetched as the SDK's
``export_labels(download=True)`` fetched it), in a seeded project and in a project created through the API."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
import requests

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.testing.resources.legacy_exports import LEGACY_REUSE_SECONDS

from .test_sdk_conformance import in_thread, no_external_network, sdk_client

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

DAMAGE = "damage 損傷"
# The request the SDK's ``Project.export_labels`` sent (before 7.x dropped it): the project id interpolated.
SDK_EXPORT_LABELS = (
    "mutation GetLabelExportUrlPyApi($projectId: ID!)"
    "{exportLabels(data:{projectId: $projectId }) {downloadUrl createdAt shouldPoll} }"
)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=11, projects=1, data_rows=6, task_seconds=0.0) as e:
        yield e


@pytest_asyncio.fixture
async def client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as c:
        yield c


def sdk_legacy(emu: Emulator, project_id: str) -> list[dict[str, Any]]:
    """The legacy export as the SDK's ``export_labels(download=True)`` read it: poll, then GET the JSON file."""
    sdk = sdk_client(emu)
    for _ in range(200):
        answer = sdk.execute(SDK_EXPORT_LABELS, {"projectId": project_id})["exportLabels"]
        if not answer["shouldPoll"]:
            rows: list[dict[str, Any]] = requests.get(answer["downloadUrl"], timeout=10).json()
            return rows
        time.sleep(0.02)
    raise AssertionError("the legacy export never became ready")


async def legacy(client: Client, project_id: str) -> list[dict[str, Any]]:
    async with client.exports.export_labels(project_id, model=None, poll_interval=0.01) as rows:
        return [r async for r in rows]


async def created_rows(client: Client, name: str, n: int) -> tuple[str, list[str]]:
    dataset = await client.datasets.create(name)
    specs = [{"row_data": f"https://example.com/{name}-{i}.jpg", "global_key": f"{name}-{i}"} for i in range(n)]
    result = await client.data_rows.create(dataset.id, specs)
    assert result.ok
    return dataset.id, [f"{name}-{i}" for i in range(n)]


async def import_boxes(client: Client, project_id: str, row_ids: list[str]) -> set[str]:
    """One box on each row, imported as ground truth; the new label ids."""
    before = {label.id async for label in client.labels.list(project_id)}
    records = [
        {"dataRow": {"id": rid}, "name": DAMAGE, "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}
        for rid in row_ids
    ]
    job = await client.imports.create(project_id, name="boxes", records=records)
    await client.imports.wait(job, poll_interval=0.01)
    return {label.id async for label in client.labels.list(project_id)} - before


async def test_created_rows_batched_into_a_seeded_project_join_its_legacy_export_with_their_labels(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    pid = emu.project_ids[0]
    seeded_before = await legacy(client, pid)
    dataset_id, keys = await created_rows(client, "new", 3)
    assert {r["DataRow ID"] for r in seeded_before}.isdisjoint((await client.global_keys.lookup(keys)).results)

    def sdk_batches() -> int:
        return int(sdk_client(emu).get_project(pid).create_batch("created rows", global_keys=keys).size)

    assert await in_thread(sdk_batches) == 3
    ids = [r for r in (await client.global_keys.lookup(keys)).results if r]
    labelled = await import_boxes(client, pid, ids[:2])
    assert len(labelled) == 2

    emu.clock.advance(LEGACY_REUSE_SECONDS)  # the API reuses an export for 30 minutes: a new one
    ours = await legacy(client, pid)
    assert ours[: len(seeded_before)] == seeded_before  # the seeded labels come first, unchanged
    added = {r["ID"]: r for r in ours[len(seeded_before) :]}
    assert set(added) == labelled  # one element per label: the unlabelled row has none
    dataset_name = (await client.datasets.retrieve(dataset_id)).name
    by_row = {r["DataRow ID"]: r for r in added.values()}
    assert set(by_row) == set(ids[:2])
    for rid, key in zip(ids[:2], keys[:2], strict=True):
        row = by_row[rid]
        assert (row["Global Key"], row["Dataset Name"], row["Labeled Data"]) == (
            key,
            dataset_name,
            f"https://example.com/{key}.jpg",
        )
        assert [o["title"] for o in row["Label"]["objects"]] == [DAMAGE]
        assert row["Project Name"] == seeded_before[0]["Project Name"] and row["Skipped"] is False
    assert await in_thread(lambda: sdk_legacy(emu, pid)) == ours

    # Export v2 of the project holds the three rows, the two labelled with the same labels.
    task = await client.exports.create_and_poll(project_id=pid, poll_interval=0.01)
    async with client.exports.stream(task, model=None) as stream:
        lines = {r.value["data_row"]["id"]: r.value async for r in stream}
    assert set(ids) <= set(lines)
    in_v2 = {lid for rid in ids for label in lines[rid]["projects"][pid]["labels"] if (lid := label["id"])}
    assert in_v2 == labelled


async def test_a_created_project_exports_its_batched_rows_labels_in_both_formats(
    emu: Emulator, client: Client, no_external_network: list[Any]
) -> None:
    _, keys = await created_rows(client, "fresh", 2)

    def sdk_setup() -> str:
        sdk = sdk_client(emu)
        ontology = sdk.get_project(emu.project_ids[0]).ontology()
        project = sdk.create_project(name="created", media_type=labelbox.MediaType.Image)
        with warnings.catch_warnings():  # "Connecting default labeling editor for the project."
            warnings.simplefilter("ignore", UserWarning)
            project.connect_ontology(ontology)
        project.create_batch("all", global_keys=keys)
        return str(project.uid)

    pid = await in_thread(sdk_setup)
    assert await legacy(client, pid) == []  # rows without labels: nothing to export yet
    ids = [r for r in (await client.global_keys.lookup(keys)).results if r]
    labelled = await import_boxes(client, pid, ids)

    emu.clock.advance(LEGACY_REUSE_SECONDS)
    ours = await legacy(client, pid)
    assert {r["ID"] for r in ours} == labelled and {r["DataRow ID"] for r in ours} == set(ids)
    assert {r["Project Name"] for r in ours} == {"created"}
    assert all(r["View Label"].endswith(f"project={pid}&label={r['ID']}") for r in ours)
    assert await in_thread(lambda: sdk_legacy(emu, pid)) == ours

    def sdk_v2() -> list[dict[str, Any]]:
        task = sdk_client(emu).get_project(pid).export()
        task.wait_till_done()
        return [line.json for line in task.get_buffered_stream()]

    v2 = await in_thread(sdk_v2)
    assert {label["id"] for line in v2 for label in line["projects"][pid]["labels"]} == labelled
    json.dumps(ours)
