"""Send to annotate: :class:`SendToAnnotateParams` (what goes with the rows sent to a project's queue, from the catalog
or a model run) and :class:`PredictionsSentToProject` (what ``upsert_predictions_and_send_to_project`` did)."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from alabelbox.types._api import ApiModel
from alabelbox.types.annotation_import import ImportJob
from alabelbox.types.batch import Batch
from alabelbox.types.model_run import ConflictResolutionStrategy

__all__ = ["PredictionsSentToProject", "SendToAnnotateParams"]


class SendToAnnotateParams(ApiModel):
    """The options of a send to annotate, the SDK's ``SendToAnnotateFromCatalogParams`` /
    ``SendToAnnotateFromModelParams`` with the same field names (so an SDK ``params`` dict validates as it is).

    From the catalog, give one source: ``source_model_run_id`` (its predictions become pre-labels) or
    ``source_project_id`` (its labels are copied as labels). From a model run the run is the source.

    Example:
        >>> params = SendToAnnotateParams(source_project_id="cl_project", batch_priority=2,
        ...     override_existing_annotations_rule="OVERRIDE_WITH_ANNOTATIONS")
        >>> params.override_existing_annotations_rule
        <ConflictResolutionStrategy.OVERRIDE_WITH_ANNOTATIONS: 'OVERRIDE_WITH_ANNOTATIONS'>
        >>> SendToAnnotateParams(batch_priority=9)
        Traceback (most recent call last):
        ...
        pydantic_core._pydantic_core.ValidationError: 1 validation error for SendToAnnotateParams
        batch_priority
          Input should be less than or equal to 5 [type=less_than_equal, input_value=9, input_type=int]
        ...
    """

    model_config = ConfigDict(extra="forbid")

    source_model_run_id: str | None = None
    """The model run whose predictions go with the rows, as pre-labels (catalog only)."""
    source_project_id: str | None = None
    """The project whose labels on the rows are copied as labels (catalog only)."""
    predictions_ontology_mapping: dict[str, str] = Field(default_factory=dict)
    """Feature schema id of the model run's ontology -> the destination project's. Empty: every feature as it is;
    else only the mapped ones go."""
    annotations_ontology_mapping: dict[str, str] = Field(default_factory=dict)
    """Feature schema id of the source project's ontology -> the destination project's, likewise."""
    exclude_data_rows_in_project: bool = False
    """Leave out the rows already in the destination project (else they stay where they are, and get what is
    sent as ``override_existing_annotations_rule`` says)."""
    override_existing_annotations_rule: ConflictResolutionStrategy = ConflictResolutionStrategy.KEEP_EXISTING
    """What wins where a row already has labels (or pre-labels) in the project."""
    batch_priority: int = Field(default=5, ge=1, le=5, strict=True)
    """The batch's labeling priority, 1 (first) to 5 (last)."""

    @field_validator("source_model_run_id", "source_project_id")
    @classmethod
    def _an_id(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must be a non-blank id")
        return value

    @field_validator("predictions_ontology_mapping", "annotations_ontology_mapping", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            for source, target in value.items():
                if not isinstance(source, str) or not source.strip():
                    raise ValueError(f"a key must be a feature schema id, got {source!r}")
                if not isinstance(target, str) or not target.strip():
                    raise ValueError(f"[{source!r}] must be a feature schema id, got {target!r}")
        return value

    @model_validator(mode="after")
    def _one_source(self) -> SendToAnnotateParams:
        if self.source_model_run_id and self.source_project_id:
            raise ValueError("give source_model_run_id or source_project_id, not both")
        return self


class PredictionsSentToProject(ApiModel):
    """What ``client.model_runs.upsert_predictions_and_send_to_project`` did, step by step (the SDK's
    ``(mea_import, batch, mal_import)``): a step that could not be done is None, and why is in :attr:`errors`.

    Example:
        >>> job = ImportJob(kind="MEAPredictionImport", target_id="cl_run", name="round 1")
        >>> done = PredictionsSentToProject(mea_import=job, errors=("no prediction was imported",))
        >>> done.batch is None, done.errors
        (True, ('no prediction was imported',))
    """

    mea_import: ImportJob
    """The import of the predictions into the model run, done."""
    batch: Batch | None = None
    """The batch of the predicted rows in the project (None if no prediction went in, or it was not made)."""
    mal_import: ImportJob | None = None
    """The import of those predictions into the project as pre-labels, done (None if it was not made)."""
    data_row_ids: tuple[str, ...] = ()
    """The rows with a prediction that went in: those sent to the project."""
    errors: tuple[str, ...] = ()
    """Why a step was not done."""
