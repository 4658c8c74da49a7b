"""Pages shared by the ontology and feature schema listings: the GraphQL ``{nodes, nextCursor}`` search pages and
the REST ``unused`` id lists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel

from alabelbox._exceptions import ResponseModelError
from alabelbox._pagination import CursorPage, Paginator
from alabelbox._transport import prepare
from alabelbox.resources._base import TimeoutArg, dig, parse_many

if TYPE_CHECKING:
    from alabelbox.resources._shim import ShimResource as Resource

__all__ = ["UNUSED_PAGE", "search_listing", "segment", "unused_listing"]

M = TypeVar("M", bound=BaseModel)

#: Ids per page of the REST ``unused`` listings (the API's page; a shorter page is the last).
UNUSED_PAGE = 100


def segment(value: str) -> str:
    """An id as one path segment, quoted as the SDK quotes it."""
    return quote(value, safe="")


def search_listing(
    resource: Resource,
    query: str,
    root: str,
    model: type[M],
    *,
    name_contains: str | None,
    page_size: int,
    timeout: TimeoutArg,
) -> Paginator[M]:
    """Cursor pages of ``root(where: {filter: {status: ALL}, search}, after, first) { nodes nextCursor }``."""
    operation = prepare(query).label

    async def fetch(cursor: str | None) -> CursorPage[M]:
        variables = {"search": name_contains, "filter": {"status": "ALL"}, "from": cursor, "first": page_size}
        data = await resource._execute(query, variables, timeout=timeout)
        page = dig(data, (root,), operation)
        if not isinstance(page, dict):
            raise ResponseModelError(f"{root} is not an object: {page!r}", operation=operation)
        return CursorPage(items=parse_many(model, page.get("nodes"), operation), next_cursor=page.get("nextCursor"))

    return Paginator.cursor(fetch)


def unused_listing(resource: Resource, path: str, *, timeout: TimeoutArg) -> Paginator[str]:
    """The ids a REST ``GET {path}`` lists, 100 a page, the next page ``after`` the last id of the one before."""

    async def fetch(cursor: str | None) -> CursorPage[str]:
        ids: Any = await resource._rest("GET", path, json={"after": cursor}, timeout=timeout)
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise ResponseModelError(f"expected a list of ids, got {ids!r}"[:200], operation=f"GET {path}")
        return CursorPage(items=ids, next_cursor=ids[-1] if len(ids) >= UNUSED_PAGE else None)

    return Paginator.cursor(fetch)
