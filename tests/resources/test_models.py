"""client.models and client.model_runs against the emulator: the lifecycle, rows, labels, splits, the export and
send to annotate; partial failures reported and nothing added twice; bad input refused before any request."""

from __future__ import annotations

import json
from typing import Any

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError, TaskFailedError, TaskStatus
from alabelbox.testing import Emulator
from alabelbox.types import ConflictResolutionStrategy, DataSplit, ExportRow, Model, ModelRun, SendToAnnotateParams

ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}


def ontology(emu: Emulator) -> str:
    return emu.backend.ontologies.upsert_ontology(
        {"name": "Boxes", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}
    )


async def new_run(client: Client, emu: Emulator, **config: Any) -> tuple[Model, ModelRun]:
    model = await client.models.create("detector", ontology_id=ontology(emu))
    return model, await client.model_runs.create(model.id, name="run", config=config or None)


def rows_of(emu: Emulator, d: int = 0) -> list[str]:
    """The data row ids of dataset ``d``, oldest first."""
    return list(reversed(emu.data_row_ids(emu.dataset_ids[d])))


async def test_models_and_runs_lifecycle(client: Client, emu: Emulator) -> None:
    oid = ontology(emu)
    model = await client.models.create("detector", ontology_id=oid)
    other = await client.models.create("other", ontology_id=oid)
    assert emu.model(model.id) == {**emu.model(model.id), "name": "detector", "ontologyId": oid}
    assert await client.models.retrieve(model.id) == model
    assert [m.id async for m in client.models.list()] == [model.id, other.id]
    assert [m.id async for m in client.models.list(name="other")] == [other.id]
    first = await client.model_runs.create(model.id, name="a", config={"lr": 0.1})
    second = await client.model_runs.create(model.id, name="b")
    assert [r.id async for r in client.model_runs.list(model.id, page_size=1)] == [first.id, second.id]
    assert (await client.model_runs.retrieve(first.id)).training_metadata == {"lr": 0.1}
    assert first.created_by == emu.user_id and first.model_id == model.id
    assert await client.model_runs.update_config(first.id, {"epochs": 2}) == {"lr": 0.1, "epochs": 2}
    assert emu.model_run(first.id)["trainingMetadata"] == {"lr": 0.1, "epochs": 2}
    await client.model_runs.reset_config(first.id)
    assert (await client.model_runs.retrieve(first.id)).training_metadata is None
    await client.model_runs.delete(second.id)
    assert [r.id async for r in client.model_runs.list(model.id)] == [first.id]
    with pytest.raises(ResourceNotFoundError):
        await client.model_runs.retrieve(second.id)
    # Deleting a model deletes its runs.
    await client.models.delete(model.id)
    assert [m.id async for m in client.models.list()] == [other.id]
    with pytest.raises(ResourceNotFoundError):
        await client.model_runs.retrieve(first.id)
    with pytest.raises(ResourceNotFoundError):
        await client.models.delete(model.id)


async def test_create_refuses_what_the_server_does_not_know(client: Client, emu: Emulator) -> None:
    with pytest.raises(ResourceNotFoundError):
        await client.models.create("m", ontology_id="cl_no_such_ontology_00000")
    with pytest.raises(ResourceNotFoundError):
        await client.model_runs.create("cl_no_such_model_000000000", name="r")


async def test_rows_and_labels_once_each_in_order(client: Client, emu: Emulator) -> None:
    _, run = await new_run(client, emu)
    rows = rows_of(emu, 1)
    keys = [(await client.data_rows.retrieve(r)).global_key or "" for r in rows[3:5]]
    done = await client.model_runs.upsert_data_rows(run.id, data_row_ids=rows[:3], poll_interval=0.01)
    assert done.status is TaskStatus.COMPLETE and done.error_message is None
    await client.model_runs.upsert_data_rows(run.id, global_keys=keys, data_row_ids=rows[:1], poll_interval=0.01)
    labels = emu.label_ids(emu.project_ids[0])[:2]
    await client.model_runs.upsert_labels(run.id, label_ids=[*labels, labels[0]], poll_interval=0.01)
    got = [r async for r in client.model_runs.data_rows(run.id, page_size=2)]
    truth = emu.model_run_rows(run.id)
    assert [r.data_row.id for r in got] == [t["data_row_id"] for t in truth]
    assert [r.data_row.id for r in got][:5] == rows[:5] and len(got) == 7
    assert [r.label_id for r in got][5:] == labels and all(r.label_id is None for r in got[:5])
    assert [r.id for r in got] == [t["id"] for t in truth]
    # Cursor pages of 2: four requests, the last without a cursor back.
    assert len(emu.api_requests("modelRunPyApi")) == 4
    await client.model_runs.remove_data_rows(run.id, [rows[0], "cl_not_in_the_run_000000000"])
    assert [t["data_row_id"] for t in emu.model_run_rows(run.id)][:2] == rows[1:3]


