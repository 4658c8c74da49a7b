"""The retry policy as pure functions, and the loop with an injected clock and sleep (no real sleeping)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from alabelbox import (
    ApiLimitError,
    AuthenticationError,
    ExportTimeoutError,
    InternalServerError,
    InvalidQueryError,
    NetworkError,
    ResourceNotFoundError,
    RetryConfig,
    TimeoutError,
    UnexpectedResponseError,
    ValidationFailedError,
)
from alabelbox._retry import parse_retry_after, retry_delay, retry_loop, should_retry

NOW = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("Sun, 22 Nov 2026 12:00:30 GMT", 30.0),
        ("Sun, 22 Nov 2026 11:59:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header, now=NOW) == expected


RETRYABLE_QUERY = [
    InternalServerError("boom", status=503),
    InternalServerError("boom", status=500),
    TimeoutError("slow"),
    NetworkError("reset"),
    ApiLimitError("slow down", status=429),
]
NEVER = [
    AuthenticationError("bad key"),
    InvalidQueryError("bad query"),
    ValidationFailedError("Query complexity limit exceeded"),
    ResourceNotFoundError("gone"),
    UnexpectedResponseError("teapot", status=418),
    InternalServerError("an INTERNAL_SERVER_ERROR without a 5xx status", status=200),
    ExportTimeoutError("the wait ran out"),
]


@pytest.mark.parametrize("error", RETRYABLE_QUERY, ids=lambda e: type(e).__name__)
def test_queries_retry_server_and_transient_failures(error: Exception) -> None:
    assert should_retry(error)


@pytest.mark.parametrize("error", NEVER, ids=lambda e: f"{type(e).__name__}-{getattr(e, 'status', '')}")
def test_caller_faults_are_never_retried(error: Exception) -> None:
    assert not should_retry(error)
    assert not should_retry(error, mutation=True, idempotent=True)


def test_mutations_retry_only_when_surely_not_run() -> None:
    assert should_retry(ApiLimitError("slow down", status=429), mutation=True)
    assert should_retry(NetworkError("refused", request_sent=False), mutation=True)
    assert not should_retry(NetworkError("reset mid-request", request_sent=True), mutation=True)
    assert not should_retry(InternalServerError("boom", status=503), mutation=True)
    assert not should_retry(TimeoutError("slow"), mutation=True)


def test_idempotent_mutations_retry_like_queries() -> None:
    assert should_retry(InternalServerError("boom", status=503), mutation=True, idempotent=True)
    assert should_retry(NetworkError("reset", request_sent=True), mutation=True, idempotent=True)


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    config = RetryConfig(initial_delay=0.5, max_delay=4.0)
    ceilings = [retry_delay(n, config, rand=lambda: 1.0) for n in range(1, 8)]
    assert ceilings == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    assert retry_delay(3, config, rand=lambda: 0.0) == 0.0
    assert retry_delay(3, config, rand=lambda: 0.25) == 0.5


def test_retry_after_wins_up_to_its_cap() -> None:
    config = RetryConfig(max_retry_after=10.0)
    assert retry_delay(1, config, retry_after=3.0, rand=lambda: 0.0) == 3.0
    assert retry_delay(1, config, retry_after=600.0) == 10.0


class FakeTime:
    """A clock that only moves when the loop sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


async def test_loop_retries_until_success_and_honours_retry_after() -> None:
    time = FakeTime()
    failures = [ApiLimitError("slow down", retry_after=2.0, status=429), InternalServerError("boom", status=502)]

    async def attempt() -> str:
        if failures:
            raise failures.pop(0)
        return "ok"

    result = await retry_loop(attempt, RetryConfig(max_retries=5), sleep=time.sleep, clock=time.clock, rand=lambda: 0.5)
    assert result == "ok"
    assert time.sleeps == [2.0, 0.5]  # Retry-After, then half of the second ceiling (1.0)


async def test_loop_stops_after_max_retries_and_raises_the_last_error() -> None:
    time = FakeTime()
    calls = 0

    async def attempt() -> str:
        nonlocal calls
        calls += 1
        raise InternalServerError(f"boom {calls}", status=503)

    with pytest.raises(InternalServerError, match="boom 4"):
        await retry_loop(attempt, RetryConfig(max_retries=3), sleep=time.sleep, clock=time.clock, rand=lambda: 1.0)
    assert calls == 4
    assert len(time.sleeps) == 3


async def test_loop_stops_at_the_deadline() -> None:
    time = FakeTime()
    calls = 0

    async def attempt() -> str:
        nonlocal calls
        calls += 1
        raise ApiLimitError("slow down", retry_after=4.0, status=429)

    config = RetryConfig(max_retries=100, deadline=10.0)
    with pytest.raises(ApiLimitError):
        await retry_loop(attempt, config, sleep=time.sleep, clock=time.clock)
    assert time.sleeps == [4.0, 4.0]  # a third sleep would end at 12 s, past the deadline
    assert calls == 3


async def test_loop_does_not_retry_caller_faults() -> None:
    time = FakeTime()
    calls = 0

    async def attempt() -> str:
        nonlocal calls
        calls += 1
        raise InvalidQueryError("no such field")

    with pytest.raises(InvalidQueryError):
        await retry_loop(attempt, RetryConfig(max_retries=5), sleep=time.sleep, clock=time.clock)
    assert calls == 1
    assert time.sleeps == []


async def test_loop_does_not_retry_a_mutation_the_server_may_have_run() -> None:
    time = FakeTime()
    calls = 0

    async def attempt() -> str:
        nonlocal calls
        calls += 1
        raise InternalServerError("boom", status=503)

    with pytest.raises(InternalServerError):
        await retry_loop(attempt, RetryConfig(), mutation=True, sleep=time.sleep, clock=time.clock)
    assert calls == 1


async def test_each_retry_is_logged_at_debug_with_attempt_and_delay(caplog: pytest.LogCaptureFixture) -> None:
    time = FakeTime()
    failures = [NetworkError("reset")]

    async def attempt() -> str:
        if failures:
            raise failures.pop()
        return "ok"

    with caplog.at_level(logging.DEBUG, logger="alabelbox.retry"):
        await retry_loop(
            attempt,
            RetryConfig(max_retries=2),
            operation="GetThing",
            sleep=time.sleep,
            clock=time.clock,
            rand=lambda: 0.5,
        )
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG
    assert "GetThing" in record.getMessage()
    assert "attempt 1 of 2" in record.getMessage()
    assert "0.250 s" in record.getMessage()


def test_deadline_arithmetic_uses_elapsed_time() -> None:
    # Guard the units of RetryConfig: seconds, not a timedelta.
    assert RetryConfig(deadline=timedelta(seconds=5).total_seconds()).deadline == 5.0
