"""How many offset pages to keep in flight: an adaptive window, grown while latency dominates, cut when it does not.

The rule is TCP's congestion control read the way TCP Vegas and BBR read it: the fastest recent answer is the round
trip itself (``base``); an answer close to it means the server and the pool had room, so one more page in flight
would have been answered as fast; a much slower answer means requests now queue somewhere (the server is busy, the
client's pool is full, a 429 was waited out by the client's retry), so more pages in flight only add waiting.

* **Slow start**: while answers come back within ``grow_below * base``, each answer adds one page (the window
  doubles every round trip), up to the first cut; after it, one page per window's worth of answers (additive).
* **Back to slow start**: a whole window's worth of answers in a row within ``grow_below * base`` after a cut
  means the slowness has passed (a burst of 429s, a busy moment): the window doubles per round trip again instead
  of creeping back a page per round trip, which on a walk of a hundred pages would never catch up.
* **Cut**: an answer slower than ``shrink_above * base`` (and at least ``min_slowdown`` seconds slower, so that a
  loopback's jitter is no signal) multiplies the window by ``beta`` (0.7, CUBIC's and aiobotocore's adaptive retry
  mode's factor), at most once per round trip; a rate limit seen by the caller (:meth:`AdaptiveWindow.record` with
  ``limited=True``) halves it.
* **Bounds**: never below 1 page nor above ``maximum`` (the client's pool of concurrent requests).

It holds no clock and does no I/O: the paginator times each page and reports the seconds.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import check_positive_int

__all__ = ["AdaptiveWindow"]

#: Answers remembered for the round-trip estimate (the fastest of them is ``base``): a walk of a few hundred pages
#: keeps its first, unqueued round trip, so a window that has filled a busy server does not learn its queue as the
#: round trip (and grow on into it).
_RECENT = 256


@dataclass
class AdaptiveWindow:
    """The number of pages to keep in flight, adapted to the answers' latencies.

    Attributes:
        initial: Pages in flight at first.
        maximum: Never more pages in flight than this (the client's concurrent-request pool).
        grow_below: Answers within this multiple of the fastest recent one grow the window.
        shrink_above: Answers beyond this multiple of the fastest recent one shrink it.
        min_slowdown: Seconds: an answer must also be this much slower than the fastest to shrink the window.
        beta: The factor of a cut for slowness; a rate limit halves.

    Example:
        >>> window = AdaptiveWindow(initial=4, maximum=32)
        >>> for _ in range(8):
        ...     window.record(0.030)      # round trips answered as fast as the first: room for more
        >>> window.size
        12
        >>> window.record(0.200)          # requests now queue somewhere: back off
        >>> window.size
        8
    """

    initial: int = 16
    maximum: int = 32
    grow_below: float = 1.5
    shrink_above: float = 3.0
    min_slowdown: float = 0.02
    beta: float = 0.7
    _size: float = field(default=0.0, init=False, repr=False)
    _threshold: float = field(default=float("inf"), init=False, repr=False)
    _recent: deque[float] = field(default_factory=lambda: deque(maxlen=_RECENT), init=False, repr=False)
    _answers: int = field(default=0, init=False, repr=False)
    _hold_until: int = field(default=0, init=False, repr=False)
    _fast_run: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("initial", "maximum"):
            check_positive_int(name, getattr(self, name))
        if not 1.0 <= self.grow_below <= self.shrink_above:
            raise InvalidArgumentError(
                "grow_below", f"needs 1 <= grow_below <= shrink_above, got {self.grow_below} and {self.shrink_above}"
            )
        if not 0.0 < self.beta < 1.0:
            raise InvalidArgumentError("beta", f"must be between 0 and 1, got {self.beta}")
        self._size = float(min(self.initial, self.maximum))

    @property
    def size(self) -> int:
        """Pages to keep in flight now."""
        return int(self._size)

    @property
    def base(self) -> float | None:
        """The fastest recent answer, in seconds (None before the first)."""
        return min(self._recent) if self._recent else None

    def record(self, seconds: float, *, limited: bool = False) -> None:
        """Report one page's answer: how long it took from request to response; ``limited`` if it was a 429."""
        self._answers += 1
        if limited:
            self._fast_run = 0
            self._cut(0.5)
            return
        self._recent.append(seconds)
        base = min(self._recent)
        if seconds > self.shrink_above * base and seconds - base >= self.min_slowdown:
            self._fast_run = 0
            self._cut(self.beta)
        elif seconds <= self.grow_below * base:
            self._fast_run += 1
            if self._threshold != float("inf") and self._fast_run >= max(1, int(self._size)):
                self._threshold = float("inf")  # a round trip of fast answers: back to slow start
            step = 1.0 if self._size < self._threshold else 1.0 / self._size
            self._size = min(float(self.maximum), self._size + step)
        else:
            self._fast_run = 0

    def _cut(self, factor: float) -> None:
        if self._answers < self._hold_until:
            return  # one cut per round trip: the answers already in flight were sent at the old size
        self._size = max(1.0, self._size * factor)
        self._threshold = self._size
        self._hold_until = self._answers + max(1, int(self._size))
