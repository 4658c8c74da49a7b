"""``client.data_rows``: retrieve one data row, list a dataset's rows by cursor."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alabelbox._constants import DATA_ROWS_PAGE_SIZE
from alabelbox._filters import data_row_where
from alabelbox._pagination import Paginator
from alabelbox._queries.data_rows import LIST_DATASET_DATA_ROWS, RETRIEVE_DATA_ROW
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.data_row import DatasetDataRow

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
        """One data row by id.

        Raises:
            ResourceNotFoundError: There is no such data row.

        Example:
            >>> row = await client.data_rows.retrieve(data_row_id)
            >>> row.id == data_row_id
            True
        """
        return await self._retrieve(
            RETRIEVE_DATA_ROW, {"id": check_id("data_row_id", data_row_id)}, DatasetDataRow, timeout=timeout
        )
