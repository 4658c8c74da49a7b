"""What a record becomes: a model (a pydantic model, a TypeAdapter, any type, or None for dicts) as validators."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import BaseModel, TypeAdapter
from pydantic_core import from_json

# orjson turns an integer of 2**64 or more into a float, silently (ijl/orjson#308): a wrong record. Such an integer
# has 20 digits or more, so bytes without a run of 19 digits are safe for orjson; bytes with one (an id or a long
# number in a string sets it off too) go to pydantic-core, which keeps every integer exact. The check is translate +
# `in`, at C speed; the NDJSON engine makes it once per chunk (a per-line check cost 35 % of orjson's time).
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))
_LONG_DIGIT_RUN = b"0" * 19


def may_hold_big_integers(data: bytes) -> bool:
    """Whether ``data`` has a run of 19 digits, i.e. may hold an integer that orjson would turn into a float."""
    # A first look at every 6th byte, a sixth of the work: a run of 19 digits always covers three consecutive
    # sampled positions (the first multiple of 6 in the run is at most 5 bytes in, the third at most 17), so when
    # no three sampled bytes in a row are digits there is no such run. Only otherwise is every byte looked at.
    if b"000" not in data[::6].translate(_DIGITS_AS_ZERO):
        return False
    return _LONG_DIGIT_RUN in data.translate(_DIGITS_AS_ZERO)


_orjson_loads: Callable[[bytes], Any] | None
try:  # dict mode: orjson when it is installed (about 1.5x pydantic-core's from_json on export rows)
    from orjson import loads as _orjson_loads
except ImportError:  # pragma: no cover - depends on the environment
    _orjson_loads = None


def _exact_loads(data: bytes, /) -> Any:
    """orjson where it is exact, pydantic-core where the bytes may hold an integer past 64 bits."""
    assert _orjson_loads is not None
    return from_json(data) if may_hold_big_integers(data) else _orjson_loads(data)


def _pick_loads(chunk: bytes, /) -> Callable[[bytes], Any]:
    """The dict parser for the whole lines of ``chunk``: plain orjson unless the chunk has a long digit run."""
    assert _orjson_loads is not None
    return from_json if may_hold_big_integers(chunk) else _orjson_loads


_fast_loads: Callable[[bytes], Any] = from_json if _orjson_loads is None else _exact_loads


class Validators(NamedTuple):
    """The reader's validators for one model.

    Attributes:
        validate: The per-record path: a record's bytes to its value.
        slow_validate: The same from bytes, for a record that failed ``validate``: pydantic-core, whose errors
            give byte columns and say "EOF" on truncation (orjson's do not).
        python_validate: A Python object (from ijson) to its value.
        name: The model's name, for messages.
        pick: For the NDJSON engine, once per chunk: the ``validate`` to use for that chunk's whole lines (dict
            mode uses it to run plain orjson on chunks that cannot hold an integer past 64 bits).
    """

    validate: Callable[[bytes], Any]
    slow_validate: Callable[[bytes], Any]
    python_validate: Callable[[Any], Any]
    name: str
    pick: Callable[[bytes], Callable[[bytes], Any]] | None = None


def _identity(value: Any) -> Any:
    return value


def validators_for(model: type[Any] | TypeAdapter[Any] | None) -> Validators:
    """The validators of ``model``; ``None`` means plain dicts, parsed by orjson (where exact) when it is installed."""
    if model is None:
        pick = None if _orjson_loads is None else _pick_loads
        return Validators(_fast_loads, from_json, _identity, "dict", pick)
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