async def test_a_partial_failure_names_the_unknown_and_keeps_the_rest(client: Client, emu: Emulator) -> None:
    _, run = await new_run(client, emu)
    rows = rows_of(emu)
    unknown = ["cl_unknown_row_a000000000", "cl_unknown_row_b000000000"]
    with pytest.raises(TaskFailedError) as caught:
        await client.model_runs.upsert_data_rows(
            run.id, data_row_ids=[rows[0], unknown[0], rows[1]], global_keys=["no-such-key"], poll_interval=0.01
        )
    message = str(caught.value)
    assert "3 of 4 data rows" not in message and "2 of 4 data rows were not found" in message
    assert unknown[0] in message and "no-such-key" in message and rows[0] not in message
    assert caught.value.task_id and caught.value.errors and "no-such-key" in caught.value.errors[0]["message"]
    # The known rows went in, once.
    assert [t["data_row_id"] for t in emu.model_run_rows(run.id)] == rows[:2]
    with pytest.raises(TaskFailedError, match=unknown[1]):
        await client.model_runs.upsert_labels(run.id, label_ids=[unknown[1]], poll_interval=0.01)
    # A split for rows of which one is not in the run: the others are assigned, the one is named.
    with pytest.raises(TaskFailedError, match=rows[5]):
        await client.model_runs.assign_split(
            run.id, DataSplit.TEST, data_row_ids=[rows[0], rows[5]], poll_interval=0.01
        )
    assert [t["split"] for t in emu.model_run_rows(run.id)] == ["TEST", "UNASSIGNED"]
    await client.model_runs.assign_split(run.id, "UNASSIGNED", data_row_ids=[rows[0]], poll_interval=0.01)
    assert [r.data_split async for r in client.model_runs.data_rows(run.id)] == [DataSplit.UNASSIGNED] * 2
    # The split task went to the experimental endpoint, as the SDK sends it.
    assert all(r.path == "/_gql" for r in emu.api_requests("assignDataSplitPyApi"))


async def test_project_labels_and_the_export(client: Client, emu: Emulator) -> None:
    model, run = await new_run(client, emu)
    pid = emu.project_ids[2]
    await client.model_runs.upsert_labels(run.id, project_id=pid, poll_interval=0.01)
    rows = rows_of(emu, 2)
    await client.model_runs.assign_split(run.id, "VALIDATION", data_row_ids=rows[:3], poll_interval=0.01)
    emu.backend.model_runs.add_predictions(run.id, rows[0], [{"id": "p1", "annotations": {"objects": []}}])
    task = await client.exports.create_and_poll(model_run_id=run.id, params={"predictions": True}, poll_interval=0.01)
    async with client.exports.stream(task, model=None) as stream:
        lines: list[dict[str, Any]] = [record.value async for record in stream]
    truth = emu.model_run_rows(run.id)
    assert len(lines) == len(truth) == len(emu.label_ids(pid))
    assert [line["data_row"]["id"] for line in lines] == [t["data_row_id"] for t in truth]
    entry = lines[0]["experiments"][model.id]["runs"][run.id]
    assert lines[0]["experiments"][model.id]["name"] == "detector" and entry["name"] == "run"
    assert entry["split"] == "validation" and entry["run_data_row_id"] == truth[0]["id"]
    assert [label["id"] for label in entry["labels"]] == truth[0]["label_ids"]
    assert entry["predictions"] == [{"id": "p1", "annotations": {"objects": []}}]
    last = lines[-1]["experiments"][model.id]["runs"][run.id]
    assert "split" not in last and last["predictions"] == []
    # The typed reader takes the lines as they are.
    typed = ExportRow.model_validate(lines[0])
    assert typed.experiments is not None and model.id in typed.experiments


