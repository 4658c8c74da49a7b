"""The REST surface under /api/v1: the same gate as GraphQL (auth, rate limit, faults), REST-shaped errors."""

from __future__ import annotations

import aiohttp

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_exports import poll, project_input, run_export


def auth(emu: Emulator, key: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {key or emu.api_key}"}


async def finished_task(emu: Emulator, gql: Gql) -> str:
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    await poll(emu, gql, tid)
    await emu.wait_task(tid)
    return tid


async def test_export_results_stream_the_whole_result(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    tid = await finished_task(emu, gql)
    url = f"{emu.url}/api/v1/export-results/{tid}/{emu.organization_id}"
    async with session.get(url, headers=auth(emu)) as resp:
        assert resp.status == 200 and resp.content_type == "application/x-ndjson"
        assert await resp.read() == b"".join(emu.export_lines(tid))
    async with session.get(url.replace("export-results", "export-errors"), headers=auth(emu)) as resp:
        assert resp.status == 200 and await resp.read() == b""
    (request,) = [r for r in emu.api_requests() if r.path.startswith("/api/v1/export-results/")]
    assert request.status == [200]


async def test_rest_errors_are_json_with_message_and_code(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    tid = await finished_task(emu, gql)
    cases = [
        ("/api/v1/no-such-route", 404, "Not found: GET /api/v1/no-such-route", "RESOURCE_NOT_FOUND"),
        (f"/api/v1/export-results/{tid}/cl_other_org", 404, f"Export task {tid!r} not found", "RESOURCE_NOT_FOUND"),
        (
            f"/api/v1/export-results/nope/{emu.organization_id}",
            404,
            "Export task 'nope' not found",
            "RESOURCE_NOT_FOUND",
        ),
    ]
    for path, status, message, code in cases:
        async with session.get(emu.url + path, headers=auth(emu)) as resp:
            assert resp.status == status
            assert await resp.json() == {"message": message, "code": code}
    async with session.post(f"{emu.url}/api/v1/export-results/{tid}/{emu.organization_id}", headers=auth(emu)) as resp:
        assert resp.status == 405 and (await resp.json())["code"] == "METHOD_NOT_ALLOWED"
    running = await run_export(emu, gql, project_input(emu.project_ids[1]))
    async with session.get(f"{emu.url}/api/v1/export-results/{running}/{emu.organization_id}", headers=auth(emu)) as r:
        assert r.status == 409
        assert await r.json() == {
            "message": f"Export task {running} is IN_PROGRESS, not COMPLETE",
            "code": "TASK_NOT_COMPLETE",
        }


async def test_rest_needs_the_key(emu: Emulator, session: aiohttp.ClientSession) -> None:
    for headers in ({}, auth(emu, "lb-wrong-key")):
        async with session.get(f"{emu.url}/api/v1/no-such-route", headers=headers) as resp:
            assert resp.status == 401
            assert await resp.json() == {"message": "Invalid API key", "code": "AUTHENTICATION_ERROR"}
    assert [r.status for r in emu.api_requests()] == [[401], [401]]


async def test_rest_shares_the_rate_limit_and_faults(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    url = f"{emu.url}/api/v1/no-such-route"
    emu.faults.http_error(502, nth=[1])
    async with session.get(url, headers=auth(emu)) as resp:
        assert resp.status == 502 and "injected by the emulator" in await resp.text()
    emu.faults.clear()
    emu.faults.graphql_error(status=500, nth=[1])  # clear() restarts the count
    async with session.get(url, headers=auth(emu)) as resp:
        assert resp.status == 500
        assert (await resp.json())["code"] == "INTERNAL_SERVER_ERROR"
    emu.faults.clear()
    emu.rate_limit = 2
    status, _ = await gql("{user{id}}")  # a GraphQL request spends from the same budget
    assert status == 200
    async with session.get(url, headers=auth(emu)) as resp:
        assert resp.status == 404
    async with session.get(url, headers=auth(emu)) as resp:
        assert resp.status == 429 and int(resp.headers["Retry-After"]) >= 1
        assert (await resp.json())["message"].startswith("You have exceeded the API rate limit of 2 requests")
