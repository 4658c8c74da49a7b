"""The three ways to start the emulator: CLI, ``Emulator``, and the pytest fixtures."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any

import aiohttp

from alabelbox.testing import Emulator
from alabelbox.testing.__main__ import build_parser, emulator_from_args
from alabelbox.testing._faults import StorageFault


async def test_cli_serve_prints_url_and_key_and_stops_on_ctrl_c() -> None:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alabelbox.testing",
        "serve",
        "--port",
        "0",
        "--seed",
        "1",
        "--projects",
        "3",
        "--data-rows",
        "100000",
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    lines: list[str] = []
    try:
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            raw = await asyncio.wait_for(proc.stdout.readline(), 30)
            assert raw, lines
            lines.append(raw.decode().strip())
        fields = dict(x.split(":", 1) for x in lines[1:4])
        endpoint, key = fields["endpoint"].strip(), fields["api key"].strip()
        async with aiohttp.ClientSession() as s:
            async with s.post(
                endpoint,
                json={"query": "{projects{id dataRowCount}}"},
                headers={"Authorization": f"Bearer {key}"},
            ) as resp:
                body = await resp.json()
        projects = body["data"]["projects"]
        assert len(projects) == 3 and projects[0]["dataRowCount"] == 100_000
    finally:
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 30) == 0


def test_cli_flags_set_faults() -> None:
    args = build_parser().parse_args(
        ["serve", "--rate-limit", "10", "--latency", "0.5", "--expired-urls", "--shard-mb", "1"]
    )
    emu = emulator_from_args(args)
    assert emu.rate_limit == 10
    assert emu.settings.shard_bytes == 1024 * 1024
    assert emu.faults.expired_urls
    assert emu.faults.for_api_request().delay == 0.5


def test_cli_flags_set_storage_faults() -> None:
    args = build_parser().parse_args(["serve", "--storage-429-rate", "1", "--truncate-rate", "1"])
    faults = emulator_from_args(args).faults
    assert faults.for_storage_request() == StorageFault(429, retry_after=1)
    cut = faults.for_download(1000).truncate_after
    assert cut is not None and 0 <= cut < 1000


async def test_emulator_context_manager_cleans_up() -> None:
    async with Emulator(projects=1, data_rows=10, task_seconds=0) as emu:
        assert emu.endpoint == emu.url + "/graphql"
        assert emu.storage_url != emu.url
        workdir = emu.workdir
        assert workdir.exists()
    assert not workdir.exists()
    await emu.aclose()  # idempotent


async def test_labelbox_emulator_fixture(labelbox_emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as s:
        async with s.post(
            labelbox_emulator.endpoint,
            json={"query": "{user{id}}"},
            headers={"Authorization": f"Bearer {labelbox_emulator.api_key}"},
        ) as resp:
            assert (await resp.json())["data"]["user"]["id"] == labelbox_emulator.user_id


async def test_labelbox_client_fixture(labelbox_client: Any, labelbox_emulator: Emulator) -> None:
    data = await labelbox_client.execute("query GetUserPyApi{user{id email}}")
    assert data["user"]["id"] == labelbox_emulator.user_id
    assert labelbox_emulator.api_requests("GetUserPyApi")


async def test_emulator_process_serves_then_stops() -> None:
    import aiohttp

    from alabelbox.testing import emulator_process

    async with emulator_process("--seed", "2", "--projects", "1", "--data-rows", "10", quiet=True) as emu:
        assert emu.endpoint.endswith("/graphql") and emu.storage_url.startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {emu.api_key}"}) as session:
            async with session.post(emu.endpoint, json={"query": "{ projects { id } }"}) as response:
                assert len((await response.json())["data"]["projects"]) == 1
        process = emu.process
    assert process.returncode is not None  # stopped with the block
