"""What every emulator resource module shares: the :class:`Resource` base, API errors and list helpers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import web
from graphql import GraphQLError

from .._data import JSONDict, World

if TYPE_CHECKING:
    from .._backend import Backend
    from .._store import Table

# ``json.dumps(value, ensure_ascii=False)``, without the cycle check (generated data has no cycles): same text.
dumps_text = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode

# graphql-core 3.3 makes Info generic and 3.2 does not: keep resolvers agnostic.
Info = Any

Resolver = Callable[..., Any]


class ApiError(GraphQLError):
    """A GraphQL error with the API's ``extensions.code`` (and optional extra members)."""

    def __init__(
        self,
        message: str,
        code: str,
        *,
        status: int | None = None,
        extra: JSONDict | None = None,
    ) -> None:
        extensions: JSONDict = {"code": code}
        if status is not None:
            extensions["exception"] = {"status": status, "message": message}
        super().__init__(message, extensions=extensions)
        self.extra = extra or {}


def not_found(kind: str, value: object) -> ApiError:
    """The API's ``RESOURCE_NOT_FOUND`` error for a ``kind`` with id ``value``."""
    return ApiError(f"Resource not found: no {kind} with id {value!r}", "RESOURCE_NOT_FOUND")


def bad_input(message: str) -> ApiError:
    """The API's ``BAD_USER_INPUT`` error (a field value the server refuses)."""
    return ApiError(message, "BAD_USER_INPUT", status=400)


class RestError(Exception):
    """Raised by a REST handler: answered as ``{"message": ..., "code": ...}`` with ``status``."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def rest_error(status: int, message: str, code: str) -> web.Response:
    """A REST error response, the shape the SDK reads ``["message"]`` from."""
    return web.json_response({"message": message, "code": code}, status=status)


class Resource:
    """One resource of the emulator: its SDL fragment, its resolvers and its state.

    A subclass sets :attr:`SDL` (types, inputs, and ``extend type Query`` / ``extend type Mutation`` /
    ``extend type <Other>`` blocks), keeps its state as attributes, and returns its root fields from
    :meth:`root`. Fields it adds to another resource's type (listed in :attr:`EXTENDS`) are attached by
    :meth:`extend` whenever that resource builds an object. Resolvers are synchronous and receive
    ``(info, **arguments)``, as graphql-core's default resolver calls a callable member of a dict.
    """

    SDL: ClassVar[str] = ""
    """This resource's part of the schema."""
    EXTENDS: ClassVar[frozenset[str]] = frozenset()
    """Types of other resources whose objects :meth:`extend` decorates."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.world: World = backend.world

    def root(self) -> dict[str, Resolver]:
        """The ``Query`` and ``Mutation`` fields this resource resolves, by field name."""
        return {}

    def extend(self, type_name: str, obj: JSONDict, key: Any) -> None:
        """Add this resource's fields to ``obj``, an object of ``type_name`` identified by ``key``."""

    def routes(self) -> list[web.RouteDef]:
        """This resource's REST routes, relative to ``/api/v1`` (e.g. ``web.get("/feature-schemas/{id}", ...)``).

        They sit behind the API gate (auth, faults, rate limit); a handler raises :class:`RestError` to answer
        an error in the REST shape.
        """
        return []


class LazyDict(dict[str, Any]):
    """A GraphQL object whose members in ``lazy`` are computed on their first ``get`` (as graphql-core reads them).

    Unlike a callable member, a lazy member is a plain value to the executor, so it takes the scalar fast path.
    """

    __slots__ = ("_lazy",)

    def __init__(self, eager: JSONDict, lazy: dict[str, Callable[[], Any]]) -> None:
        super().__init__(eager)
        self._lazy = lazy

    def get(self, key: str, default: Any = None) -> Any:
        if key in self:
            return self[key]
        make = self._lazy.get(key)
        if make is None:
            return default
        value = self[key] = make()
        return value


def experimental_only(info: Info, field: str, type_name: str) -> None:
    """Refuse ``field`` outside the experimental endpoint (``/_gql``), as the API does."""
    if not info.context.get("experimental"):
        raise ApiError(f'Cannot query field "{field}" on type "{type_name}".', "GRAPHQL_VALIDATION_FAILED")


def match_simple(obj: JSONDict, where: JSONDict | None) -> bool:
    """Whether ``obj`` satisfies a Prisma-style ``where`` (equality, ``_in``, ``_contains``, AND, OR)."""
    if not where:
        return True
    for key, value in where.items():
        if value is None:
            continue
        if key == "AND":
            if not all(match_simple(obj, sub) for sub in value):
                return False
        elif key == "OR":
            if not any(match_simple(obj, sub) for sub in value):
                return False
        elif key.endswith("_in"):
            if obj.get(key[:-3]) not in value:
                return False
        elif key.endswith("_contains"):
            if str(value) not in str(obj.get(key[: -len("_contains")])):
                return False
        elif obj.get(key) != value:
            return False
    return True


def order(items: list[JSONDict], order_by: str | None) -> list[JSONDict]:
    """``items`` sorted by an ``<field>_ASC|DESC`` enum value (stable; unchanged when None)."""
    if not order_by:
        return items
    field, _, direction = order_by.rpartition("_")
    return sorted(items, key=lambda o: str(o.get(field)), reverse=direction == "DESC")


def page(items: Any, skip: int | None, first: int | None) -> list[Any]:
    """The ``skip``/``first`` window of ``items``."""
    seq = list(items)
    start = skip or 0
    return seq[start:] if first is None else seq[start : start + first]


def table_listing(
    table: Table,
    obj: Callable[[Any], JSONDict],
    where: JSONDict | None,
    skip: int,
    first: int | None,
    order_by: str | None,
) -> list[JSONDict]:
    """A listing over ``table`` (seeded + created - deleted): filter, order, the ``skip``/``first`` window, then each
    chosen key as its GraphQL object (``obj``)."""
    chosen = [(k, o) for k in table.keys() if match_simple(o := table.get(k), where)]
    by_id = {o["id"]: k for k, o in chosen}
    ordered = order([o for _, o in chosen], order_by)
    return [obj(by_id[o["id"]]) for o in page(ordered, skip, first)]
