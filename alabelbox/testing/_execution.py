"""graphql-core execution with a fast path for the scalar fields of plain dict objects.

The emulator's objects are dicts whose scalar fields are plain values. graphql-core executes every field the same
way (resolve info, resolver call, awaitable checks, value completion), which made execution the larger part of the
emulator's CPU per listed label. :class:`FastExecutor` reads a scalar field straight from the dict and coerces it
with the very function graphql-core would use; anything else (a callable, an object or list, ``__typename``, a
field with arguments, a null in a non-null field, a value the scalar rejects) goes through graphql-core's own
``execute_field``, so responses and errors are byte for byte what plain ``execute`` returns.

Works with graphql-core 3.2 (``ExecutionContext``, ``execution_context_class=``) and 3.3 (``Executor``,
``executor_class=``); :func:`execute_sync` picks the right keyword.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import graphql
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.pyutils import Path, Undefined

__all__ = ["FastExecutor", "execute_sync"]

_Base: Any
if hasattr(graphql, "Executor"):  # graphql-core 3.3
    _Base = graphql.Executor  # type: ignore[attr-defined,unused-ignore]
    _CLASS_ARGUMENT = "executor_class"
    _COERCE = "coerce_output_value"
else:  # graphql-core 3.2
    _Base = graphql.ExecutionContext  # type: ignore[attr-defined,unused-ignore]
    _CLASS_ARGUMENT = "execution_context_class"
    _COERCE = "serialize"

# (response name, field name, the leaf type's output coercion or None, non-null, graphql-core's field entries)
_Step = tuple[str, str, "Callable[[Any], Any] | None", bool, Any]


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
        get = source_value.get
        execute_field = self.execute_field
        for name, field_name, coerce, non_null, entries in self._plan(parent_type, fields):
            if coerce is not None:
                value = get(field_name)
                if value is None:
                    if not non_null:
                        results[name] = None
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
            if field_def is not None and field_def.resolve is None and not node.arguments:
                of_type = field_def.type
                if isinstance(of_type, GraphQLNonNull):
                    non_null, of_type = True, of_type.of_type
                if is_leaf_type(of_type):
                    coerce = getattr(of_type, _COERCE)
            plan.append((name, field_name, coerce, non_null, entries))
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
