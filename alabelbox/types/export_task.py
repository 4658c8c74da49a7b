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

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DownloadProgress", "ExportMetadata", "ExportTask", "StreamType", "TaskStatus"]


class StreamType(enum.StrEnum):
    """Which stream of an export task to read (the API's ``TaskStreamType``)."""

    RESULT = "RESULT"
    """The exported rows."""
    ERRORS = "ERRORS"
    """Rows that could not be exported, with their errors."""


class TaskStatus(enum.StrEnum):
    """Where a task is. Values the API may add later read as ``UNKNOWN``."""

    IN_PROGRESS = "IN_PROGRESS"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELED = "CANCELED"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def _missing_(cls, value: object) -> TaskStatus:
        return cls.UNKNOWN


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


class ExportTask(BaseModel):
    """An export task as the server last reported it: frozen data, with no client inside.

    ``client.exports`` does everything with it: :meth:`~alabelbox.resources.exports.Exports.retrieve` fetches it
    again, :meth:`~alabelbox.resources.exports.Exports.wait` polls until it is done and returns the finished task,
    :meth:`~alabelbox.resources.exports.Exports.stream` reads it and
    :meth:`~alabelbox.resources.exports.Exports.download` saves it.

    Example:
        >>> task = ExportTask.model_validate({"id": "clt1", "status": "COMPLETE", "completionPercentage": 100})
        >>> task.is_done, task.completion_percentage
        (True, 100.0)
    """

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

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

    @property
    def is_done(self) -> bool:
        """Whether the task has stopped (COMPLETE, FAILED, CANCELED, or a status this client does not know)."""
        return self.status not in (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLING)

    @property
    def error_list(self) -> list[dict[str, Any]]:
        """:attr:`errors` as a list of dicts, whatever shape the server gave them (a string, a dict, a list)."""
        return _error_list(self.errors)

    def __repr__(self) -> str:
        return f"<ExportTask id={self.id!r} status={self.status.value} completion={self.completion_percentage}>"


def _error_list(errors: Any) -> list[dict[str, Any]]:
    if errors is None or errors == "":
        return []
    if isinstance(errors, dict):
        return [errors]
    if isinstance(errors, list):
        return [e if isinstance(e, dict) else {"message": str(e)} for e in errors]
    return [{"message": str(errors)}]
