"""Transport overhead: Client.execute against bare aiohttp POSTs, in the same run, on the same local server.

The server runs in its own process (so that on a 2-core machine client and server do not share one event loop).
Each round sends N small queries at concurrency C, once through ``alabelbox.Client.execute`` and once as bare
``aiohttp`` POSTs, alternating which goes first; the medians and their ratio are printed, with peak RSS.
With ``--markdown`` the figures are printed again as the ``transport`` block of RESULTS.md (see ``_results.py``).

    python benchmarks/bench_transport.py --requests 5000 --concurrency 64 --rounds 7
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import _results
import aiohttp
from aiohttp import web

import alabelbox

QUERY = "query EchoPyApi($n: Int!) { echo(n: $n) { n } }"
KEY = "bench-key"
#: CPU microseconds per request of the last run_bounded: steadier than wall time on a shared, noisy machine.
CPU_US: list[float] = []
GOAL = 1.5  # overhead ratio, wall and CPU


def serve() -> None:
    """Run the tiny GraphQL server (the subprocess side); print the port on stdout."""

    async def graphql(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response({"data": {"echo": {"n": (body.get("variables") or {}).get("n")}}})

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/graphql", graphql)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        print(site._server.sockets[0].getsockname()[1], flush=True)  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


async def run_bounded(n: int, concurrency: int, call: Callable[[int], Awaitable[None]]) -> float:
    """Run ``call(i)`` for i in range(n) with at most ``concurrency`` at once; return requests per second."""
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while next_index < n:
            i = next_index
            next_index += 1
            await call(i)

    started = time.perf_counter()
    cpu_started = time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    CPU_US.append((time.process_time() - cpu_started) / n * 1e6)
    return n / (time.perf_counter() - started)


async def bare_aiohttp(endpoint: str, n: int, concurrency: int) -> float:
    connector = aiohttp.TCPConnector(limit=100)
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def call(i: int) -> None:
            body = json.dumps({"query": QUERY, "variables": {"n": i}}).encode()
            async with session.post(endpoint, data=body) as response:
                data = json.loads(await response.read())
                assert data["data"]["echo"]["n"] == i

        await call(-1)  # warm the pool, as the client's first call does
        return await run_bounded(n, concurrency, call)


async def with_client(endpoint: str, n: int, concurrency: int) -> float:
    limits = alabelbox.Limits(max_connections=100, max_concurrent_requests=concurrency)
    async with alabelbox.Client(api_key=KEY, endpoint=endpoint, limits=limits) as client:

        async def call(i: int) -> None:
            data = await client.execute(QUERY, {"n": i})
            assert data["echo"]["n"] == i

        await call(-1)
        return await run_bounded(n, concurrency, call)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="also print the figures as RESULTS.md's block")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        asyncio.run(compare(f"http://127.0.0.1:{port}/graphql", args))
    finally:
        server.terminate()
        server.wait()


async def compare(endpoint: str, args: argparse.Namespace) -> None:
    rates: dict[str, list[float]] = {"bare": [], "client": []}
    cpu: dict[str, list[float]] = {"bare": [], "client": []}
    for round_number in range(args.rounds):
        order = [("bare", bare_aiohttp), ("client", with_client)]
        if round_number % 2:
            order.reverse()
        for name, fn in order:
            rate = await fn(endpoint, args.requests, args.concurrency)
            rates[name].append(rate)
            cpu[name].append(CPU_US[-1])
            print(f"round {round_number + 1}: {name:6s} {rate:8.0f} req/s {CPU_US[-1]:6.1f} us CPU/req")
    bare_rate, ours_rate = statistics.median(rates["bare"]), statistics.median(rates["client"])
    bare_cpu, ours_cpu = statistics.median(cpu["bare"]), statistics.median(cpu["client"])
    print()
    print(f"requests={args.requests} concurrency={args.concurrency} rounds={args.rounds} (medians)")
    print(f"bare aiohttp POST     : {bare_rate:8.0f} req/s {bare_cpu:6.1f} us CPU/req")
    print(f"alabelbox Client      : {ours_rate:8.0f} req/s {ours_cpu:6.1f} us CPU/req")
    ratios = f"{bare_rate / ours_rate:8.2f}x wall, {ours_cpu / bare_cpu:.2f}x CPU"
    print(f"overhead ratio        : {ratios} (goal <= 1.5x)")
    print(f"peak RSS (client side): {peak_rss_mb():8.1f} MB")
    if args.markdown:
        print()
        print(markdown(bare_rate, bare_cpu, ours_rate, ours_cpu, peak_rss_mb()))


def markdown(bare_rate: float, bare_cpu: float, ours_rate: float, ours_cpu: float, rss_mb: float) -> str:
    """The ``transport`` block of RESULTS.md: the medians, the overhead ratios against the goal, peak RSS."""
    wall, cpu = bare_rate / ours_rate, ours_cpu / bare_cpu
    rows = [
        ["bare aiohttp POST", f"{bare_rate:,.0f}", f"{bare_cpu:.1f}"],
        ["alabelbox `Client.execute`", f"{ours_rate:,.0f}", f"{ours_cpu:.1f}"],
        ["**overhead**", f"**{_results.ratio(wall)} wall**", f"**{_results.ratio(cpu)} CPU**"],
    ]
    table = _results.table(["path", "req/s (median)", "CPU µs/request (median)"], rows)
    goal = f"Goal ≤ {_results.ratio(GOAL, 1)}: {_results.met(max(wall, cpu) <= GOAL)}."
    goal += f" Peak RSS of the client process: {rss_mb:.0f} MB."
    return _results.block("transport", f"{table}\n\n{goal}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        main()
