"""Base classes and small shared types for the export record models.

Every export model keeps what it does not know (``extra="allow"``), so a field Labelbox adds tomorrow is neither
dropped nor fatal, and ``model_dump(by_alias=True, exclude_unset=True)`` gives back the JSON that was read.

Timestamps stay strings (ISO 8601, exactly as sent). Parsing them into ``datetime`` would make the dump differ from
the input (``.951+00:00`` would come back as ``.951000+00:00``) and costs time on every record; call
``datetime.fromisoformat(value)`` where a datetime is needed.
"""

from __future__ import annotations

from typing import TypeAlias

from pydantic import BaseModel, ConfigDict

__all__ = ["ExportModel", "Number", "Timestamp"]

Number: TypeAlias = int | float
"""A JSON number. ``int`` first so that ``1333`` stays ``1333`` (and dumps as such), ``144.68`` stays a float."""

Timestamp: TypeAlias = str
"""An ISO 8601 timestamp, kept as the string the server sent (see the module docstring)."""


class ExportModel(BaseModel):
    """Base of every export record model: unknown fields kept, validation by field name or wire name.

    Dump with ``model_dump(by_alias=True, exclude_unset=True)`` (or ``model_dump_json(...)``) to get the wire form.
    """

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # Records are read, not edited; skipping assignment validation and revalidation keeps them cheap.
        revalidate_instances="never",
        protected_namespaces=(),
    )
