"""Large-file upload benchmark: one local file of ``--mb`` MB made a data row, alabelbox against the official SDK.

The SDK's ``dataset.create_data_rows([path])`` reads the file whole (``upload_data(content: bytes)``) before it posts
it; alabelbox's ``client.data_rows.create(dataset_id, [path])`` streams it from disk 256 KiB at a time through the
transport's multipart path. Each case runs in a fresh subprocess, so its peak RSS (``VmHWM``) is its own, and its
RSS once its library is imported is the start-up figure; the emulator runs in its own process (raw loopback, no
latency; it takes requests up to 64 MB). The stored upload is checked after each case (its size). With
``--markdown`` the figures are printed again as the ``upload-stream`` block of RESULTS.md.

    python benchmarks/bench_upload_stream.py --mb 48 --runs 3
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
from pathlib import Path
from typing import Any

import _results

KEY = "lb-bench-upload"
CASES = ["sdk", "alabelbox"]


def start_emulator() -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", "10", "--api-key", KEY]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def status_mb(field: str) -> float:
    """A figure of ``/proc/self/status`` (``VmHWM``, ``VmRSS``), MB."""
    with open("/proc/self/status") as fh:
        line = next(line for line in fh if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def child(case: str, endpoint: str, dataset_id: str, path: str) -> dict[str, Any]:
    """One upload in this process; its figures."""
    result: dict[str, Any] = {}
    if case == "sdk":
        import labelbox

        base = status_mb("VmRSS")

        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint, rest_endpoint=endpoint.replace("/graphql", "/api/v1"))

        def work() -> None:
            started = time.perf_counter()
            task = sdk.get_dataset(dataset_id).create_data_rows(
                [{"row_data": path, "global_key": f"sdk-{os.getpid()}"}]
            )
            task.wait_till_done(timeout_seconds=3_600)
            result.update(seconds=time.perf_counter() - started, failed=len(task.errors or []))

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    else:
        import alabelbox  # noqa: F401 (imported before the start-up figure)

        base = status_mb("VmRSS")
        result = asyncio.run(alabelbox_create(endpoint, dataset_id, path))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result.update(peak_rss_mb=status_mb("VmHWM"), import_rss_mb=base, client_cpu=usage.ru_utime + usage.ru_stime)
    return result


async def alabelbox_create(endpoint: str, dataset_id: str, path: str) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        started = time.perf_counter()
        done = await client.data_rows.create(dataset_id, [{"row_data": path, "global_key": f"ours-{os.getpid()}"}])
        return {"seconds": time.perf_counter() - started, "failed": len(done.failed)}


def run_child(case: str, endpoint: str, dataset_id: str, path: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, endpoint, dataset_id, path],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


async def new_dataset(endpoint: str) -> str:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        return (await client.datasets.create("uploads")).id


async def stored_sizes(endpoint: str, dataset_id: str) -> list[int]:
    """The size of every uploaded row's file, read back from the storage origin (the truth after a case)."""
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        sizes = []
        async for row in client.data_rows.list(dataset_id):
            async with client.download(row.row_data) as response:
                size = 0
                async for chunk in response.content.iter_chunked(1 << 20):
                    size += len(chunk)
                sizes.append(size)
        return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=256, help="size of the file, MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--child", nargs=4, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.bin"
        with open(path, "wb") as fh:
            block = os.urandom(1 << 20)
            for _ in range(args.mb):
                fh.write(block)
        for run in range(args.runs):
            proc, endpoint = start_emulator()  # a fresh emulator per run: it keeps every upload in memory
            try:
                for case in CASES[run % 2 :] + CASES[: run % 2]:
                    dataset_id = asyncio.run(new_dataset(endpoint))
                    figures = run_child(case, endpoint, dataset_id, str(path))
                    sizes = asyncio.run(stored_sizes(endpoint, dataset_id))
                    assert sizes == [args.mb << 20] and figures["failed"] == 0, (case, sizes, figures)
                    results[case].append(figures)
                    print(f"run {run} {case:9s} {figures['seconds']:.2f} s peak RSS {figures['peak_rss_mb']:.0f} MB")
            finally:
                proc.terminate()
                proc.wait()
    m = {c: {k: statistics.median(r[k] for r in results[c]) for k in results[c][0]} for c in CASES}
    for case in CASES:
        print(f"{case:9s} median {m[case]['seconds']:.2f} s peak RSS {m[case]['peak_rss_mb']:.0f} MB")
    if args.markdown:
        rows = [
            [
                label,
                f"{m[c]['seconds']:.2f}",
                f"{m[c]['peak_rss_mb']:.0f} MB",
                f"{m[c]['peak_rss_mb'] - m[c]['import_rss_mb']:.0f} MB",
                _results.ratio(m["sdk"]["peak_rss_mb"] / m[c]["peak_rss_mb"]),
                f"{m[c]['client_cpu']:.2f}",
            ]
            for c, label in (
                ("alabelbox", "alabelbox `client.data_rows.create`"),
                ("sdk", "official SDK `create_data_rows`"),
            )
        ]
        body = (
            f"**One local file of {args.mb} MB** made a data row, medians of {args.runs}; raw loopback emulator.\n\n"
            + _results.table(
                ["case", "seconds", "peak RSS", "peak above start-up", "SDK's peak / this", "client CPU s"],
                rows,
            )
        )
        print(_results.block("upload-stream", body))


if __name__ == "__main__":
    main()
