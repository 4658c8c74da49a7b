"""graphql-core execution with a fast path for the scalar fields of plain dict objects.

The emulator's objects are dicts whose scalar fields are plain values. graphql-core executes every field the same
way (resolve info, resolver call, awaitable checks, value completion), which made execution the larger part of the
emulator's CPU per listed label. :class:`FastExecutor` reads a scalar field straight from the dict and coerces it
with the very function graphql-core would use; anything else (a callable, an object or list, ``__typename``, a
field with arguments, a null in a non-null field, a value the scalar rejects) goes through graphql-core's own
``execute_field``, so responses and errors are byte for byte what plain ``execute`` returns.

A :class:`RawJson` value is a leaf already encoded: the executor passes it through and :func:`encode_response` writes
its bytes into the body, so a long string kept encoded (a label's legacy JSON) is neither decoded nor escaped again.

Works with graphql-core 3.2 (``ExecutionContext``, ``execution_context_class=``) and 3.3 (``Executor``,
``executor_class=``); :func:`execute_sync` picks the right keyword.
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Callable
from typing import Any

import graphql
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLBoolean,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    is_leaf_type,
)
from graphql.pyutils import Path, Undefined

__all__ = ["FastExecutor", "RawJson", "encode_response", "execute_sync"]

_Base: Any
if hasattr(graphql, "Executor"):  # graphql-core 3.3
    _Base = graphql.Executor  # type: ignore[attr-defined,unused-ignore]
    _CLASS_ARGUMENT = "executor_class"
    _COERCE = "coerce_output_value"
else:  # graphql-core 3.2
    _Base = graphql.ExecutionContext  # type: ignore[attr-defined,unused-ignore]
    _CLASS_ARGUMENT = "execution_context_class"
    _COERCE = "serialize"

# (response name, field name, the leaf type's output coercion or None, non-null, graphql-core's field entries,
#  the exact Python type the coercion hands back unchanged, and the check it makes of that type, if any)
_Step = tuple[str, str, "Callable[[Any], Any] | None", bool, Any, "type | None", "Callable[[Any], bool] | None"]


def _int32(value: int) -> bool:
    return -2_147_483_648 <= value <= 2_147_483_647


# The built-in scalars' coercions return a value of these exact types as it is, once it passes the check (a finite
# float, a 32-bit int): the executor takes such values without calling them. A bool is not an int here, nor an int
# a float (the coercions convert those).
_UNCHANGED: dict[Any, tuple[type, Callable[[Any], bool] | None]] = {
    GraphQLString: (str, None),
    GraphQLID: (str, None),
    GraphQLBoolean: (bool, None),
    GraphQLFloat: (float, math.isfinite),
    GraphQLInt: (int, _int32),
}


class RawJson:
    """A scalar value already encoded as JSON (UTF-8 bytes), written into the response body as it is.

    Only for a dict object's field without arguments (the executor's fast path), whose leaf type accepts the value
    it stands for. ``value()`` decodes it, for code that needs the value itself.
    """

    __slots__ = ("encoded",)

    def __init__(self, encoded: bytes) -> None:
        self.encoded = encoded

    def value(self) -> Any:
        return json.loads(self.encoded)


# Stands in for each RawJson while the rest of the answer is encoded; a per-process nonce, so no string of an
# answer holds it by chance (and if one did, the count of pieces would not match and the slow path would run).
_MARK = f"\x00alabelbox-raw-json-{secrets.token_hex(8)}\x00"
_MARK_LITERAL = json.dumps(_MARK, ensure_ascii=False)


def encode_response(payload: Any) -> bytes:
    """``json.dumps(payload, ensure_ascii=False).encode()``, with each :class:`RawJson` written as its bytes."""
    raws: list[bytes] = []

    def splice(value: Any) -> Any:
        if type(value) is RawJson:
            raws.append(value.encoded)
            return _MARK
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    text = json.JSONEncoder(ensure_ascii=False, check_circular=False, default=splice).encode(payload)
    if not raws:
        return text.encode()
    parts = text.split(_MARK_LITERAL)
    if len(parts) != len(raws) + 1:  # pragma: no cover - a string of the answer held the nonce
        return json.JSONEncoder(ensure_ascii=False, check_circular=False, default=_decoded).encode(payload).encode()
    out = [parts[0].encode()]
    for raw, part in zip(raws, parts[1:], strict=True):
        out.append(raw)
        out.append(part.encode())
    return b"".join(out)


def _decoded(value: Any) -> Any:  # pragma: no cover - see encode_response
    if type(value) is RawJson:
        return value.value()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_UNCHANGED_BY_NAME = {scalar.name: scalar for scalar in _UNCHANGED}
_dict_get = dict.get
_ABSENT: Any = object()


def _never_awaitable(_value: Any) -> bool:
    # Every resolver of the emulator is synchronous.
    return False


class FastExecutor(_Base):  # type: ignore[misc]
    """graphql-core's executor, reading the scalar fields of dict objects without a resolver call."""

    def execute_fields(
        self, parent_type: GraphQLObjectType, source_value: Any, path: Path | None, fields: Any, *rest: Any
    ) -> Any:
        if not isinstance(source_value, dict):
            return super().execute_fields(parent_type, source_value, path, fields, *rest)
        results: dict[str, Any] = {}
        get = source_value.get  # a LazyDict's makes its lazy members
        execute_field = self.execute_field
        for name, field_name, coerce, non_null, entries, exact, check in self._plan(parent_type, fields):
            if coerce is not None:
                value = _dict_get(source_value, field_name, _ABSENT)
                if value is _ABSENT:
                    value = get(field_name)
                if type(value) is exact and (check is None or check(value)):
                    results[name] = value
                    continue
                if value is None:
                    if not non_null:
                        results[name] = None
                        continue
                elif type(value) is RawJson:
                    results[name] = value
                    continue
                elif not callable(value):
                    try:
                        out = coerce(value)
                    except Exception:
                        out = None  # graphql-core's path below reports the error as it always does
                    if out is not None and out is not Undefined:
                        results[name] = out
                        continue
            result = execute_field(parent_type, source_value, entries, Path(path, name, parent_type.name), *rest)
            if result is not Undefined:
                results[name] = result
        return results

    def _plan(self, parent_type: GraphQLObjectType, fields: Any) -> list[_Step]:
        # graphql-core memoises the collected sub-fields of a list's items, so one plan serves every item. The
        # entry keeps ``fields`` alive, so its id cannot be reused by another selection during this execution.
        plans: dict[int, tuple[Any, GraphQLObjectType, list[_Step]]] | None = getattr(self, "_fast_plans", None)
        if plans is None:
            plans = {}
            self._fast_plans = plans
        cached = plans.get(id(fields))
        if cached is not None and cached[0] is fields and cached[1] is parent_type:
            return cached[2]
        plan: list[_Step] = []
        for name, entries in fields.items():
            first = entries[0]
            node = getattr(first, "node", first)  # 3.3: FieldDetails(node, ...); 3.2: the FieldNode itself
            field_name = node.name.value
            field_def = parent_type.fields.get(field_name)
            coerce = None
            non_null = False
            exact: type | None = None
            check = None
            if field_def is not None and field_def.resolve is None and not node.arguments:
                of_type = field_def.type
                if isinstance(of_type, GraphQLNonNull):
                    non_null, of_type = True, of_type.of_type
                if is_leaf_type(of_type):
                    coerce = getattr(of_type, _COERCE)
                    if coerce is getattr(_UNCHANGED_BY_NAME.get(of_type.name), _COERCE, None):
                        exact, check = _UNCHANGED[_UNCHANGED_BY_NAME[of_type.name]]
            plan.append((name, field_name, coerce, non_null, entries, exact, check))
        plans[id(fields)] = (fields, parent_type, plan)
        return plan


def execute_sync(
    schema: GraphQLSchema,
    document: DocumentNode,
    *,
    root_value: Any,
    context_value: Any,
    variable_values: dict[str, Any] | None,
    operation_name: str | None,
) -> ExecutionResult:
    """``graphql.execute`` with :class:`FastExecutor`, for synchronous resolvers."""
    options: dict[str, Any] = {_CLASS_ARGUMENT: FastExecutor, "is_awaitable": _never_awaitable}
    result = graphql.execute(
        schema,
        document,
        root_value=root_value,
        context_value=context_value,
        variable_values=variable_values,
        operation_name=operation_name,
        **options,
    )
    if not isinstance(result, ExecutionResult):  # pragma: no cover - every resolver is synchronous
        raise TypeError("an emulator resolver returned an awaitable")
    return result
