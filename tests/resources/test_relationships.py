"""The relationships and small fields the SDK's objects carry, against the emulator's truth: a project's queue mode,
labels in a chosen order and with their project, a data row's dataset, creator, organization and labels in every
project, a dataset's creator and organization, and the key's user's tasks with their creator."""

from __future__ import annotations

from datetime import datetime

import pytest

from alabelbox import Client, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types import LabelOrder


async def test_a_retrieved_project_has_its_queue_mode(client: Client, emu: Emulator) -> None:
    project = await client.projects.retrieve(emu.project_ids[0])
    assert project.queue_mode == emu.project(emu.project_ids[0])["queueMode"] == "BATCH"
    listed = [p async for p in client.projects.list()]
    assert listed[0].queue_mode is None  # listings select the SDK's fields only


@pytest.mark.parametrize(
    ("order", "key", "reverse"),
    [
        (LabelOrder.CREATED_AT_DESC, "created_at", True),
        ("createdAt_ASC", "created_at", False),
        (LabelOrder.UPDATED_AT_DESC, "updated_at", True),
        ("secondsToLabel_ASC", "seconds_to_label", False),
    ],
)
async def test_labels_come_in_the_order_asked(
    client: Client, emu: Emulator, order: LabelOrder | str, key: str, reverse: bool
) -> None:
    pid = emu.project_ids[1]
    labels = [label async for label in client.labels.list(pid, order_by=order, page_size=40, include=())]
    assert sorted(label.id for label in labels) == sorted(emu.label_ids(pid))
    values: list[datetime | float] = [getattr(label, key) for label in labels]
    assert values == sorted(values, reverse=reverse)
    sent = emu.api_requests("ListProjectLabels")[-1]
    assert sent.variables is not None and sent.variables["orderBy"] == LabelOrder(order).value


async def test_an_unknown_order_is_refused_before_any_request(client: Client, emu: Emulator) -> None:
    before = len(emu.api_requests())
    with pytest.raises(InvalidArgumentError, match="createdAt_DESC") as caught:
        client.labels.list(emu.project_ids[0], order_by="newest")
    assert caught.value.argument == "order_by"
    assert len(emu.api_requests()) == before


async def test_a_label_knows_its_project(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[2]
    label_id = emu.label_ids(pid)[3]
    label = await client.labels.retrieve(label_id)
    assert label.project_id == pid and label.project is not None
    assert label.project.name == emu.project(pid)["name"]
    # A listing selects it when asked (its caller knows the project otherwise).
    listed = [label async for label in client.labels.list(pid, include={"project"}, page_size=100)]
    assert {label.project_id for label in listed} == {pid}
    plain = [label async for label in client.labels.list(pid, page_size=100)]
    assert {label.project_id for label in plain} == {None}


async def test_a_data_row_has_its_dataset_creator_organization_and_labels(client: Client, emu: Emulator) -> None:
    dataset_id = emu.dataset_ids[1]
    row_id = emu.data_row_ids(dataset_id)[7]
    row = await client.data_rows.retrieve(row_id)
    assert row.dataset_id == dataset_id and row.dataset is not None
    assert row.dataset.name == emu.dataset(dataset_id)["name"]
    assert row.created_by is not None and row.created_by.id == emu.user_id
    assert row.organization is not None and row.organization.id == emu.organization_id
    # Its labels in every project: seeded project 1 labels seeded dataset 1.
    labels = [label async for label in client.labels.list_by_data_row(row_id)]
    key = emu.backend.data_rows.find(row_id)
    assert key is not None
    truth = [emu.world.label_id(*key)]  # the seeded label of seeded project d is on row i of seeded dataset d
    assert truth[0] in emu.label_ids(emu.project_ids[1])
    assert [label.id for label in labels] == truth
    assert [(label.project_id, label.data_row.id if label.data_row else None) for label in labels] == [
        (emu.project_ids[1], row_id)
    ]
    # Deleted, it is gone from the row's labels.
    await client.labels.delete(truth)
    assert [label async for label in client.labels.list_by_data_row(row_id)] == []
    with pytest.raises(ResourceNotFoundError):
        [label async for label in client.labels.list_by_data_row("no-such-row")]


async def test_a_dataset_has_its_creator_and_organization(client: Client, emu: Emulator) -> None:
    dataset = await client.datasets.retrieve(emu.dataset_ids[0])
    assert dataset.created_by is not None and dataset.created_by.id == emu.user_id
    assert dataset.organization is not None and dataset.organization.id == emu.organization_id


async def test_the_users_tasks_are_listed_with_their_creator(client: Client, emu: Emulator) -> None:
    first = await client.exports.create(project_id=emu.project_ids[0])
    second = await client.exports.create(dataset_id=emu.dataset_ids[1])
    tasks = [t async for t in client.tasks.list(page_size=1)]
    assert [t.id for t in tasks] == [first.id, second.id] == list(emu.backend.tasks_resource.by_id)
    assert {t.created_by.id if t.created_by else None for t in tasks} == {emu.user_id}
    again = await client.tasks.retrieve(first.id)
    assert again.created_by is not None and again.created_by.id == emu.user_id
    for task_id in (first.id, second.id):
        await emu.wait_task(task_id)
