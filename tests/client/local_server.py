"""A small real GraphQL-over-HTTP server on loopback, for testing the client's transport and pool."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class LocalServer:
    """Answers ``Echo`` (returns its variables), ``Slow`` (sleeps ``delay`` seconds first) and serves ``/file``."""

    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    started: int = 0

    @property
    def endpoint(self) -> str:
        return f"{self.url}/graphql"

    async def graphql(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(Recorded(request.method, request.path, dict(request.headers), body))
        self.started += 1
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            variables = body.get("variables") or {}
            if "Slow" in body["query"]:
                await asyncio.sleep(float(variables.get("delay", 0)))
            return web.json_response({"data": {"echo": variables, "path": request.path}})
        finally:
            self.active -= 1

    async def file(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(Recorded(request.method, request.path, dict(request.headers), None))
        return web.Response(body=b"x" * 1000)

    async def echo_auth(self, request: web.Request) -> web.StreamResponse:
        # A careless server that quotes the request's credentials in its error page.
        return web.Response(status=403, text=f"denied for {request.headers.get('Authorization')}")

    async def redirect(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(Recorded(request.method, request.path, dict(request.headers), None))
        raise web.HTTPFound(request.query["to"])


@asynccontextmanager
async def serve() -> AsyncIterator[LocalServer]:
    server = LocalServer()
    app = web.Application()
    app.router.add_post("/graphql", server.graphql)
    app.router.add_post("/_gql", server.graphql)
    app.router.add_get("/file", server.file)
    app.router.add_get("/redirect", server.redirect)
    app.router.add_get("/echo-auth", server.echo_auth)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()


def dumps(value: Any) -> str:
    return json.dumps(value)
