"""What a record becomes: a model (a pydantic model, a TypeAdapter, any type, or None for dicts) as validators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel, TypeAdapter
from pydantic_core import from_json


def _dict_loads(data: bytes, /) -> Any:
    """Dict mode: pydantic-core's parser, keys interned (they repeat on every row), integers of any size exact.

    orjson parses faster on its own but turns integers past 64 bits into floats (ijl/orjson#308): a wrong record.
    Guarding against that (a scan for 19-digit runs) cost what it gained inside the reader: 256 MB/s guarded,
    340 unguarded, 268 for this.
    """
    return from_json(data, cache_strings="keys")


class Validators(NamedTuple):
    """The reader's validators for one model.

    Attributes:
        validate: The per-record path: a record's bytes to its value.
        slow_validate: The same from bytes, for a record that failed ``validate``: pydantic-core, whose errors
            give byte columns and say "EOF" on truncation.
        python_validate: A Python object (from json.loads, for a record pydantic-core cannot parse) to its value.
        name: The model's name, for messages.
    """

    validate: Callable[[bytes], Any]
    slow_validate: Callable[[bytes], Any]
    python_validate: Callable[[Any], Any]
    name: str


def _identity(value: Any) -> Any:
    return value


def validators_for(model: type[Any] | TypeAdapter[Any] | None) -> Validators:
    """The validators of ``model``; ``None`` means plain dicts."""
    if model is None:
        return Validators(_dict_loads, from_json, _identity, "dict")
    if isinstance(model, TypeAdapter):
        return Validators(
            model.validate_json,
            model.validate_json,
            model.validate_python,
            str(model.core_schema.get("type", "the model")),
        )
    if isinstance(model, type) and issubclass(model, BaseModel):
        # The model's own core validator: model_validate_json without its Python wrapper.
        validator = model.__pydantic_validator__
        return Validators(validator.validate_json, validator.validate_json, validator.validate_python, model.__name__)
    adapter: TypeAdapter[Any] = TypeAdapter(model)
    return Validators(adapter.validate_json, adapter.validate_json, adapter.validate_python, repr(model))
