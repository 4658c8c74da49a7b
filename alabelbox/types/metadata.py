"""Data-row metadata: the schemas of the metadata ontology, and the values on data rows.

A schema is reserved (Labelbox's own: ``tag``, ``split``, ``captureDateTime``) or custom (the organization's). Its
kind says what a value is: a string (at most :data:`MAX_STRING_LENGTH` characters), a number, a datetime (sent as
UTC, ``2024-04-01T12:30:00Z``), an enum (one of its options) or an embedding (:data:`EMBEDDING_SIZE` numbers).
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = [
    "EMBEDDING_SIZE",
    "MAX_STRING_LENGTH",
    "DataRowMetadata",
    "MetadataDeletion",
    "MetadataFailure",
    "MetadataKind",
    "MetadataOntology",
    "MetadataSchema",
    "MetadataValue",
]

MAX_STRING_LENGTH = 4096
"""The longest string value (characters)."""
EMBEDDING_SIZE = 128
"""The length of an embedding value."""


class MetadataKind(enum.StrEnum):
    """The kind of a metadata schema (the official SDK's ``DataRowMetadataKind``, with the API's values).

    Example:
        >>> MetadataKind("CustomMetadataNumber")
        <MetadataKind.NUMBER: 'CustomMetadataNumber'>
    """

    STRING = "CustomMetadataString"
    NUMBER = "CustomMetadataNumber"
    DATETIME = "CustomMetadataDateTime"
    ENUM = "CustomMetadataEnum"
    EMBEDDING = "CustomMetadataEmbedding"
    OPTION = "CustomMetadataEnumOption"
    """An option of an enum schema."""


class MetadataSchema(ApiModel):
    """A metadata schema (or an enum's option, whose kind is :attr:`MetadataKind.OPTION`).

    Example:
        >>> s = MetadataSchema.model_validate(
        ...     {"id": "s1", "name": "split", "kind": "CustomMetadataEnum", "reserved": True,
        ...      "options": [{"id": "o1", "name": "train", "kind": "CustomMetadataEnumOption", "reserved": True}]}
        ... )
        >>> s.option("train").id
        'o1'
    """

    id: str
    name: str
    kind: Annotated[MetadataKind | str, Field(union_mode="left_to_right")]
    """A :class:`MetadataKind` (a kind this version does not know stays the API's string)."""
    reserved: bool = False
    options: list[MetadataSchema] = Field(default_factory=list)
    """An enum's options (empty for the other kinds)."""

    def option(self, name_or_id: str) -> MetadataSchema:
        """The option of this enum with that name or id.

        Raises:
            KeyError: It has none.
        """
        for o in self.options:
            if name_or_id in (o.name, o.id):
                return o
        raise KeyError(f"metadata schema {self.name!r} has no option {name_or_id!r}")


class MetadataOntology(ApiModel):
    """Every metadata schema of the organization, reserved first as the API lists them.

    Example:
        >>> ontology = MetadataOntology(schemas=[MetadataSchema(id="s1", name="tag", kind="CustomMetadataString",
        ...                                                     reserved=True)])
        >>> ontology.get("tag").id, [s.name for s in ontology.custom]
        ('s1', [])
    """

    schemas: list[MetadataSchema]

    @property
    def reserved(self) -> list[MetadataSchema]:
        """Labelbox's own schemas."""
        return [s for s in self.schemas if s.reserved]

    @property
    def custom(self) -> list[MetadataSchema]:
        """The organization's schemas."""
        return [s for s in self.schemas if not s.reserved]

    def get(self, name_or_id: str) -> MetadataSchema:
        """The schema with that id, or that name (a reserved schema first, as the SDK's ``get_by_name``).

        Raises:
            KeyError: There is none.
        """
        for s in self.schemas:
            if s.id == name_or_id:
                return s
        for s in sorted(self.schemas, key=lambda s: not s.reserved):
            if s.name == name_or_id:
                return s
        raise KeyError(f"no metadata schema named {name_or_id!r}")

    def find(self, schema_id: str) -> tuple[MetadataSchema, MetadataSchema | None] | None:
        """``(schema, None)`` for a schema id, ``(enum, option)`` for an option id, None for an unknown id."""
        for s in self.schemas:
            if s.id == schema_id:
                return s, None
            for o in s.options:
                if o.id == schema_id:
                    return s, o
        return None


class MetadataValue(ApiModel):
    """One metadata value: of schema ``schema_id`` (or the schema named ``name``).

    For an enum, ``value`` is an option's id or name. On the way back (:meth:`Metadata.export`), ``name`` is the
    schema's name and an enum's value is the option's id.

    Example:
        >>> MetadataValue(name="tag", value="night").value
        'night'
    """

    schema_id: str | None = None
    name: str | None = None
    value: Any = None


class DataRowMetadata(ApiModel):
    """The metadata values of one data row, named by ``data_row_id`` or ``global_key`` (exactly one).

    Example:
        >>> DataRowMetadata(global_key="cat-001", fields=[MetadataValue(name="tag", value="night")]).global_key
        'cat-001'
    """

    data_row_id: str | None = None
    global_key: str | None = None
    fields: list[MetadataValue] = Field(default_factory=list)


class MetadataDeletion(ApiModel):
    """Metadata schemas whose values to remove from one data row (named by ``data_row_id`` or ``global_key``).

    Example:
        >>> MetadataDeletion(data_row_id="clrow", schema_ids=["s1"]).schema_ids
        ['s1']
    """

    data_row_id: str | None = None
    global_key: str | None = None
    schema_ids: list[str]


class MetadataFailure(ApiModel):
    """A data row whose metadata write failed (nothing of it was applied), with why.

    Attributes:
        index: Its position in the items handed in.
        data_row_id: The data row, when it was named by id.
        global_key: The data row, when it was named by global key.
        error: Why it failed, as the server said.
        schema_ids: The schemas of the values that were not written.
    """

    index: int
    data_row_id: str | None = None
    global_key: str | None = None
    error: str
    schema_ids: list[str] = Field(default_factory=list)
