"""Datasets and data-row writes against the emulator's truth: create (streamed, chunked, local uploads), upsert,
update, delete, partial failures, faults mid-ingest, bad specs."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from alabelbox import Client, IngestError, InvalidArgumentError, ResourceNotFoundError
from alabelbox.testing import Emulator
from alabelbox.types.ingestion import AttachmentSpec, DataRowKey, DataRowSpec, IngestProgress, MetadataFieldSpec
from tests.resources.conftest import emulator, fast_retry

TAG = "cko8s9r5v0001h2dk9elqdidh"
SPLIT = "cko8sbczn0002h2dkdaxb5kal"
TRAIN = "cko8sbscr0003h2dk04w86hof"


def truth(emu: Emulator, dataset_id: str) -> list[dict[str, Any]]:
    """Every created row of the dataset, as the emulator holds it, oldest first."""
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset_id)
    assert key is not None
    return [rows.record(rid) for rid in rows.created_in(key)]


@pytest.fixture
async def small() -> AsyncIterator[tuple[Emulator, Client]]:
    async with (
        emulator(projects=1, data_rows=3) as emu,
        Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client,
    ):
        yield emu, client


async def test_dataset_create_update_delete(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("cats", description="every cat")
    assert (dataset.name, dataset.description, dataset.row_count) == ("cats", "every cat", 0)
    assert dataset.id in [d.id async for d in client.datasets.list()]
    updated = await client.datasets.update(dataset.id, name="dogs")
    assert (updated.name, updated.description) == ("dogs", "every cat")
    assert emu.backend.datasets.table.get(dataset.id)["name"] == "dogs"
    await client.datasets.delete(dataset.id)
    assert dataset.id not in [d.id async for d in client.datasets.list()]
    with pytest.raises(ResourceNotFoundError):
        await client.datasets.retrieve(dataset.id)
    with pytest.raises(InvalidArgumentError, match="name"):
        await client.datasets.create("  ")
    with pytest.raises(InvalidArgumentError, match="nothing to update"):
        await client.datasets.update(emu.dataset_ids[0])


async def test_dataset_with_an_iam_integration_that_does_not_exist_is_deleted_again(
    small: tuple[Emulator, Client],
) -> None:
    emu, client = small
    with pytest.raises(ResourceNotFoundError, match="IAM integration"):
        await client.datasets.create("signed", iam_integration="cl0000000000000000000000x")
    assert "signed" not in [d.name async for d in client.datasets.list()]
    assert len(emu.api_requests("DeleteDataset")) == 1


async def test_create_from_an_async_generator_exactly_once_with_keys_metadata_attachments(
    small: tuple[Emulator, Client],
) -> None:
    emu, client = small
    dataset = await client.datasets.create("stream")
    seen: list[IngestProgress] = []

    async def specs() -> AsyncIterator[Any]:
        for i in range(1_100):
            if i % 2:
                yield {
                    "row_data": f"https://example.com/{i}.jpg",
                    "global_key": f"gk-{i}",
                    "external_id": f"{i}.jpg",
                    "metadata_fields": [{"schema_id": TAG, "value": f"t{i}"}, {"name": "split", "value": "train"}],
                    "attachments": [{"type": "RAW_TEXT", "value": f"caption {i}", "name": "c"}],
                }
            else:
                yield DataRowSpec(
                    f"https://example.com/{i}.jpg",
                    global_key=f"gk-{i}",
                    media_type="IMAGE",
                    metadata_fields=[MetadataFieldSpec(name="tag", value="even")],
                    attachments=[AttachmentSpec("TEXT_URL", "https://example.com/t.txt")],
                )

    result = await client.data_rows.create(dataset.id, specs(), chunk_size=250, concurrency=3, on_progress=seen.append)
    assert (result.read, result.sent, result.accepted, result.failed, result.next_index) == (1100, 1100, 1100, [], 1100)
    assert result.ok and len(result.task_ids) == 5
    rows = truth(emu, dataset.id)
    assert sorted(r["globalKey"] for r in rows) == sorted(f"gk-{i}" for i in range(1_100))
    by_key = {r["globalKey"]: r for r in rows}
    odd = by_key["gk-7"]
    assert odd["externalId"] == "7.jpg"
    assert [(m["name"], m["value"]) for m in odd["metadataFields"]] == [("tag", "t7"), ("split", TRAIN)]
    assert [(a["type"], a["value"], a["name"]) for a in odd["attachments"]] == [("RAW_TEXT", "caption 7", "c")]
    even = by_key["gk-8"]
    assert even["mediaType"] == "IMAGE" and even["metadataFields"][0]["value"] == "even"
    assert seen[-1].accepted == 1100 and max(p.sent for p in seen) == 1100
    # The ontology was read once, for the names; each chunk was one upsertDataRows.
    assert len(emu.api_requests("MetadataOntology")) == 1
    assert len(emu.api_requests("UpsertDataRows")) == 5
    assert (await client.datasets.retrieve(dataset.id)).row_count == 1100


async def test_local_paths_bytes_and_file_objects_are_uploaded(small: tuple[Emulator, Client], tmp_path: Path) -> None:
    emu, client = small
    dataset = await client.datasets.create("files")
    image = tmp_path / "cat.jpg"
    image.write_bytes(b"\xff\xd8 a cat")
    text = tmp_path / "note.txt"
    text.write_text("a note")
    specs: list[Any] = [
        str(image),
        {"row_data": text, "global_key": "note"},
        DataRowSpec(b"raw bytes", filename="raw.bin", global_key="bytes"),
        DataRowSpec(io.BytesIO(b"from a file object"), filename="obj.txt", global_key="obj"),
    ]
    result = await client.data_rows.create(dataset.id, specs)
    assert result.ok and result.uploaded_files == 4
    assert result.uploaded_bytes == sum(
        len(b) for b in (b"\xff\xd8 a cat", b"a note", b"raw bytes", b"from a file object")
    )
    rows = truth(emu, dataset.id)
    contents = {}
    for row in rows:
        path = row["rowData"].split("?", 1)[0].split("/", 4)[4]
        contents[row["globalKey"] or row["externalId"]] = emu.backend.storage.read(path)
    assert contents == {
        str(image): b"\xff\xd8 a cat",
        "note": b"a note",
        "bytes": b"raw bytes",
        "obj": b"from a file object",
    }
    # As the SDK: a local file's external id defaults to its path.
    assert {r["externalId"] for r in rows} >= {str(image), str(text)}
    assert len(emu.api_requests("UploadFile")) == 4 + 2  # the four files, one descriptor file, the manifest


async def test_partial_failures_are_reported_with_their_spec_index(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("partial")
    await client.data_rows.create(dataset.id, [{"row_data": "https://example.com/taken.jpg", "global_key": "taken"}])
    emu.faults.fail_data_rows(2, 5, message="internal error on this row")
    specs = [{"row_data": f"https://example.com/{i}.jpg", "external_id": f"e{i}"} for i in range(8)]
    specs.append({"row_data": "https://example.com/dup.jpg", "global_key": "taken"})
    result = await client.data_rows.create(dataset.id, specs)
    assert [(f.index, f.message) for f in result.failed] == [
        (2, "internal error on this row"),
        (5, "internal error on this row"),
        (8, "Duplicate global key: 'taken' is already used by data row " + truth(emu, dataset.id)[0]["id"]),
    ]
    assert result.failed[0].external_id == "e2" and result.failed[2].global_key == "taken"
    assert (result.sent, result.accepted, result.ok) == (9, 6, False)
    assert sorted(r["externalId"] for r in truth(emu, dataset.id) if r["externalId"]) == [
        f"e{i}" for i in (0, 1, 3, 4, 6, 7)
    ]


async def test_rate_limits_and_5xx_mid_ingest_lose_and_duplicate_nothing(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("faults")
    emu.faults.http_error(503, rate=0.15)
    emu.faults.rate_limit_burst(3, after=4)
    emu.faults.fail_uploads(2)
    specs = ({"row_data": f"https://example.com/{i}.jpg", "global_key": f"f-{i}"} for i in range(600))
    result = await client.data_rows.create(dataset.id, specs, chunk_size=100, concurrency=3)
    emu.faults.clear()
    assert result.ok, result.summary()
    keys = [r["globalKey"] for r in truth(emu, dataset.id)]
    assert sorted(keys) == sorted(f"f-{i}" for i in range(600)) and len(keys) == len(set(keys))


async def test_an_upsert_without_keys_is_not_sent_twice_after_a_5xx(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("unkeyed")
    before = emu.faults.api_requests
    # Requests: upload descriptor, upload manifest, upsertDataRows: the third one fails.
    emu.faults.http_error(503, nth=[before + 3])
    with pytest.raises(IngestError) as caught:
        await client.data_rows.create(dataset.id, [{"row_data": f"https://example.com/{i}.jpg"} for i in range(5)])
    assert caught.value.result.sent == 0 and caught.value.result.next_index == 0
    assert truth(emu, dataset.id) == []  # never sent twice, and the failed send is reported
    assert emu.faults.api_requests == before + 3  # the upsert was not retried


async def test_an_expired_upload_url_fails_its_chunk_and_says_so(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("expired")
    emu.faults.expire_upload_urls(1)
    with pytest.raises(IngestError, match="expired") as caught:
        await client.data_rows.create(dataset.id, [{"row_data": "https://example.com/a.jpg", "global_key": "a"}])
    assert caught.value.result.sent == 0 and truth(emu, dataset.id) == []
    result = await client.data_rows.create(dataset.id, [{"row_data": "https://example.com/a.jpg", "global_key": "a"}])
    assert result.ok and [r["globalKey"] for r in truth(emu, dataset.id)] == ["a"]


@pytest.mark.parametrize(
    ("spec", "where"),
    [
        (
            {"row_data": "https://e.com/a.jpg", "attachments": [{"type": "PNG", "value": "x"}]},
            "specs[3].attachments[0].type",
        ),
        ({"global_key": "no-row-data"}, "specs[3].row_data"),
        ({"row_data": "https://e.com/a.jpg", "colour": "red"}, "specs[3].colour"),
        ({"row_data": "https://e.com/a.jpg", "global_key": 7}, "specs[3].global_key"),
        ({"row_data": "s3://bucket/a.jpg"}, "specs[3].row_data"),
        ({"row_data": "https://e.com/a.jpg", "metadata_fields": [{"value": 1}]}, "specs[3].metadata_fields[0]"),
        ({"row_data": "https://e.com/a.jpg", "key": DataRowKey.global_key("a")}, "specs[3].key"),
        ("/no/such/file.jpg", "specs[3]"),
    ],
)
async def test_a_bad_spec_in_a_list_fails_before_anything_is_sent(
    small: tuple[Emulator, Client], spec: Any, where: str
) -> None:
    emu, client = small
    dataset_id = emu.dataset_ids[0]
    before = emu.faults.api_requests
    specs = [{"row_data": f"https://e.com/{i}.jpg"} for i in range(3)] + [spec]
    with pytest.raises(InvalidArgumentError) as caught:
        await client.data_rows.create(dataset_id, specs)
    assert caught.value.argument == where
    assert emu.faults.api_requests == before


async def test_a_bad_spec_in_a_stream_stops_after_the_chunks_already_sent(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("stream-bad")

    def specs() -> Iterator[Any]:
        for i in range(7):
            yield {"row_data": f"https://e.com/{i}.jpg", "global_key": f"s-{i}"}
        yield {"row_data": "https://e.com/bad.jpg", "attachments": "not a list"}
        yield {"row_data": "https://e.com/never.jpg"}

    with pytest.raises(IngestError) as caught:
        await client.data_rows.create(dataset.id, specs(), chunk_size=3, concurrency=1)
    result = caught.value.result
    assert isinstance(caught.value.__cause__, InvalidArgumentError)
    assert caught.value.__cause__.argument == "specs[7].attachments"
    # Chunks [0-2] and [3-5] were full and sent; [6] was pending when spec 7 failed: not sent.
    assert (result.sent, result.accepted, result.next_index) == (6, 6, 6)
    assert sorted(r["globalKey"] for r in truth(emu, dataset.id)) == [f"s-{i}" for i in range(6)]


async def test_a_failing_input_stops_reading_and_resumes_by_next_index(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("resume")
    closed = []

    def specs(start: int, fail_at: int | None) -> Iterator[Any]:
        try:
            for i in range(start, 10):
                if i == fail_at:
                    raise OSError("the source went away")
                yield {"row_data": f"https://e.com/{i}.jpg", "global_key": f"r-{i}"}
        finally:
            closed.append(start)

    with pytest.raises(IngestError, match="the source went away") as caught:
        await client.data_rows.create(dataset.id, specs(0, 5), chunk_size=2, concurrency=2)
    resume = caught.value.result.next_index
    assert resume == 4 and closed == [0]
    result = await client.data_rows.create(dataset.id, specs(resume, None), chunk_size=2)
    assert result.ok
    keys = [r["globalKey"] for r in truth(emu, dataset.id)]
    assert sorted(keys) == sorted(f"r-{i}" for i in range(10)) and len(keys) == 10


async def test_upsert_by_id_and_by_global_key_update_and_delete(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("upsert")
    rows = await client.data_rows.create_many(
        dataset.id,
        [
            {"row_data": "https://e.com/a.jpg", "global_key": "a"},
            {
                "row_data": "https://e.com/b.jpg",
                "global_key": "b",
                "metadata_fields": [{"schema_id": TAG, "value": "x"}],
            },
        ],
    )
    assert [r.global_key for r in rows] == ["a", "b"]
    assert rows[1].metadata_fields[0].value == "x"
    result = await client.data_rows.upsert(
        dataset.id,
        [
            {"key": DataRowKey.global_key("a"), "external_id": "renamed-a"},
            DataRowSpec(key=DataRowKey.id(rows[1].id), global_key="b2"),
            {"row_data": "https://e.com/c.jpg", "global_key": "c"},
            {"key": {"type": "GKEY", "value": "nope"}, "external_id": "x"},
        ],
    )
    assert result.accepted == 3 and [f.index for f in result.failed] == [3]
    by_id = {r["id"]: r for r in truth(emu, dataset.id)}
    assert by_id[rows[0].id]["externalId"] == "renamed-a"
    assert by_id[rows[1].id]["globalKey"] == "b2"
    assert len(by_id) == 3
    updated = await client.data_rows.update(rows[0].id, row_data={"text": "hi"}, global_key="a2")
    assert (updated.global_key, json.loads(updated.row_data or "")) == ("a2", {"text": "hi"})
    assert by_id[rows[0].id] != truth(emu, dataset.id)[0]
    with pytest.raises(InvalidArgumentError):
        await client.data_rows.update(rows[0].id)
    assert await client.data_rows.delete([rows[0].id, rows[1].id, rows[0].id]) == 2
    assert [r["globalKey"] for r in truth(emu, dataset.id)] == ["c"]
    with pytest.raises(ResourceNotFoundError):
        await client.data_rows.delete([rows[0].id])


async def test_create_many_reports_failures_and_refuses_big_batches(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("many")
    emu.faults.fail_data_rows(1)
    with pytest.raises(IngestError) as caught:
        await client.data_rows.create_many(dataset.id, [{"row_data": f"https://e.com/{i}.jpg"} for i in range(3)])
    assert [f.index for f in caught.value.result.failed] == [1]
    with pytest.raises(InvalidArgumentError, match="at most 1000"):
        await client.data_rows.create_many(dataset.id, [{"row_data": "https://e.com/a.jpg"}] * 1001)


async def test_a_cancelled_ingestion_sent_what_progress_says_and_resumes_by_key(small: tuple[Emulator, Client]) -> None:
    emu, client = small
    dataset = await client.datasets.create("cancelled")
    seen: list[IngestProgress] = []

    def specs() -> Iterator[Any]:
        for i in range(40):
            yield {"row_data": f"https://e.com/{i}.jpg", "global_key": f"c-{i}"}

    with anyio.CancelScope() as scope:

        def progress(p: IngestProgress) -> None:
            seen.append(p)
            if p.sent >= 10:
                scope.cancel()

        await client.data_rows.create(dataset.id, specs(), chunk_size=5, concurrency=1, on_progress=progress)
    assert scope.cancelled_caught
    sent = max(p.sent for p in seen)
    keys = [r["globalKey"] for r in truth(emu, dataset.id)]
    assert len(keys) == len(set(keys)) == sent  # exactly what was sent, once (the tasks run at once here)
    have = set(keys)
    result = await client.data_rows.create(dataset.id, (s for s in specs() if s["global_key"] not in have))
    assert result.ok and result.sent == 40 - sent
    assert sorted(r["globalKey"] for r in truth(emu, dataset.id)) == sorted(f"c-{i}" for i in range(40))
