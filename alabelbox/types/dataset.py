"""A Labelbox dataset."""

from __future__ import annotations

from datetime import datetime

from alabelbox.types._api import ApiModel
from alabelbox.types.project import OrganizationRef
from alabelbox.types.user import UserRef

__all__ = ["Dataset"]


class Dataset(ApiModel):
    """A dataset: a collection of data rows.

    The relationship fields (``created_by``, ``organization``) are filled by ``client.datasets.retrieve``;
    listings leave them None.
    """

    id: str
    name: str
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    row_count: int | None = None
    created_by: UserRef | None = None
    """Who created the dataset (retrieve only), the SDK's ``Dataset.created_by``."""
    organization: OrganizationRef | None = None
    """The dataset's organization (retrieve only), the SDK's ``Dataset.organization``."""
