"""Waiting for tasks against the emulator: how late a finished task is noticed, and 429s while polling."""

from __future__ import annotations

import time

import pytest

from alabelbox import Client
from alabelbox.testing import Emulator


@pytest.mark.parametrize("emu_options", [{"seed": 2, "projects": 1, "data_rows": 50, "task_seconds": 2.5}])
async def test_wait_notices_a_finished_export_within_a_second(emu: Emulator, client: Client) -> None:
    task = await client.exports.create(project_id=emu.project_ids[0])
    task = await client.exports.wait(task, wait_timeout=30)
    noticed = time.time()
    assert task.updated_at is not None and task.created_at is not None
    finished = task.updated_at.timestamp()  # when the emulator's task became COMPLETE
    assert finished - task.created_at.timestamp() == pytest.approx(2.5, abs=0.01)
    assert 0 <= noticed - finished <= 1.0 + 0.25  # the bound, plus one loaded round trip
    polls = emu.api_requests("GetUserCreatedTasksPyApi")
    assert len(polls) <= 6  # about one a second at most, never a busy loop


@pytest.mark.parametrize("emu_options", [{"seed": 2, "projects": 1, "data_rows": 50, "task_seconds": 0.6}])
async def test_wait_respects_a_429_while_polling(emu: Emulator, client: Client) -> None:
    task = await client.exports.create(project_id=emu.project_ids[0])
    emu.faults.rate_limit_burst(1)
    started = time.monotonic()
    task = await client.exports.wait(task, wait_timeout=30)
    # The client's retry waited out the emulator's Retry-After, then polling went on to completion.
    assert task.is_done and time.monotonic() - started < 10
    assert len(emu.api_requests("GetUserCreatedTasksPyApi")) >= 2


@pytest.mark.parametrize("emu_options", [{"seed": 2, "projects": 1, "data_rows": 20, "task_seconds": 1.5}])
async def test_the_legacy_export_is_noticed_within_a_second(emu: Emulator, client: Client) -> None:
    started = time.monotonic()
    result = await client.exports.export_labels_url(emu.project_ids[0])
    waited = time.monotonic() - started
    assert 1.5 <= waited <= 1.5 + 1.0 + 0.25
    assert result.polls <= 4
