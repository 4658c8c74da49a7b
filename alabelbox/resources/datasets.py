"""``client.datasets``: list, retrieve, and the data rows of a dataset by cursor."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alabelbox._constants import DATA_ROWS_PAGE_SIZE, DEFAULT_PAGE_SIZE
from alabelbox._filters import data_row_where, named_where
from alabelbox._pagination import Paginator
from alabelbox._queries.data_rows import LIST_DATASET_DATA_ROWS
from alabelbox._queries.datasets import LIST_DATASETS, RETRIEVE_DATASET
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.data_row import DatasetDataRow
from alabelbox.types.dataset import Dataset

__all__ = ["Datasets", "dataset_data_rows"]


def dataset_data_rows(
    resource: Resource,
    dataset_id: str,
    *,
    ids: Iterable[str] | None,
    global_keys: Iterable[str] | None,
    external_ids: Iterable[str] | None,
    where: Mapping[str, Any] | None,
    page_size: int,
    start_cursor: str | None,
    timeout: TimeoutArg,
) -> Paginator[DatasetDataRow]:
    """The cursor paginator behind ``datasets.data_rows`` and ``data_rows.list``."""
    check_id("dataset_id", dataset_id)
    check_positive_int("page_size", page_size)
    if start_cursor is not None:
        check_id("start_cursor", start_cursor)
    row_where = data_row_where(ids=ids, global_keys=global_keys, external_ids=external_ids, where=where)
    # The next page's cursor is in startCursor (sic), as the SDK reads it.
    return resource._cursor_listing(
        LIST_DATASET_DATA_ROWS,
        {"id": dataset_id, "where": row_where},
        DatasetDataRow,
        cursor=("pageInfo", "startCursor"),
        page_size=page_size,
        start_cursor=start_cursor,
        timeout=timeout,
    )


class Datasets(Resource):
    """Datasets of the organization: ``client.datasets``.

    Example:
        >>> dataset = await client.datasets.retrieve(dataset_id)
        >>> async for row in client.datasets.data_rows(dataset.id):
        ...     print(row.global_key, row.row_data)
    """

    def list(
        self,
        *,
        name: str | None = None,
        name_contains: str | None = None,
        where: Mapping[str, Any] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Dataset]:
        """Datasets that are not deleted, as the SDK's ``client.get_datasets(where=...)``.

        Args:
            name: Only the dataset(s) with exactly this name.
            name_contains: Only datasets whose name contains this.
            where: A raw ``DatasetWhereInput``, ANDed with the other filters.
            page_size: Datasets per request.
            window: Requests in flight at once, pinned; None (the default) adapts it to the latency.
            timeout: Limits for each request, overriding the client's.

        Example:
            >>> names = [d.name async for d in client.datasets.list()]
        """
        variables = {"where": named_where(name=name, name_contains=name_contains, where=where)}
        return self._offset_listing(
            LIST_DATASETS, variables, Dataset, page_size=page_size, window=window, timeout=timeout
        )

    async def retrieve(self, dataset_id: str, *, timeout: TimeoutArg = DEFAULT) -> Dataset:
        """One dataset by id.

        Raises:
            ResourceNotFoundError: There is no such dataset.

        Example:
            >>> dataset = await client.datasets.retrieve(dataset_id)
        """
        return await self._retrieve(
            RETRIEVE_DATASET, {"id": check_id("dataset_id", dataset_id)}, Dataset, timeout=timeout
        )

    def data_rows(
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
            >>> rows = client.datasets.data_rows(dataset_id, ids=[data_row_id])
            >>> [row.id async for row in rows] == [data_row_id]
            True
        """
        return dataset_data_rows(
            self,
            dataset_id,
            ids=ids,
            global_keys=global_keys,
            external_ids=external_ids,
            where=where,
            page_size=page_size,
            start_cursor=start_cursor,
            timeout=timeout,
        )
