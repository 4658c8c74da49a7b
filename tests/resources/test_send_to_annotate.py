"""Send to annotate against the emulator: from the catalog (``client.data_rows.send_to_annotate``) and from a model run
(``client.model_runs.send_to_annotate``, ``upsert_predictions_and_send_to_project``). The rows become a batch of the
destination project, in the queue named and at the priority given, seen by ``client.batches`` and the project's
export; a source project's labels are copied as labels, a run's predictions become pre-labels, features mapped; the
conflict strategy decides for rows that already have some."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from alabelbox import Client, InvalidArgumentError, LabelboxError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import ConflictResolutionStrategy, SendToAnnotateParams
from tests.resources.conftest import fast_retry

ONTOLOGY = {
    "tools": [{"tool": "rectangle", "name": "box"}],
    "classifications": [{"type": "text", "name": "note", "instructions": "note"}],
}


@dataclass
class World:
    emu: Emulator
    client: Client
    dest: str
    """A created IMAGE project over :data:`ONTOLOGY`."""
    box: str
    """The feature schema id of its ``box`` tool."""
    queues: list[str]
    """Its workflow queues: labeling, review, done."""
    source: str
    """Seeded IMAGE project 0: a label on every row of dataset 0."""
    rows: list[str]
    """The rows of dataset 0, oldest first (none is in ``dest`` yet)."""


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with Emulator(seed=3, projects=2, data_rows=12, batch_size=6, task_seconds=0.0) as emu:
        async with Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client:
            oid = emu.backend.ontologies.upsert_ontology(
                {"name": "Boxes", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}
            )
            dest = await client.projects.create("review", media_type="IMAGE")
            await client.projects.connect_ontology(dest.id, oid)
            box = next(t["featureSchemaId"] for t in emu.ontology(oid)["normalized"]["tools"])
            queues = [q["id"] for q in emu.backend.projects.task_queues(dest.id)]
            rows = list(reversed(emu.data_row_ids(emu.dataset_ids[0])))
            yield World(emu, client, dest.id, box, queues, emu.project_ids[0], rows)


def source_objects(w: World, rows: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Row -> the objects of the source project's label on it (the emulator's truth)."""
    world = w.emu.backend.world
    return {rid: world.export_label(0, w.rows.index(rid), {})["annotations"]["objects"] for rid in rows}


def box_mapping(w: World, rows: list[str]) -> dict[str, str]:
    """Every tool of the source's labels on ``rows`` -> the destination's box."""
    return {o["feature_schema_id"]: w.box for objects in source_objects(w, rows).values() for o in objects}


async def export_lines(w: World) -> list[dict[str, Any]]:
    """The destination project's export v2 lines, read by alabelbox."""
    task = await w.client.exports.create_and_poll(
        project_id=w.dest, params={"project_details": True}, poll_interval=0.01
    )
    async with w.client.exports.stream(task, model=None) as stream:
        return [row.value async for row in stream]


async def test_labels_of_a_project_are_copied_into_a_batch_in_the_queue(world: World) -> None:
    w = world
    rows = w.rows[:3]
    mapping = box_mapping(w, rows)
    task = await w.client.data_rows.send_to_annotate(
        w.dest,
        batch_name="copied",
        data_row_ids=rows,
        task_queue_id=w.queues[1],
        params={"source_project_id": w.source, "annotations_ontology_mapping": mapping, "batch_priority": 2},
    )
    assert (await w.client.tasks.wait(task, poll_interval=0.01)).succeeded
    batches = [b async for b in w.client.batches.list(w.dest)]
    assert [(b.name, b.size) for b in batches] == [("copied", 3)]
    # One label per row, its objects the source's, their feature the box; the classifications were not mapped.
    labels = w.emu.imported_labels(w.dest)
    assert [label["data_row_id"] for label in labels] == rows
    objects = source_objects(w, rows)
    for label in labels:
        got = label["annotations"]
        assert got["classifications"] == []
        assert [o["feature_id"] for o in got["objects"]] == [o["feature_id"] for o in objects[label["data_row_id"]]]
        assert {o["feature_schema_id"] for o in got["objects"]} <= {w.box}
    # The export: the rows, in the review queue at priority 2, with the copied labels.
    lines = await export_lines(w)
    assert [line["data_row"]["id"] for line in lines] == rows
    for line, label in zip(lines, labels, strict=True):
        section = line["projects"][w.dest]
        details = section["project_details"]
        assert (details["batch_name"], details["priority"], details["workflow_status"]) == ("copied", 2, "IN_REVIEW")
        assert [lab["id"] for lab in section["labels"]] == [label["id"]]
        assert section["labels"][0]["annotations"] == label["annotations"]
    sent = w.emu.sent_to_annotate()[-1]
    assert (sent["source"], sent["sourceProjectId"], sent["labelIds"]) == (
        "catalog",
        w.source,
        [label["id"] for label in labels],
    )


