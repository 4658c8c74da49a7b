"""``client.slices``: slices (saved queries) of the catalog and of model runs, and the data rows they select.

Slices are made in the app (the API cannot create them); here they are listed, retrieved and read. A slice's export
is an export task like any other: ``client.exports.create(slice_id=...)``.
"""

from __future__ import annotations

import builtins

from alabelbox._pagination import Paginator
from alabelbox._queries.slices import (
    GET_CATALOG_SAVED_QUERIES,
    GET_DATA_ROW_IDENFIFIERS_BY_SAVED_MODEL_QUERY,
    GET_DATA_ROW_IDENFIFIERS_BY_SAVED_QUERY,
    GET_SAVED_QUERY,
)
from alabelbox._validation import check_id, check_positive_int
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, dig, operation_of, parse_many
from alabelbox.types.slice import Slice, SliceDataRow

__all__ = ["Slices"]


class Slices(Resource):
    """Slices: ``client.slices``.

    Example:
        >>> catalog_slices = await client.slices.list()
        >>> first = catalog_slices[0]
        >>> rows = [row async for row in client.slices.data_row_identifiers(first.id)]
        >>> task = await client.exports.create_and_poll(slice_id=first.id, poll_interval=0.01)
        >>> async with client.exports.stream(task) as exported:
        ...     exported_ids = [record.value.data_row.id async for record in exported]
        >>> exported_ids == [row.id for row in rows]
        True
    """

    async def list(self, *, timeout: TimeoutArg = DEFAULT) -> builtins.list[Slice]:
        """Every catalog slice of the organization (the SDK's ``client.get_catalog_slices()``). The API lists no
        model slices: retrieve one by id.

        To find a slice by name, as the SDK's ``get_catalog_slice(slice_name=...)`` does, filter this list.

        Example:
            >>> names = [s.name for s in await client.slices.list()]
            >>> len(names) > 0
            True
        """
        operation, where = operation_of(GET_CATALOG_SAVED_QUERIES)
        data = await self._execute(GET_CATALOG_SAVED_QUERIES, timeout=timeout)
        return parse_many(Slice, dig(data, where, operation), operation)

    async def retrieve(self, slice_id: str, *, timeout: TimeoutArg = DEFAULT) -> Slice:
        """One slice, a catalog or a model slice (the SDK's ``get_catalog_slice(id)`` and ``get_model_slice(id)``).

        Raises:
            ResourceNotFoundError: No slice has this id.

        Example:
            >>> found = await client.slices.retrieve(slice_id)
            >>> found.id == slice_id, found.filter[0]["type"]
            (True, 'dataset')
        """
        return await self._retrieve(GET_SAVED_QUERY, {"id": check_id("slice_id", slice_id)}, Slice, timeout=timeout)

    def data_row_identifiers(
        self,
        slice_id: str,
        *,
        page_size: int = 100,
        start_cursor: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[SliceDataRow]:
        """The data rows a catalog slice selects, id and global key, by cursor pages (the SDK's
        ``CatalogSlice.get_data_row_identifiers()``; for the ids alone, read ``row.id``).

        Args:
            slice_id: The catalog slice.
            page_size: Rows per request.
            start_cursor: Resume after this cursor (a page's ``next_cursor``).
            timeout: Limits for each request, overriding the client's.

        Raises:
            ResourceNotFoundError: No catalog slice has this id (raised while iterating).

        Example:
            >>> rows = [row async for row in client.slices.data_row_identifiers(slice_id, page_size=5)]
            >>> len(rows), rows[-1].global_key
            (13, 'cat-gk')
        """
        return self._cursor_listing(
            GET_DATA_ROW_IDENFIFIERS_BY_SAVED_QUERY,
            {"id": check_id("slice_id", slice_id)},
            SliceDataRow,
            page_size=check_positive_int("page_size", page_size),
            start_cursor=start_cursor,
            timeout=timeout,
        )

    def model_data_row_identifiers(
        self,
        slice_id: str,
        model_run_id: str,
        *,
        page_size: int = 100,
        start_cursor: str | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[SliceDataRow]:
        """The data rows of a model run that a model slice selects, by cursor pages (the SDK's
        ``ModelSlice.get_data_row_identifiers(model_run_id)``; ``get_data_row_ids`` is ``row.id`` of these).

        The API's cursor here is an object (the last row's ``{dataRowId globalKey}``); a page's ``next_cursor``
        holds it as JSON text, and ``start_cursor`` takes that text back.

        Args:
            slice_id: The model slice.
            model_run_id: The model run whose rows the slice filters.
            page_size: Rows per request.
            start_cursor: Resume after this cursor (a page's ``next_cursor``).
            timeout: Limits for each request, overriding the client's.

        Raises:
            InvalidArgumentError: ``start_cursor`` is not a cursor of this listing.
            ResourceNotFoundError: No such model slice or model run (raised while iterating).

        Example:
            >>> rows = [row async for row in client.slices.model_data_row_identifiers(model_slice_id, model_run_id)]
            >>> [row.id for row in rows] == [data_row_id]
            True
        """
        variables = {"id": check_id("slice_id", slice_id), "modelRunId": check_id("model_run_id", model_run_id)}
        return self._cursor_listing(
            GET_DATA_ROW_IDENFIFIERS_BY_SAVED_MODEL_QUERY,
            variables,
            SliceDataRow,
            page_size=check_positive_int("page_size", page_size),
            start_cursor=start_cursor,
            timeout=timeout,
            object_cursor=True,
        )
