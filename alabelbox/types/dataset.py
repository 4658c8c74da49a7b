"""A Labelbox dataset."""

from __future__ import annotations

from datetime import datetime

from alabelbox.types._api import ApiModel

__all__ = ["Dataset"]


class Dataset(ApiModel):
    """A dataset: a collection of data rows."""

    id: str
    name: str
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    row_count: int | None = None
