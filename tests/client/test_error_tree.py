"""The error tree in groups: what each group holds, and retryability read from the class."""

from __future__ import annotations

import builtins

import pytest

import alabelbox
from alabelbox import (
    ApiConnectionError,
    ApiLimitError,
    ApiStatusError,
    AuthenticationError,
    EndpointError,
    ExportTimeoutError,
    InternalServerError,
    LabelboxError,
    LabelboxTimeoutError,
    NetworkError,
    RequestTimeoutError,
    ResourceNotFoundError,
    ResponseModelError,
    StateError,
    UnexpectedResponseError,
    WaitTimeoutError,
)
from alabelbox._cli._errors import ExitCode, describe
from alabelbox._retry import should_retry


@pytest.mark.parametrize("cls", [AuthenticationError, ApiLimitError, ResourceNotFoundError, InternalServerError])
def test_the_server_answered_group(cls: type[LabelboxError]) -> None:
    assert issubclass(cls, ApiStatusError)
    assert not issubclass(cls, ApiConnectionError)


@pytest.mark.parametrize("cls", [NetworkError, EndpointError, RequestTimeoutError])
def test_the_request_did_not_get_through_group(cls: type[LabelboxError]) -> None:
    assert issubclass(cls, ApiConnectionError)
    assert not issubclass(cls, ApiStatusError)


def test_the_timeouts_are_builtin_timeouts_and_no_class_is_named_timeouterror() -> None:
    for cls in (LabelboxTimeoutError, RequestTimeoutError, WaitTimeoutError, ExportTimeoutError):
        assert issubclass(cls, builtins.TimeoutError)
    assert alabelbox.TimeoutError is LabelboxTimeoutError
    assert all(
        getattr(alabelbox, name).__name__ != "TimeoutError"
        for name in alabelbox.__all__
        if isinstance(getattr(alabelbox, name), type)
    )


def test_a_misfit_answer_is_an_unexpected_response() -> None:
    assert issubclass(ResponseModelError, UnexpectedResponseError)
    assert not ResponseModelError("the answer has no project").retryable


def test_state_errors_are_runtime_errors_not_argument_errors() -> None:
    assert issubclass(alabelbox.ClientStateError, StateError)
    assert issubclass(alabelbox.StreamStateError, StateError)
    assert issubclass(StateError, RuntimeError)
    assert not issubclass(StateError, ValueError)


@pytest.mark.parametrize(
    ("error", "retryable", "not_run"),
    [
        (ApiLimitError("slow down"), True, True),
        (NetworkError("reset"), True, False),
        (NetworkError("refused", request_sent=False), True, True),
        (EndpointError("no such host"), False, True),
        (RequestTimeoutError("slow"), True, False),
        (alabelbox.TimeoutError("slow"), True, False),
        (WaitTimeoutError("still running"), False, False),
        (ExportTimeoutError("still running"), False, False),
        (InternalServerError("boom", status=502), True, False),
        (InternalServerError("boom"), True, False),
        (InternalServerError("odd", status=418), False, False),
        (ResourceNotFoundError("gone"), False, False),
    ],
)
def test_retryability_follows_from_the_class(error: LabelboxError, retryable: bool, not_run: bool) -> None:
    assert error.retryable is retryable
    assert error.request_not_run is not_run
    assert should_retry(error) is retryable
    assert should_retry(error, mutation=True) is (retryable and not_run)


def test_the_cli_says_try_later_for_what_is_retryable_and_for_a_wait_that_ran_out() -> None:
    message, code = describe(RequestTimeoutError("request timed out"))
    assert code is ExitCode.UNAVAILABLE
    assert "request timed out" in message
    _, code = describe(ExportTimeoutError("the task was still running after 5 s"))
    assert code is ExitCode.UNAVAILABLE
    _, code = describe(ResourceNotFoundError("no project p"))
    assert code is ExitCode.NOT_FOUND
