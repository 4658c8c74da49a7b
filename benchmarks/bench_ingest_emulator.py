"""Benchmark the emulator's side of data-row ingestion: CPU time and memory for 100,000 created rows.

The emulator runs in a subprocess (``python -m alabelbox.testing serve``), so its RSS is its own. The
client here is a bare aiohttp one that sends exactly what the official SDK 7.17 sends for
``Dataset.create_data_rows``: JSON chunk files and a manifest through ``uploadFile`` (GraphQL multipart),
then ``upsertDataRows``, then the task's ``successesfulDataRowImports`` pages (to check every row arrived).

    python benchmarks/bench_ingest_emulator.py --rows 100000 --runs 3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import aiohttp

from alabelbox.testing import emulator_process

UPLOAD = "mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean) {uploadFile(file: $file, contentLength: $contentLength, sign: $sign) {url filename}}"  # noqa: E501
UPSERT = (
    "mutation UpsertDataRowsPyApi($manifestUri: String!) { upsertDataRows(data: { manifestUri: $manifestUri })"
    " { id status } }"
)
CREATE_DATASET = 'mutation { createDataset(data: {name: "bench"}) { id } }'
RESULTS = (
    "query S($taskId: ID!, $first: Int, $from: String) { successesfulDataRowImports("
    "data: {taskId: $taskId, first: $first, from: $from}) { nodes { id globalKey } after total } }"
)
CHUNK_ROWS = 10_000


def rss_mb(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        parts = fh.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / 100  # utime + stime, in clock ticks of 1/100 s


async def gql(s: aiohttp.ClientSession, emu: Any, query: str, variables: dict[str, Any] | None = None) -> Any:
    async with s.post(emu.endpoint, json={"query": query, "variables": variables or {}}, headers=auth(emu)) as r:
        body = await r.json()
    assert "errors" not in body, body
    return body["data"]


def auth(emu: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {emu.api_key}"}


async def upload(s: aiohttp.ClientSession, emu: Any, data: bytes, name: str) -> str:
    form = aiohttp.FormData()
    form.add_field("operations", json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": len(data)}}))
    form.add_field("map", json.dumps({"1": ["variables.file"]}))
    form.add_field("1", data, filename=name, content_type="application/json")
    async with s.post(emu.endpoint, data=form, headers=auth(emu)) as r:
        body = await r.json()
    return str(body["data"]["uploadFile"]["url"])


async def one_run(rows: int) -> dict[str, float]:
    async with emulator_process("--seed", "1", "--task-seconds", "0") as emu, aiohttp.ClientSession() as s:
        pid = emu.process.pid
        ds = (await gql(s, emu, CREATE_DATASET))["createDataset"]["id"]
        rss0, cpu0 = rss_mb(pid, "VmRSS"), cpu_seconds(pid)
        t0 = time.perf_counter()
        uris = []
        for start in range(0, rows, CHUNK_ROWS):
            items = [
                {
                    "id": {"type": "AUTO", "value": ""},
                    "payload": {
                        "row_data": f"https://example.com/img/{n}.jpg",
                        "global_key": f"bench-{n}",
                        "external_id": f"ext-{n}",
                        "dataset_id": ds,
                    },
                }
                for n in range(start, min(rows, start + CHUNK_ROWS))
            ]
            uris.append(await upload(s, emu, json.dumps(items).encode(), "json_import.json"))
        manifest = json.dumps({"source": "SDK", "item_count": rows, "chunk_uris": uris}).encode()
        task = await gql(s, emu, UPSERT, {"manifestUri": await upload(s, emu, manifest, "manifest.json")})
        elapsed = time.perf_counter() - t0
        cpu = cpu_seconds(pid) - cpu0
        rss1 = rss_mb(pid, "VmRSS")
        seen, cursor = 0, None
        while True:
            page = await gql(s, emu, RESULTS, {"taskId": task["upsertDataRows"]["id"], "first": 5000, "from": cursor})
            seen += len(page["successesfulDataRowImports"]["nodes"])
            cursor = page["successesfulDataRowImports"]["after"]
            if cursor is None:
                break
        assert seen == rows, (seen, rows)
        return {"rows_s": rows / elapsed, "cpu_s": cpu, "rss_growth_mb": rss1 - rss0, "rss_mb": rss1}


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    runs = [await one_run(args.rows) for _ in range(args.runs)]
    for key in runs[0]:
        print(f"{key}: median {statistics.median(r[key] for r in runs):.1f}  runs {[round(r[key], 1) for r in runs]}")


if __name__ == "__main__":
    asyncio.run(main())
