"""The scripts in examples/ run as a user runs them: a fresh interpreter, the endpoint and key from the environment.

Each script is started with ``LABELBOX_ENDPOINT`` and ``LABELBOX_API_KEY`` pointing at an emulator served from this
test's event loop, and its output and files are checked against the emulator's truth. The pytest example is copied
into an empty directory and run there, so it sees no configuration of this repository (strict asyncio mode, as in a
user's project).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import pytest_asyncio

from alabelbox.testing import Emulator

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(seed=3, projects=2, data_rows=120, task_seconds=0.1, shard_bytes=16 * 1024) as emu:
        yield emu


async def run_example(emu: Emulator, script: str, *args: str, cwd: Path | None = None) -> str:
    """Run ``examples/<script>`` against ``emu``; its stdout, after checking that it exited 0."""
    env = {**os.environ, "LABELBOX_ENDPOINT": emu.endpoint, "LABELBOX_API_KEY": emu.api_key}
    with anyio.fail_after(90):
        done = await anyio.run_process([sys.executable, str(EXAMPLES / script), *args], env=env, cwd=cwd, check=False)
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{stdout}\n{stderr}"
    return stdout


def test_every_example_is_run_here() -> None:
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts == {"export_to_file.py", "stream_to_consumer.py", "list_with_filters.py", "test_with_emulator.py"}


async def test_export_to_file(emulator: Emulator, tmp_path: Path) -> None:
    project_id = emulator.project_ids[0]
    output = tmp_path / "labels.ndjson"
    stdout = await run_example(emulator, "export_to_file.py", project_id, str(output))
    lines = output.read_bytes().splitlines()
    match = re.search(r"export task (\S+) created", stdout)
    assert match, stdout
    task_id = match.group(1)
    assert lines == [line.rstrip(b"\n") for line in emulator.export_lines(task_id)]
    assert len(lines) == 120
    assert all(json.loads(line)["data_row"]["id"] for line in lines)
    assert "wrote 120 rows" in stdout
    assert not (tmp_path / "labels.ndjson.part").exists()


async def test_stream_to_consumer(emulator: Emulator) -> None:
    stdout = await run_example(emulator, "stream_to_consumer.py", emulator.project_ids[0])
    assert "120 data rows" in stdout
    labels = len(emulator.label_ids(emulator.project_ids[0]))
    assert f"{labels} labels" in stdout


async def test_list_with_filters(emulator: Emulator) -> None:
    project_id = emulator.project_ids[0]
    stdout = await run_example(emulator, "list_with_filters.py", project_id, "--type", "Submitted", "--limit", "5")
    listed = [line.split()[0] for line in stdout.splitlines()[1:-1]]
    assert len(listed) == 5
    assert set(listed) <= set(emulator.label_ids(project_id))
    assert stdout.splitlines()[-1] == "5 labels shown"


async def test_list_with_a_bad_filter_names_it(emulator: Emulator) -> None:
    env = {**os.environ, "LABELBOX_ENDPOINT": emulator.endpoint, "LABELBOX_API_KEY": emulator.api_key}
    script = [sys.executable, str(EXAMPLES / "list_with_filters.py"), emulator.project_ids[0]]
    done = await anyio.run_process([*script, "--agreement-min", "7"], env=env, check=False)
    assert done.returncode != 0
    assert b"InvalidArgumentError" in done.stderr and b"agreement" in done.stderr


#: A user's minimal pytest configuration: pytest-asyncio's loop scope set (it warns otherwise), warnings as errors.
USER_PYPROJECT = """\
[tool.pytest.ini_options]
asyncio_default_fixture_loop_scope = "function"
filterwarnings = ["error"]
"""


async def test_the_pytest_example_passes_in_a_project_of_its_own(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "test_with_emulator.py", tmp_path)
    (tmp_path / "pyproject.toml").write_text(USER_PYPROJECT)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_with_emulator.py"]
    with anyio.fail_after(90):
        done = await anyio.run_process(command, cwd=tmp_path, check=False, stderr=subprocess.STDOUT)
    output = done.stdout.decode()
    assert done.returncode == 0, output
    assert "4 passed" in output
    assert "warning" not in output.lower()
