"""``python -m alabelbox.testing serve``: run the Labelbox emulator until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import shlex
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from ._emulator import Emulator


def _count(minimum: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _number(minimum: float, maximum: float | None = None, *, above: bool = False) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value < minimum or (above and value == minimum) or (maximum is not None and value > maximum):
            bound = f"above {minimum:g}" if above else f"at least {minimum:g}"
            raise argparse.ArgumentTypeError(
                f"must be {bound}" + (f" and at most {maximum:g}" if maximum is not None else "") + f", got {text}"
            )
        return value

    return parse


_PORT = _count(0)
_RATE = _number(0.0, 1.0)
_SECONDS = _number(0.0)


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block): what is wrong and where the flags are listed."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (--help lists the flags)\n")


def build_parser(prog: str = "python -m alabelbox.testing") -> argparse.ArgumentParser:
    """The argument parser (reusable by the ``alabelbox emulator`` CLI)."""
    parser = _Parser(prog=prog, description="A local Labelbox emulator.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API and storage origins until Ctrl-C")
    add_serve_arguments(serve)
    return parser


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``serve`` flags to ``parser``."""
    a = parser.add_argument
    a("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    a("--port", type=_PORT, default=0, help="API port (0: pick a free one)")
    a("--storage-port", type=_PORT, default=0, help="storage origin port (0: pick a free one)")
    a("--seed", type=int, default=0, help="seed of all generated data and faults")
    a("--projects", type=_count(1), default=3, help="number of projects (and datasets)")
    a("--data-rows", type=_count(0), default=1000, help="data rows (= labels) per project")
    a("--users", type=_count(1), default=6)
    a("--batch-size", type=_count(1), default=1000)
    a("--api-key", default=None, help="the key to accept (default: random)")
    a("--shard-mb", type=_number(0.0, above=True), default=4.0, help="target export shard size in MB")
    a("--task-seconds", type=_SECONDS, default=1.0, help="minimum IN_PROGRESS time of exports")
    a("--rate-limit", type=_count(1), default=None, help="requests per minute per key (default: none)")
    a("--url-ttl", type=_SECONDS, default=3600.0, help="signed URL lifetime in seconds")
    a("--latency", type=_SECONDS, default=0.0, help="fault: fixed latency per API request (s)")
    a("--jitter", type=_SECONDS, default=0.0, help="fault: extra uniform random latency (s)")
    a("--error-rate", type=_RATE, default=0.0, help="fault: HTTP 503 rate on the API")
    a("--graphql-error-rate", type=_RATE, default=0.0, help="fault: INTERNAL_SERVER_ERROR rate")
    a("--bandwidth", type=_number(0.0, above=True), default=None, help="fault: bytes/s cap per download")
    a("--ttfb", type=_SECONDS, default=0.0, help="fault: storage time to first byte (s)")
    a("--expired-urls", action="store_true", help="fault: sign URLs that are already expired")
    a("--reset-rate", type=_RATE, default=0.0, help="fault: fraction of downloads reset at a random byte")
    a("--truncate-rate", type=_RATE, default=0.0, help="fault: fraction of downloads cut short at a random byte")
    a("--storage-error-rate", type=_RATE, default=0.0, help="fault: HTTP 503 rate on the storage origin")
    a("--storage-429-rate", type=_RATE, default=0.0, help="fault: HTTP 429 (Retry-After: 1) rate on the storage origin")


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
        print("To point alabelbox (and the CLI) at it, paste:", file=out)
        print(f"  export LABELBOX_API_KEY={shlex.quote(emu.api_key)}", file=out)
        print(f"  export LABELBOX_ENDPOINT={shlex.quote(emu.endpoint)}", file=out)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        await stop.wait()


def main(argv: Sequence[str] | None = None, *, prog: str = "python -m alabelbox.testing") -> int:
    """Entry point: ``main(["serve", "--port", "0"])``. Returns the exit status.

    A bad flag is one usage line and status 2 (argparse's); a port that cannot be bound is one line and status 1.
    """
    args = build_parser(prog).parse_args(argv)
    if args.command == "serve":
        # The emulator's own process: what exists after imports lives as long as it does, so the cyclic GC need
        # not walk it again and again while rows are generated (about 6% of the CPU per listed label).
        gc.freeze()
        try:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve(emulator_from_args(args)))
        except OSError as error:
            reason = error.strerror or str(error)
            print(
                f"{prog}: error: cannot listen on {args.host} (--port {args.port}, --storage-port "
                f"{args.storage_port}): {reason}; pick another port, or 0 for a free one",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
