"""A label inside an export v2 row (``projects.<id>.labels[]`` and model-run ``labels`` / ``predictions``)."""

from __future__ import annotations

from alabelbox.types._base import ExportModel, Number, Timestamp
from alabelbox.types.annotations import LabelAnnotations

__all__ = ["ExportLabel", "LabelDetails", "LabelReview", "PerformanceDetails"]


class LabelReview(ExportModel):
    """A review of a label (keys beyond these are kept as extra fields)."""

    id: str | None = None
    score: Number | None = None
    """``1`` approved, ``-1`` rejected (legacy review scale)."""
    created_at: Timestamp | None = None
    created_by: str | None = None
    updated_at: Timestamp | None = None
    reviewed_by: str | None = None
    review_action: str | None = None


class LabelDetails(ExportModel):
    """Who made the label and when (``label_details=True``)."""

    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    created_by: str | None = None
    content_last_updated_at: Timestamp | None = None
    """Last change to the annotations themselves (not to reviews or metadata)."""
    reviews: list[LabelReview] | None = None


class PerformanceDetails(ExportModel):
    """Timing and quality figures (``performance_details=True``; key set UNVERIFIED, unknown keys kept)."""

    seconds_to_create: Number | None = None
    seconds_to_review: Number | None = None
    skipped: bool | None = None
    consensus_score: Number | None = None
    benchmark_score: Number | None = None


class ExportLabel(ExportModel):
    """One label of a data row in a project (or one label / prediction of a model run)."""

    id: str
    """The label id."""
    label_kind: str | None = None
    """``"Default"``, or ``"Video"`` for video labels."""
    version: str | None = None
    """The export format version of this label, e.g. ``"1.0.0"``."""
    label_details: LabelDetails | None = None
    performance_details: PerformanceDetails | None = None
    annotations: LabelAnnotations | None = None
