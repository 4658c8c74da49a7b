"""One line of an export v2 RESULT stream: a data row with its labels in every exported project."""

from __future__ import annotations

from typing import Any

from alabelbox.types._base import ExportModel, Lenient, Number, Timestamp
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

    dataset_id: Lenient[str | None] = None
    dataset_name: Lenient[str | None] = None
    created_at: Lenient[Timestamp | None] = None
    updated_at: Lenient[Timestamp | None] = None
    last_activity_at: Lenient[Timestamp | None] = None
    """Last change to anything about the row: labels, reviews, metadata, issues."""
    created_by: Lenient[str | None] = None


class DataRow(ExportModel):
    """The asset itself."""

    id: str
    global_key: Lenient[str | None] = None
    external_id: Lenient[str | None] = None
    row_data: Lenient[str | None] = None
    """A URL to the asset, or the content itself (text, or a JSON string for conversational rows)."""
    details: Lenient[DataRowDetails | None] = None


class MediaAttributes(ExportModel):
    """What Labelbox knows about the media; keys depend on the media type (all unknown keys are kept)."""

    height: Lenient[int | None] = None
    width: Lenient[int | None] = None
    asset_type: Lenient[str | None] = None
    mime_type: Lenient[str | None] = None
    exif_rotation: Lenient[str | int | None] = None
    """A string such as ``"1"``; an integer in 2025 exports (V1, real: ``okavango_labels.ndjson``)."""
    frame_rate: Lenient[Number | None] = None
    """Video only."""
    frame_count: Lenient[int | None] = None
    """Video only."""
    duration: Lenient[Number | None] = None
    labelable_ids: Lenient[list[str] | None] = None
    """Conversational rows: the ids of the messages that can be labeled."""
    message_count: Lenient[int | None] = None


class DataRowAttachment(ExportModel):
    """An attachment shown beside the asset (``attachments=True``)."""

    id: Lenient[str | None] = None
    type: Lenient[str | None] = None
    """``"IMAGE"``, ``"TEXT"``, ``"RAW_TEXT"``, ``"HTML"``, ``"IMAGE_OVERLAY"``, ..."""
    value: Lenient[str | None] = None
    name: Lenient[str | None] = None


class MetadataField(ExportModel):
    """A metadata value of the row (``metadata_fields=True``)."""

    schema_id: Lenient[str | None] = None
    schema_name: Lenient[str | None] = None
    value: Lenient[Any] = None
    """A string, number, datetime string, or an enum option (a dict with ``schema_id`` and ``schema_name``)."""


class EmbeddingValue(ExportModel):
    """One vector of an embedding."""

    value: Lenient[list[float] | None] = None


class DataRowEmbedding(ExportModel):
    """An embedding of the row (``embeddings=True``)."""

    id: Lenient[str | None] = None
    name: Lenient[str | None] = None
    dimensions: Lenient[int | None] = None
    is_custom: Lenient[bool | None] = None
    values: Lenient[list[EmbeddingValue] | None] = None


class WorkflowHistoryEntry(ExportModel):
    """One move of the row through the project's workflow."""

    action: Lenient[str | None] = None
    created_at: Lenient[Timestamp | None] = None
    created_by: Lenient[str | None] = None
    previous_task_id: Lenient[str | None] = None
    previous_task_name: Lenient[str | None] = None
    next_task_id: Lenient[str | None] = None
    next_task_name: Lenient[str | None] = None


class ProjectDetails(ExportModel):
    """The row's place in the project (``project_details=True``)."""

    batch_id: Lenient[str | None] = None
    batch_name: Lenient[str | None] = None
    priority: Lenient[int | None] = None
    consensus_expected_label_count: Lenient[int | None] = None
    workflow_history: Lenient[list[WorkflowHistoryEntry] | None] = None
    workflow_status: Lenient[str | None] = None
    """E.g. ``"IN_REVIEW"``, ``"DONE"``, ``"TO_LABEL"``."""
    task_id: Lenient[str | None] = None
    task_name: Lenient[str | None] = None
    ontology_id: Lenient[str | None] = None
    selected_label_id: Lenient[str | None] = None
    created_at: Lenient[Timestamp | None] = None
    updated_at: Lenient[Timestamp | None] = None


class ExportProject(ExportModel):
    """The row's labels in one project (a value of ``projects``)."""

    name: Lenient[str | None] = None
    labels: Lenient[list[ExportLabel] | None] = None
    project_details: Lenient[ProjectDetails | None] = None


class ExportModelRun(ExportModel):
    """The row in one model run (model-run exports; shape from the docs, unknown keys kept)."""

    name: Lenient[str | None] = None
    run_data_row_id: Lenient[str | None] = None
    labels: Lenient[list[ExportLabel] | None] = None
    """Ground truth labels attached to the run."""
    predictions: Lenient[list[ExportLabel] | None] = None
    """The model's predictions, shaped like labels."""
    split: Lenient[str | None] = None
    """``"training"``, ``"validation"``, ``"test"``, or absent."""


class ExportExperiment(ExportModel):
    """A model (experiment) in a model-run export: its runs keyed by model-run id."""

    name: Lenient[str | None] = None
    runs: Lenient[dict[str, ExportModelRun] | None] = None


class ExportRow(ExportModel):
    """One line of an export v2 RESULT stream.

    Example:
        >>> row = ExportRow.model_validate_json(line)  # one line of an NDJSON export
        >>> for project_id, project in (row.projects or {}).items():
        ...     for label in project.labels or []:
        ...         print(project_id, label.id)
    """

    data_row: DataRow
    media_attributes: Lenient[MediaAttributes | None] = None
    attachments: Lenient[list[DataRowAttachment] | None] = None
    metadata_fields: Lenient[list[MetadataField] | None] = None
    embeddings: Lenient[list[DataRowEmbedding] | None] = None
    projects: Lenient[dict[str, ExportProject] | None] = None
    """Project id to the row's labels in that project."""
    experiments: Lenient[dict[str, ExportExperiment] | None] = None
    """Model-run exports: experiment (model) id to its runs."""
