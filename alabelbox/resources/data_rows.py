"""``client.data_rows``: retrieve one data row, list a dataset's rows by cursor, and write them: create (streamed, in
chunks, as tasks), upsert, update and delete; send them from the catalog to a project's queue."""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from typing import Any

from alabelbox._constants import (
    CREATE_MANY_LIMIT,
    DATA_ROWS_PAGE_SIZE,
    DELETE_DATA_ROWS_BATCH,
    INGEST_CHUNK_SIZE,
    INGEST_CONCURRENCY,
    INGEST_POLL_INTERVAL,
    INGEST_UPLOAD_CONCURRENCY,
)
from alabelbox._exceptions import IngestError, InvalidArgumentError, ResourceNotFoundError, TaskFailedError
from alabelbox._filters import data_row_where
from alabelbox._ingest import MAX_CHUNK_ROWS, Ingestion, SpecInput
from alabelbox._pagination import Paginator
from alabelbox._queries.data_rows import (
    DELETE_DATA_ROWS,
    LIST_DATASET_DATA_ROWS,
    RETRIEVE_DATA_ROW,
    SEND_TO_ANNOTATE_FROM_CATALOG,
    UPDATE_DATA_ROW,
)
from alabelbox._queries.global_keys import DATA_ROWS_FOR_GLOBAL_KEYS
from alabelbox._validation import check_id, check_ids, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, operation_of
from alabelbox.resources._send import check_params
from alabelbox.resources._send import send_input as _send_input
from alabelbox.types.data_row import DatasetDataRow
from alabelbox.types.ingestion import IngestProgress, IngestResult
from alabelbox.types.send_to_annotate import SendToAnnotateParams
from alabelbox.types.task import Task

__all__ = ["DataRows"]


