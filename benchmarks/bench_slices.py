"""Slice benchmark: a catalog slice's data rows and its export, alabelbox against the official SDK.

Two timed steps on the same slice (the emulator's seeded slice over every row of dataset 0, ``--rows`` rows):

* **identifiers**: every row the slice selects, ``client.slices.data_row_identifiers(slice_id)`` against the SDK's
  ``catalog_slice.get_data_row_identifiers()``, cursor pages of 100 in both (the SDK's fixed size);
* **export**: ``client.exports.create_and_poll(slice_id=...)`` then ``client.exports.stream(task, model=None)``
  against ``catalog_slice.export()``, ``wait_till_done()`` and ``get_buffered_stream()``, from the request to the last
  record. The emulator's task takes ``--task-seconds`` of server time.

The emulator runs in its own process with ``--latency`` per API request; each measurement runs in a fresh
subprocess (its peak RSS is its own), the order of the cases rotating from run to run. With ``--markdown`` the
figures are printed again as the ``slices`` block of RESULTS.md (``_results.py``).

    python benchmarks/bench_slices.py --rows 20000 --latency 0.05 --task-seconds 1 --runs 3
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

import _emulator
import _results

KEY = "lb-bench-slices"
CASES = ("alabelbox", "sdk")
MEASURES = ("identifiers", "items", "export", "lines", "peak_rss_mb")


def start_emulator(rows: int, latency: float, task_seconds: float) -> tuple[subprocess.Popen[str], str]:
    return _emulator.start(KEY, rows=rows, latency=latency, task_seconds=task_seconds)


def sdk_child(endpoint: str) -> dict[str, Any]:
    import labelbox  # the official SDK, unmodified

    result: dict[str, Any] = {}

    def work() -> None:
        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint, rest_endpoint=endpoint.rsplit("/", 1)[0] + "/api/v1")
        catalog_slice = sdk.get_catalog_slices()[0]
        started = time.perf_counter()
        result["items"] = sum(1 for _ in catalog_slice.get_data_row_identifiers())
        result["identifiers"] = time.perf_counter() - started
        started = time.perf_counter()
        task = catalog_slice.export()
        task.wait_till_done()
        result["lines"] = sum(1 for _ in task.get_buffered_stream())
        result["export"] = time.perf_counter() - started

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return result


async def alabelbox_child(endpoint: str) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        slice_id = (await client.slices.list())[0].id
        started = time.perf_counter()
        items = 0
        async for _ in client.slices.data_row_identifiers(slice_id):
            items += 1
        identifiers = time.perf_counter() - started
        started = time.perf_counter()
        task = await client.exports.create_and_poll(slice_id=slice_id)
        lines = 0
        async with client.exports.stream(task, model=None) as rows:
            async for _ in rows:
                lines += 1
        return {"identifiers": identifiers, "items": items, "export": time.perf_counter() - started, "lines": lines}


def child(case: str, endpoint: str) -> dict[str, Any]:
    result = sdk_child(endpoint) if case == "sdk" else asyncio.run(alabelbox_child(endpoint))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(case: str, endpoint: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--endpoint", endpoint], check=True, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def medians(results: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    return {case: {key: statistics.median(r[key] for r in runs) for key in MEASURES} for case, runs in results.items()}


def markdown(m: dict[str, dict[str, float]], args: argparse.Namespace) -> str:
    sdk = m["sdk"]
    cells = []
    for case, title in (("alabelbox", "alabelbox `client.slices`"), ("sdk", "official SDK `CatalogSlice`")):
        c = m[case]
        cells.append(
            [
                title,
                f"{c['identifiers']:.2f}",
                f"{c['items'] / c['identifiers']:,.0f}",
                _results.ratio(sdk["identifiers"] / c["identifiers"], 1),
                f"{c['export']:.2f}",
                _results.ratio(sdk["export"] / c["export"], 1),
                f"{c['peak_rss_mb']:.0f} MB",
            ]
        )
    header = ["case", "identifiers s", "rows/s", "vs SDK", "export s", "vs SDK", "peak RSS"]
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    title = (
        f"**A catalog slice of {args.rows:,} data rows: its identifiers, then its export streamed; "
        f"{args.latency * 1000:.0f} ms per request, {args.task_seconds:g} s of server time per export** ({runs})."
    )
    return _results.block("slices", f"{title}\n\n{_results.table(header, cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.05, help="emulator latency per API request, seconds")
    parser.add_argument("--task-seconds", type=float, default=1.0, help="server time of an export task")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.endpoint)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rows:,} rows, latency {args.latency}")
    proc, endpoint = start_emulator(args.rows, args.latency, args.task_seconds)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    try:
        for run in range(args.runs):
            for case in CASES[run % 2 :] + CASES[: run % 2]:
                got = run_child(case, endpoint)
                if got["items"] != args.rows or got["lines"] != args.rows:
                    raise RuntimeError(f"{case} read {got['items']} identifiers and {got['lines']} export lines")
                results[case].append(got)
                print(
                    f"run {run + 1} {case:10s} identifiers {got['identifiers']:6.2f} s, export {got['export']:6.2f} s,"
                    f" peak RSS {got['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
    finally:
        proc.terminate()
        proc.wait(10)
    m = medians(results)
    print("\n| case | identifiers s | export s | rows |")
    print("|---|---:|---:|---:|")
    for case, c in m.items():
        print(f"| {case} | {c['identifiers']:.2f} | {c['export']:.2f} | {c['items']:,.0f} |")
    if args.markdown:
        print()
        print(markdown(m, args))


if __name__ == "__main__":
    main()
