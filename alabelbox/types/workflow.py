"""A project's workflow: its task queues, labeling priorities and the counts of its rows by status."""

from __future__ import annotations

from dataclasses import dataclass

from alabelbox.types._api import ApiModel

__all__ = ["LabelingPriority", "ProjectOverview", "TaskQueue"]


class TaskQueue(ApiModel):
    """A step of a project's workflow (initial labeling, review, done...) and how many rows wait in it.

    Example:
        >>> queue = TaskQueue.model_validate({"id": "q1", "name": "Done", "queueType": "MANUAL", "dataRowCount": 4})
        >>> queue.name, queue.data_row_count
        ('Done', 4)
    """

    id: str
    name: str
    description: str | None = None
    queue_type: str | None = None
    data_row_count: int | None = None


class LabelingPriority(ApiModel):
    """A labeling parameter override: the priority set for one data row of a project (lower is labeled first).

    Example:
        >>> LabelingPriority.model_validate({"id": "o1", "priority": 1, "dataRow": {"id": "r1"}}).data_row_id
        'r1'
    """

    id: str
    priority: int
    number_of_labels: int | None = None
    data_row: dict[str, str | None] | None = None
    """The data row's ``id`` and ``globalKey``."""

    @property
    def data_row_id(self) -> str | None:
        """The id of the data row the priority is for."""
        return None if self.data_row is None else self.data_row.get("id")


@dataclass(frozen=True, slots=True)
class ProjectOverview:
    """How many data rows of a project (or of some of its batches) are in each state, as the project's Overview
    tab shows them.

    Attributes:
        to_label: Waiting to be labeled.
        in_review: In a review queue.
        in_rework: In the rework queue.
        skipped: Skipped by their labeler.
        done: Done.
        labeled: With a label.
        total_data_rows: In the project's queues in all.
        issues: Rows with open issues (None for a batch-scoped overview: issues are not counted per batch).
        queues: The row count of each task queue, by queue name.

    Example:
        >>> ProjectOverview(to_label=2, in_review=1, in_rework=0, skipped=0, done=3, labeled=4,
        ...                 total_data_rows=6).done
        3
    """

    to_label: int
    in_review: int
    in_rework: int
    skipped: int
    done: int
    labeled: int
    total_data_rows: int
    issues: int | None = None
    queues: tuple[tuple[str, int], ...] = ()
