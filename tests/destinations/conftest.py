"""Samples and helpers for the destination tests: real exports, an independent annotation count, a mask server."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from alabelbox import Client
from alabelbox.testing import Emulator

SAMPLES = Path(__file__).parent / "samples"
"""Copies of real export v2 files from ../shared/fixtures/labelbox-samples (see SOURCES.md)."""

IMAGE_SAMPLES = [SAMPLES / "labelformat_export-result.ndjson", SAMPLES / "radar_tracker_export-result.ndjson"]
ALL_SAMPLES = [
    *IMAGE_SAMPLES,
    SAMPLES / "export-v2-project-roof-wear.ndjson",
    SAMPLES / "lbpy_unit_v2_conversational_row.ndjson",
]


def listing(folder: Path, pattern: str = "*") -> list[str]:
    """The names in ``folder`` matching ``pattern``, sorted (sync: the async tests call it between awaits)."""
    return sorted(p.name for p in folder.glob(pattern))


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def count_by_kind(rows: list[dict[str, Any]]) -> Counter[str]:
    """Annotations by kind, counted by a generic walk over the JSON (independent of the code under test).

    An object is a dict with ``annotation_kind``; a classification is an item of any ``classifications`` list (kind
    from its answer key); a relationship an item of a ``relationships`` list.
    """
    found: Counter[str] = Counter()

    def visit(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            if "annotation_kind" in value:
                found[value["annotation_kind"]] += 1
            elif key == "classifications":
                kind = next(
                    (k for k in ("radio_answer", "checklist_answers", "text_answer") if value.get(k) is not None),
                    "classification",
                )
                found[{"radio_answer": "radio", "checklist_answers": "checklist", "text_answer": "text"}.get(
                    kind, kind)] += 1  # fmt: skip
            elif key == "relationships":
                found["relationship"] += 1
            for k, v in value.items():
                visit(v, k)
        elif isinstance(value, list):
            for item in value:
                visit(item, key)

    for row in rows:
        visit(row.get("projects"), None)
        visit(row.get("experiments"), None)
    return found


def png(pixels: list[list[Any]], mode: str) -> bytes:
    from PIL import Image

    height, width = len(pixels), len(pixels[0])
    image = Image.new(mode, (width, height))
    image.putdata([p for line in pixels for p in line])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass
class MaskServer:
    """Two loopback origins: the API (masks need the key there) and a storage origin (signed URLs, no key)."""

    api: str = ""
    storage: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    seen: list[tuple[str, str | None]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.seen.append((f"{request.host}{request.path}", request.headers.get("Authorization")))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            import asyncio

            await asyncio.sleep(0.01)
            body = self.files.get(request.path)
            return web.Response(body=body) if body is not None else web.Response(status=404, text="no such mask")
        finally:
            self.active -= 1


@pytest_asyncio.fixture
async def mask_server() -> AsyncIterator[MaskServer]:
    server = MaskServer()
    runners = []
    urls = []
    for _ in range(2):
        app = web.Application()
        app.router.add_get("/{tail:.*}", server.handle)
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        runners.append(runner)
        urls.append(f"http://127.0.0.1:{port}")
    server.api, server.storage = urls
    try:
        yield server
    finally:
        for runner in runners:
            await runner.cleanup()


API_KEY = "test-key-0123456789"


@pytest_asyncio.fixture
async def mask_client(mask_server: MaskServer) -> AsyncIterator[Client]:
    async with Client(api_key=API_KEY, endpoint=f"{mask_server.api}/graphql", max_retries=0) as client:
        yield client


@pytest.fixture
def emu_options() -> dict[str, Any]:
    return {"seed": 5, "projects": 1, "data_rows": 60, "task_seconds": 0.0, "shard_bytes": 16 * 1024}


@pytest_asyncio.fixture
async def emu(emu_options: dict[str, Any]) -> AsyncIterator[Emulator]:
    async with Emulator(**emu_options) as emulator:
        yield emulator


@pytest_asyncio.fixture
async def emu_client(emu: Emulator) -> AsyncIterator[Client]:
    async with Client(api_key=emu.api_key, endpoint=emu.endpoint) as client:
        yield client