async def test_the_conflict_strategy_decides_for_rows_with_labels(world: World) -> None:
    w = world
    rows = w.rows[:2]
    params = SendToAnnotateParams(source_project_id=w.source, annotations_ontology_mapping=box_mapping(w, rows))
    first = await w.client.data_rows.send_to_annotate(w.dest, batch_name="first", data_row_ids=rows, params=params)
    await w.client.tasks.wait(first, poll_interval=0.01)
    before = [label["id"] for label in w.emu.imported_labels(w.dest)]
    # The rows are in the project already: they stay in their batch (no new one), and their labels are kept.
    again = await w.client.data_rows.send_to_annotate(w.dest, batch_name="again", data_row_ids=rows, params=params)
    assert (await w.client.tasks.wait(again, poll_interval=0.01)).succeeded
    assert [label["id"] for label in w.emu.imported_labels(w.dest)] == before
    assert w.emu.sent_to_annotate()[-1]["keptDataRowIds"] == rows
    assert [b.name async for b in w.client.batches.list(w.dest)] == ["first"]
    # Overridden: the old labels are deleted, new copies made.
    override = params.model_copy(
        update={"override_existing_annotations_rule": ConflictResolutionStrategy.OVERRIDE_WITH_ANNOTATIONS}
    )
    task = await w.client.data_rows.send_to_annotate(w.dest, batch_name="over", data_row_ids=rows, params=override)
    await w.client.tasks.wait(task, poll_interval=0.01)
    after = w.emu.imported_labels(w.dest)
    assert len(after) == 2 and not {label["id"] for label in after} & set(before)
    assert [label["data_row_id"] for label in after] == rows
    # Excluded: the rows already in the project are left out, the new ones make the batch.
    exclude = params.model_copy(update={"exclude_data_rows_in_project": True})
    task = await w.client.data_rows.send_to_annotate(
        w.dest, batch_name="new only", data_row_ids=w.rows[:4], params=exclude
    )
    await w.client.tasks.wait(task, poll_interval=0.01)
    assert w.emu.sent_to_annotate()[-1]["dataRowIds"] == w.rows[2:4]
    assert [pair async for pair in _sizes(w)] == [("first", 2), ("new only", 2)]
    assert len(w.emu.imported_labels(w.dest)) == 4


async def _sizes(w: World) -> AsyncIterator[tuple[str, int | None]]:
    async for b in w.client.batches.list(w.dest):
        yield b.name, b.size


def prediction(fsid: str, n: int) -> dict[str, Any]:
    """A model's prediction on a row (export shape): one box of feature ``fsid``."""
    box = {"top": n, "left": n, "height": 5, "width": 5}
    obj = {"feature_id": f"f{n}", "feature_schema_id": fsid, "name": "car", "annotation_kind": "ImageBoundingBox"}
    return {"id": f"p{n}", "annotations": {"objects": [{**obj, "bounding_box": box}], "classifications": []}}


async def a_run(w: World, rows: list[str]) -> str:
    """A model run over ``rows``, each with one prediction of feature ``src-car``."""
    oid = w.emu.backend.ontologies.upsert_ontology(
        {"name": "Cars", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}
    )
    model = await w.client.models.create("detector", ontology_id=oid)
    run = await w.client.model_runs.create(model.id, name="run")
    for n, rid in enumerate(rows):
        w.emu.backend.model_runs.add_predictions(run.id, rid, [prediction("src-car", n)])
    return run.id


