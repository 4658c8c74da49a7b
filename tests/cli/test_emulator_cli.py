"""The emulator's own command line: ready-to-paste environment, one-line mistakes."""

from __future__ import annotations

import socket
import subprocess
import sys

import anyio


async def _serve(*args: str) -> subprocess.CompletedProcess[bytes]:
    return await anyio.run_process([sys.executable, "-m", "alabelbox.testing", "serve", *args], check=False)


async def test_bad_flags_and_a_busy_port_are_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        negative, rate, in_use = (
            await _serve("--data-rows", "-5"),
            await _serve("--error-rate", "2"),
            await _serve("--port", str(port), "--data-rows", "10"),
        )
    assert negative.returncode == 2
    assert negative.stderr.decode().strip() == (
        "python -m alabelbox.testing serve: error: argument --data-rows: must be at least 0, got -5 "
        "(--help lists the flags)"
    )
    assert rate.returncode == 2 and "--error-rate: must be at least 0 and at most 1" in rate.stderr.decode()
    assert in_use.returncode == 1
    (line,) = in_use.stderr.decode().strip().splitlines()
    assert f"--port {port}" in line and "address already in use" in line and "Traceback" not in line


async def test_serve_prints_the_key_and_the_endpoint_ready_to_paste() -> None:
    command = [sys.executable, "-m", "alabelbox", "emulator", "serve", "--port", "0", "--data-rows", "10"]
    async with await anyio.open_process(command) as process:
        assert process.stdout is not None
        text = ""
        with anyio.fail_after(20):
            while "Press Ctrl-C" not in text:
                text += (await process.stdout.receive()).decode()
        process.terminate()
        await process.wait()
    exports = [line.strip() for line in text.splitlines() if line.strip().startswith("export ")]
    assert [e.split("=")[0] for e in exports] == ["export LABELBOX_API_KEY", "export LABELBOX_ENDPOINT"]
    endpoint = exports[1].split("=", 1)[1]
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/graphql")
    assert f"endpoint:    {endpoint}" in text
