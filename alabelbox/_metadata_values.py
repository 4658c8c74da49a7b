"""Metadata values checked by their schema's kind, with the official SDK's rules and the API's limits.

One home for the rules, for every write that carries metadata values (:meth:`Metadata.upsert` and row creation):

- string: a ``str`` of at most :data:`~alabelbox.types.metadata.MAX_STRING_LENGTH` characters;
- number: an ``int`` or ``float`` (not a ``bool``), finite; sent as a float;
- datetime: a ``datetime``, a ``date`` or an ISO 8601 string; sent in UTC as ``2024-04-01T12:30:00Z`` (a value
  without a zone is read as UTC, as the SDK reads it);
- enum: one of the schema's options, by id or by name;
- embedding: a list of exactly :data:`~alabelbox.types.metadata.EMBEDDING_SIZE` finite numbers.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import parse_date
from alabelbox.types.metadata import EMBEDDING_SIZE, MAX_STRING_LENGTH, MetadataKind, MetadataOntology

__all__ = ["metadata_values"]


def metadata_values(
    ontology: MetadataOntology, where: str, *, schema_id: str | None, name: str | None, value: Any
) -> list[dict[str, Any]]:
    """A metadata value checked against its schema's kind, as the API takes it: ``[{"schemaId", "value"}]`` (an
    enum as two entries, its schema and its option, both with ``{}``; the first is always the schema).

    ``where`` names the value in messages (``items[1].fields[0]``).

    Raises:
        InvalidArgumentError: No such schema, an option given as the schema, or a value its kind refuses.

    Example:
        >>> from alabelbox.types import MetadataOntology, MetadataSchema
        >>> split = MetadataSchema(id="s1", name="split", kind="CustomMetadataEnum",
        ...                        options=[MetadataSchema(id="o1", name="train", kind="CustomMetadataEnumOption")])
        >>> metadata_values(MetadataOntology(schemas=[split]), "v", schema_id=None, name="split", value="train")
        [{'schemaId': 's1', 'value': {}}, {'schemaId': 'o1', 'value': {}}]
    """
    key = schema_id or name
    if not key:
        raise InvalidArgumentError(where, "must give a schema_id or a name")
    found = ontology.find(key) if schema_id else None
    if found is None:
        try:
            found = (ontology.get(key), None)
        except KeyError:
            raise InvalidArgumentError(f"{where}.schema_id", f"no metadata schema has the id or name {key!r}") from None
    schema, option = found
    if option is not None:
        raise InvalidArgumentError(f"{where}.schema_id", f"{key!r} is an option of {schema.name!r}, not a schema")
    what = f"{where}.value ({schema.name})"
    kind = schema.kind
    if kind is MetadataKind.STRING:
        if not isinstance(value, str):
            raise InvalidArgumentError(what, f"must be a string, not {type(value).__name__}")
        if len(value) > MAX_STRING_LENGTH:
            raise InvalidArgumentError(what, f"is {len(value)} characters, more than the {MAX_STRING_LENGTH} allowed")
    elif kind is MetadataKind.NUMBER:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidArgumentError(what, f"must be a finite number, not {value!r}")
        value = float(value)
    elif kind is MetadataKind.DATETIME:
        if not isinstance(value, (str, date)):
            raise InvalidArgumentError(what, f"must be a datetime or an ISO 8601 string, not {type(value).__name__}")
        value = parse_date(what, value).as_utc().strftime("%Y-%m-%dT%H:%M:%SZ")
    elif kind is MetadataKind.EMBEDDING:
        numbers = isinstance(value, (list, tuple)) and all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value
        )
        if not numbers or len(value) != EMBEDDING_SIZE:
            size = f"{len(value)} items" if isinstance(value, (list, tuple)) else type(value).__name__
            raise InvalidArgumentError(what, f"must be a list of {EMBEDDING_SIZE} finite numbers, not {size}")
        value = [float(x) for x in value]
    elif kind is MetadataKind.ENUM:
        try:
            chosen = schema.option(value) if isinstance(value, str) else None
        except KeyError:
            chosen = None
        if chosen is None:
            names = [o.name for o in schema.options]
            raise InvalidArgumentError(what, f"must be one of the options {names} (by name or id), not {value!r}")
        return [{"schemaId": schema.id, "value": {}}, {"schemaId": chosen.id, "value": {}}]
    else:
        raise InvalidArgumentError(f"{where}.schema_id", f"{schema.name!r} is of kind {kind}, which takes no values")
    return [{"schemaId": schema.id, "value": value}]
