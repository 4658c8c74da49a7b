"""``client.exports``: create export tasks, wait for them, stream them; the legacy bulk export.

Example:
    >>> async with alabelbox.Client() as client:
    ...     task = await client.exports.create_and_poll(project_id=project_id, params={"label_details": True})
    ...     async with client.exports.stream(task) as rows:
    ...         async for row in rows:
    ...             print(row.line, row.value.data_row.id)
"""

from __future__ import annotations

import enum
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing, asynccontextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pydantic import TypeAdapter

from alabelbox._config import USE_CLIENT_DEFAULT, TimeoutArg
from alabelbox._exceptions import (
    ExportDownloadError,
    ExportError,
    ExportStreamNotFoundError,
    ExportTaskFailedError,
    ExportTimeoutError,
    InvalidArgumentError,
)
from alabelbox._exports import legacy
from alabelbox._exports.creation import plan_export
from alabelbox._exports.download import download_task
from alabelbox._exports.filters import (
    ExportFilters,
    ExportParams,
)
from alabelbox._exports.shards import DEFAULT_CONCURRENCY, ShardLocator, fetch_metadata
from alabelbox._exports.stream import ShardStream
from alabelbox._queries.exports import (
    CURRENT_USER_TIMEZONE,
)
from alabelbox._streaming import Record
from alabelbox.resources._base import Resource
from alabelbox.resources.tasks import DEFAULT_WAIT_TIMEOUT, retrieve_task, wait_for_task
from alabelbox.types.export_row import ExportRow
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import (
    DownloadProgress,
    ExportMetadata,
    ExportTask,
    ProgressCallback,
    StreamType,
)
from alabelbox.types.legacy import LegacyExportResult, LegacyLabelRow

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["Exports"]

#: How long the legacy export waits for its file by default (the SDK's 30 minutes).
LEGACY_WAIT_TIMEOUT = 1800.0


class _Default(enum.Enum):
    MODEL = "model"


DEFAULT_MODEL = _Default.MODEL

M = TypeVar("M")


