"""What label deletions report."""

from __future__ import annotations

from dataclasses import dataclass, field

from alabelbox._exceptions import LabelboxError

__all__ = ["BatchLabelDeletion", "BulkLabelDeletion", "LabelDeletion"]


@dataclass(frozen=True, slots=True)
class LabelDeletion:
    """The outcome of :meth:`alabelbox.resources.Labels.delete`: which ids were deleted, and which were not.

    Attributes:
        deleted: Ids the server reported deleted, in request order.
        failed: Ids whose chunk failed, each with the error of its chunk. The server deletes a chunk all or
            nothing; a failed chunk may be retried as a whole.
    """

    deleted: list[str] = field(default_factory=list)
    failed: dict[str, LabelboxError] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether every id was deleted."""
        return not self.failed

    def raise_for_failures(self) -> None:
        """Raise the first chunk's error if any id was not deleted."""
        for error in self.failed.values():
            raise error


@dataclass(frozen=True, slots=True)
class BulkLabelDeletion:
    """The outcome of ``bulkDeleteLabels``.

    Attributes:
        count: How many labels were deleted.
        make_templates: Whether they were kept as templates.
    """

    count: int
    make_templates: bool


@dataclass(frozen=True, slots=True)
class BatchLabelDeletion:
    """The outcome of ``deleteBatchLabels``.

    Attributes:
        deleted_label_ids: The ids of the labels deleted from the batch.
        kept_as_templates: Whether they were kept as templates.
    """

    deleted_label_ids: list[str]
    kept_as_templates: bool
