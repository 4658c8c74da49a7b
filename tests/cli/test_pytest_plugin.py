"""The pytest plugin installed with alabelbox never breaks a user's pytest, with or without pytest-asyncio.

Each case runs pytest in a subprocess on a temporary project. "Without pytest-asyncio" is made real: its modules
are shadowed by a package that fails to import (first on ``PYTHONPATH``) and ``-p no:asyncio`` stops pytest
loading its entry point, as when it is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import anyio

# First on PYTHONPATH: every finder (pytest's assertion rewriter included) finds this one, and importing it fails.
SHADOW = "raise ModuleNotFoundError(\"No module named 'pytest_asyncio'\", name='pytest_asyncio')\n"

SYNC_TEST = "def test_one_line():\n    assert 1 + 1 == 2\n"

ANYIO_TEST = textwrap.dedent(
    """
    import pytest

    @pytest.fixture
    def anyio_backend():
        return "asyncio"

    @pytest.mark.anyio
    async def test_the_client_fixture_under_anyio(labelbox_client, labelbox_emulator):
        projects = [p.id async for p in labelbox_client.projects.list()]
        assert projects == labelbox_emulator.project_ids
    """
)

ASYNCIO_STRICT_TEST = textwrap.dedent(
    """
    import pytest

    @pytest.mark.asyncio
    async def test_the_client_fixture_under_pytest_asyncio(labelbox_client, labelbox_emulator):
        projects = [p.id async for p in labelbox_client.projects.list()]
        assert projects == labelbox_emulator.project_ids
    """
)


async def _pytest(project: Path, *args: str, block_asyncio: bool) -> subprocess.CompletedProcess[bytes]:
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # the user's own, empty config
    env = dict(os.environ)
    flags: list[str] = []
    if block_asyncio:
        shadow = project.parent / f"{project.name}-shadow"
        (shadow / "pytest_asyncio").mkdir(parents=True)
        (shadow / "pytest_asyncio" / "__init__.py").write_text(SHADOW, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(shadow), env.get("PYTHONPATH")]))
        flags = ["-p", "no:asyncio"]  # as if not installed: no entry point either
    return await anyio.run_process(
        [sys.executable, "-m", "pytest", *flags, "-p", "no:cacheprovider", "-q", *args, str(project)],
        cwd=project,
        env=env,
        check=False,
    )


async def test_without_pytest_asyncio_a_sync_test_passes_and_anyio_runs_the_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_sync.py").write_text(SYNC_TEST, encoding="utf-8")
    (tmp_path / "test_anyio.py").write_text(ANYIO_TEST, encoding="utf-8")
    result = await _pytest(tmp_path, block_asyncio=True)
    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, output
    assert "2 passed" in output
    assert "pytest_asyncio" not in output


async def test_with_pytest_asyncio_in_strict_mode_the_fixtures_run_for_marked_tests(tmp_path: Path) -> None:
    (tmp_path / "test_sync.py").write_text(SYNC_TEST, encoding="utf-8")
    (tmp_path / "test_marked.py").write_text(ASYNCIO_STRICT_TEST, encoding="utf-8")
    result = await _pytest(tmp_path, "-o", "asyncio_mode=strict", block_asyncio=False)
    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, output
    assert "2 passed" in output
