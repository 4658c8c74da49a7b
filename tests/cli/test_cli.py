"""The ``alabelbox`` command, run in a subprocess against the emulator, compared with the emulator's truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest

from alabelbox.testing import Emulator

CREATE = "exportDataRowsInProjectPyApi"


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 3, "projects": 2, "data_rows": 300, "task_seconds": 0.2, "shard_bytes": 128 * 1024}


#: The CLI as a subprocess that Ctrl-C reaches. A shell that runs the suite in the background (``cmd &``) starts it
#: with SIGINT ignored, its children inherit that, and Python then installs no KeyboardInterrupt handler: the
#: Ctrl-C tests would see the command finish instead of stop.
INTERRUPTIBLE = [
    sys.executable,
    "-c",
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('alabelbox', run_name='__main__', alter_sys=True)",
]


def env_for(emu: Emulator, key: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABELBOX_")}
    env.update(LABELBOX_API_KEY=key or emu.api_key, LABELBOX_ENDPOINT=emu.endpoint, COLUMNS="200")
    return env


async def alabelbox(emu: Emulator, *args: str, key: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return await anyio.run_process([sys.executable, "-m", "alabelbox", *args], env=env_for(emu, key), check=False)


async def test_version() -> None:
    result = await anyio.run_process([sys.executable, "-m", "alabelbox", "--version"])
    assert result.stdout.decode().startswith("alabelbox ")


async def test_projects_json_lists_every_project(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "projects", "--json")
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert ids == labelbox_emulator.project_ids


async def test_projects_table(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "projects")
    assert result.returncode == 0
    assert "2 projects" in result.stdout.decode()
    assert labelbox_emulator.project_ids[0] in result.stdout.decode()


async def test_labels_json_with_limit_matches_the_truth(labelbox_emulator: Emulator) -> None:
    project_id = labelbox_emulator.project_ids[0]
    result = await alabelbox(labelbox_emulator, "labels", project_id, "--limit", "120", "--json")
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert ids == labelbox_emulator.label_ids(project_id)[:120]


async def test_labels_filter_by_type(labelbox_emulator: Emulator) -> None:
    project_id = labelbox_emulator.project_ids[0]
    result = await alabelbox(labelbox_emulator, "labels", project_id, "--type", "Skipped", "--json")
    assert result.returncode == 0, result.stderr
    types = {json.loads(line)["type"]["name"] for line in result.stdout.decode().splitlines()}
    assert types == {"Skipped"}


async def test_export_ndjson_is_the_exact_export(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "labels.ndjson"
    project_id = labelbox_emulator.project_ids[0]
    result = await alabelbox(labelbox_emulator, "export", project_id, "-o", str(out), "--include", "label_details")
    assert result.returncode == 0, result.stderr
    assert len(labelbox_emulator.api_requests(CREATE)) == 1
    (task_id,) = labelbox_emulator.backend.tasks
    assert out.read_bytes() == b"".join(labelbox_emulator.export_lines(task_id))
    assert len(out.read_bytes().splitlines()) == 300
    assert "downloaded: 300 rows" in result.stderr.decode()
    assert not (tmp_path / "labels.ndjson.task").exists()
    assert not (tmp_path / "labels.ndjson.part").exists()


async def test_export_json_is_an_array_of_the_rows(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "labels.json"
    project_id = labelbox_emulator.project_ids[1]
    result = await alabelbox(labelbox_emulator, "export", project_id, "-o", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    (task_id,) = labelbox_emulator.backend.tasks
    assert rows == [json.loads(line) for line in labelbox_emulator.export_lines(task_id)]


async def test_export_labels_writes_the_legacy_array(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    out = tmp_path / "legacy.json"
    project_id = labelbox_emulator.project_ids[0]
    result = await alabelbox(labelbox_emulator, "export-labels", project_id, "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(row["ID"] for row in rows) == sorted(labelbox_emulator.label_ids(project_id))


async def test_a_bad_key_gives_one_line_and_exit_3(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "projects", key="wrong-key")
    assert result.returncode == 3
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: authentication failed")
    assert "LABELBOX_API_KEY" in lines[0]
    assert "wrong-key" not in result.stderr.decode()


async def test_a_missing_project_gives_exit_4(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "labels", "clp-no-such-project")
    assert result.returncode == 4
    assert result.stderr.decode().startswith("error: not found")


async def test_debug_shows_the_traceback(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "--debug", "projects", key="wrong-key")
    assert result.returncode == 3
    assert "Traceback" in result.stderr.decode()


async def test_bad_arguments_are_usage_errors(labelbox_emulator: Emulator) -> None:
    result = await alabelbox(labelbox_emulator, "labels", "p", "--created-after", "yesterday")
    assert result.returncode == 2
    assert "--created-after" in result.stderr.decode()
