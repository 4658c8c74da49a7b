"""``client.tasks``: a server-side task by id, and waiting for one to finish."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import ResourceNotFoundError, TaskFailedError, WaitTimeoutError
from alabelbox._pagination import Paginator
from alabelbox._polling import poll_until, user_schedule
from alabelbox._queries.tasks import GET_USER_CREATED_TASKS, LIST_USER_CREATED_TASKS
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, dig, operation_of, parse, parse_many
from alabelbox.types.task import Task, TaskStatus, task_errors

__all__ = ["Tasks", "check_task", "retrieve_task", "wait_for_task"]

logger = logging.getLogger("alabelbox.tasks")

TaskT = TypeVar("TaskT", bound=Task)

#: The SDK's own bound for ``wait_till_done``: two hours.
DEFAULT_WAIT_TIMEOUT = 7200.0


def check_task(task: TaskT, *, kind: str = "task", error: type[TaskFailedError] = TaskFailedError) -> TaskT:
    """Return ``task`` if it did not fail; raise :class:`~alabelbox.TaskFailedError` if it FAILED or was canceled.

    Args:
        task: The task as last seen.
        kind: How the message names it (``"export task"``).
        error: The subclass of :class:`~alabelbox.TaskFailedError` to raise.

    Example:
        >>> check_task(Task(id="t1", status="COMPLETE")).id
        't1'
        >>> check_task(Task(id="t2", status="FAILED", errors="no such dataset"))
        Traceback (most recent call last):
        ...
        alabelbox._exceptions.TaskFailedError: task t2 failed: no such dataset
    """
    if task.status in (TaskStatus.FAILED, TaskStatus.CANCELED, TaskStatus.CANCELLING):
        errors = task_errors(task.errors)
        detail = "; ".join(str(e.get("message") or e.get("error") or e) for e in errors[:3])
        verb = "failed" if task.status is TaskStatus.FAILED else "was canceled"
        raise error(
            f"{kind} {task.id} {verb}" + (f": {detail}" if detail else " (the server gave no errors)"),
            task_id=task.id,
            errors=errors,
        )
    return task


async def retrieve_task(
    resource: Resource, task_id: str, model: type[TaskT], *, kind: str = "task", timeout: TimeoutArg = DEFAULT
) -> TaskT:
    """The one retrieve behind every task kind's: the key's user's task by id, parsed as ``model``.

    Raises:
        ResourceNotFoundError: The key's user has no task with this id.
    """
    operation, _ = operation_of(GET_USER_CREATED_TASKS)
    data = await resource._execute(GET_USER_CREATED_TASKS, {"taskId": check_id("task_id", task_id)}, timeout=timeout)
    user = data.get("user") or {}
    tasks = user.get("createdTasks") or []
    if not tasks:
        raise ResourceNotFoundError(
            f"{kind} {task_id} not found among the tasks of this API key's user", operation=operation
        )
    return parse(model, _with_creator(tasks[0], user), operation)


def _with_creator(task: Any, user: Mapping[str, Any]) -> Any:
    """``task`` with ``createdBy``: the user among whose ``createdTasks`` it was found. The API cannot resolve
    ``Task.createdBy`` on the task itself (the SDK says so too)."""
    if isinstance(task, dict) and isinstance(user.get("id"), str) and "createdBy" not in task:
        return {**task, "createdBy": {"id": user["id"]}}
    return task


async def wait_for_task(
    fetch: Callable[[], Awaitable[TaskT]],
    task_id: str,
    *,
    wait_timeout: float | None,
    poll_interval: float,
    max_poll_interval: float,
    on_progress: Callable[[TaskT], Awaitable[None] | None] | None,
    kind: str = "task",
    failed: type[TaskFailedError] = TaskFailedError,
    timed_out: type[WaitTimeoutError] = WaitTimeoutError,
) -> TaskT:
    """The one wait behind every ``wait`` of a task kind: ``fetch`` polled on the user's schedule until done.

    Raises ``timed_out`` when ``wait_timeout`` passes and ``failed`` when the task FAILED or was canceled.
    """
    schedule = user_schedule(poll_interval, max_poll_interval)

    def on_timeout(last: TaskT | None, seconds: float) -> WaitTimeoutError:
        where = f"still {last.status.value} ({last.completion_percentage or 0:.0f}% done)" if last else "unseen"
        return timed_out(
            f"{kind} {task_id} {where} after {seconds} s; it goes on on the server: wait again or retrieve it"
        )

    done = await poll_until(
        fetch,
        lambda state: state.is_done,
        wait_timeout=wait_timeout,
        on_progress=on_progress,
        progress=lambda state: state.completion_percentage,
        schedule=schedule,
        on_timeout=on_timeout,
    )
    check_task(done, kind=kind, error=failed)
    if done.status is not TaskStatus.COMPLETE:
        logger.warning("%s %s ended with an unknown status", kind, task_id)
    return done


class Tasks(Resource):
    """Server-side tasks of the key's user: ``client.tasks``.

    Every kind of long-running work (data-row creation, global-key jobs, imports, exports) is a :class:`Task`; the
    resource that starts it returns it, and this one fetches it again or waits for it.

    Example:
        >>> task = await client.tasks.retrieve(task_id)
        >>> task = await client.tasks.wait(task)
        >>> task.succeeded
        True
    """

    async def retrieve(self, task_id: str, *, timeout: TimeoutArg = DEFAULT) -> Task:
        """The task with this id, as the server sees it now.

        Raises:
            ResourceNotFoundError: The key's user has no task with this id.

        Example:
            >>> task = await client.tasks.retrieve(task_id)
            >>> task.id == task_id
            True
        """
        return await retrieve_task(self, task_id, Task, timeout=timeout)

    def list(
        self, *, page_size: int = DEFAULT_PAGE_SIZE, window: int | None = None, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[Task]:
        """The tasks of the key's user, of every kind, oldest first, as the SDK's ``User.created_tasks()``; each with
        ``created_by`` (the user).

        Example:
            >>> tasks = [t async for t in client.tasks.list()]
            >>> task_id in [t.id for t in tasks], {t.created_by.id for t in tasks} == {user_id}
            (True, True)
        """
        page_size = check_positive_int("page_size", page_size)
        operation, where = operation_of(LIST_USER_CREATED_TASKS)

        async def fetch(skip: int, first: int) -> list[Task]:
            data = await self._execute(LIST_USER_CREATED_TASKS, {"skip": skip, "first": first}, timeout=timeout)
            user = dig(data, where, operation)
            tasks = dig(user, ("createdTasks",), operation)
            if not isinstance(tasks, list):
                return parse_many(Task, tasks, operation)
            return parse_many(Task, [_with_creator(t, user) for t in tasks], operation)

        pool = self._client._pool.limits.max_concurrent_requests  # the adaptive window never outgrows the pool
        return Paginator.offset(fetch, page_size=page_size, window=window, max_window=pool)

    async def wait(
        self,
        task: Task | str,
        *,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        on_progress: Callable[[Task], Awaitable[None] | None] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Poll the task until it is done; return it, or raise if it failed or the time ran out.

        The first poll is immediate. A finished task is noticed within ``poll_interval`` seconds or a tenth of the
        time waited so far, whichever is longer (never more than ``max_poll_interval``); a task that reports a
        moving percentage is looked at when that predicts the end. A 429 is waited out and slows the polls.

        Args:
            task: The task, or its id.
            wait_timeout: Seconds to wait in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds (the SDK polls every 2 s).
            max_poll_interval: The longest wait between two polls.
            on_progress: Called with the task after each poll (a coroutine function is awaited).
            timeout: Limits for each poll request, overriding the client's.

        Returns:
            The task, done: COMPLETE (or a status this client does not know, logged as a warning).

        Raises:
            WaitTimeoutError: ``wait_timeout`` passed with the task still running (it goes on on the server).
            TaskFailedError: The task FAILED or was canceled; ``errors`` holds what the server reported.

        Example:
            >>> task = await client.tasks.wait(task_id, wait_timeout=600)
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        task_id = check_id("task", task if isinstance(task, str) else task.id)
        return await wait_for_task(
            lambda: self.retrieve(task_id, timeout=timeout),
            task_id,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_progress=on_progress,
        )
