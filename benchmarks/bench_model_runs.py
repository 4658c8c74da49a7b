"""Model-run benchmark: adding data rows to a run and listing them, alabelbox against the official SDK.

Two timed steps, each against a fresh model run of its own (the set-up, an ontology, a model, a run and the ids of
``--rows`` data rows, is not timed):

* **register**: ``client.model_runs.upsert_data_rows(run_id, data_row_ids=...)`` against the SDK's
  ``model_run.upsert_data_rows(data_row_ids=...)``, from the request to the task seen done. The emulator's task takes
  ``--task-seconds`` of server time; the rest is how soon each client notices (the SDK sleeps 5 s between looks).
* **list**: every row of the run, ``client.model_runs.data_rows(run_id)`` against ``model_run.model_run_data_rows()``
  (cursor pages of 100 in both).

The emulator runs in its own process with ``--latency`` per API request; each measurement runs in a fresh
subprocess (its peak RSS is its own), the order of the cases rotating from run to run. With ``--markdown`` the
figures are printed again as the ``model-runs`` block of RESULTS.md (``_results.py``).

    python benchmarks/bench_model_runs.py --rows 5000 --latency 0.05 --task-seconds 2 --runs 3
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

KEY = "lb-bench-model-runs"
ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}
CASES = ("alabelbox", "sdk")


def start_emulator(rows: int, latency: float, task_seconds: float) -> tuple[subprocess.Popen[str], str]:
    return _emulator.start(KEY, rows=rows, latency=latency, task_seconds=task_seconds)


def sdk_child(endpoint: str, rows: int) -> dict[str, Any]:
    import labelbox  # the official SDK, unmodified

    result: dict[str, Any] = {}

    def work() -> None:
        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint)
        ids = [r.uid for r in sdk.get_datasets().get_one().data_rows()][:rows]
        ontology = sdk.create_ontology("bench", ONTOLOGY, media_type=labelbox.MediaType.Image)
        run = sdk.create_model("bench", ontology.uid).create_model_run("bench")
        started = time.perf_counter()
        run.upsert_data_rows(data_row_ids=ids)
        result["register"] = time.perf_counter() - started
        started = time.perf_counter()
        result["items"] = sum(1 for _ in run.model_run_data_rows())
        result["list"] = time.perf_counter() - started

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return result


async def alabelbox_child(endpoint: str, rows: int) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        dataset = await client.datasets.list().get_one()
        assert dataset is not None
        ids = [r.id async for r in client.datasets.data_rows(dataset.id)][:rows]
        ontology = await client.execute(
            "mutation O($data: UpsertOntologyInput!){upsertOntology(data: $data){id}}",
            {"data": {"name": "bench", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}},
        )
        model = await client.models.create("bench", ontology_id=ontology["upsertOntology"]["id"])
        run = await client.model_runs.create(model.id, name="bench")
        started = time.perf_counter()
        await client.model_runs.upsert_data_rows(run.id, data_row_ids=ids)
        register = time.perf_counter() - started
        started = time.perf_counter()
        items = 0
        async for _ in client.model_runs.data_rows(run.id):
            items += 1
        return {"register": register, "items": items, "list": time.perf_counter() - started}


def child(case: str, endpoint: str, rows: int) -> dict[str, Any]:
    result = sdk_child(endpoint, rows) if case == "sdk" else asyncio.run(alabelbox_child(endpoint, rows))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(case: str, endpoint: str, rows: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--endpoint", endpoint, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def medians(results: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    return {
        case: {key: statistics.median(r[key] for r in runs) for key in ("register", "list", "items", "peak_rss_mb")}
        for case, runs in results.items()
    }


def markdown(m: dict[str, dict[str, float]], args: argparse.Namespace) -> str:
    sdk = m["sdk"]
    cells = []
    for case, title in (("alabelbox", "alabelbox `client.model_runs`"), ("sdk", "official SDK `ModelRun`")):
        c = m[case]
        cells.append(
            [
                title,
                f"{c['register']:.2f}",
                _results.ratio(sdk["register"] / c["register"], 1),
                f"{c['list']:.2f}",
                f"{c['items'] / c['list']:,.0f}",
                _results.ratio(sdk["list"] / c["list"], 1),
                f"{c['peak_rss_mb']:.0f} MB",
            ]
        )
    header = ["case", "register s", "vs SDK", "list s", "rows/s", "vs SDK", "peak RSS"]
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    title = (
        f"**{args.rows:,} data rows into a model run, then listed; {args.latency * 1000:.0f} ms per request, "
        f"{args.task_seconds:g} s of server time per registration** ({runs})."
    )
    return _results.block("model-runs", f"{title}\n\n{_results.table(header, cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--latency", type=float, default=0.05, help="emulator latency per API request, seconds")
    parser.add_argument("--task-seconds", type=float, default=2.0, help="server time of a registration task")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.endpoint, args.rows)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rows:,} rows, latency {args.latency}")
    proc, endpoint = start_emulator(args.rows, args.latency, args.task_seconds)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    try:
        for run in range(args.runs):
            for case in CASES[run % 2 :] + CASES[: run % 2]:
                got = run_child(case, endpoint, args.rows)
                results[case].append(got)
                print(
                    f"run {run + 1} {case:10s} register {got['register']:6.2f} s, list {got['items']:,} rows "
                    f"{got['list']:6.2f} s, peak RSS {got['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
    finally:
        proc.terminate()
        proc.wait(10)
    m = medians(results)
    print("\n| case | register s | list s | rows |")
    print("|---|---:|---:|---:|")
    for case, c in m.items():
        print(f"| {case} | {c['register']:.2f} | {c['list']:.2f} | {c['items']:,.0f} |")
    if args.markdown:
        print()
        print(markdown(m, args))


if __name__ == "__main__":
    main()
