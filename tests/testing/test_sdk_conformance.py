"""The official labelbox SDK (7.17.0), with only endpoint and key changed, against the emulator.

The SDK is synchronous, so each test drives it in a worker thread. Every test checks that what
the SDK receives is exactly what the emulator holds.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar

import anyio
import pytest

from alabelbox.testing import Emulator

labelbox = pytest.importorskip("labelbox")
lbox_exceptions = pytest.importorskip("lbox.exceptions")

pytestmark = pytest.mark.sdk

T = TypeVar("T")


@pytest.fixture
def no_external_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any connection the SDK tries to open beyond loopback."""
    attempts: list[Any] = []
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"blocked non-loopback connection to {address!r}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts


def sdk_client(emu: Emulator) -> Any:
    return labelbox.Client(
        api_key=emu.api_key,
        endpoint=emu.endpoint,
        app_url=emu.url,
        rest_endpoint=emu.url + "/api/v1",
    )


async def in_thread(fn: Callable[[], T]) -> T:
    return await anyio.to_thread.run_sync(fn)


@pytest.fixture
async def emu() -> Any:
    async with Emulator(seed=7, projects=3, data_rows=230, shard_bytes=40_000, task_seconds=0.3) as e:
        yield e


async def test_get_project(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[1]

    def run() -> Any:
        return sdk_client(emu).get_project(pid)

    project = await in_thread(run)
    truth = emu.world.project(1)
    assert project.uid == pid
    assert project.name == truth["name"]
    assert project.media_type.value == truth["allowedMediaType"]
    assert project.created_at is not None and project.created_at.year == 2024
    assert no_external_network == []
    ops = {r.operation_name for r in emu.api_requests()}
    assert "GetProjectPyApi" in ops


async def test_get_missing_project_is_resource_not_found(emu: Emulator) -> None:
    def run() -> Any:
        return sdk_client(emu).get_project("clp0000000000000000000000")

    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        await in_thread(run)


async def test_wrong_key_is_authentication_error(emu: Emulator) -> None:
    def run() -> Any:
        return labelbox.Client(api_key="wrong", endpoint=emu.endpoint).get_user()

    with pytest.raises(lbox_exceptions.AuthenticationError):
        await in_thread(run)


async def test_project_labels_match_truth(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]

    def run() -> list[Any]:
        return list(sdk_client(emu).get_project(pid).labels())

    labels = await in_thread(run)
    assert [label.uid for label in labels] == emu.label_ids(pid)
    first = emu.label(labels[0].uid)
    assert labels[0].seconds_to_label == first["secondsToLabel"]
    assert labels[0].agreement == first["agreement"]
    assert json.loads(labels[0].label) == json.loads(emu.backend._legacy_label_text(0, 0))
    # 230 labels in pages of 100: three requests with literal skip/first in the query text
    pages = emu.api_requests("GetProjectLabelsPyApi")
    assert len(pages) == 3
    assert all(f"skip: {k * 100} first: 100" in (r.query or "") for k, r in enumerate(pages))


async def test_project_labels_created_by(emu: Emulator) -> None:
    pid = emu.project_ids[0]
    uid = emu.world.user_id(2)

    def run() -> list[Any]:
        return list(sdk_client(emu).get_project(pid).labels(created_by=uid))

    labels = await in_thread(run)
    expected = [emu.world.label_id(0, i) for i in range(230) if emu.world.label_meta(0, i).creator == 2]
    assert expected and [label.uid for label in labels] == expected


async def test_dataset_data_rows_match_truth(emu: Emulator, no_external_network: list[Any]) -> None:
    did = emu.dataset_ids[2]

    def run() -> list[Any]:
        return list(sdk_client(emu).get_dataset(did).data_rows())

    rows = await in_thread(run)
    assert [r.uid for r in rows] == emu.data_row_ids(did)
    assert rows[0].global_key == emu.world.global_key(2, 229)
    assert rows[0].external_id == emu.world.external_id(2, 229)
    # 230 rows in pages of 500: one page, the cursor in pageInfo.startCursor is null
    assert len(emu.api_requests("DatasetDataRowsPyApi")) == 1
    assert no_external_network == []


async def test_label_bulk_delete(emu: Emulator) -> None:
    pid = emu.project_ids[0]
    before = emu.label_ids(pid)

    def run() -> list[str]:
        client = sdk_client(emu)
        labels = list(client.get_project(pid).labels())[:5]
        labelbox.Label.bulk_delete(labels)
        return [label.uid for label in labels]

    deleted = await in_thread(run)
    assert deleted == before[:5]
    assert emu.label_ids(pid) == before[5:]
    assert emu.deleted_label_ids(pid) == before[:5]
    (request,) = emu.api_requests("deleteLabelsPyApi")
    assert request.variables == {}

    def again() -> list[str]:
        return [label.uid for label in sdk_client(emu).get_project(pid).labels()]

    assert await in_thread(again) == before[5:]


async def test_project_export_buffered_stream(emu: Emulator, no_external_network: list[Any]) -> None:
    pid = emu.project_ids[0]

    def run() -> tuple[list[Any], int | None, int | None]:
        project = sdk_client(emu).get_project(pid)
        task = project.export(params={"label_details": True, "project_details": True})
        task.wait_till_done()
        assert task.status == "COMPLETE", task.status
        records = [out.json for out in task.get_buffered_stream()]
        rt = labelbox.StreamType.RESULT
        return records, task.get_total_file_size(rt), task.get_total_lines(rt)

    records, size, lines = await in_thread(run)
    (task_id,) = emu.backend.tasks
    truth = emu.task(task_id)
    assert len(truth.streams["RESULT"].shards) > 3
    assert records == emu.export_records(task_id)
    assert len(records) == 230
    assert size == truth.streams["RESULT"].total_size
    assert lines == 230
    assert records[0]["projects"][pid]["labels"][0]["id"] == emu.label_ids(pid)[0]
    # Every shard was fetched without credentials, from the storage origin.
    assert len(emu.storage_requests) == len(truth.streams["RESULT"].shards)
    assert emu.key_leaks == []
    assert no_external_network == []


async def test_export_with_no_match_has_no_result_stream(emu: Emulator) -> None:
    pid = emu.project_ids[0]
    missing = emu.world.row_id(1, 0)  # a data row of another dataset: matches nothing here

    def run() -> tuple[bool, bool]:
        project = sdk_client(emu).get_project(pid)
        task = project.export(filters={"data_row_ids": [missing]})
        task.wait_till_done()
        return task.has_result(), task.has_errors()

    assert await in_thread(run) == (False, False)


async def test_sdk_creates_updates_and_deletes_a_dataset(emu: Emulator, no_external_network: list[Any]) -> None:
    from alabelbox import Client, ResourceNotFoundError

    def create() -> Any:
        return sdk_client(emu).create_dataset(name="made by the SDK 作成", description="first")

    made = await in_thread(create)
    truth = emu.dataset(made.uid)
    assert (made.name, made.description, made.row_count) == (truth["name"], truth["description"], 0)
    assert made.created_at == datetime.fromisoformat(truth["createdAt"].replace("Z", "+00:00"))
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        back = await client.datasets.retrieve(made.uid)
        assert (back.id, back.name, back.description, back.row_count) == (made.uid, made.name, "first", 0)
        assert [d.id async for d in client.datasets.list()] == emu.dataset_ids
        assert emu.dataset_ids[-1] == made.uid

        def update() -> Any:
            made.update(name="renamed by the SDK", description="second")
            return [d.uid for d in sdk_client(emu).get_datasets(where=labelbox.Dataset.name == "renamed by the SDK")]

        assert await in_thread(update) == [made.uid]
        assert emu.dataset(made.uid)["description"] == "second" and made.name == "renamed by the SDK"
        assert (await client.datasets.retrieve(made.uid)).name == "renamed by the SDK"

        def delete() -> Any:
            made.delete()
            with pytest.raises(lbox_exceptions.ResourceNotFoundError):
                sdk_client(emu).get_dataset(made.uid)
            return [d.uid for d in sdk_client(emu).get_datasets()]

        assert made.uid not in await in_thread(delete)
        with pytest.raises(KeyError):
            emu.dataset(made.uid)
        with pytest.raises(ResourceNotFoundError):
            await client.datasets.retrieve(made.uid)
        assert made.uid not in [d.id async for d in client.datasets.list()]
    ops = [r.operation_name for r in emu.api_requests()]
    # create_dataset looks for the organization's default IAM integration; there is none, so no signer is set.
    assert ops[:3] == ["CreateDatasetPyApi", "GetOrganizationPyApi", "getAllIntegrationsPyApi"]
    assert "updateDatasetPyApi" in ops and "deleteDatasetPyApi" in ops
    assert no_external_network == []


async def test_sdk_upload_data_and_upload_file_bytes_come_back_from_storage(
    emu: Emulator, no_external_network: list[Any], tmp_path: Any
) -> None:
    import aiohttp

    content = bytes(range(256)) * 40 + "終わり 🧪".encode()
    path = tmp_path / "report 報告.json"
    path.write_bytes(b'{"ok": true}\n')

    def run() -> tuple[str, str]:
        client = sdk_client(emu)
        return (
            client.upload_data(content, filename="blob.bin", content_type="application/octet-stream"),
            client.upload_file(str(path)),
        )

    blob_url, file_url = await in_thread(run)
    assert blob_url.startswith(emu.storage_url + "/") and file_url.startswith(emu.storage_url + "/")
    assert [r.operation_name for r in emu.api_requests()] == ["UploadFile", "UploadFile"]
    async with aiohttp.ClientSession() as session:
        for url, expected in ((blob_url, content), (file_url, path.read_bytes())):
            async with session.get(url) as resp:
                assert resp.status == 200
                assert await resp.read() == expected
    assert [emu.stored_object(k) for k in emu.uploaded_keys] == [content, path.read_bytes()]
    assert emu.key_leaks == [] and no_external_network == []
