"""``client.labels``: retrieve, list with every filter, delete (by id, in bulk, by batch)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

import anyio
from pydantic import TypeAdapter

from alabelbox._constants import DEFAULT_PAGE_SIZE
from alabelbox._exceptions import (
    ApiConnectionError,
    AuthenticationError,
    InvalidArgumentError,
    LabelboxError,
    UnexpectedResponseError,
)
from alabelbox._filters import LabelFilter
from alabelbox._pagination import Paginator
from alabelbox._queries.labels import (
    BULK_DELETE_LABELS,
    DEFAULT_LABEL_SELECTION,
    DEFAULT_RETRIEVE_SELECTION,
    DELETE_LABELS,
    LABEL_SELECTIONS,
    list_data_row_labels,
    list_project_labels,
    retrieve_label,
)
from alabelbox._validation import DateLike, check_id, check_ids, check_positive_int
from alabelbox.resources._base import COUNT, DEFAULT, Resource, TimeoutArg
from alabelbox.types.deletion import BulkLabelDeletion, LabelDeletion
from alabelbox.types.label import Label, LabelOrder

__all__ = ["DELETE_CHUNK_SIZE", "LabelFilter", "Labels"]

#: The answer of ``deleteLabels``: a list, of one ``{id, deleted}`` object per id (other items are skipped).
_DELETED: TypeAdapter[list[Any]] = TypeAdapter(list[Any])

#: Ids per ``deleteLabels`` request: the SDK's ``delete_labels_by_user`` chunk.
DELETE_CHUNK_SIZE = 500
#: ``deleteLabels`` requests in flight at once.
DELETE_CONCURRENCY = 4


def _selection(include: Iterable[str] | None, default: frozenset[str] = DEFAULT_LABEL_SELECTION) -> frozenset[str]:
    if include is None:
        return default
    if isinstance(include, str):
        raise InvalidArgumentError("include", f"must be a collection of names, not the string {include!r}")
    chosen = frozenset(include)
    unknown = sorted(chosen - LABEL_SELECTIONS.keys())
    if unknown:
        raise InvalidArgumentError(
            "include", f"unknown selection {', '.join(map(repr, unknown))}; choose from {sorted(LABEL_SELECTIONS)}"
        )
    return chosen


class Labels(Resource):
    """Labels of projects: ``client.labels``.

    Example:
        >>> async for label in client.labels.list(project_id, type="Submitted", agreement_min=0.8):
        ...     print(label.id, label.created_by.email, len(label.legacy_label.objects or []))
    """

    async def retrieve(
        self,
        label_id: str,
        *,
        include: Iterable[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Label:
        """One label by id, with its timing metrics (``seconds_to_create``, ``seconds_to_review`` and the
        deprecated ``seconds_to_label``).

        Args:
            label_id: The label.
            include: Related objects to select, from ``"created_by"``, ``"type"``, ``"data_row"``, ``"reviews"``
                and ``"project"``. Default: all but reviews.
            timeout: Limits for this request, overriding the client's.

        Raises:
            ResourceNotFoundError: There is no such label (or it was deleted and not kept as a template).

        Example:
            >>> label = await client.labels.retrieve(label_id)
            >>> label.seconds_to_create, label.seconds_to_review, label.project_id == project_id
            (..., ..., True)
        """
        query = retrieve_label(_selection(include, DEFAULT_RETRIEVE_SELECTION))
        return await self._retrieve(query, {"id": check_id("label_id", label_id)}, Label, timeout=timeout)

    def list(
        self,
        project_id: str,
        *,
        where: LabelFilter | None = None,
        created_by: str | None = None,
        created_after: DateLike | None = None,
        created_before: DateLike | None = None,
        type: str | None = None,
        agreement_min: float | None = None,
        agreement_max: float | None = None,
        agreement: tuple[float, float] | None = None,
        dataset_id: str | None = None,
        dataset_ids: Iterable[str] | None = None,
        include: Iterable[str] | None = None,
        order_by: LabelOrder | str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Label]:
        """The labels of a project, in the API's order, ``window`` pages at a time.

        Filters combine with AND; bounds are exclusive, as on the wire. See :class:`LabelFilter`.

        Args:
            project_id: The project.
            where: A prepared :class:`LabelFilter` (instead of the filter keywords).
            created_by: The id of the user who created the label.
            created_after: Created after this instant: a datetime, a date or an ISO 8601 string (UTC if no zone).
            created_before: Created before this instant.
            type: ``"Submitted"`` or ``"Skipped"``.
            agreement_min: Agreement above this (0..1); labels without agreement are left out.
            agreement_max: Agreement below this (0..1).
            agreement: ``(min, max)``, instead of ``agreement_min``/``agreement_max``.
            dataset_id: Only labels on data rows of this dataset.
            dataset_ids: Only labels on data rows of these datasets.
            include: Related objects to select, from ``"created_by"``, ``"type"``, ``"data_row"``, ``"reviews"``
                and ``"project"``. Default: all but reviews and the project. Fewer means smaller pages.
            order_by: The order, a :class:`~alabelbox.types.LabelOrder` or its API name (``"createdAt_DESC"``), as
                the SDK's ``Project.labels(order_by=...)``. Default: the API's (oldest first).
            page_size: Labels per request.
            window: Requests in flight at once, pinned; 1 is sequential, as the official SDK. None (the default)
                adapts it to the latency, up to the client's pool.
            timeout: Limits for each request, overriding the client's.

        Returns:
            A :class:`~alabelbox.Paginator` of :class:`~alabelbox.types.Label`; nothing is sent until it is
            awaited or iterated.

        Raises:
            InvalidArgumentError: A filter is malformed or two filters exclude each other (raised here).
            ResourceNotFoundError: While iterating: there is no such project.

        Example:
            >>> labels = client.labels.list(project_id, created_after="2024-04-01", type="Skipped")
            >>> skipped = [label.id async for label in labels]
            >>> newest = [label.created_at async for label in client.labels.list(project_id, order_by="createdAt_DESC")]
            >>> newest == sorted(newest, reverse=True)
            True
        """
        check_id("project_id", project_id)
        order: LabelOrder | None = None
        if order_by is not None:
            try:
                order = LabelOrder(order_by)
            except ValueError:
                choices = ", ".join(o.value for o in LabelOrder)
                raise InvalidArgumentError("order_by", f"unknown order {order_by!r}; choose from {choices}") from None
        filters = {
            "created_by": created_by,
            "created_after": created_after,
            "created_before": created_before,
            "type": type,
            "agreement_min": agreement_min,
            "agreement_max": agreement_max,
            "agreement": agreement,
            "dataset_id": dataset_id,
            "dataset_ids": dataset_ids,
        }
        if where is not None:
            given = [name for name, value in filters.items() if value is not None]
            if given:
                raise InvalidArgumentError("where", f"give either where or filter keywords ({', '.join(given)})")
            if not isinstance(where, LabelFilter):
                raise InvalidArgumentError("where", f"must be a LabelFilter, not {where!r}")
            label_filter = where
        else:
            label_filter = LabelFilter(**filters)  # type: ignore[arg-type]
        variables: dict[str, Any] = {"projectId": project_id, "where": label_filter.to_where() or None}
        if order is not None:
            variables["orderBy"] = order.value
        return self._offset_listing(
            list_project_labels(_selection(include)),
            variables,
            Label,
            path=("project", "labels"),
            page_size=page_size,
            window=window,
            timeout=timeout,
        )

    def list_by_data_row(
        self,
        data_row_id: str,
        *,
        include: Iterable[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        window: int | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[Label]:
        """The labels of one data row, in every project it is labeled in, as the SDK's ``DataRow.labels()``.

        Args:
            data_row_id: The data row.
            include: Related objects to select, as :meth:`retrieve` takes them. Default: all but reviews, with
                the ``project`` of each label (``label.project_id``).
            page_size: Labels per request.
            window: Requests in flight at once, pinned; None (the default) adapts it to the latency.
            timeout: Limits for each request, overriding the client's.

        Raises:
            ResourceNotFoundError: While iterating: there is no such data row.

        Example:
            >>> labels = [label async for label in client.labels.list_by_data_row(data_row_id)]
            >>> [(label.data_row.id, label.project_id) for label in labels] == [(data_row_id, project_id)]
            True
        """
        return self._offset_listing(
            list_data_row_labels(_selection(include, DEFAULT_RETRIEVE_SELECTION)),
            {"dataRowId": check_id("data_row_id", data_row_id)},
            Label,
            path=("dataRow", "labels"),
            page_size=check_positive_int("page_size", page_size),
            window=window,
            timeout=timeout,
        )

    async def delete(
        self,
        label_ids: Iterable[str],
        *,
        chunk_size: int = DELETE_CHUNK_SIZE,
        concurrency: int = DELETE_CONCURRENCY,
        timeout: TimeoutArg = DEFAULT,
    ) -> LabelDeletion:
        """Delete labels by id (``deleteLabels``); each asset goes back into the labeling queue.

        The ids are sent in chunks of ``chunk_size``, ``concurrency`` chunks at a time. A chunk that fails (after
        the client's retries) does not stop the others: the result lists what was deleted and what failed. The API
        refuses a whole chunk for one bad id (an unknown one, say); such a chunk is halved until each bad id is alone,
        so the good ids are deleted and each failure carries the error of that very id.

        Args:
            label_ids: The labels; repeats are sent once.
            chunk_size: Ids per request.
            concurrency: Requests in flight at once.
            timeout: Limits for each request, overriding the client's.

        Returns:
            A :class:`~alabelbox.types.LabelDeletion`: ``deleted`` ids, ``failed`` ids with their errors.

        Raises:
            InvalidArgumentError: An id is not a non-empty string, or a size is below 1 (before any request).

        Example:
            >>> result = await client.labels.delete(label_ids)
            >>> result.raise_for_failures()
            >>> result.deleted == label_ids
            True
        """
        ids = check_ids("label_ids", label_ids)
        check_positive_int("chunk_size", chunk_size)
        check_positive_int("concurrency", concurrency)
        chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
        deleted: builtins.list[builtins.list[str]] = [[] for _ in chunks]
        failed: dict[str, LabelboxError] = {}
        limiter = anyio.CapacityLimiter(concurrency)

        async def send(chunk: builtins.list[str]) -> set[Any]:
            async with limiter:
                # Deleting ids is idempotent: a retried request deletes the same labels (already deleted ones
                # are reported, not re-deleted) and the answer lists ids, not a count that a repeat would skew.
                answer = await self._value(
                    DELETE_LABELS, {"labelIds": chunk}, _DELETED, timeout=timeout, idempotent=True
                )
            return {item.get("id") for item in answer if isinstance(item, dict) and item.get("deleted") is not False}

        async def run(chunk: builtins.list[str]) -> builtins.list[str]:
            # The API deletes a chunk all or nothing: one unknown id fails the mutation and nothing is deleted. An
            # error about the ids themselves (not found, not allowed, ...) is narrowed down by halving the chunk,
            # so the good ids are deleted and each bad id gets its own error; a transient one (still failing after
            # the client's retries) fails the chunk as a whole, since every id in it was refused for that reason.
            try:
                done = await send(chunk)
            except LabelboxError as error:
                if len(chunk) == 1 or not _about_the_ids(error):
                    failed.update(dict.fromkeys(chunk, error))
                    return []
                middle = len(chunk) // 2
                halves: builtins.list[builtins.list[str]] = [[], []]

                async def half(k: int, part: builtins.list[str]) -> None:
                    halves[k] = await run(part)

                async with anyio.create_task_group() as group:
                    group.start_soon(half, 0, chunk[:middle])
                    group.start_soon(half, 1, chunk[middle:])
                return halves[0] + halves[1]
            return [i for i in chunk if i in done]

        async def run_chunk(index: int, chunk: builtins.list[str]) -> None:
            deleted[index] = await run(chunk)

        async with anyio.create_task_group() as group:
            for index, chunk in enumerate(chunks):
                group.start_soon(run_chunk, index, chunk)
        return LabelDeletion(
            deleted=[i for part in deleted for i in part], failed={i: failed[i] for i in ids if i in failed}
        )

    async def bulk_delete(
        self,
        project_id: str,
        *,
        where: LabelFilter,
        make_templates: bool = True,
        timeout: TimeoutArg = DEFAULT,
    ) -> BulkLabelDeletion:
        """Delete every label of a project that matches ``where`` (``bulkDeleteLabels``), server side.

        The assets go back into the labeling queue. With ``make_templates`` (the API's default) the deleted labels
        are kept as templates; their timing metrics are not kept.

        Args:
            project_id: The project.
            where: Which labels. Required, so that deleting every label takes an explicit ``LabelFilter()``.
            make_templates: Keep the deleted labels as templates.
            timeout: Limits for this request, overriding the client's.

        Returns:
            How many labels were deleted.

        Raises:
            ResourceNotFoundError: There is no such project.

        Example:
            >>> skipped = LabelFilter(type="Skipped", created_before="2024-01-01")
            >>> result = await client.labels.bulk_delete(project_id, where=skipped)
            >>> print("deleted:", result.count)
            deleted: ...
        """
        check_id("project_id", project_id)
        if not isinstance(where, LabelFilter):
            raise InvalidArgumentError("where", f"must be a LabelFilter (LabelFilter() for every label), not {where!r}")
        if not isinstance(make_templates, bool):
            raise InvalidArgumentError("make_templates", f"must be True or False, not {make_templates!r}")
        # Not idempotent=True: after a lost answer a retry would report a count of 0 for labels the first attempt
        # deleted, so a server failure surfaces instead of a wrong count.
        count = await self._value(
            BULK_DELETE_LABELS,
            {"projectId": project_id, "makeTemplates": make_templates, "labelsWhere": where.to_where() or None},
            COUNT,
            path=("project", "bulkDeleteLabels", "count"),
            timeout=timeout,
        )
        return BulkLabelDeletion(count=count, make_templates=make_templates)


def _about_the_ids(error: LabelboxError) -> bool:
    """Whether a refused ``deleteLabels`` may be down to some of its ids, so that smaller chunks would pass."""
    if error.retryable:
        return False  # transient: smaller chunks would not fare better
    return not isinstance(error, (ApiConnectionError, AuthenticationError, UnexpectedResponseError))
