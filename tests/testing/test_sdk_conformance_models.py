"""The official labelbox SDK (7.17.0), unmodified, works with models and model runs against the emulator.

It creates a model and a run with a config, upserts data rows (by id and by global key) and labels (by id and by
project), assigns data splits, lists the run's data rows, updates and resets the config, exports the run, sends rows
to a project for annotation, and deletes; every test checks what the SDK read back against the emulator's truth,
and alabelbox reads back exactly the same. (A file of its own beside ``test_sdk_conformance.py``, whose helpers it
shares.)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import ModelRunStatus

from .test_sdk_conformance import in_thread, lbox_exceptions, no_external_network

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest

ONTOLOGY = {
    "tools": [{"tool": "rectangle", "name": "box"}],
    "classifications": [],
}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    # Tasks end at once: the SDK's model-run waits sleep 5 s between two looks.
    async with Emulator(seed=11, projects=2, data_rows=40, shard_bytes=20_000, task_seconds=0.0) as e:
        yield e


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key,
        endpoint=emu.endpoint,
        app_url=emu.url,
        rest_endpoint=emu.url + "/api/v1",
        enable_experimental=True,
    )


def setup_run(emu: Emulator) -> tuple[Any, Any, Any]:
    client = sdk(emu)
    ontology = client.create_ontology("Boxes", ONTOLOGY, media_type=labelbox.MediaType.Image)
    model = client.create_model("detector", ontology.uid)
    run = model.create_model_run("run 1", {"lr": 0.01, "epochs": 3})
    return client, model, run


async def test_sdk_creates_lists_and_deletes_models_and_runs(emu: Emulator, no_external_network: list[Any]) -> None:
    def run() -> dict[str, Any]:
        client, model, first = setup_run(emu)
        second = model.create_model_run("run 2")
        other = client.create_model("other", model.ontology_id)
        got = {
            "model": model,
            "again": client.get_model(model.uid),
            "models": [m.uid for m in client.get_models()],
            "named": [m.uid for m in client.get_models(where=labelbox.Model.name == "other")],
            "runs": [r.uid for r in model.model_runs()],
            "first": first,
            "fetched": client.get_model_run(first.uid),
            "other": other,
        }
        got["cost"] = (got["fetched"].total_cost, got["fetched"].total_data_rows)  # no Foundry run: None
        first.update_status("FAILED", metadata={"stage": "eval"}, error_message="diverged")
        second.delete()
        got["runs_after"] = [r.uid for r in model.model_runs()]
        other.delete()
        got["models_after"] = [m.uid for m in client.get_models()]
        with pytest.raises(lbox_exceptions.ResourceNotFoundError):
            client.get_model_run(second.uid)
        with pytest.raises(lbox_exceptions.ResourceNotFoundError):
            client.get_model(other.uid)
        return got

    got = await in_thread(run)
    model, first = got["model"], got["first"]
    truth = emu.model(model.uid)
    assert got["again"].name == "detector" == truth["name"]
    assert got["again"].ontology_id == truth["ontologyId"] == model.ontology_id
    assert got["models"] == [model.uid, got["other"].uid]
    assert got["named"] == [got["other"].uid]
    assert len(got["runs"]) == 2 and got["runs"][0] == first.uid
    run_truth = emu.model_run(first.uid)
    fetched = got["fetched"]
    assert fetched.name == "run 1" == run_truth["name"] and fetched.model_id == model.uid
    assert fetched.training_metadata == {"lr": 0.01, "epochs": 3} == run_truth["trainingMetadata"]
    assert fetched.created_by_id == emu.user_id
    assert got["cost"] == (None, None)
    pipeline = {"status": "FAILED", "errorMessage": "diverged", "metadata": {"stage": "eval"}}
    assert emu.model_run(first.uid)["trainingPipeline"] == pipeline
    assert got["runs_after"] == [first.uid]
    assert got["models_after"] == [model.uid]
    assert no_external_network == []

    # alabelbox reads back the same.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        await client.model_runs.update_status(
            first.uid, ModelRunStatus.FAILED, metadata={"stage": "eval"}, error_message="diverged"
        )
        assert emu.model_run(first.uid)["trainingPipeline"] == pipeline
        sdk_sent, mine_sent = (r for r in emu.api_requests("setPipelineStatusPyApi"))
        assert (sdk_sent.path, sdk_sent.variables) == (mine_sent.path, mine_sent.variables)
        mine = await client.models.retrieve(model.uid)
        assert (mine.id, mine.name, mine.ontology_id) == (model.uid, "detector", model.ontology_id)
        assert [m.id async for m in client.models.list()] == [model.uid]
        runs = [r async for r in client.model_runs.list(model.uid)]
        assert [(r.id, r.name, r.training_metadata) for r in runs] == [(first.uid, "run 1", {"lr": 0.01, "epochs": 3})]


async def test_sdk_upserts_rows_labels_and_splits(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]
    rows = list(reversed(emu.data_row_ids(emu.dataset_ids[1])))
    labels = emu.label_ids(pid)  # labels of the rows of the other dataset

    def run() -> dict[str, Any]:
        client, _, mr = setup_run(emu)
        mr.upsert_data_rows(data_row_ids=rows[:3])
        keys = [client.get_data_row(rid).global_key for rid in rows[3:5]]
        mr.upsert_data_rows(global_keys=keys)
        mr.upsert_data_rows(data_row_ids=rows[:2])  # again: nothing is added twice
        mr.upsert_labels(label_ids=labels[:2])
        mr.assign_data_rows_to_split(data_row_ids=rows[:2], split="TRAINING")
        mr.assign_data_rows_to_split(global_keys=keys, split=labelbox.DataSplit.TEST)
        failed = None
        try:
            mr.upsert_data_rows(data_row_ids=[rows[5], "cl000000000000000000000000"])
        except Exception as exc:  # the SDK raises a bare Exception("Job failed.")
            failed = str(exc)
        listed = list(mr.model_run_data_rows())
        mr.delete_model_run_data_rows([rows[2]])
        after = [r.data_row().uid for r in mr.model_run_data_rows()]
        mr.upsert_labels(project_id=pid)
        return {"run": mr, "keys": keys, "failed": failed, "listed": listed, "after": after}

    got = await in_thread(run)
    mr = got["run"]
    assert got["failed"] == "Job failed."
    truth = emu.model_run_rows(mr.uid)
    by_row = {r["data_row_id"]: r for r in truth}
    listed = got["listed"]
    # Rows once each, in the order they were added: 5 upserted, 2 labelled, the good one of the failed task.
    assert [r.data_row().uid for r in listed][:5] == rows[:5]
    assert len(listed) == 5 + 2 + 1 and [r.data_row().uid for r in listed][7] == rows[5]
    assert {r.uid for r in listed if r.data_row().uid != rows[2]} <= {t["id"] for t in truth}
    assert [r.data_split.value for r in listed][:5] == ["TRAINING", "TRAINING", "UNASSIGNED", "TEST", "TEST"]
    assert [r.label_id for r in listed][5:7] == labels[:2]
    assert all(r.model_run_id == mr.uid for r in listed)
    assert got["after"] == [r.data_row().uid for r in listed if r.data_row().uid != rows[2]]
    assert rows[2] not in by_row and by_row[rows[0]]["split"] == "TRAINING"
    # The project's labels came in too: every live label of the project, on its row.
    project_labels = set(emu.label_ids(pid))
    assert project_labels <= {lid for r in truth for lid in r["label_ids"]}
    assert no_external_network == []

    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = [r async for r in client.model_runs.data_rows(mr.uid)]
        assert [(r.id, r.data_row.id, r.data_split, r.label_id) for r in mine] == [
            (t["id"], t["data_row_id"], t["split"], (t["label_ids"] or [None])[0]) for t in truth
        ]


async def test_sdk_config_export_and_send_to_annotate(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[1]
    labels = emu.label_ids(emu.project_ids[0])[:3]
    feature = emu.feature_schema_ids(pid)[0]

    def run() -> dict[str, Any]:
        client, _, mr = setup_run(emu)
        updated = mr.update_config({"epochs": 5, "optimizer": "adam"})
        config = mr.get_config()
        mr.upsert_labels(label_ids=labels)
        export = mr.export("run export", params={"predictions": True})
        export.wait_till_done()
        lines = [o.json for o in export.get_buffered_stream()]
        project = client.get_project(pid)
        queue = project.task_queues()[0]
        rows = [r.data_row().uid for r in mr.model_run_data_rows()]
        task = mr.send_to_annotate_from_model(
            destination_project_id=pid,
            task_queue_id=queue.uid,
            batch_name="to fix",
            data_rows=labelbox.DataRowIds(rows[:2]),
            params={"predictions_ontology_mapping": {"a": feature}, "batch_priority": 2},
        )
        task.wait_till_done()
        reset = mr.reset_config()
        return {
            "run": mr,
            "updated": updated,
            "config": config,
            "lines": lines,
            "task": task,
            "rows": rows,
            "queue": queue.uid,
            "reset": reset,
        }

    got = await in_thread(run)
    mr = got["run"]
    assert got["updated"] == {"trainingMetadata": {"lr": 0.01, "epochs": 5, "optimizer": "adam"}}
    assert got["config"] == {"lr": 0.01, "epochs": 5, "optimizer": "adam"}
    assert got["reset"] == {"trainingMetadata": None} and emu.model_run(mr.uid)["trainingMetadata"] is None
    truth = emu.model_run_rows(mr.uid)
    lines = got["lines"]
    assert [line["data_row"]["id"] for line in lines] == [t["data_row_id"] for t in truth]
    model_id = emu.model_run(mr.uid)["modelId"]
    for line, t in zip(lines, truth, strict=True):
        entry = line["experiments"][model_id]["runs"][mr.uid]
        assert entry["run_data_row_id"] == t["id"] and entry["name"] == "run 1"
        assert [label["id"] for label in entry["labels"]] == t["label_ids"]
        assert entry["predictions"] == []
        assert "projects" not in line
    assert got["task"].status == "COMPLETE"
    sent = emu.sent_to_annotate()
    assert len(sent) == 1
    assert sent[0]["projectId"] == pid and sent[0]["batchName"] == "to fix" and sent[0]["batchPriority"] == 2
    assert sent[0]["taskQueue"] == got["queue"] and sent[0]["dataRowIds"] == got["rows"][:2]
    assert sent[0]["featureSchemaIdsMapping"] == {"a": feature}
    assert no_external_network == []

    # alabelbox reads the same export.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        task = await client.exports.create_and_poll(model_run_id=mr.uid, params={"predictions": True})
        async with client.exports.stream(task, model=None) as stream:
            mine = [row.value async for row in stream]
        assert mine == lines


async def test_sdk_send_to_annotate_by_global_keys_reports_what_it_could_not_send(
    emu: Emulator, no_external_network: list[Any]
) -> None:
    rows = list(reversed(emu.data_row_ids(emu.dataset_ids[0])))[:3]

    def run() -> dict[str, Any]:
        client, _, mr = setup_run(emu)
        mr.upsert_data_rows(data_row_ids=rows[:2])
        keys = [client.get_data_row(rid).global_key for rid in rows]  # the third is not in the run
        task = mr.send_to_annotate_from_model(
            destination_project_id=emu.project_ids[1],
            task_queue_id=None,
            batch_name="by keys",
            data_rows=labelbox.GlobalKeys([*keys, "no-such-key"]),
            params={"exclude_data_rows_in_project": True},
        )
        task.wait_till_done()
        return {"task": task, "keys": keys}

    got = await in_thread(run)
    task = got["task"]
    assert task.status == "FAILED"
    # The SDK reads a failed send-to-annotate task's errors from its result: one per row not sent.
    assert task.errors == [
        {"id": "no-such-key", "error": "Data row not found"},
        {"id": rows[2], "error": "Data row is not in the model run"},
    ]
    sent = emu.sent_to_annotate()[-1]
    assert sent["dataRowIds"] == rows[:2] and sent["taskQueue"] is None and sent["excludeDataRowsInProject"]
    assert no_external_network == []
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = await client.tasks.retrieve(task.uid)
        assert (mine.status.value, mine.type) == ("FAILED", task.type) == ("FAILED", "send-to-annotate")
        assert json.loads(mine.result) == task.errors and "no-such-key" in mine.errors
