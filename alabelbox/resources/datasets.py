"""``client.datasets``: list and retrieve datasets (their data rows: ``client.data_rows.list``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._filters import named_where
from alabelbox._pagination import Paginator
from alabelbox._queries.datasets import LIST_DATASETS, RETRIEVE_DATASET
from alabelbox._validation import check_id
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg
from alabelbox.types.dataset import Dataset

__all__ = ["Datasets"]


class Datasets(Resource):
    """Datasets of the organization: ``client.datasets``.

    Example:
        >>> dataset = await client.datasets.retrieve(dataset_id)
        >>> async for row in client.data_rows.list(dataset.id):
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
