"""GraphQL multipart uploads (``uploadFile``) from a plain aiohttp client: the spec's parts, and each bad request."""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from alabelbox.testing import Emulator

UPLOAD = (
    "mutation UploadFile($file: Upload!, $contentLength: Int!, $sign: Boolean) "
    "{uploadFile(file: $file, contentLength: $contentLength, sign: $sign) {url filename}}"
)


def form(
    data: bytes,
    *,
    length: int | None = None,
    operations: Any = None,
    mapping: Any = None,
    part: str = "1",
) -> aiohttp.FormData:
    ops = (
        operations
        if operations is not None
        else json.dumps(
            {"query": UPLOAD, "variables": {"file": None, "contentLength": len(data) if length is None else length}}
        )
    )
    out = aiohttp.FormData()
    out.add_field("operations", ops)
    out.add_field("map", mapping if mapping is not None else json.dumps({"1": ["variables.file"]}))
    out.add_field(part, data, filename="bytes-1.bin", content_type="application/octet-stream")
    return out


async def post(
    emu: Emulator, session: aiohttp.ClientSession, data: aiohttp.FormData, key: str | None = None
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {key or emu.api_key}"}
    async with session.post(emu.endpoint, data=data, headers=headers) as resp:
        return resp.status, await resp.json()


async def test_an_upload_is_stored_and_served_by_its_url(emu: Emulator, session: aiohttp.ClientSession) -> None:
    data = b"\x00\xff line\r\n" * 1000
    status, body = await post(emu, session, form(data))
    assert status == 200, body
    got = body["data"]["uploadFile"]
    assert got["filename"] == "bytes-1.bin"
    async with session.get(got["url"]) as resp:
        assert resp.status == 200 and await resp.read() == data
    (request,) = emu.api_requests("UploadFile")
    assert request.variables is not None and request.variables["contentLength"] == len(data)


async def test_a_length_that_does_not_match_the_bytes_is_refused(emu: Emulator, session: aiohttp.ClientSession) -> None:
    status, body = await post(emu, session, form(b"12345", length=4))
    assert status == 200 and body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == "contentLength 4 does not match the 5 bytes of file 'bytes-1.bin'"
    assert emu.uploaded_keys == []


async def test_requests_that_break_the_multipart_spec_say_how(emu: Emulator, session: aiohttp.ClientSession) -> None:
    cases = [
        (form(b"x", operations="{not json"), "the 'operations' part is not JSON"),
        (form(b"x", operations="[]"), "the 'operations' part is missing or not a JSON object"),
        (form(b"x", mapping='["variables.file"]'), "the 'map' part must be a JSON object"),
        (form(b"x", part="2"), "the map names file part '1', which the request does not carry"),
        (form(b"x", mapping=json.dumps({"1": "variables.file"})), "the map entry of '1' must be a list of paths"),
        (form(b"x", mapping=json.dumps({"1": ["variables.nope.file"]})), "the map path 'variables.nope.file' leads"),
    ]
    for data, message in cases:
        status, body = await post(emu, session, data)
        assert status == 400, body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["message"].startswith("Invalid multipart request: " + message), error["message"]
    assert emu.uploaded_keys == []


async def test_a_file_variable_that_is_not_a_part_is_refused(emu: Emulator, session: aiohttp.ClientSession) -> None:
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    body = {"query": UPLOAD, "variables": {"file": "a string", "contentLength": 8}}
    async with session.post(emu.endpoint, json=body, headers=headers) as resp:
        got = await resp.json()
    assert got["errors"][0]["message"] == "uploadFile expects a file part (a GraphQL multipart request)"
    literal = {"query": 'mutation { uploadFile(file: "x", contentLength: 1) { url } }'}
    async with session.post(emu.endpoint, json=literal, headers=headers) as resp:
        got = await resp.json()
    assert resp.status == 400 and "Upload must be a variable bound to a multipart file part" in json.dumps(got)


async def test_uploads_pass_the_same_gate(emu: Emulator, session: aiohttp.ClientSession) -> None:
    status, body = await post(emu, session, form(b"x"), key="lb-wrong")
    assert status == 401 and body["errors"][0]["extensions"]["code"] == "AUTHENTICATION_ERROR"
    emu.faults.http_error(503, nth=[2])
    async with session.post(emu.endpoint, data=form(b"x"), headers={"Authorization": f"Bearer {emu.api_key}"}) as r:
        assert r.status == 503 and "injected by the emulator" in await r.text()
    assert emu.uploaded_keys == []
