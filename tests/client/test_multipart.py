"""GraphQL multipart requests, the one path files take to the API: streamed from disk or a file object a chunk at a
time, sent whole again on a retry, their parts and map as the spec says, against the emulator."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import pytest

from alabelbox import Client, InvalidArgumentError
from alabelbox._queries.ingestion import UPLOAD_FILE
from alabelbox._transport import _multipart
from alabelbox._transport._multipart import CHUNK, FilePart, Multipart
from alabelbox.testing import Emulator
from alabelbox.types.ingestion import DataRowSpec
from tests.resources.conftest import emulator, fast_retry


@pytest.fixture
async def small() -> AsyncIterator[tuple[Emulator, Client]]:
    async with (
        emulator(projects=1, data_rows=3) as emu,
        Client(api_key=emu.api_key, endpoint=emu.endpoint, retry=fast_retry) as client,
    ):
        yield emu, client


class Reads:
    """A binary file whose reads are counted (sizes, and whether it was closed)."""

    def __init__(self, inner: IO[bytes], sizes: list[int]) -> None:
        self.inner, self.sizes = inner, sizes

    def read(self, n: int = -1) -> bytes:
        self.sizes.append(n)
        return self.inner.read(n)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.inner.seek(offset, whence)

    def close(self) -> None:
        self.sizes.append(0)
        self.inner.close()


def stored(emu: Emulator, url: str) -> bytes:
    return emu.backend.storage.read(url.split("?", 1)[0].split("/", 4)[4])


async def upload(client: Client, file: FilePart) -> dict[str, Any]:
    data = await client._upload(
        UPLOAD_FILE, {"file": None, "contentLength": file.size, "sign": False}, Multipart.single(file)
    )
    answer: dict[str, Any] = data["uploadFile"]
    return answer


async def test_a_path_is_streamed_in_chunks_and_sent_whole_again_by_each_retry(
    small: tuple[Emulator, Client], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emu, client = small
    content = os.urandom(3 * CHUNK + 123)
    path = tmp_path / "big.bin"
    path.write_bytes(content)
    sizes: list[int] = []
    monkeypatch.setattr(_multipart, "open", lambda p, mode: Reads(open(p, "rb"), sizes), raising=False)
    emu.faults.fail_uploads(2)
    answer = await upload(client, FilePart(path, "big.bin", part="1"))
    assert stored(emu, answer["url"]) == content and answer["filename"] == "big.bin"
    assert len(emu.api_requests("UploadFile")) == 3  # two failed attempts, then the one stored
    # Every attempt opened the file anew, read it a chunk at a time (never whole) and closed it.
    assert sizes.count(0) == 3 and max(sizes) == CHUNK
    assert sum(sizes) == 3 * len(content)


async def test_a_file_object_is_sent_from_where_it_stood_for_every_attempt_and_left_open(
    small: tuple[Emulator, Client],
) -> None:
    emu, client = small
    handle = io.BytesIO(b"skip:" + b"the rest \xf0\x9f\x90\xb1" * 1000)
    handle.seek(5)
    emu.faults.fail_uploads(1)
    answer = await upload(client, FilePart(handle, "rest.txt", "text/plain"))
    assert stored(emu, answer["url"]) == b"the rest \xf0\x9f\x90\xb1" * 1000
    assert not handle.closed  # the caller's file stays the caller's


async def test_parts_named_and_mapped_as_the_spec_says_even_with_quotes_and_unicode(
    small: tuple[Emulator, Client],
) -> None:
    emu, client = small
    name = 'notes "v2" 備考.ndjson'
    data = await client.execute(
        UPLOAD_FILE,
        {"file": None, "contentLength": 4, "sign": False},
        files={"variables.file": (name, b"data", "application/x-ndjson")},
    )
    assert data["uploadFile"]["filename"] == name and stored(emu, data["uploadFile"]["url"]) == b"data"
    (request,) = emu.api_requests("UploadFile")
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.headers["Authorization"] == f"Bearer {emu.api_key}"
    assert not any("Authorization" in r.headers for r in emu.storage_requests)


def test_files_that_cannot_be_sent_again_or_share_a_part_name_are_refused(tmp_path: Path) -> None:
    class Pipe(io.RawIOBase):
        def readable(self) -> bool:
            return True

    with pytest.raises(ValueError, match="cannot seek"):
        FilePart(Pipe(), "pipe.bin")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="same part name"):
        Multipart({"variables.a": FilePart(b"1", "x"), "variables.b": FilePart(b"2", "y", part="x")})
    with pytest.raises(FileNotFoundError):
        FilePart(tmp_path / "missing.bin", "missing.bin")
    assert FilePart(memoryview(b"abc"), "m").size == 3


async def test_ingestion_streams_file_objects_and_reads_unseekable_ones_once(
    small: tuple[Emulator, Client], tmp_path: Path
) -> None:
    emu, client = small
    dataset = await client.datasets.create("streams")

    class Once:
        """A file-like source that can be read once only (no seek)."""

        def __init__(self) -> None:
            self.reads = 0

        def read(self) -> bytes:
            self.reads += 1
            return b"read once"

    once = Once()
    path = tmp_path / "on-disk.txt"
    path.write_bytes(b"from disk")
    with open(path, "rb") as handle:  # noqa: ASYNC230 (a local file, opened once)
        result = await client.data_rows.create(
            dataset.id,
            [
                DataRowSpec(once, filename="once.txt", global_key="once"),  # type: ignore[arg-type]
                DataRowSpec(handle, filename="handle.txt", global_key="handle"),
            ],
        )
        assert not handle.closed
    assert result.ok and result.uploaded_files == 2 and result.uploaded_bytes == len(b"read once") + len(b"from disk")
    assert once.reads == 1
    rows = emu.backend.data_rows
    key = emu.backend.datasets.find(dataset.id)
    assert key is not None
    got = {rows.record(r)["globalKey"]: stored(emu, rows.record(r)["rowData"]) for r in rows.created_in(key)}
    assert got == {"once": b"read once", "handle": b"from disk"}
    text = path.open()
    with text, pytest.raises(InvalidArgumentError, match=r"specs\[0\]\.row_data.*'rb' mode"):
        await client.data_rows.create(dataset.id, [DataRowSpec(text, filename="t.txt")])  # type: ignore[arg-type]
