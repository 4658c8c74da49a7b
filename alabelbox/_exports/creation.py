"""The input of an export mutation, from the typed keywords of ``client.exports.create``.

Everything is checked here, before any request: the one source, the ids, the filters and the params. What is left
for the resource is the user's timezone (looked up only when a filter date has no zone) and the call itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._exports.filters import (
    ExportFilters,
    ExportKind,
    ExportParams,
    build_params,
    build_search_query,
    needs_timezone,
)
from alabelbox._queries.exports import (
    EXPORT_DATA_ROWS_IN_CATALOG,
    EXPORT_DATA_ROWS_IN_MODEL_RUN,
    EXPORT_DATA_ROWS_IN_PROJECT,
)
from alabelbox._queries.slices import EXPORT_DATA_ROWS_IN_SLICE
from alabelbox._validation import check_id

__all__ = ["ExportPlan", "plan_export"]

_DOCUMENTS: dict[ExportKind, str] = {
    "project": EXPORT_DATA_ROWS_IN_PROJECT,
    "model_run": EXPORT_DATA_ROWS_IN_MODEL_RUN,
    "catalog": EXPORT_DATA_ROWS_IN_CATALOG,
    "slice": EXPORT_DATA_ROWS_IN_SLICE,
}


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """A checked export request, waiting only for the user's timezone."""

    kind: ExportKind
    document: str
    """The mutation to run."""
    filters: dict[str, Any]
    """The filters by name, the id arguments merged in."""
    params: dict[str, Any]
    """The params as the API spells them."""
    project_id: str | None
    dataset_id: str | None
    model_run_id: str | None
    task_name: str | None
    slice_id: str | None = None

    @property
    def needs_timezone(self) -> bool:
        """Whether a filter date has no zone, so the user's timezone must be looked up."""
        return needs_timezone(self.filters)

    def variables(self, timezone: str) -> dict[str, Any]:
        """The mutation's variables, dates without a zone read in ``timezone``."""
        if self.kind == "model_run":
            return {
                "input": {
                    "taskName": self.task_name,
                    "filters": {"modelRunId": self.model_run_id},
                    "isStreamableReady": True,
                    "params": self.params,
                    "streamable": True,
                }
            }
        if self.kind == "slice":
            return {
                "input": {
                    "taskName": self.task_name,
                    "filters": {"sliceId": self.slice_id},
                    "isStreamableReady": True,
                    "params": self.params,
                    "streamable": True,
                }
            }
        query = build_search_query(self.filters, kind=self.kind, user_timezone=timezone, dataset_id=self.dataset_id)
        search = {"scope": None, "query": query}
        if self.kind == "project":
            return {
                "input": {
                    "taskName": self.task_name,
                    "isStreamableReady": True,
                    "filters": {"projectId": self.project_id, "searchQuery": search},
                    "params": self.params,
                    "streamable": True,
                }
            }
        return {
            "input": {
                "taskName": self.task_name,
                "filters": {"searchQuery": search},
                "isStreamableReady": True,
                "params": self.params,
                "streamable": True,
            }
        }


def plan_export(
    *,
    project_id: str | None,
    dataset_id: str | None,
    data_row_ids: Sequence[str] | None,
    global_keys: Sequence[str] | None,
    model_run_id: str | None,
    catalog: bool,
    filters: ExportFilters | Mapping[str, Any] | None,
    params: ExportParams | Mapping[str, Any] | None,
    task_name: str | None,
    slice_id: str | None = None,
) -> ExportPlan:
    """Check the arguments of ``create`` and plan the mutation.

    Raises:
        InvalidArgumentError: No source or several, an unknown filter or param, more than 2,000 ids,
            ``data_row_ids`` with ``global_keys``, a malformed date.

    Example:
        >>> plan = plan_export(project_id="p1", dataset_id=None, data_row_ids=None, global_keys=None,
        ...                    model_run_id=None, catalog=False, filters=None, params=None, task_name="t")
        >>> plan.kind, plan.needs_timezone, plan.variables("UTC")["input"]["filters"]["projectId"]
        ('project', False, 'p1')
    """
    sources = {
        "project_id": project_id is not None,
        "dataset_id": dataset_id is not None,
        "data_row_ids": data_row_ids is not None,
        "global_keys": global_keys is not None,
        "model_run_id": model_run_id is not None,
        "catalog": bool(catalog),
        "slice_id": slice_id is not None,
    }
    named = [name for name, given in sources.items() if given]
    if len(named) != 1:
        raise InvalidArgumentError(
            "source",
            "name exactly one of project_id, dataset_id, data_row_ids, global_keys, model_run_id, slice_id, "
            "catalog=True" + (f"; got {', '.join(named)}" if named else ""),
        )
    if task_name is not None and not isinstance(task_name, str):
        raise InvalidArgumentError("task_name", f"expected a string, got {type(task_name).__name__}")
    kind: ExportKind = (
        "project"
        if project_id is not None
        else "model_run"
        if model_run_id is not None
        else "slice"
        if slice_id is not None
        else "catalog"
    )
    if slice_id is not None:
        check_id("slice_id", slice_id)
    merged: dict[str, Any] = dict(filters or {})
    for name, ids in (("data_row_ids", data_row_ids), ("global_keys", global_keys)):
        if ids is not None:
            if name in merged:
                raise InvalidArgumentError(name, "given both as an argument and in filters; give it once")
            merged[name] = ids
    if kind == "model_run" and merged:
        raise InvalidArgumentError("filters", "a model-run export takes no filters")
    if kind == "slice" and merged:
        raise InvalidArgumentError(
            "filters", "a slice export takes no filters: the slice's saved filters are its filters"
        )
    wire_params = build_params(params, kind=kind)
    build_search_query(merged, kind=kind)  # validate everything before any request, the timezone lookup too
    return ExportPlan(
        kind=kind,
        document=_DOCUMENTS[kind],
        filters=merged,
        params=wire_params,
        project_id=project_id,
        dataset_id=dataset_id,
        model_run_id=model_run_id,
        task_name=task_name,
        slice_id=slice_id,
    )
