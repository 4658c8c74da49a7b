"""``client.batches``: send data rows to a project in batches, list and read them, remove their queued rows,
delete them, delete their labels.

Exporting a batch is ``client.exports.create(project_id, filters={"batch_ids": [batch_id]})``.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
from pydantic import RootModel

from alabelbox._exceptions import InvalidArgumentError, LabelboxError, ResourceNotFoundError, ResponseModelError
from alabelbox._pagination import Paginator
from alabelbox._queries.batches import (
    ADD_DATA_ROWS_TO_BATCH_ASYNC,
    CREATE_BATCH_V2,
    CREATE_BATCHES_FROM_DATASET,
    CREATE_EMPTY_BATCH,
    DELETE_BATCH,
    DELETE_BATCH_LABELS,
    GET_PROJECT_BATCH,
    GET_PROJECT_BATCHES,
    REMOVE_QUEUED_DATA_ROWS_FROM_BATCH,
)
from alabelbox._validation import check_id, check_ids, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of, parse
from alabelbox.resources.tasks import check_task
from alabelbox.types.batch import Batch, BatchCreation, BatchCreations, BatchSpec
from alabelbox.types.deletion import BatchLabelDeletion
from alabelbox.types.task import Task, task_errors

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["MAX_BATCH_ROWS", "SYNC_BATCH_ROWS", "Batches"]

#: The most data rows one batch holds (the API's limit, checked before sending).
MAX_BATCH_ROWS = 100_000
#: From this many rows on, a batch is created empty and filled by a server task, as the SDK does.
SYNC_BATCH_ROWS = 1_000
#: The SDK's bound for waiting on a batch task: two hours.
DEFAULT_WAIT_TIMEOUT = 7200.0
#: Batches created at once by :meth:`Batches.create_many`.
DEFAULT_CONCURRENCY = 8


def _consensus(argument: str, value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Consensus settings in the API's spelling; ``number_of_labels`` >= 1 and 0 <= ``coverage_percentage`` <= 1."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidArgumentError(argument, f"must be a mapping of consensus settings, not {value!r}")
    names = {"number_of_labels": "numberOfLabels", "coverage_percentage": "coveragePercentage"}
    unknown = sorted(set(value) - set(names) - set(names.values()))
    if unknown:
        raise InvalidArgumentError(argument, f"unknown setting(s) {unknown}; use number_of_labels, coverage_percentage")
    out = {names.get(k, k): v for k, v in value.items()}
    n = out.get("numberOfLabels")
    if n is not None:
        out["numberOfLabels"] = check_positive_int(f"{argument}.number_of_labels", n)
    c = out.get("coveragePercentage")
    if c is not None and (isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 1):
        raise InvalidArgumentError(f"{argument}.coverage_percentage", f"must be a number from 0 to 1, got {c!r}")
    return out


def _priority(argument: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidArgumentError(argument, f"must be an integer from 1 (first) to 5 (last), got {value!r}")
    return value


def _rows(where: str, data_row_ids: Iterable[str] | None, global_keys: Iterable[str] | None) -> tuple[str, list[str]]:
    """``("dataRowIds" | "globalKeys", the ids)``: exactly one of the two, 1 to 100,000 of them."""
    if (data_row_ids is None) == (global_keys is None):
        raise InvalidArgumentError(f"{where}data_row_ids", "give data_row_ids or global_keys (one of the two)")
    field, values = (
        ("dataRowIds", check_ids(f"{where}data_row_ids", data_row_ids))
        if data_row_ids is not None
        else ("globalKeys", check_ids(f"{where}global_keys", global_keys or []))
    )
    argument = f"{where}{'data_row_ids' if field == 'dataRowIds' else 'global_keys'}"
    if not values:
        raise InvalidArgumentError(argument, "a batch needs at least one data row")
    if len(values) > MAX_BATCH_ROWS:
        raise InvalidArgumentError(
            argument, f"{len(values)} data rows: a batch holds at most {MAX_BATCH_ROWS}; split them with create_many"
        )
    return field, values


def _name(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(argument, f"must be a non-empty name, not {value!r}")
    return value


def _failed_from(task: Task) -> tuple[str, ...]:
    """The ids a batch task reports it could not add (where its errors list them)."""
    found: list[str] = []
    for error in task_errors(task.errors):
        failed = error.get("failed") if isinstance(error, dict) else None
        if isinstance(failed, list):
            found.extend(str(f) for f in failed)
    return tuple(found)


async def settle(client: Client, task: Task, *, wait_timeout: float | None, timeout: TimeoutArg) -> Task:
    """``task`` if it is already done (raising if it failed), else what ``client.tasks.wait`` returns: a task the
    server finished at once costs no second look."""
    if task.is_done:
        return check_task(task)
    return await client.tasks.wait(task, wait_timeout=wait_timeout, timeout=timeout)


class Batches(Resource):
    """Batches of a project: ``client.batches``.

    Example:
        >>> batch = await client.batches.create(project_id, "week 1", data_row_ids=row_ids[:3])
        >>> batch.size
        3
    """

    async def create(
        self,
        project_id: str,
        name: str,
        *,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        priority: int = 5,
        consensus: Mapping[str, Any] | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        timeout: TimeoutArg = DEFAULT,
    ) -> Batch:
        """Create a batch of data rows in a project; the rows join its labeling queue.

        Up to 1,000 rows go in one request (``createBatchV2``); more (up to 100,000) are added by a server task
        that this waits for (``createEmptyBatch`` + ``addDataRowsToBatchAsync``), as the SDK does. Rows that cannot
        join (unknown, or already in the project) are listed in the batch's ``failed_data_row_ids``.

        Args:
            project_id: The project.
            name: The batch's name, unique within the project.
            data_row_ids: The rows, by id (or ``global_keys``: one of the two).
            global_keys: The rows, by global key.
            priority: The rows' labeling priority, 1 (first) to 5 (last).
            consensus: ``{"number_of_labels": 3, "coverage_percentage": 0.1}``.
            wait_timeout: Seconds to wait for the task of a large batch; None waits forever.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: A bad name, priority, consensus setting, or row list (none, both kinds, or more
                than 100,000), before anything is sent.
            TaskFailedError: The task adding the rows of a large batch failed.

        Example:
            >>> batch = await client.batches.create(project_id, "by keys", global_keys=keys[:2], priority=1)
            >>> batch.name, batch.size, batch.failed_data_row_ids
            ('by keys', 2, ())
        """
        check_id("project_id", project_id)
        return await self._create(
            project_id,
            _name("name", name),
            *_rows("", data_row_ids, global_keys),
            _priority("priority", priority),
            _consensus("consensus", consensus),
            wait_timeout=wait_timeout,
            timeout=timeout,
        )

    async def _create(
        self,
        project_id: str,
        name: str,
        field: str,
        values: list[str],
        priority: int,
        consensus: dict[str, Any] | None,
        *,
        wait_timeout: float | None,
        timeout: TimeoutArg,
    ) -> Batch:
        ids = values if field == "dataRowIds" else None
        keys = values if field == "globalKeys" else None
        if len(values) < SYNC_BATCH_ROWS:
            variables = {
                "projectId": project_id,
                "batchInput": {
                    "name": name,
                    "dataRowIds": ids,
                    "globalKeys": keys,
                    "priority": priority,
                    "consensusSettings": consensus,
                },
            }
            value = await self._mutate(
                CREATE_BATCH_V2, variables, path=("project", "createBatchV2"), timeout=timeout, experimental=True
            )
            operation, _ = operation_of(CREATE_BATCH_V2)
            batch = parse(Batch, (value or {}).get("batch"), operation)
            failed = (value or {}).get("failedDataRowIds") or []
            if not isinstance(failed, builtins.list):
                raise ResponseModelError("failedDataRowIds is not a list", operation=operation)
            return batch.model_copy(update={"failed_data_row_ids": tuple(str(f) for f in failed)})
        empty = await self._mutate(
            CREATE_EMPTY_BATCH,
            {"projectId": project_id, "input": {"name": name, "consensusSettings": consensus}},
            path=("project", "createEmptyBatch", "id"),
            timeout=timeout,
            experimental=True,
        )
        batch_id = check_id("batch id (answer)", empty)
        task = await self._create_task(
            ADD_DATA_ROWS_TO_BATCH_ASYNC,
            {
                "projectId": project_id,
                "input": {"batchId": batch_id, "dataRowIds": ids, "globalKeys": keys, "priority": priority},
            },
            path=("project", "addDataRowsToBatchAsync"),
            timeout=timeout,
            experimental=True,
        )
        task = await settle(self._client, task, wait_timeout=wait_timeout, timeout=timeout)
        batch = await self.retrieve(project_id, batch_id, timeout=timeout)
        return batch.model_copy(update={"failed_data_row_ids": _failed_from(task)})

    async def create_many(
        self,
        project_id: str,
        specs: Iterable[BatchSpec],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        timeout: TimeoutArg = DEFAULT,
    ) -> BatchCreations:
        """Create many batches, ``concurrency`` at a time; one result per spec, in order.

        Every spec is checked before anything is sent. A batch the server refuses (or that times out) is reported
        in its :class:`~alabelbox.types.batch.BatchCreation` with its error; the others are created regardless.

        Args:
            project_id: The project.
            specs: One :class:`~alabelbox.types.batch.BatchSpec` per batch; names must differ.
            concurrency: How many batches are created at once.
            wait_timeout: Seconds to wait for each large batch's task; None waits forever.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: A spec is bad (``specs[3].priority: ...``) or two specs share a name.

        Example:
            >>> specs = [BatchSpec(f"part {k}", data_row_ids=row_ids[k::4]) for k in range(4)]
            >>> done = await client.batches.create_many(project_id, specs, concurrency=2)
            >>> done.ok, [b.name for b in done.batches]
            (True, ['part 0', 'part 1', 'part 2', 'part 3'])
        """
        check_id("project_id", project_id)
        check_positive_int("concurrency", concurrency)
        plans: list[tuple[str, str, list[str], int, dict[str, Any] | None]] = []
        seen: dict[str, int] = {}
        for index, spec in enumerate(specs):
            where = f"specs[{index}]"
            if not isinstance(spec, BatchSpec):
                raise InvalidArgumentError(where, f"must be a BatchSpec, not {type(spec).__name__}")
            name = _name(f"{where}.name", spec.name)
            if name in seen:
                raise InvalidArgumentError(f"{where}.name", f"{name!r} is also the name of specs[{seen[name]}]")
            seen[name] = index
            field, values = _rows(f"{where}.", spec.data_row_ids, spec.global_keys)
            plans.append(
                (
                    name,
                    field,
                    values,
                    _priority(f"{where}.priority", spec.priority),
                    _consensus(f"{where}.consensus", spec.consensus),
                )
            )
        results: list[BatchCreation | None] = [None] * len(plans)
        limiter = anyio.CapacityLimiter(concurrency)

        async def one(index: int) -> None:
            name, field, values, priority, consensus = plans[index]
            async with limiter:
                try:
                    batch = await self._create(
                        project_id,
                        name,
                        field,
                        values,
                        priority,
                        consensus,
                        wait_timeout=wait_timeout,
                        timeout=timeout,
                    )
                except LabelboxError as error:
                    results[index] = BatchCreation(index, name, error=error)
                else:
                    results[index] = BatchCreation(index, name, batch=batch)

        async with anyio.create_task_group() as group:
            for index in range(len(plans)):
                group.start_soon(one, index)
        return BatchCreations([r for r in results if r is not None])

    async def create_from_dataset(
        self,
        project_id: str,
        dataset_id: str,
        *,
        name_prefix: str,
        priority: int = 5,
        consensus: Mapping[str, Any] | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        timeout: TimeoutArg = DEFAULT,
    ) -> BatchCreations:
        """Send the rows of a dataset that are not yet in the project, in batches of up to 100,000.

        The server names them ``<name_prefix>0000``, ``<name_prefix>0001``... and fills each with a task
        (``createBatchesFromDataset``); this waits for every task and reads each batch back. A failed task is
        reported in its result; the other batches are returned regardless.

        Args:
            project_id: The project.
            dataset_id: The dataset.
            name_prefix: The batches' name prefix.
            priority: The rows' labeling priority, 1 (first) to 5 (last).
            consensus: ``{"number_of_labels": 3, "coverage_percentage": 0.1}``.
            wait_timeout: Seconds to wait for each task; None waits forever.
            timeout: Limits for each request, overriding the client's.

        Example:
            >>> done = await client.batches.create_from_dataset(project_id, other_dataset_id, name_prefix="all-")
            >>> [(b.name, b.size) for b in done.batches]
            [('all-0000', 12)]
        """
        check_id("project_id", project_id)
        check_id("dataset_id", dataset_id)
        variables = {
            "projectId": project_id,
            "input": {
                "batchNamePrefix": _name("name_prefix", name_prefix),
                "datasetId": dataset_id,
                "priority": _priority("priority", priority),
                "consensusSettings": _consensus("consensus", consensus),
            },
        }
        value = await self._mutate(
            CREATE_BATCHES_FROM_DATASET,
            variables,
            path=("project", "createBatchesFromDataset", "tasks"),
            timeout=timeout,
        )
        if not isinstance(value, builtins.list):
            raise ResponseModelError("tasks is not a list", operation=operation_of(CREATE_BATCHES_FROM_DATASET)[0])
        results: list[BatchCreation | None] = [None] * len(value)

        async def one(index: int, entry: Any) -> None:
            name = f"{name_prefix}{index:04d}"
            try:
                if not isinstance(entry, dict):
                    raise ResponseModelError(
                        f"tasks[{index}] is not an object", operation=operation_of(CREATE_BATCHES_FROM_DATASET)[0]
                    )
                await self._client.tasks.wait(
                    check_id("taskId (answer)", entry.get("taskId")), wait_timeout=wait_timeout, timeout=timeout
                )
                batch = await self.retrieve(project_id, check_id("batchUuid (answer)", entry.get("batchUuid")))
            except LabelboxError as error:
                results[index] = BatchCreation(index, name, error=error)
            else:
                results[index] = BatchCreation(index, batch.name, batch=batch)

        async with anyio.create_task_group() as group:
            for index, entry in enumerate(value):
                group.start_soon(one, index, entry)
        return BatchCreations([r for r in results if r is not None])

    def list(self, project_id: str, *, page_size: int = 100, timeout: TimeoutArg = DEFAULT) -> Paginator[Batch]:
        """The project's batches, oldest first, by cursor pages.

        Example:
            >>> batch = await client.batches.create(project_id, "week 1", data_row_ids=row_ids[:3])
            >>> [b.name for b in await client.batches.list(project_id)][-1]
            'week 1'
        """
        check_id("project_id", project_id)
        return self._cursor_listing(
            GET_PROJECT_BATCHES,
            {"projectId": project_id},
            Batch,
            path=("project", "batches"),
            page_size=check_positive_int("page_size", page_size),
            timeout=timeout,
            experimental=True,
        )

    async def retrieve(self, project_id: str, batch_id: str, *, timeout: TimeoutArg = DEFAULT) -> Batch:
        """One batch of the project.

        Raises:
            ResourceNotFoundError: The project has no such batch.

        Example:
            >>> batch = await client.batches.create(project_id, "week 1", data_row_ids=row_ids[:3])
            >>> (await client.batches.retrieve(project_id, batch.id)).name
            'week 1'
        """
        variables = {"projectId": check_id("project_id", project_id), "batchId": check_id("batch_id", batch_id)}
        batches = await self._retrieve(
            GET_PROJECT_BATCH,
            variables,
            RootModel[builtins.list[Batch]],
            path=("project", "batches", "nodes"),
            timeout=timeout,
        )
        if not batches.root:
            operation, _ = operation_of(GET_PROJECT_BATCH)
            raise ResourceNotFoundError(f"project {project_id} has no batch {batch_id}", operation=operation)
        return batches.root[0]

    async def remove_queued_data_rows(self, project_id: str, batch_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Take the batch's rows that still wait to be labeled out of the batch and the project's queue.

        Example:
            >>> batch = await client.batches.create(project_id, "week 1", data_row_ids=row_ids[:3])
            >>> await client.batches.remove_queued_data_rows(project_id, batch.id)
            >>> (await client.batches.retrieve(project_id, batch.id)).size
            0
        """
        variables = {"projectId": check_id("project_id", project_id), "batchId": check_id("batch_id", batch_id)}
        await self._mutate(
            REMOVE_QUEUED_DATA_ROWS_FROM_BATCH,
            variables,
            path=("project", "removeQueuedDataRowsFromBatch"),
            timeout=timeout,
            experimental=True,
            idempotent=True,
        )

    async def delete(self, project_id: str, batch_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a batch; its rows leave the project (a batch with labels cannot be deleted: delete them first).

        Example:
            >>> batch = await client.batches.create(project_id, "week 1", data_row_ids=row_ids[:3])
            >>> await client.batches.delete(project_id, batch.id)
            >>> [b.name for b in await client.batches.list(project_id)][-1]
            'batch-0002 バッチ'
        """
        variables = {"projectId": check_id("project_id", project_id), "batchId": check_id("batch_id", batch_id)}
        await self._mutate(
            DELETE_BATCH,
            variables,
            path=("project", "deleteBatch", "deletedBatchId"),
            timeout=timeout,
            experimental=True,
        )

    async def delete_labels(
        self,
        project_id: str,
        batch_id: str,
        *,
        keep_as_templates: bool = False,
        timeout: TimeoutArg = DEFAULT,
    ) -> BatchLabelDeletion:
        """Delete the labels of one batch and re-queue its data rows (``deleteBatchLabels``, experimental API).

        Args:
            project_id: The project.
            batch_id: The batch.
            keep_as_templates: Keep the deleted labels as templates (``RequeueDataWithLabelAsTemplate``).
            timeout: Limits for this request, overriding the client's.

        Raises:
            ResourceNotFoundError: There is no such project or batch.

        Example:
            >>> result = await client.batches.delete_labels(project_id, batch_id)
            >>> len(result.deleted_label_ids)
            5
        """
        check_id("project_id", project_id)
        check_id("batch_id", batch_id)
        if not isinstance(keep_as_templates, bool):
            raise InvalidArgumentError("keep_as_templates", f"must be True or False, not {keep_as_templates!r}")
        kind = "RequeueDataWithLabelAsTemplate" if keep_as_templates else "RequeueData"
        # Not retried on server errors: the answer lists the ids deleted by this call, which a repeat would lose.
        ids = await self._mutate(
            DELETE_BATCH_LABELS,
            {"projectId": project_id, "batchId": batch_id, "type": kind},
            path=("project", "deleteBatchLabels", "deletedLabelIds"),
            experimental=True,
            timeout=timeout,
        )
        if not isinstance(ids, builtins.list) or not all(isinstance(i, str) for i in ids):
            raise ResponseModelError(
                "deletedLabelIds is not a list of ids", operation=operation_of(DELETE_BATCH_LABELS)[0]
            )
        return BatchLabelDeletion(deleted_label_ids=ids, kept_as_templates=keep_as_templates)
