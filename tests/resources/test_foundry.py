"""client.foundry against the emulator: apps read, created and deleted; running an app makes a run of the app's model
holding the rows and their predictions, which the run's export carries; partial failures name the unknown rows; bad
input is refused before any request."""

from __future__ import annotations

from typing import Any

import pytest

from alabelbox import (
    Client,
    InvalidArgumentError,
    LabelboxError,
    ResourceNotFoundError,
    TaskFailedError,
    TaskStatus,
)
from alabelbox.testing import Emulator
from alabelbox.types import FoundryApp


def rows_of(emu: Emulator, d: int = 0) -> list[str]:
    """The data row ids of dataset ``d``, oldest first."""
    return list(reversed(emu.data_row_ids(emu.dataset_ids[d])))


def without_ids(value: Any) -> Any:
    """``value`` without its ``feature_id`` members (new ones in every run)."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "feature_id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


async def test_a_seeded_app_reads_as_the_emulator_holds_it(client: Client, emu: Emulator) -> None:
    foundry = emu.backend.foundry
    for p in range(len(emu.project_ids)):
        app = await client.foundry.retrieve_app(foundry.app_id(p))
        truth = foundry.apps.get(p)
        assert app.model_dump(by_alias=True) == truth
        # The mapping names feature schemas of the app's ontology, which is project p's.
        assert app.ontology_id == emu.project_ontology_id(emu.project_ids[p])
        assert set(app.class_to_schema_id.values()) <= set(emu.feature_schema_ids(emu.project_ids[p]))
    with pytest.raises(ResourceNotFoundError, match="no-such-app"):
        await client.foundry.retrieve_app("no-such-app")
    # A missing app is a client error: asked once, not retried.
    assert len(emu.api_requests("GetFoundryAppByIdPyApi")) == len(emu.project_ids) + 1


async def test_running_an_app_makes_a_run_of_predictions(client: Client, emu: Emulator) -> None:
    app = await client.foundry.retrieve_app(emu.backend.foundry.app_id(0))
    rows = rows_of(emu)[:4]
    task = await client.foundry.run_app(app, model_run_name="prelabels", data_row_ids=rows)
    done = await client.tasks.wait(task, poll_interval=0.01)
    assert done.status is TaskStatus.COMPLETE and done.type == "foundry-model-job"
    # The run belongs to the app's model, which the organization now has.
    model = await client.models.retrieve(app.model_id)
    assert model.ontology_id == app.ontology_id
    (run,) = [r async for r in client.model_runs.list(app.model_id)]
    assert (run.name, run.model_app_id, run.created_by) == ("prelabels", app.id, emu.user_id)
    truth = emu.model_run_rows(run.id)
    assert [t["data_row_id"] for t in truth] == rows
    assert [r.data_row.id async for r in client.model_runs.data_rows(run.id)] == rows
    # Every row has one prediction, only of mapped feature schemas.
    mapped = set(app.class_to_schema_id.values())
    for t in truth:
        (prediction,) = t["predictions"]
        annotations = prediction["annotations"]
        used = {o["feature_schema_id"] for o in [*annotations["objects"], *annotations["classifications"]]}
        assert annotations["objects"] and used <= mapped
    # The export of the run carries them, as stored.
    export = await client.exports.create_and_poll(model_run_id=run.id, params={"predictions": True}, poll_interval=0.01)
    async with client.exports.stream(export, model=None) as stream:
        lines: list[dict[str, Any]] = [record.value async for record in stream]
    assert [line["data_row"]["id"] for line in lines] == rows
    for line, t in zip(lines, truth, strict=True):
        assert line["experiments"][app.model_id]["runs"][run.id]["predictions"] == t["predictions"]
    # The same app on the same rows predicts the same; by id, the app is looked up first.
    again = await client.foundry.run_app(app.id, model_run_name="again", global_keys=[emu.world.global_key(0, 0)])
    await client.tasks.wait(again, poll_interval=0.01)
    runs = [r async for r in client.model_runs.list(app.model_id)]
    assert [r.name for r in runs] == ["prelabels", "again"]
    (row,) = emu.model_run_rows(runs[1].id)
    assert row["data_row_id"] == rows[0]
    assert without_ids(row["predictions"][0]["annotations"]) == without_ids(truth[0]["predictions"][0]["annotations"])


async def test_a_run_with_unknown_rows_predicts_the_known_and_names_the_others(client: Client, emu: Emulator) -> None:
    rows = rows_of(emu)[:2]
    app = await client.foundry.retrieve_app(emu.backend.foundry.app_id(0))
    task = await client.foundry.run_app(app, model_run_name="partial", data_row_ids=[*rows, "no-such-row"])
    with pytest.raises(TaskFailedError, match="1 of 3 data rows were not found: no-such-row"):
        await client.tasks.wait(task, poll_interval=0.01)
    (run,) = [r async for r in client.model_runs.list(app.model_id)]
    assert [t["data_row_id"] for t in emu.model_run_rows(run.id)] == rows


async def test_apps_are_created_and_deleted(client: Client, emu: Emulator) -> None:
    base = await client.foundry.retrieve_app(emu.backend.foundry.app_id(0))
    box = {"damage": base.class_to_schema_id["damage"]}
    app = await client.foundry.create_app(
        "boxes", model_id=base.model_id, ontology_id=base.ontology_id, class_to_schema_id=box, description="only boxes"
    )
    assert isinstance(app, FoundryApp) and app.id != base.id
    assert (app.name, app.description, app.inference_params, app.class_to_schema_id) == ("boxes", "only boxes", {}, box)
    assert await client.foundry.retrieve_app(app.id) == app
    task = await client.foundry.run_app(app, model_run_name="boxes", data_row_ids=rows_of(emu)[:3])
    await client.tasks.wait(task, poll_interval=0.01)
    (run,) = [r async for r in client.model_runs.list(app.model_id)]
    for t in emu.model_run_rows(run.id):
        annotations = t["predictions"][0]["annotations"]
        assert annotations["classifications"] == []
        assert {o["annotation_kind"] for o in annotations["objects"]} == {"ImageBoundingBox"}
    await client.foundry.delete_app(app.id)
    with pytest.raises(ResourceNotFoundError):
        await client.foundry.retrieve_app(app.id)
    with pytest.raises(ResourceNotFoundError):
        await client.foundry.delete_app(app.id)
    with pytest.raises(ResourceNotFoundError):
        await client.foundry.run_app(app, model_run_name="gone", data_row_ids=rows_of(emu)[:1])
    # Its run stays.
    assert [r.id async for r in client.model_runs.list(app.model_id)] == [run.id]
    # The server checks the mapping against the ontology.
    with pytest.raises(LabelboxError, match="'nope' are not in ontology"):
        await client.foundry.create_app(
            "bad", model_id=base.model_id, ontology_id=base.ontology_id, class_to_schema_id={"nope": "c0000"}
        )
    with pytest.raises(ResourceNotFoundError, match="Foundry model"):
        await client.foundry.create_app(
            "bad", model_id="no-such-model", ontology_id=base.ontology_id, class_to_schema_id=box
        )


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"model_run_name": " ", "data_row_ids": ["r"]}, "model_run_name"),
        ({"model_run_name": "x"}, "data_row_ids"),
        ({"model_run_name": "x", "data_row_ids": "r1"}, "data_row_ids"),
        ({"model_run_name": "x", "data_row_ids": ["r1", ""]}, "data_row_ids[1]"),
        ({"model_run_name": "x", "data_row_ids": ["r1"], "global_keys": ["k"]}, "global_keys"),
    ],
)
async def test_bad_run_input_is_refused_before_any_request(
    client: Client, emu: Emulator, kwargs: dict[str, Any], argument: str
) -> None:
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError) as caught:
        await client.foundry.run_app(emu.backend.foundry.app_id(0), **kwargs)
    assert caught.value.argument == argument
    assert len(emu.api_requests()) == before


async def test_bad_app_input_is_refused_before_any_request(client: Client, emu: Emulator) -> None:
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError, match="class_to_schema_id\\['car'\\]"):
        await client.foundry.create_app("x", model_id="m", ontology_id="o", class_to_schema_id={"car": ""})
    with pytest.raises(InvalidArgumentError, match="name"):
        await client.foundry.create_app("", model_id="m", ontology_id="o", class_to_schema_id={"car": "s"})
    with pytest.raises(InvalidArgumentError, match="inference_params"):
        await client.foundry.create_app(
            "x",
            model_id="m",
            ontology_id="o",
            class_to_schema_id={"car": "s"},
            inference_params=[1],  # type: ignore[arg-type]
        )
    assert len(emu.api_requests()) == before
