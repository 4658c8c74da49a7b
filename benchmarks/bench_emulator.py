"""Benchmark the emulator: time to prepare a large export, shard download throughput, peak RSS.

The emulator runs in a subprocess (``python -m alabelbox.testing serve``) so its peak RSS
(``VmHWM``) is its own. Downloads use a bare aiohttp reader over loopback that discards bytes. With ``--markdown``
the figures are printed again as the ``emulator`` block of RESULTS.md (see ``_results.py``).

    python benchmarks/bench_emulator.py --size-mb 1024 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from typing import Any

import _results
import aiohttp

from alabelbox.testing import emulator_process

BYTES_PER_ROW = 3_300  # average export line of an IMAGE project with default params
DOWNLOAD_GOAL_MB_S = 500
RSS_GOAL_MB = 300

CREATE = (
    "mutation exportDataRowsInProjectPyApi($input: ExportDataRowsInProjectInput!)"
    "{exportDataRowsInProject(input: $input){taskId isStreamable}}"
)
POLL = (
    "query GetUserCreatedTasksPyApi($param_0: ID!, $param_1: ID!){user(where: {id: $param_1})"
    "{createdTasks(where: {id: $param_0} skip: 0 first: 100){status completionPercentage id}}}"
)
HEADER = (
    "query H($where: WhereUniqueIdInput, $streamType: TaskStreamType!)"
    "{task(where: $where){exportMetadataHeader(streamType: $streamType){totalSize totalLines}}}"
)
BY_OFFSET = (
    "query O($where: WhereUniqueIdInput, $streamType: TaskStreamType!, $offset: UInt64!)"
    "{task(where: $where){exportFileFromOffset(streamType: $streamType, offset: $offset)"
    "{offsets {start end} lines {start end} file}}}"
)


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def one_run(args: argparse.Namespace, workdir: str) -> dict[str, float]:
    rows = max(1, int(args.size_mb * 1e6 / BYTES_PER_ROW))
    serve = ("--projects", "1", "--data-rows", str(rows), "--shard-mb", str(args.shard_mb), "--task-seconds", "0")
    async with emulator_process(*serve, env=dict(os.environ, TMPDIR=workdir)) as emu:
        endpoint, key = emu.endpoint, emu.api_key
        headers = {"Authorization": f"Bearer {key}"}
        async with aiohttp.ClientSession(headers=headers) as api:

            async def gql(query: str, variables: dict[str, Any]) -> dict[str, Any]:
                async with api.post(endpoint, json={"query": query, "variables": variables}) as r:
                    body = await r.json()
                assert "errors" not in body, body
                return body["data"]  # type: ignore[no-any-return]

            user = (await gql("{user{id}}", {}))["user"]["id"]
            project = (await gql("{projects{id}}", {}))["projects"][0]["id"]
            t0 = time.perf_counter()
            data = await gql(CREATE, {"input": {"filters": {"projectId": project}, "params": {}}})
            task = data["exportDataRowsInProject"]["taskId"]
            while True:
                got = await gql(POLL, {"param_0": task, "param_1": user})
                if got["user"]["createdTasks"][0]["status"] != "IN_PROGRESS":
                    break
                await asyncio.sleep(0.1)
            prepare = time.perf_counter() - t0
            header = (await gql(HEADER, {"where": {"id": task}, "streamType": "RESULT"}))["task"]
            total = int(header["exportMetadataHeader"]["totalSize"])
            urls = []
            offset = 0
            while offset < total:
                info = (await gql(BY_OFFSET, {"where": {"id": task}, "streamType": "RESULT", "offset": str(offset)}))[
                    "task"
                ]["exportFileFromOffset"]
                urls.append((info["file"], int(info["offsets"]["end"]) - offset + 1))
                offset = int(info["offsets"]["end"]) + 1
        speeds = []
        connector = aiohttp.TCPConnector(limit=args.concurrency)
        async with aiohttp.ClientSession(connector=connector) as storage:
            for _ in range(args.download_repeats):
                queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
                for item in urls:
                    queue.put_nowait(item)

                async def worker(queue: asyncio.Queue[tuple[str, int]]) -> int:
                    n = 0
                    while not queue.empty():
                        url, size = queue.get_nowait()
                        async with storage.get(url) as resp:
                            assert resp.status == 200
                            async for chunk in resp.content.iter_chunked(1 << 20):
                                n += len(chunk)
                        assert n > 0 and size > 0
                    return n

                t1 = time.perf_counter()
                done = sum(await asyncio.gather(*(worker(queue) for _ in range(args.concurrency))))
                elapsed = time.perf_counter() - t1
                assert done == total, (done, total)
                speeds.append(total / 1e6 / elapsed)
        rss = peak_rss_mb(emu.process.pid)
    return {
        "size_mb": total / 1e6,
        "shards": len(urls),
        "prepare_s": prepare,
        "mb_s": statistics.median(speeds),
        "rss_mb": rss,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=1024.0, help="target export size")
    parser.add_argument("--shard-mb", type=float, default=4.0, help="shard size")
    parser.add_argument("--runs", type=int, default=1, help="emulator runs (prepare + download)")
    parser.add_argument("--download-repeats", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=4, help="parallel shard downloads")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-emulator-") as workdir:
        for run in range(args.runs):
            r = await one_run(args, workdir)
            results.append(r)
            print(
                f"run {run + 1}: {r['size_mb']:.0f} MB in {r['shards']:.0f} shards; "
                f"prepare {r['prepare_s']:.1f} s ({r['size_mb'] / r['prepare_s']:.1f} MB/s); "
                f"download {r['mb_s']:.0f} MB/s (median of {args.download_repeats}); "
                f"emulator peak RSS {r['rss_mb']:.0f} MB",
                flush=True,
            )
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(
        f"median of {args.runs}: prepare {med['prepare_s']:.1f} s, download {med['mb_s']:.0f} MB/s, "
        f"peak RSS {med['rss_mb']:.0f} MB, export {med['size_mb']:.0f} MB"
    )
    if args.markdown:
        print()
        print(markdown(results, args.download_repeats))


def markdown(results: list[dict[str, float]], download_repeats: int) -> str:
    """The ``emulator`` block of RESULTS.md: one row per run, the medians, the goals."""
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    rows = [
        [
            str(run),
            f"{r['size_mb']:,.0f} MB",
            f"{r['shards']:.0f}",
            f"{r['prepare_s']:.1f} s",
            f"{r['mb_s']:,.0f} MB/s",
            f"{r['rss_mb']:.0f} MB",
        ]
        for run, r in enumerate(results, 1)
    ]
    rows.append(
        [
            "**median**",
            "",
            "",
            f"**{med['prepare_s']:.1f} s** (~{med['size_mb'] / med['prepare_s']:.0f} MB/s)",
            f"**{med['mb_s']:,.0f} MB/s**",
            f"**{med['rss_mb']:.0f} MB**",
        ]
    )
    header = ["run", "export", "shards", "prepare", f"download (median of {download_repeats})", "emulator peak RSS"]
    download_ok, rss_ok = med["mb_s"] >= DOWNLOAD_GOAL_MB_S, med["rss_mb"] < RSS_GOAL_MB
    goals = (
        f"Download ≥ {DOWNLOAD_GOAL_MB_S} MB/s: {_results.met(download_ok)}. "
        f"Emulator peak RSS < {RSS_GOAL_MB} MB: {_results.met(rss_ok)}. "
        + (f"Medians of {len(results)} runs." if len(results) > 1 else "One run.")
    )
    return _results.block("emulator", f"{_results.table(header, rows)}\n\n{goals}")


if __name__ == "__main__":
    asyncio.run(main())
