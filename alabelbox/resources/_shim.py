"""Temporary stand-ins for the Resource helpers that land on main (``_retrieve``, ``_mutate``, ``_rest``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

from pydantic import BaseModel

from alabelbox._config import Timeout
from alabelbox._transport import prepare
from alabelbox.resources._base import DEFAULT, Resource, TimeoutArg, dig, parse

M = TypeVar("M", bound=BaseModel)


def _root(query: str) -> tuple[str, list[str]]:
    from graphql import FieldNode, OperationDefinitionNode

    op = prepare(query)
    node = next(d for d in op.document.definitions if isinstance(d, OperationDefinitionNode))
    fields = [s for s in node.selection_set.selections if isinstance(s, FieldNode)]
    return op.label, [(fields[0].alias or fields[0].name).value]


class ShimResource(Resource):
    async def _retrieve(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
    ) -> M:
        label, root = _root(query)
        data = await self._execute(query, variables, timeout=timeout)
        return parse(model, dig(data, path or root, label), label)

    @overload
    async def _mutate(
        self,
        query: str,
        variables: dict[str, Any],
        model: type[M],
        *,
        path: Sequence[str] | None = None,
        timeout: TimeoutArg = DEFAULT,
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
        idempotent: bool = False,
    ) -> Any:
        label, root = _root(query)
        data = await self._execute(query, variables, timeout=timeout, idempotent=idempotent)
        value = dig(data, path or root, label)
        return value if model is None else parse(model, value, label)

    async def _rest(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        timeout: TimeoutArg = DEFAULT,
        idempotent: bool = False,
    ) -> Any:
        return await self._client._rest(method, path, json=json, timeout=timeout, idempotent=idempotent)


__all__ = ["ShimResource", "Timeout"]
