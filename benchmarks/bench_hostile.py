"""Time to the typed error for each hostile server (the figures in benchmarks/RESULTS.md, "Hostile servers").

Run: ``.venv/bin/python -m benchmarks.bench_hostile`` (or ``python benchmarks/bench_hostile.py`` from the root).
Bounds: ``Timeout(total=0.3, connect=0.3)``, ``RetryConfig(max_retries=2, initial_delay=0.01, max_delay=0.02)``.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time

from alabelbox import Client, LabelboxError, RetryConfig, Timeout
from tests.hostile.servers import KEY, Hostile, serve

logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the servers' own "client went away" tracebacks

TOTAL, RETRIES = 0.3, 2
RETRY = RetryConfig(max_retries=RETRIES, initial_delay=0.01, max_delay=0.02, max_retry_after=0.02, deadline=10.0)


async def _call(kind: str, hostile: Hostile, client: Client) -> None:
    if kind == "api":
        await client.execute("query Me { user { id } }")
    elif kind == "stream":
        async with client.exports.stream("task1", model=None, concurrency=2) as rows:
            [r async for r in rows]
    else:
        async with client.download(hostile.signed("shard0")) as response:
            await response.read()


async def one(kind: str, mode: str) -> tuple[float, str]:
    async with serve() as hostile:
        if kind == "api":
            hostile.api_mode = mode
        else:
            hostile.storage_mode = mode
        timeout = Timeout(total=TOTAL, connect=TOTAL)
        async with Client(api_key=KEY, endpoint=hostile.endpoint, timeout=timeout, retry=RETRY) as client:
            started = time.monotonic()
            try:
                await _call(kind, hostile, client)
            except LabelboxError as error:
                return time.monotonic() - started, type(error).__name__
    raise AssertionError(f"{kind} {mode}: no error")


async def main() -> None:
    cases = [
        *(("api", m) for m in ("stall", "trickle", "close", "echo", "html")),
        *(("stream", m) for m in ("stall", "trickle", "few_then_stall", "echo", "html", "close")),
        *(("download", m) for m in ("stall", "trickle", "few_then_stall", "close")),
    ]
    print("| call | server | typed error | median s (5 runs) | max s |")
    print("|---|---|---|---:|---:|")
    for kind, mode in cases:
        runs = [await one(kind, mode) for _ in range(5)]
        times = [t for t, _ in runs]
        print(f"| {kind} | {mode} | {runs[0][1]} | {statistics.median(times):.3f} | {max(times):.3f} |")


if __name__ == "__main__":
    asyncio.run(main())
