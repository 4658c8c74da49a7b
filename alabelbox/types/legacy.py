"""Legacy (v1) export rows: the JSON array ``exportLabels`` produced, with its human-readable keys.

The wire keys ("DataRow ID", "Seconds to Label", ...) are the aliases; fields are snake_case. Objects and
classifications inside ``Label`` use camelCase on the wire (``featureId``, ``schemaId``, ``instanceURI``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from alabelbox.types._base import ExportModel, Lenient, Number, Timestamp

__all__ = [
    "LegacyAnswer",
    "LegacyBoundingBox",
    "LegacyClassification",
    "LegacyExportResult",
    "LegacyLabel",
    "LegacyLabelRow",
    "LegacyObject",
    "LegacyPoint",
    "LegacyReview",
    "LegacyVideoFrame",
    "LegacyWorkflowHistoryEntry",
    "LegacyWorkflowInfo",
]


@dataclass(frozen=True, slots=True)
class LegacyExportResult:
    """A generated legacy export file (``client.exports.export_labels_url``)."""

    download_url: str
    """The signed URL of the JSON array."""
    created_at: str | None
    """When the file was generated; the same for every call within 30 minutes of it."""
    polls: int
    """``exportLabels`` calls it took."""


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

    feature_id: Lenient[str | None] = Field(default=None, alias="featureId")
    schema_id: Lenient[str | None] = Field(default=None, alias="schemaId")
    title: Lenient[str | None] = None
    value: Lenient[str | None] = None
    classifications: Lenient[list[LegacyClassification] | None] = None
    """Classifications nested under this option."""


class LegacyClassification(ExportModel):
    """A classification: ``answer`` is an option (radio), or a string (free text); ``answers`` is a checklist."""

    feature_id: Lenient[str | None] = Field(default=None, alias="featureId")
    schema_id: Lenient[str | None] = Field(default=None, alias="schemaId")
    title: Lenient[str | None] = None
    value: Lenient[str | None] = None
    answer: Lenient[LegacyAnswer | list[LegacyAnswer] | str | None] = None
    """Radio: the chosen option. Free text: the text itself. Some 2020 exports write a list of options here (L3)."""
    answers: Lenient[list[LegacyAnswer] | None] = None
    """Checklist: the chosen options."""


class LegacyObject(ExportModel):
    """An object annotation. Exactly one geometry key is set, by tool.

    ``bbox`` (box), ``polygon``, ``point``, ``line`` (polyline), ``data`` (text entity:
    ``{"location": {"start", "end"}}``); a segmentation mask has only ``instanceURI``.
    """

    feature_id: Lenient[str | None] = Field(default=None, alias="featureId")
    schema_id: Lenient[str | None] = Field(default=None, alias="schemaId")
    title: Lenient[str | None] = None
    value: Lenient[str | None] = None
    color: Lenient[str | None] = None
    bbox: Lenient[LegacyBoundingBox | None] = None
    polygon: Lenient[list[LegacyPoint] | None] = None
    point: Lenient[LegacyPoint | None] = None
    line: Lenient[list[LegacyPoint] | None] = None
    data: Lenient[dict[str, Any] | None] = None
    """Text entities: ``{"location": {"start": i, "end": j}}``."""
    format: Lenient[str | None] = None
    """Text entities: ``"text.location"``."""
    version: Lenient[int | None] = None
    page: Lenient[int | None] = None
    """PDF only: 0-based page."""
    unit: Lenient[str | None] = None
    """PDF only: the unit of ``bbox``, e.g. ``"POINTS"``."""
    instance_uri: Lenient[str | None] = Field(default=None, alias="instanceURI")
    """A URL to the object's mask image (needs the API key)."""
    classifications: Lenient[list[LegacyClassification | list[LegacyClassification]] | None] = None
    """Nested classifications; some exports nest them one list deeper, ``[[{...}]]`` (L4)."""


class LegacyVideoFrame(ExportModel):
    """One frame of a legacy video label, inline in ``Label`` (some exports) or a line of the frames file."""

    frame_number: Lenient[int | None] = Field(default=None, alias="frameNumber")
    objects: Lenient[list[LegacyObject] | None] = None
    classifications: Lenient[list[LegacyClassification | list[LegacyClassification]] | None] = None


class LegacyLabel(ExportModel):
    """The ``Label`` of a legacy row: objects, classifications, relationships; ``{}`` for skipped rows.

    For video, ``frames`` holds a URL to an NDJSON file of frames (or, in some exports, the frames inline).
    """

    objects: Lenient[list[LegacyObject] | None] = None
    classifications: Lenient[list[LegacyClassification | list[LegacyClassification]] | None] = None
    relationships: Lenient[list[dict[str, Any]] | None] = None
    frames: Lenient[str | list[LegacyVideoFrame] | None] = None
    """Video only: a URL to the frames (``{"frameNumber", "objects", "classifications"}`` per line)."""


