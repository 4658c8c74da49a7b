"""Export tasks: :class:`ExportTask` (status, progress, errors; ``wait`` and ``download``) and :class:`StreamType`.

An export runs on the server as a task. Create it with ``client.exports.create(...)``, wait for it with
:meth:`ExportTask.wait`, then read it with ``client.exports.stream(task)`` or save it with
:meth:`ExportTask.download`.
"""

from __future__ import annotations

import enum
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from alabelbox._config import USE_CLIENT_DEFAULT, TimeoutArg
from alabelbox._exceptions import (
    ExportTaskFailedError,
    ExportTimeoutError,
    InvalidArgumentError,
    ResourceNotFoundError,
)
from alabelbox._polling import poll_until, user_schedule
from alabelbox._queries.tasks import GET_USER_CREATED_TASKS
from alabelbox.types.task import TaskStatus, task_errors

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["DownloadProgress", "ExportMetadata", "ExportTask", "StreamType", "TaskStatus"]

logger = logging.getLogger("alabelbox.exports")


class StreamType(enum.StrEnum):
    """Which stream of an export task to read (the API's ``TaskStreamType``)."""

    RESULT = "RESULT"
    """The exported rows."""
    ERRORS = "ERRORS"
    """Rows that could not be exported, with their errors."""


@dataclass(frozen=True, slots=True)
class ExportMetadata:
    """The size of one stream of a finished task (``exportMetadataHeader``)."""

    total_size: int
    """Bytes in the stream, all shards together."""
    total_lines: int
    """Lines (rows) in the stream."""


@dataclass(frozen=True, slots=True)
class DownloadProgress:
    """How far :meth:`ExportTask.download` has got: handed to its ``on_progress`` callback."""

    bytes_done: int
    total_bytes: int
    lines_done: int
    total_lines: int

    @property
    def fraction(self) -> float:
        """Done, from 0.0 to 1.0 (1.0 for an empty stream)."""
        return 1.0 if self.total_bytes == 0 else self.bytes_done / self.total_bytes


ProgressCallback = Callable[[Any], "Awaitable[None] | None"]


