"""Annotation import benchmark: ``client.imports`` against the official SDK's ``MALPredictionImport``.

Imports ``--annotations`` annotations (a box with a nested radio answer) on ``--rows`` data rows into a project of
the emulator, at a fixed latency per API request, and waits until the import is done:

* ``alabelbox``: ``client.imports.create(project_id, kind="MALPredictionImport", records=<a generator>)`` (records
  checked against the import format, sent in parts of 50,000, 4 at a time) then ``client.imports.wait(job)``
  (which also streams the error files to count failures);
* the official SDK: ``MALPredictionImport.create_from_objects(client, project_id, name, <a list>)`` (it needs a list)
  then ``wait_till_done()`` with its default 10 s sleep, and again with ``sleep_time_seconds=1``.

Every measurement runs in a fresh subprocess, so its peak RSS (``ru_maxrss``) is its own; the order of the cases
rotates from run to run. Timed: from the first record made to the import seen done, split three ways:
``submitted`` (the create calls returned: the client's own work and the upload), ``processed`` (the server's last
part done, from its ``updatedAt``: the emulator processes an import after answering its create call, as the API
does, and keeps it RUNNING at least ``--task-seconds``) and ``noticed after`` (the client's polling delay past
that). The emulator runs in its own process and checks every line. The load average of the machine is printed
with the figures. With ``--markdown`` the figures are printed again as the ``imports`` block of RESULTS.md
(``_results.py``).

    python benchmarks/bench_imports.py --annotations 100000 --rows 20000 --latency 0.05 --runs 3

With ``--from-file`` every case imports a local NDJSON file instead, written before the timer starts (alabelbox's
``create(path=...)``, the SDK's ``MALPredictionImport.create_from_file``): the ``imports-file`` block.
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
import uuid
from collections.abc import Iterator
from typing import Any

import _results

KEY = "lb-bench-imports"
GOAL = 3.0  # alabelbox's time to done against the SDK's (default polling)
CASES = ["alabelbox", "sdk-default", "sdk-1s"]


def start_emulator(rows: int, latency: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", str(rows),
        "--latency", str(latency), "--api-key", KEY, "--task-seconds", "1",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def records(row_ids: list[str], annotations: int) -> Iterator[dict[str, Any]]:
    """``annotations`` records, grouped by data row, as a user's model would emit them."""
    per_row = max(1, annotations // len(row_ids))
    made = 0
    for row in row_ids:
        for k in range(per_row):
            if made == annotations:
                return
            made += 1
            yield {
                "uuid": str(uuid.uuid4()),
                "dataRow": {"id": row},
                "name": "damage 損傷",
                "bbox": {"top": k, "left": 10.5, "height": 20, "width": 30},
                "classifications": [{"name": "radio_q1", "answer": {"name": "good"}}],
            }


def _cpu() -> float:
    """This process's user + system CPU seconds so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def write_records(row_ids: list[str], annotations: int, name: str) -> str:
    """The benchmark's records as an NDJSON file (for ``--from-file``); its path."""
    path = os.path.join(tempfile.gettempdir(), f"bench-imports-{os.getpid()}-{name}.ndjson")
    with open(path, "w") as fh:
        for record in records(row_ids, annotations):
            fh.write(json.dumps(record) + "\n")
    return path


def child(case: str, endpoint: str, annotations: int, name: str, from_file: bool = False) -> dict[str, Any]:
    """Run one measurement in this process and return its figures."""
    if case.startswith("sdk"):
        import labelbox

        sdk = labelbox.Client(api_key=KEY, endpoint=endpoint)
        project = sdk.get_projects().get_one()
        row_ids = [row.uid for row in sdk.get_datasets().get_one().data_rows()]
        result: dict[str, Any] = {}

        def run() -> None:
            path = write_records(row_ids, annotations, name) if from_file else ""
            result["cpu_before"] = _cpu()
            result["t0"] = time.time()
            started = time.perf_counter()
            if from_file:
                imp = labelbox.MALPredictionImport.create_from_file(sdk, project.uid, name, path)
            else:
                objects = list(records(row_ids, annotations))
                imp = labelbox.MALPredictionImport.create_from_objects(sdk, project.uid, name, objects)
            result["submitted"] = time.perf_counter() - started
            imp.wait_till_done(**({"sleep_time_seconds": 1} if case == "sdk-1s" else {}))
            result["seconds"] = time.perf_counter() - started
            result["failed"] = len(imp.errors)
            result["project"] = project.uid
            result["parts"] = [name]

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        result = asyncio.run(alabelbox_import(endpoint, annotations, name, from_file))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_mb"] = usage.ru_maxrss / 1024
    result["client_cpu"] = usage.ru_utime + usage.ru_stime - result.pop("cpu_before")
    return result


async def alabelbox_import(endpoint: str, annotations: int, name: str, from_file: bool = False) -> dict[str, Any]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        project = await client.projects.list().get_one()
        dataset = await client.datasets.list().get_one()
        assert project is not None and dataset is not None
        row_ids = [row.id async for row in client.data_rows.list(dataset.id)]
        source: dict[str, Any] = (
            {"path": write_records(row_ids, annotations, name)}
            if from_file
            else {"records": records(row_ids, annotations)}
        )
        cpu_before = _cpu()
        t0 = time.time()
        started = time.perf_counter()
        job = await client.imports.create(project.id, name=name, kind="MALPredictionImport", **source)
        submitted = time.perf_counter() - started
        job = await client.imports.wait(job)
        seconds = time.perf_counter() - started
        parts = [p.name for p in job.parts]
        return {
            "cpu_before": cpu_before,
            "t0": t0,
            "submitted": submitted,
            "seconds": seconds,
            "failed": 0,
            "project": project.id,
            "parts": parts,
        }


SERVER_TIMES = """query ImportTimes($projectId: ID!, $name: String!) {
  modelAssistedLabelingPredictionImport(where: {projectId: $projectId, name: $name}) { state createdAt updatedAt }
}"""


def server_done(endpoint: str, got: dict[str, Any]) -> float:
    """Seconds from the start of a measurement to the server's end of processing (the last part's ``updatedAt``:
    when it was processed, or ``--task-seconds`` after it was made, whichever is later)."""
    import urllib.request
    from datetime import datetime

    ends = []
    for name in got["parts"]:
        body = json.dumps({"query": SERVER_TIMES, "variables": {"projectId": got["project"], "name": name}}).encode()
        request = urllib.request.Request(
            endpoint, body, {"Content-Type": "application/json", "Authorization": f"Bearer {KEY}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # loopback only: the emulator
            answer = json.loads(response.read())["data"]["modelAssistedLabelingPredictionImport"]
        ends.append(datetime.fromisoformat(answer["updatedAt"].replace("Z", "+00:00")).timestamp())
    return max(ends) - float(got["t0"])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(case: str, endpoint: str, annotations: int, name: str, from_file: bool = False) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, "--endpoint", endpoint, "--annotations", str(annotations),
         "--name", name, *(["--from-file"] if from_file else [])],
        capture_output=True,
        text=True,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"the {case} child failed:\n{out.stderr}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def medians(results: dict[str, list[dict[str, Any]]], annotations: int) -> dict[str, dict[str, float]]:
    base = statistics.median(r["seconds"] for r in results["sdk-default"])
    out = {}
    for case, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        out[case] = {
            "seconds": seconds,
            "submitted": statistics.median(r["submitted"] for r in runs),
            "server": statistics.median(r["server_done"] for r in runs),
            "notice": statistics.median(r["seconds"] - r["server_done"] for r in runs),
            "rate": annotations / seconds,
            "vs": base / seconds,
            "rss": statistics.median(r["peak_rss_mb"] for r in runs),
            "cpu": statistics.median(r["emulator_cpu"] for r in runs),
            "client_cpu": statistics.median(r["client_cpu"] for r in runs),
        }
    return out


def markdown(m: dict[str, dict[str, float]], args: argparse.Namespace, load: tuple[float, float] = (0, 0)) -> str:
    titles = {
        "alabelbox": "alabelbox `client.imports.create` (a generator) + `wait`",
        "sdk-default": "official SDK `MALPredictionImport.create_from_objects` + `wait_till_done()` (10 s sleeps)",
        "sdk-1s": "official SDK, `wait_till_done(sleep_time_seconds=1)`",
    }
    if args.from_file:
        titles["alabelbox"] = "alabelbox `client.imports.create(path=...)` + `wait`"
        titles["sdk-default"] = "official SDK `MALPredictionImport.create_from_file` + `wait_till_done()` (10 s sleeps)"
    header = [
        "case",
        "time to done s",
        "submitted s",
        "processed s",
        "noticed after s",
        "annotations/s",
        "vs SDK (default)",
        "peak RSS",
        "client CPU s",
        "emulator CPU s",
    ]
    cells = [
        [
            titles[case],
            f"{v['seconds']:.2f}",
            f"{v['submitted']:.2f}",
            f"{v['server']:.2f}",
            f"{v['notice']:.2f}",
            f"{v['rate']:,.0f}",
            f"**{_results.ratio(v['vs'], 1)}**" if case == "alabelbox" else _results.ratio(v["vs"], 1),
            f"{v['rss']:.0f} MB",
            f"{v['client_cpu']:.2f}",
            f"{v['cpu']:.2f}",
        ]
        for case, v in m.items()
    ]
    runs = f"medians of {args.runs}" if args.runs > 1 else "one run"
    source = ", from a local NDJSON file" if args.from_file else ""
    title = (
        f"**{args.annotations:,} annotations on {args.rows:,} data rows{source}, {args.latency * 1000:.0f} ms per "
        f"API request** ({runs})."
    )
    ratio = m["alabelbox"]["vs"]
    verdict = f"{_results.ratio(ratio, 1)}, {_results.met(ratio >= GOAL)}"
    goal = f"Goal ≥ {_results.ratio(GOAL, 0)} the SDK's time to done (default polling): {verdict}."
    if args.from_file:
        goal = f"Against the SDK's default polling: {_results.ratio(ratio, 1)} (the goal is measured from objects)."
    machine = f"Load average (1 min) {load[0]:.1f} at the start and {load[1]:.1f} at the end, on {os.cpu_count()} CPUs."
    name = "imports-file" if args.from_file else "imports"
    return _results.block(name, f"{title}\n\n{_results.table(header, cells)}\n\n{goal} {machine}")


def emulator_cpu(rows: int, annotations: int, imports_count: int = 3) -> None:
    """The emulator's own CPU per import line, in this process (no HTTP, no client): the lines parsed, checked,
    applied and their statuses written, for ``imports_count`` MAL imports one after the other into the same project
    (the growth from one to the next) and a label import of the benchmark's records. Each import is processed by
    its own task, as the emulator does (the garbage collector runs between its chunks)."""
    import gc

    from alabelbox.testing import Emulator

    async def run() -> None:
        async with Emulator(projects=1, data_rows=rows, task_seconds=0) as emu:
            imports = emu.backend.imports
            row_ids = emu.data_row_ids(emu.dataset_ids[0])
            data = b"".join((json.dumps(r, ensure_ascii=False) + "\n").encode() for r in records(row_ids, annotations))
            key = emu.backend.projects.find_key(emu.project_ids[0])
            assert key is not None
            kinds = [("MALPredictionImport", n) for n in range(1, imports_count + 1)] + [("LabelImport", 1)]
            for kind, n in kinds:
                running = set(imports._running)
                before = time.process_time()
                job = imports.start(kind, f"{kind} {n}", key, data)
                await asyncio.gather(*(imports._running - running))
                assert job.processed and job.errors == 0
                per_line = (time.process_time() - before) / job.lines * 1e6
                print(
                    f"{kind:20s} #{n} {per_line:6.1f} us of emulator CPU per line ({job.lines:,} lines), "
                    f"{len(gc.get_objects()):,} objects tracked by the GC after it",
                    flush=True,
                )

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.05, help="emulator latency per API request, seconds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument(
        "--emulator-cpu", action="store_true", help="only measure the emulator's CPU per import line, in process"
    )
    parser.add_argument("--from-file", action="store_true", help="import a local NDJSON file (written untimed)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--name", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.emulator_cpu:
        emulator_cpu(args.rows, args.annotations)
        return
    if args.child:
        print(json.dumps(child(args.child, args.endpoint, args.annotations, args.name, args.from_file)))
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, latency {args.latency}")
    load_start = os.getloadavg()[0]
    proc, endpoint = start_emulator(args.rows, args.latency)
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in CASES}
    try:
        for run in range(args.runs):
            for case in CASES[run % len(CASES) :] + CASES[: run % len(CASES)]:
                before = cpu_seconds(proc.pid)
                got = run_child(case, endpoint, args.annotations, f"{case}-{run}", args.from_file)
                got["emulator_cpu"] = cpu_seconds(proc.pid) - before
                got["server_done"] = server_done(endpoint, got)
                results[case].append(got)
                print(
                    f"run {run + 1} {case:12s} done {got['seconds']:7.2f} s (submitted {got['submitted']:.2f} s, "
                    f"processed {got['server_done']:.2f} s) peak RSS {got['peak_rss_mb']:.0f} MB, client CPU "
                    f"{got['client_cpu']:.2f} s, emulator CPU {got['emulator_cpu']:.2f} s, failed {got['failed']}",
                    flush=True,
                )
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    m = medians(results, args.annotations)
    for case, v in m.items():
        print(f"{case:12s} {v['seconds']:7.2f} s  {v['rate']:9,.0f} annotations/s  {v['vs']:.2f}x  {v['rss']:.0f} MB")
    if args.markdown:
        print()
        print(markdown(m, args, (load_start, os.getloadavg()[0])))


if __name__ == "__main__":
    main()
