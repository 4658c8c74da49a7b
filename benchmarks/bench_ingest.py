"""Ingestion benchmark: ``client.data_rows.create`` against the official SDK's ``dataset.create_data_rows``.

Two workloads, each against a fresh dataset of one emulator (its own process, realistic profile: 100 ms per GraphQL
call, ``--task-seconds`` for each task to run):

* ``urls``: ``--rows`` data rows with URLs, global keys, a metadata value and an attachment each;
* ``files``: ``--files`` local files of ``--file-kb`` KB each, uploaded (``uploadFile``) and created.

Cases, each in a fresh subprocess (so its peak RSS, ``ru_maxrss``, is its own), the order rotating between runs:

* ``sdk``: ``dataset.create_data_rows(list_of_dicts)`` (a list: the SDK takes no generator), ``wait_till_done()``,
  then ``task.errors`` (the failed rows), as a pipeline that checks its import does;
* ``alabelbox``: ``client.data_rows.create(dataset_id, generator)`` with its defaults (chunks of 10,000, 8 in flight,
  32 uploads at once): every chunk's task awaited and its failed rows read;
* ``alabelbox-N`` (files only, with ``--wide N``): the same with ``N`` uploads at once
  (``Limits(max_concurrent_requests=N)``, ``upload_concurrency=N``), to show what the upload width buys: the files
  case is bound by uploads in flight (each one GraphQL call), not by the client's CPU.

Both are timed from the first spec to the result; the emulator's truth is checked after each case (every row there,
exactly once). With ``--markdown`` the figures are printed again as the ``ingest`` block of RESULTS.md.

``--memory 10000,100000`` also runs the alabelbox URL case once at each size and reports its peak RSS (the
``ingest-memory`` block): flat memory means the same peak whatever the number of rows.

    python benchmarks/bench_ingest.py --rows 100000 --files 2000 --runs 3 --memory 10000,100000
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
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _results

KEY = "lb-bench-ingest"
GOAL = 3.0  # rows/s of alabelbox against the SDK's, the goal
TAG = "cko8s9r5v0001h2dk9elqdidh"  # the reserved "tag" metadata field
CASES = ["sdk", "alabelbox"]


def start_emulator(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", "10",
        "--latency", str(args.latency), "--api-key", KEY, "--task-seconds", str(args.task_seconds),
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def url_specs(n: int, prefix: str) -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "row_data": f"https://storage.example.com/images/{prefix}/{i:08d}.jpg",
            "global_key": f"{prefix}-{i}",
            "external_id": f"{i:08d}.jpg",
            "metadata_fields": [{"schema_id": TAG, "value": f"batch {i // 1000}"}],
            "attachments": [{"type": "RAW_TEXT", "value": f"caption of {i}"}],
        }


def file_specs(folder: Path, prefix: str) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.iterdir()):
        yield {"row_data": str(path), "global_key": f"{prefix}-{path.name}"}


def child(case: str, workload: str, endpoint: str, dataset_id: str, folder: str, rows: int) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    prefix = f"{case}-{workload}-{os.getpid()}"
    result: dict[str, Any] = {}
    if case == "sdk":
        import labelbox

        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint, rest_endpoint=endpoint.replace("/graphql", "/api/v1"))

        def work() -> None:
            started = time.perf_counter()
            specs = list(url_specs(rows, prefix) if workload == "urls" else file_specs(Path(folder), prefix))
            task = sdk.get_dataset(dataset_id).create_data_rows(specs)
            task.wait_till_done(timeout_seconds=3_600)
            failed = task.errors or []
            result.update(seconds=time.perf_counter() - started, failed=len(failed), status=task.status)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    else:
        width = int(case.partition("-")[2] or 0) or None
        result = asyncio.run(alabelbox_create(workload, endpoint, dataset_id, folder, rows, prefix, width))
    result["prefix"] = prefix
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    result["client_cpu"] = usage.ru_utime + usage.ru_stime  # the whole process, set-up included
    return result


async def alabelbox_create(
    workload: str, endpoint: str, dataset_id: str, folder: str, rows: int, prefix: str, width: int | None = None
) -> dict[str, Any]:
    import alabelbox

    limits = alabelbox.Limits(max_concurrent_requests=width) if width else alabelbox.Limits()
    wide = {"upload_concurrency": width} if width else {}
    async with alabelbox.Client(api_key=KEY, endpoint=endpoint, limits=limits) as client:
        started = time.perf_counter()
        specs = url_specs(rows, prefix) if workload == "urls" else file_specs(Path(folder), prefix)
        done = await client.data_rows.create(dataset_id, specs, **wide)
        return {"seconds": time.perf_counter() - started, "failed": len(done.failed), "status": done.summary()}


def run_child(case: str, workload: str, endpoint: str, dataset_id: str, folder: str, rows: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, workload, endpoint, dataset_id, folder, str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


async def new_dataset(endpoint: str, name: str) -> str:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        return (await client.datasets.create(name)).id


async def count_rows(endpoint: str, dataset_id: str) -> int:
    """The rows the dataset holds: the truth after a case. Every spec has its own global key and the server never
    gives a key to two rows, so n rows means every spec's row, once (listing 100,000 rows would cost more than the
    case)."""
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        return (await client.datasets.retrieve(dataset_id)).row_count or 0


def measure(args: argparse.Namespace, folder: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    proc, endpoint = start_emulator(args)
    workloads = {"urls": args.rows, "files": args.files}
    cases = {w: CASES + ([f"alabelbox-{args.wide}"] if w == "files" and args.wide else []) for w in workloads}
    results: dict[str, dict[str, list[dict[str, Any]]]] = {w: {c: [] for c in cases[w]} for w in workloads}
    try:
        for run in range(args.runs):
            for workload, n in workloads.items():
                if n <= 0:
                    continue
                order = cases[workload]
                for case in order[run % len(order) :] + order[: run % len(order)]:
                    dataset_id = asyncio.run(new_dataset(endpoint, f"{case}-{workload}-{run}"))
                    before = cpu_seconds(proc.pid)
                    got = run_child(case, workload, endpoint, dataset_id, str(folder), n)
                    # The emulator is one Python process: its CPU time is a floor under any client's wall time.
                    got["emulator_cpu"] = cpu_seconds(proc.pid) - before
                    rows = asyncio.run(count_rows(endpoint, dataset_id))
                    assert rows == n and got["failed"] == 0, (case, workload, rows, got)
                    got["rows"] = n
                    results[workload][case].append(got)
                    print(
                        f"run {run + 1} {workload:5s} {case:12s} {n:>7,} rows {got['seconds']:7.2f} s "
                        f"{n / got['seconds']:>8,.0f} rows/s peak RSS {got['peak_rss_mb']:.0f} MB "
                        f"client CPU {got['client_cpu']:.2f} s emulator CPU {got['emulator_cpu']:.2f} s",
                        flush=True,
                    )
    finally:
        proc.terminate()
        try:
            proc.wait(60)  # it removes its work directory (every uploaded file) first
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return results


def memory(args: argparse.Namespace, sizes: list[int]) -> list[dict[str, Any]]:
    """Peak RSS of the alabelbox URL case at each size (one run each, a fresh dataset and process)."""
    proc, endpoint = start_emulator(args)
    out = []
    try:
        for n in sizes:
            dataset_id = asyncio.run(new_dataset(endpoint, f"memory-{n}"))
            got = run_child("alabelbox", "urls", endpoint, dataset_id, "", n)
            assert got["failed"] == 0, got
            got["rows"] = n
            out.append(got)
            print(f"memory {n:>7,} rows {got['seconds']:7.2f} s peak RSS {got['peak_rss_mb']:.0f} MB", flush=True)
    finally:
        proc.terminate()
        proc.wait(60)
    return out


def memory_markdown(runs: list[dict[str, Any]]) -> str:
    cells = [[f"{r['rows']:,}", f"{r['seconds']:.2f}", f"{r['peak_rss_mb']:.0f} MB"] for r in runs]
    table = _results.table(["URL rows", "seconds", "peak RSS"], cells)
    text = "alabelbox `client.data_rows.create` (defaults) from a generator, one run per size, its own process.\n\n"
    return _results.block("ingest-memory", text + table)


def medians(by_case: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    out = {}
    for case, runs in by_case.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        out[case] = {
            "rows": runs[0]["rows"],
            "seconds": seconds,
            "rate": runs[0]["rows"] / seconds,
            "rss": statistics.median(r["peak_rss_mb"] for r in runs),
            "cpu": statistics.median(r["emulator_cpu"] for r in runs),
            "client_cpu": statistics.median(r["client_cpu"] for r in runs),
        }
    base = out["sdk"]["seconds"]
    for m in out.values():
        m["vs"] = base / m["seconds"]
    return out


def markdown(results: dict[str, dict[str, list[dict[str, Any]]]], args: argparse.Namespace) -> str:
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    parts = []
    verdicts = []
    titles = {
        "urls": f"**{args.rows:,} URL rows** (global key, external id, a metadata value and an attachment each)",
        "files": f"**{args.files:,} local files of {args.file_kb} KB**, uploaded",
    }
    names = {"alabelbox": "alabelbox `client.data_rows.create` (defaults)", "sdk": "official SDK `create_data_rows`"}
    if args.wide:
        names[f"alabelbox-{args.wide}"] = f"alabelbox, {args.wide} uploads at once (not the default)"
    for workload, by_case in results.items():
        if not by_case["sdk"]:
            continue
        m = medians(by_case)
        cells = [
            [
                names[case],
                f"{m[case]['seconds']:.2f}",
                f"{m[case]['rate']:,.0f}",
                f"**{_results.ratio(m[case]['vs'], 1)}**" if case == "alabelbox" else _results.ratio(m[case]["vs"], 1),
                f"{m[case]['rss']:.0f} MB",
                f"{m[case]['client_cpu']:.2f}",
                f"{m[case]['cpu']:.2f}",
            ]
            for case in ("alabelbox", *(c for c in by_case if c not in ("alabelbox", "sdk")), "sdk")
        ]
        header = ["case", "seconds", "rows/s", "vs SDK", "peak RSS", "client CPU s", "emulator CPU s"]
        table = _results.table(header, cells)
        parts.append(f"{titles[workload]}, {runs}.\n\n{table}")
        v = m["alabelbox"]["vs"]
        verdicts.append(f"{workload}: {_results.ratio(v, 1)}, {_results.met(v >= GOAL)}")
    profile = (
        f"Emulator: {args.latency * 1000:.0f} ms per GraphQL call, each task {args.task_seconds:g} s; every case "
        "checked against the emulator's truth (every row once)."
    )
    goal = f"Goal ≥ {_results.ratio(GOAL, 0)} the SDK's rows/s: " + "; ".join(verdicts) + "."
    return _results.block("ingest", profile + "\n\n" + "\n\n".join(parts) + "\n\n" + goal)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000, help="URL rows per case")
    parser.add_argument("--files", type=int, default=2_000, help="local files per case (0: skip)")
    parser.add_argument("--file-kb", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per GraphQL call")
    parser.add_argument("--task-seconds", type=float, default=1.0, help="how long each task runs on the server")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument(
        "--wide", type=int, default=0, help="also run the files case with this many uploads at once (0: no)"
    )
    parser.add_argument("--memory", default="", help="comma-separated row counts: peak RSS of alabelbox at each")
    parser.add_argument("--child", nargs=6, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        case, workload, endpoint, dataset_id, folder, rows = args.child
        print(json.dumps(child(case, workload, endpoint, dataset_id, folder, int(rows))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        payload = os.urandom(args.file_kb * 1024)
        for i in range(args.files):
            (folder / f"{i:06d}.jpg").write_bytes(payload[i % 97 :] + i.to_bytes(4, "big"))
        results = measure(args, folder)
    for workload, by_case in results.items():
        if by_case["sdk"]:
            m = medians(by_case)
            for case, f in m.items():
                print(
                    f"{workload} {case:12s} median {f['seconds']:.2f} s {f['rate']:,.0f} rows/s "
                    f"({f['vs']:.1f}x the SDK) peak RSS {f['rss']:.0f} MB"
                )
    sizes = [int(n) for n in args.memory.split(",") if n.strip()]
    peaks = memory(args, sizes) if sizes else []
    if args.markdown:
        if any(by_case["sdk"] for by_case in results.values()):
            print(markdown(results, args))
        if peaks:
            print(memory_markdown(peaks))


if __name__ == "__main__":
    main()
