"""The emulator in a process of its own: ``python -m alabelbox.testing serve``, started and stopped for you.

A benchmark or a demo wants the emulator on its own CPU (on one event loop its work would be charged to the client),
so it runs ``serve`` in a subprocess, reads the banner it prints, and stops it with Ctrl-C (SIGINT) at the end.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import anyio.abc
from anyio.streams.text import TextReceiveStream

__all__ = ["RunningEmulator", "emulator_process"]


@dataclass(frozen=True, slots=True)
class RunningEmulator:
    """An emulator serving from a subprocess.

    Attributes:
        endpoint: The GraphQL endpoint (``http://127.0.0.1:PORT/graphql``).
        storage_url: The storage origin that serves export shards.
        api_key: The key it accepts.
        process: The subprocess (``.pid`` for measuring it).
    """

    endpoint: str
    storage_url: str
    api_key: str
    process: anyio.abc.Process


@asynccontextmanager
async def emulator_process(
    *serve_args: str,
    env: Mapping[str, str] | None = None,
    startup_timeout: float = 60.0,
    quiet: bool = False,
) -> AsyncIterator[RunningEmulator]:
    """Run ``python -m alabelbox.testing serve --port 0 *serve_args`` until the block ends.

    Args:
        serve_args: Flags of ``serve`` (``--seed``, ``--data-rows``, ``--latency``, ...).
        env: The subprocess's environment (default: this process's).
        startup_timeout: Seconds to wait for the banner.
        quiet: Discard what the emulator writes to stderr (by default it goes to this process's stderr).

    Raises:
        RuntimeError: The emulator exited or printed no banner in time (with what it printed).
    """
    command = [sys.executable, "-m", "alabelbox.testing", "serve", "--port", "0", *serve_args]
    stderr = subprocess.DEVNULL if quiet else None
    async with await anyio.open_process(command, stdout=subprocess.PIPE, stderr=stderr, env=env) as process:
        try:
            banner = await _read_banner(process, startup_timeout)
            yield RunningEmulator(banner["endpoint"], banner["storage"], banner["api key"], process)
        finally:
            with anyio.CancelScope(shield=True):
                if process.returncode is None:
                    process.send_signal(signal.SIGINT)
                    with anyio.move_on_after(10):
                        await process.wait()
                if process.returncode is None:
                    process.kill()
                    await process.wait()


async def _read_banner(process: anyio.abc.Process, timeout: float) -> dict[str, str]:
    """The ``name: value`` lines ``serve`` prints before "Press Ctrl-C"."""
    assert process.stdout is not None
    text = ""
    with anyio.move_on_after(timeout):
        async for piece in TextReceiveStream(process.stdout):
            text += piece
            if "Press Ctrl-C" in text:
                fields = {}
                for line in text.splitlines():
                    name, sep, value = line.strip().partition(":")
                    if sep and name in ("endpoint", "storage", "api key"):
                        fields[name] = value.strip()
                if len(fields) == 3:
                    return fields
                break
    raise RuntimeError(f"the emulator did not start: {text.strip() or 'no output'}")
