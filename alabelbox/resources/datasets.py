"""``client.datasets``: list and retrieve datasets (their data rows: ``client.data_rows.list``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import InvalidArgumentError, LabelboxError
from alabelbox._filters import named_where
from alabelbox._pagination import Paginator
from alabelbox._queries.datasets import (
    CREATE_DATASET,
    DELETE_DATASET,
    LIST_DATASETS,
    RETRIEVE_DATASET,
    SET_DATASET_SIGNER,
    UPDATE_DATASET,
    VALIDATE_DATASET,
)
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

    async def create(
        self,
        name: str,
        *,
        description: str | None = None,
        iam_integration: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Dataset:
        """Create an empty dataset (the SDK's ``client.create_dataset``).

        Args:
            name: The dataset's name (not blank).
            description: Its description.
            iam_integration: The id of an IAM integration (delegated access) that signs the dataset's asset URLs. The
                SDK picks the organization's default one when none is given; here none is used unless named. If the
                integration cannot be set or does not validate, the dataset is deleted again and the error raised.
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: The name is blank.

        Example:
            >>> dataset = await client.datasets.create("cats", description="every cat")
            >>> dataset.row_count
            0
        """
        if not isinstance(name, str) or not name.strip():
            raise InvalidArgumentError("name", f"must be a non-blank string, not {name!r}")
        data: dict[str, Any] = {"name": name}
        if description is not None:
            data["description"] = description
        dataset: Dataset = await self._mutate(CREATE_DATASET, {"data": data}, Dataset, timeout=timeout)
        if iam_integration is None:
            return dataset
        try:
            check_id("iam_integration", iam_integration)
            variables = {"signerId": iam_integration, "datasetId": dataset.id}
            await self._mutate(SET_DATASET_SIGNER, variables, timeout=timeout)
            checked = await self._mutate(VALIDATE_DATASET, {"id": dataset.id}, timeout=timeout)
            if not checked.get("valid"):
                raise LabelboxError(f"IAM integration {iam_integration} did not validate on the dataset")
        except BaseException:
            await self.delete(dataset.id, timeout=timeout)
            raise
        return dataset

    async def update(
        self,
        dataset_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Dataset:
        """Change a dataset's name or description (the SDK's ``Dataset.update``); the dataset as it is now.

        Raises:
            InvalidArgumentError: Nothing to change, or a blank name.
            ResourceNotFoundError: There is no such dataset.

        Example:
            >>> dataset = await client.datasets.update(dataset_id, description="reviewed")
            >>> dataset.description
            'reviewed'
        """
        check_id("dataset_id", dataset_id)
        data: dict[str, Any] = {}
        if name is not None:
            if not isinstance(name, str) or not name.strip():
                raise InvalidArgumentError("name", f"must be a non-blank string, not {name!r}")
            data["name"] = name
        if description is not None:
            data["description"] = description
        if not data:
            raise InvalidArgumentError("name", "nothing to update: give a name or a description")
        updated: Dataset = await self._mutate(
            UPDATE_DATASET, {"id": dataset_id, "data": data}, Dataset, timeout=timeout
        )
        return updated

    async def delete(self, dataset_id: str, *, timeout: TimeoutArg = DEFAULT) -> None:
        """Delete a dataset and every data row in it (the SDK's ``Dataset.delete``).

        Raises:
            ResourceNotFoundError: There is no such dataset (or it is already deleted).

        Example:
            >>> dataset = await client.datasets.create("scratch")
            >>> await client.datasets.delete(dataset.id)
        """
        check_id("dataset_id", dataset_id)
        await self._mutate(DELETE_DATASET, {"id": dataset_id}, timeout=timeout)

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
        """One dataset by id, with who created it (``created_by``) and its ``organization``.

        Raises:
            ResourceNotFoundError: There is no such dataset.

        Example:
            >>> dataset = await client.datasets.retrieve(dataset_id)
            >>> dataset.created_by.id == user_id, dataset.organization.id == dataset.organization.id
            (True, True)
        """
        return await self._retrieve(
            RETRIEVE_DATASET, {"id": check_id("dataset_id", dataset_id)}, Dataset, timeout=timeout
        )
