"""Mutable emulator state: the clock, deletions, and the request log.

Only mutations are stored; everything else is generated on demand by ``_data.World``.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


class Clock:
    """The emulator's clock: wall time plus an offset that tests can move forward."""

    def __init__(self) -> None:
        self._offset = 0.0

    def now(self) -> float:
        """Current emulator time as a POSIX timestamp."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the emulator clock forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._offset += seconds


@dataclass
class RecordedRequest:
    """One HTTP request received by the emulator, on either origin."""

    origin: str
    """``"api"`` or ``"storage"``."""
    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    time: float
    operation_name: str | None = None
    query: str | None = None
    variables: dict[str, Any] | None = None
    status: list[int] = field(default_factory=list, compare=False)
    """The status answered (appended once known)."""


class Deletions:
    """Deleted labels per project, with templates kept by ``makeTemplates``/``deleteBatchLabels``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._deleted: dict[int, list[int]] = {}
        self._templates: dict[int, set[int]] = {}
        self.version = 0

    def is_deleted(self, p: int, i: int) -> bool:
        rows = self._deleted.get(p)
        if not rows:
            return False
        k = bisect.bisect_left(rows, i)
        return k < len(rows) and rows[k] == i

    def delete(self, p: int, i: int, *, template: bool = False) -> bool:
        """Delete label ``(p, i)``; False if it was already deleted."""
        with self._lock:
            rows = self._deleted.setdefault(p, [])
            k = bisect.bisect_left(rows, i)
            if k < len(rows) and rows[k] == i:
                return False
            rows.insert(k, i)
            if template:
                self._templates.setdefault(p, set()).add(i)
            self.version += 1
            return True

    def is_template(self, p: int, i: int) -> bool:
        return i in self._templates.get(p, ())

    def deleted(self, p: int) -> list[int]:
        """Sorted indices of deleted labels of project ``p`` (a copy)."""
        return list(self._deleted.get(p, ()))

    def templates(self, p: int) -> set[int]:
        return set(self._templates.get(p, ()))

    def count(self, p: int) -> int:
        return len(self._deleted.get(p, ()))

    def nth_alive(self, p: int, k: int, n_rows: int) -> int | None:
        """Index of the ``k``-th (0-based) label still alive in project ``p``, or None."""
        rows = self._deleted.get(p) or []
        if k >= n_rows - len(rows):
            return None
        lo, hi = k, k + len(rows)
        while lo < hi:  # smallest j with (j + 1 - deleted<=j) > k
            mid = (lo + hi) // 2
            if mid + 1 - bisect.bisect_right(rows, mid) > k:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def alive(self, p: int, start: int, stop: int) -> Iterator[int]:
        """Alive label indices of project ``p`` in ``[start, stop)``, ascending."""
        rows = self._deleted.get(p) or []
        k = bisect.bisect_left(rows, start)
        i = start
        while i < stop:
            if k < len(rows) and rows[k] == i:
                k += 1
            else:
                yield i
            i += 1
