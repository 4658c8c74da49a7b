"""Pagination benchmark: alabelbox's windowed and cursor paginators against the official SDK.

Case 1 lists every label of a project (offset pages of 100) with a fixed latency per API request (each ``--latency``
in turn, 30 ms and 100 ms by default):

* ``alabelbox`` with its default, adaptive window (``client.labels.list(project_id, include=())``: no tuning);
* ``alabelbox`` with ``window=1`` (sequential, as the SDK);
* the official SDK's ``project.labels()``, run in a thread.

Case 2 walks every data row of a dataset by cursor (pages of 500): ``client.data_rows.list(dataset_id)`` against
the SDK's ``dataset.data_rows()``.

The emulator runs in its own process (``python -m alabelbox.testing serve --latency ...``). Every measurement runs in
a fresh subprocess, so its peak RSS (``ru_maxrss``) is its own; the order of the cases rotates from run to run.
Only the walk is timed (client construction and ``get_project``/``get_dataset`` are not), after one untimed warm-up
walk against each emulator. With ``--markdown`` the figures are printed again as the ``pagination-labels`` and
``pagination-rows`` blocks of RESULTS.md (``_results.py``).

    python benchmarks/bench_pagination.py --labels 10000 --rows 100000 --latency 0.03 0.1 --runs 3
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

KEY = "lb-bench-pagination"
LABELS_GOAL = 4.0  # alabelbox with its default window against the SDK, at every latency


def start_emulator(rows: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", str(rows),
        "--latency", str(latency), "--api-key", KEY, "--task-seconds", "0",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def child(case: str, endpoint: str, latency: float) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    if case.startswith("sdk"):
        import labelbox  # the official SDK: no network at construction (a requests.Session only)

        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint)
        result: dict[str, Any] = {}

        def walk() -> None:
            if case == "sdk-labels":
                project = sdk.get_projects().get_one()
                started = time.perf_counter()
                result["items"] = sum(1 for _ in project.labels())
            else:
                dataset = sdk.get_datasets().get_one()
                started = time.perf_counter()
                result["items"] = sum(1 for _ in dataset.data_rows())
            result["seconds"] = time.perf_counter() - started

        thread = threading.Thread(target=walk)
        thread.start()
        thread.join()
    else:
        result = asyncio.run(alabelbox_walk(case, endpoint))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def alabelbox_walk(case: str, endpoint: str) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        if case in ("alabelbox-labels", "alabelbox-window1"):
            project = await client.projects.list().get_one()
            assert project is not None
            if case == "alabelbox-window1":
                paginator = client.labels.list(project.id, include=(), window=1)
            else:
                paginator = client.labels.list(project.id, include=())  # the default window
        else:
            dataset = await client.datasets.list().get_one()
            assert dataset is not None
            paginator = client.data_rows.list(dataset.id)  # type: ignore[assignment]
        started = time.perf_counter()
        items = 0
        async for _ in paginator:
            items += 1
        return {"items": items, "seconds": time.perf_counter() - started}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(case: str, endpoint: str, latency: float) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--endpoint", endpoint, "--latency", str(latency)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def group(title: str, rows: int, cases: list[str], args: argparse.Namespace) -> dict[str, list[dict[str, Any]]]:
    proc, endpoint = start_emulator(rows, args.latency)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in cases}
    try:
        # One untimed walk first: the emulator caches each label's generated text on first use (a real server reads
        # it from storage), so without it the first timed case of run 1 alone would pay for generating it.
        run_child(cases[0], endpoint, args.latency)
        for run in range(args.runs):
            order = cases[run % len(cases) :] + cases[: run % len(cases)]
            for case in order:
                before = cpu_seconds(proc.pid)
                got = run_child(case, endpoint, args.latency)
                # The emulator is one Python process: its CPU time is a floor under any client's wall time.
                got["emulator_cpu"] = cpu_seconds(proc.pid) - before
                results[case].append(got)
                print(
                    f"{title} run {run + 1} {case:20s} {got['items']:>7,} items {got['seconds']:7.2f} s "
                    f"peak RSS {got['peak_rss_mb']:.0f} MB, emulator CPU {got['emulator_cpu']:.2f} s",
                    flush=True,
                )
    finally:
        proc.terminate()
        proc.wait(10)
    return results


def summary(results: dict[str, list[dict[str, Any]]], baseline: str) -> None:
    base = statistics.median(r["seconds"] for r in results[baseline])
    print("| case | items | seconds (median) | items/s | vs SDK | peak RSS (median) | emulator CPU s (median) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for case, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        rss = statistics.median(r["peak_rss_mb"] for r in runs)
        cpu = statistics.median(r["emulator_cpu"] for r in runs)
        items = runs[0]["items"]
        rate = f"{items / seconds:,.0f}"
        print(f"| {case} | {items:,} | {seconds:.2f} | {rate} | {base / seconds:.1f}x | {rss:.0f} MB | {cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--labels", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--latency", type=float, nargs="+", default=[0.03, 0.1], help="emulator latency per API request, seconds"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-rows", action="store_true", help="only the labels case")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's blocks")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.endpoint, args.latency[0])))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, latencies {args.latency}")
    labels: dict[float, dict[str, list[dict[str, Any]]]] = {}
    rows: dict[float, dict[str, list[dict[str, Any]]]] = {}
    for latency in args.latency:
        one = argparse.Namespace(**{**vars(args), "latency": latency})
        labels[latency] = group("labels", args.labels, ["alabelbox-labels", "alabelbox-window1", "sdk-labels"], one)
        if not args.skip_rows:
            rows[latency] = group("rows", args.rows, ["alabelbox-rows", "sdk-rows"], one)
    for latency in args.latency:
        print(f"\n### {args.labels:,} labels, offset pages of 100, {latency * 1000:.0f} ms")
        summary(labels[latency], "sdk-labels")
        if latency in rows:
            print(f"\n### {args.rows:,} data rows, cursor pages of 500, {latency * 1000:.0f} ms")
            summary(rows[latency], "sdk-rows")
    if args.markdown:
        print()
        print(markdown_labels(labels, args))
        if rows:
            print()
            print(markdown_rows(rows, args))


def _medians(results: dict[str, list[dict[str, Any]]], baseline: str) -> dict[str, dict[str, float]]:
    """Per case: items, median seconds, items/s, speed-up against ``baseline``, median peak RSS and emulator CPU."""
    base = statistics.median(r["seconds"] for r in results[baseline])
    out = {}
    for case, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        out[case] = {
            "items": runs[0]["items"],
            "seconds": seconds,
            "rate": runs[0]["items"] / seconds,
            "vs": base / seconds,
            "rss": statistics.median(r["peak_rss_mb"] for r in runs),
            "cpu": statistics.median(r["emulator_cpu"] for r in runs),
        }
    return out


def _table(rows: list[tuple[str, dict[str, float], bool]], unit: str) -> str:
    header = ["case", "seconds", f"{unit}/s", "vs SDK", "peak RSS", "emulator CPU s"]
    cells = [
        [
            title,
            f"{m['seconds']:.2f}",
            f"{m['rate']:,.0f}",
            f"**{_results.ratio(m['vs'], 1)}**" if bold else _results.ratio(m["vs"], 1),
            f"{m['rss']:.0f} MB",
            f"{m['cpu']:.2f}",
        ]
        for title, m, bold in rows
    ]
    return _results.table(header, cells)


def _runs(args: argparse.Namespace) -> str:
    return f"medians of {args.runs}" if args.runs > 1 else "one run"


def markdown_labels(results: dict[float, dict[str, list[dict[str, Any]]]], args: argparse.Namespace) -> str:
    """The ``pagination-labels`` block of RESULTS.md: the three label walks at each latency, and the goal."""
    parts = []
    speedups = {}
    for latency, by_case in results.items():
        m = _medians(by_case, "sdk-labels")
        table = _table(
            [
                ("alabelbox, default window (adaptive, no tuning)", m["alabelbox-labels"], True),
                ("alabelbox, window 1 (sequential)", m["alabelbox-window1"], False),
                ("official SDK `project.labels()`", m["sdk-labels"], False),
            ],
            "labels",
        )
        speedups[latency] = m["alabelbox-labels"]["vs"]
        title = f"**{args.labels:,} labels, offset pages of 100, {latency * 1000:.0f} ms per request** ({_runs(args)})."
        parts.append(f"{title}\n\n{table}")
    verdicts = ", ".join(
        f"{latency * 1000:.0f} ms: {_results.ratio(v, 1)}, {_results.met(v >= LABELS_GOAL)}"
        for latency, v in speedups.items()
    )
    goal = f"Goal ≥ {_results.ratio(LABELS_GOAL, 0)} with the default window vs the SDK at every latency: {verdicts}."
    return _results.block("pagination-labels", "\n\n".join(parts) + f"\n\n{goal}")


def markdown_rows(results: dict[float, dict[str, list[dict[str, Any]]]], args: argparse.Namespace) -> str:
    """The ``pagination-rows`` block of RESULTS.md: the two cursor walks at each latency."""
    parts = []
    for latency, by_case in results.items():
        m = _medians(by_case, "sdk-rows")
        table = _table(
            [
                ("alabelbox `client.data_rows.list(id)`", m["alabelbox-rows"], True),
                ("official SDK `dataset.data_rows()`", m["sdk-rows"], False),
            ],
            "rows",
        )
        title = (
            f"**{args.rows:,} data rows, cursor pages of 500, {latency * 1000:.0f} ms per request** ({_runs(args)})."
        )
        parts.append(f"{title}\n\n{table}")
    return _results.block("pagination-rows", "\n\n".join(parts))


if __name__ == "__main__":
    main()
