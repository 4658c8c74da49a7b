"""Batch creation benchmark: "create 200 batches of 1,000 rows" with alabelbox against the official SDK.

Each case sends ``--batches`` batches of ``--rows`` data rows (by id) to a new project of the emulator:

* ``alabelbox`` ``client.batches.create_many(project_id, specs)`` with its default concurrency (8);
* ``alabelbox`` the same with ``concurrency=1`` (one batch after another, as the SDK);
* the official SDK: ``project.create_batch(name, ids)`` in a loop, in a thread (what the SDK offers for named
  batches: ``create_batches`` names them itself and gives one task per 100,000 rows).

A batch of 1,000 rows takes the server's task path in both clients (``createEmptyBatch`` + ``addDataRowsToBatchAsync``
+ waiting for the task + reading the batch back); the SDK also asks ``queryAllDataRowsHaveBeenProcessed`` first.
The emulator runs in its own process with a fixed latency per API request (``--latency``); every measurement runs
in a fresh subprocess (its own peak RSS); the case order rotates from run to run. With ``--markdown`` the figures are
printed again as the ``batches`` block of RESULTS.md (``_results.py``).

    python benchmarks/bench_batches.py --batches 200 --rows 1000 --latency 0.02 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from typing import Any

import _results

KEY = "lb-bench-batches"
SEED = 0
CASES = ("alabelbox", "alabelbox-concurrency1", "sdk")
CREATE_PROJECT = 'mutation CreateBenchProject { createProject(data: {name: "bench", mediaType: IMAGE}) { id } }'


def start_emulator(rows: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--seed", str(SEED), "--projects", "1",
        "--data-rows", str(rows), "--latency", str(latency), "--api-key", KEY, "--task-seconds", "0",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def row_ids(total: int) -> list[str]:
    """The ids of dataset 0's rows, as the emulator generates them (same seed and size)."""
    from alabelbox.testing._data import World, WorldConfig

    world = World(WorldConfig(seed=SEED, projects=1, data_rows=total))
    return [world.row_id(0, i) for i in range(total)]


def child(case: str, endpoint: str, batches: int, rows: int) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    ids = row_ids(batches * rows)
    chunks = [ids[k * rows : (k + 1) * rows] for k in range(batches)]
    if case == "sdk":
        import labelbox

        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint)
        result: dict[str, Any] = {}

        def run() -> None:
            project = sdk.get_project(sdk.execute(CREATE_PROJECT)["createProject"]["id"])
            started = time.perf_counter()
            made = [project.create_batch(f"b{k:04d}", chunk) for k, chunk in enumerate(chunks)]
            result["seconds"] = time.perf_counter() - started
            result["rows"] = sum(b.size for b in made)

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        result = asyncio.run(alabelbox_run(case, endpoint, chunks))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def alabelbox_run(case: str, endpoint: str, chunks: list[list[str]]) -> dict[str, Any]:
    import alabelbox
    from alabelbox.types import BatchSpec

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        project_id = (await client.execute(CREATE_PROJECT))["createProject"]["id"]
        specs = [BatchSpec(f"b{k:04d}", data_row_ids=chunk) for k, chunk in enumerate(chunks)]
        options = {"concurrency": 1} if case == "alabelbox-concurrency1" else {}
        started = time.perf_counter()
        done = await client.batches.create_many(project_id, specs, **options)
        seconds = time.perf_counter() - started
        done.raise_for_failures()
        return {"seconds": seconds, "rows": sum(b.size or 0 for b in done.batches)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(case: str, endpoint: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable, __file__, "--child", case, "--endpoint", endpoint,
        "--batches", str(args.batches), "--rows", str(args.rows),
    ]  # fmt: skip
    out = subprocess.run(
        cmd,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def medians(results: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    base = statistics.median(r["seconds"] for r in results["sdk"])
    out = {}
    for case, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        out[case] = {
            "rows": runs[0]["rows"],
            "seconds": seconds,
            "vs": base / seconds,
            "rss": statistics.median(r["peak_rss_mb"] for r in runs),
            "cpu": statistics.median(r["emulator_cpu"] for r in runs),
        }
    return out


def markdown(m: dict[str, dict[str, float]], args: argparse.Namespace) -> str:
    titles = {
        "alabelbox": "alabelbox `create_many`, default concurrency (8)",
        "alabelbox-concurrency1": "alabelbox `create_many(concurrency=1)`",
        "sdk": "official SDK, `project.create_batch` in a loop",
    }
    header = ["case", "seconds", "batches/s", "vs SDK", "peak RSS", "emulator CPU s"]
    cells = [
        [
            titles[case],
            f"{m[case]['seconds']:.2f}",
            f"{args.batches / m[case]['seconds']:.1f}",
            f"**{_results.ratio(m[case]['vs'], 1)}**" if case == "alabelbox" else _results.ratio(m[case]["vs"], 1),
            f"{m[case]['rss']:.0f} MB",
            f"{m[case]['cpu']:.2f}",
        ]
        for case in CASES
    ]
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    title = f"**{args.batches} batches of {args.rows:,} rows, {args.latency * 1000:.0f} ms per API request** ({runs})."
    return _results.block("batches", f"{title}\n\n{_results.table(header, cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--rows", type=int, default=1_000, help="rows per batch")
    parser.add_argument("--latency", type=float, default=0.02, help="emulator latency per API request, seconds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.endpoint, args.batches, args.rows)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, latency {args.latency}")
    proc, endpoint = start_emulator(args.batches * args.rows, args.latency)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    try:
        for run in range(args.runs):
            order = CASES[run % len(CASES) :] + CASES[: run % len(CASES)]
            for case in order:
                before = cpu_seconds(proc.pid)
                got = run_child(case, endpoint, args)
                got["emulator_cpu"] = cpu_seconds(proc.pid) - before
                assert got["rows"] == args.batches * args.rows, got
                results[case].append(got)
                print(
                    f"run {run + 1} {case:24s} {got['seconds']:7.2f} s peak RSS {got['peak_rss_mb']:.0f} MB, "
                    f"emulator CPU {got['emulator_cpu']:.2f} s",
                    flush=True,
                )
    finally:
        proc.terminate()
        proc.wait(10)
    m = medians(results)
    print("\n| case | seconds (median) | vs SDK | peak RSS | emulator CPU s |")
    print("|---|---:|---:|---:|---:|")
    for case in CASES:
        row = m[case]
        print(f"| {case} | {row['seconds']:.2f} | {row['vs']:.1f}x | {row['rss']:.0f} MB | {row['cpu']:.2f} |")
    if args.markdown:
        print()
        print(markdown(m, args))


if __name__ == "__main__":
    main()
