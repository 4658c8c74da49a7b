"""The ``alabelbox`` command: a click group, its shared options, and the one place errors become exit codes.

click parses the command line (the most widely used and stable CLI library, and it already gives us help text,
environment-variable options and exit code 2 for usage errors); rich draws tables and progress bars.
"""

from __future__ import annotations

import asyncio
import contextlib
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
import click
from rich.console import Console

from alabelbox._cli._errors import ExitCode, describe
from alabelbox._client import Client
from alabelbox._exceptions import LabelboxError
from alabelbox._version import __version__

T = TypeVar("T")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Settings:
    """The options every command shares."""

    api_key: str | None
    endpoint: str | None
    debug: bool

    def client(self, **kwargs: Any) -> Client:
        """A client built from the options (and the environment, for what they leave out)."""
        return Client(api_key=self.api_key, endpoint=self.endpoint, **kwargs)


def run(settings: Settings, main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main`` on an event loop; turn failures into one clear line and an exit code.

    ``--debug`` prints the traceback as well.
    """
    try:
        return anyio.run(main)
    except LabelboxError as error:
        line, code = describe(error)
        if settings.debug:
            stderr.print(traceback.format_exc(), markup=False)
        stderr.print(f"[bold red]error:[/] {line}", markup=True)
        raise SystemExit(int(code)) from None
    except KeyboardInterrupt:
        stderr.print("interrupted", markup=False)
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, "--version", prog_name="alabelbox", message="%(prog)s %(version)s")
@click.option("--api-key", envvar="LABELBOX_API_KEY", default=None, show_envvar=True, help="Labelbox API key.")
@click.option(
    "--endpoint",
    envvar="LABELBOX_ENDPOINT",
    default=None,
    show_envvar=True,
    help="GraphQL endpoint [default: https://api.labelbox.com/graphql].",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, api_key: str | None, endpoint: str | None, debug: bool) -> None:
    """alabelbox: the asyncio-native Labelbox client.

    Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication, 4 not found, 5 unavailable (try again),
    6 export failed or its data is bad, 130 interrupted.
    """
    ctx.obj = Settings(api_key=api_key, endpoint=endpoint, debug=debug)


@cli.group()
def emulator() -> None:
    """The local Labelbox emulator (alabelbox.testing)."""


@emulator.command(
    "serve", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}, add_help_option=False
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator_serve(args: tuple[str, ...]) -> None:
    """Serve the emulator until Ctrl-C; prints its URL and API key. --help lists its flags."""
    from alabelbox.testing.__main__ import build_parser, emulator_from_args, serve

    options = build_parser(prog="alabelbox emulator").parse_args(["serve", *args])
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(emulator_from_args(options)))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status."""
    try:
        cli.main(args=argv, prog_name="alabelbox")  # standalone mode: always ends in SystemExit
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
