"""Streaming a task that has not finished says to wait for it, not to pass ``missing_ok``."""

from __future__ import annotations

from pathlib import Path

import pytest

from alabelbox import Client, ClientStateError, ExportError, ExportStreamNotFoundError, StreamStateError
from alabelbox.testing import Emulator


async def test_a_task_not_finished_says_wait_first(emu: Emulator, client: Client, tmp_path: Path) -> None:
    task = await client.exports.create(project_id=emu.project_ids[0])
    with pytest.raises(
        ExportError,
        match=r"is IN_PROGRESS: wait for the task first \(`task = await client.exports.wait\(task\)`\), then stream",
    ):
        client.exports.stream(task)
    # By id the client cannot know; the answer names both causes, waiting first.
    with pytest.raises(ExportStreamNotFoundError, match="if the task is not COMPLETE, wait for the task first"):
        async with client.exports.stream(task.id):
            pass
    with pytest.raises(ExportError, match=r"is IN_PROGRESS: wait for the task first.*then download it"):
        await client.exports.download(task, tmp_path / "early.ndjson")
    task = await client.exports.wait(task)
    async with client.exports.stream(task) as rows:
        assert len([row async for row in rows]) == len(emu.export_lines(task.id))


async def test_a_closed_client_raises_its_own_error_everywhere(emu: Emulator, tmp_path: Path) -> None:
    client = Client(api_key=emu.api_key, endpoint=emu.endpoint)
    async with client:
        task = await client.exports.create_and_poll(project_id=emu.project_ids[0])
        listing = client.labels.list(emu.project_ids[0])
        stream = client.exports.stream(task)
    with pytest.raises(ClientStateError, match="closed"):
        await listing.get_many(3)
    with pytest.raises(ClientStateError, match="closed"):
        await client.exports.download(task, tmp_path / "x.ndjson")
    with pytest.raises(ClientStateError, match="closed"):
        async with stream:
            pass
    with pytest.raises(StreamStateError, match="entered only once"):
        async with stream:
            pass
    with pytest.raises(ClientStateError, match="closed"):
        async with client:
            pass
