"""The emulator's multipart reading: the bodies the clients send are cut at their boundary (the cheap path) and read
exactly as aiohttp's streaming reader reads them; any other shape goes through that reader."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
import requests
from multidict import CIMultiDict

from alabelbox.testing import Emulator
from alabelbox.testing._multipart import read_streaming, split

UPLOAD = (
    "mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean) "
    "{uploadFile(file: $file, contentLength: $contentLength, sign: $sign) {url filename}}"
)
CONTENT = b"\x00\xff\r\n--not-a-boundary\r\n" * 50


def operations(data: bytes) -> str:
    return json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": len(data)}})


class _Writer:
    def __init__(self) -> None:
        self.out = bytearray()

    async def write(self, data: bytes) -> None:
        self.out += data

    async def write_eof(self, chunk: bytes = b"") -> None:
        self.out += chunk


async def aiohttp_body(filename: str, *, quote_fields: bool) -> tuple[str, bytes]:
    """What alabelbox's transport posts (an aiohttp ``FormData``)."""
    form = aiohttp.FormData(quote_fields=quote_fields)
    form.add_field("operations", operations(CONTENT))
    form.add_field("map", json.dumps({"1": ["variables.file"]}))
    form.add_field("1", CONTENT, filename=filename, content_type="image/jpeg")
    payload = form()
    writer = _Writer()
    await payload.write(writer)  # type: ignore[arg-type]
    assert "boundary=" in payload.content_type
    return payload.content_type, bytes(writer.out)


def requests_body(filename: str) -> tuple[str, bytes]:
    """What the official SDK posts (``requests`` with ``data=`` and ``files=``)."""
    prepared = requests.Request(
        "POST",
        "http://127.0.0.1/graphql",
        data={"operations": operations(CONTENT), "map": (None, json.dumps({"1": ["variables.file"]}))},
        files={"1": (filename, CONTENT, "image/jpeg")},
    ).prepare()
    assert isinstance(prepared.body, bytes)
    return str(prepared.headers["Content-Type"]), prepared.body


def parsed(content_type: str, body: bytes) -> dict[str, Any] | None:
    parts = split(content_type, body)
    if parts is None:
        return None
    return {name: (filename, ctype, data) for name, filename, ctype, data in parts}


async def streamed(content_type: str, body: bytes) -> dict[str, Any]:
    fields, files = await read_streaming(CIMultiDict({"Content-Type": content_type}), body)
    out: dict[str, Any] = {name: json.dumps(value) for name, value in fields.items()}
    out.update({name: (f.filename, f.content_type, f.data) for name, f in files.items()})
    return out


@pytest.mark.parametrize("filename", ["000001.jpg", "a photo (1).jpg", 'qu"ote.jpg', "é-ü.jpg"])
async def test_the_clients_bodies_are_cut_as_the_streaming_reader_reads_them(filename: str) -> None:
    bodies = [
        await aiohttp_body(filename, quote_fields=True),
        await aiohttp_body(filename, quote_fields=False),
        requests_body(filename),
    ]
    for content_type, body in bodies:
        fast = parsed(content_type, body)
        slow = await streamed(content_type, body)
        if filename.isascii():
            assert fast is not None, (filename, body[:300])
        if fast is not None:
            assert {k: v for k, v in fast.items() if k not in ("operations", "map")} == {
                k: v for k, v in slow.items() if k not in ("operations", "map")
            }
            assert json.loads(fast["operations"][2]) == json.loads(slow["operations"])
            assert fast["1"][2] == CONTENT and fast["1"][0] == slow["1"][0]


async def test_other_shapes_go_through_the_streaming_reader(emu: Emulator) -> None:
    content_type, body = requests_body("x.jpg")
    boundary = content_type.split("boundary=", 1)[1].encode()
    shapes = {
        "a preamble": b"some preamble\r\n" + body,
        "a transfer encoding": body.replace(
            b'name="1"; filename="x.jpg"\r\n', b'name="1"; filename="x.jpg"\r\nContent-Transfer-Encoding: binary\r\n'
        ),
    }
    headers = {"Authorization": f"Bearer {emu.api_key}", "Content-Type": content_type}
    async with aiohttp.ClientSession() as session:
        for shape, data in shapes.items():
            assert data != body and split(content_type, data) is None, shape
            async with session.post(emu.endpoint, data=data, headers=headers) as resp:
                got = await resp.json()
            assert resp.status == 200 and got["data"]["uploadFile"]["filename"] == "x.jpg", (shape, got)
            key = emu.uploaded_keys[-1]
            assert emu.backend.storage.read(key) == CONTENT, shape
    assert b"--" + boundary in body
