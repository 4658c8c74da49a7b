"""Ingestion at scale under injected faults, against the emulator's truth.

Rows come from an async generator (each with a global key, an external id, a metadata value and an attachment) while
the emulator answers some requests with 5xx, fails some uploads, fails chosen rows of a task and, mid-run, hands out
an upload URL that has expired (which fails that chunk and stops the run). The pipeline resumes from
``next_index``: the rows after it that the first run created are refused by their global key, and reported so.
Afterwards every row is in the dataset exactly once with its fields, and every row that is not is reported, with its
spec index and the server's message.

The suite runs 10,000 rows; ``ALABELBOX_SCALE_ROWS=100000`` runs the 100,000 of the benchmark (91 s on a
loaded machine). Peak memory at 10,000 against 100,000 rows is measured by ``benchmarks/bench_ingest.py --memory``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest

from alabelbox import Client, IngestError
from alabelbox.testing import Emulator
from alabelbox.testing._faults import ROW_FAILED
from alabelbox.types.ingestion import IngestProgress
from tests.resources.conftest import fast_retry

ROWS = int(os.environ.get("ALABELBOX_SCALE_ROWS", "10000"))
TAG = "cko8s9r5v0001h2dk9elqdidh"  # the reserved "tag" metadata field
FAILED_ITEMS = (0, 7, 1234 % (ROWS // 10))  # items of the first task that fail


def spec(i: int) -> dict[str, Any]:
    return {
        "row_data": f"https://storage.example.com/scale/{i:08d}.jpg",
        "global_key": f"scale-{i}",
        "external_id": f"{i:08d}.jpg",
        "metadata_fields": [{"schema_id": TAG, "value": f"batch {i // 1000}"}],
        "attachments": [{"type": "RAW_TEXT", "value": f"caption of {i}"}],
    }


async def specs(indices: Iterable[int]) -> AsyncIterator[dict[str, Any]]:
    for i in indices:
        yield spec(i)


def created(emu: Emulator, dataset_id: str) -> list[dict[str, Any]]:
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset_id)
    assert key is not None
    return [rows.record(rid) for rid in rows.created_in(key)]


@pytest.mark.timeout(120 + ROWS // 250)
# Descriptor files of 10,000 rows (the full size) pass 1 MB, for which aiohttp warns about a bytes body; the
# transport's multipart path is another change's.
@pytest.mark.filterwarnings("ignore:Sending a large body directly:ResourceWarning")
async def test_rows_from_an_async_generator_arrive_exactly_once_under_faults() -> None:
    chunk = ROWS // 10
    async with (
        Emulator(seed=11, projects=1, data_rows=0, task_seconds=0.05) as emu,
        Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client,
    ):
        dataset = await client.datasets.create("at scale")
        emu.faults.http_error(503, rate=0.03, count=8)  # any request: uploads, upserts, polls, result pages
        emu.faults.fail_uploads(3)
        emu.faults.fail_data_rows(*FAILED_ITEMS)
        armed: list[int] = []

        def on_progress(progress: IngestProgress) -> None:
            if progress.sent >= 3 * chunk and not armed:  # mid-run: the next upload's URL has expired
                armed.append(progress.sent)
                emu.faults.expire_upload_urls(1)

        # Run 1 stops at the chunk whose descriptor file's URL expired; the chunks in flight finish.
        try:
            first = await client.data_rows.create(
                dataset.id, specs(range(ROWS)), chunk_size=chunk, on_progress=on_progress
            )
        except IngestError as error:
            assert "expired" in str(error), error
            first = error.result
        else:
            raise AssertionError(f"the expired upload URL did not stop the run: {first.summary()}")
        indices = list(range(ROWS))
        assert armed and 0 < first.next_index < ROWS and first.next_index % chunk == 0
        ids_before = {r["id"] for r in created(emu, dataset.id)}

        # Run 2 resumes at next_index: what run 1 created after it is refused (a global key is never taken twice).
        rest = list(range(first.next_index, ROWS))
        second = await client.data_rows.create(dataset.id, specs(rest), chunk_size=chunk)
        emu.faults.clear()

        # Exactly once, with every field, by global key.
        rows = created(emu, dataset.id)
        keys = [r["globalKey"] for r in rows]
        assert len(keys) == len(set(keys))
        by_key = {r["globalKey"]: r for r in rows}
        assert all(f.index is not None for f in [*first.failed, *second.failed])
        missing = {i for i in range(ROWS) if f"scale-{i}" not in by_key}
        failed_first = {indices[f.index or 0]: f for f in first.failed}
        # (a failed row at or after next_index was sent again by run 2, and created then)
        assert missing == {i for i in failed_first if i < first.next_index}, (sorted(missing), sorted(failed_first))
        # The rows the task failed: those of one chunk (the first task's), with their index, key and message.
        firsts = sorted({i - i % chunk for i in failed_first})
        assert len(firsts) == 1 and sorted(failed_first) == [firsts[0] + i for i in sorted(FAILED_ITEMS)]
        for index, failure in failed_first.items():
            assert (failure.global_key, failure.external_id, failure.message) == (
                f"scale-{index}",
                f"{index:08d}.jpg",
                ROW_FAILED,
            )
        # Run 2's failures: exactly the rows of its range that were there already, each refused by its key.
        failed_second = {rest[f.index or 0]: f for f in second.failed}
        assert set(failed_second) == {i for i in rest if i not in missing and by_key[f"scale-{i}"]["id"] in ids_before}
        for index, failure in failed_second.items():
            assert failure.global_key == f"scale-{index}" and "Duplicate global key" in failure.message, failure
        for i in range(ROWS):
            row = by_key.get(f"scale-{i}")
            if row is None:
                continue
            want = spec(i)
            assert (row["rowData"], row["externalId"]) == (want["row_data"], want["external_id"]), row
            assert [(m["schemaId"], m["value"]) for m in row["metadataFields"]] == [(TAG, f"batch {i // 1000}")], row
            assert [(a["type"], a["value"]) for a in row["attachments"]] == [("RAW_TEXT", f"caption of {i}")], row
        assert len(by_key) == ROWS - len(missing) and missing
        assert first.accepted + second.accepted == len(by_key)
        assert second.accepted + len(second.failed) == len(rest) == second.sent
