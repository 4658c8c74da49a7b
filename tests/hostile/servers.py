"""Small misbehaving servers on 127.0.0.1: an API origin and a storage origin, each set to one hostile behaviour.

The API answers the export queries the shard streamer sends (metadata header, shard by offset) with shards whose
signed URLs point at the storage origin and carry :data:`SIGNATURE` in their query. Each behaviour is a mode:

API modes: ``ok``, ``fail_after_first`` (the first shard lookup answers, every later one is a 503), ``stall``
(never answers), ``trickle`` (a valid answer at one byte per ``TRICKLE_INTERVAL``), ``echo`` (a GraphQL error that
quotes the request's headers, the key deep inside ``extensions``), ``html`` (a 502 HTML page quoting the key across
the 200-byte excerpt cut), ``close`` (headers, half the body, then the connection closes).

Storage modes: ``ok``, ``stall`` (headers, then nothing), ``trickle``, ``few_then_stall`` (10 bytes, then
nothing), ``echo`` (a 500 whose body quotes the request line, signature included, and its headers), ``html`` (503
HTML), ``close`` (half the body, then the connection closes).
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

KEY = secrets.token_hex(24)  # random from its first character, so that a leaked prefix is recognisable
SIGNATURE = "SIG" + secrets.token_hex(12)
TRICKLE_INTERVAL = 0.05
STALL = 30.0
LINE = b'{"data_row": {"id": "row-%04d"}, "pad": "' + b"x" * 60 + b'"}\n'


def lines(count: int, first: int = 0) -> bytes:
    return b"".join(LINE % (first + i) for i in range(count))


@dataclass
class Hostile:
    """Two origins; ``api_mode`` and ``storage_mode`` choose how each misbehaves. Shards: ``shards`` x ``per_shard``
    lines."""

    api_mode: str = "ok"
    storage_mode: str = "ok"
    shards: int = 3
    per_shard: int = 20
    api_url: str = ""
    storage_url: str = ""
    lookups: int = 0
    storage_requests: list[dict[str, str]] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"{self.api_url}/graphql"

    def signed(self, name: str) -> str:
        return f"{self.storage_url}/{name}?X-Goog-Expires=600&X-Goog-Signature={SIGNATURE}"

    @property
    def shard_size(self) -> int:
        return len(lines(self.per_shard))

    def body(self, index: int) -> bytes:
        return lines(self.per_shard, index * self.per_shard)

    # -- API ---------------------------------------------------------------------------------------------------------

    def _answer(self, query: str, variables: dict[str, object]) -> dict[str, object]:
        total = self.shards * self.shard_size
        if "exportLabels" in query:
            legacy = {"downloadUrl": self.signed("legacy"), "createdAt": "2026-01-01T00:00:00Z", "shouldPoll": False}
            return {"data": {"exportLabels": legacy}}
        if "exportMetadataHeader" in query:
            header = {"totalSize": str(total), "totalLines": str(self.shards * self.per_shard)}
            return {"data": {"task": {"exportMetadataHeader": header}}}
        if "exportFileFromOffset" in query:
            offset = int(str(variables["offset"]))
            index = min(offset // self.shard_size, self.shards - 1)
            start = index * self.shard_size
            info = {
                "offsets": {"start": str(start), "end": str(start + self.shard_size - 1)},
                "lines": {"start": index * self.per_shard, "end": (index + 1) * self.per_shard - 1},
                "file": self.signed(f"shard{index}"),
            }
            return {"data": {"task": {"exportFileFromOffset": info}}}
        return {"data": {"user": {"id": "u1"}}}

    async def graphql(self, request: web.Request) -> web.StreamResponse:
        payload = await request.json()
        query = str(payload.get("query"))
        variables = payload.get("variables") or {}
        mode = self.api_mode
        if "exportFileFromOffset" in query:
            self.lookups += 1
            if mode == "fail_after_first" and self.lookups > 1:
                return web.json_response({"message": "Service Unavailable"}, status=503)
        if mode == "stall":
            await asyncio.sleep(STALL)
        body = json.dumps(self._answer(query, variables)).encode()
        if mode == "trickle":
            return await _trickle(request, body)
        if mode == "close":
            return await _close_mid_body(request, body)
        auth = request.headers.get("Authorization", "")
        if mode == "echo":
            error = {
                "message": f"denied: {auth}",
                "extensions": {"code": "AUTHENTICATION_ERROR", "request": {"headers": dict(request.headers)}},
                "path": [auth],
            }
            return web.json_response({"errors": [error, {"message": auth}]})
        if mode == "html":
            # The key straddles the 200-byte excerpt cut.
            page = "<html><body><pre>" + "x" * (190 - len("<html><body><pre>")) + auth + "</pre></body></html>"
            return web.Response(status=502, text=page, content_type="text/html")
        return web.Response(body=body, content_type="application/json")

    # -- storage -----------------------------------------------------------------------------------------------------

    async def storage(self, request: web.Request) -> web.StreamResponse:
        self.storage_requests.append(dict(request.headers))
        name = request.match_info["name"]
        if name == "legacy":
            rows = [{"ID": f"label-{i}", "DataRow ID": f"row-{i}", "pad": "x" * 60} for i in range(self.per_shard)]
            body = json.dumps(rows).encode()
        else:
            body = self.body(int(name.removeprefix("shard")))
        start = 0
        ranged = request.headers.get("Range")
        if ranged:
            start = int(ranged.removeprefix("bytes=").rstrip("-"))
        part = body[start:]
        mode = self.storage_mode
        if mode == "echo":
            echoed = f"{request.method} {request.path_qs}\n" + "\n".join(
                f"{k}: {v}" for k, v in request.headers.items()
            )
            return web.Response(status=500, text=f"upstream said no to {echoed}")
        if mode == "html":
            return web.Response(status=503, text="<html><h1>Service Unavailable</h1></html>", content_type="text/html")
        status = 206 if ranged else 200
        response = web.StreamResponse(status=status, headers={"Content-Length": str(len(part))})
        await response.prepare(request)
        if mode == "stall":
            await asyncio.sleep(STALL)
        elif mode == "few_then_stall":
            await response.write(part[:10])
            await asyncio.sleep(STALL)
        elif mode == "trickle":
            for i in range(len(part)):
                await response.write(part[i : i + 1])
                await asyncio.sleep(TRICKLE_INTERVAL)
        elif mode == "close":
            await response.write(part[: len(part) // 2])
            assert request.transport is not None
            request.transport.close()
            return response
        else:
            await response.write(part)
        await response.write_eof()
        return response


async def _trickle(request: web.Request, body: bytes) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": str(len(body))})
    await response.prepare(request)
    for i in range(len(body)):
        await response.write(body[i : i + 1])
        await asyncio.sleep(TRICKLE_INTERVAL)
    await response.write_eof()
    return response


async def _close_mid_body(request: web.Request, body: bytes) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "application/json", "Content-Length": str(len(body))})
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    assert request.transport is not None
    request.transport.close()
    return response


async def _site(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


@asynccontextmanager
async def serve() -> AsyncIterator[Hostile]:
    hostile = Hostile()
    api = web.Application()
    api.router.add_post("/graphql", hostile.graphql)
    storage = web.Application()
    storage.router.add_get("/{name}", hostile.storage)
    api_runner, hostile.api_url = await _site(api)
    storage_runner, hostile.storage_url = await _site(storage)
    try:
        yield hostile
    finally:
        await storage_runner.cleanup()
        await api_runner.cleanup()
