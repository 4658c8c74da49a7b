"""Waiting for a server-side task: a pure polling schedule, and :func:`poll_until`, the loop that follows it.

The schedule answers one question: how long to sleep before looking again. Three things decide it:

The notice bound
    A finished task must be noticed within ``max(notice, fraction * waited)`` seconds (1 s, or a tenth of the time
    waited so far, whichever is larger), never more than ``max_interval`` (15 s). A short task is noticed within
    about a second; an hour-long one costs about 270 requests where the SDK's fixed 2 s costs 1,800.
The reported progress
    When the task reports a percentage that moves, its recent rate predicts when it reaches 100 %, and the next look
    is then, if that is sooner than the bound (never sooner than ``min_interval``). A prediction that turns out early
    (the task is not done yet) doubles the next minimum, so a task stuck at 99 % is not hammered.
Rate limits
    A 429 pushes the next look past its ``Retry-After`` and doubles every later interval (halved again by each
    answered poll, down to normal), as a client that is told to slow down should.

:class:`PollSchedule` holds no clock: it is given the seconds waited, so tests drive it on an injected clock.
:func:`poll_until` is generic over what is polled (an export task, the legacy ``exportLabels`` answer, any later task
kind); it is bounded by ``anyio.fail_after`` and raises the caller's timeout error when the time is up.
"""

from __future__ import annotations

import builtins
import inspect
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import anyio

from alabelbox._exceptions import ApiLimitError, InvalidArgumentError, WaitTimeoutError
from alabelbox._validation import check_positive_seconds

__all__ = ["MIN_POLL_INTERVAL", "PollSchedule", "poll_until", "user_schedule"]

T = TypeVar("T")

#: The shortest wait between two polls, when the reported progress predicts the end is near.
MIN_POLL_INTERVAL = 0.25
#: Percent at which a task is done, for the prediction.
_DONE = 100.0
#: Progress readings kept for the rate (the oldest of them that is lower than the newest sets the slope).
_HISTORY = 6
#: Look this much after the predicted finish, so one look usually suffices: 5 % of the predicted time, at least 50 ms.
_MARGIN = 0.05
_MARGIN_MIN = 0.05
#: The most that rate limits stretch the intervals (each 429 doubles the stretch).
_MAX_PENALTY = 8.0


@dataclass
class PollSchedule:
    """When to look again at a running task (pure: it is told the time, it never reads a clock).

    Call :meth:`observe` after each answered poll, :meth:`rate_limited` after a 429, and :meth:`next_delay` for the
    sleep before the next poll.

    Attributes:
        notice: Seconds: a task that finishes is noticed within ``max(notice, fraction * waited)``.
        fraction: Of the time waited so far: the bound grows with the wait.
        min_interval: Never look sooner than this after the last answer.
        max_interval: Never wait longer than this between two looks (unless a 429 asked for longer).

    Example:
        >>> schedule = PollSchedule()
        >>> schedule.observe(0.0, 0.0)
        >>> schedule.next_delay(0.0)
        1.0
        >>> schedule.observe(1.0, 50.0)  # halfway after one second: predicts the end one second from now
        >>> round(schedule.next_delay(1.0), 2)
        1.0
        >>> schedule.observe(2.0, 95.0)  # faster than that: done in about 0.11 s
        >>> round(schedule.next_delay(2.0), 2)
        0.25
    """

    notice: float = 1.0
    fraction: float = 0.1
    min_interval: float = 0.25
    max_interval: float = 15.0
    _readings: deque[tuple[float, float]] = field(
        default_factory=lambda: deque(maxlen=_HISTORY), init=False, repr=False
    )
    _misses: int = field(default=0, init=False, repr=False)
    _predicted: bool = field(default=False, init=False, repr=False)
    _penalty: float = field(default=1.0, init=False, repr=False)
    _not_before: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("notice", "min_interval", "max_interval"):
            check_positive_seconds(name, getattr(self, name))
        if not isinstance(self.fraction, (int, float)) or not 0 <= self.fraction < 1:
            raise InvalidArgumentError("fraction", f"must be >= 0 and < 1, got {self.fraction!r}")
        if self.min_interval > self.notice or self.notice > self.max_interval:
            raise InvalidArgumentError(
                "notice",
                f"needs min_interval <= notice <= max_interval, got {self.min_interval}, {self.notice} "
                f"and {self.max_interval}",
            )

    def bound(self, waited: float) -> float:
        """The longest sleep allowed after ``waited`` seconds: the notice bound, stretched by rate limits."""
        return min(self.max_interval, max(self.notice, self.fraction * waited)) * self._penalty

    def observe(self, waited: float, progress: float | None) -> None:
        """Record an answered poll at ``waited`` seconds, with the task's percentage (None if it reports none)."""
        if self._predicted:
            # We looked when the prediction said it would be done, and it was not: trust the next one less.
            self._misses += 1
        self._predicted = False
        self._penalty = max(1.0, self._penalty / 2)
        if progress is None or not math.isfinite(progress):
            return
        if self._readings and progress < self._readings[-1][1]:
            self._readings.clear()  # the task went back (restarted?): the old slope says nothing
        if self._readings and progress > self._readings[-1][1]:
            self._misses = 0  # it moved: a fresh prediction deserves a fresh chance
        self._readings.append((waited, progress))

    def rate_limited(self, waited: float, retry_after: float | None) -> None:
        """Record a 429 at ``waited`` seconds: wait at least ``retry_after`` (if given), and slow down."""
        self._penalty = min(_MAX_PENALTY, self._penalty * 2)
        self._predicted = False
        self._not_before = waited + (retry_after if retry_after is not None and retry_after > 0 else 0.0)

    def predicted_finish(self) -> float | None:
        """When the progress readings say the task reaches 100 % (seconds waited), or None if they cannot say."""
        if len(self._readings) < 2:
            return None
        t1, p1 = self._readings[-1]
        for t0, p0 in self._readings:
            if p0 < p1 and t0 < t1:
                rate = (p1 - p0) / (t1 - t0)
                return t1 + max(0.0, _DONE - p1) / rate
        return None

    def next_delay(self, waited: float) -> float:
        """Seconds to sleep, from ``waited`` seconds after the wait began, before the next poll."""
        bound = self.bound(waited)
        delay = bound
        finish = self.predicted_finish()
        if finish is not None and self._penalty == 1.0:
            ahead = max(0.0, finish - waited)
            floor = min(bound, self.min_interval * (2.0**self._misses))
            guess = max(floor, ahead + max(_MARGIN_MIN, _MARGIN * ahead))
            if guess < bound:
                delay = guess
                self._predicted = True
        return max(delay, self._not_before - waited)


