"""Base classes and small shared types for the export record models (the policy is in the package docstring).

Every export model keeps what it does not know (``extra="allow"``), validates strictly (nothing is coerced: ``"5.249"``
stays the string, ``1`` is not turned into ``True``), and wraps every field in :data:`Lenient`, so a value of a shape
nobody has seen yet is kept, as sent, in an :class:`Unrecognized` instead of failing the record.

Timestamps stay strings (ISO 8601, exactly as sent). Parsing them into ``datetime`` would make the dump differ from
the input (``.951+00:00`` would come back as ``.951000+00:00``) and costs time on every record; call
``datetime.fromisoformat(value)`` where a datetime is needed.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field, JsonValue, RootModel

__all__ = ["ExportModel", "Lenient", "Number", "Timestamp", "Unrecognized"]

Number: TypeAlias = int | float
"""A JSON number. ``int`` first so that ``1333`` stays ``1333`` (and dumps as such), ``144.68`` stays a float."""

Timestamp: TypeAlias = str
"""An ISO 8601 timestamp, kept as the string the server sent (see the module docstring)."""


class Unrecognized(RootModel[JsonValue]):
    """A value whose JSON shape this version of alabelbox does not know, kept exactly as it was read.

    It dumps back as the raw value (``model_dump`` and ``model_dump_json`` give the JSON that was read), so a
    record that holds one still round-trips. :func:`alabelbox.types.drift` lists every one in a record.

    Example:
        >>> from alabelbox.types import LegacyLabelRow
        >>> row = LegacyLabelRow.model_validate({"ID": "l1", "Agreement": {"new": "shape"}})
        >>> row.agreement
        Unrecognized(root={'new': 'shape'})
        >>> row.model_dump(exclude_unset=True)
        {'ID': 'l1', 'Agreement': {'new': 'shape'}}
    """

    @property
    def value(self) -> JsonValue:
        """The raw JSON value."""
        return self.root


_T = TypeVar("_T")

Lenient: TypeAlias = Annotated[_T | Unrecognized, Field(union_mode="left_to_right")]
"""A field of type ``T`` that never fails: a value that is not a ``T`` is kept as an :class:`Unrecognized`.

``left_to_right``: the typed member is tried first, so a value of a known shape costs one union step and no error;
only an unknown shape pays for the failed attempt.
"""


class ExportModel(BaseModel):
    """Base of every export record model: unknown keys kept, strict (never coercing), by field name or wire name.

    Dump with ``model_dump(by_alias=True, exclude_unset=True)`` (or ``model_dump_json(...)``) to get the wire form.
    """

    model_config = ConfigDict(
        extra="allow",
        strict=True,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # Records are read, not edited; skipping assignment validation and revalidation keeps them cheap.
        revalidate_instances="never",
        protected_namespaces=(),
    )
