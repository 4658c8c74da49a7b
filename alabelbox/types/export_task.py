"""Export tasks as data: :class:`ExportTask` (status, progress, errors) and :class:`StreamType`.

An export runs on the server as a task. Create it with ``client.exports.create(...)``, wait for it with
``client.exports.wait(task)``, then read it with ``client.exports.stream(task)`` or save it with
``client.exports.download(task, path)``. Nothing here talks to the network.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from alabelbox.types.task import Task, TaskStatus

__all__ = ["DownloadProgress", "ExportMetadata", "ExportTask", "StreamType", "TaskStatus"]


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
    """How far ``client.exports.download`` has got: handed to its ``on_progress`` callback."""

    bytes_done: int
    total_bytes: int
    lines_done: int
    total_lines: int

    @property
    def fraction(self) -> float:
        """Done, from 0.0 to 1.0 (1.0 for an empty stream)."""
        return 1.0 if self.total_bytes == 0 else self.bytes_done / self.total_bytes


ProgressCallback = Callable[[Any], "Awaitable[None] | None"]


class ExportTask(Task):
    """An export task as the server last reported it: a :class:`~alabelbox.types.Task` that can be streamed.

    Frozen data, with no client inside. ``client.exports`` does everything with it:
    :meth:`~alabelbox.resources.exports.Exports.retrieve` fetches it again,
    :meth:`~alabelbox.resources.exports.Exports.wait` polls until it is done and returns the finished task,
    :meth:`~alabelbox.resources.exports.Exports.stream` reads it and
    :meth:`~alabelbox.resources.exports.Exports.download` saves it.

    Example:
        >>> task = ExportTask.model_validate({"id": "clt1", "status": "COMPLETE", "completionPercentage": 100})
        >>> task.is_done, task.completion_percentage, task.is_streamable
        (True, 100.0, True)
    """

    is_streamable: bool = True
    """Whether the task's result is read as a stream (every export this client creates is)."""
