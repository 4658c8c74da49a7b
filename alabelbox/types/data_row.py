"""A data row as the GraphQL API returns it (``datasetDataRows``, ``dataRow``).

Named ``DatasetDataRow`` because :class:`alabelbox.types.DataRow` is the ``data_row`` section of an export record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from alabelbox.types._api import ApiModel
from alabelbox.types.project import OrganizationRef
from alabelbox.types.user import UserRef

__all__ = ["CustomMetadataValue", "DataRowDataset", "DataRowMetadataField", "DatasetDataRow"]


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


class DataRowDataset(ApiModel):
    """The dataset a data row is in, in short (``dataset { id name }``)."""

    id: str
    name: str | None = None


class DatasetDataRow(ApiModel):
    """A data row, with the fields the official SDK's ``DataRow`` reads.

    The relationship fields (``dataset``, ``created_by``, ``organization``) are filled by
    ``client.data_rows.retrieve``; listings leave them None (a dataset's listing is of rows of that dataset).
    """

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
    dataset: DataRowDataset | None = None
    """The row's dataset (retrieve only), the SDK's ``DataRow.dataset``."""
    created_by: UserRef | None = None
    """Who created the row (retrieve only), the SDK's ``DataRow.created_by``."""
    organization: OrganizationRef | None = None
    """The row's organization (retrieve only), the SDK's ``DataRow.organization``."""

    @property
    def dataset_id(self) -> str | None:
        """The id of the row's dataset; None if ``dataset`` was not selected."""
        return None if self.dataset is None else self.dataset.id
