"""Model runs: :class:`ModelRun`, its data rows (:class:`ModelRunDataRow`), :class:`DataSplit`, the
:class:`ModelRunTask` of a registration or split, :class:`ModelRunStatus` of its training pipeline, and
:class:`ConflictResolutionStrategy` of send to annotate."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from alabelbox.types._api import ApiModel
from alabelbox.types.data_row import DatasetDataRow
from alabelbox.types.task import TaskStatus

__all__ = ["ConflictResolutionStrategy", "DataSplit", "ModelRun", "ModelRunDataRow", "ModelRunStatus", "ModelRunTask"]


class DataSplit(enum.StrEnum):
    """The split a model run's data row is in (``UNASSIGNED`` until one is assigned)."""

    TRAINING = "TRAINING"
    VALIDATION = "VALIDATION"
    TEST = "TEST"
    UNASSIGNED = "UNASSIGNED"


class ModelRunStatus(enum.StrEnum):
    """Where a run's training pipeline is, as ``update_status`` reports it."""

    EXPORTING_DATA = "EXPORTING_DATA"
    PREPARING_DATA = "PREPARING_DATA"
    TRAINING_MODEL = "TRAINING_MODEL"
    COMPLETE = "COMPLETE"
    FAILED = "FAILED"


class ConflictResolutionStrategy(enum.StrEnum):
    """When rows sent to annotate already have labels in the project: keep them, or let what is sent win."""

    KEEP_EXISTING = "KEEP_EXISTING"
    OVERRIDE_WITH_ANNOTATIONS = "OVERRIDE_WITH_ANNOTATIONS"
    OVERRIDE_WITH_PREDICTIONS = "OVERRIDE_WITH_PREDICTIONS"


class ModelRun(ApiModel):
    """A run of a model: its config and, on the server, its data rows, labels, predictions and splits.

    Example:
        >>> run = ModelRun.model_validate({"id": "r1", "name": "run 1", "modelId": "m1",
        ...                                "trainingMetadata": {"lr": 0.01}})
        >>> run.training_metadata
        {'lr': 0.01}
    """

    id: str
    name: str
    model_id: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    """The id of the user who created it."""
    training_metadata: dict[str, Any] | None = None
    """The run's config (hyperparameters, anything JSON), as given to ``create`` and ``update_config``."""
    model_app_id: str | None = None


class ModelRunDataRow(ApiModel):
    """A data row of a model run: its split, its label, the row itself.

    Example:
        >>> row = ModelRunDataRow.model_validate({"id": "g1", "modelRunId": "r1", "dataSplit": "TEST",
        ...                                       "labelId": None, "dataRow": {"id": "d1"}})
        >>> row.data_split, row.data_row.id
        (<DataSplit.TEST: 'TEST'>, 'd1')
    """

    id: str
    model_run_id: str
    data_split: DataSplit = DataSplit.UNASSIGNED
    label_id: str | None = None
    """A label of the row in the run, if it has one."""
    data_row: DatasetDataRow


class ModelRunTask(ApiModel):
    """A model-run registration or split task, done: what ``upsert_data_rows``, ``upsert_labels`` and
    ``assign_split`` return.

    Example:
        >>> ModelRunTask(id="t1", status="COMPLETE").succeeded
        True
    """

    id: str
    status: TaskStatus
    error_message: str | None = None
    """Why it failed, as the server says it (None when it did not)."""

    @property
    def succeeded(self) -> bool:
        """Whether the task is COMPLETE."""
        return self.status is TaskStatus.COMPLETE
