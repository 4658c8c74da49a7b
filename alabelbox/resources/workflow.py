"""``client.workflow``: a project's task queues, moving data rows between them, labeling priorities, and the
counts of its rows by status."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import RootModel, TypeAdapter

from alabelbox._exceptions import InvalidArgumentError, ResponseModelError
from alabelbox._pagination import Paginator
from alabelbox._queries.workflow import (
    ADD_DATA_ROWS_TO_TASK_QUEUE_ASYNC,
    CREATE_QUEUE_PRIORITY_UPDATE_TASK,
    EXTEND_RESERVATIONS_BY_QUEUE,
    GET_PROJECT_TASK_QUEUES,
    LIST_LABELING_PARAMETER_OVERRIDES,
    PROJECT_GET_OVERVIEW,
    SET_LABELING_PARAMETER_OVERRIDES,
    TOGGLE_MODEL_ASSISTED_LABELING,
    UNSET_LABELING_PARAMETER_OVERRIDES,
)
from alabelbox._validation import check_id, check_ids, check_positive_int
from alabelbox.resources._base import COUNT, DEFAULT, Resource, TimeoutArg, operation_of
from alabelbox.resources.batches import settle
from alabelbox.types.task import Task
from alabelbox.types.workflow import LabelingPriority, ProjectOverview, TaskQueue

__all__ = ["MAX_PRIORITY_ROWS", "Workflow"]

#: The most rows one :meth:`Workflow.set_priority` call takes (the API's limit).
MAX_PRIORITY_ROWS = 1_000_000
#: The SDK's bound for waiting on a workflow task: two hours.
DEFAULT_WAIT_TIMEOUT = 7200.0
#: The most batch ids one overview is limited to (the SDK's limit).
MAX_OVERVIEW_BATCHES = 1_000
_INT32 = (-(2**31), 2**31 - 1)
_FLAG: TypeAdapter[bool] = TypeAdapter(bool)


def _identifiers(data_row_ids: Iterable[str] | None, global_keys: Iterable[str] | None) -> dict[str, Any]:
    """``{"ids": [...], "idType": "ID" | "GKEY"}``: exactly one of the two lists, not empty."""
    if (data_row_ids is None) == (global_keys is None):
        raise InvalidArgumentError("data_row_ids", "give data_row_ids or global_keys (one of the two)")
    if data_row_ids is not None:
        ids, kind, argument = check_ids("data_row_ids", data_row_ids), "ID", "data_row_ids"
    else:
        ids, kind, argument = check_ids("global_keys", global_keys or []), "GKEY", "global_keys"
    if not ids:
        raise InvalidArgumentError(argument, "must name at least one data row")
    return {"ids": ids, "idType": kind}


def _priority(argument: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not _INT32[0] <= value <= _INT32[1]:
        raise InvalidArgumentError(argument, f"must be a 32-bit integer (lower is labeled first), got {value!r}")
    return value


class Workflow(Resource):
    """A project's workflow: ``client.workflow``.

    Example:
        >>> queues = await client.workflow.task_queues(project_id)
        >>> [q.name for q in queues]
        ['Initial labeling task', 'Initial review task', 'Done']
    """

    async def task_queues(self, project_id: str, *, timeout: TimeoutArg = DEFAULT) -> list[TaskQueue]:
        """The project's task queues, in workflow order, each with how many rows wait in it.

        Example:
            >>> batch = await client.batches.create(project_id, "to label", data_row_ids=row_ids[:3])
            >>> queues = await client.workflow.task_queues(project_id)
            >>> queues[0].name, queues[0].data_row_count >= 3
            ('Initial labeling task', True)
        """
        variables = {"projectId": check_id("project_id", project_id)}
        queues = await self._retrieve(
            GET_PROJECT_TASK_QUEUES,
            variables,
            RootModel[builtins.list[TaskQueue]],
            path=("project", "taskQueues"),
            timeout=timeout,
            experimental=True,
        )
        return queues.root

    async def move_data_rows(
        self,
        project_id: str,
        queue_id: str | None,
        *,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Move rows of the project to a task queue (None: to Done), and wait for the server's task.

        Args:
            project_id: The project.
            queue_id: The queue (see :meth:`task_queues`), or None for Done.
            data_row_ids: The rows, by id (or ``global_keys``: one of the two).
            global_keys: The rows, by global key.
            wait_timeout: Seconds to wait for the task; None waits forever.
            timeout: Limits for each request, overriding the client's.

        Returns:
            The finished task.

        Raises:
            TaskFailedError: The move failed (for example, a row is not in the project); its ``errors`` say which.

        Example:
            >>> batch = await client.batches.create(project_id, "to review", data_row_ids=row_ids[:3])
            >>> review = (await client.workflow.task_queues(project_id))[1]
            >>> task = await client.workflow.move_data_rows(project_id, review.id, data_row_ids=row_ids[:2])
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        check_id("project_id", project_id)
        if queue_id is not None:
            check_id("queue_id", queue_id)
        variables = {
            "projectId": project_id,
            "queueId": queue_id,
            "dataRowIdentifiers": _identifiers(data_row_ids, global_keys),
        }
        task = await self._create_task(
            ADD_DATA_ROWS_TO_TASK_QUEUE_ASYNC,
            variables,
            path=("project", "createBulkAddRowsToQueueTask"),
            timeout=timeout,
            experimental=True,
        )
        return await settle(self._client, task, wait_timeout=wait_timeout, timeout=timeout)

    async def set_priorities(
        self,
        project_id: str,
        priorities: Mapping[str, int] | Iterable[tuple[str, int]],
        *,
        by: str = "id",
        timeout: TimeoutArg = DEFAULT,
    ) -> None:
        """Set each row's labeling priority (a labeling parameter override; lower is labeled first).

        The server applies all or none: a row not in the project refuses the whole call.

        Args:
            project_id: The project.
            priorities: ``{row: priority}`` or ``[(row, priority), ...]``; a priority is a 32-bit integer.
            by: ``"id"`` if the rows are data row ids, ``"global_key"`` if they are global keys.
            timeout: Limits for this request, overriding the client's.

        Raises:
            InvalidArgumentError: A bad row or priority (``priorities[2]: ...``), before anything is sent.

        Example:
            >>> batch = await client.batches.create(project_id, "urgent", data_row_ids=row_ids[:3])
            >>> await client.workflow.set_priorities(project_id, {row_ids[0]: 1, row_ids[1]: 2})
            >>> [(p.data_row_id, p.priority) for p in await client.workflow.priorities(project_id)][:1]
            [('...', 1)]
        """
        check_id("project_id", project_id)
        kinds = {"id": "ID", "global_key": "GKEY"}
        if by not in kinds:
            raise InvalidArgumentError("by", f"must be 'id' or 'global_key', not {by!r}")
        items = builtins.list(priorities.items() if isinstance(priorities, Mapping) else priorities)
        data = []
        for index, item in enumerate(items):
            if not isinstance(item, tuple) or len(item) != 2:
                raise InvalidArgumentError(f"priorities[{index}]", f"must be a (row, priority) pair, not {item!r}")
            row = check_id(f"priorities[{index}]", item[0])
            priority = _priority(f"priorities[{index}]", item[1])
            data.append({"dataRowIdentifier": {"id": row, "idType": kinds[by]}, "priority": priority})
        if not data:
            raise InvalidArgumentError("priorities", "must name at least one data row")
        ok = await self._mutate(
            SET_LABELING_PARAMETER_OVERRIDES,
            {"projectId": project_id, "data": data},
            path=("project", "setLabelingParameterOverrides", "success"),
            timeout=timeout,
            idempotent=True,
        )
        if ok is not True:
            raise ResponseModelError(f"success is {ok!r}", operation=operation_of(SET_LABELING_PARAMETER_OVERRIDES)[0])

    async def set_priority(
        self,
        project_id: str,
        priority: int,
        *,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Give up to 1,000,000 rows one labeling priority, by a server task (``createQueuePriorityUpdateTask``).

        Raises:
            TaskFailedError: The update failed (for example, a row is not in the project); nothing changed.

        Example:
            >>> batch = await client.batches.create(project_id, "urgent", data_row_ids=row_ids)
            >>> task = await client.workflow.set_priority(project_id, 1, data_row_ids=row_ids)
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        check_id("project_id", project_id)
        identifiers = _identifiers(data_row_ids, global_keys)
        if len(identifiers["ids"]) > MAX_PRIORITY_ROWS:
            raise InvalidArgumentError(
                "data_row_ids", f"{len(identifiers['ids'])} rows: one update takes at most {MAX_PRIORITY_ROWS}"
            )
        task = await self._create_task(
            CREATE_QUEUE_PRIORITY_UPDATE_TASK,
            {"priority": _priority("priority", priority), "projectId": project_id, "dataRowIdentifiers": identifiers},
            path=("project", "createQueuePriorityUpdateTask"),
            timeout=timeout,
        )
        return await settle(self._client, task, wait_timeout=wait_timeout, timeout=timeout)

    async def unset_priorities(
        self, project_id: str, data_row_ids: Iterable[str], *, timeout: TimeoutArg = DEFAULT
    ) -> None:
        """Remove the rows' labeling parameter overrides: they take their batch's priority again.

        Example:
            >>> batch = await client.batches.create(project_id, "urgent", data_row_ids=row_ids[:3])
            >>> await client.workflow.set_priorities(project_id, {row_ids[0]: 1})
            >>> await client.workflow.unset_priorities(project_id, row_ids[:1])
            >>> [p async for p in client.workflow.priorities(project_id)]
            []
        """
        check_id("project_id", project_id)
        ids = check_ids("data_row_ids", data_row_ids)
        if not ids:
            raise InvalidArgumentError("data_row_ids", "must name at least one data row")
        ok = await self._mutate(
            UNSET_LABELING_PARAMETER_OVERRIDES,
            {"projectId": project_id, "data": [{"dataRowId": i} for i in ids]},
            path=("project", "unsetLabelingParameterOverrides", "success"),
            timeout=timeout,
            idempotent=True,
        )
        if ok is not True:
            raise ResponseModelError(
                f"success is {ok!r}", operation=operation_of(UNSET_LABELING_PARAMETER_OVERRIDES)[0]
            )

    def priorities(
        self, project_id: str, *, page_size: int = 100, timeout: TimeoutArg = DEFAULT
    ) -> Paginator[LabelingPriority]:
        """The project's labeling parameter overrides: the rows given a priority of their own.

        Example:
            >>> batch = await client.batches.create(project_id, "urgent", data_row_ids=row_ids[:3])
            >>> await client.workflow.set_priorities(project_id, [(row_ids[0], 1), (row_ids[1], 2)])
            >>> [p.priority for p in await client.workflow.priorities(project_id)]
            [1, 2]
        """
        check_id("project_id", project_id)
        return self._offset_listing(
            LIST_LABELING_PARAMETER_OVERRIDES,
            {"projectId": project_id},
            LabelingPriority,
            path=("project", "labelingParameterOverrides"),
            page_size=check_positive_int("page_size", page_size),
            window=1,
            timeout=timeout,
        )

    async def overview(
        self, project_id: str, *, batch_ids: Iterable[str] | None = None, timeout: TimeoutArg = DEFAULT
    ) -> ProjectOverview:
        """How many of the project's rows are in each state (to label, in review, in rework, done...).

        Args:
            project_id: The project.
            batch_ids: Count only the rows of these batches (up to 1,000); ``issues`` is then None.
            timeout: Limits for this request, overriding the client's.

        Example:
            >>> overview = await client.workflow.overview(project_id)
            >>> overview.to_label + overview.in_review + overview.in_rework + overview.done == overview.total_data_rows
            True
        """
        check_id("project_id", project_id)
        ids = None
        if batch_ids is not None:
            ids = check_ids("batch_ids", batch_ids)
            if not ids or len(ids) > MAX_OVERVIEW_BATCHES:
                raise InvalidArgumentError("batch_ids", f"must hold 1 to {MAX_OVERVIEW_BATCHES} ids, got {len(ids)}")
        count_input = (
            None
            if ids is None
            else {
                "searchQuery": {
                    "scope": {"projectId": project_id},
                    "query": [{"ids": ids, "operator": "is", "type": "batch"}],
                }
            }
        )
        variables = {"projectId": project_id, "batchIds": ids, "countInput": count_input, "includeIssues": ids is None}
        operation = operation_of(PROJECT_GET_OVERVIEW)[0]
        answer = await self._retrieve(
            PROJECT_GET_OVERVIEW,
            variables,
            RootModel[dict[str, Any]],
            path=("project",),
            timeout=timeout,
            experimental=True,
        )
        project = answer.root
        try:
            states = {str(s["state"]): int(s["count"]) for s in project["workstreamStateCounts"]}
            queues = tuple((str(q["name"]), int(q.get("dataRowCount") or 0)) for q in project["taskQueues"])
            return ProjectOverview(
                to_label=states.get("Unlabeled", 0),
                in_review=states.get("InReview", 0),
                in_rework=states.get("InRework", 0),
                skipped=states.get("Skipped", 0),
                done=states.get("Done", 0),
                labeled=states.get("Labeled", 0),
                total_data_rows=states.get("All", 0),
                issues=None if ids is not None else int((project.get("issues") or {}).get("totalCount") or 0),
                queues=queues,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ResponseModelError(
                f"the overview does not have the expected shape: {exc!r}", operation=operation
            ) from exc

    async def extend_reservations(self, project_id: str, queue_type: str, *, timeout: TimeoutArg = DEFAULT) -> int:
        """Extend every reservation the caller holds in the project's labeling or review queue.

        Args:
            project_id: The project.
            queue_type: ``"LabelingQueue"`` or ``"ReviewQueue"``.
            timeout: Limits for this request, overriding the client's.

        Returns:
            How many reservations were extended.

        Raises:
            InvalidArgumentError: ``queue_type`` is neither queue, before anything is sent.

        Example:
            >>> await client.workflow.extend_reservations(project_id, "LabelingQueue")
            0
        """
        check_id("project_id", project_id)
        query = EXTEND_RESERVATIONS_BY_QUEUE.get(queue_type) if isinstance(queue_type, str) else None
        if query is None:
            raise InvalidArgumentError("queue_type", f"must be 'LabelingQueue' or 'ReviewQueue', not {queue_type!r}")
        return await self._value(
            query, {"projectId": project_id}, COUNT, path=("extendReservations",), timeout=timeout, idempotent=True
        )

    async def show_predictions_to_labelers(
        self, project_id: str, show: bool = True, *, timeout: TimeoutArg = DEFAULT
    ) -> bool:
        """Turn model-assisted labeling on or off: whether labelers see the project's imported predictions.

        Args:
            project_id: The project.
            show: True to show the predictions in the editor, False to hide them.
            timeout: Limits for this request, overriding the client's.

        Returns:
            The project's setting after the call.

        Example:
            >>> await client.workflow.show_predictions_to_labelers(project_id)
            True
            >>> await client.workflow.show_predictions_to_labelers(project_id, False)
            False
        """
        check_id("project_id", project_id)
        if not isinstance(show, bool):
            raise InvalidArgumentError("show", f"must be True or False, not {show!r}")
        return await self._value(
            TOGGLE_MODEL_ASSISTED_LABELING,
            {"project_id": project_id, "show": show},
            _FLAG,
            path=("project", "showPredictionsToLabelers", "showingPredictionsToLabelers"),
            timeout=timeout,
            idempotent=True,
        )
