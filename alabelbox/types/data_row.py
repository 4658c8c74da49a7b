"""A data row as the GraphQL API returns it (``datasetDataRows``, ``dataRow``).

Named ``DatasetDataRow`` because :class:`alabelbox.types.DataRow` is the ``data_row`` section of an export record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from alabelbox.types._api import ApiModel

__all__ = ["CustomMetadataValue", "DataRowMetadataField", "DatasetDataRow"]


class CustomMetadataValue(ApiModel):
    """``customMetadata { schemaId value }``."""

    schema_id: str
    value: Any = None


class DataRowMetadataField(ApiModel):
    """``metadataFields { schemaId name value kind }``."""

    schema_id: str
    name: str | None = None
    value: Any = None
    kind: str | None = None
    """E.g. ``CustomMetadataString``, ``CustomMetadataEnum``."""


class DatasetDataRow(ApiModel):
    """A data row, with the fields the official SDK's ``DataRow`` reads."""

    id: str
    row_data: str | None = None
    """A URL to the asset, or the content itself (text, or JSON for conversational rows)."""
    external_id: str | None = None
    global_key: str | None = None
    media_attributes: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    custom_metadata: list[CustomMetadataValue] = Field(default_factory=list)
    metadata_fields: list[DataRowMetadataField] = Field(default_factory=list)
