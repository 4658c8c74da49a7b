"""The legacy export and a malformed but complete JSON array: one parse error, no re-download of the same bytes."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from alabelbox import Client, ExportParseError
from alabelbox._exports import legacy


@pytest.mark.parametrize(
    "body",
    [
        b'[\n{"ID":"a"},\n{{{"ID":"b"},\n'
        + b'{"ID":"c"},\n' * 20_000
        + b'{"ID":"z"}]\n',  # the brackets never balance again
        b'[\n{"ID":"a"},\n{"ID":"b" "x"},\n{"ID":"c"}]\n',  # a complete item that is not JSON
    ],
)
async def test_a_malformed_legacy_array_is_fetched_once_and_reported(client: Client, body: bytes) -> None:
    gets: list[str | None] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        gets.append(request.headers.get("Range"))
        resp = web.StreamResponse()
        await resp.prepare(request)
        for i in range(0, len(body), 16384):
            await resp.write(body[i : i + 16384])
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/export.json", handler)
    rows = []
    async with TestServer(app, host="127.0.0.1") as server:
        with pytest.raises(ExportParseError, match="malformed JSON") as info:
            async for row in legacy.rows(client, str(server.make_url("/export.json")), None):
                rows.append(row)
    assert rows == [{"ID": "a"}]
    assert info.value.offset == body.index(b"\n", 3) + 1 + (1 if b"{{{" in body else len(b'{"ID":"b" '))
    assert info.value.line == 2
    assert gets == [None]  # before the fix: IncompleteExportError, then ranged GETs of the same bad bytes
