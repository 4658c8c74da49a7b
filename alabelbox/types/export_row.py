"""One line of an export v2 RESULT stream: a data row with its labels in every exported project."""

from __future__ import annotations

from typing import Any

from alabelbox.types._base import ExportModel, Number, Timestamp
from alabelbox.types.export_label import ExportLabel

__all__ = [
    "DataRow",
    "DataRowAttachment",
    "DataRowDetails",
    "DataRowEmbedding",
    "EmbeddingValue",
    "ExportExperiment",
    "ExportModelRun",
    "ExportProject",
    "ExportRow",
    "MediaAttributes",
    "MetadataField",
    "ProjectDetails",
    "WorkflowHistoryEntry",
]


class DataRowDetails(ExportModel):
    """Where the data row lives and who made it (``data_row_details=True``)."""

    dataset_id: str | None = None
    dataset_name: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    last_activity_at: Timestamp | None = None
    """Last change to anything about the row: labels, reviews, metadata, issues."""
    created_by: str | None = None


class DataRow(ExportModel):
    """The asset itself."""

    id: str
    global_key: str | None = None
    external_id: str | None = None
    row_data: str | None = None
    """A URL to the asset, or the content itself (text, or a JSON string for conversational rows)."""
    details: DataRowDetails | None = None


class MediaAttributes(ExportModel):
    """What Labelbox knows about the media; keys depend on the media type (all unknown keys are kept)."""

    height: int | None = None
    width: int | None = None
    mime_type: str | None = None
    exif_rotation: str | None = None
    asset_type: str | None = None
    frame_rate: Number | None = None
    """Video only."""
    frame_count: int | None = None
    """Video only."""
    duration: Number | None = None
    labelable_ids: list[str] | None = None
    """Conversational rows: the ids of the messages that can be labeled."""
    message_count: int | None = None


class DataRowAttachment(ExportModel):
    """An attachment shown beside the asset (``attachments=True``)."""

    id: str | None = None
    type: str | None = None
    """``"IMAGE"``, ``"TEXT"``, ``"RAW_TEXT"``, ``"HTML"``, ``"IMAGE_OVERLAY"``, ..."""
    value: str | None = None
    name: str | None = None


class MetadataField(ExportModel):
    """A metadata value of the row (``metadata_fields=True``)."""

    schema_id: str | None = None
    schema_name: str | None = None
    value: Any = None
    """A string, number, datetime string, or an enum option (a dict with ``schema_id`` and ``schema_name``)."""


class EmbeddingValue(ExportModel):
    """One vector of an embedding."""

    value: list[float] | None = None


class DataRowEmbedding(ExportModel):
    """An embedding of the row (``embeddings=True``)."""

    id: str | None = None
    name: str | None = None
    dimensions: int | None = None
    is_custom: bool | None = None
    values: list[EmbeddingValue] | None = None


class WorkflowHistoryEntry(ExportModel):
    """One move of the row through the project's workflow."""

    action: str | None = None
    created_at: Timestamp | None = None
    created_by: str | None = None
    previous_task_id: str | None = None
    previous_task_name: str | None = None
    next_task_id: str | None = None
    next_task_name: str | None = None


class ProjectDetails(ExportModel):
    """The row's place in the project (``project_details=True``)."""

    batch_id: str | None = None
    batch_name: str | None = None
    priority: int | None = None
    consensus_expected_label_count: int | None = None
    workflow_history: list[WorkflowHistoryEntry] | None = None
    workflow_status: str | None = None
    """E.g. ``"IN_REVIEW"``, ``"DONE"``, ``"TO_LABEL"``."""
    task_id: str | None = None
    task_name: str | None = None
    ontology_id: str | None = None
    selected_label_id: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None


class ExportProject(ExportModel):
    """The row's labels in one project (a value of ``projects``)."""

    name: str | None = None
    labels: list[ExportLabel] | None = None
    project_details: ProjectDetails | None = None


class ExportModelRun(ExportModel):
    """The row in one model run (model-run exports; shape from the docs, unknown keys kept)."""

    name: str | None = None
    run_data_row_id: str | None = None
    labels: list[ExportLabel] | None = None
    """Ground truth labels attached to the run."""
    predictions: list[ExportLabel] | None = None
    """The model's predictions, shaped like labels."""
    split: str | None = None
    """``"training"``, ``"validation"``, ``"test"``, or absent."""


class ExportExperiment(ExportModel):
    """A model (experiment) in a model-run export: its runs keyed by model-run id."""

    name: str | None = None
    runs: dict[str, ExportModelRun] | None = None


class ExportRow(ExportModel):
    """One line of an export v2 RESULT stream.

    Example:
        >>> row = ExportRow.model_validate_json(line)  # one line of an NDJSON export
        >>> for project_id, project in (row.projects or {}).items():
        ...     for label in project.labels or []:
        ...         print(project_id, label.id)
    """

    data_row: DataRow
    media_attributes: MediaAttributes | None = None
    attachments: list[DataRowAttachment] | None = None
    metadata_fields: list[MetadataField] | None = None
    embeddings: list[DataRowEmbedding] | None = None
    projects: dict[str, ExportProject] | None = None
    """Project id to the row's labels in that project."""
    experiments: dict[str, ExportExperiment] | None = None
    """Model-run exports: experiment (model) id to its runs."""
