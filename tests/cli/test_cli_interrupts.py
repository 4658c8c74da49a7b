"""Ctrl-C and streaming of the listing and legacy export commands, in subprocesses against a slow emulator."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.abc import ByteReceiveStream

from alabelbox.testing import Emulator
from tests.cli.test_cli import INTERRUPTIBLE, env_for


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 3, "projects": 1, "data_rows": 300, "task_seconds": 0.2}


async def _line(stream: ByteReceiveStream, buffer: bytearray) -> bytes:
    while b"\n" not in buffer:
        buffer += await stream.receive()
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return line


async def test_labels_json_prints_as_pages_arrive_and_ctrl_c_keeps_them(labelbox_emulator: Emulator) -> None:
    emu = labelbox_emulator
    p = emu.project_ids[0]
    truth = emu.label_ids(p)
    emu.faults.latency(fixed=1.0)  # every API request takes a second: the listing takes several
    command = [*INTERRUPTIBLE, "labels", p, "--json"]
    async with await anyio.open_process(command, env=env_for(emu), stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        buffer = bytearray()
        with anyio.fail_after(30):
            first = json.loads(await _line(process.stdout, buffer))
        assert first["id"] == truth[0]
        assert process.returncode is None  # still listing: the first line came before the whole listing
        process.send_signal(signal.SIGINT)
        assert await process.wait() == 130
        rest = bytes(buffer)
        with anyio.move_on_after(5):
            async for chunk in process.stdout:
                rest += chunk
        said = (await process.stderr.receive(65536)).decode()
    lines = [first, *(json.loads(line) for line in rest.splitlines())]  # every printed line is whole JSON
    assert [label["id"] for label in lines] == truth[: len(lines)] and len(lines) < len(truth)
    assert f"interrupted: the {len(lines):,} labels printed so far are complete lines" in said


async def test_ctrl_c_on_export_labels_says_it_cannot_resume(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    out = tmp_path / "legacy.json"
    part = tmp_path / "legacy.json.part"
    emu.faults.bandwidth(4 * 1024)
    command = [*INTERRUPTIBLE, "export-labels", emu.project_ids[0], "-o", str(out)]
    async with await anyio.open_process(command, env=env_for(emu), stderr=subprocess.PIPE) as process:
        with anyio.fail_after(30):
            while not part.exists() or part.stat().st_size == 0:  # noqa: ASYNC110 - a file, not a task
                await anyio.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert await process.wait() == 130
        assert process.stderr is not None
        said = (await process.stderr.receive(65536)).decode()
    emu.faults.bandwidth(None)
    assert "interrupted: the legacy export cannot resume;" in said
    assert f"{part} holds the" in said and "run the command again to start over" in said
    assert not out.exists()
