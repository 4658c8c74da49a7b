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
from collections.abc import Mapping, Sequence
from contextlib import aclosing
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from pydantic import TypeAdapter

from alabelbox._config import USE_CLIENT_DEFAULT, TimeoutArg
from alabelbox._exceptions import ExportDownloadError, ExportError, ExportStreamNotFoundError, InvalidArgumentError
from alabelbox._export_filters import (
    ExportFilters,
    ExportKind,
    ExportParams,
    build_params,
    build_search_query,
    needs_timezone,
)
from alabelbox._queries.exports import (
    CURRENT_USER_TIMEZONE,
    EXPORT_DATA_ROWS_IN_CATALOG,
    EXPORT_DATA_ROWS_IN_MODEL_RUN,
    EXPORT_DATA_ROWS_IN_PROJECT,
)
from alabelbox._shards import DEFAULT_CONCURRENCY, ShardLocator, ShardStream, fetch_metadata
from alabelbox._streaming import Record
from alabelbox.resources.legacy_exports import LegacyExports
from alabelbox.types.export_row import ExportRow
from alabelbox.types.export_shard import ExportShard
from alabelbox.types.export_task import ExportMetadata, ExportTask, ProgressCallback, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["Exports"]


class _Default(enum.Enum):
    MODEL = "model"


DEFAULT_MODEL = _Default.MODEL

M = TypeVar("M")


