"""Test your own Labelbox code against the emulator: a pytest file to copy into your project.

    pip install alabelbox pytest pytest-asyncio
    pytest test_with_emulator.py

Installing alabelbox registers the fixtures ``labelbox_emulator`` (a local Labelbox with seeded data, one per test)
and ``labelbox_client`` (an ``alabelbox.Client`` connected to it). The emulator also says what it holds (the "truth
API"), so a test checks your code's result against it, and it injects faults, so a test checks that your code
survives them. They are async fixtures: with pytest-asyncio, mark the tests ``asyncio`` (as here) or set
``asyncio_mode = "auto"``; a minimal configuration is

    [tool.pytest.ini_options]
    asyncio_default_fixture_loop_scope = "function"
"""

from __future__ import annotations

from typing import Any

import pytest

import alabelbox
from alabelbox.testing import Emulator

pytestmark = pytest.mark.asyncio


async def submitted_label_ids(client: alabelbox.Client, project_id: str) -> set[str]:
    """The code under test: the ids of a project's submitted labels."""
    return {label.id async for label in client.labels.list(project_id, type="Submitted")}


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    """Override the emulator's arguments: one small project, export tasks that finish at once."""
    return {"seed": 7, "projects": 1, "data_rows": 50, "task_seconds": 0}


async def test_lists_every_submitted_label(labelbox_client: alabelbox.Client, labelbox_emulator: Emulator) -> None:
    project_id = labelbox_emulator.project_ids[0]
    ids = await submitted_label_ids(labelbox_client, project_id)
    assert ids
    assert ids <= set(labelbox_emulator.label_ids(project_id))  # the truth: what the emulator holds


async def test_survives_server_errors(labelbox_client: alabelbox.Client, labelbox_emulator: Emulator) -> None:
    project_id = labelbox_emulator.project_ids[0]
    expected = await submitted_label_ids(labelbox_client, project_id)
    labelbox_emulator.faults.http_error(503, count=2)  # the next two API requests fail; the client retries them
    assert await submitted_label_ids(labelbox_client, project_id) == expected


async def test_export_matches_the_truth(labelbox_client: alabelbox.Client, labelbox_emulator: Emulator) -> None:
    project_id = labelbox_emulator.project_ids[0]
    task = await labelbox_client.exports.create(project_id=project_id)
    task = await labelbox_client.exports.wait(task, wait_timeout=30, poll_interval=0.05)
    async with labelbox_client.exports.stream(task) as records:
        data_row_ids = [record.value.data_row.id async for record in records]
    assert len(data_row_ids) == len(labelbox_emulator.export_lines(task.id))


async def test_no_key_leaks(labelbox_client: alabelbox.Client, labelbox_emulator: Emulator) -> None:
    await labelbox_client.users.me()
    assert labelbox_emulator.key_leaks == []  # the key went to the API's origin and nowhere else
