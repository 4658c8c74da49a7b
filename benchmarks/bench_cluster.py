# mypy: disable-error-code="no-untyped-call"
"""One export read by N Dask or Ray workers against one process: rows/s, scaling 1 -> 2 workers, peak RSS per worker.

One emulator export (``--size-mb``, realistic rows, 4 MiB shards) is prepared once in an emulator subprocess, then
read, ``--repeats`` times each (medians reported), by:

* ``sdk``: the official SDK's ``get_buffered_stream()`` in this process (only endpoint and key changed);
* ``stream``: ``client.exports.stream(task)`` in this process (the single-process reference);
* ``dask-N``: ``alabelbox.dask.read_export`` on a ``LocalCluster`` of N single-threaded worker processes bound to
  127.0.0.1, the count done per partition on the workers;
* ``ray-N``: ``alabelbox.ray.read_export`` on a local Ray with N CPUs pinned to 127.0.0.1, the count done per block
  with ``map_batches``.

The work on each row: an annotation count per kind (the ``annotation_kind`` of every object, plus classifications
and relationships), in dict mode (``model=None``) and typed (``ExportRow``). Every run's counts must equal the first
run's, so no configuration can win by dropping rows. Every cluster is started before the first read and not timed; the
reads go in rounds, every configuration once per round, so that a change in the shared machine's other load falls
on all of them alike; the first round is a warm-up (workers importing alabelbox, building validators) and not
counted. The driver's shard listing is timed (it is part of every read). Ray's 1- and 2-worker rows are one local Ray
of 2 CPUs, with ``concurrency=1`` or ``2`` read tasks at once. The ``load`` column is the 1-minute load average
during the timed rounds.

Peak RSS: for the single-process rows, this process's ``VmHWM`` (it also drives the clusters); for Dask, the largest
``VmHWM`` among that cluster's workers; for Ray, among Ray's worker processes (shared by its two rows).

Usage::

    python benchmarks/bench_cluster.py --size-mb 200 --repeats 3
    python benchmarks/bench_cluster.py --size-mb 20 --repeats 1 --engines dask   # quick
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import logging
import os
import secrets
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import _results

from alabelbox import ApiKey, Client, ClientSpec
from alabelbox.testing import emulator_process
from alabelbox.types import ExportRow

ROW_BYTES = 3_400  # about one realistic project-export line of the emulator
KEY_ENV = "ALABELBOX_BENCH_KEY"


# -- the work: an annotation count per kind ----------------------------------------------------------------------------


def count_dict(rows: Iterable[Any]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for row in rows:
        for project in (row.get("projects") or {}).values():
            for label in project.get("labels") or []:
                annotations = label.get("annotations") or {}
                for obj in annotations.get("objects") or []:
                    kinds[obj.get("annotation_kind") or "object"] += 1
                kinds["classification"] += len(annotations.get("classifications") or [])
                kinds["relationship"] += len(annotations.get("relationships") or [])
        kinds["rows"] += 1
    return kinds


def count_typed(rows: Iterable[Any]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for row in rows:
        for project in (row.projects or {}).values():
            for label in project.labels or []:
                annotations = label.annotations
                if annotations is None:
                    continue
                for obj in annotations.objects or []:
                    kinds[getattr(obj, "annotation_kind", None) or "object"] += 1
                kinds["classification"] += len(annotations.classifications or [])
                kinds["relationship"] += len(annotations.relationships or [])
        kinds["rows"] += 1
    return kinds


def _partition_count_dict(rows: list[Any]) -> list[Counter[str]]:
    return [count_dict(rows)]


def _partition_count_typed(rows: list[Any]) -> list[Counter[str]]:
    return [count_typed(rows)]


def _batch_count_dict(batch: Any) -> Any:
    pandas = importlib.import_module("pandas")  # a dependency of Ray Data

    rows = ({"projects": projects} for projects in batch["projects"])
    counts = count_dict(rows)
    return pandas.DataFrame({"kind": list(counts), "n": list(counts.values())})


def _batch_count_typed(batch: Any) -> Any:
    pandas = importlib.import_module("pandas")  # a dependency of Ray Data

    counts = count_typed(batch["row"])
    return pandas.DataFrame({"kind": list(counts), "n": list(counts.values())})


# -- measuring -------------------------------------------------------------------------------------------------------


def vm_hwm_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def ray_worker_peak_mb() -> float:
    psutil = importlib.import_module("psutil")  # a dependency of distributed

    peaks = [
        vm_hwm_mb(child.pid)
        for child in psutil.Process().children(recursive=True)
        if "default_worker.py" in " ".join(child.cmdline()) or child.name().startswith("ray::")
    ]
    peaks = [p for p in peaks if p == p]
    return max(peaks) if peaks else float("nan")


# -- the readers -----------------------------------------------------------------------------------------------------


def sdk_reader(endpoint: str, key: str, task_id: str) -> Callable[[], Counter[str]]:
    def run() -> Counter[str]:
        import labelbox
        from labelbox.schema.export_task import ExportTask

        client = labelbox.Client(api_key=key, endpoint=endpoint)
        task = ExportTask.get_task(client, task_id)
        return count_dict(out.json for out in task.get_buffered_stream())

    return run


def stream_reader(spec: ClientSpec, task_id: str, typed: bool) -> Callable[[], Counter[str]]:
    def run() -> Counter[str]:
        async def main() -> Counter[str]:
            async with spec.client() as client:
                kinds: Counter[str] = Counter()
                async with client.exports.stream(task_id, model=ExportRow if typed else None) as rows:
                    batch: list[Any] = []
                    async for row in rows:
                        batch.append(row.value)
                        if len(batch) == 1000:
                            kinds += (count_typed if typed else count_dict)(batch)
                            batch = []
                    kinds += (count_typed if typed else count_dict)(batch)
                return kinds

        return asyncio.run(main())

    return run


def dask_reader(spec: ClientSpec, task_id: str, typed: bool, cluster: Any) -> Callable[[], Counter[str]]:
    import alabelbox.dask

    def run() -> Counter[str]:
        bag = alabelbox.dask.read_export(task_id, ExportRow if typed else None, client=spec)
        counted = bag.map_partitions(_partition_count_typed if typed else _partition_count_dict)
        parts = cluster.compute(counted).result()
        return sum(parts, Counter())

    return run


def ray_reader(spec: ClientSpec, task_id: str, typed: bool, workers: int) -> Callable[[], Counter[str]]:
    import alabelbox.ray

    def run() -> Counter[str]:
        ds = alabelbox.ray.read_export(task_id, ExportRow if typed else None, client=spec, concurrency=workers)
        counted = ds.map_batches(
            _batch_count_typed if typed else _batch_count_dict, batch_format="pandas", batch_size=None
        )
        kinds: Counter[str] = Counter()
        for item in counted.iter_rows():
            kinds[item["kind"]] += int(item["n"])
        return kinds

    return run


# -- main ------------------------------------------------------------------------------------------------------------


async def prepare(endpoint: str, key: str, rows: int) -> str:
    async with Client(api_key=key, endpoint=endpoint) as client:
        projects = [p async for p in client.projects.list()]
        project = projects[0]
        task = await client.exports.create_and_poll(
            project_id=project.id, params={"label_details": True}, wait_timeout=1800, poll_interval=0.5
        )
        metadata = await client.exports.metadata(task)
        assert metadata is not None and metadata.total_lines == rows, (metadata, rows)
        return task.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["sdk", "stream", "dask", "ray"])
    parser.add_argument("--markdown", action="store_true", help="print the RESULTS.md block too")
    args = parser.parse_args()
    rows = max(100, int(args.size_mb * 1e6 / ROW_BYTES))
    key = f"lb-emu-{secrets.token_hex(16)}"
    os.environ[KEY_ENV] = key  # the workers read it from their environment: it travels in no task
    results: list[dict[str, Any]] = []

    async def with_emulator() -> None:
        async with emulator_process(
            "--data-rows", str(rows), "--projects", "1", "--shard-mb", "4", "--task-seconds", "0", "--api-key", key,
            quiet=True,
        ) as emu:  # fmt: skip
            task_id = await prepare(emu.endpoint, key, rows)
            await asyncio.to_thread(measure, emu.endpoint, key, task_id, args, results, rows)

    asyncio.run(with_emulator())
    report(results, args, rows)


def measure(endpoint: str, key: str, task_id: str, args: argparse.Namespace, results: list[Any], rows: int) -> None:
    spec = ClientSpec(endpoint=endpoint, api_key=ApiKey.from_env(KEY_ENV))
    configs: list[tuple[str, str, int, Callable[[], Counter[str]], Callable[[], float]]] = []
    with contextlib.ExitStack() as stack:
        if "sdk" in args.engines:
            configs.append(("sdk", "dict", 1, sdk_reader(endpoint, key, task_id), vm_hwm_mb))
        if "stream" in args.engines:
            for typed in (False, True):
                mode = "typed" if typed else "dict"
                configs.append(("stream", mode, 1, stream_reader(spec, task_id, typed), vm_hwm_mb))
        if "dask" in args.engines:
            import distributed

            for n in args.workers:
                cluster = stack.enter_context(
                    distributed.LocalCluster(
                        n_workers=n,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        worker_dashboard_address=None,
                        silence_logs=40,
                    )
                )
                client = stack.enter_context(distributed.Client(cluster, set_as_default=False))
                pids = set(client.run(os.getpid).values())
                for typed in (False, True):
                    configs.append(
                        (
                            f"dask-{n}",
                            "typed" if typed else "dict",
                            n,
                            dask_reader(spec, task_id, typed, client),
                            lambda pids=pids: max(vm_hwm_mb(pid) for pid in pids),  # type: ignore[misc]
                        )
                    )
        if "ray" in args.engines:
            import ray
            from ray._private import ray_constants

            os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # keep Ray on 127.0.0.1 (see tests/cluster)
            ray_constants.ENABLE_RAY_CLUSTER = False
            temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")
            stack.callback(shutil.rmtree, temp, True)
            ray.init(
                num_cpus=max(args.workers),
                include_dashboard=False,
                _node_ip_address="127.0.0.1",
                _temp_dir=temp,
                logging_level=logging.WARNING,
                log_to_driver=False,
            )
            stack.callback(ray.shutdown)
            context = ray.data.DataContext.get_current()
            context.enable_progress_bars = False
            context.print_on_execution_start = False
            for n in args.workers:
                for typed in (False, True):
                    configs.append(
                        (
                            f"ray-{n}",
                            "typed" if typed else "dict",
                            n,
                            ray_reader(spec, task_id, typed, n),
                            ray_worker_peak_mb,
                        )
                    )
        # Rounds: every configuration once per round, so a change in the machine's other load (it is shared) falls
        # on all of them alike rather than on whichever ran at that moment. The first round is a warm-up.
        expected: dict[str, Counter[str]] = {}
        times: dict[tuple[str, str], list[float]] = {}
        loads: dict[tuple[str, str], list[float]] = {}
        for round_number in range(args.repeats + 1):
            for name, mode, _workers, fn, _rss in configs:
                started = time.perf_counter()
                counts = fn()
                seconds = time.perf_counter() - started
                if counts["rows"] != rows or counts != expected.setdefault(mode, counts):
                    raise SystemExit(f"{name} {mode} counted {counts}, expected {expected[mode]}: rows lost or doubled")
                if round_number:
                    times.setdefault((name, mode), []).append(seconds)
                    loads.setdefault((name, mode), []).append(os.getloadavg()[0])
                print(f"round {round_number} {name:8} {mode:5} {seconds:7.2f} s  load {os.getloadavg()[0]:.1f}")
        for name, mode, workers, _fn, rss in configs:
            results.append(
                {
                    "name": name,
                    "mode": mode,
                    "workers": workers,
                    "seconds": statistics.median(times[(name, mode)]),
                    "rss": rss(),
                    "load": statistics.median(loads[(name, mode)]),
                }
            )


def report(results: list[dict[str, Any]], args: argparse.Namespace, rows: int) -> None:
    base = {r["mode"]: r["seconds"] for r in results if r["name"] == "stream"}
    sdk = next((r["seconds"] for r in results if r["name"] == "sdk"), None)
    by_name = {(r["name"], r["mode"]): r["seconds"] for r in results}
    lines = []
    for r in results:
        engine = r["name"].split("-")[0]
        one = by_name.get((f"{engine}-1", r["mode"]))
        scaling = f"{one / r['seconds']:.2f}{_results.TIMES}" if one and r["workers"] > 1 else ""
        vs_stream = f"{base[r['mode']] / r['seconds']:.2f}{_results.TIMES}" if r["mode"] in base else ""
        vs_sdk = f"{sdk / r['seconds']:.2f}{_results.TIMES}" if sdk and r["mode"] == "dict" else ""
        lines.append(
            [
                r["name"],
                r["mode"],
                f"{rows / r['seconds']:,.0f}",
                f"{r['seconds']:.2f}",
                vs_stream,
                vs_sdk,
                scaling,
                f"{r['rss']:.0f}",
                f"{r['load']:.1f}",
            ]
        )
    table = _results.table(
        ["reader", "rows", "rows/s", "s (median)", "vs stream", "vs SDK", "1→N", "peak RSS MB", "load"], lines
    )
    print()
    print(table)
    if args.markdown:
        print(
            _results.block(
                "cluster",
                f"{rows:,} rows, {args.size_mb:g} MB, 4 MiB shards, medians of {args.repeats}; "
                f"{os.cpu_count()} cores\n\n{table}",
            )
        )


if __name__ == "__main__":
    main()
