"""The CLI's mistakes, fed one by one to ``alabelbox`` in subprocesses against one emulator each.

Each test groups several mistakes (subprocesses run concurrently) and checks the message, the exit code, that
nothing was sent where nothing should be, and that nothing already downloaded is lost.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from aiohttp import web

from alabelbox.testing import Emulator
from tests.cli.test_cli import CREATE, INTERRUPTIBLE, alabelbox, env_for


@pytest.fixture
def labelbox_emulator_options() -> dict[str, Any]:
    return {"seed": 5, "projects": 2, "data_rows": 300, "task_seconds": 0.2, "shard_bytes": 128 * 1024}


async def _all(emu: Emulator, *commands: tuple[str, ...], key: str | None = None) -> list[Any]:
    results: list[Any] = [None] * len(commands)

    async def one(i: int, args: tuple[str, ...]) -> None:
        results[i] = await alabelbox(emu, *args, key=key)

    async with anyio.create_task_group() as group:
        for i, args in enumerate(commands):
            group.start_soon(one, i, args)
    return results


def _err(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stderr.decode()


async def test_flags_and_destinations_are_checked_before_anything_is_sent(emu_tmp: tuple[Emulator, Path]) -> None:
    emu, tmp = emu_tmp
    p = emu.project_ids[0]
    (tmp / "a-file").write_text("x")
    locked = tmp / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    # Root writes anywhere: then the "unwritable" case is a directory path, refused as a directory instead.
    unwritable_out = locked / "x.ndjson" if os.geteuid() != 0 else locked
    missing, under_file, unwritable, wait0, legacy, limit, email, dataset, date = await _all(
        emu,
        ("export", p, "-o", str(tmp / "nowhere" / "x.ndjson")),
        ("export", p, "-o", str(tmp / "a-file" / "x.ndjson")),
        ("export", p, "-o", str(unwritable_out)),
        ("export", p, "-o", str(tmp / "w.ndjson"), "--wait-timeout", "0"),
        ("export-labels", p, "-o", str(tmp / "nowhere" / "legacy.json")),
        ("labels", p, "--limit", "-1"),
        ("labels", p, "--created-by", "someone@example.com"),
        ("labels", p, "--dataset-id", "cl_no_such_dataset_000000"),
        ("export", p, "-o", str(tmp / "d.ndjson"), "--label-created-start", "01/02/2024"),
    )
    assert missing.returncode == 2 and "does not exist; create it (mkdir -p" in _err(missing)
    assert under_file.returncode == 2 and "is a file, not a directory" in _err(under_file)
    assert unwritable.returncode == 2
    assert ("is not writable" if os.geteuid() != 0 else "is a directory; give a file name") in _err(unwritable)
    assert wait0.returncode == 2 and "--wait-timeout" in _err(wait0)
    assert legacy.returncode == 2 and "does not exist" in _err(legacy)
    assert limit.returncode == 2 and "--limit" in _err(limit) and "argument n" not in _err(limit)
    assert email.returncode == 2 and "--created-by takes a user id, not an e-mail" in _err(email)
    assert dataset.returncode == 4 and _err(dataset).startswith("error: not found")
    assert date.returncode == 2 and "--label-created-start" in _err(date) and "ISO 8601" in _err(date)
    for result in (missing, under_file, wait0, legacy, limit, email, dataset, date):
        assert "Traceback" not in _err(result)
        assert len(_err(result).strip().splitlines()) <= 4  # click's usage lines, or one line of ours
    assert emu.api_requests(CREATE) == [] and emu.api_requests("exportLabels") == []
    assert not list(tmp.glob("*.task")) and not (tmp / "nowhere").exists()


@pytest.fixture
async def emu_tmp(labelbox_emulator: Emulator, tmp_path: Path) -> tuple[Emulator, Path]:
    return labelbox_emulator, tmp_path


async def test_key_options_dates_json_and_tables(labelbox_emulator: Emulator, tmp_path: Path) -> None:
    emu = labelbox_emulator
    p = emu.project_ids[0]
    no_key = await anyio.run_process(
        [sys.executable, "-m", "alabelbox", "projects"],
        env={k: v for k, v in env_for(emu).items() if k != "LABELBOX_API_KEY"},
        check=False,
    )
    assert no_key.returncode == 3
    assert "--api-key" in _err(no_key) and "Client(" not in _err(no_key)
    emu.faults.http_error(503, rate=1.0, count=1)  # one retry, for -vv to log
    after = await alabelbox(emu, "projects", "--api-key", emu.api_key, "--json", "-vv", key="wrong-key")
    # Options after the subcommand win over the environment; -vv turns on the library's loggers.
    assert after.returncode == 0, _err(after)
    assert [json.loads(line)["id"] for line in after.stdout.decode().splitlines()] == emu.project_ids
    assert "alabelbox.retry DEBUG retrying" in _err(after)
    legacy = await alabelbox(
        emu, "export-labels", p, "-o", str(tmp_path / "l.json"), "--start", "2024-01-01T00:00:00Z", key="wrong-key"
    )
    assert legacy.returncode == 3  # the date is accepted; the (wrong) key is what fails
    labels_json = await alabelbox(emu, "labels", p, "--limit", "3", "--json", "--created-after", "2000-01-01T00:00Z")
    assert labels_json.returncode == 2 and "--created-after" in _err(labels_json)  # hh:mm without seconds
    labels_json = await alabelbox(emu, "labels", p, "--limit", "3", "--json", "--created-after", "2000-01-01")
    # At 80 columns every id is whole, so it can be copied into the next command.
    table = await anyio.run_process(
        [sys.executable, "-m", "alabelbox", "labels", p, "--limit", "7"], env={**env_for(emu), "COLUMNS": "80"}
    )
    for label_id in emu.label_ids(p)[:7]:
        assert label_id in table.stdout.decode()
    lines = labels_json.stdout.decode().splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert "created_at" in first and "createdAt" not in first  # snake_case, as `projects --json`
    assert "\\u" not in labels_json.stdout.decode()


async def test_resume_refuses_another_export_and_keeps_the_partial_file(
    labelbox_emulator: Emulator, tmp_path: Path
) -> None:
    emu = labelbox_emulator
    out = tmp_path / "labels.ndjson"
    part, sidecar = tmp_path / "labels.ndjson.part", tmp_path / "labels.ndjson.task"
    p1, p2 = emu.project_ids
    # Slow enough that the export is still running when Ctrl-C comes, however loaded the machine is.
    emu.faults.bandwidth(8 * 1024)
    command = [*INTERRUPTIBLE, "export", p1, "-o", str(out), "--concurrency", "1"]
    async with await anyio.open_process(command, env=env_for(emu), stderr=subprocess.PIPE) as process:
        with anyio.fail_after(30):
            while not part.exists() or part.stat().st_size < 8 * 1024:  # noqa: ASYNC110 - a file, not a task
                await anyio.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert await process.wait() == 130
        assert process.stderr is not None
        said = (await process.stderr.receive(65536)).decode()
    emu.faults.bandwidth(None)
    assert "bytes in" in said and f"alabelbox export {p1} -o {out} --concurrency 1 --resume" in said
    kept = part.read_bytes()
    recorded = json.loads(sidecar.read_text())
    assert recorded["id"] == p1 and recorded["format"] == "ndjson" and recorded["task_id"]
    other, again, other_format = await _all(
        emu,
        ("export", p2, "-o", str(out), "--resume"),
        ("export", p1, "-o", str(out)),
        ("export", p1, "-o", str(out), "--resume", "--format", "json"),
    )
    assert other.returncode == 2 and "differs in id" in _err(other) and p2 in _err(other)
    assert again.returncode == 2 and "add --resume to continue it, --overwrite to start over" in _err(again)
    assert other_format.returncode == 2 and "format" in _err(other_format)
    assert "delete" in _err(other) and str(part) in _err(other)
    assert part.read_bytes() == kept and len(emu.api_requests(CREATE)) == 1  # nothing lost, nothing started
    resumed = await alabelbox(emu, "export", p1, "-o", str(out), "--resume")
    assert resumed.returncode == 0, _err(resumed)
    (task_id,) = emu.backend.tasks
    assert out.read_bytes() == b"".join(emu.export_lines(task_id))
    assert not part.exists() and not sidecar.exists()
    # A .part with no sidecar cannot be resumed (what export is it?); --overwrite starts over.
    part.write_bytes(b"junk\n")
    orphan, fresh = await _all(emu, ("export", p2, "-o", str(out), "--resume"), ("export", p2, "-o", str(out)))
    assert orphan.returncode == 2 and "labels.ndjson.task" in _err(orphan) and "--overwrite" in _err(orphan)
    assert fresh.returncode == 2 and part.read_bytes() == b"junk\n"
    over = await alabelbox(emu, "export", p2, "-o", str(out), "--overwrite")
    assert over.returncode == 0, _err(over)
    assert out.read_bytes().count(b"\n") == 300 and b"junk" not in out.read_bytes()


async def _html_server() -> tuple[web.AppRunner, str]:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<!DOCTYPE html>\n<html>\n" + "<p>not labelbox</p>\n" * 200, content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    return runner, f"http://127.0.0.1:{port}"


async def test_endpoint_mistakes_are_told_apart_quickly(labelbox_emulator: Emulator) -> None:
    emu = labelbox_emulator
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    runner, html = await _html_server()
    try:
        # What four CLIs cost at once on this machine now, doing nothing: the start-up the bound must allow for.
        started = anyio.current_time()
        await _all(emu, ("--version",), ("--version",), ("--version",), ("--version",))
        baseline = anyio.current_time() - started
        started = anyio.current_time()
        results = await _all(
            emu,
            ("--endpoint", f"http://127.0.0.1:{closed}/graphql", "projects"),
            ("projects", "--endpoint", emu.endpoint.replace("http://", "https://")),
            ("--endpoint", emu.url, "projects"),
            ("--endpoint", f"{html}/graphql", "projects"),
        )
        elapsed = anyio.current_time() - started
    finally:
        await runner.cleanup()
    refused, tls, no_graphql, not_labelbox = (_err(r) for r in results)
    assert "nothing listens on" in refused and "connection refused" in refused
    assert "TLS handshake" in tls and "use http://" in tls
    assert "/graphql" in no_graphql and "lacks the /graphql path" in no_graphql
    assert "not JSON (HTTP 200, text/html)" in not_labelbox and "<!DOCTYPE html>" in not_labelbox
    for result in results:
        assert result.returncode == 1
        assert len(_err(result).strip().splitlines()) == 1, _err(result)
        assert "Run again later" not in _err(result)
    # No retries, no backoff: a retried mistake waits seconds more (a closed port took 6 s before it was told apart).
    assert elapsed < 2 * baseline + 3, (elapsed, baseline)
