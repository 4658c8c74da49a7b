"""The official labelbox SDK (7.17.0), unmodified, sends rows to annotate against the emulator: from the catalog with a
project's labels (``client.send_to_annotate_from_catalog``), from a model run with its predictions
(``ModelRun.send_to_annotate_from_model``) and through ``ModelRun.upsert_predictions_and_send_to_project``. Then
``project.batches()`` and the project's export show the rows, in their batches and queues, with the copied labels;
the pre-labels are the emulator's truth; alabelbox reads back the same batches and export.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator

from .test_sdk_conformance import in_thread, no_external_network

labelbox = pytest.importorskip("labelbox")
ConflictResolutionStrategy = pytest.importorskip(
    "labelbox.schema.conflict_resolution_strategy"
).ConflictResolutionStrategy

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    # Tasks end at once: the SDK's waits sleep seconds between two looks.
    async with Emulator(seed=13, projects=1, data_rows=12, batch_size=6, task_seconds=0.0) as e:
        yield e


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key,
        endpoint=emu.endpoint,
        app_url=emu.url,
        rest_endpoint=emu.url + "/api/v1",
        enable_experimental=True,
    )


def bbox(rid: str, n: int) -> dict[str, Any]:
    return {
        "uuid": f"u{n}",
        "dataRow": {"id": rid},
        "name": "box",
        "bbox": {"top": n, "left": 1, "height": 2, "width": 3},
    }


# The SDK's upsert_predictions_and_send_to_project waits with its own deprecated wait_until_done.
@pytest.mark.filterwarnings("ignore:The method wait_until_done:DeprecationWarning")
async def test_sdk_sends_rows_to_annotate_and_the_project_shows_them(
    emu: Emulator, no_external_network: list[Any]
) -> None:
    source = emu.project_ids[0]  # seeded IMAGE project 0: a label on every row of dataset 0
    rows = list(reversed(emu.data_row_ids(emu.dataset_ids[0])))
    world = emu.backend.world
    source_objects = {rid: world.export_label(0, i, {})["annotations"]["objects"] for i, rid in enumerate(rows[:3])}

    def run() -> dict[str, Any]:
        client = sdk(emu)
        ontology = client.create_ontology("Boxes", ONTOLOGY, media_type=labelbox.MediaType.Image)
        box = ontology.tools()[0].feature_schema_id
        project = client.create_project(name="review", media_type=labelbox.MediaType.Image)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Connecting default labeling editor for the project."
            project.connect_ontology(ontology)
        queue = project.task_queues()[0]
        mapping = {o["feature_schema_id"]: box for objects in source_objects.values() for o in objects}
        copied = client.send_to_annotate_from_catalog(
            destination_project_id=project.uid,
            task_queue_id=queue.uid,
            batch_name="copied",
            data_rows=labelbox.DataRowIds(rows[:3]),
            params={
                "source_project_id": source,
                "annotations_ontology_mapping": mapping,
                "override_existing_annotations_rule": ConflictResolutionStrategy.KeepExisting,
                "batch_priority": 2,
            },
        )
        copied.wait_till_done()
        model = client.create_model("detector", ontology.uid)
        mr = model.create_model_run("run 1")
        mea, batch, mal = mr.upsert_predictions_and_send_to_project(
            name="predicted", predictions=[bbox(rows[3], 3), bbox(rows[4], 4)], project_id=project.uid, priority=3
        )
        more = mr.add_predictions("more", [bbox(rows[5], 5)])
        more.wait_till_done()
        keys = [client.get_data_row(rid).global_key for rid in rows[3:6]]
        sent = mr.send_to_annotate_from_model(
            destination_project_id=project.uid,
            task_queue_id=None,
            batch_name="from the run",
            data_rows=labelbox.GlobalKeys(keys),
            params={"predictions_ontology_mapping": {}, "exclude_data_rows_in_project": True},
        )
        sent.wait_till_done()
        export = project.export(params={"project_details": True, "label_details": True})
        export.wait_till_done()
        return {
            "project": project.uid,
            "box": box,
            "queue": queue.uid,
            "tasks": [copied.status, sent.status],
            "mea": (mea.state, len(mea.statuses)),
            "batch": (batch.name, batch.size) if batch is not None else None,
            "mal": (mal.state, [s["status"] for s in mal.statuses]) if mal is not None else None,
            "batches": [(b.name, b.size) for b in project.batches()],
            "lines": [o.json for o in export.get_buffered_stream()],
            "run": mr.uid,
        }

    got = await in_thread(run)
    pid = got["project"]
    assert got["tasks"] == ["COMPLETE", "COMPLETE"]
    assert got["mea"][1] == 2 and got["mea"][0].value == "FINISHED"
    assert got["batch"] == ("predicted", 2)
    assert got["mal"] is not None and got["mal"][1] == ["SUCCESS", "SUCCESS"]
    assert got["batches"] == [("copied", 3), ("predicted", 2), ("from the run", 1)]
    # The copied labels: one per row, objects of the source's label, the box their feature.
    labels = emu.imported_labels(pid)
    assert [label["data_row_id"] for label in labels] == rows[:3]
    for label in labels:
        objects = label["annotations"]["objects"]
        assert [o["feature_id"] for o in objects] == [o["feature_id"] for o in source_objects[label["data_row_id"]]]
        assert {o["feature_schema_id"] for o in objects} <= {got["box"]}
    # The pre-labels: the run's predictions on the rows it sent (the excluded ones were sent before, by the batch).
    prelabels = emu.prelabels(pid)
    assert sorted(prelabels) == sorted(rows[3:6])  # which rows; the order an import applies them in is its own
    assert emu.sent_to_annotate()[-1]["dataRowIds"] == rows[5:6]
    # The export: every row, in its batch, queue and priority; the copied labels on theirs.
    lines = got["lines"]
    ids = [line["data_row"]["id"] for line in lines]
    # The SDK builds the "predicted" batch from a set of row ids, so its two rows come in either order.
    assert ids[:3] == rows[:3] and sorted(ids[3:5]) == sorted(rows[3:5]) and ids[5:] == rows[5:6]
    details = [line["projects"][pid]["project_details"] for line in lines]
    assert [(d["batch_name"], d["priority"], d["workflow_status"]) for d in details] == [
        *[("copied", 2, "TO_LABEL")] * 3,
        *[("predicted", 3, "TO_LABEL")] * 2,
        ("from the run", 5, "DONE"),
    ]
    by_row = {label["data_row_id"]: label for label in labels}
    for line in lines:
        exported = line["projects"][pid]["labels"]
        copy = by_row.get(line["data_row"]["id"])
        assert [e["id"] for e in exported] == ([copy["id"]] if copy else [])
        assert all(e["annotations"] == copy["annotations"] for e in exported if copy)
    assert no_external_network == []

    # alabelbox reads the same batches and the same export.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        assert [pair async for pair in _batches(client, pid)] == got["batches"]
        task = await client.exports.create_and_poll(
            project_id=pid, params={"project_details": True, "label_details": True}, poll_interval=0.01
        )
        async with client.exports.stream(task, model=None) as stream:
            mine = [row.value async for row in stream]
        assert mine == lines


async def _batches(client: Client, project_id: str) -> AsyncIterator[tuple[str, int | None]]:
    async for b in client.batches.list(project_id):
        yield b.name, b.size
