"""Send-to-annotate benchmark: rows to a project's queue, alabelbox against the official SDK.

Two timed steps, each into a fresh project of its own (the set-up, an ontology, a model, a run and a project, is not
timed):

* **send**: ``--rows`` catalog rows with the labels of the seeded project copied, from the request to the task seen
  done: ``client.data_rows.send_to_annotate(project_id, params={"source_project_id": ...})`` against the SDK's
  ``client.send_to_annotate_from_catalog(...)``. The emulator's task takes ``--task-seconds`` of server time; the
  rest is how soon each client notices (the SDK looks every 2 s).
* **upsert**: ``--rows`` predictions into the run, then the rows and their predictions to the project:
  ``client.model_runs.upsert_predictions_and_send_to_project`` against ``ModelRun.upsert_predictions_and_send_to_
  project`` (an MEA import, a batch, an MEA to MAL import, each waited for; the SDK sleeps 10 s between looks at an
  import).

The emulator runs in its own process with ``--latency`` per API request; each measurement runs in a fresh
subprocess (its peak RSS is its own), the order of the cases rotating from run to run. With ``--markdown`` the
figures are printed again as the ``send-to-annotate`` block of RESULTS.md (``_results.py``).

    python benchmarks/bench_send_to_annotate.py --rows 2000 --latency 0.05 --task-seconds 1 --runs 3
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
import warnings
from typing import Any

import _emulator
import _results

KEY = "lb-bench-send-to-annotate"
ONTOLOGY = {"tools": [{"tool": "rectangle", "name": "box"}], "classifications": []}
CASES = ("alabelbox", "sdk")


def start_emulator(rows: int, latency: float, task_seconds: float) -> tuple[subprocess.Popen[str], str]:
    return _emulator.start(KEY, rows=rows, latency=latency, task_seconds=task_seconds)


def predictions(ids: list[str]) -> list[dict[str, Any]]:
    box = {"top": 1, "left": 2, "height": 3, "width": 4}
    return [{"uuid": f"u{n}", "dataRow": {"id": rid}, "name": "box", "bbox": box} for n, rid in enumerate(ids)]


def sdk_child(endpoint: str, rows: int, tag: str) -> dict[str, Any]:
    import labelbox  # the official SDK, unmodified

    result: dict[str, Any] = {}

    def work() -> None:
        warnings.simplefilter("ignore")  # its own deprecated waits, inside upsert_predictions_and_send_to_project
        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint)
        source = sdk.get_projects().get_one()
        ids = [r.uid for r in sdk.get_datasets().get_one().data_rows()][:rows]
        ontology = sdk.create_ontology(f"bench {tag}", ONTOLOGY, media_type=labelbox.MediaType.Image)
        run = sdk.create_model(f"bench {tag}", ontology.uid).create_model_run("bench")
        copied = sdk.create_project(name=f"copied {tag}", media_type=labelbox.MediaType.Image)
        predicted = sdk.create_project(name=f"predicted {tag}", media_type=labelbox.MediaType.Image)
        started = time.perf_counter()
        task = sdk.send_to_annotate_from_catalog(
            destination_project_id=copied.uid,
            task_queue_id=None,
            batch_name="copied",
            data_rows=labelbox.DataRowIds(ids),
            params={"source_project_id": source.uid},
        )
        task.wait_till_done()
        result["send"] = time.perf_counter() - started
        assert task.status == "COMPLETE", task.status
        started = time.perf_counter()
        _, batch, mal = run.upsert_predictions_and_send_to_project("preds", predictions(ids), predicted.uid)
        result["upsert"] = time.perf_counter() - started
        assert batch is not None and mal is not None and batch.size == len(ids)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert "upsert" in result, "the SDK's run did not finish"
    return result


async def alabelbox_child(endpoint: str, rows: int, tag: str) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        source = await client.projects.list().get_one()
        dataset = await client.datasets.list().get_one()
        assert source is not None and dataset is not None
        ids = [r.id async for r in client.data_rows.list(dataset.id)][:rows]
        ontology = await client.execute(
            "mutation O($data: UpsertOntologyInput!){upsertOntology(data: $data){id}}",
            {"data": {"name": f"bench {tag}", "normalized": json.dumps(ONTOLOGY), "mediaType": "IMAGE"}},
        )
        model = await client.models.create(f"bench {tag}", ontology_id=ontology["upsertOntology"]["id"])
        run = await client.model_runs.create(model.id, name="bench")
        copied = await client.projects.create(f"copied {tag}", media_type="IMAGE")
        predicted = await client.projects.create(f"predicted {tag}", media_type="IMAGE")
        started = time.perf_counter()
        task = await client.data_rows.send_to_annotate(
            copied.id, batch_name="copied", data_row_ids=ids, params={"source_project_id": source.id}
        )
        await client.tasks.wait(task)
        send = time.perf_counter() - started
        started = time.perf_counter()
        done = await client.model_runs.upsert_predictions_and_send_to_project(
            run.id, name="preds", predictions=predictions(ids), project_id=predicted.id
        )
        upsert = time.perf_counter() - started
        assert done.batch is not None and done.mal_import is not None and done.batch.size == len(ids), done
        return {"send": send, "upsert": upsert}


def child(case: str, endpoint: str, rows: int, tag: str) -> dict[str, Any]:
    result = sdk_child(endpoint, rows, tag) if case == "sdk" else asyncio.run(alabelbox_child(endpoint, rows, tag))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(case: str, endpoint: str, rows: int, tag: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--endpoint", endpoint, "--rows", str(rows), "--tag", tag],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"the {case} run failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def medians(results: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, float]]:
    return {
        case: {key: statistics.median(r[key] for r in runs) for key in ("send", "upsert", "peak_rss_mb")}
        for case, runs in results.items()
    }


def markdown(m: dict[str, dict[str, float]], args: argparse.Namespace) -> str:
    sdk = m["sdk"]
    cells = []
    for case, title in (("alabelbox", "alabelbox"), ("sdk", "official SDK")):
        c = m[case]
        cells.append(
            [
                title,
                f"{c['send']:.2f}",
                _results.ratio(sdk["send"] / c["send"], 1),
                f"{c['upsert']:.2f}",
                _results.ratio(sdk["upsert"] / c["upsert"], 1),
                f"{c['peak_rss_mb']:.0f} MB",
            ]
        )
    header = ["case", "send s", "vs SDK", "upsert and send s", "vs SDK", "peak RSS"]
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    title = (
        f"**{args.rows:,} rows sent to a project with a project's labels, and {args.rows:,} predictions upserted "
        f"and sent; {args.latency * 1000:.0f} ms per request, {args.task_seconds:g} s of server time per task** "
        f"({runs})."
    )
    return _results.block("send-to-annotate", f"{title}\n\n{_results.table(header, cells)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--latency", type=float, default=0.05, help="emulator latency per API request, seconds")
    parser.add_argument("--task-seconds", type=float, default=1.0, help="server time of a task or an import")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--tag", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.endpoint, args.rows, args.tag)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rows:,} rows, latency {args.latency}")
    proc, endpoint = start_emulator(args.rows, args.latency, args.task_seconds)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    try:
        for run in range(args.runs):
            for case in CASES[run % 2 :] + CASES[: run % 2]:
                got = run_child(case, endpoint, args.rows, f"{case} {run}")
                results[case].append(got)
                print(
                    f"run {run + 1} {case:10s} send {got['send']:6.2f} s, upsert and send {got['upsert']:6.2f} s, "
                    f"peak RSS {got['peak_rss_mb']:.0f} MB",
                    flush=True,
                )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # its writer threads may hold it: the figures are in hand
            proc.kill()
            proc.wait()
    m = medians(results)
    print("\n| case | send s | upsert and send s |")
    print("|---|---:|---:|")
    for case, c in m.items():
        print(f"| {case} | {c['send']:.2f} | {c['upsert']:.2f} |")
    if args.markdown:
        print()
        print(markdown(m, args))


if __name__ == "__main__":
    main()
