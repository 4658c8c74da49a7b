"""Retry policy: pure functions, plus one small loop.

What is retried: server failures (HTTP 5xx, GraphQL INTERNAL_SERVER_ERROR with a 5xx status), lost or refused
connections, timeouts, and rate limits (HTTP 429, which the official SDK never retries). What is not: anything that
is the caller's fault (validation, authentication, not found, other 4xx).

A mutation is retried only where the server surely did not run it (the connection failed before the request was
sent, or the server answered 429), unless the caller says the mutation is idempotent.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import anyio

from alabelbox._config import RetryConfig
from alabelbox._exceptions import (
    ApiLimitError,
    LabelboxError,
)

__all__ = ["parse_retry_after", "retry_delay", "retry_loop", "should_retry"]

logger = logging.getLogger("alabelbox.retry")

T = TypeVar("T")


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date. None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def should_retry(error: BaseException, *, mutation: bool = False, idempotent: bool = False) -> bool:
    """Whether ``error`` may be retried.

    Args:
        error: What the last attempt raised.
        mutation: The operation is a mutation, so running it twice may do harm.
        idempotent: The caller vouches that running the mutation twice is harmless.
    """
    if not isinstance(error, LabelboxError) or not error.retryable:
        return False  # the class says so: a wrong endpoint, a wait that ran out, a 4xx, ...
    return error.request_not_run or not mutation or idempotent


def retry_delay(
    attempt: int,
    config: RetryConfig,
    *,
    retry_after: float | None = None,
    rand: Callable[[], float] = random.random,
) -> float:
    """Seconds to sleep before retry number ``attempt`` (1 for the first retry).

    A ``Retry-After`` from the server wins, up to ``config.max_retry_after``. Otherwise the delay is drawn uniformly
    from ``[0, min(max_delay, initial_delay * 2**(attempt-1))]`` (full jitter), so that many clients retrying at once
    spread out instead of arriving together.
    """
    if retry_after is not None:
        return min(retry_after, config.max_retry_after)
    ceiling = min(config.max_delay, config.initial_delay * (2.0 ** max(0, attempt - 1)))
    return ceiling * rand()


async def retry_loop(
    attempt_fn: Callable[[], Awaitable[T]],
    config: RetryConfig,
    *,
    operation: str = "",
    mutation: bool = False,
    idempotent: bool = False,
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    clock: Callable[[], float] = time.monotonic,
    rand: Callable[[], float] = random.random,
    on_retry: Callable[[LabelboxError, int, float], None] | None = None,
) -> T:
    """Run ``attempt_fn`` until it succeeds, fails for good, or the attempts or the deadline run out.

    The last error is raised as is when retrying stops.
    """
    started = clock()
    attempt = 0
    while True:
        try:
            return await attempt_fn()
        except LabelboxError as error:
            attempt += 1
            if attempt > config.max_retries or not should_retry(error, mutation=mutation, idempotent=idempotent):
                raise
            retry_after = error.retry_after if isinstance(error, ApiLimitError) else None
            delay = retry_delay(attempt, config, retry_after=retry_after, rand=rand)
            if config.deadline is not None and clock() + delay - started > config.deadline:
                raise
            logger.debug(
                "retrying %s after %s (attempt %d of %d) in %.3f s",
                operation or "request",
                type(error).__name__,
                attempt,
                config.max_retries,
                delay,
            )
            if on_retry is not None:
                on_retry(error, attempt, delay)
            await sleep(delay)