async def test_send_to_annotate(client: Client, emu: Emulator) -> None:
    _, run = await new_run(client, emu)
    rows = rows_of(emu)
    await client.model_runs.upsert_data_rows(run.id, data_row_ids=rows[:3], poll_interval=0.01)
    pid = emu.project_ids[1]
    queue = emu.backend.projects.task_queues(1)[0]["id"]
    task = await client.model_runs.send_to_annotate(
        run.id,
        project_id=pid,
        batch_name="review",
        data_row_ids=rows[:2],
        task_queue_id=queue,
        params=SendToAnnotateParams(
            override_existing_annotations_rule=ConflictResolutionStrategy.OVERRIDE_WITH_PREDICTIONS, batch_priority=1
        ),
    )
    assert (await client.tasks.wait(task, poll_interval=0.01)).succeeded
    sent = emu.sent_to_annotate()[-1]
    assert (sent["projectId"], sent["batchName"], sent["batchPriority"], sent["taskQueue"]) == (pid, "review", 1, queue)
    assert sent["dataRowIds"] == rows[:2] and sent["conflictLabelsResolutionStrategy"] == "OVERRIDE_WITH_PREDICTIONS"
    # A row that is not in the run fails the task, named; the others are sent.
    task = await client.model_runs.send_to_annotate(
        run.id, project_id=pid, batch_name="more", data_row_ids=[rows[2], rows[9]]
    )
    with pytest.raises(TaskFailedError, match=rows[9]):
        await client.tasks.wait(task, poll_interval=0.01)
    failed = await client.tasks.retrieve(task.id)
    assert json.loads(failed.result) == [{"id": rows[9], "error": "Data row is not in the model run"}]
    assert emu.sent_to_annotate()[-1]["dataRowIds"] == [rows[2]] and emu.sent_to_annotate()[-1]["taskQueue"] is None
    with pytest.raises(ResourceNotFoundError):
        await client.model_runs.send_to_annotate(
            run.id, project_id=pid, batch_name="x", data_row_ids=rows[:1], task_queue_id="cl_not_a_queue_0000000000"
        )


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda c: c.models.create(" ", ontology_id="o"), "name"),
        (lambda c: c.models.create("m", ontology_id=""), "ontology_id"),
        (lambda c: c.model_runs.create("m", name="r", config=[1]), "config"),
        (lambda c: c.model_runs.upsert_data_rows("r"), "data_row_ids"),
        (lambda c: c.model_runs.upsert_data_rows("r", data_row_ids="cl1"), "data_row_ids"),
        (lambda c: c.model_runs.upsert_data_rows("r", data_row_ids=["a", ""]), "data_row_ids[1]"),
        (lambda c: c.model_runs.upsert_data_rows("r", global_keys=["k", 3]), "global_keys[1]"),
        (lambda c: c.model_runs.upsert_labels("r"), "label_ids"),
        (lambda c: c.model_runs.upsert_labels("r", label_ids=["l"], project_id="p"), "label_ids"),
        (lambda c: c.model_runs.assign_split("r", "train", data_row_ids=["a"]), "split"),
        (lambda c: c.model_runs.remove_data_rows("r", []), "data_row_ids"),
        (lambda c: c.model_runs.update_config("r", None), "config"),
        (lambda c: c.model_runs.update_status("r", "DONE"), "status"),
        (lambda c: c.model_runs.update_status("r", "COMPLETE", metadata=[1]), "metadata"),
        (lambda c: c.model_runs.send_to_annotate("r", project_id="p", batch_name="b"), "data_row_ids"),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], global_keys=["k"]
            ),
            "data_row_ids",
        ),
        (
            lambda c: c.model_runs.send_to_annotate("r", project_id="p", batch_name="", data_row_ids=["a"]),
            "batch_name",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], params={"batch_priority": 6}
            ),
            "params.batch_priority",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], params={"batch_priority": "1"}
            ),
            "params.batch_priority",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r",
                project_id="p",
                batch_name="b",
                data_row_ids=["a"],
                params={"override_existing_annotations_rule": "WIN"},
            ),
            "params.override_existing_annotations_rule",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], params={"batch_prio": 1}
            ),
            "params.batch_prio",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], params={"source_project_id": "p2"}
            ),
            "params.source_project_id",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r", project_id="p", batch_name="b", data_row_ids=["a"], params={"source_model_run_id": "r2"}
            ),
            "params.source_model_run_id",
        ),
        (
            lambda c: c.model_runs.send_to_annotate(
                "r",
                project_id="p",
                batch_name="b",
                data_row_ids=["a"],
                params={"predictions_ontology_mapping": {"f": ""}},
            ),
            "params.predictions_ontology_mapping",
        ),
        (
            lambda c: c.model_runs.upsert_predictions_and_send_to_project(
                "r", name="n", project_id="p", predictions=[], priority=0
            ),
            "priority",
        ),
    ],
)
async def test_bad_input_is_refused_before_any_request(client: Client, emu: Emulator, call: Any, argument: str) -> None:
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError) as caught:
        await call(client)
    assert caught.value.argument == argument
    assert len(emu.api_requests()) == before


async def test_a_status_poll_that_fails_with_a_5xx_is_retried(client: Client, emu: Emulator) -> None:
    _, run = await new_run(client, emu)
    rows = rows_of(emu)
    # The registration mutation is request n + 1; its first status poll, n + 2, answers 503.
    n = emu.faults.api_requests
    emu.faults.http_error(503, nth=[n + 2])
    done = await client.model_runs.upsert_data_rows(run.id, data_row_ids=rows[:2], poll_interval=0.01)
    assert done.succeeded
    assert [r.status for r in emu.api_requests()][n + 1 : n + 3] == [[503], [200]]
    assert emu.api_requests()[n + 2].operation_name == "MEADataRowRegistrationTaskStatusPyApi"
    assert [t["data_row_id"] for t in emu.model_run_rows(run.id)] == rows[:2]


async def test_send_to_annotate_can_skip_rows_already_in_the_project(client: Client, emu: Emulator) -> None:
    _, run = await new_run(client, emu)
    inside, outside = rows_of(emu, 0)[:2], rows_of(emu, 1)[:2]  # project 0 holds the rows of dataset 0
    await client.model_runs.upsert_data_rows(run.id, data_row_ids=[*inside, *outside], poll_interval=0.01)
    task = await client.model_runs.send_to_annotate(
        run.id,
        project_id=emu.project_ids[0],
        batch_name="new rows only",
        data_row_ids=[*inside, *outside],
        params={"exclude_data_rows_in_project": True},
    )
    assert (await client.tasks.wait(task, poll_interval=0.01)).succeeded
    assert emu.sent_to_annotate()[-1]["dataRowIds"] == outside
