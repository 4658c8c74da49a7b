"""Export consumption: alabelbox's shard streamer against the official SDK's ``get_buffered_stream()``.

One emulator export task (``--size-mb``, realistic rows, 4 MiB shards) is prepared once per network profile in an
emulator subprocess; then each consumer runs in its own fresh subprocess, so peak RSS (``VmHWM``) is its own:

* ``sdk``: ``ExportTask.get_task(client, id)`` + ``wait_till_done()`` + ``get_buffered_stream()``, iterating every
  ``out.json`` (only endpoint and key changed);
* ``alabelbox``: ``client.exports.retrieve(id)`` + ``wait()`` + ``client.exports.stream(task, model=...,
  concurrency=k)``, iterating every record; dict mode (``model=None``) and typed (``ExportRow``).

Each consumer gets its own ``TMPDIR``, sampled every 20 ms for the peak temp disk. Those figures start when the task
is already complete. What the user waits for starts at ``create``: under the ``--e2e-profiles`` (realistic by
default) each end-to-end consumer creates its own export, waits with its library's defaults, and reads it:

* ``sdk-e2e``: ``project.export()`` + ``wait_till_done()`` + ``get_buffered_stream()``;
* ``dict-e2e`` / ``typed-e2e``: ``client.exports.create(project_id=...)`` + ``wait()`` + ``stream(task, model=...)``
  at the default concurrency;
* ``file-e2e``: ``create`` + ``wait()`` + ``download(task, path)`` (to the file written and renamed).

The emulator reports when each task ended (``updatedAt``: its writer finished), so each run splits into the
server's own work (``createdAt`` to ``updatedAt``), the notice delay (``updatedAt`` to ``wait`` returning) and the
time the user waits beyond the server's work (``updatedAt`` to the last record: notice + download + parse).
Profiles, set on the emulator (the realistic profile):

* ``realistic``: 100 ms per GraphQL call; storage 30 ms to first byte and 25 MB/s per connection;
* ``raw``: loopback, no shaping.

With ``--markdown`` the figures are printed again as the ``export`` block of RESULTS.md (see ``_results.py``).

Usage::

    python benchmarks/bench_export.py --size-mb 300 --repeats 3
    python benchmarks/bench_export.py --size-mb 100 --repeats 1 --profiles raw --e2e-profiles   # quick
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
import threading
import time
from typing import Any

import _results

from alabelbox.testing import emulator_process

ROW_BYTES = 3_400  # about one realistic project-export line of the emulator
PROFILES: dict[str, list[str]] = {
    "realistic": ["--latency", "0.1", "--ttfb", "0.03", "--bandwidth", str(25_000_000)],
    "raw": [],
}
TITLES = {"realistic": "Realistic profile", "raw": "Raw loopback"}
#: Goals against the SDK, for alabelbox at its default concurrency.
GOALS = {"realistic": {"dict": 3.0, "typed": 2.0, "first": 50.0, "memory": 10.0}, "raw": {"dict": 1.0}}
#: Goals for the end-to-end runs: the time beyond the server's work, shorter than the SDK's by this much.
E2E_GOALS = {"dict-e2e": 4.0, "typed-e2e": 2.5}
#: The notice bound of ``wait``'s defaults: within max(1 s, a tenth of the time waited), plus a round trip.
NOTICE_FRACTION = 0.1
E2E_TITLES = {
    "sdk-e2e": "SDK `project.export` + `wait_till_done` + `get_buffered_stream`",
    "dict-e2e": "alabelbox `create` + `wait` + `stream` dicts",
    "typed-e2e": "alabelbox `create` + `wait` + `stream` typed",
    "file-e2e": "alabelbox `create` + `wait` + `download` (file written)",
}
DIGITS = {"dict": 2, "typed": 2, "first": 0, "memory": 1}  # as the table's cells


# -- consumers (each runs in its own process) ------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class _DiskSampler(threading.Thread):
    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.02):
            total = 0
            for root, _dirs, files in os.walk(self.path):
                for name in files:
                    try:
                        total += os.path.getsize(os.path.join(root, name))
                    except OSError:
                        pass
            self.peak = max(self.peak, total)


def consume_sdk(endpoint: str, key: str, task_id: str) -> dict[str, Any]:
    import labelbox
    from labelbox.schema.export_task import ExportTask

    t0 = time.perf_counter()
    client = labelbox.Client(api_key=key, endpoint=endpoint)
    task = ExportTask.get_task(client, task_id)
    task.wait_till_done()
    first = None
    rows = 0
    for out in task.get_buffered_stream():
        if first is None:
            first = time.perf_counter() - t0
        _ = out.json
        rows += 1
    return {"first": first, "total": time.perf_counter() - t0, "rows": rows}


def consume_alabelbox(endpoint: str, key: str, task_id: str, concurrency: int, typed: bool) -> dict[str, Any]:
    import anyio

    import alabelbox
    from alabelbox.types import ExportRow

    async def run() -> dict[str, Any]:
        t0 = time.perf_counter()
        first = None
        rows = 0
        async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
            task = await client.exports.retrieve(task_id)
            task = await client.exports.wait(task, poll_interval=2.0)
            model = ExportRow if typed else None
            async with client.exports.stream(task, model=model, concurrency=concurrency) as records:
                async for _record in records:
                    if first is None:
                        first = time.perf_counter() - t0
                    rows += 1
        return {"first": first, "total": time.perf_counter() - t0, "rows": rows}

    return anyio.run(run)


def consume_sdk_e2e(endpoint: str, key: str, project_id: str) -> dict[str, Any]:
    import labelbox

    client = labelbox.Client(api_key=key, endpoint=endpoint)
    project = client.get_project(project_id)
    created = time.time()
    task = project.export()
    task.wait_till_done()
    noticed = time.time()
    rows = 0
    for out in task.get_buffered_stream():
        _ = out.json
        rows += 1
    return {"task": task.uid, "create": created, "noticed": noticed, "last": time.time(), "rows": rows}


def consume_alabelbox_e2e(endpoint: str, key: str, project_id: str, kind: str, concurrency: int) -> dict[str, Any]:
    import anyio

    import alabelbox
    from alabelbox.types import ExportRow

    async def run() -> dict[str, Any]:
        async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
            created = time.time()
            task = await client.exports.create(project_id=project_id)
            task = await client.exports.wait(task)  # the defaults: what a user gets without tuning
            noticed = time.time()
            rows = 0
            if kind == "file-e2e":
                path = os.path.join(tempfile.gettempdir(), "export.ndjson")
                done = await client.exports.download(task, path, concurrency=concurrency)
                rows = done.lines_done
            else:
                model = ExportRow if kind == "typed-e2e" else None
                async with client.exports.stream(task, model=model, concurrency=concurrency) as records:
                    async for _record in records:
                        rows += 1
            return {"task": task.id, "create": created, "noticed": noticed, "last": time.time(), "rows": rows}

    return anyio.run(run)


def consumer_main(args: argparse.Namespace) -> None:
    sampler = _DiskSampler(tempfile.gettempdir())
    sampler.start()
    if args.consume == "sdk":
        result = consume_sdk(args.endpoint, args.key, args.task)
    elif args.consume == "sdk-e2e":
        result = consume_sdk_e2e(args.endpoint, args.key, args.task)
    elif args.consume.endswith("-e2e"):
        result = consume_alabelbox_e2e(args.endpoint, args.key, args.task, args.consume, args.concurrency)
    else:
        result = consume_alabelbox(args.endpoint, args.key, args.task, args.concurrency, args.consume == "typed")
    sampler.stop.set()
    sampler.join()
    result["rss_mb"] = _peak_rss_mb()
    result["disk_mb"] = sampler.peak / 1e6
    print(json.dumps(result), flush=True)


# -- the driver ------------------------------------------------------------------------------------------------------


async def prepare(endpoint: str, key: str) -> tuple[str, str, int, int]:
    import alabelbox

    async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
        project = (await client.execute("query { projects(skip: 0, first: 1) { id } }"))["projects"][0]["id"]
        task = await client.exports.create_and_poll(project_id=project, poll_interval=1.0, wait_timeout=3600)
        meta = await client.exports.metadata(task)
        assert meta is not None
        return project, task.id, meta.total_size, meta.total_lines


async def server_times(endpoint: str, key: str, task_id: str) -> tuple[float, float, int]:
    """When the emulator created and ended a task (``createdAt``, ``updatedAt``), and its RESULT size in bytes."""
    import alabelbox

    async with alabelbox.Client(api_key=key, endpoint=endpoint) as client:
        task = await client.exports.retrieve(task_id)
        assert task.is_done and task.created_at and task.updated_at, task
        meta = await client.exports.metadata(task)
        return task.created_at.timestamp(), task.updated_at.timestamp(), meta.total_size if meta else 0


def e2e_figures(r: dict[str, Any], created: float, ended: float) -> dict[str, float]:
    """One end-to-end run split at the server's end: its own work, the notice delay, the user's wait beyond it."""
    return {
        "total": r["last"] - r["create"],
        "server": ended - created,
        "notice": r["noticed"] - ended,
        "beyond": r["last"] - ended,
        "download": r["last"] - r["noticed"],
    }


def run_consumer(kind: str, endpoint: str, key: str, task_id: str, concurrency: int) -> dict[str, Any]:
    tmp = tempfile.mkdtemp(prefix="bench-export-consumer-")
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--consume", kind, "--endpoint", endpoint, "--key", key, "--task", task_id,
             "--concurrency", str(concurrency)],
            check=True, capture_output=True, text=True, env=dict(os.environ, TMPDIR=tmp),
        )  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


async def driver(args: argparse.Namespace) -> None:
    rows = max(1, int(args.size_mb * 1_000_000 / ROW_BYTES))
    k = args.default_concurrency
    consumers = [("sdk", 1), ("dict", 1), ("dict", k), ("typed", 1), ("typed", k)]
    figures: dict[str, dict[str, Any]] = {}
    for profile in args.profiles:
        workdir = tempfile.mkdtemp(prefix="bench-export-emu-")
        serve = ("--projects", "1", "--data-rows", str(rows), "--shard-mb", "4", "--task-seconds", "0")
        try:
            async with emulator_process(*serve, *PROFILES[profile], env=dict(os.environ, TMPDIR=workdir)) as emu:
                endpoint, key = emu.endpoint, emu.api_key
                t0 = time.perf_counter()
                project_id, task_id, size, lines = await prepare(endpoint, key)
                print(
                    f"\n### profile {profile}: {size / 1e6:,.0f} MB, {lines:,} rows, prepared in "
                    f"{time.perf_counter() - t0:.0f} s",
                    flush=True,
                )
                results: dict[tuple[str, int], list[dict[str, Any]]] = {c: [] for c in consumers}
                for repeat in range(args.repeats):
                    for kind, concurrency in consumers:
                        r = await asyncio.to_thread(run_consumer, kind, endpoint, key, task_id, concurrency)
                        assert r["rows"] == lines, (kind, r["rows"], lines)
                        results[(kind, concurrency)].append(r)
                        print(f"  run {repeat + 1} {kind:>5} k={concurrency}: {json.dumps(r)}", flush=True)
                sdk = {m: statistics.median(r[m] for r in results[("sdk", 1)]) for m in ("first", "total")}
                sdk_mem = statistics.median(r["rss_mb"] + r["disk_mb"] for r in results[("sdk", 1)])
                figures[profile] = {"size": size, "lines": lines, "rows": {}}
                print("\n| consumer | first record | total | MB/s | vs SDK | peak RSS | peak temp disk "
                      "| first-record gain | RSS+disk gain |")  # fmt: skip
                print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
                for kind, concurrency in consumers:
                    rs = results[(kind, concurrency)]
                    first = statistics.median(r["first"] for r in rs)
                    total = statistics.median(r["total"] for r in rs)
                    rss = statistics.median(r["rss_mb"] for r in rs)
                    disk = statistics.median(r["disk_mb"] for r in rs)
                    name = "SDK get_buffered_stream" if kind == "sdk" else f"alabelbox {kind} k={concurrency}"
                    figures[profile]["rows"][(kind, concurrency)] = {
                        "first": first,
                        "total": total,
                        "mb_s": size / 1e6 / total,
                        "vs": sdk["total"] / total,
                        "rss": rss,
                        "disk": disk,
                        "first_gain": sdk["first"] / first,
                        "memory_gain": sdk_mem / (rss + disk),
                    }
                    print(
                        f"| {name} | {first:.2f} s | {total:.1f} s | {size / 1e6 / total:.1f} "
                        f"| {sdk['total'] / total:.2f}x "
                        f"| {rss:.0f} MB | {disk:.0f} MB | {sdk['first'] / first:.0f}x "
                        f"| {sdk_mem / (rss + disk):.1f}x |",
                        flush=True,
                    )
                if profile in args.e2e_profiles:
                    figures[profile]["e2e"] = await run_e2e(endpoint, key, project_id, lines, size, k, args.repeats)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.markdown:
        print()
        print(markdown(figures, k, args.repeats))


async def run_e2e(
    endpoint: str, key: str, project_id: str, lines: int, size: int, k: int, repeats: int
) -> dict[str, dict[str, float]]:
    """Each end-to-end consumer ``repeats`` times (rotating the order); medians of each figure, per consumer."""
    kinds = list(E2E_TITLES)
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for repeat in range(repeats):
        for kind in kinds[repeat % len(kinds) :] + kinds[: repeat % len(kinds)]:
            r = await asyncio.to_thread(run_consumer, kind, endpoint, key, project_id, k)
            created, ended, got_size = await server_times(endpoint, key, r["task"])
            assert r["rows"] == lines and got_size == size, (kind, r["rows"], lines, got_size, size)
            f = e2e_figures(r, created, ended) | {"rss": r["rss_mb"], "disk": r["disk_mb"]}
            runs[kind].append(f)
            print(
                f"  e2e run {repeat + 1} {kind:>9}: " + json.dumps({m: round(v, 2) for m, v in f.items()}), flush=True
            )
    out = {kind: {m: statistics.median(f[m] for f in fs) for m in fs[0]} for kind, fs in runs.items()}
    for kind, fs in runs.items():
        out[kind]["worst_notice"] = max(f["notice"] for f in fs)
        # The bound of wait's defaults for this run's server time: max(1 s, a tenth of it).
        out[kind]["bound"] = max(1.0, NOTICE_FRACTION * max(f["server"] for f in fs))
    print("\n| end to end | create → last | server's work | notice delay (worst) | beyond the server's work | vs SDK |")
    print("|---|---:|---:|---:|---:|---:|")
    sdk = out["sdk-e2e"]
    for kind, m in out.items():
        print(
            f"| {kind} | {m['total']:.1f} s | {m['server']:.1f} s | {m['notice']:.2f} s ({m['worst_notice']:.2f}) "
            f"| {m['beyond']:.1f} s | {sdk['beyond'] / m['beyond']:.2f}x |",
            flush=True,
        )
    return out


def markdown_e2e(e2e: dict[str, dict[str, float]], size: int, lines: int, k: int, repeats: int) -> str:
    """The end-to-end table and its goals."""
    header = ["from `create`", "to the last record", "server's own work", "notice delay (worst)",
              "beyond the server's work", "vs SDK (beyond)", "vs SDK (total)", "peak RSS"]  # fmt: skip
    sdk = e2e["sdk-e2e"]
    cells = []
    for kind, m in e2e.items():
        bold = kind in E2E_GOALS
        vs = _results.ratio(sdk["beyond"] / m["beyond"])
        cells.append([
            E2E_TITLES[kind] + (f" k={k}" if kind != "sdk-e2e" else ""), f"{m['total']:.1f} s", f"{m['server']:.1f} s",
            f"{m['notice']:.2f} s ({m['worst_notice']:.2f} s)", f"{m['beyond']:.1f} s",
            f"**{vs}**" if bold else vs, _results.ratio(sdk["total"] / m["total"]), f"{m['rss']:.0f} MB",
        ])  # fmt: skip
    runs = f"medians of {repeats}" if repeats > 1 else "one run per cell"
    title = (
        f"End to end, realistic profile ({size / 1e6:,.0f} MB, {lines:,} rows, {runs}; each run creates its own "
        "export and waits with its library's defaults; the server's work is the emulator's `createdAt` → `updatedAt`):"
    )
    goals = [
        f"{kind.removesuffix('-e2e')}: beyond the server's work ≥ {goal:g}{_results.TIMES} shorter than the SDK's "
        f"({_results.ratio(sdk['beyond'] / e2e[kind]['beyond'])}, "
        f"{_results.met(sdk['beyond'] / e2e[kind]['beyond'] >= goal)})"
        for kind, goal in E2E_GOALS.items()
    ]
    bound = max(m["bound"] for kind, m in e2e.items() if kind != "sdk-e2e")
    worst = max(m["worst_notice"] for kind, m in e2e.items() if kind != "sdk-e2e")
    goals.append(
        f"alabelbox's notice delay within max(1 s, a tenth of the wait) = {bound:.1f} s plus a round trip "
        f"(worst {worst:.2f} s, {_results.met(worst <= bound + 0.25)})"
    )
    return f"{title}\n\n{_results.table(header, cells)}\n\nGoals: " + "; ".join(goals) + "."


def markdown(figures: dict[str, dict[str, Any]], k: int, repeats: int) -> str:
    """The ``export`` block of RESULTS.md: one table per profile, then the goals."""
    parts = []
    header = ["consumer", "first record", "total", "MB/s", "vs SDK", "peak RSS", "peak temp disk",
              "first record gain", "RSS+disk gain"]  # fmt: skip
    runs = f"medians of {repeats}" if repeats > 1 else "one run per cell"
    for profile, fig in figures.items():
        cells = []
        for (kind, concurrency), m in fig["rows"].items():
            if kind == "sdk":
                name = "SDK `get_buffered_stream`"
            else:
                name = f"alabelbox {kind} k={concurrency}" + (" (default)" if concurrency == k else "")
            vs = _results.ratio(m["vs"])
            cells.append([
                name, f"{m['first']:.2f} s", f"{m['total']:.1f} s", f"{m['mb_s']:.1f}",
                f"**{vs}**" if kind != "sdk" and concurrency == k else vs,
                f"{m['rss']:.0f} MB", f"{m['disk']:,.0f} MB",
                _results.ratio(m["first_gain"], 0), _results.ratio(m["memory_gain"], 1),
            ])  # fmt: skip
        what = f"{fig['size'] / 1e6:,.0f} MB, {fig['lines']:,} rows, {runs}"
        title = f"{TITLES[profile]}, after the task is complete ({what}):"
        parts.append(f"{title}\n\n{_results.table(header, cells)}")
        if "e2e" in fig:
            parts.append(markdown_e2e(fig["e2e"], fig["size"], fig["lines"], k, repeats))
    goals = []
    for profile, fig in figures.items():
        target = GOALS[profile]
        dict_k, typed_k = fig["rows"][("dict", k)], fig["rows"][("typed", k)]
        measured = {
            "dict": dict_k["vs"],
            "typed": typed_k["vs"],
            "first": min(dict_k["first_gain"], typed_k["first_gain"]),
            "memory": min(dict_k["memory_gain"], typed_k["memory_gain"]),
        }
        words = {"dict": "dict", "typed": "typed", "first": "first record", "memory": "peak RSS + disk"}
        after = {"first": " sooner", "memory": " smaller"}
        items = [
            f"{words[key]} ≥ {goal:g}{_results.TIMES}{after.get(key, '')} "
            f"({_results.ratio(measured[key], DIGITS[key])}, {_results.met(measured[key] >= goal)})"
            for key, goal in target.items()
        ]
        where = "realistic" if profile == "realistic" else "raw loopback"
        goals.append(f"{where} " + ", ".join(items))
    setup = (
        "Profiles: realistic = 100 ms per GraphQL call, storage 30 ms to first byte and 25 MB/s per connection; "
        "raw = loopback. 2 cores, shared with seven other engineers' work: loaded and noisy."
    )
    body = setup + "\n\n" + "\n\n".join(parts)
    return _results.block("export", body + f"\n\nGoals after complete at k={k}: " + "; ".join(goals) + ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1024.0, help="export size (default 1024)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profiles", nargs="+", default=["realistic", "raw"], choices=sorted(PROFILES))
    parser.add_argument("--default-concurrency", type=int, default=4, help="alabelbox's default shard concurrency")
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    parser.add_argument(
        "--e2e-profiles",
        nargs="*",
        default=["realistic"],
        choices=sorted(PROFILES),
        help="profiles that also run the end-to-end consumers, from create (default realistic; none: leave out)",
    )
    parser.add_argument("--consume", choices=["sdk", "dict", "typed", *E2E_TITLES], help=argparse.SUPPRESS)
    parser.add_argument("--endpoint", help=argparse.SUPPRESS)
    parser.add_argument("--key", help=argparse.SUPPRESS)
    parser.add_argument("--task", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        consumer_main(args)
    else:
        asyncio.run(driver(args))


if __name__ == "__main__":
    main()