class Exports(Resource):
    """Export tasks: :meth:`create`, :meth:`retrieve`, :meth:`wait`, :meth:`create_and_poll`, :meth:`stream`,
    :meth:`download`, :meth:`metadata`.

    Also the legacy (v1) bulk export: :meth:`export_labels`, :meth:`export_labels_url`, :meth:`video_frames`.
    """

    def __init__(self, client: Client) -> None:
        super().__init__(client)
        self._timezone: str | None = None

    # -- create ----------------------------------------------------------------------------------------------------

    async def create(
        self,
        *,
        project_id: str | None = None,
        dataset_id: str | None = None,
        data_row_ids: Sequence[str] | None = None,
        global_keys: Sequence[str] | None = None,
        model_run_id: str | None = None,
        slice_id: str | None = None,
        catalog: bool = False,
        filters: ExportFilters | Mapping[str, Any] | None = None,
        params: ExportParams | Mapping[str, Any] | None = None,
        task_name: str | None = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> ExportTask:
        """Start an export task. Name exactly one source.

        Args:
            project_id: Export a project's data rows with their labels (``exportDataRowsInProject``).
            dataset_id: Export a dataset (a catalog export filtered to the dataset).
            data_row_ids: Export these data rows (at most 2,000; a catalog export).
            global_keys: Export the data rows with these global keys (at most 2,000; a catalog export).
            model_run_id: Export a model run (``exportDataRowsInModelRun``).
            slice_id: Export the data rows a catalog slice selects (``exportDataRowsInSlice``; its saved filters
                are the filters, so ``filters`` is not taken; ``params`` as for a catalog export).
            catalog: Export the whole catalog (narrow it with ``filters``).
            filters: :class:`~alabelbox._exports.filters.ExportFilters`: dates, ids, batches, workflow status.
            params: :class:`~alabelbox._exports.filters.ExportParams`: what each row includes.
            task_name: A name for the task.
            timeout: Limits for the GraphQL calls (default: the client's).

        Returns:
            The new task, IN_PROGRESS. Wait for it with :meth:`wait`.

        Raises:
            InvalidArgumentError: No source or several, an unknown filter or param, more than 2,000 ids,
                ``data_row_ids`` with ``global_keys``, a malformed date. Nothing is sent.

        Example:
            >>> task = await client.exports.create(
            ...     project_id=project_id,
            ...     filters={"last_activity_at": ["2024-01-01T00:00:00+0200", None], "workflow_status": "Done"},
            ...     params={"label_details": True, "project_details": True},
            ... )
        """
        plan = plan_export(
            project_id=project_id,
            dataset_id=dataset_id,
            data_row_ids=data_row_ids,
            global_keys=global_keys,
            model_run_id=model_run_id,
            slice_id=slice_id,
            catalog=catalog,
            filters=filters,
            params=params,
            task_name=task_name,
        )
        timezone = await self._user_timezone(timeout) if plan.needs_timezone else "UTC"
        created = await self._mutate(plan.document, plan.variables(timezone), timeout=timeout)
        return ExportTask.model_validate(
            {"id": created["taskId"], "isStreamable": created.get("isStreamable", True), "name": task_name}
        )

    async def _user_timezone(self, timeout: TimeoutArg) -> str:
        if self._timezone is None:
            data = await self._execute(CURRENT_USER_TIMEZONE, timeout=timeout)
            self._timezone = ((data.get("user") or {}).get("timezone")) or "UTC"
        return self._timezone

    # -- poll ------------------------------------------------------------------------------------------------------

    async def retrieve(self, task_id: str, *, timeout: TimeoutArg = USE_CLIENT_DEFAULT) -> ExportTask:
        """The task with this id, as it is now.

        Raises:
            ResourceNotFoundError: The key's user has no such task.

        Example:
            >>> task = await client.exports.retrieve(task.id)
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        return await retrieve_task(self, task_id, ExportTask, kind="export task", timeout=timeout)

    async def wait(
        self,
        task: ExportTask | str,
        *,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> ExportTask:
        """Poll a task until it is done; return it COMPLETE, or raise if it failed or the time ran out.

        The first poll is immediate. A finished task is noticed within ``poll_interval`` seconds or a tenth of the
        time waited so far, whichever is longer (never more than ``max_poll_interval``); while the task reports a
        moving percentage, the next poll goes when that predicts the end (see :class:`alabelbox._polling.PollSchedule`).
        A 429 is waited out and slows the polls. Unlike the SDK's ``wait_till_done``, running out of time raises.

        Args:
            task: The task or its id.
            wait_timeout: Seconds to wait in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds (the SDK polls every 2 s).
            max_poll_interval: The longest wait between two polls.
            on_progress: Called with the task (an :class:`ExportTask`) after each poll; a coroutine function is
                awaited.
            timeout: Limits for each poll's request (default: the client's).

        Returns:
            The task as the last poll saw it, COMPLETE (a new object: tasks are frozen).

        Raises:
            ExportTimeoutError: ``wait_timeout`` seconds passed with the task still running (it goes on on the
                server).
            ExportTaskFailedError: The task FAILED or was canceled; ``errors`` holds what the server reported.

        Example:
            >>> task = await client.exports.wait(task, wait_timeout=600, poll_interval=2)
            >>> task.is_done
            True
        """
        task_id = _task_id(task)
        streamable = task.is_streamable if isinstance(task, ExportTask) else True

        async def fetch() -> ExportTask:
            fresh = await self.retrieve(task_id, timeout=timeout)
            # createdTasks does not say whether the task streams: keep what its creation said.
            if fresh.is_streamable == streamable:
                return fresh
            return fresh.model_copy(update={"is_streamable": streamable})

        return await wait_for_task(
            fetch,
            task_id,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
            kind="export task",
            failed=ExportTaskFailedError,
            timed_out=ExportTimeoutError,
        )

    async def create_and_poll(
        self,
        *,
        project_id: str | None = None,
        dataset_id: str | None = None,
        data_row_ids: Sequence[str] | None = None,
        global_keys: Sequence[str] | None = None,
        model_run_id: str | None = None,
        slice_id: str | None = None,
        catalog: bool = False,
        filters: ExportFilters | Mapping[str, Any] | None = None,
        params: ExportParams | Mapping[str, Any] | None = None,
        task_name: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> ExportTask:
        """:meth:`create` then :meth:`wait`: the task, COMPLETE.

        Args:
            project_id: See :meth:`create`.
            dataset_id: See :meth:`create`.
            data_row_ids: See :meth:`create`.
            global_keys: See :meth:`create`.
            model_run_id: See :meth:`create`.
            slice_id: See :meth:`create`.
            catalog: See :meth:`create`.
            filters: See :meth:`create`.
            params: See :meth:`create`.
            task_name: See :meth:`create`.
            wait_timeout: Seconds to wait for the task (:class:`ExportTimeoutError` after); None waits forever.
            poll_interval: See :meth:`wait`.
            max_poll_interval: See :meth:`wait`.
            on_progress: Called with the task after each poll.
            timeout: Limits for each request (default: the client's).

        Example:
            >>> task = await client.exports.create_and_poll(project_id=project_id, wait_timeout=600)
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        task = await self.create(
            project_id=project_id,
            dataset_id=dataset_id,
            data_row_ids=data_row_ids,
            global_keys=global_keys,
            model_run_id=model_run_id,
            slice_id=slice_id,
            catalog=catalog,
            filters=filters,
            params=params,
            task_name=task_name,
            timeout=timeout,
        )
        return await self.wait(
            task,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
            timeout=timeout,
        )

    # -- read ------------------------------------------------------------------------------------------------------

    async def metadata(
        self, task: ExportTask | str, stream_type: StreamType = StreamType.RESULT
    ) -> ExportMetadata | None:
        """The stream's total bytes and lines, or None when the task has no such stream.

        Example:
            >>> metadata = await client.exports.metadata(task)
            >>> metadata.total_lines
            12
        """
        return await fetch_metadata(self._client, _task_id(task), StreamType(stream_type))

    async def download(
        self,
        task: ExportTask | str,
        path: str | os.PathLike[str],
        *,
        format: Literal["ndjson", "json"] = "ndjson",
        stream_type: StreamType = StreamType.RESULT,
        resume: bool = True,
        concurrency: int | None = None,
        on_progress: Callable[[DownloadProgress], Awaitable[None] | None] | None = None,
    ) -> DownloadProgress:
        """Save a finished task's stream to ``path``, atomically: ``<path>.part`` first, renamed when complete.

        Bytes are copied as they arrive (no parsing). A ``.part`` left by an interrupted download is continued
        from its last complete line, so nothing is downloaded twice.

        Args:
            task: The task or its id; it must be COMPLETE.
            path: The file to write. It appears only when the download is complete.
            format: ``"ndjson"``: the export's own lines. ``"json"``: one JSON array, one row per line.
            stream_type: RESULT or ERRORS.
            resume: Continue a ``<path>.part`` if there is one; False starts over.
            concurrency: Shards in flight at once (default: the streamer's).
            on_progress: Called with a :class:`~alabelbox.types.DownloadProgress` (bytes and lines from the
                metadata header) as bytes arrive; a coroutine function is awaited.

        Returns:
            The final progress: the whole stream.

        Raises:
            ExportError: ``task`` is an :class:`ExportTask` that has not finished: wait for it first.
            ExportStreamNotFoundError: The task has no such stream (an empty export writes an empty file instead:
                an empty array for ``json``).
            ExportDownloadError: A shard could not be downloaded after retries.

        Example:
            >>> done = await client.exports.download(task, "export.ndjson", on_progress=lambda p: None)
            >>> done.fraction, done.lines_done
            (1.0, 12)
        """
        _check_finished(task, "download")
        return await download_task(
            self._client,
            _task_id(task),
            path,
            format=format,
            stream_type=stream_type,
            resume=resume,
            concurrency=concurrency,
            on_progress=on_progress,
        )

    @overload
    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: Literal[StreamType.RESULT] = ...,
        start_offset: int | None = ...,
        start_line: int | None = ...,
        concurrency: int = ...,
        missing_ok: bool = ...,
        shard: ExportShard | None = ...,
    ) -> ShardStream[Record[ExportRow]]: ...

    @overload
    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: Literal[StreamType.ERRORS],
        start_offset: int | None = ...,
        start_line: int | None = ...,
        concurrency: int = ...,
        missing_ok: bool = ...,
        shard: ExportShard | None = ...,
    ) -> ShardStream[Record[dict[str, Any]]]: ...

    @overload
    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: StreamType = ...,
        start_offset: int | None = ...,
        start_line: int | None = ...,
        model: None,
        concurrency: int = ...,
        missing_ok: bool = ...,
        shard: ExportShard | None = ...,
    ) -> ShardStream[Record[dict[str, Any]]]: ...

    @overload
    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: StreamType = ...,
        start_offset: int | None = ...,
        start_line: int | None = ...,
        model: type[M] | TypeAdapter[M],
        concurrency: int = ...,
        missing_ok: bool = ...,
        shard: ExportShard | None = ...,
    ) -> ShardStream[Record[M]]: ...

    @overload
    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: StreamType = ...,
        start_offset: int | None = ...,
        start_line: int | None = ...,
        concurrency: int = ...,
        missing_ok: bool = ...,
        shard: ExportShard | None = ...,
    ) -> ShardStream[Record[Any]]: ...

    def stream(
        self,
        task: ExportTask | str,
        *,
        stream_type: StreamType = StreamType.RESULT,
        start_offset: int | None = None,
        start_line: int | None = None,
        model: Any = DEFAULT_MODEL,
        concurrency: int = DEFAULT_CONCURRENCY,
        missing_ok: bool = False,
        shard: ExportShard | None = None,
    ) -> ShardStream[Any]:
        """Read a finished task's stream as it downloads: ``async with ... as rows: async for row in rows``.

        Each item is a :class:`~alabelbox._streaming.Record` ``(value, offset, line, end)``, typed for mypy:
        ``Record[ExportRow]`` by default, ``Record[dict[str, Any]]`` with ``model=None`` (and for the ERRORS stream),
        ``Record[M]`` with ``model=M``. Up to ``concurrency``
        shards are fetched and parsed at once and yielded strictly in order; a failed or cut-off shard is
        resumed from its last complete line, so every row arrives exactly once.

        Args:
            task: The task or its id; it must be COMPLETE.
            stream_type: ``StreamType.RESULT`` (the rows) or ``StreamType.ERRORS``.
            start_offset: Start at this global byte offset (the start of a line).
            start_line: Start at this global line. Give both, as saved from ``rows.position`` or from a record as
                ``(record.end, record.line + 1)``, to resume with no byte downloaded twice.
            model: What each row becomes: ``ExportRow`` by default for RESULT (dicts for ERRORS), any pydantic
                model or ``TypeAdapter``, or None for plain dicts (fastest).
            concurrency: Shards in flight at once.
            missing_ok: Read a missing stream (an export that matched nothing) as empty instead of raising.
            shard: Read only this shard (from :meth:`shards`): the stream neither looks up nor fetches anything
                past it, and checks that the server's ranges are still the listed ones and that the rows read
                fill exactly its line range. A shard that carries its URL is fetched with it (and signed again if
                the storage refuses it); one without is signed first.

        Raises:
            ExportError: ``task`` is an :class:`ExportTask` that has not finished: wait for it first.
            ExportStreamNotFoundError: The task has no such stream (on entering).
            ExportDownloadError: A shard could not be downloaded after retries, or its length is wrong.
            ExportParseError, RecordValidationError: A row is malformed or does not fit ``model``.

        Example:
            >>> async with client.exports.stream(task, model=None, concurrency=8) as rows:
            ...     values = [row.value async for row in rows]
            ...     resume_at = rows.position  # start_offset= and start_line= of a later stream
            >>> len(values), resume_at
            (12, (..., 12))
        """
        _check_finished(task, "stream")
        stream_type = StreamType(stream_type)
        if model is DEFAULT_MODEL:
            model = ExportRow if stream_type is StreamType.RESULT else None
        return ShardStream(
            self._client,
            _task_id(task),
            stream_type=stream_type,
            model=model,
            start_offset=start_offset,
            start_line=start_line,
            concurrency=concurrency,
            missing_ok=missing_ok,
            shard=shard,
        )

    async def shards(
        self,
        task: ExportTask | str,
        *,
        stream_type: StreamType = StreamType.RESULT,
        signed: bool = False,
        missing_ok: bool = False,
    ) -> list[ExportShard]:
        """The shards of a finished task's stream, in order: what to hand out to workers, one each.

        The listing is checked: the shards start at byte 0 and line 0, each starts just after the one before, and
        together they hold exactly the bytes and lines of the stream's metadata header. Lookups run several at
        once (the streamer's probes), so a long stream is listed in few round trips.

        Args:
            task: The task or its id; it must be COMPLETE.
            stream_type: ``StreamType.RESULT`` or ``StreamType.ERRORS``.
            signed: Keep each shard's signed URL (for :class:`~alabelbox.SignedShardReader` on workers with no key).
                URLs expire: sign a shard again with :meth:`sign`.
            missing_ok: A missing stream (an export that matched nothing) lists as no shards instead of raising.

        Raises:
            ExportStreamNotFoundError: The task has no such stream.
            ExportDownloadError: The server's shards are not contiguous, or do not add up to the header's totals.

        Example:
            >>> shards = await client.exports.shards(task)
            >>> [(s.index, s.line_start, s.line_end) for s in shards][:1]
            [(0, 0, ...)]
            >>> sum(s.size for s in shards) == (await client.exports.metadata(task)).total_size
            True
        """
        _check_finished(task, "list the shards of")
        task_id = _task_id(task)
        stream_type = StreamType(stream_type)
        metadata = await fetch_metadata(self._client, task_id, stream_type)
        if metadata is None:
            if missing_ok:
                return []
            raise ExportStreamNotFoundError(f"export task {task_id} has no {stream_type.value} stream")
        if metadata.total_size == 0:
            return []
        locator = ShardLocator(self._client, task_id, stream_type, metadata, lookahead=DEFAULT_CONCURRENCY)
        first = await locator.by_offset(0)
        if first.byte_start != 0 or first.line_start != 0:
            raise ExportDownloadError(
                f"export task {task_id}: the first shard starts at byte {first.byte_start}, line {first.line_start}"
            )
        shards: list[ExportShard] = []
        async with aclosing(locator.chain(first)) as chain:
            async for info in chain:
                shards.append(
                    ExportShard(
                        task_id=task_id,
                        stream_type=stream_type,
                        index=len(shards),
                        byte_start=info.byte_start,
                        byte_end=info.byte_end,
                        line_start=info.line_start,
                        line_end=info.line_end,
                        url=info.url if signed else None,
                    )
                )
        if shards[-1].byte_end + 1 != metadata.total_size:
            raise ExportDownloadError(
                f"export task {task_id}: the shards hold {shards[-1].byte_end + 1} bytes, the metadata header says "
                f"{metadata.total_size}"
            )
        return shards

    async def sign(self, shard: ExportShard) -> ExportShard:
        """The shard with a fresh signed URL, looked up by its task id and first byte (its ranges checked).

        Raises:
            ExportDownloadError: The server's shard at that byte has other ranges than ``shard``.

        Example:
            >>> shards = await client.exports.shards(task)
            >>> fresh = await client.exports.sign(shards[0])
            >>> fresh.is_signed and fresh == shards[0]  # equal: the URL is not part of a shard's identity
            True
        """
        if not isinstance(shard, ExportShard):
            raise InvalidArgumentError("shard", f"expected an ExportShard, got {type(shard).__name__}")
        metadata = await fetch_metadata(self._client, shard.task_id, shard.stream_type)
        if metadata is None:
            raise ExportStreamNotFoundError(f"export task {shard.task_id} has no {shard.stream_type.value} stream")
        locator = ShardLocator(self._client, shard.task_id, shard.stream_type, metadata, lookahead=1)
        info = await locator.by_offset(shard.byte_start)
        if (info.byte_start, info.byte_end, info.line_start, info.line_end) != shard.ranges():
            raise ExportDownloadError(
                f"export task {shard.task_id}: shard {shard.index} was listed with bytes {shard.byte_start}-"
                f"{shard.byte_end}, lines {shard.line_start}-{shard.line_end}; the server now says bytes "
                f"{info.byte_start}-{info.byte_end}, lines {info.line_start}-{info.line_end}"
            )
        return replace(shard, url=info.url)

    # -- the legacy (v1) bulk export -------------------------------------------------------------------------------

    async def export_labels_url(
        self,
        project_id: str,
        *,
        start: str | None = None,
        end: str | None = None,
        last_activity_start: str | None = None,
        last_activity_end: str | None = None,
        wait_timeout: float | None = LEGACY_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: TimeoutArg = USE_CLIENT_DEFAULT,
    ) -> LegacyExportResult:
        """Poll the legacy ``exportLabels`` until the file is ready; return its URL (the file itself is not fetched).

        Labelbox generates a new file for a project at most every 30 minutes: asking again within 30 minutes of
        the last generation returns the same ``download_url`` and ``created_at``, so labels created or changed
        since are not in it. For fresh data, use :meth:`create`.

        Args:
            project_id: The project.
            start: Labels created on or after this date (``YYYY-MM-DD`` or ``YYYY-MM-DD hh:mm:ss``).
            end: Labels created on or before this date.
            last_activity_start: Rows with activity (labels, reviews, issues, metadata) since this date.
            last_activity_end: Rows with activity until this date.
            wait_timeout: Seconds to wait for the file (the SDK's default is 30 minutes); None waits forever.
            poll_interval: The notice bound of a young wait: a ready file is seen within this many seconds, or a
                tenth of the time waited, whichever is longer.
            max_poll_interval: Longest interval between calls.
            timeout: Limits for each ``exportLabels`` request (default: the client's).

        Raises:
            ExportTimeoutError: The file was still being generated after ``wait_timeout`` seconds.
            InvalidArgumentError: A date is not in an accepted format.

        Example:
            >>> result = await client.exports.export_labels_url(project_id)
            >>> result.download_url, result.created_at
            ('http...', '...Z')
        """
        return await legacy.export_url(
            self._client,
            project_id,
            start=start,
            end=end,
            last_activity_start=last_activity_start,
            last_activity_end=last_activity_end,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            timeout=timeout,
        )

    @asynccontextmanager
    async def export_labels(
        self,
        project_id: str,
        *,
        start: str | None = None,
        end: str | None = None,
        last_activity_start: str | None = None,
        last_activity_end: str | None = None,
        wait_timeout: float | None = LEGACY_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        model: Any = LegacyLabelRow,
    ) -> AsyncIterator[AsyncIterator[Any]]:
        """The legacy export's rows (the SDK's ``project.export_labels``), streamed from the JSON array.

        Polls like :meth:`export_labels_url`, then reads the file through the incremental reader: memory stays
        bounded whatever the file's size. A download cut short is resumed after the last complete row.

        Args:
            project_id: The project.
            start: See :meth:`export_labels_url`.
            end: See :meth:`export_labels_url`.
            last_activity_start: See :meth:`export_labels_url`.
            last_activity_end: See :meth:`export_labels_url`.
            wait_timeout: Seconds to wait for the file to be generated.
            poll_interval: See :meth:`export_labels_url`.
            model: What each row becomes: :class:`~alabelbox.types.LegacyLabelRow`, or None for dicts.

        Yields:
            An async iterator of rows.

        Example:
            >>> async with client.exports.export_labels(project_id) as rows:
            ...     label_ids = [row.id async for row in rows]
        """
        result = await self.export_labels_url(
            project_id,
            start=start,
            end=end,
            last_activity_start=last_activity_start,
            last_activity_end=last_activity_end,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
        )
        rows = legacy.rows(self._client, result.download_url, model)
        try:
            yield rows
        finally:
            await rows.aclose()  # type: ignore[attr-defined]

    @asynccontextmanager
    async def video_frames(self, row_or_url: Any, *, model: Any = None) -> AsyncIterator[AsyncIterator[Any]]:
        """The frames of a legacy video row (``Label.frames``), streamed from their NDJSON file.

        The API key goes with the request only when the URL is on the API's own origin.

        Args:
            row_or_url: A :class:`~alabelbox.types.LegacyLabelRow`, a row dict, or the frames URL.
            model: A model for each frame, or None for dicts ``{"frameNumber", "objects", "classifications"}``.

        Raises:
            InvalidArgumentError: The row is not a video row (its ``Label`` has no frames URL).

        Example:
            >>> async with client.exports.export_labels(video_project_id) as rows:
            ...     row = await anext(rows)
            >>> async with client.exports.video_frames(row) as frames:
            ...     frame_numbers = [frame["frameNumber"] async for frame in frames]
        """
        async with legacy.frames(self._client, legacy.frames_url(row_or_url), model) as frames:
            yield frames


def _task_id(task: ExportTask | str) -> str:
    if isinstance(task, ExportTask):
        return task.id
    if not task or not isinstance(task, str):
        raise InvalidArgumentError("task", f"expected an ExportTask or a task id, got {task!r}")
    return task


def _check_finished(task: ExportTask | str, verb: str) -> None:
    """An :class:`ExportTask` seen running cannot be read yet (an id is checked by the server's answer)."""
    if isinstance(task, ExportTask) and not task.is_done:
        raise ExportError(
            f"export task {task.id} is {task.status.value}: wait for the task first "
            f"(`task = await client.exports.wait(task)`), then {verb} it"
        )
