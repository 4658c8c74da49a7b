"""``client.data_rows``: retrieve one data row, list a dataset's rows by cursor."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alabelbox._constants import DATA_ROWS_PAGE_SIZE
from alabelbox._pagination import Paginator
from alabelbox._queries.data_rows import RETRIEVE_DATA_ROW
from alabelbox._validation import check_id
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.resources.datasets import dataset_data_rows
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
        """The data rows of a dataset by cursor; the same as :meth:`alabelbox.resources.Datasets.data_rows`.

        Example:
            >>> async for row in client.data_rows.list(dataset_id, page_size=5):
            ...     print(row.id, row.global_key)
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