def user_schedule(poll_interval: float, max_poll_interval: float) -> PollSchedule:
    """The schedule of a ``wait(poll_interval=..., max_poll_interval=...)`` call: ``poll_interval`` is the notice
    bound of a young wait, ``max_poll_interval`` the longest sleep.

    Raises:
        InvalidArgumentError: ``poll_interval`` is not > 0, or ``max_poll_interval`` is below it.

    Example:
        >>> user_schedule(2.0, 15.0).notice
        2.0
    """
    check_positive_seconds("poll_interval", poll_interval)
    check_positive_seconds("max_poll_interval", max_poll_interval)
    if max_poll_interval < poll_interval:
        raise InvalidArgumentError(
            "max_poll_interval", f"must be >= poll_interval, got {max_poll_interval} and {poll_interval}"
        )
    return PollSchedule(
        notice=poll_interval, min_interval=min(poll_interval, MIN_POLL_INTERVAL), max_interval=max_poll_interval
    )


def _default_timeout(last: object, wait_timeout: float) -> Exception:
    return WaitTimeoutError(f"the task was still running after {wait_timeout} s")


async def poll_until(
    fetch: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    *,
    wait_timeout: float | None,
    on_progress: Callable[[T], Awaitable[None] | None] | None = None,
    progress: Callable[[T], float | None] | None = None,
    schedule: PollSchedule | None = None,
    on_timeout: Callable[[T | None, float], Exception] = _default_timeout,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``fetch()`` until ``done(result)``; return that result. The first call is immediate.

    Between calls it sleeps as :class:`PollSchedule` says, fed with ``progress(result)`` (a percentage, or None).
    A fetch that raises :class:`~alabelbox.ApiLimitError` (the client's own retries used up) is not fatal: the loop
    waits out its ``Retry-After``, slows down, and polls again. Any other error propagates.

    Args:
        fetch: One poll: returns the task's current state.
        done: Whether a state is final (complete, failed, canceled: the caller raises for failures).
        wait_timeout: Seconds to wait in all; None waits forever.
        on_progress: Called with each state fetched (a coroutine function is awaited).
        progress: The state's completion percentage (0 to 100), or None when it reports none.
        schedule: The schedule to follow (default: a fresh :class:`PollSchedule`).
        on_timeout: Builds the error to raise when ``wait_timeout`` runs out, from the last state (None if no poll
            was answered) and ``wait_timeout``; by default :class:`~alabelbox.WaitTimeoutError`.
        clock: Seconds, monotonic (injectable for tests).

    Returns:
        The first state for which ``done`` is true.

    Raises:
        InvalidArgumentError: ``wait_timeout`` is not None and not > 0.
        Exception: What ``on_timeout`` builds, when the time runs out.

    Example:
        >>> states = iter([10.0, 60.0, 100.0])
        >>> async def fetch() -> float:
        ...     return next(states)
        >>> await poll_until(fetch, lambda p: p >= 100, wait_timeout=60, progress=lambda p: p,
        ...                  schedule=PollSchedule(notice=0.01, min_interval=0.01))
        100.0
    """
    if wait_timeout is not None and (isinstance(wait_timeout, bool) or not wait_timeout > 0):
        raise InvalidArgumentError("wait_timeout", f"must be > 0 or None, got {wait_timeout!r}")
    plan = schedule if schedule is not None else PollSchedule()
    started = clock()
    last: T | None = None
    try:
        with anyio.fail_after(wait_timeout) as scope:
            while True:
                try:
                    state = await fetch()
                except ApiLimitError as error:
                    plan.rate_limited(clock() - started, error.retry_after)
                else:
                    last = state
                    plan.observe(clock() - started, progress(state) if progress is not None else None)
                    if on_progress is not None:
                        outcome = on_progress(state)
                        if inspect.isawaitable(outcome):
                            await outcome
                    if done(state):
                        return state
                await anyio.sleep(plan.next_delay(clock() - started))
    except builtins.TimeoutError:
        if wait_timeout is None or not scope.cancelled_caught:
            raise  # a request's own timeout, not the wait's
        raise on_timeout(last, wait_timeout) from None
