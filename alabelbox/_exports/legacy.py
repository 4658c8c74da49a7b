"""The legacy (v1) bulk export: ``exportLabels``, polled while ``shouldPoll``, then one JSON array of label rows.

The 30-minute rule
    Labelbox generates a new file for a project at most every 30 minutes. Asking again within 30 minutes of the
    last generation returns the *same* ``downloadUrl`` and ``createdAt``, so labels created or changed since then
    are not in it. :class:`LegacyExportResult` carries ``created_at`` so a caller can see how old the file is;
    for fresh data, wait out the 30 minutes or use the streamable export (``client.exports.create``).

Video
    A video row's ``Label.frames`` is a URL to NDJSON frames. ``client.exports.video_frames`` fetches it with
    ``client.download``, which sends the API key only when the URL is on the API's own origin.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import AsyncExitStack, aclosing, asynccontextmanager
from typing import TYPE_CHECKING, Any

from alabelbox._config import TimeoutArg
from alabelbox._download_retry import AttemptBound, DownloadRetry, bounded, progress_threshold, range_header
from alabelbox._exceptions import (
    ExportDownloadError,
    ExportTimeoutError,
    IncompleteExportError,
    InvalidArgumentError,
    LabelboxError,
)
from alabelbox._polling import poll_until, user_schedule
from alabelbox._queries.exports import GET_LABEL_EXPORT_URL
from alabelbox._retry import should_retry
from alabelbox._streaming import read_records
from alabelbox._transport import iter_body
from alabelbox._validation import check_id
from alabelbox.types.legacy import LegacyExportResult, LegacyLabel, LegacyLabelRow

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["LEGACY_REGENERATION_SECONDS", "export_url", "frames", "frames_url", "rows"]

logger = logging.getLogger("alabelbox.exports")

#: Labelbox regenerates a project's legacy export file at most this often (seconds).
LEGACY_REGENERATION_SECONDS = 30 * 60
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?")


def _legacy_filters(
    start: str | None, end: str | None, last_activity_start: str | None, last_activity_end: str | None
) -> dict[str, Any] | None:
    for name, value in (
        ("start", start),
        ("end", end),
        ("last_activity_start", last_activity_start),
        ("last_activity_end", last_activity_end),
    ):
        if value is not None and (not isinstance(value, str) or not _DATE.fullmatch(value)):
            raise InvalidArgumentError(name, f"expected 'YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss', got {value!r}")
    filters: dict[str, Any] = {}
    created = {k: v for k, v in (("start", start), ("end", end)) if v}
    activity = {k: v for k, v in (("start", last_activity_start), ("end", last_activity_end)) if v}
    if created:
        filters["labelCreatedAt"] = created
    if activity:
        filters["lastActivityAt"] = activity
    return filters or None


async def export_url(
    client: Client,
    project_id: str,
    *,
    start: str | None,
    end: str | None,
    last_activity_start: str | None,
    last_activity_end: str | None,
    wait_timeout: float | None,
    poll_interval: float,
    max_poll_interval: float,
    timeout: TimeoutArg,
) -> LegacyExportResult:
    """Poll ``exportLabels`` until the file is ready: see ``Exports.export_labels_url``."""
    check_id("project_id", project_id)
    schedule = user_schedule(poll_interval, max_poll_interval)
    variables = {
        "projectId": project_id,
        "filters": _legacy_filters(start, end, last_activity_start, last_activity_end),
    }
    polls = 0

    async def fetch() -> dict[str, Any]:
        nonlocal polls
        polls += 1
        # Asking again is harmless (the server answers with the same file), so it may be retried.
        data = await client.execute(GET_LABEL_EXPORT_URL, variables, idempotent=True, timeout=timeout)
        return dict(data["exportLabels"])

    def on_timeout(_last: object, seconds: float) -> ExportTimeoutError:
        return ExportTimeoutError(
            f"the legacy export of project {project_id} was still being generated after {seconds} s ({polls} polls)"
        )

    res = await poll_until(
        fetch,
        lambda res: not res.get("shouldPoll") and bool(res.get("downloadUrl")),
        wait_timeout=wait_timeout,
        schedule=schedule,
        on_timeout=on_timeout,
    )
    return LegacyExportResult(res["downloadUrl"], res.get("createdAt"), polls)


async def rows(client: Client, url: str, model: Any) -> AsyncIterator[Any]:
    """The array's items; a failed GET resumes with a Range from the end of the last item.

    Retries follow the policy of every download (:mod:`alabelbox._download_retry`): each attempt's network
    time is bounded by ``Timeout.total``, and attempts that make little progress are bounded by
    ``RetryConfig.max_retries`` and ``deadline``.
    """
    what = "the legacy export download"
    policy = DownloadRetry(client.retry, what)
    seconds = client.timeout.total
    position = 0  # byte just after the last item handed out (0: nothing yet)
    while True:
        before = position
        bound = AttemptBound(seconds, f"GET {what}")
        try:
            async with AsyncExitStack() as stack:
                with bound.network():
                    response = await stack.enter_async_context(
                        client._download_attempt(url, headers=range_header(position))
                    )
                if position and response.status != 206:
                    raise ExportDownloadError(f"a ranged GET of the legacy export answered HTTP {response.status}")
                if not position:
                    policy.min_progress = progress_threshold(response.content_length)
                body = bounded(iter_body(response, "GET legacy export"), bound)
                source = _resumed(body, position) if position else body
                reader = read_records(source, model, format="json", start_offset=max(0, position - 1))
                async with reader:
                    async for record in reader:
                        position = record.end
                        yield record.value
            return
        except LabelboxError as error:
            retryable: bool | None = None
            if isinstance(error, IncompleteExportError):
                # The body was cut inside an item: resume after the last complete one.
                if error.offset is not None and error.offset > position:
                    position = error.offset
                retryable = True
            elif not should_retry(error) and not isinstance(error, ExportDownloadError):
                raise  # malformed JSON, a record that does not fit its model, a refused URL: as it is
            await policy.after_failure(error, progressed=position - before, at=position, retryable=retryable)


def frames_url(row_or_url: Any) -> str:
    """The frames URL of a legacy video row, a row dict, or a URL.

    Raises:
        InvalidArgumentError: The row is not a video row (its ``Label`` has no frames URL).
    """
    url: Any = row_or_url
    if isinstance(row_or_url, LegacyLabelRow):
        # Label is also "Skip" or a list of inline frames in some exports: only a LegacyLabel has a frames URL.
        url = row_or_url.label.frames if isinstance(row_or_url.label, LegacyLabel) else None
    elif isinstance(row_or_url, dict):
        url = (row_or_url.get("Label") or {}).get("frames")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidArgumentError("row_or_url", f"not a video row with a frames URL: {url!r}")
    return url


@asynccontextmanager
async def frames(client: Client, url: str, model: Any) -> AsyncIterator[AsyncIterator[Any]]:
    """The frames at ``url``, streamed from their NDJSON file."""
    async with client.download(url) as response:
        reader = read_records(response, model, format="ndjson")
        async with reader, aclosing(_values(reader)) as values:
            yield values


async def _values(reader: AsyncIterator[Any]) -> AsyncGenerator[Any, None]:
    async for record in reader:
        yield record.value


async def _resumed(chunks: AsyncIterator[bytes], position: int) -> AsyncIterator[bytes]:
    """The rest of a JSON array after an item, as an array again: ``[`` then the bytes, the separating comma blanked.

    The ``[`` stands at ``position - 1`` and the comma becomes a space, so byte offsets stay exact.
    """
    yield b"["
    head = True
    async with aclosing(chunks) as body:  # type: ignore[type-var]
        async for data in body:
            if head:
                stripped = data.lstrip(b" \t\r\n")
                if not stripped:
                    yield data
                    continue
                head = False
                if stripped[:1] == b",":
                    cut = len(data) - len(stripped)
                    data = data[:cut] + b" " + data[cut + 1 :]
            yield data
