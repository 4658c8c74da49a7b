"""A Labelbox project."""

from __future__ import annotations

from datetime import datetime

from alabelbox.types._api import ApiModel

__all__ = ["Project"]


class Project(ApiModel):
    """A project, with the fields the official SDK's ``Project`` reads."""

    id: str
    name: str
    description: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    setup_complete: datetime | None = None
    """When the project's setup was completed; None while it is not."""
    last_activity_time: datetime | None = None
    auto_audit_number_of_labels: int | None = None
    auto_audit_percentage: float | None = None
    data_row_count: int | None = None
    editor_task_type: str | None = None
    allowed_media_type: str | None = None
    """The media type of the project's data rows, e.g. ``"IMAGE"``."""
    model_setup_complete: bool | None = None
    upload_type: str | None = None
    is_benchmark_enabled: bool | None = None
    is_consensus_enabled: bool | None = None
