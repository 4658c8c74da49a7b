"""The ``alabelbox`` command: a click group, its shared options, and the one place errors become exit codes.

click parses the command line (the most widely used and stable CLI library, and it already gives us help text,
environment-variable options and exit code 2 for usage errors); rich draws tables and progress bars.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import click
from rich.console import Console

from alabelbox import _constants
from alabelbox._cli._errors import ExitCode, describe
from alabelbox._client import Client
from alabelbox._exceptions import LabelboxError
from alabelbox._version import __version__

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

stderr = Console(stderr=True, highlight=False, soft_wrap=True)

#: The loggers of the library that ``-v`` (INFO) and ``-vv`` (DEBUG) turn on.
LOGGERS = ("alabelbox.retry", "alabelbox.exports", "alabelbox.reader")


class CliError(click.ClickException):
    """A mistake the command found itself (before or after talking to Labelbox): one line and an exit code."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code
        self.exit_code = int(code)  # type: ignore[misc]  # a ClassVar in click; it reads the instance attribute

    def show(self, file: Any = None) -> None:
        """``error: <message>`` on stderr, as every other failure of the command."""
        stderr.print("[bold red]error:[/] ", markup=True, end="")
        stderr.print(self.message, markup=False)


@dataclass
class Settings:
    """The options every command shares (given before or after the subcommand)."""

    api_key: str | None = None
    endpoint: str | None = None
    debug: bool = False
    verbose: int = 0
    #: Python argument names -> the CLI flags that set them, so library errors name what the user typed.
    flags: dict[str, str] = field(default_factory=dict)

    def client(self, **kwargs: Any) -> Client:
        """A client built from the options (and the environment, for what they leave out)."""
        if not (self.api_key or os.environ.get(_constants.API_KEY_ENV)):
            raise CliError(
                f"no API key: set {_constants.API_KEY_ENV} or pass --api-key (create a key at "
                "https://app.labelbox.com/account/api-keys)",
                ExitCode.AUTH,
            )
        return Client(api_key=self.api_key, endpoint=self.endpoint, **kwargs)


def _fail(settings: Settings, line: str, code: ExitCode) -> None:
    if settings.debug:
        stderr.print(traceback.format_exc(), markup=False)
    stderr.print("[bold red]error:[/] ", markup=True, end="")
    stderr.print(line, markup=False)
    raise SystemExit(int(code)) from None


def run(
    settings: Settings,
    main: Callable[[], Awaitable[T]],
    *,
    on_interrupt: Callable[[], str] | None = None,
    flags: Mapping[str, str] | None = None,
) -> T:
    """Run ``main`` on an event loop; turn failures into one clear line and an exit code.

    ``--debug`` prints the traceback as well. ``on_interrupt`` says, after Ctrl-C, what was kept and how to go on.
    ``flags`` maps the library's argument names to the command's flags for error messages.
    """
    try:
        return anyio.run(main)
    except CliError as error:
        _fail(settings, str(error), error.code)
    except LabelboxError as error:
        line, code = describe(error, {**settings.flags, **(flags or {})})
        _fail(settings, line, code)
    except KeyboardInterrupt:
        stderr.print("interrupted" + (f": {on_interrupt()}" if on_interrupt else ""), markup=False)
        raise SystemExit(int(ExitCode.INTERRUPTED)) from None
    raise AssertionError("unreachable")  # pragma: no cover - _fail always raises


def _configure_logging(verbose: int) -> None:
    if verbose <= 0:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
        if not logger.handlers:
            logger.addHandler(handler)


def _set(attribute: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is None or value is False or value == 0:
            return
        settings = ctx.find_object(Settings)
        if settings is None:  # pragma: no cover - the group always makes one
            settings = ctx.ensure_object(Settings)
        if attribute == "verbose":
            settings.verbose += int(value)
            _configure_logging(settings.verbose)
        else:
            setattr(settings, attribute, value)

    return callback


def shared_options(command: F) -> F:
    """``--api-key``, ``--endpoint``, ``--debug`` and ``-v`` after the subcommand too (the group reads them before)."""
    for decorator in (
        click.option("--api-key", default=None, expose_value=False, callback=_set("api_key"), help="Labelbox API key."),
        click.option("--endpoint", default=None, expose_value=False, callback=_set("endpoint"), help="GraphQL URL."),
        click.option(
            "--debug", is_flag=True, default=False, expose_value=False, callback=_set("debug"), help="Show tracebacks."
        ),
        click.option(
            "-v",
            "--verbose",
            count=True,
            expose_value=False,
            callback=_set("verbose"),
            help="Log what the library does (-vv: more).",
        ),
    ):
        command = decorator(command)
    return command


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
@click.option("-v", "--verbose", count=True, help="Log retries and export progress to stderr (-v: INFO, -vv: DEBUG).")
@click.pass_context
def cli(ctx: click.Context, api_key: str | None, endpoint: str | None, debug: bool, verbose: int) -> None:
    """alabelbox: the asyncio-native Labelbox client.

    Exit codes: 0 ok, 1 other error, 2 usage, 3 authentication, 4 not found, 5 unavailable (try again),
    6 export failed or its data is bad, 130 interrupted.
    """
    ctx.obj = Settings(api_key=api_key, endpoint=endpoint, debug=debug, verbose=verbose)
    _configure_logging(verbose)


@cli.group()
def emulator() -> None:
    """The local Labelbox emulator (alabelbox.testing)."""


@emulator.command(
    "serve", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}, add_help_option=False
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator_serve(args: tuple[str, ...]) -> None:
    """Serve the emulator until Ctrl-C; prints its URL, API key and endpoint. --help lists its flags."""
    from alabelbox.testing.__main__ import main as emulator_main

    raise SystemExit(emulator_main(["serve", *args], prog="alabelbox emulator"))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status."""
    try:
        cli.main(args=argv, prog_name="alabelbox")  # standalone mode: always ends in SystemExit
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)


__all__ = ["LOGGERS", "CliError", "Settings", "cli", "main", "run", "shared_options"]
