"""A label inside an export v2 row (``projects.<id>.labels[]`` and model-run ``labels`` / ``predictions``)."""

from __future__ import annotations

from typing import Annotated

from alabelbox.types._base import ExportModel, Lenient, Number, Timestamp
from alabelbox.types._deferred import Deferred, install_deferred
from alabelbox.types.annotations import LabelAnnotations

__all__ = ["ExportLabel", "LabelDetails", "LabelReview", "PerformanceDetails"]


class LabelReview(ExportModel):
    """A review of a label (keys beyond these are kept as extra fields)."""

    id: Lenient[str | None] = None
    score: Lenient[Number | None] = None
    """``1`` approved, ``-1`` rejected (legacy review scale)."""
    created_at: Lenient[Timestamp | None] = None
    created_by: Lenient[str | None] = None
    updated_at: Lenient[Timestamp | None] = None
    reviewed_by: Lenient[str | None] = None
    review_action: Lenient[str | None] = None


class LabelDetails(ExportModel):
    """Who made the label and when (``label_details=True``)."""

    created_at: Lenient[Timestamp | None] = None
    updated_at: Lenient[Timestamp | None] = None
    created_by: Lenient[str | None] = None
    content_last_updated_at: Lenient[Timestamp | None] = None
    """Last change to the annotations themselves (not to reviews or metadata)."""
    reviews: Lenient[list[LabelReview] | None] = None


class PerformanceDetails(ExportModel):
    """Timing and quality figures (``performance_details=True``; key set UNVERIFIED, unknown keys kept)."""

    seconds_to_create: Lenient[Number | None] = None
    seconds_to_review: Lenient[Number | None] = None
    skipped: Lenient[bool | None] = None
    consensus_score: Lenient[Number | None] = None
    benchmark_score: Lenient[Number | None] = None


class ExportLabel(ExportModel):
    """One label of a data row in a project (or one label / prediction of a model run)."""

    label_kind: Lenient[str | None] = None
    """``"Default"``, or ``"Video"`` for video labels."""
    version: Lenient[str | None] = None
    """The export format version of this label, e.g. ``"1.0.0"``."""
    id: str
    """The label id."""
    label_details: Lenient[LabelDetails | None] = None
    performance_details: Lenient[PerformanceDetails | None] = None
    annotations: Annotated[Lenient[LabelAnnotations | None], Deferred(Lenient[LabelAnnotations | None])] = None
    """The label's objects, classifications and relationships.

    Read as the parsed JSON and validated on first access, then cached on the label (the package docstring says
    why): the value is the one eager validation gives, and a label never looked into dumps back what was read.
    """


install_deferred(ExportLabel)
