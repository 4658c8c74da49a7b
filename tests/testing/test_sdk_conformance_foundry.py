"""The official labelbox SDK (7.17.0), unmodified, runs a Foundry app against the emulator.

``client.run_foundry_app(...)`` looks the app up, starts the model job and returns its task, which
``wait_till_done`` sees COMPLETE; the run it made is one of the app's model (``model.model_runs()``), with the rows and
the model's predictions the emulator holds, and its cost. alabelbox reads back the same app, the same run and the
same rows, and sends the same requests. (A file of its own beside ``test_sdk_conformance.py``, whose helpers it
shares.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator

from .test_sdk_conformance import in_thread, lbox_exceptions, no_external_network

labelbox = pytest.importorskip("labelbox")
foundry_client = pytest.importorskip("labelbox.schema.foundry.foundry_client")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    # Tasks end at once: wait_till_done sleeps 2 s between two looks.
    async with Emulator(seed=5, projects=3, data_rows=30, task_seconds=0.0) as e:
        yield e


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
    )


async def test_sdk_runs_a_foundry_app_and_alabelbox_reads_the_same_run(
    emu: Emulator, no_external_network: list[Any]
) -> None:
    app_id = emu.backend.foundry.app_id(0)
    rows = list(reversed(emu.data_row_ids(emu.dataset_ids[0])))[:3]
    keys = [emu.world.global_key(0, i) for i in (5, 6)]

    def run() -> dict[str, Any]:
        client = sdk(emu)
        got: dict[str, Any] = {"app": foundry_client.FoundryClient(client)._get_app(app_id)}
        task = client.run_foundry_app("by ids", labelbox.DataRowIds(rows), app_id)
        task.wait_till_done()
        by_keys = client.run_foundry_app("by keys", labelbox.GlobalKeys(keys), app_id)
        by_keys.wait_till_done()
        got["tasks"] = [(t.uid, t.status, t.type) for t in (task, by_keys)]
        model = client.get_model(got["app"].model_id)
        got["runs"] = runs = list(model.model_runs())
        got["rows"] = [[r.data_row().uid for r in run.model_run_data_rows()] for run in runs]
        got["cost"] = [(r.total_cost, r.total_data_rows) for r in runs]
        with pytest.raises(lbox_exceptions.ResourceNotFoundError):
            foundry_client.FoundryClient(client)._get_app("no-such-app")
        return got

    got = await in_thread(run)
    app = got["app"]
    truth = emu.backend.foundry.apps.get(0)
    assert app.model_dump(by_alias=True) == truth
    assert [status for _, status, _ in got["tasks"]] == ["COMPLETE", "COMPLETE"]
    runs = got["runs"]
    assert [(r.name, r.model_app_id, r.model_id) for r in runs] == [
        ("by ids", app_id, app.model_id),
        ("by keys", app_id, app.model_id),
    ]
    key_rows = [emu.world.row_id(0, i) for i in (5, 6)]
    assert got["rows"][0] == rows == [t["data_row_id"] for t in emu.model_run_rows(runs[0].uid)]
    assert sorted(got["rows"][1]) == sorted(key_rows)
    assert got["cost"] == [(0.006, 3), (0.004, 2)]
    assert all(t["predictions"] for run in runs for t in emu.model_run_rows(run.uid))
    assert no_external_network == []

    # alabelbox reads back the same app, runs and rows, and runs the app with the same requests.
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        mine = await client.foundry.retrieve_app(app_id)
        assert mine.model_dump(by_alias=True) == app.model_dump(by_alias=True)
        listed = [r async for r in client.model_runs.list(app.model_id)]
        assert [(r.id, r.name, r.model_app_id) for r in listed] == [(r.uid, r.name, r.model_app_id) for r in runs]
        assert [r.data_row.id async for r in client.model_runs.data_rows(runs[0].uid)] == rows
        task = await client.foundry.run_app(app_id, model_run_name="by ids", data_row_ids=rows)
        assert (await client.tasks.wait(task, poll_interval=0.01)).succeeded
        for operation in ("GetFoundryAppByIdPyApi", "CreateModelJobPyApi"):
            sent = emu.api_requests(operation)
            assert sent[-1].variables == sent[0].variables, operation
        third = [r async for r in client.model_runs.list(app.model_id)][-1]
        assert [t["data_row_id"] for t in emu.model_run_rows(third.id)] == rows
