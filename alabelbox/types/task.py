"""Server-side tasks: :class:`Task` (status, progress, errors, result) and :class:`TaskStatus`.

Long-running work (data-row creation, global-key jobs, batch creation from a dataset, imports, exports) runs on the
server as a task. A :class:`Task` is plain data, as last seen: it holds no client and does no I/O. Its behaviour is
on the resource: ``await client.tasks.retrieve(task_id)`` fetches it again and ``await client.tasks.wait(task)``
polls it until it is done.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from alabelbox.types._api import ApiModel
from alabelbox.types.user import UserRef

__all__ = ["Task", "TaskStatus", "task_errors"]


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


#: The statuses of a task that has not stopped yet.
RUNNING = frozenset({TaskStatus.IN_PROGRESS, TaskStatus.CANCELLING})


class Task(ApiModel):
    """A task on the server, as last seen (frozen; fetch it again with ``client.tasks.retrieve``).

    Example:
        >>> task = await client.tasks.retrieve(task_id)
        >>> task = await client.tasks.wait(task, wait_timeout=600)
        >>> task.status, task.is_done
        (<TaskStatus.COMPLETE: 'COMPLETE'>, True)
    """

    id: str
    name: str | None = None
    type: str | None = None
    """What kind of work it is (``export-data-rows``, ``add-data-rows-to-dataset``, ...), as the server names it."""
    status: TaskStatus = TaskStatus.IN_PROGRESS
    completion_percentage: float | None = None
    """0 to 100, as the server reports it (some kinds report none)."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    errors: Any = None
    """What the server reported as the task's errors: None, JSON, or the URL of a JSON file, by kind."""
    result: Any = None
    """The task's result: None, JSON, or the URL of a JSON file, by kind."""
    metadata: Any = None
    created_by: UserRef | None = None
    """Who created the task (its ``id`` only): the API key's user, among whose tasks it was found (the SDK's
    ``Task.created_by``, which the API cannot resolve on the task itself)."""

    @property
    def is_done(self) -> bool:
        """Whether the task has stopped (COMPLETE, FAILED, CANCELED, or a status this client does not know)."""
        return self.status not in RUNNING

    @property
    def succeeded(self) -> bool:
        """Whether the task is COMPLETE."""
        return self.status is TaskStatus.COMPLETE

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} id={self.id!r} type={self.type!r} status={self.status.value} "
            f"completion={self.completion_percentage}>"
        )


def task_errors(errors: Any) -> list[dict[str, Any]]:
    """The errors a task reported, as a list of objects (``[]`` when there are none).

    Example:
        >>> task_errors(None), task_errors("boom"), task_errors({"message": "bad row"})
        ([], [{'message': 'boom'}], [{'message': 'bad row'}])
    """
    if errors is None or errors == "":
        return []
    if isinstance(errors, dict):
        return [errors]
    if isinstance(errors, list):
        return [e if isinstance(e, dict) else {"message": str(e)} for e in errors]
    return [{"message": str(errors)}]
