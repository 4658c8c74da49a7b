"""Quality: benchmarks, labeler performance, and the net score a review metric counts by."""

from __future__ import annotations

import enum
from datetime import datetime

from alabelbox.types._api import ApiModel
from alabelbox.types.user import User

__all__ = ["Benchmark", "LabelerPerformance", "NetScore"]


class NetScore(enum.StrEnum):
    """Which labels a review metric counts, by the sum of their reviews' scores (the SDK's ``Review.NetScore``)."""

    NEGATIVE = "Negative"
    ZERO = "Zero"
    POSITIVE = "Positive"


class _LabelRef(ApiModel):
    id: str


class Benchmark(ApiModel):
    """A benchmark: a reference label that labelers' work on the same data row is scored against."""

    id: str
    created_at: datetime | None = None
    last_activity: datetime | None = None
    average_agreement: float | None = None
    completed_count: int | None = None
    reference_label: _LabelRef | None = None

    @property
    def label_id(self) -> str | None:
        """The reference label's id."""
        return self.reference_label.id if self.reference_label is not None else None


class LabelerPerformance(ApiModel):
    """One labeler's work on a project."""

    user: User
    count: int
    """Labels made."""
    seconds_per_label: float | None = None
    total_time_labeling: float | None = None
    consensus: float | None = None
    average_benchmark_agreement: float | None = None
    last_activity_time: datetime | None = None
