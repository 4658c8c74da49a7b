"""The one download retry policy: attempts that make little progress are bounded by max_retries and deadline."""

from __future__ import annotations

import pytest

from alabelbox import ExportDownloadError, NetworkError, RetryConfig, TimeoutError
from alabelbox._download_retry import DownloadRetry, progress_threshold
from alabelbox._exceptions import AuthorizationError


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _policy(clock: FakeClock, **config: float) -> DownloadRetry:
    retry = RetryConfig(**{"max_retries": 3, "initial_delay": 1.0, "max_delay": 1.0, "deadline": None, **config})  # type: ignore[arg-type]
    return DownloadRetry(retry, "shard 0-99", min_progress=100, sleep=clock.sleep, clock=clock, rand=lambda: 1.0)


async def test_little_progress_counts_and_real_progress_starts_afresh() -> None:
    clock = FakeClock()
    policy = _policy(clock)
    for _ in range(3):
        assert await policy.after_failure(NetworkError("reset"), progressed=99) == "retry"
    assert await policy.after_failure(NetworkError("reset"), progressed=100) == "retry"  # progress: a fresh run
    for _ in range(2):
        await policy.after_failure(NetworkError("reset"), progressed=0)
    with pytest.raises(ExportDownloadError, match=r"failed after 4 attempt\(s\) that each made little progress"):
        await policy.after_failure(TimeoutError("slow"), progressed=5, at=7)


async def test_the_deadline_counts_from_the_start_of_the_run_of_failures() -> None:
    clock = FakeClock()
    policy = _policy(clock, max_retries=1000, deadline=10.0)
    with pytest.raises(ExportDownloadError, match=r"deadline of 10 s ran out") as info:
        while True:
            clock.now += 2.0  # each attempt takes 2 s
            await policy.after_failure(NetworkError("stall"), progressed=1)
    assert clock.now <= 10.0 + 2.0 and isinstance(info.value.__cause__, NetworkError)


async def test_refused_urls_are_resigned_a_few_times_and_without_wrap_the_error_is_raised_as_is() -> None:
    clock = FakeClock()
    policy = _policy(clock)
    for _ in range(3):
        assert await policy.after_failure(AuthorizationError("expired"), progressed=0, can_resign=True) == "resign"
    with pytest.raises(ExportDownloadError, match="refused 4 times with fresh signed URLs"):
        await policy.after_failure(AuthorizationError("expired"), progressed=0, can_resign=True)
    bare = DownloadRetry(RetryConfig(max_retries=0), "GET /f", wrap=False)
    with pytest.raises(NetworkError, match="reset"):
        await bare.after_failure(NetworkError("reset"), progressed=0)


def test_the_progress_threshold_is_an_eighth_of_a_small_body_and_1_mib_at_most() -> None:
    assert progress_threshold(800) == 100
    assert progress_threshold(1 << 30) == progress_threshold(None) == 1 << 20
    assert progress_threshold(1) == 1
