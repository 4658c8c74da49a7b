"""Catalog writes benchmark: metadata upserts and global-key jobs, alabelbox against the official SDK.

Against one emulator in its own process (``python -m alabelbox.testing serve --latency ...``), with ``--rows``
data rows created once through the SDK's ``create_data_rows`` (not timed), each run times, side by side:

* metadata: one ``tag`` value on every row: ``mdo.bulk_upsert`` (the SDK: 50 rows per request, one request at a
  time) against ``client.metadata.upsert`` (50 rows per request, 4 at a time);
* global keys: a new key for every row, then a lookup of every key: the SDK's
  ``assign_global_keys_to_data_rows`` / ``get_data_row_ids_for_global_keys`` called on chunks of 1,000 (the API's
  limit per job; the SDK does not split), one after the other, against ``client.global_keys.assign`` / ``lookup``
  (jobs of 1,000, 4 at a time).

The SDK runs in a thread of this process; the order of the two sides alternates from run to run. With
``--markdown`` the medians are printed again as the ``catalog`` block of RESULTS.md (``_results.py``).

    python benchmarks/bench_catalog.py --rows 5000 --latency 0.05 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import _results

KEY = "lb-bench-catalog"
TAG = "cko8s9r5v0001h2dk9elqdidh"  # the reserved ``tag`` schema
CHUNK = 1000


def start_emulator(latency: float) -> tuple[subprocess.Popen[str], str]:
    cmd = [
        sys.executable, "-m", "alabelbox.testing", "serve", "--projects", "1", "--data-rows", "10",
        "--latency", str(latency), "--api-key", KEY, "--task-seconds", "0",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "endpoint:" in line:
            return proc, line.split("endpoint:", 1)[1].strip()
    raise RuntimeError("the emulator did not start")


def sdk_client(endpoint: str) -> Any:
    import labelbox

    base = endpoint.rsplit("/graphql", 1)[0]
    return labelbox.Client(api_key=KEY, endpoint=endpoint, app_url=base, rest_endpoint=base + "/api/v1")


def in_thread(fn: Callable[[], Any]) -> float:
    """Seconds ``fn`` takes in a thread of its own (as the SDK is used beside an event loop)."""
    box: dict[str, float] = {}

    def run() -> None:
        started = time.perf_counter()
        fn()
        box["seconds"] = time.perf_counter() - started

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return box["seconds"]


def create_rows(endpoint: str, n: int) -> None:
    sdk = sdk_client(endpoint)
    dataset = sdk.create_dataset(name="bench-catalog")
    task = dataset.create_data_rows(
        [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"row-{i}"} for i in range(n)]
    )
    task.wait_till_done()


async def row_ids(endpoint: str, n: int) -> list[str]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        found = await client.global_keys.lookup([f"row-{i}" for i in range(n)])
    ids = [r for r in found.results if r]
    assert len(ids) == n, f"{len(ids)} of {n} rows were created"
    return ids


def sdk_metadata(endpoint: str, ids: list[str], run: int) -> float:
    from labelbox.schema.data_row_metadata import DataRowMetadata, DataRowMetadataField

    mdo = sdk_client(endpoint).get_data_row_metadata_ontology()
    items = [DataRowMetadata(data_row_id=r, fields=[DataRowMetadataField(schema_id=TAG, value=f"s{run}")]) for r in ids]
    failures: list[Any] = []
    seconds = in_thread(lambda: failures.extend(mdo.bulk_upsert(items)))
    assert not failures
    return seconds


def sdk_keys(endpoint: str, ids: list[str], run: int) -> float:
    sdk = sdk_client(endpoint)
    keys = [f"sdk-{run}-{i}" for i in range(len(ids))]

    def work() -> None:
        for start in range(0, len(ids), CHUNK):
            links = [
                {"data_row_id": r, "global_key": k}
                for r, k in zip(ids[start : start + CHUNK], keys[start : start + CHUNK], strict=True)
            ]
            assert not sdk.assign_global_keys_to_data_rows(links)["errors"]
        for start in range(0, len(keys), CHUNK):
            assert not sdk.get_data_row_ids_for_global_keys(keys[start : start + CHUNK])["errors"]

    return in_thread(work)


async def ours(endpoint: str, ids: list[str], run: int) -> dict[str, float]:
    import alabelbox

    async with alabelbox.Client(api_key=KEY, endpoint=endpoint) as client:
        items = [{"data_row_id": r, "fields": [{"schema_id": TAG, "value": f"a{run}"}]} for r in ids]
        started = time.perf_counter()
        assert await client.metadata.upsert(items) == []
        metadata = time.perf_counter() - started
        keys = [f"ours-{run}-{i}" for i in range(len(ids))]
        started = time.perf_counter()
        assert not (await client.global_keys.assign(list(zip(ids, keys, strict=True)))).errors
        assert not (await client.global_keys.lookup(keys)).errors
        return {"metadata": metadata, "keys": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.05, help="emulator latency per API request, seconds")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {args.rows:,} rows, latency {args.latency}")
    proc, endpoint = start_emulator(args.latency)
    figures: dict[str, list[float]] = {k: [] for k in ("sdk-metadata", "ours-metadata", "sdk-keys", "ours-keys")}
    try:
        create_rows(endpoint, args.rows)
        ids = asyncio.run(row_ids(endpoint, args.rows))
        for run in range(args.runs):
            if run % 2:  # the SDK first on odd runs
                figures["sdk-metadata"].append(sdk_metadata(endpoint, ids, run))
                figures["sdk-keys"].append(sdk_keys(endpoint, ids, run))
            got = asyncio.run(ours(endpoint, ids, run))
            figures["ours-metadata"].append(got["metadata"])
            figures["ours-keys"].append(got["keys"])
            if not run % 2:
                figures["sdk-metadata"].append(sdk_metadata(endpoint, ids, run))
                figures["sdk-keys"].append(sdk_keys(endpoint, ids, run))
            print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in figures.items()), flush=True)
    finally:
        proc.terminate()
        proc.wait(10)
    rows = []
    for what, label in (("metadata", "metadata upsert, every row"), ("keys", "assign + look up a key per row")):
        sdk, mine = statistics.median(figures[f"sdk-{what}"]), statistics.median(figures[f"ours-{what}"])
        rows.append([label, f"{sdk:.2f}", f"{mine:.2f}", _results.ratio(sdk / mine, 1), f"{args.rows / mine:,.0f}"])
    header = ["operation", "SDK s", "alabelbox s", "speed-up", "alabelbox rows/s"]
    body = _results.table(header, rows)
    print()
    print(body)
    if args.markdown:
        print()
        print(
            _results.block(
                "catalog", f"{args.rows:,} rows, {args.latency * 1000:.0f} ms per request, medians:\n\n{body}"
            )
        )


if __name__ == "__main__":
    main()