class Exports(LegacyExports):
    """Export tasks: :meth:`create`, :meth:`retrieve`, :meth:`poll`, :meth:`create_and_poll`, :meth:`stream`.

    Also the legacy (v1) bulk export, :meth:`export_labels` and :meth:`export_labels_url` (see
    :class:`~alabelbox.resources.legacy_exports.LegacyExports`).
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
            catalog: Export the whole catalog (narrow it with ``filters``).
            filters: :class:`~alabelbox._export_filters.ExportFilters`: dates, ids, batches, workflow status.
            params: :class:`~alabelbox._export_filters.ExportParams`: what each row includes.
            task_name: A name for the task.
            timeout: Limits for the GraphQL calls (default: the client's).

        Returns:
            The new task, IN_PROGRESS. Wait for it with :meth:`ExportTask.wait` or :meth:`poll`.

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
        sources = {
            "project_id": project_id is not None,
            "dataset_id": dataset_id is not None,
            "data_row_ids": data_row_ids is not None,
            "global_keys": global_keys is not None,
            "model_run_id": model_run_id is not None,
            "catalog": bool(catalog),
        }
        named = [name for name, given in sources.items() if given]
        if len(named) != 1:
            raise InvalidArgumentError(
                "source",
                "name exactly one of project_id, dataset_id, data_row_ids, global_keys, model_run_id, catalog=True"
                + (f"; got {', '.join(named)}" if named else ""),
            )
        if task_name is not None and not isinstance(task_name, str):
            raise InvalidArgumentError("task_name", f"expected a string, got {type(task_name).__name__}")
        kind: ExportKind = (
            "project" if project_id is not None else "model_run" if model_run_id is not None else "catalog"
        )
        merged: dict[str, Any] = dict(filters or {})
        for name, ids in (("data_row_ids", data_row_ids), ("global_keys", global_keys)):
            if ids is not None:
                if name in merged:
                    raise InvalidArgumentError(name, "given both as an argument and in filters; give it once")
                merged[name] = ids
        if kind == "model_run" and merged:
            raise InvalidArgumentError("filters", "a model-run export takes no filters")
        wire_params = build_params(params, kind=kind)
        build_search_query(merged, kind=kind)  # validate everything before any request, the timezone lookup too
        timezone = await self._user_timezone(timeout) if needs_timezone(merged) else "UTC"
        query = build_search_query(merged, kind=kind, user_timezone=timezone, dataset_id=dataset_id)
        search = {"scope": None, "query": query}
        document: str
        if kind == "project":
            document = EXPORT_DATA_ROWS_IN_PROJECT
            export_input: dict[str, Any] = {
                "taskName": task_name,
                "isStreamableReady": True,
                "filters": {"projectId": project_id, "searchQuery": search},
                "params": wire_params,
                "streamable": True,
            }
            field = "exportDataRowsInProject"
        elif kind == "model_run":
            document = EXPORT_DATA_ROWS_IN_MODEL_RUN
            export_input = {
                "taskName": task_name,
                "filters": {"modelRunId": model_run_id},
                "isStreamableReady": True,
                "params": wire_params,
                "streamable": True,
            }
            field = "exportDataRowsInModelRun"
        else:
            document = EXPORT_DATA_ROWS_IN_CATALOG
            export_input = {
                "taskName": task_name,
                "filters": {"searchQuery": search},
                "isStreamableReady": True,
                "params": wire_params,
                "streamable": True,
            }
            field = "exportDataRowsInCatalog"
        data = await self._client.execute(document, {"input": export_input}, timeout=timeout)
        created = data[field]
        return ExportTask.bind(
            self._client,
            {"id": created["taskId"], "isStreamable": created.get("isStreamable", True), "name": task_name},
        )

    async def _user_timezone(self, timeout: TimeoutArg) -> str:
        if self._timezone is None:
            data = await self._client.execute(CURRENT_USER_TIMEZONE, timeout=timeout)
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
        if not task_id or not isinstance(task_id, str):
            raise InvalidArgumentError("task_id", f"expected a task id, got {task_id!r}")
        task = ExportTask.bind(self._client, {"id": task_id})
        return await task.refresh(timeout=timeout)

    async def poll(
        self,
        task: ExportTask | str,
        *,
        timeout: float | None = 7200.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
    ) -> ExportTask:
        """Wait for a task to finish: :meth:`ExportTask.wait` for a task or a task id.

        Example:
            >>> task = await client.exports.poll(task.id, timeout=600)
        """
        bound = self._bind(task)
        return await bound.wait(
            timeout=timeout, poll_interval=poll_interval, max_poll_interval=max_poll_interval, on_progress=on_progress
        )

    async def create_and_poll(
        self,
        *,
        wait_timeout: float | None = 7200.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
        **create: Any,
    ) -> ExportTask:
        """:meth:`create` then :meth:`poll`: the task, COMPLETE.

        Args:
            wait_timeout: Seconds to wait for the task (:class:`ExportTimeoutError` after).
            poll_interval: First interval between polls; it grows by half each time.
            max_poll_interval: Longest interval between polls.
            on_progress: Called with the task after each poll.
            **create: The arguments of :meth:`create`.

        Example:
            >>> task = await client.exports.create_and_poll(project_id=project_id, wait_timeout=600)
        """
        task = await self.create(**create)
        return await task.wait(
            timeout=wait_timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
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
        return await fetch_metadata(self._client, self._bind(task).id, StreamType(stream_type))

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
        if isinstance(task, ExportTask) and not task.is_done:
            raise ExportError(
                f"export task {task.id} is {task.status.value}: wait for the task first "
                "(`await task.wait()`), then stream it"
            )
        stream_type = StreamType(stream_type)
        if model is DEFAULT_MODEL:
            model = ExportRow if stream_type is StreamType.RESULT else None
        return ShardStream(
            self._client,
            self._bind(task).id,
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
        if isinstance(task, ExportTask) and not task.is_done:
            raise ExportError(f"export task {task.id} is {task.status.value}: wait for the task first")
        bound = self._bind(task)
        stream_type = StreamType(stream_type)
        metadata = await fetch_metadata(self._client, bound.id, stream_type)
        if metadata is None:
            if missing_ok:
                return []
            raise ExportStreamNotFoundError(f"export task {bound.id} has no {stream_type.value} stream")
        if metadata.total_size == 0:
            return []
        locator = ShardLocator(self._client, bound.id, stream_type, metadata, lookahead=DEFAULT_CONCURRENCY)
        first = await locator.by_offset(0)
        if first.byte_start != 0 or first.line_start != 0:
            raise ExportDownloadError(
                f"export task {bound.id}: the first shard starts at byte {first.byte_start}, line {first.line_start}"
            )
        shards: list[ExportShard] = []
        async with aclosing(locator.chain(first)) as chain:
            async for info in chain:
                shards.append(
                    ExportShard(
                        task_id=bound.id,
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
                f"export task {bound.id}: the shards hold {shards[-1].byte_end + 1} bytes, the metadata header says "
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

    def _bind(self, task: ExportTask | str) -> ExportTask:
        if isinstance(task, ExportTask):
            if task._client is None:
                task._client = self._client
            return task
        if not task or not isinstance(task, str):
            raise InvalidArgumentError("task", f"expected an ExportTask or a task id, got {task!r}")
        return ExportTask.bind(self._client, {"id": task})