class LegacyReview(ExportModel):
    """A review of a legacy label."""

    id: Lenient[str | None] = None
    score: Lenient[Number | None] = None
    """``1`` approved, ``-1`` rejected."""
    created_at: Lenient[Timestamp | None] = Field(default=None, alias="createdAt")
    created_by: Lenient[str | None] = Field(default=None, alias="createdBy")
    label_id: Lenient[str | None] = Field(default=None, alias="labelId")


class LegacyWorkflowHistoryEntry(ExportModel):
    """One move of the data row through the project's workflow."""

    actor_id: Lenient[str | None] = Field(default=None, alias="actorId")
    action: Lenient[str | None] = None
    created_at: Lenient[Timestamp | None] = Field(default=None, alias="createdAt")
    previous_task_id: Lenient[str | None] = Field(default=None, alias="previousTaskId")
    previous_task_name: Lenient[str | None] = Field(default=None, alias="previousTaskName")
    next_task_id: Lenient[str | None] = Field(default=None, alias="nextTaskId")
    next_task_name: Lenient[str | None] = Field(default=None, alias="nextTaskName")


class LegacyWorkflowInfo(ExportModel):
    """``DataRow Workflow Info``: the current task and the row's history."""

    task_name: Lenient[str | None] = Field(default=None, alias="taskName")
    """The workflow task the data row is in now."""
    workflow_history: Lenient[list[LegacyWorkflowHistoryEntry] | None] = Field(default=None, alias="Workflow History")


class LegacyLabelRow(ExportModel):
    """One element of a legacy (v1) JSON export (fields in the order the 2020-2023 exports write them)."""

    id: str = Field(alias="ID")
    """The label id."""
    data_row_id: Lenient[str | None] = Field(default=None, alias="DataRow ID")
    data_row_metadata: Lenient[list[Any] | None] = Field(default=None, alias="DataRow Metadata")
    media_attributes: Lenient[dict[str, Any] | None] = Field(default=None, alias="Media Attributes")
    labeled_data: Lenient[str | None] = Field(default=None, alias="Labeled Data")
    """The asset URL, or the raw content (text, tiled-imagery JSON)."""
    label: Lenient[LegacyLabel | list[LegacyVideoFrame] | str | None] = Field(default=None, alias="Label")
    """The annotations; ``"Skip"`` for a skipped row (L1, real: ``lucapierdicca_labelbox.json``,
    ``lbpy2018_empty_skipped.json``); a list of frames for some legacy video rows (L2)."""
    created_by: Lenient[str | None] = Field(default=None, alias="Created By")
    project_name: Lenient[str | None] = Field(default=None, alias="Project Name")
    created_at: Lenient[Timestamp | None] = Field(default=None, alias="Created At")
    """When the label was created (labeling time only, not review)."""
    updated_at: Lenient[Timestamp | None] = Field(default=None, alias="Updated At")
    seconds_to_label: Lenient[Number | str | None] = Field(default=None, alias="Seconds to Label")
    """A number; a string such as ``"5.249"`` in 2018 exports (L6, real: ``lbpy2018_labelbox_1.json``)."""
    external_id: Lenient[str | None] = Field(default=None, alias="External ID")
    global_key: Lenient[str | None] = Field(default=None, alias="Global Key")
    agreement: Lenient[Number | str | None] = Field(default=None, alias="Agreement")
    """Consensus agreement; ``-1`` when there is none; ``""`` in a 2018 export (L5, real: ``lucapierdicca_...``)."""
    benchmark_agreement: Lenient[Number | str | None] = Field(default=None, alias="Benchmark Agreement")
    """``-1`` when there is none."""
    benchmark_id: Lenient[str | None] = Field(default=None, alias="Benchmark ID")
    benchmark_reference_id: Lenient[str | None] = Field(default=None, alias="Benchmark Reference ID")
    dataset_name: Lenient[str | None] = Field(default=None, alias="Dataset Name")
    reviews: Lenient[list[LegacyReview] | None] = Field(default=None, alias="Reviews")
    view_label: Lenient[str | None] = Field(default=None, alias="View Label")
    """A link to the label in the editor."""
    has_open_issues: Lenient[Number | None] = Field(default=None, alias="Has Open Issues")
    skipped: Lenient[bool | None] = Field(default=None, alias="Skipped")
    data_split: Lenient[str | None] = Field(default=None, alias="Data Split")
    data_row_workflow_info: Lenient[LegacyWorkflowInfo | None] = Field(default=None, alias="DataRow Workflow Info")
    media_type: Lenient[str | None] = None
    """Seen in some exports only."""
