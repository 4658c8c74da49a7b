"""``client.model_runs``: a model's runs, their config, data rows, labels and data splits; sending their rows to a
project for annotation, with their predictions (the catalog's send is ``client.data_rows.send_to_annotate``). (A
run's export is ``client.exports.create(model_run_id=...)``.)"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Iterable, Mapping
from pathlib import Path
from typing import Any

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import (
    InvalidArgumentError,
    LabelboxError,
    ResponseModelError,
    TaskFailedError,
    WaitTimeoutError,
)
from alabelbox._pagination import Paginator
from alabelbox._polling import poll_until, user_schedule
from alabelbox._queries.model_runs import (
    ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS,
    ASSIGN_DATA_SPLIT,
    CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK,
    CREATE_MEA_MODEL_RUN_LABEL_REGISTRATION_TASK,
    CREATE_MEA_MODEL_RUN_PROJECT_LABEL_REGISTRATION_TASK,
    CREATE_MODEL_RUN,
    DELETE_MODEL_RUN,
    DELETE_MODEL_RUN_DATA_ROWS,
    GET_MODEL_MODEL_RUNS,
    GET_MODEL_RUN,
    MEA_DATA_ROW_REGISTRATION_TASK_STATUS,
    MEA_LABEL_REGISTRATION_TASK_STATUS,
    MODEL_RUN,
    RESET_MODEL_RUN_CONFIG,
    SEND_TO_ANNOTATE_FROM_MEA,
    SET_PIPELINE_STATUS,
    UPDATE_MODEL_RUN_CONFIG,
)
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of
from alabelbox.resources._send import check_params
from alabelbox.resources._send import send_input as _send_input
from alabelbox.resources.imports import ImportRecord
from alabelbox.types._api import ApiModel
from alabelbox.types.annotation_import import ImportKind
from alabelbox.types.model_run import (
    DataSplit,
    ModelRun,
    ModelRunDataRow,
    ModelRunStatus,
    ModelRunTask,
)
from alabelbox.types.send_to_annotate import PredictionsSentToProject, SendToAnnotateParams
from alabelbox.types.task import Task, TaskStatus

__all__ = ["ModelRuns"]

logger = logging.getLogger("alabelbox.model_runs")

#: How long a registration or split task is waited for by default (the SDK's bound for registrations: an hour).
DEFAULT_WAIT_TIMEOUT = 3600.0
#: The most rows ``upsert_predictions_and_send_to_project`` sends (the SDK's ``DATAROWS_IMPORT_LIMIT``).
SEND_TO_PROJECT_LIMIT = 25_000


class _TaskStatusAnswer(ApiModel):
    status: TaskStatus
    error_message: str | None = None


def _ids(argument: str, values: Iterable[str] | None) -> list[str] | None:
    """The ids of ``values`` in order, repeats dropped; None stays None. Each bad item is named by its index."""
    if values is None:
        return None
    if isinstance(values, str):
        raise InvalidArgumentError(argument, f"must be a list of ids, not the string {values!r}; wrap it: [id]")
    return list(dict.fromkeys(check_id(f"{argument}[{i}]", v) for i, v in enumerate(values)))


def _rows(data_row_ids: Iterable[str] | None, global_keys: Iterable[str] | None) -> tuple[list[str], list[str]]:
    ids, keys = _ids("data_row_ids", data_row_ids), _ids("global_keys", global_keys)
    if not ids and not keys:
        raise InvalidArgumentError("data_row_ids", "give data_row_ids or global_keys (at least one data row)")
    return ids or [], keys or []


class ModelRuns(Resource):
    """Runs of models: ``client.model_runs``.

    Registering rows or labels and assigning splits are server-side tasks: each method starts one, waits for it
    and returns it done (:class:`~alabelbox.types.ModelRunTask`), or raises :class:`~alabelbox.TaskFailedError`
    when it failed. Rows or labels the server does not know fail the task, and the server names them; the others
    are added all the same, once each.

    Example:
        >>> run = await client.model_runs.create(model_id, name="baseline", config={"lr": 0.01})
        >>> task = await client.model_runs.upsert_data_rows(run.id, data_row_ids=[data_row_id])
        >>> [row.data_row.id async for row in client.model_runs.data_rows(run.id)] == [data_row_id]
        True
    """

    # -- runs ------------------------------------------------------------------------------------------------------

    async def create(
        self,
        model_id: str,
        *,
        name: str,
        config: Mapping[str, Any] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> ModelRun:
        """Create a run of a model, with its training config, as the SDK's ``Model.create_model_run``.

        Args:
            model_id: The model.
            name: The run's name.
            config: Training metadata (hyperparameters, anything JSON), read back as ``training_metadata``.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: ``name`` is blank or ``config`` is not a mapping.
            ResourceNotFoundError: There is no such model.

        Example:
            >>> run = await client.model_runs.create(model_id, name="run 2", config={"epochs": 3})
            >>> run.training_metadata
            {'epochs': 3}
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", f"must be a non-blank string, got {name!r}")
        if config is not None and not isinstance(config, Mapping):
            raise InvalidArgumentError("config", f"must be a mapping, got {type(config).__name__}")
        variables = {
            "name": name,
            "config": dict(config) if config is not None else None,
            "modelId": check_id("model_id", model_id),
        }
        return await self._mutate(CREATE_MODEL_RUN, variables, ModelRun, timeout=timeout)

    async def retrieve(self, model_run_id: str, *, timeout: TimeoutArg = DEFAULT) -> ModelRun:
        """One run by id (its config is ``training_metadata``), as the SDK's ``client.get_model_run``.

        Raises:
            ResourceNotFoundError: There is no such run.

        Example:
            >>> (await client.model_runs.retrieve(model_run_id)).name
            'baseline'
        """
        variables = {"id": check_id("model_run_id", model_run_id)}
        return await self._retrieve(GET_MODEL_RUN, variables, ModelRun, timeout=timeout)

    def list(
        self,
        model_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[ModelRun]:
        """The runs of a model, oldest first, as the SDK's ``Model.model_runs()``.

        Example:
            >>> [r.name async for r in client.model_runs.list(model_id)]
            ['baseline']
        """
        return self._offset_listing(
            GET_MODEL_MODEL_RUNS,
            {"id": check_id("model_id", model_id)},
            ModelRun,
            path=("model", "modelRuns"),
            page_size=check_positive_int("page_size", page_size),
            window=window,
            timeout=timeout,
        )

    async def update_config(
        self, model_run_id: str, config: Mapping[str, Any], *, timeout: TimeoutArg = DEFAULT
    ) -> dict[str, Any] | None:
        """Merge ``config`` into the run's training metadata; the metadata after, as the SDK's ``update_config``.

        Example:
            >>> await client.model_runs.update_config(model_run_id, {"lr": 0.02})
            {'lr': 0.02}
        """
        if not isinstance(config, Mapping):
            raise InvalidArgumentError("config", f"must be a mapping, got {type(config).__name__}")
        variables = {"modelRunId": check_id("model_run_id", model_run_id), "data": {"config": dict(config)}}
        answer = await self._mutate(UPDATE_MODEL_RUN_CONFIG, variables, timeout=timeout, idempotent=True)
        metadata = answer.get("trainingMetadata") if isinstance(answer, dict) else None
        return metadata if isinstance(metadata, dict) else None

    async def reset_config(self, model_run_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Clear the run's training metadata, as the SDK's ``reset_config``.

        Example:
            >>> await client.model_runs.reset_config(model_run_id)
            >>> (await client.model_runs.retrieve(model_run_id)).training_metadata is None
            True
        """
        variables = {"modelRunId": check_id("model_run_id", model_run_id)}
        await self._mutate(RESET_MODEL_RUN_CONFIG, variables, timeout=timeout, idempotent=True)

    async def update_status(
        self,
        model_run_id: str,
        status: ModelRunStatus | str,
        *,
        metadata: Mapping[str, str] | None = None,
        error_message: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> None:
        """Report where the run's training pipeline is, as the SDK's ``update_status`` (experimental endpoint).

        Raises:
            InvalidArgumentError: ``status`` is not a :class:`~alabelbox.types.ModelRunStatus`.

        Example:
            >>> await client.model_runs.update_status(model_run_id, "TRAINING_MODEL", metadata={"epoch": "3"})
        """
        try:
            value = ModelRunStatus(status)
        except ValueError:
            choices = ", ".join(s.value for s in ModelRunStatus)
            raise InvalidArgumentError("status", f"must be one of {choices}, got {status!r}") from None
        if metadata is not None and not isinstance(metadata, Mapping):
            raise InvalidArgumentError("metadata", f"must be a mapping, got {type(metadata).__name__}")
        data: dict[str, Any] = {"status": value.value}
        if error_message:  # the SDK sends these two only when given
            data["errorMessage"] = error_message
        if metadata:
            data["metadata"] = dict(metadata)
        variables = {"modelRunId": check_id("model_run_id", model_run_id), "data": data}
        await self._mutate(SET_PIPELINE_STATUS, variables, timeout=timeout, experimental=True, idempotent=True)

    async def delete(self, model_run_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a run, as the SDK's ``ModelRun.delete``.

        Raises:
            ResourceNotFoundError: There is no such run.

        Example:
            >>> await client.model_runs.delete(model_run_id)
        """
        await self._mutate(DELETE_MODEL_RUN, {"ids": check_id("model_run_id", model_run_id)}, timeout=timeout)

    # -- data rows and labels --------------------------------------------------------------------------------------

    def data_rows(
        self,
        model_run_id: str,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        start_cursor: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[ModelRunDataRow]:
        """The run's data rows in the order they were added, by cursor, as the SDK's ``model_run_data_rows()``.

        Example:
            >>> rows = [row async for row in client.model_runs.data_rows(model_run_id)]
            >>> rows[0].data_split
            <DataSplit.TRAINING: 'TRAINING'>
        """
        return self._cursor_listing(
            MODEL_RUN,
            {"modelRunId": check_id("model_run_id", model_run_id)},
            ModelRunDataRow,
            has_more=None,
            page_size=check_positive_int("page_size", page_size),
            start_cursor=start_cursor if start_cursor is None else check_id("start_cursor", start_cursor),
            timeout=timeout,
        )

    async def upsert_data_rows(
        self,
        model_run_id: str,
        *,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> ModelRunTask:
        """Add data rows (without labels) to the run and wait for it, as the SDK's ``upsert_data_rows``.

        A row already in the run stays as it is (once).

        Args:
            model_run_id: The run.
            data_row_ids: The rows, by id.
            global_keys: The rows, by global key (with or instead of ``data_row_ids``).
            wait_timeout: Seconds to wait for the task in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds.
            max_poll_interval: The longest wait between two polls.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: No rows, or an item that is not an id (named by its index).
            TaskFailedError: Some rows are unknown (the message names them; the others were added).
            WaitTimeoutError: ``wait_timeout`` passed with the task still running.

        Example:
            >>> task = await client.model_runs.upsert_data_rows(model_run_id, global_keys=[global_key])
            >>> task.succeeded
            True
        """
        ids, keys = _rows(data_row_ids, global_keys)
        variables = {
            "modelRunId": check_id("model_run_id", model_run_id),
            "dataRowIds": ids or None,
            "globalKeys": keys or None,
        }
        return await self._run_task(
            CREATE_MEA_MODEL_RUN_DATA_ROW_REGISTRATION_TASK,
            variables,
            MEA_DATA_ROW_REGISTRATION_TASK_STATUS,
            lambda task_id: {"where": {"id": task_id}},
            wait=(wait_timeout, poll_interval, max_poll_interval),
            timeout=timeout,
        )

    async def upsert_labels(
        self,
        model_run_id: str,
        *,
        label_ids: Iterable[str] | None = None,
        project_id: str | None = None,
        wait_timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> ModelRunTask:
        """Add labels, and their data rows, to the run and wait for it, as the SDK's ``upsert_labels``.

        Args:
            model_run_id: The run.
            label_ids: These labels.
            project_id: Every label of this project (instead of ``label_ids``).
            wait_timeout: Seconds to wait for the task in all; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds.
            max_poll_interval: The longest wait between two polls.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: Neither or both of ``label_ids`` and ``project_id``; an item that is not an id.
            TaskFailedError: Some labels are unknown or deleted (named; the others were added).
            WaitTimeoutError: ``wait_timeout`` passed with the task still running.

        Example:
            >>> task = await client.model_runs.upsert_labels(model_run_id, project_id=project_id)
            >>> task.status
            <TaskStatus.COMPLETE: 'COMPLETE'>
        """
        run_id = check_id("model_run_id", model_run_id)
        labels = _ids("label_ids", label_ids)
        if bool(labels) == (project_id is not None):
            raise InvalidArgumentError("label_ids", "give either label_ids (at least one) or project_id, not both")
        if labels:
            start, variables = CREATE_MEA_MODEL_RUN_LABEL_REGISTRATION_TASK, {"modelRunId": run_id, "labelIds": labels}
        else:
            start = CREATE_MEA_MODEL_RUN_PROJECT_LABEL_REGISTRATION_TASK
            variables = {"modelRunId": run_id, "projectId": check_id("project_id", project_id)}
        return await self._run_task(
            start,
            variables,
            MEA_LABEL_REGISTRATION_TASK_STATUS,
            lambda task_id: {"where": {"id": task_id}},
            wait=(wait_timeout, poll_interval, max_poll_interval),
            timeout=timeout,
        )

    async def remove_data_rows(
        self, model_run_id: str, data_row_ids: Iterable[str], *, timeout: TimeoutArg = DEFAULT
    ) -> None:
        """Take data rows (and their labels and predictions) out of the run, as the SDK's
        ``delete_model_run_data_rows``. Rows not in the run are ignored.

        Example:
            >>> await client.model_runs.remove_data_rows(model_run_id, [data_row_id])
        """
        ids = _ids("data_row_ids", data_row_ids) or []
        if not ids:
            raise InvalidArgumentError("data_row_ids", "give at least one data row id")
        variables = {"modelRunId": check_id("model_run_id", model_run_id), "dataRowIds": ids}
        await self._mutate(DELETE_MODEL_RUN_DATA_ROWS, variables, timeout=timeout, idempotent=True)

    async def assign_split(
        self,
        model_run_id: str,
        split: DataSplit | str,
        *,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        wait_timeout: float | None = 120.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> ModelRunTask:
        """Put rows of the run in a data split and wait for it, as the SDK's ``assign_data_rows_to_split``.

        ``DataSplit.UNASSIGNED`` takes them out of their split. It goes to the experimental endpoint, as the SDK
        sends it.

        Raises:
            InvalidArgumentError: ``split`` is not a :class:`~alabelbox.types.DataSplit`; no rows.
            TaskFailedError: Some rows are unknown or not in the run (named; the others were assigned).
            WaitTimeoutError: ``wait_timeout`` passed with the task still running.

        Example:
            >>> task = await client.model_runs.assign_split(model_run_id, "TRAINING", data_row_ids=[data_row_id])
            >>> task.succeeded
            True
        """
        try:
            value = DataSplit(split)
        except ValueError:
            raise InvalidArgumentError(
                "split", f"must be one of {', '.join(s.value for s in DataSplit)}, got {split!r}"
            ) from None
        ids, keys = _rows(data_row_ids, global_keys)
        assignment = {"split": value.value, "dataRowIds": ids or None, "globalKeys": keys or None}
        variables = {"modelRunId": check_id("model_run_id", model_run_id), "data": {"assignments": [assignment]}}
        return await self._run_task(
            ASSIGN_DATA_SPLIT,
            variables,
            ASSIGN_DATA_ROWS_TO_DATA_SPLIT_TASK_STATUS,
            lambda task_id: {"id": task_id},
            wait=(wait_timeout, poll_interval, max_poll_interval),
            timeout=timeout,
            experimental=True,
        )

    # -- send to annotate ------------------------------------------------------------------------------------------

    async def send_to_annotate(
        self,
        model_run_id: str,
        *,
        project_id: str,
        batch_name: str,
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        task_queue_id: str | None = None,
        params: SendToAnnotateParams | Mapping[str, Any] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Send rows of the run to a project's queue as a batch, their predictions as pre-labels, as the SDK's
        ``send_to_annotate_from_model``; the task (wait for it with ``client.tasks.wait``).

        The rows join the project as batch ``batch_name`` (rows already in it stay where they are, or are left out
        with ``exclude_data_rows_in_project``); the run's predictions on them become the project's pre-labels, their
        features renamed by ``predictions_ontology_mapping`` (only the mapped ones go, when it is given).

        Args:
            model_run_id: The run the rows and predictions come from.
            project_id: The project to annotate them in.
            batch_name: The name of the batch the rows go in.
            data_row_ids: The rows, by id.
            global_keys: The rows, by global key (instead of ``data_row_ids``).
            task_queue_id: The project's queue to put them in; None puts them in Done.
            params: :class:`~alabelbox.types.SendToAnnotateParams`, or the SDK's ``params`` dict (its keys are the
                model's fields): ``predictions_ontology_mapping``, ``exclude_data_rows_in_project``,
                ``override_existing_annotations_rule`` (what wins where a row already has pre-labels or labels),
                ``batch_priority`` (1 to 5). The run is the source: ``source_model_run_id`` may only name it.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: A bad argument (both or neither of the row arguments, a priority out of range, a
                source project...), named (``params.batch_priority``), before anything is sent.

        Example:
            >>> task = await client.model_runs.send_to_annotate(
            ...     model_run_id, project_id=project_id, batch_name="to review", data_row_ids=[data_row_id],
            ...     params={"batch_priority": 2, "override_existing_annotations_rule": "OVERRIDE_WITH_PREDICTIONS"})
            >>> (await client.tasks.wait(task)).succeeded
            True
        """
        run_id = check_id("model_run_id", model_run_id)
        checked = check_params(params)
        if checked.source_project_id is not None or checked.annotations_ontology_mapping:
            raise InvalidArgumentError(
                "params.source_project_id",
                "a model run sends its predictions; labels of a project go from the "
                "catalog (client.data_rows.send_to_annotate)",
            )
        if checked.source_model_run_id not in (None, run_id):
            raise InvalidArgumentError(
                "params.source_model_run_id",
                f"the run sends its own predictions: {run_id!r}, not {checked.source_model_run_id!r}",
            )
        send_input = _send_input(
            project_id=project_id,
            batch_name=batch_name,
            data_row_ids=data_row_ids,
            global_keys=global_keys,
            task_queue_id=task_queue_id,
            params=checked.model_copy(update={"source_model_run_id": run_id}),
        )
        send_input["sourceModelRunId"] = run_id
        return await self._create_task(SEND_TO_ANNOTATE_FROM_MEA, {"input": send_input}, timeout=timeout)

    async def upsert_predictions_and_send_to_project(
        self,
        model_run_id: str,
        *,
        name: str,
        project_id: str,
        predictions: Iterable[ImportRecord] | AsyncIterable[ImportRecord] | None = None,
        path: str | Path | None = None,
        url: str | None = None,
        priority: int = 5,
        wait_timeout: float | None = 7200.0,
        poll_interval: float = 1.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> PredictionsSentToProject:
        """Import predictions into the run, and send the rows they are on to a project with them as pre-labels, as
        the SDK's ``ModelRun.upsert_predictions_and_send_to_project``.

        Three steps, each waited for: an MEA import of the predictions (``client.imports.create``, kind MEA); a
        batch ``name`` in the project of the rows whose predictions went in (``client.batches.create``, up to
        25,000 rows, as the SDK trims them); an MEA to MAL import of those predictions into the project
        (``client.imports.send_model_run_predictions``). As in the SDK a later step is not done when an earlier one
        could not be (no prediction went in, the batch was refused): the result says which, and why.

        Args:
            model_run_id: The run.
            name: The name of the imports and of the batch.
            project_id: The project to send the rows to.
            predictions: The prediction records (NDJSON dicts or typed annotations), or ``path`` / ``url``.
            path: A local NDJSON file of predictions.
            url: The URL of an NDJSON file of predictions.
            priority: The batch's labeling priority, 1 (first) to 5.
            wait_timeout: Seconds to wait for each import; None waits forever.
            poll_interval: The notice bound of a young wait, in seconds.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: A bad argument, before anything is sent.
            ImportFailedError: The MEA import itself failed (an annotation that failed is not this: its row is
                not sent).

        Example:
            >>> done = await client.model_runs.upsert_predictions_and_send_to_project(
            ...     model_run_id, name="round 2", project_id=project_id, poll_interval=0.01, predictions=[
            ...         {"dataRow": {"id": row_ids[0]}, "name": "box",
            ...          "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}])
            >>> done.batch.name, done.data_row_ids == (row_ids[0],), done.mal_import.kind.value
            ('round 2', True, 'MEAToMALPredictionImport')
        """
        run_id = check_id("model_run_id", model_run_id)
        check_id("project_id", project_id)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 1 <= priority <= 5:
            raise InvalidArgumentError("priority", f"must be an integer from 1 to 5, got {priority!r}")
        imports = self._client.imports
        waits: dict[str, Any] = {"wait_timeout": wait_timeout, "poll_interval": poll_interval, "timeout": timeout}
        started = await imports.create(
            run_id, name=name, kind=ImportKind.MEA, records=predictions, path=path, url=url, timeout=timeout
        )
        mea = await imports.wait(started, raise_on_failures=False, **waits)
        ids: list[str] = []
        keys: list[str] = []
        async for status in imports.statuses(mea, timeout=timeout):
            row = status.data_row or {}
            if status.succeeded and isinstance(row.get("id"), str):
                ids.append(row["id"])
            elif status.succeeded and isinstance(row.get("globalKey"), str):
                keys.append(row["globalKey"])
        if keys:
            found = await self._client.global_keys.lookup(keys, timeout=timeout)
            ids += [rid for rid in found.results if rid is not None]
        rows = list(dict.fromkeys(ids))
        if not rows:
            return PredictionsSentToProject(mea_import=mea, errors=("no prediction was imported",))
        if len(rows) > SEND_TO_PROJECT_LIMIT:
            logger.warning("%d rows have predictions: the first %d are sent", len(rows), SEND_TO_PROJECT_LIMIT)
            rows = rows[:SEND_TO_PROJECT_LIMIT]
        try:
            batch = await self._client.batches.create(project_id, name, data_row_ids=rows, priority=priority)
        except LabelboxError as exc:
            logger.warning("the batch %r could not be created: %s", name, exc)
            return PredictionsSentToProject(mea_import=mea, data_row_ids=tuple(rows), errors=(f"batch: {exc}",))
        try:
            mal = await imports.send_model_run_predictions(
                run_id, project_id=project_id, data_row_ids=rows, name=name, timeout=timeout
            )
            mal = await imports.wait(mal, raise_on_failures=False, **waits)
        except LabelboxError as exc:
            logger.warning("the MEA to MAL import %r could not be made: %s", name, exc)
            return PredictionsSentToProject(
                mea_import=mea, batch=batch, data_row_ids=tuple(rows), errors=(f"MEA to MAL import: {exc}",)
            )
        return PredictionsSentToProject(mea_import=mea, batch=batch, mal_import=mal, data_row_ids=tuple(rows))

    # -- the registration and split tasks --------------------------------------------------------------------------

    async def _run_task(
        self,
        start: str,
        variables: dict[str, Any],
        status: str,
        status_variables: Any,
        *,
        wait: tuple[float | None, float, float],
        timeout: TimeoutArg,
        experimental: bool = False,
    ) -> ModelRunTask:
        """Start a model-run task with ``start`` and poll ``status`` until it is done."""
        wait_timeout, poll_interval, max_poll_interval = wait
        schedule = user_schedule(poll_interval, max_poll_interval)
        operation, _ = operation_of(start)
        # Registering or assigning the same rows twice leaves the run as once: safe to retry.
        task_id = await self._mutate(start, variables, timeout=timeout, experimental=experimental, idempotent=True)
        if not isinstance(task_id, str) or not task_id:
            raise ResponseModelError(f"the answer gives no task id: {task_id!r}", operation=operation)

        async def fetch() -> ModelRunTask:
            answer = await self._retrieve(
                status, status_variables(task_id), _TaskStatusAnswer, timeout=timeout, experimental=experimental
            )
            return ModelRunTask(id=task_id, status=answer.status, error_message=answer.error_message)

        def on_timeout(last: ModelRunTask | None, seconds: float) -> WaitTimeoutError:
            where = f"still {last.status.value}" if last else "unseen"
            return WaitTimeoutError(f"model-run task {task_id} {where} after {seconds} s; it goes on on the server")

        done = await poll_until(
            fetch,
            lambda t: t.status not in (TaskStatus.IN_PROGRESS, TaskStatus.CANCELLING),
            wait_timeout=wait_timeout,
            schedule=schedule,
            on_timeout=on_timeout,
        )
        if done.status is TaskStatus.UNKNOWN:  # as client.tasks.wait: a status this client does not know ends it
            logger.warning("model-run task %s ended with an unknown status", task_id)
        elif done.status is not TaskStatus.COMPLETE:
            detail = done.error_message or "the server gave no reason"
            raise TaskFailedError(
                f"model-run task {task_id} ({operation}) {done.status.value.lower()}: {detail}",
                task_id=task_id,
                errors=[{"message": detail}],
                operation=operation,
            )
        return done
