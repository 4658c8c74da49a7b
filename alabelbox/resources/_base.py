"""What every resource shares: the bound client, the per-call timeout, and one helper per kind of call.

A resource method is one call to a helper of :class:`Resource`:

- :meth:`Resource._retrieve`: one object (``ResourceNotFoundError`` where the API answers null);
- :meth:`Resource._mutate`: a mutation, with its answer parsed or not;
- :meth:`Resource._value`: a plain value (a count, a list of ids), checked strictly;
- :meth:`Resource._offset_listing` / :meth:`Resource._cursor_listing`: a :class:`~alabelbox.Paginator` over
  ``skip``/``first`` or cursor pages;
- :meth:`Resource._create_task`: a mutation that starts a server-side task, answered with the :class:`Task`;
- :meth:`Resource._rest`: one call of the REST API (``/api/v1``), for what the SDK does over REST (ontologies,
  feature schemas).

The operation's name, for errors, comes from the parsed document; where the answer's value is, from its one root
field unless a ``path`` says otherwise. No operation name is typed twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

from pydantic import BaseModel, TypeAdapter, ValidationError

from alabelbox._config import USE_CLIENT_DEFAULT, TimeoutArg
from alabelbox._exceptions import InvalidArgumentError, ResourceNotFoundError, ResponseModelError
from alabelbox._pagination import DEFAULT_WINDOW, CursorPage, Paginator
from alabelbox._transport._operation import prepare

if TYPE_CHECKING:
    from alabelbox._client import Client
    from alabelbox.types.task import Task

__all__ = ["COUNT", "DEFAULT", "DEFAULT_WINDOW", "IDS", "Resource", "TimeoutArg", "operation_of"]

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


#: A count, for :meth:`Resource._value` (strict: neither ``True`` nor ``"5"`` is a count).
COUNT: TypeAdapter[int] = TypeAdapter(int)
#: A list of ids, for :meth:`Resource._value`.
IDS: TypeAdapter[list[str]] = TypeAdapter(list[str])

#: "Use the client's timeout" (None means no limit, so it cannot be the default).
DEFAULT = USE_CLIENT_DEFAULT


def operation_of(query: str) -> tuple[str, tuple[str, ...]]:
    """The operation name of ``query`` (for errors) and its one root field as a path (for :func:`dig`).

    The document is parsed once (the transport's cache); a document with several root fields has no default path.

    Example:
        >>> operation_of("query RetrieveDatasetPyApi($id: ID!) { dataset(where: {id: $id}) { id } }")
        ('RetrieveDatasetPyApi', ('dataset',))
    """
    operation = prepare(query)
    root = operation.root_fields[:1] if len(operation.root_fields) == 1 else ()
    return operation.label, root


def dig(data: Any, path: Sequence[str], operation: str) -> Any:
    """``data[path[0]][path[1]]...``; ResourceNotFoundError where the API answered null (as it does for an id that
    does not exist), UnexpectedResponseError where a member is missing."""
    node = data
    for i, key in enumerate(path):
        if not isinstance(node, dict) or key not in node:
            raise ResponseModelError(f"the answer has no {'.'.join(path[: i + 1])}", operation=operation)
        node = node[key]
        if node is None:
            raise ResourceNotFoundError(f"{'.'.join(path[: i + 1])} is null: no such object", operation=operation)
    return node


def parse(model: type[M], value: Any, operation: str) -> M:
    """Validate one object of an answer, mapping pydantic's error to ours."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ResponseModelError(f"the answer does not fit {model.__name__}: {exc}", operation=operation) from exc


def parse_many(model: type[M], values: Any, operation: str) -> list[M]:
    """Validate a list of objects of an answer."""
    if not isinstance(values, list):
        raise ResponseModelError(
            f"expected a list of {model.__name__}, got {type(values).__name__}", operation=operation
        )
    return [parse(model, v, operation) for v in values]


class Resource:
    """A thin namespace bound to a client (``client.projects``, ``client.labels``...)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    async def _execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
        idempotent: bool = False,
    ) -> dict[str, Any]:
        return await self._client.execute(
            query, variables, experimental=experimental, idempotent=idempotent, timeout=timeout
        )

    @staticmethod
    def _where(query: str, path: Sequence[str] | None) -> tuple[str, Sequence[str]]:
        operation, root = operation_of(query)
        if path is None:
            if not root:
                raise TypeError(f"{operation} has several root fields: pass the path of the value")
            path = root
        return operation, path

    async def _retrieve(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
    ) -> M:
        """Run ``query`` and parse the object at ``path`` (default: the one root field) as ``model``.

        Raises:
            ResourceNotFoundError: The API answered null there (its answer for an id that does not exist).
            ResponseModelError: The answer has no such member, or it does not fit ``model``.
        """
        operation, where = self._where(query, path)
        data = await self._execute(query, variables, timeout=timeout, experimental=experimental)
        return parse(model, dig(data, where, operation), operation)

    @overload
    async def _mutate(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
        idempotent: bool = False,
    ) -> M: ...

    @overload
    async def _mutate(
        self,
        query: str,
        variables: dict[str, Any],
        model: None = None,
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
        idempotent: bool = False,
    ) -> Any: ...

    async def _mutate(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M] | None = None,
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
        idempotent: bool = False,
    ) -> Any:
        """Run a mutation; return the value at ``path`` (default: the one root field), parsed as ``model`` if given.

        A mutation is retried only where that is safe (a 429, or a request that surely did not run), unless
        ``idempotent`` says it may be run twice.
        """
        operation, where = self._where(query, path)
        data = await self._execute(query, variables, timeout=timeout, experimental=experimental, idempotent=idempotent)
        value = dig(data, where, operation)
        return value if model is None else parse(model, value, operation)

    async def _value(
        self,
        query: str,
        variables: dict[str, Any],
        expected: TypeAdapter[T],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
        idempotent: bool = False,
    ) -> T:
        """Run ``query`` (a query or a mutation); return the plain value at ``path``, checked strictly against
        ``expected`` (a count, a list of ids: nothing is coerced, so ``"5"`` or ``True`` is not a count).

        Raises:
            ResourceNotFoundError: The API answered null on the way.
            ResponseModelError: The answer has no such member, or the value is not what ``expected`` describes.
        """
        operation, where = self._where(query, path)
        data = await self._execute(query, variables, timeout=timeout, experimental=experimental, idempotent=idempotent)
        value = dig(data, where, operation)
        try:
            return expected.validate_python(value, strict=True)
        except ValidationError as exc:
            reason = exc.errors()[0]["msg"] if exc.errors() else str(exc)
            raise ResponseModelError(f"{'.'.join(where)}: {reason}, got {value!r:.200}", operation=operation) from exc

    def _offset_listing(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        page_size: int,
        window: int | None,
        timeout: TimeoutArg = DEFAULT,
    ) -> Paginator[M]:
        """A paginator over ``skip``/``first`` pages of ``query``, whose list is at ``path`` (default: the root
        field)."""
        operation, where = self._where(query, path)

        async def fetch(skip: int, first: int) -> list[M]:
            data = await self._execute(query, {**variables, "skip": skip, "first": first}, timeout=timeout)
            return parse_many(model, dig(data, where, operation), operation)

        pool = self._client._pool.limits.max_concurrent_requests  # the adaptive window never outgrows the pool
        return Paginator.offset(fetch, page_size=page_size, window=window, max_window=pool)

    def _cursor_listing(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        nodes: str = "nodes",
        cursor: Sequence[str] = ("pageInfo", "endCursor"),
        has_more: Sequence[str] | None = ("pageInfo", "hasNextPage"),
        page_size: int,
        start_cursor: str | None = None,
        timeout: TimeoutArg = DEFAULT,
        cursor_variable: str = "from",
        page_size_variable: str = "first",
        experimental: bool = False,
        object_cursor: bool = False,
    ) -> Paginator[M]:
        """A paginator over the cursor pages of ``query``; the next page is fetched while this one is consumed.

        The connection is at ``path`` (default: the root field); in it, the items are at ``nodes``, the next
        page's cursor at ``cursor`` and the "more" flag at ``has_more`` (None: the API gives none, and a cursor
        means more, as the SDK reads it). ``object_cursor``: the API's cursor is an object (``{dataRowId
        globalKey}``), carried in the pages as its compact JSON text and sent back as the object.

        Raises:
            InvalidArgumentError: ``object_cursor`` and a ``start_cursor`` that is not a JSON object's text.
        """
        operation, where = self._where(query, path)
        if object_cursor and start_cursor is not None:
            _cursor_object(start_cursor)

        async def fetch(after: str | None) -> CursorPage[M]:
            sent: Any = _cursor_object(after) if object_cursor and after is not None else after
            page_variables = {**variables, cursor_variable: sent, page_size_variable: page_size}
            data = await self._execute(query, page_variables, timeout=timeout, experimental=experimental)
            connection = dig(data, where, operation)
            next_cursor = _member(connection, cursor)
            if object_cursor and isinstance(next_cursor, dict):
                next_cursor = json.dumps(next_cursor, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
            more = _member(connection, has_more) if has_more is not None else None
            return CursorPage(
                items=parse_many(model, dig(connection, (nodes,), operation), operation),
                next_cursor=next_cursor if isinstance(next_cursor, str) else None,
                has_more=more if isinstance(more, bool) else None,
            )

        return Paginator.cursor(fetch, start_cursor=start_cursor)

    async def _rest(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        timeout: TimeoutArg = DEFAULT,
        idempotent: bool = False,
    ) -> Any:
        """One REST call, ``method`` on ``/api/v1`` + ``path`` of the API's origin; its parsed JSON (None if empty).

        A GET (or an ``idempotent`` call) is retried like a query, anything else like a mutation. An error answer
        (``{"message", "code"}``) raises the typed error of its status: 404 :class:`ResourceNotFoundError`, 409
        :class:`~alabelbox.ResourceConflictError`, 400 :class:`~alabelbox.MalformedRequestError`...
        """
        return await self._client._rest(method, path, json=json, timeout=timeout, idempotent=idempotent)

    async def _create_task(
        self,
        query: str,
        variables: dict[str, Any],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
        experimental: bool = False,
    ) -> Task:
        """Run a mutation that starts a server-side task and return the task, as the server sees it now.

        ``path`` leads to the task's id in the answer (default: the root field, when it is the id itself, or
        its ``taskId``/``id`` member).
        """
        operation, where = self._where(query, path)
        data = await self._execute(query, variables, timeout=timeout, experimental=experimental)
        value = dig(data, where, operation)
        if isinstance(value, dict):
            value = value.get("taskId") or value.get("id")
        if not isinstance(value, str) or not value:
            raise ResponseModelError(f"the answer gives no task id at {'.'.join(where)}", operation=operation)
        return await self._client.tasks.retrieve(value, timeout=timeout)


def _cursor_object(text: str) -> dict[str, Any]:
    """The object a cursor of an ``object_cursor`` listing stands for (its JSON text, as a page gave it)."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidArgumentError("start_cursor", f"expected a cursor a page of this listing gave, got {text!r:.100}")
    return value


def _member(node: Any, path: Sequence[str]) -> Any:
    """``node[path[0]][path[1]]...``, or None where a member is missing (for optional page fields)."""
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node
