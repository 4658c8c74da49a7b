"""Retry and resume for downloads: the one policy that the shard fetcher, ``client.download()`` and the legacy
export share, and the time bound of one attempt.

One attempt
    Every attempt is time-bounded by ``Timeout.total``: the whole of one attempt, from sending the GET to the last
    byte. ``client.download()`` hands the response to the caller, so its bound includes the time the caller takes
    between reads. The export readers bound the *network* time of an attempt only (waiting for the headers and for
    each chunk), not the time spent waiting for their own consumer to take the bytes: a slow consumer is
    back-pressure, not a slow server.

Little progress
    An attempt that fails is *a failed attempt* unless it moved the download forward by at least
    :data:`MIN_PROGRESS_BYTES` (1 MiB), or an eighth of the body when the body's size is known and under 8 MiB
    (:func:`progress_threshold`; so a small body cannot take more than 8 attempts that count as progress).
    Failed attempts in a row are bounded like the GraphQL loop bounds its attempts: at most
    ``RetryConfig.max_retries`` retries, and no retry is started once ``RetryConfig.deadline`` seconds have passed
    since the run of failures began. An attempt that did make progress starts a fresh run (a long download on a
    flaky link still finishes). So a storage host that trickles (1 byte/s) or sends a few bytes and stalls ends
    the download after at most ``max_retries + 1`` attempts of at most ``Timeout.total`` each, with a typed
    error; the slowest transfer that is allowed to go on is 1 MiB per ``Timeout.total`` (about 17 KiB/s with the
    default 60 s).

Resume and re-signing
    The caller keeps the position and resumes with ``Range: bytes=N-`` from the exact next byte (see
    :func:`range_header`). A signed URL the storage refuses as expired (HTTP 403, or 400/401) is re-signed where
    the caller can get a fresh one (the shard fetcher can; a URL handed to ``client.download()`` cannot): at most
    :data:`MAX_URL_REFRESHES` times in a row without progress, within the same deadline.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing, contextmanager
from typing import Any, Final, Literal

import anyio
from anyio.streams.memory import MemoryObjectSendStream

from alabelbox._config import RetryConfig
from alabelbox._exceptions import (
    ApiLimitError,
    AuthorizationError,
    ExportDownloadError,
    LabelboxError,
    RequestTimeoutError,
    UnexpectedResponseError,
)
from alabelbox._retry import retry_delay, should_retry

__all__ = [
    "MAX_URL_REFRESHES",
    "MIN_PROGRESS_BYTES",
    "AttemptBound",
    "DownloadRetry",
    "bounded",
    "is_expired_url",
    "progress_threshold",
    "range_header",
]

logger = logging.getLogger("alabelbox.downloads")

#: An attempt that fails having moved a download forward by less than this counts as a failed attempt.
MIN_PROGRESS_BYTES: Final = 1 << 20
#: Fresh signed URLs fetched in a row without progress before giving up.
MAX_URL_REFRESHES: Final = 3

Decision = Literal["retry", "resign"]


def progress_threshold(size: int | None) -> int:
    """Bytes an attempt must move a body of ``size`` bytes forward to count as progress (see the module doc)."""
    if size is None:
        return MIN_PROGRESS_BYTES
    return max(1, min(MIN_PROGRESS_BYTES, -(-size // 8)))


def range_header(start: int) -> dict[str, str] | None:
    """The headers that resume a body at byte ``start`` (None from the start)."""
    return {"Range": f"bytes={start}-"} if start > 0 else None


def is_expired_url(error: LabelboxError) -> bool:
    """Whether a storage host refused a signed URL (expired, or signed for another moment)."""
    if isinstance(error, AuthorizationError):
        return True
    return isinstance(error, UnexpectedResponseError) and error.status in (400, 401)


class DownloadRetry:
    """The retry policy of one download, decided after each failed attempt (see the module doc).

    Args:
        config: The client's retry configuration.
        what: What is downloaded, for the error that ends it, e.g. ``"export task X shard bytes 0-99"``.
        wrap: Giving up raises :class:`ExportDownloadError` naming ``what`` (exports); with False the last error is
            raised as it is (``client.download()``, like the GraphQL loop).
        min_progress: See :data:`MIN_PROGRESS_BYTES`.
        sleep: Sleeps between attempts (a test may pass a fake).
        clock: Monotonic seconds.
        rand: The jitter's source.

    Attributes:
        retries: Retries started so far (re-signed attempts included).
        min_progress: What counts as progress; a caller that learns the body's size may set it.
    """

    def __init__(
        self,
        config: RetryConfig,
        what: str,
        *,
        wrap: bool = True,
        min_progress: int = MIN_PROGRESS_BYTES,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._config = config
        self._what = what
        self._wrap = wrap
        self.min_progress = min_progress
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._failures = 0
        self._refreshes = 0
        self._since = clock()
        self.retries = 0

    async def after_failure(
        self,
        error: LabelboxError,
        *,
        progressed: int,
        at: int | None = None,
        can_resign: bool = False,
        retryable: bool | None = None,
    ) -> Decision:
        """Decide after an attempt failed with ``error``: sleep and return ``"retry"``, return ``"resign"`` (get a
        fresh URL, then retry at once), or raise (the download has failed for good).

        Args:
            error: What the attempt raised.
            progressed: Bytes the attempt moved the download forward.
            at: The byte the next attempt would start at, for the message.
            can_resign: The caller can get a fresh signed URL.
            retryable: Overrides :func:`alabelbox._retry.should_retry` (e.g. a body cut inside a record).

        Raises:
            ExportDownloadError: (with ``wrap``) the download failed for good; it chains the last error.
            LabelboxError: (without ``wrap``) the last error, when the download failed for good.
        """
        if isinstance(error, ExportDownloadError):
            raise error  # a wrong length or range: the server's data is wrong, trying again will not help
        now = self._clock()
        if progressed >= self.min_progress:
            self._failures = 0
            self._refreshes = 0
            self._since = now
        deadline = self._config.deadline
        if can_resign and is_expired_url(error):
            self._refreshes += 1
            if self._refreshes > MAX_URL_REFRESHES:
                self._give_up(error, f"refused {self._refreshes} times with fresh signed URLs", at)
            if deadline is not None and now - self._since > deadline:
                self._give_up(error, f"the retry deadline of {deadline:g} s ran out", at)
            self.retries += 1
            logger.debug("%s: signed URL refused (%s); re-signing", self._what, type(error).__name__)
            return "resign"
        self._failures += 1
        if not (should_retry(error) if retryable is None else retryable):
            self._give_up(error, f"failed after {self._failures} attempt(s)", at)
        if self._failures > self._config.max_retries:
            self._give_up(error, f"failed after {self._failures} attempt(s) that each made little progress", at)
        retry_after = error.retry_after if isinstance(error, ApiLimitError) else None
        delay = retry_delay(self._failures, self._config, retry_after=retry_after, rand=self._rand)
        if deadline is not None and now + delay - self._since > deadline:
            self._give_up(error, f"the retry deadline of {deadline:g} s ran out after {self._failures} attempt(s)", at)
        self.retries += 1
        logger.debug("%s: %s; retry %d in %.3f s", self._what, type(error).__name__, self._failures, delay)
        await self._sleep(delay)
        return "retry"

    def _give_up(self, error: LabelboxError, reason: str, at: int | None) -> None:
        if not self._wrap:
            raise error
        where = f" at byte {at}" if at is not None else ""
        raise ExportDownloadError(f"{self._what}: {reason}{where}: {error}") from error


class AttemptBound:
    """The network-time bound of one attempt: ``seconds`` of waiting for the server, not for the consumer.

    Use :meth:`network` around each wait for the server, or :meth:`scope` around a whole attempt made in one
    coroutine, handing chunks to the consumer with :meth:`hand_over` (which stops the clock while the consumer
    is behind). Either way the attempt ends with :class:`alabelbox.RequestTimeoutError` once the budget is spent.
    """

    def __init__(self, seconds: float | None, what: str) -> None:
        self._seconds = seconds
        self._what = what
        self._scope: anyio.CancelScope | None = None
        self._remaining = math.inf if seconds is None else seconds

    @contextmanager
    def network(self) -> Any:
        """Bound one wait for the server by what is left of the budget."""
        if self._seconds is None:
            yield
            return
        started = anyio.current_time()
        try:
            with anyio.CancelScope(deadline=started + max(0.0, self._remaining)) as scope:
                yield
        finally:
            self._remaining -= anyio.current_time() - started
        if scope.cancelled_caught:
            raise self._timeout()

    @contextmanager
    def scope(self) -> Any:
        """Bound a whole attempt (a block that makes no ``yield``), minus the time spent in :meth:`hand_over`."""
        deadline = math.inf if self._seconds is None else anyio.current_time() + self._seconds
        with anyio.CancelScope(deadline=deadline) as scope:
            self._scope = scope
            try:
                yield
            finally:
                self._scope = None
        if scope.cancelled_caught:
            raise self._timeout()

    async def hand_over(self, send: MemoryObjectSendStream[Any], item: Any) -> None:
        """``send`` the item; while the consumer is behind, the attempt's clock stops."""
        try:
            send.send_nowait(item)
            return
        except anyio.WouldBlock:
            pass
        scope = self._scope
        if scope is None or math.isinf(scope.deadline):
            await send.send(item)
            return
        remaining = scope.deadline - anyio.current_time()
        scope.deadline = math.inf
        try:
            await send.send(item)
        finally:
            scope.deadline = anyio.current_time() + max(0.0, remaining)

    def _timeout(self) -> RequestTimeoutError:
        return RequestTimeoutError(
            f"{self._what}: the attempt took more than its {self._seconds:g} s (Timeout.total) waiting for the server"
        )


async def bounded(chunks: AsyncIterator[bytes], bound: AttemptBound) -> AsyncGenerator[bytes, None]:
    """``chunks``, each wait for the next one bounded by what is left of the attempt's budget."""
    async with aclosing(chunks) as source:  # type: ignore[type-var]
        while True:
            with bound.network():
                try:
                    data = await anext(source)
                except StopAsyncIteration:
                    return
            yield data
