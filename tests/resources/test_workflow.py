"""``client.workflow`` against the emulator: task queues and their counts, moving rows, priorities set and unset
(one by one and in bulk), and the overview."""

from __future__ import annotations

import pytest

from alabelbox import Client, InvalidArgumentError, LabelboxError, TaskFailedError
from alabelbox.testing import Emulator
from tests.resources.test_batches import held, new_project


async def project_with_rows(client: Client, emu: Emulator, n: int = 10) -> tuple[str, list[str], str]:
    pid = await new_project(client)
    rows = emu.data_row_ids(emu.dataset_ids[0])[:n]
    batch = await client.batches.create(pid, "work", data_row_ids=rows)
    return pid, rows, batch.id


def key_of(emu: Emulator, k: int) -> str:
    """The global key of ``emu.data_row_ids(dataset 0)[k]`` (that list is newest first)."""
    return emu.world.global_key(0, emu.world.n_rows - 1 - k)


async def test_task_queues_count_the_rows_in_them(client: Client, emu: Emulator) -> None:
    pid, rows, _ = await project_with_rows(client, emu)
    queues = await client.workflow.task_queues(pid)
    assert [(q.name, q.data_row_count) for q in queues] == [
        ("Initial labeling task", 10),
        ("Initial review task", 0),
        ("Done", 0),
    ]
    task = await client.workflow.move_data_rows(pid, queues[1].id, data_row_ids=rows[:3])
    assert task.status.value == "COMPLETE"
    keys = [key_of(emu, k) for k in (3, 4)]
    await client.workflow.move_data_rows(pid, None, global_keys=keys)  # None: Done
    counts = [q.data_row_count for q in await client.workflow.task_queues(pid)]
    assert counts == [5, 3, 2]
    truth = held(emu, pid)
    assert [truth[r][1] for r in rows[:5]] == [1, 1, 1, 2, 2]


async def test_a_move_naming_a_row_outside_the_project_fails_whole(client: Client, emu: Emulator) -> None:
    pid, rows, _ = await project_with_rows(client, emu)
    outsider = emu.data_row_ids(emu.dataset_ids[1])[0]
    with pytest.raises(TaskFailedError) as info:
        await client.workflow.move_data_rows(pid, None, data_row_ids=[rows[0], outsider])
    assert outsider in str(info.value.errors)
    assert {q for _, q, _ in held(emu, pid).values()} == {0}  # nothing moved


async def test_priorities_set_listed_and_unset(client: Client, emu: Emulator) -> None:
    pid, rows, _ = await project_with_rows(client, emu)
    await client.workflow.set_priorities(pid, {rows[0]: 1, rows[1]: -7})
    keys = [key_of(emu, 2)]
    await client.workflow.set_priorities(pid, [(keys[0], 3)], by="global_key")
    listed = {p.data_row_id: p.priority for p in await client.workflow.priorities(pid)}
    assert listed == {rows[0]: 1, rows[1]: -7, rows[2]: 3}
    truth = held(emu, pid)
    assert [truth[r][2] for r in rows[:4]] == [1, -7, 3, 5]
    await client.workflow.unset_priorities(pid, rows[:2])
    assert [p.data_row_id for p in await client.workflow.priorities(pid)] == [rows[2]]
    assert held(emu, pid)[rows[0]][2] == 5  # the batch's priority again
    sent = emu.api_requests("SetLabelingParameterOverridesPyApi")[0].variables
    assert sent is not None
    assert sent["data"][0] == {"dataRowIdentifier": {"id": rows[0], "idType": "ID"}, "priority": 1}


async def test_bulk_priority_is_a_task(client: Client, emu: Emulator) -> None:
    pid, rows, _ = await project_with_rows(client, emu)
    await client.workflow.set_priority(pid, 2, data_row_ids=rows[:6])
    truth = held(emu, pid)
    assert [truth[r][2] for r in rows] == [2] * 6 + [5] * 4
    with pytest.raises(TaskFailedError):
        await client.workflow.set_priority(pid, 1, data_row_ids=[rows[0], "clnope"])
    assert held(emu, pid)[rows[0]][2] == 2  # all or nothing


