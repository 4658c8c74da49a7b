"""Legacy (v1) export rows: the JSON array ``exportLabels`` produced, with its human-readable keys.

The wire keys ("DataRow ID", "Seconds to Label", ...) are the aliases; fields are snake_case. Objects and
classifications inside ``Label`` use camelCase on the wire (``featureId``, ``schemaId``, ``instanceURI``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from alabelbox.types._base import ExportModel, Number, Timestamp

__all__ = [
    "LegacyAnswer",
    "LegacyBoundingBox",
    "LegacyClassification",
    "LegacyLabel",
    "LegacyLabelRow",
    "LegacyObject",
    "LegacyPoint",
    "LegacyReview",
    "LegacyWorkflowHistoryEntry",
    "LegacyWorkflowInfo",
]


class LegacyBoundingBox(ExportModel):
    """``bbox``: pixels for images, ``unit`` for PDFs."""

    top: Number
    left: Number
    height: Number
    width: Number


class LegacyPoint(ExportModel):
    """A vertex: ``{"x", "y"}``."""

    x: Number
    y: Number


class LegacyAnswer(ExportModel):
    """A chosen option of a radio or checklist classification."""

    feature_id: str | None = Field(default=None, alias="featureId")
    schema_id: str | None = Field(default=None, alias="schemaId")
    title: str | None = None
    value: str | None = None
    classifications: list[LegacyClassification] | None = None
    """Classifications nested under this option."""


class LegacyClassification(ExportModel):
    """A classification: ``answer`` is an option (radio), or a string (free text); ``answers`` is a checklist."""

    feature_id: str | None = Field(default=None, alias="featureId")
    schema_id: str | None = Field(default=None, alias="schemaId")
    title: str | None = None
    value: str | None = None
    answer: LegacyAnswer | str | None = None
    """Radio: the chosen option. Free text: the text itself."""
    answers: list[LegacyAnswer] | None = None
    """Checklist: the chosen options."""


class LegacyObject(ExportModel):
    """An object annotation. Exactly one geometry key is set, by tool.

    ``bbox`` (box), ``polygon``, ``point``, ``line`` (polyline), ``data`` (text entity:
    ``{"location": {"start", "end"}}``); a segmentation mask has only ``instanceURI``.
    """

    feature_id: str | None = Field(default=None, alias="featureId")
    schema_id: str | None = Field(default=None, alias="schemaId")
    color: str | None = None
    title: str | None = None
    value: str | None = None
    bbox: LegacyBoundingBox | None = None
    polygon: list[LegacyPoint] | None = None
    point: LegacyPoint | None = None
    line: list[LegacyPoint] | None = None
    data: dict[str, Any] | None = None
    """Text entities: ``{"location": {"start": i, "end": j}}``."""
    format: str | None = None
    """Text entities: ``"text.location"``."""
    version: int | None = None
    page: int | None = None
    """PDF only: 0-based page."""
    unit: str | None = None
    """PDF only: the unit of ``bbox``, e.g. ``"POINTS"``."""
    instance_uri: str | None = Field(default=None, alias="instanceURI")
    """A URL to the object's mask image (needs the API key)."""
    classifications: list[LegacyClassification] | None = None


class LegacyLabel(ExportModel):
    """The ``Label`` of a legacy row: objects, classifications, relationships; ``{}`` for skipped rows.

    For video, ``frames`` holds a URL to an NDJSON file of frames (or, in some exports, the frames inline).
    """

    objects: list[LegacyObject] | None = None
    classifications: list[LegacyClassification] | None = None
    relationships: list[dict[str, Any]] | None = None
    frames: str | list[dict[str, Any]] | None = None
    """Video only: a URL to the frames (``{"frameNumber", "objects", "classifications"}`` per line)."""


class LegacyReview(ExportModel):
    """A review of a legacy label."""

    score: Number | None = None
    """``1`` approved, ``-1`` rejected."""
    id: str | None = None
    created_at: Timestamp | None = Field(default=None, alias="createdAt")
    created_by: str | None = Field(default=None, alias="createdBy")
    label_id: str | None = Field(default=None, alias="labelId")


class LegacyWorkflowHistoryEntry(ExportModel):
    """One move of the data row through the project's workflow."""

    actor_id: str | None = Field(default=None, alias="actorId")
    action: str | None = None
    created_at: Timestamp | None = Field(default=None, alias="createdAt")
    previous_task_id: str | None = Field(default=None, alias="previousTaskId")
    previous_task_name: str | None = Field(default=None, alias="previousTaskName")
    next_task_id: str | None = Field(default=None, alias="nextTaskId")
    next_task_name: str | None = Field(default=None, alias="nextTaskName")


class LegacyWorkflowInfo(ExportModel):
    """``DataRow Workflow Info``: the current task and the row's history."""

    task_name: str | None = Field(default=None, alias="taskName")
    """The workflow task the data row is in now."""
    workflow_history: list[LegacyWorkflowHistoryEntry] | None = Field(default=None, alias="Workflow History")


class LegacyLabelRow(ExportModel):
    """One element of a legacy (v1) JSON export."""

    id: str = Field(alias="ID")
    """The label id."""
    data_row_id: str | None = Field(default=None, alias="DataRow ID")
    labeled_data: str | None = Field(default=None, alias="Labeled Data")
    """The asset URL, or the raw content (text, tiled-imagery JSON)."""
    label: LegacyLabel | None = Field(default=None, alias="Label")
    created_by: str | None = Field(default=None, alias="Created By")
    project_name: str | None = Field(default=None, alias="Project Name")
    created_at: Timestamp | None = Field(default=None, alias="Created At")
    """When the label was created (labeling time only, not review)."""
    updated_at: Timestamp | None = Field(default=None, alias="Updated At")
    seconds_to_label: Number | None = Field(default=None, alias="Seconds to Label")
    external_id: str | None = Field(default=None, alias="External ID")
    global_key: str | None = Field(default=None, alias="Global Key")
    agreement: Number | None = Field(default=None, alias="Agreement")
    """Consensus agreement; ``-1`` when there is none."""
    benchmark_agreement: Number | None = Field(default=None, alias="Benchmark Agreement")
    """``-1`` when there is none."""
    benchmark_id: str | None = Field(default=None, alias="Benchmark ID")
    dataset_name: str | None = Field(default=None, alias="Dataset Name")
    reviews: list[LegacyReview] | None = Field(default=None, alias="Reviews")
    view_label: str | None = Field(default=None, alias="View Label")
    """A link to the label in the editor."""
    has_open_issues: Number | None = Field(default=None, alias="Has Open Issues")
    skipped: bool | None = Field(default=None, alias="Skipped")
    data_split: str | None = Field(default=None, alias="Data Split")
    media_attributes: dict[str, Any] | None = Field(default=None, alias="Media Attributes")
    data_row_metadata: list[Any] | None = Field(default=None, alias="DataRow Metadata")
    data_row_workflow_info: LegacyWorkflowInfo | None = Field(default=None, alias="DataRow Workflow Info")
    media_type: str | None = None
    """Seen in some exports only."""
