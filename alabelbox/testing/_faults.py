"""Scriptable, seeded fault injection for both origins.

Every decision that depends on chance draws from one ``random.Random(seed)`` in the order requests
arrive, so a test that sends the same requests sees the same faults.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

ROW_FAILED = "Data row could not be created: an internal error occurred. Please try again."
EXPORT_FAILED = "Failed to export data rows: an internal error occurred while processing the export. Please try again."
"""What a task failed by :meth:`Faults.fail_exports` reports in ``errors`` unless told otherwise."""


@dataclass
class _Rule:
    status: int
    rate: float = 0.0
    nth: set[int] = field(default_factory=set)
    remaining: int | None = None
    retry_after: int | None = None

    def fires(self, n: int, rng: random.Random) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        hit = n in self.nth or (self.rate > 0 and rng.random() < self.rate)
        if hit and self.remaining is not None:
            self.remaining -= 1
        return hit


@dataclass(frozen=True)
class ApiFault:
    """What to do to one API request (decided by :meth:`Faults.for_api_request`)."""

    delay: float = 0.0
    http_status: int | None = None
    graphql_status: int | None = None
    rate_limited: bool = False


@dataclass(frozen=True)
class DownloadFault:
    """What to do to one storage download (decided by :meth:`Faults.for_download`)."""

    ttfb: float = 0.0
    bandwidth: float | None = None
    reset_after: int | None = None
    truncate_after: int | None = None


@dataclass(frozen=True)
class StorageFault:
    """An error answer for one storage request (decided by :meth:`Faults.for_storage_request`)."""

    status: int
    retry_after: int | None = None


class Faults:
    """Fault injection, scripted per test (``emu.faults``) or from CLI flags.

    API origin: :meth:`latency`, :meth:`http_error`, :meth:`graphql_error`, :meth:`rate_limit_burst`.
    Storage origin: :meth:`reset_download` / :meth:`truncate_download` (queued, at a given byte),
    :meth:`reset_downloads` / :meth:`truncate_downloads` (at a rate, at a random byte),
    :meth:`storage_error` (429 with Retry-After, or 5xx), :meth:`bandwidth`,
    :meth:`time_to_first_byte`, :meth:`expire_signed_urls`.
    Exports: :meth:`malformed_line`, :meth:`fail_exports`, :meth:`export_errors`.
    Request numbers (``nth``) count from 1 on each origin, including requests that fail: API
    requests for :meth:`http_error` and :meth:`graphql_error`, storage requests for
    :meth:`storage_error`.
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self.clear()

    def clear(self) -> None:
        """Remove every fault and restart the random sequence."""
        with self._lock:
            self._rng = random.Random(self._seed)
            self._latency = (0.0, 0.0)
            self._http: list[_Rule] = []
            self._graphql: list[_Rule] = []
            self._burst_start: int | None = None
            self._burst_left = 0
            self._api_count = 0
            self._download_count = 0
            self._resets: list[tuple[int, int]] = []  # (after_bytes, remaining)
            self._truncates: list[tuple[int, int]] = []
            self._random_resets: list[_Rule] = []  # status unused
            self._random_truncates: list[_Rule] = []
            self._storage: list[_Rule] = []
            self._storage_count = 0
            self._bandwidth: float | None = None
            self._ttfb = 0.0
            self.expired_urls = False
            self._malformed: list[int] = []
            self._fail_exports: list[str] = []
            self._fail_rows: dict[int, str] = {}
            self._upload_faults: list[tuple[str, int]] = []  # ("fail", status) or ("expire", 0), in order
            self.error_rate = 0.0

    # ------------------------------------------------------------------ API

    def latency(self, fixed: float = 0.0, jitter: float = 0.0) -> None:
        """Delay every API request by ``fixed`` seconds plus ``uniform(0, jitter)``."""
        if fixed < 0 or jitter < 0:
            raise ValueError("latency must be >= 0")
        with self._lock:
            self._latency = (fixed, jitter)

    def http_error(
        self,
        status: int = 503,
        *,
        rate: float = 0.0,
        nth: Iterable[int] = (),
        count: int | None = None,
    ) -> None:
        """Answer API requests with HTTP ``status`` (a text body), at ``rate`` or on the ``nth``.

        Args:
            status: The HTTP status to answer (5xx for server errors).
            rate: Probability per request, drawn from the seeded generator.
            nth: 1-based API request numbers that fail.
            count: Stop after this many injected errors (None: no limit).
        """
        with self._lock:
            self._http.append(_Rule(status, rate, set(nth), count))

    def graphql_error(
        self,
        status: int = 503,
        *,
        rate: float = 0.0,
        nth: Iterable[int] = (),
        count: int | None = None,
    ) -> None:
        """Answer with a GraphQL ``INTERNAL_SERVER_ERROR`` (HTTP 200) whose
        ``extensions.exception.status`` is ``status``; arguments as :meth:`http_error`."""
        with self._lock:
            self._graphql.append(_Rule(status, rate, set(nth), count))

    def rate_limit_burst(self, count: int, *, after: int = 0) -> None:
        """Answer 429 to ``count`` API requests, starting ``after`` requests from now."""
        with self._lock:
            self._burst_start = self._api_count + after + 1
            self._burst_left = count

    def for_api_request(self) -> ApiFault:
        """Decide the faults for the next API request (called by the server)."""
        with self._lock:
            self._api_count += 1
            n = self._api_count
            fixed, jitter = self._latency
            delay = fixed + (self._rng.uniform(0, jitter) if jitter else 0.0)
            limited = False
            if self._burst_left > 0 and self._burst_start is not None and n >= self._burst_start:
                self._burst_left -= 1
                limited = True
            http = next((r.status for r in self._http if r.fires(n, self._rng)), None)
            gql = next((r.status for r in self._graphql if r.fires(n, self._rng)), None)
            return ApiFault(delay, http, gql, limited)

    @property
    def api_requests(self) -> int:
        """How many API requests have been seen since the last :meth:`clear`."""
        return self._api_count

    # -------------------------------------------------------------- storage

    def reset_download(self, after_bytes: int, *, count: int = 1) -> None:
        """Reset the connection (TCP RST) after ``after_bytes`` body bytes of the next downloads."""
        with self._lock:
            self._resets.append((after_bytes, count))

    def truncate_download(self, after_bytes: int, *, count: int = 1) -> None:
        """Close the connection cleanly after ``after_bytes`` body bytes, short of Content-Length."""
        with self._lock:
            self._truncates.append((after_bytes, count))

    def reset_downloads(self, *, rate: float, count: int | None = None) -> None:
        """Reset the connection (TCP RST) on a fraction of downloads, at a random byte of the body.

        Whether a download is hit, and the byte it is cut at (uniform over ``[0, length)`` of the
        body sent, so the client never gets all of it), are drawn from the seeded generator in the
        order downloads arrive. Queued faults (:meth:`reset_download`, :meth:`truncate_download`)
        take precedence and consume no draw.

        Args:
            rate: Probability per download (0 to 1).
            count: Stop after this many resets (None: no limit).
        """
        _check_rate(rate)
        with self._lock:
            self._random_resets.append(_Rule(0, rate, set(), count))

    def truncate_downloads(self, *, rate: float, count: int | None = None) -> None:
        """Close the connection cleanly on a fraction of downloads, at a random byte of the body.

        The client sees a body shorter than its Content-Length. Arguments and draws as
        :meth:`reset_downloads` (resets are decided first).
        """
        _check_rate(rate)
        with self._lock:
            self._random_truncates.append(_Rule(0, rate, set(), count))

    def storage_error(
        self,
        status: int = 503,
        *,
        rate: float = 0.0,
        nth: Iterable[int] = (),
        count: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer storage requests with HTTP ``status`` and a GCS XML error body, at ``rate`` or on the ``nth``.

        The answer comes before the signature is checked, as from a bucket's front end; the
        request is still recorded, with its status, in ``emu.requests``.

        Args:
            status: 429 (``SlowDown``) or a 5xx (``InternalError`` / ``ServiceUnavailable``).
            rate: Probability per storage request, drawn from the seeded generator.
            nth: 1-based storage request numbers that fail.
            count: Stop after this many injected errors (None: no limit).
            retry_after: Seconds for a ``Retry-After`` header; a 429 sends ``1`` when None.
        """
        _check_rate(rate)
        if retry_after is None and status == 429:
            retry_after = 1
        with self._lock:
            self._storage.append(_Rule(status, rate, set(nth), count, retry_after))

    def bandwidth(self, bytes_per_second: float | None) -> None:
        """Cap each download connection at ``bytes_per_second`` (None: no cap)."""
        with self._lock:
            self._bandwidth = bytes_per_second

    def time_to_first_byte(self, seconds: float) -> None:
        """Wait ``seconds`` before the storage origin sends response headers."""
        with self._lock:
            self._ttfb = seconds

    def expire_signed_urls(self, expired: bool = True) -> None:
        """Issue signed URLs that have already expired (the storage origin answers 400)."""
        with self._lock:
            self.expired_urls = expired

    def for_storage_request(self) -> StorageFault | None:
        """Decide whether the next storage request gets an error answer (called by the server)."""
        with self._lock:
            self._storage_count += 1
            n = self._storage_count
            rule = next((r for r in self._storage if r.fires(n, self._rng)), None)
            return None if rule is None else StorageFault(rule.status, rule.retry_after)

    def for_download(self, length: int = 0) -> DownloadFault:
        """Decide the faults for the next storage download of ``length`` body bytes (called by the server)."""
        with self._lock:
            self._download_count += 1
            reset = truncate = None
            if self._resets:
                after, left = self._resets[0]
                reset = after
                self._resets = [(after, left - 1), *self._resets[1:]] if left > 1 else self._resets[1:]
            elif self._truncates:
                after, left = self._truncates[0]
                truncate = after
                self._truncates = [(after, left - 1), *self._truncates[1:]] if left > 1 else self._truncates[1:]
            elif length > 0:
                if any(r.fires(self._download_count, self._rng) for r in self._random_resets):
                    reset = self._rng.randrange(length)
                elif any(r.fires(self._download_count, self._rng) for r in self._random_truncates):
                    truncate = self._rng.randrange(length)
            return DownloadFault(self._ttfb, self._bandwidth, reset, truncate)

    @property
    def storage_requests(self) -> int:
        """How many storage requests have been seen since the last :meth:`clear`."""
        return self._storage_count

    @property
    def downloads(self) -> int:
        """How many storage downloads (requests that passed the signature check) since the last :meth:`clear`."""
        return self._download_count

    # -------------------------------------------------------------- exports

    def malformed_line(self, *lines: int) -> None:
        """Corrupt these 0-based RESULT lines of the next export task (cut mid-JSON)."""
        with self._lock:
            self._malformed.extend(lines)

    def fail_exports(self, count: int = 1, *, message: str = EXPORT_FAILED) -> None:
        """Make the next ``count`` export tasks end FAILED instead of COMPLETE.

        A FAILED task reports ``message`` in its ``errors`` field (a string, as the SDK's ``Task``
        reads it), like a real task that failed.
        """
        with self._lock:
            self._fail_exports.extend([message] * count)

    def export_errors(self, rate: float) -> None:
        """Send this fraction of data rows (chosen by seed) to the ERRORS stream of exports."""
        with self._lock:
            self.error_rate = rate

    def take_export_faults(self) -> tuple[str | None, frozenset[int]]:
        """``(failure message or None, malformed lines)`` for a new export task (called by the server)."""
        with self._lock:
            fail = self._fail_exports.pop(0) if self._fail_exports else None
            lines = frozenset(self._malformed)
            self._malformed = []
            return fail, lines

    def fail_data_rows(self, *items: int, message: str = ROW_FAILED) -> None:
        """Make these 0-based items of the next ``upsertDataRows`` task fail with ``message``.

        The other items of that task are created as usual; the failed ones are reported by
        ``failedDataRowImports`` with their spec, as the SDK's ``DataUpsertTask.errors`` reads them.
        """
        with self._lock:
            self._fail_rows.update(dict.fromkeys(items, message))

    def fail_uploads(self, count: int = 1, *, status: int = 503) -> None:
        """Answer the next ``count`` ``uploadFile`` requests with a server error of ``status`` (nothing is stored).

        The answer is a GraphQL ``INTERNAL_SERVER_ERROR`` whose ``extensions.exception.status`` is ``status``, as
        the API answers an upload its storage failed.
        """
        with self._lock:
            self._upload_faults.extend([("fail", status)] * count)

    def expire_upload_urls(self, count: int = 1) -> None:
        """Answer the next ``count`` ``uploadFile`` requests with a URL that has already expired.

        The file is stored, but anything that reads it back by that URL (``upsertDataRows`` reading a manifest or a
        descriptor file, or a download) is refused, as an expired signed URL is.
        """
        with self._lock:
            self._upload_faults.extend([("expire", 0)] * count)

    def take_upload_fault(self) -> tuple[str, int] | None:
        """The fault for the next ``uploadFile`` request, if any (called by the server)."""
        with self._lock:
            return self._upload_faults.pop(0) if self._upload_faults else None

    def take_data_row_faults(self) -> dict[int, str]:
        """``{item index: message}`` for a new ``upsertDataRows`` task (called by the server)."""
        with self._lock:
            rows, self._fail_rows = self._fail_rows, {}
            return rows


def _check_rate(rate: float) -> None:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be between 0 and 1, got {rate!r}")
