"""What the two sends to annotate share (``client.data_rows.send_to_annotate`` from the catalog and
``client.model_runs.send_to_annotate`` from a run): checking their arguments and building the mutation's input as
the SDK builds it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pydantic

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import check_id
from alabelbox.types.send_to_annotate import SendToAnnotateParams

__all__ = ["check_params", "send_input"]


def check_params(params: SendToAnnotateParams | Mapping[str, Any] | None) -> SendToAnnotateParams:
    """``params`` as a :class:`SendToAnnotateParams`; a mapping (the SDK's ``params`` dict) is validated into one.

    Raises:
        InvalidArgumentError: A bad field, named ``params.<field>`` (a mapping's key, for a mapping key).
    """
    if params is None:
        return SendToAnnotateParams()
    if isinstance(params, SendToAnnotateParams):
        return params
    if not isinstance(params, Mapping):
        raise InvalidArgumentError("params", f"must be SendToAnnotateParams or a mapping, got {type(params).__name__}")
    try:
        return SendToAnnotateParams.model_validate(dict(params))
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InvalidArgumentError(
            f"params.{where}" if where else "params", f"{first['msg']}, got {first.get('input')!r}"
        ) from None


def _ids(argument: str, values: Iterable[str] | None) -> list[str] | None:
    if values is None:
        return None
    if isinstance(values, str):
        raise InvalidArgumentError(argument, f"must be a list of ids, not the string {values!r}; wrap it: [id]")
    return list(dict.fromkeys(check_id(f"{argument}[{i}]", v) for i, v in enumerate(values)))


def send_input(
    *,
    project_id: str,
    batch_name: str,
    data_row_ids: Iterable[str] | None,
    global_keys: Iterable[str] | None,
    task_queue_id: str | None,
    params: SendToAnnotateParams,
) -> dict[str, Any]:
    """The input both mutations share, as the SDK sends it (the caller adds its own members)."""
    ids, keys = _ids("data_row_ids", data_row_ids), _ids("global_keys", global_keys)
    if (ids is None) == (keys is None) or not (ids or keys):
        raise InvalidArgumentError("data_row_ids", "give either data_row_ids or global_keys (not empty), not both")
    if not isinstance(batch_name, str) or not batch_name.strip():
        raise InvalidArgumentError("batch_name", f"must be a non-blank string, got {batch_name!r}")
    queue = {"type": "id", "value": check_id("task_queue_id", task_queue_id)} if task_queue_id else {"type": "done"}
    search = {"type": "data_row_id" if ids else "global_key", "operator": "is", "ids": ids or keys}
    predictions = None
    if params.source_model_run_id:
        predictions = {
            "featureSchemaIdsMapping": dict(params.predictions_ontology_mapping),
            "modelRunId": params.source_model_run_id,
            "minConfidence": 0,
            "maxConfidence": 1,
        }
    annotations = None
    if params.source_project_id:
        annotations = {
            "projectId": params.source_project_id,
            "featureSchemaIdsMapping": dict(params.annotations_ontology_mapping),
        }
    return {
        "destinationProjectId": check_id("project_id", project_id),
        "batchInput": {"batchName": batch_name, "batchPriority": params.batch_priority},
        "destinationTaskQueue": queue,
        "excludeDataRowsInProject": params.exclude_data_rows_in_project,
        "annotationsInput": annotations,
        "predictionsInput": predictions,
        "conflictLabelsResolutionStrategy": params.override_existing_annotations_rule.value,
        "searchQuery": [search],
    }
