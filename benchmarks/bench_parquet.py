"""Export to Parquet: alabelbox's streamed ``write_task`` against the typical user script with the official SDK.

One emulator export task (``--size-mb``, realistic image/video/text rows, 4 MiB shards) is prepared once in an
emulator subprocess; each consumer then runs in its own fresh subprocess, so its peak RSS (``VmHWM``) is its own:

* ``sdk``: the script users write today: ``ExportTask.get_task(client, id)`` + ``get_buffered_stream()`` with every
  ``out.json`` appended to a list, then ``pandas.json_normalize(rows)`` and ``DataFrame.to_parquet(path)``;
* ``alabelbox``: ``alabelbox.destinations.write_task(client, task, "out.parquet")``: the stream read as dicts,
  flattened into the rows table and the annotations table, written in row groups as it goes;
* ``rows``: the same with ``annotations=False``: the rows table only, the same content as the script's one file.

The outputs differ in shape (``json_normalize`` makes one column per nested key, project ids included; alabelbox
writes fixed schemas and one row per annotation as well), so this compares the cost of getting a Parquet file of the
export, not byte-identical files. Every run checks its row count.

With ``--markdown`` the figures are printed again as the ``destinations`` block of RESULTS.md (see ``_results.py``).

Usage::

    python benchmarks/bench_parquet.py --size-mb 200 --repeats 3
    python benchmarks/bench_parquet.py --size-mb 20 --repeats 1   # quick
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

import _results

from alabelbox.testing import emulator_process

ROW_BYTES = 3_400  # about one realistic project-export line of the emulator
PROFILES: dict[str, list[str]] = {
    "raw": [],
    "realistic": ["--latency", "0.15", "--ttfb", "0.05", "--bandwidth", str(40_000_000)],
}
#: Goals: alabelbox's peak RSS at most this, whatever the size; faster than the SDK script.
RSS_GOAL_MB = 200.0


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def consume_sdk(endpoint: str, key: str, task_id: str, out: str) -> dict[str, Any]:
    import labelbox
    import pandas as pd
    from labelbox.schema.export_task import ExportTask

    t0 = time.perf_counter()
    client = labelbox.Client(api_key=key, endpoint=endpoint)
    task = ExportTask.get_task(client, task_id)
    task.wait_till_done()
    rows = [output.json for output in task.get_buffered_stream()]
    frame = pd.json_normalize(rows)
    frame.to_parquet(out)
    return {"total": time.perf_counter() - t0, "rows": len(rows), "annotations": None}


def consume_alabelbox(endpoint: str, key: str, task_id: str, out: str, annotations: bool = True) -> dict[str, Any]:
    import anyio

    import alabelbox
    from alabelbox.destinations import write_task

    async def run() -> dict[str, Any]:
        t0 = time.perf_counter()
        async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
            task = await client.exports.retrieve(task_id)
            task = await client.exports.wait(task, poll_interval=2.0)
            summary = await write_task(client, task, out, annotations=annotations)
        return {"total": time.perf_counter() - t0, "rows": summary.rows, "annotations": summary.annotations}

    return anyio.run(run)


def consumer_main(args: argparse.Namespace) -> None:
    if args.consume == "sdk":
        result = consume_sdk(args.endpoint, args.key, args.task, args.out)
    else:
        result = consume_alabelbox(args.endpoint, args.key, args.task, args.out, args.consume == "alabelbox")
    result["rss_mb"] = _peak_rss_mb()
    result["parquet_mb"] = (
        sum(os.path.getsize(os.path.join(args.outdir, name)) for name in os.listdir(args.outdir)) / 1e6
    )
    print(json.dumps(result), flush=True)


async def prepare(endpoint: str, key: str) -> tuple[str, int, int]:
    import alabelbox

    async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
        project = (await client.execute("query { projects(skip: 0, first: 1) { id } }"))["projects"][0]["id"]
        task = await client.exports.create_and_poll(project_id=project, poll_interval=1.0, wait_timeout=3600)
        meta = await client.exports.metadata(task)
        assert meta is not None
        return task.id, meta.total_size, meta.total_lines


def run_consumer(kind: str, endpoint: str, key: str, task_id: str) -> dict[str, Any]:
    tmp = tempfile.mkdtemp(prefix="bench-parquet-consumer-")
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--consume", kind, "--endpoint", endpoint, "--key", key, "--task", task_id,
             "--out", os.path.join(tmp, "out.parquet"), "--outdir", tmp],
            check=True, capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp),
        )  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


async def driver(args: argparse.Namespace) -> None:
    rows = max(1, int(args.size_mb * 1_000_000 / ROW_BYTES))
    consumers = ["sdk", "alabelbox", "rows"]
    workdir = tempfile.mkdtemp(prefix="bench-parquet-emu-")
    serve = ("--projects", "1", "--data-rows", str(rows), "--shard-mb", "4", "--task-seconds", "0")
    try:
        async with emulator_process(*serve, *PROFILES[args.profile], env=dict(os.environ, TMPDIR=workdir)) as emu:
            t0 = time.perf_counter()
            task_id, size, lines = await prepare(emu.endpoint, emu.api_key)
            print(f"\n### {size / 1e6:,.0f} MB, {lines:,} rows, prepared in {time.perf_counter() - t0:.0f} s")
            results: dict[str, list[dict[str, Any]]] = {c: [] for c in consumers}
            for repeat in range(args.repeats):
                for kind in consumers:
                    r = await asyncio.to_thread(run_consumer, kind, emu.endpoint, emu.api_key, task_id)
                    assert r["rows"] == lines, (kind, r["rows"], lines)
                    results[kind].append(r)
                    print(f"  run {repeat + 1} {kind:>9}: {json.dumps(r)}", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    med = {
        k: {m: statistics.median(r[m] for r in rs) for m in ("total", "rss_mb", "parquet_mb")}
        for k, rs in results.items()
    }
    speed = med["sdk"]["total"] / med["alabelbox"]["total"]
    memory = med["sdk"]["rss_mb"] / med["alabelbox"]["rss_mb"]
    names = {
        "sdk": "SDK `get_buffered_stream` → list → `json_normalize` → `to_parquet`",
        "alabelbox": "alabelbox `write_task` (rows + annotations tables)",
        "rows": "alabelbox `write_task(annotations=False)` (rows table only)",
    }
    header = ["consumer", "total", "MB/s", "vs SDK script", "peak RSS", "RSS vs SDK script", "Parquet written"]
    cells = [
        [
            names[k],
            f"{m['total']:.1f} s",
            f"{size / 1e6 / m['total']:.1f}",
            _results.ratio(med["sdk"]["total"] / m["total"]),
            f"{m['rss_mb']:,.0f} MB",
            _results.ratio(med["sdk"]["rss_mb"] / m["rss_mb"], 1),
            f"{m['parquet_mb']:,.1f} MB",
        ]
        for k, m in med.items()
    ]
    runs = f"medians of {args.repeats}" if args.repeats > 1 else "one run"
    table = _results.table(header, cells)
    rows_speed = med["sdk"]["total"] / med["rows"]["total"]
    goals = (
        f"Goals: faster than the script (both tables {_results.ratio(speed)}, {_results.met(speed > 1)}; the rows "
        f"table alone {_results.ratio(rows_speed)}, {_results.met(rows_speed > 1)}), alabelbox peak RSS "
        f"≤ {RSS_GOAL_MB:.0f} MB ({med['alabelbox']['rss_mb']:.0f} MB, "
        f"{_results.met(med['alabelbox']['rss_mb'] <= RSS_GOAL_MB)}); memory {_results.ratio(memory, 1)} smaller."
    )
    text = f"{args.profile} profile, {size / 1e6:,.0f} MB, {lines:,} rows, {runs}:\n\n{table}\n\n{goals}"
    print("\n" + text, flush=True)
    if args.markdown:
        print()
        print(_results.block(f"destinations-{args.size_mb:g}", text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=200.0, help="export size (default 200)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", default="raw", choices=sorted(PROFILES))
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--consume", choices=["sdk", "alabelbox", "rows"], help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--outdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        consumer_main(args)
    else:
        asyncio.run(driver(args))


if __name__ == "__main__":
    main()
