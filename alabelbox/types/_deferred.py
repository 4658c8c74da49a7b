"""Deferred fields: a nested section kept as the parsed JSON while reading, validated on first access.

Creating pydantic instances for every annotation and classification of every label is what limits typed reading
(``benchmarks/RESULTS.md``, the reader section). A field marked :class:`Deferred` is read as plain JSON values
(pydantic-core's parser, no model instances) and becomes its typed value the first time it is read, exactly as the
legacy ``label`` JSON of :class:`~alabelbox.types.Label` is parsed on first use. To user code the field looks like
any other: ``label.annotations`` is typed and returns the validated model (cached on the record).

The policy holds: the typed value is what eager validation would have given (the same strict, lenient schema, run
on the same JSON values, so it never fails), :func:`~alabelbox.types.drift` reads the typed value, and a record
that was never looked into dumps back the JSON it was read from, keys in their input order. A dump with options
that need the typed form (``exclude_unset=False``, ``exclude_none``, ``exclude_defaults``, an ``include`` or
``exclude`` reaching into the section) validates first, so it gives what it gave before.

Validating from Python input (``model_validate(dict)``), the deferred section is kept by reference until it is
first read, as a ``cached_property`` would be; validating from JSON it is a fresh object.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, GetCoreSchemaHandler, TypeAdapter
from pydantic_core import core_schema
from pydantic_core.core_schema import SerializationInfo

__all__ = ["Deferred", "install_deferred"]


class _Section:
    """The value of a deferred field on one record: the raw JSON value and, once read, its typed value."""

    __slots__ = ("_marker", "raw", "typed")

    _marker: Deferred
    raw: Any
    typed: Any

    def __init__(self, raw: Any, marker: Deferred) -> None:
        self.raw = raw
        self._marker = marker

    def get(self) -> Any:
        """The typed value, validated on the first call."""
        try:
            return self.typed
        except AttributeError:
            self.typed = self._marker.adapter.validate_python(self.raw)
            return self.typed

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Section):
            return NotImplemented
        if self.raw is other.raw or bool(self.raw == other.raw):
            return True  # without validating either
        return bool(self.get() == other.get())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.get())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_Section, (self.raw, self._marker))


class Deferred:
    """``Annotated`` marker: validate this field on first access instead of while reading.

    Example:
        >>> from alabelbox.types import ExportLabel, LabelAnnotations
        >>> label = ExportLabel.model_validate_json('{"id": "l1", "annotations": {"objects": []}}')
        >>> isinstance(label.annotations, LabelAnnotations), label.annotations.objects
        (True, [])
        >>> label.model_dump_json(exclude_unset=True)
        '{"id":"l1","annotations":{"objects":[]}}'
    """

    def __init__(self, typed: Any) -> None:
        self._typed = typed
        self._adapter: TypeAdapter[Any] | None = None
        self._owner: tuple[type[BaseModel], str] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled by reference to its field (a TypeAdapter does not pickle).
        if self._owner is None:
            raise TypeError("a Deferred marker pickles only once install_deferred has put it on its model")
        return (_marker_of, self._owner)

    @property
    def adapter(self) -> TypeAdapter[Any]:
        """The validator of the typed value (built on first use: the models it names may be defined later)."""
        if self._adapter is None:
            self._adapter = TypeAdapter(self._typed)
        return self._adapter

    def wrap(self, raw: Any) -> _Section:
        """A record's section from its raw value (or an already typed value)."""
        return raw if isinstance(raw, _Section) else _Section(raw, self)

    def _serialize(self, section: _Section, info: SerializationInfo) -> Any:
        fast = (
            info.exclude_unset
            and not info.exclude_none
            and not info.exclude_defaults
            and info.include is None
            and info.exclude is None
            and not hasattr(section, "typed")
            and not isinstance(section.raw, BaseModel)
        )
        if fast:
            return section.raw  # never looked into: the JSON it was read from
        return self.adapter.serializer.to_python(
            section.get(),
            mode=info.mode,
            include=cast(Any, info.include),  # the same sets; the stubs name them differently
            exclude=cast(Any, info.exclude),
            context=info.context,
            by_alias=info.by_alias,
            exclude_unset=info.exclude_unset,
            exclude_defaults=info.exclude_defaults,
            exclude_none=info.exclude_none,
            round_trip=info.round_trip,
        )

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Raw JSON values (no instance creation), wrapped; the typed schema runs on first access.
        return core_schema.no_info_after_validator_function(
            self.wrap,
            core_schema.any_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(self._serialize, info_arg=True),
        )


class _DeferredAttribute(property):
    """The class attribute of a deferred field: reads the typed value, assignment replaces the section.

    A ``property`` so that pydantic's ``__setattr__`` hands assignment to it.
    """

    def __init__(self, name: str, marker: Deferred) -> None:
        def fget(model: BaseModel) -> Any:
            value = model.__dict__[name]
            return value.get() if type(value) is _Section else value  # the default, or model_construct's value

        def fset(model: BaseModel, value: Any) -> None:
            model.__dict__[name] = marker.wrap(value)
            model.__pydantic_fields_set__.add(name)

        super().__init__(fget, fset, doc=f"``{name}``, validated on first access.")


def install_deferred(model: type[BaseModel]) -> None:
    """Put the typed accessor of every :class:`Deferred` field of ``model`` on the class (call once, after it)."""
    for name, info in model.model_fields.items():
        for marker in info.metadata:
            if isinstance(marker, Deferred):
                marker._owner = (model, name)
                setattr(model, name, _DeferredAttribute(name, marker))


def _marker_of(model: type[BaseModel], name: str) -> Deferred:
    """The :class:`Deferred` marker of ``model.name`` (unpickling)."""
    return next(m for m in model.model_fields[name].metadata if isinstance(m, Deferred))