async def test_predictions_of_a_run_become_pre_labels(world: World) -> None:
    w = world
    rows = w.rows[:3]
    run = await a_run(w, rows)
    params = {"source_model_run_id": run, "predictions_ontology_mapping": {"src-car": w.box}}
    task = await w.client.data_rows.send_to_annotate(
        w.dest,
        batch_name="predicted",
        global_keys=[w.emu.backend.world.global_key(0, i) for i in range(3)],
        params=params,
    )
    assert (await w.client.tasks.wait(task, poll_interval=0.01)).succeeded
    prelabels = w.emu.prelabels(w.dest)
    assert list(prelabels) == rows
    for n, rid in enumerate(rows):
        (only,) = prelabels[rid]
        assert only["objects"][0]["feature_schema_id"] == w.box
        assert (
            only["objects"][0]["bounding_box"] == prediction("src-car", n)["annotations"]["objects"][0]["bounding_box"]
        )
    # Pre-labels are not labels: the export shows the rows, in Done (no queue named), without labels.
    lines = await export_lines(w)
    assert [line["data_row"]["id"] for line in lines] == rows
    assert {line["projects"][w.dest]["project_details"]["workflow_status"] for line in lines} == {"DONE"}
    assert all(line["projects"][w.dest]["labels"] == [] for line in lines)
    # A second prediction on row 0; KEEP_EXISTING leaves the row's pre-labels as they were.
    w.emu.backend.model_runs.add_predictions(run, rows[0], [prediction("src-car", 9)])
    keep = await w.client.model_runs.send_to_annotate(
        run,
        project_id=w.dest,
        batch_name="again",
        data_row_ids=rows[:1],
        params={"predictions_ontology_mapping": {"src-car": w.box}},
    )
    await w.client.tasks.wait(keep, poll_interval=0.01)
    assert len(w.emu.prelabels(w.dest)[rows[0]][0]["objects"]) == 1
    # OVERRIDE_WITH_PREDICTIONS replaces them: both predictions now.
    override = await w.client.model_runs.send_to_annotate(
        run,
        project_id=w.dest,
        batch_name="again",
        data_row_ids=rows[:1],
        params={
            "predictions_ontology_mapping": {"src-car": w.box},
            "override_existing_annotations_rule": "OVERRIDE_WITH_PREDICTIONS",
        },
    )
    await w.client.tasks.wait(override, poll_interval=0.01)
    (replaced,) = w.emu.prelabels(w.dest)[rows[0]]
    assert [o["feature_id"] for o in replaced["objects"]] == ["f0", "f9"]
    assert [b.name async for b in w.client.batches.list(w.dest)] == ["predicted"]


async def test_a_mapping_leaves_unmapped_features_out_and_an_empty_one_sends_all(world: World) -> None:
    w = world
    run = await a_run(w, w.rows[:2])
    # Nothing mapped to a feature of this run: nothing goes as a pre-label (the rows go all the same).
    task = await w.client.model_runs.send_to_annotate(
        run,
        project_id=w.dest,
        batch_name="unmapped",
        data_row_ids=w.rows[:1],
        params={"predictions_ontology_mapping": {"other": w.box}},
    )
    await w.client.tasks.wait(task, poll_interval=0.01)
    assert w.emu.prelabels(w.dest) == {}
    assert [pair async for pair in _sizes(w)] == [("unmapped", 1)]
    task = await w.client.model_runs.send_to_annotate(
        run, project_id=w.dest, batch_name="as is", data_row_ids=w.rows[1:2]
    )
    await w.client.tasks.wait(task, poll_interval=0.01)
    assert w.emu.prelabels(w.dest)[w.rows[1]][0]["objects"][0]["feature_schema_id"] == "src-car"


async def test_upsert_predictions_and_send_to_project(world: World) -> None:
    w = world
    model = await w.client.models.create("detector", ontology_id=w.emu.project_ontology_id(w.dest) or "")
    run = await w.client.model_runs.create(model.id, name="run")
    rows = w.rows[:2]
    records = [
        {"dataRow": {"id": rid}, "name": "box", "uuid": f"u{n}", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}
        for n, rid in enumerate(rows)
    ]
    done = await w.client.model_runs.upsert_predictions_and_send_to_project(
        run.id, name="round 1", project_id=w.dest, predictions=records, priority=3, poll_interval=0.01
    )
    assert done.errors == () and done.data_row_ids == tuple(rows)
    assert done.batch is not None and (done.batch.name, done.batch.size) == ("round 1", 2)
    assert done.mal_import is not None and done.mal_import.kind.value == "MEAToMALPredictionImport"
    assert done.mea_import.state.value == "FINISHED"
    assert list(w.emu.predictions(run.id)) == rows
    assert list(w.emu.prelabels(w.dest)) == rows
    lines = await export_lines(w)
    assert [(line["data_row"]["id"], line["projects"][w.dest]["project_details"]["priority"]) for line in lines] == [
        (rid, 3) for rid in rows
    ]
    # Nothing imported (the row does not exist): no batch, no MAL import, and why.
    none = await w.client.model_runs.upsert_predictions_and_send_to_project(
        run.id,
        name="round 2",
        project_id=w.dest,
        poll_interval=0.01,
        predictions=[{**records[0], "dataRow": {"id": "cl_no_such_row_0000000000"}, "uuid": "u9"}],
    )
    assert (none.batch, none.mal_import, none.errors) == (None, None, ("no prediction was imported",))


