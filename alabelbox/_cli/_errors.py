"""What the command line prints when something fails, and the exit codes scripts can rely on."""

from __future__ import annotations

import enum
from collections.abc import Mapping

from alabelbox._exceptions import (
    ApiLimitError,
    AuthenticationError,
    AuthorizationError,
    EndpointError,
    ExportDataError,
    ExportError,
    ExportTaskFailedError,
    IngestError,
    InvalidArgumentError,
    LabelboxError,
    LabelboxTimeoutError,
    ResourceNotFoundError,
    UnexpectedResponseError,
)


class ExitCode(enum.IntEnum):
    """Exit statuses of the ``alabelbox`` command."""

    OK = 0
    ERROR = 1  #: any other Labelbox error
    USAGE = 2  #: bad command-line arguments (click's own code)
    AUTH = 3  #: no key, a wrong key, or not allowed
    NOT_FOUND = 4  #: the project, dataset or label does not exist
    UNAVAILABLE = 5  #: network, timeout, rate limit or server failure after retries: try again later
    EXPORT = 6  #: the export task failed, or its data was malformed or cut off
    INTERRUPTED = 130  #: Ctrl-C


def _flag_for(argument: str, flags: Mapping[str, str]) -> str | None:
    for name in (argument, argument.split(".")[-1], argument.split("[")[0]):
        if name in flags:
            return flags[name]
    return None


def describe(error: LabelboxError, flags: Mapping[str, str] | None = None) -> tuple[str, ExitCode]:
    """One line saying what failed and what to do, and the exit code for it.

    ``flags`` maps the library's argument names to the command's flags, so that a rejected argument is named as the
    user typed it (``--created-by``, not ``created_by``).
    """
    if isinstance(error, IngestError):
        cause = error.__cause__
        line, code = describe(cause, flags) if isinstance(cause, LabelboxError) else (str(error), ExitCode.ERROR)
        return (
            f"{line} ({error.result.summary()}); fix it and run again with --resume (rows with global keys are not "
            "sent twice)",
            code,
        )
    if isinstance(error, AuthenticationError):
        return (
            f"authentication failed: {error.message}. Set LABELBOX_API_KEY or pass --api-key.",
            ExitCode.AUTH,
        )
    if isinstance(error, AuthorizationError):
        return f"not allowed: {error.message}. Check the key's role and workspace.", ExitCode.AUTH
    if isinstance(error, ResourceNotFoundError):
        return f"not found: {error.message}. Check the id (alabelbox projects lists them).", ExitCode.NOT_FOUND
    if isinstance(error, InvalidArgumentError):
        flag = _flag_for(error.argument, flags or {})
        if flag is not None:
            detail = str(error).removeprefix(f"{error.argument}: ")
            return f"invalid {flag}: {detail}", ExitCode.USAGE
        return f"invalid argument {error.message}", ExitCode.USAGE
    if isinstance(error, ApiLimitError):
        return f"rate limited: {error.message}. Wait and run again, or lower --concurrency.", ExitCode.UNAVAILABLE
    if isinstance(error, EndpointError):
        return f"cannot reach Labelbox: {error.message} (--endpoint or LABELBOX_ENDPOINT)", ExitCode.ERROR
    if isinstance(error, UnexpectedResponseError) and error.status is not None:
        return f"the endpoint does not answer as Labelbox does: {error.message}", ExitCode.ERROR
    if error.retryable or isinstance(error, LabelboxTimeoutError):  # still failing after retries, or out of time
        return (
            f"Labelbox is unreachable or failing: {error}. Run again later; --debug shows details.",
            ExitCode.UNAVAILABLE,
        )
    if isinstance(error, ExportTaskFailedError):
        return f"the export task failed: {error.message}", ExitCode.EXPORT
    if isinstance(error, ExportDataError):
        return f"the export data is bad: {error.message}. Run again with --resume to continue.", ExitCode.EXPORT
    if isinstance(error, ExportError):
        return f"export failed: {error}", ExitCode.EXPORT
    return f"{type(error).__name__}: {error}", ExitCode.ERROR