class DataRows(Resource):
    """Data rows: ``client.data_rows``.

    Example:
        >>> row = await client.data_rows.retrieve(data_row_id)
    """

    def list(
        self,
        dataset_id: str,
        *,
        ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        external_ids: Iterable[str] | None = None,
        where: Mapping[str, Any] | None = None,
        page_size: int = DATA_ROWS_PAGE_SIZE,
        start_cursor: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[DatasetDataRow]:
        """The dataset's data rows, newest first, by cursor (``datasetDataRows``), the next page fetched ahead.

        Args:
            dataset_id: The dataset.
            ids: Only these data rows.
            global_keys: Only the data rows with these global keys.
            external_ids: Only the data rows with these external ids.
            where: A raw ``DatasetDataRowWhereInput`` (instead of the three above).
            page_size: Rows per request (the SDK's 500 by default).
            start_cursor: Resume from a cursor (``page.next_cursor`` of an earlier walk).
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: More than one of ``ids``, ``global_keys``, ``external_ids`` and ``where``.
            PaginationError: While iterating: the server said "more" but the cursor did not move.

        Example:
            >>> rows = client.data_rows.list(dataset_id, ids=[data_row_id])
            >>> [row.id async for row in rows] == [data_row_id]
            True
        """
        check_id("dataset_id", dataset_id)
        check_positive_int("page_size", page_size)
        if start_cursor is not None:
            check_id("start_cursor", start_cursor)
        row_where = data_row_where(ids=ids, global_keys=global_keys, external_ids=external_ids, where=where)
        # The next page's cursor is in startCursor (sic), as the SDK reads it.
        return self._cursor_listing(
            LIST_DATASET_DATA_ROWS,
            {"id": dataset_id, "where": row_where},
            DatasetDataRow,
            cursor=("pageInfo", "startCursor"),
            page_size=page_size,
            start_cursor=start_cursor,
            timeout=timeout,
        )

    async def retrieve(self, data_row_id: str, *, timeout: TimeoutArg = DEFAULT) -> DatasetDataRow:
        """One data row by id, with its ``dataset`` (``dataset_id``), who created it and its organization.

        Raises:
            ResourceNotFoundError: There is no such data row.

        Example:
            >>> row = await client.data_rows.retrieve(data_row_id)
            >>> row.id == data_row_id, row.dataset_id == dataset_id, row.created_by.id == user_id
            (True, True, True)
        """
        return await self._retrieve(
            RETRIEVE_DATA_ROW, {"id": check_id("data_row_id", data_row_id)}, DatasetDataRow, timeout=timeout
        )

    async def retrieve_by_global_key(
        self, global_key: str, *, wait_timeout: float = 60.0, timeout: TimeoutArg = DEFAULT
    ) -> DatasetDataRow:
        """One data row by its global key, across the organization (the SDK's ``get_data_row_by_global_key``).

        The key is looked up (as [`GlobalKeys.lookup`][alabelbox.resources.GlobalKeys.lookup] does), then
        the row it names is read.

        Raises:
            ResourceNotFoundError: No data row holds the key (the message carries the API's reason).

        Example:
            >>> row = await client.data_rows.retrieve_by_global_key(global_key)
            >>> row.id == row_id, row.global_key == global_key
            (True, True)
        """
        key = check_id("global_key", global_key)
        found = await self._client.global_keys.lookup([key], wait_timeout=wait_timeout, timeout=timeout)
        row_id = found.results[0] if found.results else None
        if row_id is None:
            reason = found.errors[0].error if found.errors else "no data row holds it"
            raise ResourceNotFoundError(
                f"global key {key!r}: {reason}", operation=operation_of(DATA_ROWS_FOR_GLOBAL_KEYS)[0]
            )
        return await self.retrieve(row_id, timeout=timeout)

    # ------------------------------------------------------------------ writes

    def _ingestion(
        self,
        dataset_id: str,
        *,
        allow_key: bool,
        chunk_size: int,
        concurrency: int | None,
        upload_concurrency: int,
        wait_timeout: float | None,
        on_progress: Callable[[IngestProgress], Any] | None,
        timeout: TimeoutArg,
        keep_rows: bool = False,
    ) -> Ingestion:
        check_id("dataset_id", dataset_id)
        if check_positive_int("chunk_size", chunk_size) > MAX_CHUNK_ROWS:
            raise InvalidArgumentError("chunk_size", f"the API takes at most {MAX_CHUNK_ROWS} rows a call")
        pool = self._client._pool.limits.max_concurrent_requests
        window = check_positive_int("concurrency", concurrency) if concurrency is not None else INGEST_CONCURRENCY

        tasks = self._client.tasks

        async def wait_task(task_id: str) -> Any:
            try:
                return await tasks.wait(
                    task_id, wait_timeout=wait_timeout, poll_interval=INGEST_POLL_INTERVAL, timeout=timeout
                )
            except TaskFailedError:
                return None  # every row failed: failedDataRowImports says why, row by row

        return Ingestion(
            self,
            dataset_id,
            allow_key=allow_key,
            chunk_size=chunk_size,
            concurrency=min(window, pool),
            upload_concurrency=min(check_positive_int("upload_concurrency", upload_concurrency), pool),
            wait_task=wait_task,
            on_progress=on_progress,
            timeout=timeout,
            keep_rows=keep_rows,
        )

    async def create(
        self,
        dataset_id: str,
        specs: Iterable[SpecInput] | AsyncIterable[SpecInput],
        *,
        chunk_size: int = INGEST_CHUNK_SIZE,
        concurrency: int | None = None,
        upload_concurrency: int = INGEST_UPLOAD_CONCURRENCY,
        wait_timeout: float | None = 3_600.0,
        on_progress: Callable[[IngestProgress], Any] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> IngestResult:
        """Create data rows from any number of specs, streamed in chunks (the SDK's ``Dataset.create_data_rows``).

        Specs are read lazily (a generator of ten million specs is fine), checked as they are read, and sent in
        chunks of ``chunk_size``, each an ``upsertDataRows`` task, ``concurrency`` chunks in flight; local files
        (paths, bytes, file objects) are uploaded first, ``upload_concurrency`` at once. Each chunk's task is
        awaited and its failed rows read, with the index of each spec.

        Args:
            dataset_id: The dataset to add rows to.
            specs: :class:`~alabelbox.types.ingestion.DataRowSpec` objects, dicts with the same keys (as the SDK
                takes them), or paths of local files; an iterable or an async iterable.
            chunk_size: Specs per ``upsertDataRows`` task (at most 150,000).
            concurrency: Chunks in flight at once (default 8, never more than the client's pool).
            upload_concurrency: Local files uploaded at once.
            wait_timeout: Seconds to wait for each chunk's task; None waits forever.
            on_progress: Called with an :class:`~alabelbox.types.ingestion.IngestProgress` after each chunk is
                sent, each chunk's task finishes, and each file is uploaded.
            timeout: Limits for each request, overriding the client's.

        Returns:
            The counts over every chunk and every failed row (``result.failed``, each with its spec's index).

        Raises:
            InvalidArgumentError: A spec is invalid (the message names ``specs[index].field``) and nothing was sent.
                When the input is a list (or another sequence) every spec is checked before anything is sent.
            IngestError: The ingestion stopped after some chunks were sent: a later spec was invalid, the input
                raised, or a chunk failed for good. ``error.result`` says what was sent and applied, and
                ``error.result.next_index`` where to resume.

        Example:
            >>> specs = ({"row_data": f"https://example.com/{i}.jpg", "global_key": f"img-{i}"} for i in range(3))
            >>> result = await client.data_rows.create(dataset_id, specs)
            >>> result.accepted, result.failed
            (3, [])
        """
        run = self._ingestion(
            dataset_id,
            allow_key=False,
            chunk_size=chunk_size,
            concurrency=concurrency,
            upload_concurrency=upload_concurrency,
            wait_timeout=wait_timeout,
            on_progress=on_progress,
            timeout=timeout,
        )
        return await run.run(specs)

    async def upsert(
        self,
        dataset_id: str,
        specs: Iterable[SpecInput] | AsyncIterable[SpecInput],
        *,
        chunk_size: int = INGEST_CHUNK_SIZE,
        concurrency: int | None = None,
        upload_concurrency: int = INGEST_UPLOAD_CONCURRENCY,
        wait_timeout: float | None = 3_600.0,
        on_progress: Callable[[IngestProgress], Any] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> IngestResult:
        """Create or update data rows (the SDK's ``Dataset.upsert_data_rows``), streamed as :meth:`create`.

        A spec with a ``key`` (:class:`~alabelbox.types.ingestion.DataRowKey`, by id or by global key, or the
        SDK's ``UniqueId`` / ``GlobalKey``) updates that row with the fields it sets; a spec without one creates a
        row. Arguments, result and errors as :meth:`create`.

        Example:
            >>> from alabelbox import DataRowKey
            >>> _ = await client.data_rows.create(dataset_id, [{"row_data": "https://e.com/0.jpg", "global_key": "g0"}])
            >>> result = await client.data_rows.upsert(
            ...     dataset_id,
            ...     [
            ...         {"key": DataRowKey.global_key("g0"), "external_id": "renamed.jpg"},  # an update
            ...         {"row_data": "https://e.com/1.jpg", "global_key": "img-1"},  # a new row
            ...     ],
            ... )
            >>> result.accepted
            2
        """
        run = self._ingestion(
            dataset_id,
            allow_key=True,
            chunk_size=chunk_size,
            concurrency=concurrency,
            upload_concurrency=upload_concurrency,
            wait_timeout=wait_timeout,
            on_progress=on_progress,
            timeout=timeout,
        )
        return await run.run(specs)

    async def create_many(
        self,
        dataset_id: str,
        specs: Sequence[SpecInput],
        *,
        wait_timeout: float | None = 600.0,
        timeout: TimeoutArg = DEFAULT,
    ) -> builtins.list[DatasetDataRow]:
        """Create a small batch of data rows (at most 1,000) and return them, in the order of the specs.

        One ``upsertDataRows`` task; the created rows are then read back with their metadata. For more rows, or a
        stream, use :meth:`create`, which keeps counts rather than rows.

        Raises:
            InvalidArgumentError: More than 1,000 specs, or an invalid spec (``specs[index].field``).
            IngestError: Some rows failed; ``error.result.failed`` lists them with their index (the others exist).

        Example:
            >>> rows = await client.data_rows.create_many(dataset_id, [{"row_data": "https://example.com/a.jpg"}])
            >>> rows[0].row_data
            'https://example.com/a.jpg'
        """
        if isinstance(specs, (str, bytes)) or not isinstance(specs, Sequence):
            raise InvalidArgumentError("specs", "must be a list (use create() for iterators and streams)")
        if len(specs) > CREATE_MANY_LIMIT:
            raise InvalidArgumentError("specs", f"{len(specs)} specs: create_many takes at most {CREATE_MANY_LIMIT}")
        run = self._ingestion(
            dataset_id,
            allow_key=False,
            chunk_size=CREATE_MANY_LIMIT,
            concurrency=1,
            upload_concurrency=INGEST_UPLOAD_CONCURRENCY,
            wait_timeout=wait_timeout,
            on_progress=None,
            timeout=timeout,
            keep_rows=True,
        )
        result = await run.run(specs)
        if result.failed:
            first = result.failed[0]
            raise IngestError(
                f"{len(result.failed)} of {len(specs)} rows failed; the first, specs[{first.index}]: {first.message}",
                result,
            )
        ids = [str(run.rows[i]["id"]) for i in sorted(run.rows)]
        by_id: dict[str, DatasetDataRow] = {}
        for start in range(0, len(ids), DATA_ROWS_PAGE_SIZE):
            batch = ids[start : start + DATA_ROWS_PAGE_SIZE]
            async for row in self.list(dataset_id, ids=batch, timeout=timeout):
                by_id[row.id] = row
        return [by_id[i] for i in ids if i in by_id]

    async def update(
        self,
        data_row_id: str,
        *,
        row_data: str | Mapping[str, Any] | None = None,
        global_key: str | None = None,
        external_id: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> DatasetDataRow:
        """Change one data row's row data, global key or external id (the SDK's ``DataRow.update``).

        For many rows at once, :meth:`upsert` with keys is one task per chunk rather than a request per row.

        Raises:
            InvalidArgumentError: Nothing to change, or an empty value.
            ResourceNotFoundError: There is no such data row.
            ResourceConflictError: The global key is taken by another row.

        Example:
            >>> [row] = await client.data_rows.create_many(dataset_id, [{"row_data": "https://e.com/a.jpg"}])
            >>> row = await client.data_rows.update(row.id, external_id="renamed.jpg")
            >>> row.external_id
            'renamed.jpg'
        """
        check_id("data_row_id", data_row_id)
        data: dict[str, Any] = {}
        for name, api, value in (
            ("row_data", "rowData", row_data),
            ("global_key", "globalKey", global_key),
            ("external_id", "externalId", external_id),
        ):
            if value is None:
                continue
            if isinstance(value, Mapping):
                value = json.dumps(dict(value))
            if not isinstance(value, str) or not value:
                raise InvalidArgumentError(name, f"must be a non-empty string, not {value!r}")
            data[api] = value
        if not data:
            raise InvalidArgumentError("row_data", "nothing to update: give row_data, global_key or external_id")
        row: DatasetDataRow = await self._mutate(
            UPDATE_DATA_ROW, {"id": data_row_id, "data": data}, DatasetDataRow, timeout=timeout
        )
        return row

    async def delete(self, data_row_ids: Iterable[str], *, timeout: TimeoutArg = DEFAULT) -> int:
        """Delete data rows by id (the SDK's ``DataRow.bulk_delete``), 1,000 a request; how many were deleted.

        Each request is all or nothing; a request that fails raises, and the earlier ones stay done.

        Raises:
            ResourceNotFoundError: An id names no data row (nothing of that request was deleted).

        Example:
            >>> rows = await client.data_rows.create_many(dataset_id, [{"row_data": "https://e.com/a.jpg"}] * 2)
            >>> await client.data_rows.delete([row.id for row in rows])
            2
        """
        ids = list(dict.fromkeys(check_ids("data_row_ids", data_row_ids)))
        deleted = 0
        for start in range(0, len(ids), DELETE_DATA_ROWS_BATCH):
            batch = ids[start : start + DELETE_DATA_ROWS_BATCH]
            deleted += len(await self._mutate(DELETE_DATA_ROWS, {"ids": batch}, timeout=timeout))
        return deleted

    async def send_to_annotate(
        self,
        project_id: str,
        *,
        batch_name: str,
        params: SendToAnnotateParams | Mapping[str, Any],
        data_row_ids: Iterable[str] | None = None,
        global_keys: Iterable[str] | None = None,
        task_queue_id: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Task:
        """Send catalog rows to a project's queue as a batch, with a model run's predictions as pre-labels or a
        project's labels copied, as the SDK's ``client.send_to_annotate_from_catalog``; the task (wait for it with
        ``client.tasks.wait``). A model run's own send is ``client.model_runs.send_to_annotate``.

        The rows join the project as batch ``batch_name`` (rows already in it stay where they are, or are left out
        with ``exclude_data_rows_in_project``). With ``source_model_run_id`` the run's predictions on them become
        the project's pre-labels; with ``source_project_id`` that project's labels on them are copied as labels.
        The ontology mapping renames the features (only the mapped ones go, when it is given).

        Args:
            project_id: The project to annotate the rows in.
            batch_name: The name of the batch the rows go in.
            params: :class:`~alabelbox.types.SendToAnnotateParams`, or the SDK's ``params`` dict (its keys are the
                model's fields), with one source: ``source_model_run_id`` or ``source_project_id``.
            data_row_ids: The rows, by id.
            global_keys: The rows, by global key (instead of ``data_row_ids``).
            task_queue_id: The project's queue to put them in; None puts them in Done.
            timeout: Limits for the request, overriding the client's.

        Raises:
            InvalidArgumentError: A bad argument (no source or two, both or neither of the row arguments, a
                priority out of range...), named (``params.batch_priority``), before anything is sent.

        Example:
            >>> task = await client.data_rows.send_to_annotate(
            ...     project_id, batch_name="from the catalog", data_row_ids=row_ids[:2],
            ...     params=SendToAnnotateParams(source_project_id=project_id, batch_priority=1))
            >>> (await client.tasks.wait(task)).succeeded
            True
            >>> [b.name async for b in client.batches.list(project_id)][-1]
            'from the catalog'
        """
        checked = check_params(params)
        if not checked.source_model_run_id and not checked.source_project_id:
            raise InvalidArgumentError(
                "params.source_project_id", "give a source: source_project_id or source_model_run_id"
            )
        send_input = _send_input(
            project_id=project_id,
            batch_name=batch_name,
            data_row_ids=data_row_ids,
            global_keys=global_keys,
            task_queue_id=task_queue_id,
            params=checked,
        )
        # As the SDK sends it: the rows by search query; in the order they were named (a fixed seed, where the SDK
        # draws one at random).
        send_input["searchQuery"] = {"scope": None, "query": send_input["searchQuery"]}
        send_input.update(ordering={"type": "RANDOM", "random": {"seed": 0}, "sorting": None}, sorting=None, limit=None)
        return await self._create_task(SEND_TO_ANNOTATE_FROM_CATALOG, {"input": send_input}, timeout=timeout)
