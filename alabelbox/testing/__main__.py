"""``python -m alabelbox.testing serve``: run the Labelbox emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import signal
import sys
from collections.abc import Sequence
from typing import Any

from ._emulator import Emulator


def build_parser(prog: str = "python -m alabelbox.testing") -> argparse.ArgumentParser:
    """The argument parser (reusable by the ``alabelbox emulator`` CLI)."""
    parser = argparse.ArgumentParser(prog=prog, description="A local Labelbox emulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API and storage origins until Ctrl-C")
    add_serve_arguments(serve)
    return parser


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``serve`` flags to ``parser``."""
    a = parser.add_argument
    a("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    a("--port", type=int, default=0, help="API port (0: pick a free one)")
    a("--storage-port", type=int, default=0, help="storage origin port (0: pick a free one)")
    a("--seed", type=int, default=0, help="seed of all generated data and faults")
    a("--projects", type=int, default=3, help="number of projects (and datasets)")
    a("--data-rows", type=int, default=1000, help="data rows (= labels) per project")
    a("--users", type=int, default=6)
    a("--batch-size", type=int, default=1000)
    a("--api-key", default=None, help="the key to accept (default: random)")
    a("--shard-mb", type=float, default=4.0, help="target export shard size in MB")
    a("--task-seconds", type=float, default=1.0, help="minimum IN_PROGRESS time of exports")
    a("--rate-limit", type=int, default=None, help="requests per minute per key (default: none)")
    a("--url-ttl", type=float, default=3600.0, help="signed URL lifetime in seconds")
    a("--latency", type=float, default=0.0, help="fault: fixed latency per API request (s)")
    a("--jitter", type=float, default=0.0, help="fault: extra uniform random latency (s)")
    a("--error-rate", type=float, default=0.0, help="fault: HTTP 503 rate on the API")
    a("--graphql-error-rate", type=float, default=0.0, help="fault: INTERNAL_SERVER_ERROR rate")
    a("--bandwidth", type=float, default=None, help="fault: bytes/s cap per download")
    a("--ttfb", type=float, default=0.0, help="fault: storage time to first byte (s)")
    a("--expired-urls", action="store_true", help="fault: sign URLs that are already expired")
    a("--reset-rate", type=float, default=0.0, help="fault: fraction of downloads reset at a random byte")
    a("--truncate-rate", type=float, default=0.0, help="fault: fraction of downloads cut short at a random byte")
    a("--storage-error-rate", type=float, default=0.0, help="fault: HTTP 503 rate on the storage origin")
    a("--storage-429-rate", type=float, default=0.0, help="fault: HTTP 429 (Retry-After: 1) rate on the storage origin")


def emulator_from_args(args: argparse.Namespace) -> Emulator:
    """Build an :class:`Emulator` (faults included) from parsed ``serve`` arguments."""
    emu = Emulator(
        seed=args.seed,
        projects=args.projects,
        data_rows=args.data_rows,
        users=args.users,
        batch_size=args.batch_size,
        api_key=args.api_key,
        host=args.host,
        port=args.port,
        storage_port=args.storage_port,
        shard_bytes=int(args.shard_mb * 1024 * 1024),
        task_seconds=args.task_seconds,
        rate_limit=args.rate_limit,
        url_ttl=args.url_ttl,
    )
    f = emu.faults
    if args.latency or args.jitter:
        f.latency(args.latency, args.jitter)
    if args.error_rate:
        f.http_error(503, rate=args.error_rate)
    if args.graphql_error_rate:
        f.graphql_error(503, rate=args.graphql_error_rate)
    if args.bandwidth:
        f.bandwidth(args.bandwidth)
    if args.ttfb:
        f.time_to_first_byte(args.ttfb)
    if args.expired_urls:
        f.expire_signed_urls()
    if args.reset_rate:
        f.reset_downloads(rate=args.reset_rate)
    if args.truncate_rate:
        f.truncate_downloads(rate=args.truncate_rate)
    if args.storage_429_rate:
        f.storage_error(429, rate=args.storage_429_rate)
    if args.storage_error_rate:
        f.storage_error(503, rate=args.storage_error_rate)
    return emu


async def serve(emulator: Emulator, *, out: Any = None) -> None:
    """Run ``emulator`` until cancelled or SIGINT/SIGTERM, printing how to reach it."""
    out = out or sys.stdout
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with emulator as emu:
        w = emu.world
        print(f"Labelbox emulator listening on {emu.url}", file=out)
        print(f"  endpoint:    {emu.endpoint}", file=out)
        print(f"  storage:     {emu.storage_url}", file=out)
        print(f"  api key:     {emu.api_key}", file=out)
        print(
            f"  data:        seed {w.seed}, {w.n_projects} projects x {w.n_rows} data rows",
            file=out,
        )
        for pid, media in zip(emu.project_ids, w.media, strict=False):
            print(f"  project:     {pid} ({media})", file=out)
        print("  export LABELBOX_API_KEY=" + emu.api_key, file=out)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: ``main(["serve", "--port", "0"])``. Returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        # The emulator's own process: what exists after imports lives as long as it does, so the cyclic GC need
        # not walk it again and again while rows are generated (about 6% of the CPU per listed label).
        gc.freeze()
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serve(emulator_from_args(args)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
