"""A batch of a project, and what creating many of them reports."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import AliasChoices, Field, field_validator

from alabelbox._exceptions import LabelboxError
from alabelbox.types._api import ApiModel

__all__ = ["Batch", "BatchCreation", "BatchCreations", "BatchSpec"]


class Batch(ApiModel):
    """A batch: data rows sent to a project for labeling together.

    Example:
        >>> batch = Batch.model_validate(
        ...     {"id": "b1", "name": "week 1", "size": 3, "consensusSettingsJson": '{"numberOfLabels": 2}'}
        ... )
        >>> batch.size, batch.consensus_settings
        (3, {'numberOfLabels': 2})
    """

    id: str
    name: str
    size: int | None = None
    """How many data rows the batch holds."""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    consensus_settings: dict[str, Any] | None = Field(
        default=None, validation_alias=AliasChoices("consensusSettingsJson", "consensus_settings")
    )
    """The batch's consensus settings (``numberOfLabels``, ``coveragePercentage``), if any."""
    failed_data_row_ids: tuple[str, ...] = ()
    """On a batch just created: the ids (or global keys) that could not join it (unknown, or already in the
    project). Empty on a batch read back."""

    @field_validator("consensus_settings", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else None
        return value


@dataclass(frozen=True, slots=True)
class BatchSpec:
    """One batch to create with :meth:`~alabelbox.resources.Batches.create_many`: a name and its rows, by id or by
    global key (one of the two).

    Attributes:
        name: The batch's name, unique within the project.
        data_row_ids: The rows, by id.
        global_keys: The rows, by global key.
        priority: The rows' labeling priority, 1 (first) to 5 (last, the default).
        consensus: Consensus settings: ``{"number_of_labels": 3, "coverage_percentage": 0.1}``.

    Example:
        >>> BatchSpec("week 1", data_row_ids=["r1", "r2"], priority=2).priority
        2
    """

    name: str
    data_row_ids: Sequence[str] | None = None
    global_keys: Sequence[str] | None = None
    priority: int = 5
    consensus: Mapping[str, float] | None = None


@dataclass(frozen=True, slots=True)
class BatchCreation:
    """The outcome of one batch of :meth:`~alabelbox.resources.Batches.create_many`.

    Attributes:
        index: The position of the batch's spec in the call.
        name: The batch's name.
        batch: The batch created, or None if it failed.
        error: Why it failed, or None.
    """

    index: int
    name: str
    batch: Batch | None = None
    error: LabelboxError | None = None

    @property
    def ok(self) -> bool:
        """Whether the batch was created."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class BatchCreations:
    """What :meth:`~alabelbox.resources.Batches.create_many` did, one :class:`BatchCreation` per spec, in order.

    Example:
        >>> done = BatchCreations([BatchCreation(0, "a", error=LabelboxError("refused"))])
        >>> done.ok, [f.name for f in done.failed]
        (False, ['a'])
    """

    results: list[BatchCreation] = field(default_factory=list)

    @property
    def batches(self) -> list[Batch]:
        """The batches created, in spec order."""
        return [r.batch for r in self.results if r.batch is not None]

    @property
    def failed(self) -> list[BatchCreation]:
        """The specs whose batch was not created, in order."""
        return [r for r in self.results if r.error is not None]

    @property
    def ok(self) -> bool:
        """Whether every batch was created."""
        return not self.failed

    def raise_for_failures(self) -> None:
        """Raise the first failed batch's error, if any."""
        for result in self.failed:
            assert result.error is not None
            raise result.error
