"""Each fault kind, seen from a plain aiohttp client."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp
import pytest

from alabelbox.testing import Emulator

from .conftest import Gql
from .test_exports import BY_OFFSET, poll, project_input, run_export

USER = "{user{id}}"


async def shard_url(emu: Emulator, gql: Gql) -> tuple[str, int]:
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    await poll(emu, gql, tid)
    _, body = await gql(BY_OFFSET, {"where": {"id": tid}, "streamType": "RESULT", "offset": 0})
    info = body["data"]["task"]["exportFileFromOffset"]
    return info["file"], int(info["offsets"]["end"]) + 1


async def test_latency(emu: Emulator, gql: Gql) -> None:
    await gql(USER)  # warm up the connection
    emu.faults.latency(0.3, jitter=0.1)
    t0 = time.perf_counter()
    status, _ = await gql(USER)
    elapsed = time.perf_counter() - t0
    assert status == 200 and 0.3 <= elapsed < 1.5


async def test_http_error_on_nth_request(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    emu.faults.http_error(503, nth=[2])
    assert (await gql(USER))[0] == 200
    async with session.post(
        emu.endpoint, json={"query": USER}, headers={"Authorization": f"Bearer {emu.api_key}"}
    ) as resp:
        assert resp.status == 503
        assert "injected" in await resp.text()
    assert (await gql(USER))[0] == 200


async def test_graphql_internal_server_error(emu: Emulator, gql: Gql) -> None:
    emu.faults.graphql_error(503, rate=1.0, count=1)
    status, body = await gql(USER)
    assert status == 200 and body["data"] is None
    ext = body["errors"][0]["extensions"]
    assert ext == {"code": "INTERNAL_SERVER_ERROR", "exception": ext["exception"]}
    assert ext["exception"]["status"] == 503
    assert (await gql(USER))[1]["data"]["user"]["id"] == emu.user_id


async def test_error_rate_is_deterministic_under_a_seed() -> None:
    async def pattern(seed: int) -> list[int]:
        async with Emulator(seed=seed, projects=1, data_rows=5) as emu:
            emu.faults.http_error(500, rate=0.3)
            async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {emu.api_key}"}) as s:
                out = []
                for _ in range(30):
                    async with s.post(emu.endpoint, json={"query": USER}) as resp:
                        out.append(resp.status)
                return out

    a, b, c = await pattern(11), await pattern(11), await pattern(12)
    assert a == b
    assert 500 in a and 200 in a
    assert a != c


async def test_rate_limit_burst(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    emu.faults.rate_limit_burst(2, after=1)
    assert (await gql(USER))[0] == 200
    for _ in range(2):
        async with session.post(
            emu.endpoint, json={"query": USER}, headers={"Authorization": f"Bearer {emu.api_key}"}
        ) as resp:
            assert resp.status == 429
            assert int(resp.headers["Retry-After"]) >= 1
            assert (await resp.json())["message"].startswith("You have exceeded")
    assert (await gql(USER))[0] == 200


async def test_requests_per_minute_limit(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.rate_limit = 5
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    statuses = []
    for _ in range(7):
        async with session.post(emu.endpoint, json={"query": USER}, headers=headers) as resp:
            statuses.append(resp.status)
            retry_after = resp.headers.get("Retry-After")
    assert statuses == [200] * 5 + [429] * 2
    assert retry_after is not None and 1 <= int(retry_after) <= 60
    emu.clock.advance(61)
    async with session.post(emu.endpoint, json={"query": USER}, headers=headers) as resp:
        assert resp.status == 200


async def test_connection_reset_mid_download(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    url, size = await shard_url(emu, gql)
    emu.faults.reset_download(after_bytes=1000)
    got = bytearray()
    with pytest.raises(aiohttp.ClientError):
        async with session.get(url) as resp:
            assert resp.status == 200 and resp.content_length == size
            async for chunk in resp.content.iter_any():
                got += chunk
    assert len(got) <= 1000
    async with session.get(url) as resp:  # the fault fired once
        assert len(await resp.read()) == size


async def test_truncated_body(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    url, size = await shard_url(emu, gql)
    emu.faults.truncate_download(after_bytes=5000)
    with pytest.raises(aiohttp.ClientPayloadError):
        async with session.get(url) as resp:
            assert resp.content_length == size
            await resp.read()


async def _download_pattern(seed: int, setup: str) -> list[tuple[int, int, str]]:
    """``(status, body bytes received, outcome)`` of 16 sequential GETs of one shard under a fault."""
    async with (
        Emulator(seed=seed, projects=1, data_rows=250, shard_bytes=30_000, task_seconds=0) as emu,
        aiohttp.ClientSession() as session,
    ):
        headers = {"Authorization": f"Bearer {emu.api_key}"}

        async def gql(query: str, variables: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
            async with session.post(
                emu.endpoint, json={"query": query, "variables": variables}, headers=headers
            ) as resp:
                return resp.status, await resp.json()

        url, size = await shard_url(emu, gql)
        if setup == "reset":
            emu.faults.reset_downloads(rate=0.5)
        elif setup == "truncate":
            emu.faults.truncate_downloads(rate=0.5)
        elif setup == "503":
            emu.faults.storage_error(503, rate=0.4)
        out = []
        for _ in range(16):
            got = bytearray()
            status, outcome = 0, "complete"
            try:
                async with session.get(url) as resp:
                    status = resp.status
                    async for chunk in resp.content.iter_any():
                        got += chunk
            except aiohttp.ClientPayloadError:
                outcome = "short"
            except aiohttp.ClientError:
                outcome = "error"
            if outcome == "complete" and status == 200:
                assert len(got) == size
            out.append((status, len(got), outcome))
        return out


async def test_resets_at_a_rate_at_a_random_byte() -> None:
    a, b, c = [await _download_pattern(seed, "reset") for seed in (5, 5, 6)]
    failed = [k for k, (_, _, outcome) in enumerate(a) if outcome != "complete"]
    assert 3 <= len(failed) <= 13, a
    assert all(status == 200 for status, _, _ in a)
    # Which downloads are reset depends on the seed alone (what arrives before an RST may not).
    assert failed == [k for k, (_, _, outcome) in enumerate(b) if outcome != "complete"]
    assert failed != [k for k, (_, _, outcome) in enumerate(c) if outcome != "complete"]


async def test_truncations_at_a_rate_at_a_random_byte() -> None:
    a, b, c = [await _download_pattern(seed, "truncate") for seed in (5, 5, 6)]
    cut = [n for _, n, outcome in a if outcome == "short"]
    assert 3 <= len(cut) <= 13, a
    assert len(set(cut)) == len(cut), "each truncation is at its own random byte"
    assert a == b  # a clean close delivers every byte before it: the cut points repeat exactly
    assert a != c


async def test_storage_429_with_retry_after_on_the_nth_request(
    emu: Emulator, gql: Gql, session: aiohttp.ClientSession
) -> None:
    url, size = await shard_url(emu, gql)
    before = emu.faults.storage_requests
    emu.faults.storage_error(429, nth=[before + 2])
    async with session.get(url) as resp:
        assert resp.status == 200 and len(await resp.read()) == size
    async with session.get(url) as resp:
        assert resp.status == 429
        assert resp.headers["Retry-After"] == "1"
        assert "<Code>SlowDown</Code>" in await resp.text()
    async with session.get(url) as resp:
        assert resp.status == 200
    assert [r.status for r in emu.storage_requests[-3:]] == [[200], [429], [200]]


async def test_storage_5xx_at_a_rate_is_deterministic_under_a_seed() -> None:
    a, b, c = [await _download_pattern(seed, "503") for seed in (5, 5, 6)]
    statuses = [status for status, _, _ in a]
    assert set(statuses) == {200, 503} and 2 <= statuses.count(503) <= 12, statuses
    assert a == b and a != c


async def test_storage_error_count_and_retry_after(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    url, _ = await shard_url(emu, gql)
    emu.faults.storage_error(502, rate=1.0, count=2, retry_after=7)
    for _ in range(2):
        async with session.get(url) as resp:
            assert resp.status == 502 and resp.headers["Retry-After"] == "7"
            assert "<Code>BadGateway</Code>" in await resp.text()
    async with session.get(url) as resp:
        assert resp.status == 200
    with pytest.raises(ValueError, match="rate must be between 0 and 1"):
        emu.faults.reset_downloads(rate=5)


async def test_malformed_json_line(emu: Emulator, gql: Gql) -> None:
    emu.faults.malformed_line(3)
    tid = await run_export(emu, gql, project_input(emu.project_ids[0]))
    await emu.wait_task(tid)
    lines = emu.export_lines(tid)
    assert len(lines) == 250
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[3])
    assert all(json.loads(line) for k, line in enumerate(lines) if k != 3)


async def test_bandwidth_cap_and_ttfb(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    url, size = await shard_url(emu, gql)
    emu.faults.bandwidth(size / 0.4)  # the shard should take ~0.4 s
    t0 = time.perf_counter()
    async with session.get(url) as resp:
        body = await resp.read()
    assert len(body) == size and time.perf_counter() - t0 >= 0.35
    emu.faults.bandwidth(None)
    emu.faults.time_to_first_byte(0.3)
    t0 = time.perf_counter()
    async with session.get(url) as resp:
        headers_at = time.perf_counter() - t0
        assert len(await resp.read()) == size
    assert headers_at >= 0.3


async def test_expired_signed_urls(emu: Emulator, gql: Gql, session: aiohttp.ClientSession) -> None:
    emu.faults.expire_signed_urls()
    url, _ = await shard_url(emu, gql)
    async with session.get(url) as resp:
        assert resp.status == 400
        assert "ExpiredToken" in await resp.text()


async def test_faults_clear(emu: Emulator, gql: Gql) -> None:
    emu.faults.http_error(500, rate=1.0)
    assert await _status(emu) == 500
    emu.faults.clear()
    assert (await gql(USER))[0] == 200


async def _status(emu: Emulator) -> int:
    async with aiohttp.ClientSession() as s:
        async with s.post(
            emu.endpoint, json={"query": USER}, headers={"Authorization": f"Bearer {emu.api_key}"}
        ) as resp:
            return resp.status


@pytest.mark.parametrize("throttled", [False, True], ids=["sendfile", "chunked"])
async def test_a_client_that_stops_reading_is_not_an_error(
    emu: Emulator, gql: Gql, caplog: pytest.LogCaptureFixture, throttled: bool
) -> None:
    url, size = await shard_url(emu, gql)
    if throttled:
        emu.faults.bandwidth(size / 2)  # the chunked writer, still writing when the client leaves
    caplog.set_level(logging.DEBUG)
    for _ in range(3):
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as s:
            async with s.get(url, headers={"Range": "bytes=0-"} if throttled else None) as resp:
                async for _chunk in resp.content.iter_chunked(1024):
                    break  # stop reading: the connection is closed under the server
    for _ in range(50):  # let the server meet the closed transport
        if all(r.status for r in emu.storage_requests[-3:]):
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.3 if throttled else 0.05)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
