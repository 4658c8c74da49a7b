"""What every resource shares: the bound client, the per-call timeout, and page plumbing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from alabelbox._config import USE_CLIENT_DEFAULT, TimeoutArg
from alabelbox._exceptions import ResourceNotFoundError, ResponseModelError
from alabelbox._pagination import DEFAULT_WINDOW, Paginator

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["DEFAULT", "DEFAULT_WINDOW", "Resource", "TimeoutArg"]

M = TypeVar("M", bound=BaseModel)


#: "Use the client's timeout" (None means no limit, so it cannot be the default).
DEFAULT = USE_CLIENT_DEFAULT


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

    def _offset_listing(
        self,
        query: str,
        variables: dict[str, Any],
        path: Sequence[str],
        model: type[M],
        *,
        page_size: int,
        window: int | None,
        timeout: TimeoutArg,
        operation: str,
    ) -> Paginator[M]:
        """A paginator over ``skip``/``first`` pages of ``query``, whose list is at ``path`` in the answer."""

        async def fetch(skip: int, first: int) -> list[M]:
            data = await self._execute(query, {**variables, "skip": skip, "first": first}, timeout=timeout)
            return parse_many(model, dig(data, path, operation), operation)

        pool = self._client._pool.limits.max_concurrent_requests  # the adaptive window never outgrows the pool
        return Paginator.offset(fetch, page_size=page_size, window=window, max_window=pool)