async def test_what_the_server_refuses(world: World) -> None:
    w = world
    source = {"source_project_id": w.source}
    with pytest.raises(ResourceNotFoundError):
        await w.client.data_rows.send_to_annotate(
            "cl_no_such_project_000000", batch_name="b", data_row_ids=w.rows[:1], params=source
        )
    with pytest.raises(ResourceNotFoundError):
        await w.client.data_rows.send_to_annotate(
            w.dest, batch_name="b", data_row_ids=w.rows[:1], params={"source_project_id": "cl_no_such_project_0000"}
        )
    with pytest.raises(ResourceNotFoundError):
        await w.client.data_rows.send_to_annotate(
            w.dest, batch_name="b", data_row_ids=w.rows[:1], params={"source_model_run_id": "cl_no_such_run_000000"}
        )
    with pytest.raises(LabelboxError, match="not a feature schema of the destination project"):
        await w.client.data_rows.send_to_annotate(
            w.dest,
            batch_name="b",
            data_row_ids=w.rows[:1],
            params={**source, "annotations_ontology_mapping": {"x": "not-in-the-ontology"}},
        )
    first = await w.client.data_rows.send_to_annotate(w.dest, batch_name="b", data_row_ids=w.rows[:1], params=source)
    await w.client.tasks.wait(first, poll_interval=0.01)
    with pytest.raises(LabelboxError, match="already exists"):
        await w.client.data_rows.send_to_annotate(w.dest, batch_name="b", data_row_ids=w.rows[1:2], params=source)
    assert [b.name async for b in w.client.batches.list(w.dest)] == ["b"]
    # Unknown rows fail the task, named; the others are sent.
    task = await w.client.data_rows.send_to_annotate(
        w.dest, batch_name="c", data_row_ids=[w.rows[2], "cl_no_such_row_0000000000"], params=source
    )
    failed = await w.client.tasks.retrieve(task.id)
    assert json.loads(failed.result or "[]") == [{"id": "cl_no_such_row_0000000000", "error": "Data row not found"}]
    assert w.emu.sent_to_annotate()[-1]["dataRowIds"] == [w.rows[2]]


BAD_PARAMS: list[tuple[Any, str]] = [
    ({}, "params.source_project_id"),
    ({"source_project_id": "p", "source_model_run_id": "r"}, "params"),
    ({"source_project_id": " "}, "params.source_project_id"),
    ({"source_project_id": "p", "batch_priority": 0}, "params.batch_priority"),
    ({"source_project_id": "p", "annotations_ontology_mapping": {"": "f"}}, "params.annotations_ontology_mapping"),
    ({"source_project_id": "p", "exclude_data_rows_in_project": "maybe"}, "params.exclude_data_rows_in_project"),
    (
        {"source_project_id": "p", "override_existing_annotations_rule": "KeepExisting"},
        "params.override_existing_annotations_rule",
    ),
    ("source_project_id", "params"),
]
BAD_ROWS: list[tuple[dict[str, Any], str]] = [
    ({}, "data_row_ids"),
    ({"data_row_ids": ["a"], "global_keys": ["k"]}, "data_row_ids"),
    ({"data_row_ids": []}, "data_row_ids"),
    ({"data_row_ids": "cl_row"}, "data_row_ids"),
    ({"global_keys": ["k", ""]}, "global_keys[1]"),
    ({"data_row_ids": ["a"], "batch_name": " "}, "batch_name"),
    ({"data_row_ids": ["a"], "task_queue_id": 3}, "task_queue_id"),
]


async def test_bad_input_is_refused_before_any_request(world: World) -> None:
    w = world
    before = len(w.emu.api_requests())
    cases = [({"data_row_ids": w.rows[:1], "params": p}, argument) for p, argument in BAD_PARAMS]
    cases += [({"params": {"source_project_id": "p"}, **rows}, argument) for rows, argument in BAD_ROWS]
    for kwargs, argument in cases:
        with pytest.raises(InvalidArgumentError) as caught:
            await w.client.data_rows.send_to_annotate(w.dest, **{"batch_name": "b", **kwargs})
        assert caught.value.argument == argument, kwargs
    assert len(w.emu.api_requests()) == before