class ExportTask(BaseModel):
    """An export task on the server, as last seen. :meth:`refresh` and :meth:`wait` update it in place.

    Example:
        >>> task = await client.exports.create(project_id=project_id)
        >>> task = await task.wait(timeout=600, on_progress=lambda t: print(t.completion_percentage))
        >>> async with client.exports.stream(task) as rows:
        ...     async for row in rows:
        ...         print(row.offset, row.line, row.value.data_row.id)
    """

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    id: str
    name: str | None = None
    status: TaskStatus = TaskStatus.IN_PROGRESS
    completion_percentage: float | None = Field(default=None, alias="completionPercentage")
    """0 to 100, as the server reports it."""
    created_at: str | None = Field(default=None, alias="createdAt")
    updated_at: str | None = Field(default=None, alias="updatedAt")
    type: str | None = None
    """``export-data-rows`` for exports."""
    errors: Any = None
    """What the server reported as the task's errors (None when there are none)."""
    result: Any = None
    metadata: Any = None
    is_streamable: bool = Field(default=True, alias="isStreamable")

    _client: Client | None = PrivateAttr(default=None)

    @classmethod
    def bind(cls, client: Client, data: dict[str, Any]) -> ExportTask:
        """Build a task from the API's fields and attach the client that polls it."""
        task = cls.model_validate(data)
        task._client = client
        return task

    @property
    def client(self) -> Client:
        if self._client is None:
            raise InvalidArgumentError("task", "this ExportTask is not bound to a client; use client.exports.retrieve")
        return self._client

    @property
    def is_done(self) -> bool:
        """Whether the task has stopped (COMPLETE, FAILED, CANCELED, or a status this client does not know)."""
        return self.status not in (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLING)

    async def refresh(self, *, timeout: TimeoutArg = USE_CLIENT_DEFAULT) -> ExportTask:
        """Fetch the task's current state from the server.

        Raises:
            ResourceNotFoundError: The key's user has no task with this id.

        Example:
            >>> task = await task.refresh()
            >>> task.status, task.completion_percentage
            (<TaskStatus.COMPLETE: 'COMPLETE'>, 100.0)
        """
        data = await self.client.execute(GET_USER_CREATED_TASKS, {"taskId": self.id}, timeout=timeout)
        tasks = ((data.get("user") or {}).get("createdTasks")) or []
        if not tasks:
            raise ResourceNotFoundError(f"export task {self.id} not found among the tasks of this API key's user")
        fresh = type(self).model_validate(tasks[0])
        for name in ExportTask.model_fields:
            if name != "is_streamable":
                setattr(self, name, getattr(fresh, name))
        return self

    def raise_for_status(self) -> None:
        """Raise :class:`ExportTaskFailedError` if the task FAILED or was canceled."""
        if self.status in (TaskStatus.FAILED, TaskStatus.CANCELED, TaskStatus.CANCELLING):
            errors = task_errors(self.errors)
            detail = "; ".join(str(e.get("message") or e.get("error") or e) for e in errors[:3])
            verb = "failed" if self.status is TaskStatus.FAILED else "was canceled"
            raise ExportTaskFailedError(
                f"export task {self.id} {verb}" + (f": {detail}" if detail else " (the server gave no errors)"),
                errors=errors,
            )

    async def wait(
        self,
        *,
        timeout: float | None = 7200.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: ProgressCallback | None = None,
    ) -> ExportTask:
        """Poll until the task is done; raise if it failed or the time ran out.

        The first poll is immediate. A finished task is noticed within ``poll_interval`` seconds or a tenth of the
        time waited so far, whichever is longer (never more than ``max_poll_interval``); while the task reports a
        moving percentage, the next poll goes when that predicts the end (see :class:`alabelbox._polling.PollSchedule`).
        A 429 is waited out and slows the polls. Unlike the SDK's ``wait_till_done``, running out of time raises.

        Args:
            timeout: Seconds to wait in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds (the SDK polls every 2 s).
            max_poll_interval: The longest wait between two polls.
            on_progress: Called with the task after each poll (a coroutine function is awaited).

        Returns:
            The task itself, COMPLETE.

        Raises:
            ExportTimeoutError: ``timeout`` seconds passed with the task still running (it goes on on the server).
            ExportTaskFailedError: The task FAILED or was canceled; ``errors`` holds what the server reported.

        Example:
            >>> task = await task.wait(timeout=600, poll_interval=2)
            >>> task.is_done
            True
        """
        if poll_interval <= 0 or max_poll_interval < poll_interval:
            raise InvalidArgumentError(
                "poll_interval", f"must be > 0 and <= max_poll_interval, got {poll_interval} and {max_poll_interval}"
            )
        if timeout is not None and timeout <= 0:
            raise InvalidArgumentError("timeout", f"must be > 0 or None, got {timeout}")

        def on_timeout(_last: object, seconds: float) -> ExportTimeoutError:
            return ExportTimeoutError(
                f"export task {self.id} still {self.status.value} after {seconds} s "
                f"({self.completion_percentage or 0:.0f}% done); it goes on on the server: wait again or retrieve it"
            )

        await poll_until(
            self.refresh,
            lambda task: task.is_done,
            wait_timeout=timeout,
            on_progress=on_progress,
            progress=lambda task: task.completion_percentage,
            schedule=user_schedule(poll_interval, max_poll_interval),
            on_timeout=on_timeout,
        )
        self.raise_for_status()
        if self.status is not TaskStatus.COMPLETE:
            logger.warning("export task %s ended with an unknown status", self.id)
        return self

    async def download(
        self,
        path: str | os.PathLike[str],
        *,
        format: Literal["ndjson", "json"] = "ndjson",
        stream_type: StreamType = StreamType.RESULT,
        resume: bool = True,
        concurrency: int | None = None,
        on_progress: Callable[[DownloadProgress], Awaitable[None] | None] | None = None,
    ) -> DownloadProgress:
        """Save the stream to ``path``, atomically: ``<path>.part`` first, renamed when complete.

        Bytes are copied as they arrive (no parsing). A ``.part`` left by an interrupted download is continued
        from its last complete line, so nothing is downloaded twice.

        Args:
            path: The file to write. It appears only when the download is complete.
            format: ``"ndjson"``: the export's own lines. ``"json"``: one JSON array, one row per line.
            stream_type: RESULT or ERRORS.
            resume: Continue a ``<path>.part`` if there is one; False starts over.
            concurrency: Shards in flight at once (default: the streamer's).
            on_progress: Called with a :class:`DownloadProgress` (bytes and lines from the metadata header) as
                bytes arrive; a coroutine function is awaited.

        Returns:
            The final progress: the whole stream.

        Raises:
            ExportStreamNotFoundError: The task has no such stream (an empty export writes an empty file instead:
                an empty array for ``json``).
            ExportDownloadError: A shard could not be downloaded after retries.

        Example:
            >>> await task.download("export.ndjson", on_progress=lambda p: print(f"{p.fraction:.0%}"))
        """
        from alabelbox._export_download import download_task

        return await download_task(
            self.client,
            self.id,
            path,
            format=format,
            stream_type=stream_type,
            resume=resume,
            concurrency=concurrency,
            on_progress=on_progress,
        )

    def __repr__(self) -> str:
        return f"<ExportTask id={self.id!r} status={self.status.value} completion={self.completion_percentage}>"
