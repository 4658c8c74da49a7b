"""The official labelbox SDK (7.17.0), unmodified, follows the relationships of its objects against the emulator, and
alabelbox reads the same values: a data row's dataset, creator, organization and labels, a dataset's creator and
organization, a label's project, a project's labels in a chosen order, and the user's created tasks. (A file of its
own beside ``test_sdk_conformance.py``, whose helpers it shares.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator
from alabelbox.types import LabelOrder

from .test_sdk_conformance import in_thread, no_external_network

labelbox = pytest.importorskip("labelbox")

pytestmark = pytest.mark.sdk

__all__ = ["no_external_network"]  # a fixture, re-exported for pytest


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with Emulator(seed=9, projects=2, data_rows=30, task_seconds=0.0) as e:
        yield e


def sdk(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key, endpoint=emu.endpoint, app_url=emu.url, rest_endpoint=emu.url + "/api/v1"
    )


async def test_sdk_and_alabelbox_follow_the_same_relationships(emu: Emulator, no_external_network: list[Any]) -> None:
    pid, dataset_id = emu.project_ids[0], emu.dataset_ids[0]
    row_id = emu.data_row_ids(dataset_id)[4]
    label_id = emu.label_ids(pid)[2]
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        export = await client.exports.create(project_id=pid)
    await emu.wait_task(export.id)

    def run() -> dict[str, Any]:
        client = sdk(emu)
        row = client.get_data_row(row_id)
        dataset = client.get_dataset(dataset_id)
        project = client.get_project(pid)
        with pytest.warns(DeprecationWarning, match="order_by"):  # deprecated in the SDK, still sent and served
            newest = list(project.labels(order_by=labelbox.Label.created_at.desc))
        label = next(lb for lb in project.labels() if lb.uid == label_id)
        return {
            "row": (row.dataset().uid, row.created_by().uid, row.organization().uid),
            "row_labels": [lb.uid for lb in row.labels()],
            "dataset": (dataset.created_by().uid, dataset.organization().uid),
            "label_project": label.project().uid,
            "newest": [lb.uid for lb in newest],
            "tasks": [t.uid for t in client.get_user().created_tasks()],
        }

    got = await in_thread(run)
    assert got["row"] == (dataset_id, emu.user_id, emu.organization_id)
    assert got["dataset"] == (emu.user_id, emu.organization_id)
    assert got["label_project"] == pid
    assert sorted(got["newest"]) == sorted(emu.label_ids(pid))
    assert got["tasks"] == [export.id]
    assert no_external_network == []

    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        row = await client.data_rows.retrieve(row_id)
        assert (row.dataset_id, row.created_by and row.created_by.id, row.organization and row.organization.id) == got[
            "row"
        ]
        assert [lb.id async for lb in client.labels.list_by_data_row(row_id)] == got["row_labels"] != []
        dataset = await client.datasets.retrieve(dataset_id)
        assert (dataset.created_by and dataset.created_by.id, dataset.organization and dataset.organization.id) == got[
            "dataset"
        ]
        assert (await client.labels.retrieve(label_id)).project_id == got["label_project"]
        newest = client.labels.list(pid, order_by=LabelOrder.CREATED_AT_DESC, include=())
        assert [lb.id async for lb in newest] == got["newest"]
        assert [t.id async for t in client.tasks.list()] == got["tasks"]