async def test_a_priority_for_a_row_outside_the_project_is_refused(client: Client, emu: Emulator) -> None:
    pid, rows, _ = await project_with_rows(client, emu)
    with pytest.raises(LabelboxError, match=r"dataWithDataRowIdentifiers\[1\].*clnope"):
        await client.workflow.set_priorities(pid, [(rows[0], 1), ("clnope", 2)])
    assert held(emu, pid)[rows[0]][2] == 5


async def test_overview_counts_by_status(client: Client, emu: Emulator) -> None:
    pid, rows, batch_id = await project_with_rows(client, emu)
    other = await client.batches.create(pid, "more", data_row_ids=emu.data_row_ids(emu.dataset_ids[1])[:4])
    queues = await client.workflow.task_queues(pid)
    await client.workflow.move_data_rows(pid, queues[1].id, data_row_ids=rows[:2])
    await client.workflow.move_data_rows(pid, None, data_row_ids=rows[2:3])
    overview = await client.workflow.overview(pid)
    assert (overview.to_label, overview.in_review, overview.done, overview.total_data_rows) == (11, 2, 1, 14)
    assert overview.issues == 0 and overview.labeled == 0
    scoped = await client.workflow.overview(pid, batch_ids=[other.id])
    assert (scoped.to_label, scoped.total_data_rows, scoped.issues) == (4, 4, None)
    assert dict(scoped.queues)["Initial labeling task"] == 4
    assert batch_id


async def test_overview_of_a_seeded_project_matches_the_generated_workflow(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[1]
    overview = await client.workflow.overview(pid)
    statuses = [emu.world.workflow_status(1, i) for i in range(emu.world.n_rows)]
    assert overview.done == statuses.count("DONE")
    assert overview.in_review == statuses.count("IN_REVIEW")
    assert overview.in_rework == statuses.count("IN_REWORK")
    assert overview.total_data_rows == emu.world.n_rows


async def test_bad_workflow_arguments_are_refused_before_any_request(client: Client, emu: Emulator) -> None:
    with pytest.raises(InvalidArgumentError, match="one of the two"):
        await client.workflow.move_data_rows("p1", None)
    with pytest.raises(InvalidArgumentError, match="queue_id"):
        await client.workflow.move_data_rows("p1", "", data_row_ids=["r1"])
    with pytest.raises(InvalidArgumentError) as info:
        await client.workflow.set_priorities("p1", [("r1", 1), ("r2", 2**31)])
    assert info.value.argument == "priorities[1]"
    with pytest.raises(InvalidArgumentError, match="by"):
        await client.workflow.set_priorities("p1", {"r1": 1}, by="key")
    with pytest.raises(InvalidArgumentError, match="priority"):
        await client.workflow.set_priority("p1", True, data_row_ids=["r1"])
    with pytest.raises(InvalidArgumentError, match="batch_ids"):
        await client.workflow.overview("p1", batch_ids=[])
    assert emu.api_requests() == []


async def test_extend_reservations_answers_the_count_extended(client: Client, emu: Emulator) -> None:
    pid = emu.project_ids[0]
    assert await client.workflow.extend_reservations(pid, "LabelingQueue") == 0
    assert await client.workflow.extend_reservations(pid, "ReviewQueue") == 0
    sent = emu.api_requests("ExtendReservationsPyApi")
    assert [r.variables for r in sent] == [{"projectId": pid}] * 2
    with pytest.raises(LabelboxError, match="clnope"):
        await client.workflow.extend_reservations("clnope", "LabelingQueue")
    with pytest.raises(InvalidArgumentError) as info:
        await client.workflow.extend_reservations(pid, "DoneQueue")
    assert info.value.argument == "queue_type"
    assert len(emu.api_requests("ExtendReservationsPyApi")) == 3


async def test_show_predictions_to_labelers_is_a_stored_project_flag(client: Client, emu: Emulator) -> None:
    pid = await new_project(client)
    key = emu.backend.projects.find_key(pid)
    assert key is not None
    assert emu.backend.workflow.show_predictions.get(key) is None
    assert await client.workflow.show_predictions_to_labelers(pid) is True
    assert emu.backend.workflow.show_predictions[key] is True
    assert await client.workflow.show_predictions_to_labelers(pid, False) is False
    assert emu.backend.workflow.show_predictions[key] is False
    with pytest.raises(InvalidArgumentError, match="show"):
        await client.workflow.show_predictions_to_labelers(pid, 1)  # type: ignore[arg-type]
    assert len(emu.api_requests("ToggleModelAssistedLabelingPyApi")) == 2
