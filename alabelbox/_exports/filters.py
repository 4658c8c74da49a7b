"""Export filters and params: validated, then mapped to the wire (``searchQuery`` and ``params``).

The mapping is the official SDK's (``schema/export_filters.py::build_filters``; see docs/wire.md, "Exports"), with
one deliberate difference: an ISO date with an offset (``2024-01-01T09:00:00+0230``) is *converted* to UTC. The SDK
replaces the offset with ``+0000`` and keeps the clock time, which shifts the filter by the offset.

Everything is checked before a request is sent and every rejection is an :class:`InvalidArgumentError` naming the
argument: unknown keys, more than 2,000 ids, ``data_row_ids`` together with ``global_keys``, dates in none of the
accepted formats, a range whose start is after its end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, TypedDict

from alabelbox._exceptions import InvalidArgumentError
from alabelbox._validation import parse_date

__all__ = [
    "PROJECT_FLAGS",
    "SEARCH_LIMIT",
    "WORKFLOW_STATUSES",
    "ExportFilters",
    "ExportKind",
    "ExportParams",
    "build_params",
    "build_search_query",
    "needs_timezone",
    "normalize_date",
]

#: The most ids a ``data_row_ids`` or ``global_keys`` filter may hold (the SDK's ``SEARCH_LIMIT_PER_EXPORT_V2``).
SEARCH_LIMIT = 2_000
#: The most ``project_ids`` / ``model_run_ids`` a catalog export may name (the SDK's ``EXPORT_LIMIT``).
EXPORT_ID_LIMIT = 30

ExportKind = Literal["project", "catalog", "model_run", "slice"]

DateLike = str | date | datetime | None


class ExportFilters(TypedDict, total=False):
    """Which data rows an export holds. Every key is optional; keys combine with AND.

    Dates are ``YYYY-MM-DD``, ``YYYY-MM-DD hh:mm:ss`` (read in the user's Labelbox timezone, as the API does),
    ISO 8601 with an offset or ``Z`` (converted to UTC), or ``date`` / ``datetime`` objects (aware ones are
    converted to UTC; naive ones are read in the user's timezone).
    """

    last_activity_at: Sequence[DateLike]
    """``[start, end]``; either may be None for an open range."""
    label_created_at: Sequence[DateLike]
    """``[start, end]``; either may be None for an open range."""
    data_row_ids: Sequence[str]
    """At most 2,000; not together with ``global_keys``."""
    global_keys: Sequence[str]
    """At most 2,000; not together with ``data_row_ids``."""
    batch_ids: Sequence[str]
    """Project exports only."""
    workflow_status: str
    """Project exports only: ``ToLabel``, ``InReview``, ``InRework`` or ``Done``."""


class ExportParams(TypedDict, total=False):
    """What each exported row includes. Every flag defaults to False."""

    attachments: bool
    embeddings: bool
    metadata_fields: bool
    data_row_details: bool
    project_details: bool
    performance_details: bool
    label_details: bool
    interpolated_frames: bool
    media_type_override: str | None
    """A MediaType value such as ``IMAGE``; None keeps each row's own."""
    predictions: bool
    """Catalog and model-run exports."""
    model_run_details: bool
    """Model-run exports."""
    project_ids: Sequence[str]
    """Catalog exports: include labels of these projects (at most 30)."""
    model_run_ids: Sequence[str]
    """Catalog exports: include predictions of these model runs (at most 30)."""
    all_projects: bool
    """Catalog exports: include labels of every project."""
    all_model_runs: bool
    """Catalog exports: include predictions of every model run."""


_FLAG_KEYS: dict[str, str] = {
    "attachments": "includeAttachments",
    "embeddings": "includeEmbeddings",
    "metadata_fields": "includeMetadata",
    "data_row_details": "includeDataRowDetails",
    "project_details": "includeProjectDetails",
    "performance_details": "includePerformanceDetails",
    "label_details": "includeLabelDetails",
    "interpolated_frames": "includeInterpolatedFrames",
    "predictions": "includePredictions",
    "model_run_details": "includeModelRunDetails",
}

# Which params each kind of export sends, in the SDK's order.
_PARAMS_BY_KIND: dict[str, tuple[str, ...]] = {
    "project": (
        "media_type_override",
        "attachments",
        "embeddings",
        "metadata_fields",
        "data_row_details",
        "project_details",
        "performance_details",
        "label_details",
        "interpolated_frames",
    ),
    "catalog": (
        "media_type_override",
        "attachments",
        "embeddings",
        "metadata_fields",
        "data_row_details",
        "project_details",
        "performance_details",
        "label_details",
        "interpolated_frames",
        "predictions",
        "project_ids",
        "model_run_ids",
        "all_projects",
        "all_model_runs",
    ),
    "model_run": (
        "media_type_override",
        "attachments",
        "embeddings",
        "metadata_fields",
        "data_row_details",
        "predictions",
        "model_run_details",
    ),
}

_FILTERS_BY_KIND: dict[str, frozenset[str]] = {
    "project": frozenset(
        {"last_activity_at", "label_created_at", "data_row_ids", "global_keys", "batch_ids", "workflow_status"}
    ),
    "catalog": frozenset({"last_activity_at", "label_created_at", "data_row_ids", "global_keys"}),
    "model_run": frozenset(),
    "slice": frozenset(),  # the slice's saved filters are the filters
}

_PARAMS_BY_KIND["slice"] = _PARAMS_BY_KIND["catalog"]  # the SDK's CatalogExportParams

WORKFLOW_STATUSES = ("ToLabel", "InReview", "InRework", "Done")
#: The yes/no params of a project export (what ``alabelbox export --include`` offers).
PROJECT_FLAGS = tuple(name for name in _PARAMS_BY_KIND["project"] if name in _FLAG_KEYS)


def normalize_date(value: DateLike, argument: str) -> tuple[str, bool] | None:
    """A date as the wire wants it, and whether it is absolute (UTC) rather than in the user's timezone.

    Returns None for None. A value with a zone becomes ``YYYY-MM-DDThh:mm:ss+0000`` in UTC, converted (not
    relabelled, as the SDK does); one without is sent as ``YYYY-MM-DD`` or ``YYYY-MM-DD hh:mm:ss`` and read by the
    API in the user's timezone (the policy is in :mod:`alabelbox._validation`).

    Raises:
        InvalidArgumentError: The value is in none of the accepted formats, or is not a real date.
    """
    if value is None:
        return None
    parsed = parse_date(argument, value)
    if parsed.aware:
        return parsed.value.strftime("%Y-%m-%dT%H:%M:%S+0000"), True
    return parsed.value.strftime("%Y-%m-%d" if parsed.date_only else "%Y-%m-%d %H:%M:%S"), False


def _date_range(values: Any, argument: str) -> tuple[tuple[str, bool] | None, tuple[str, bool] | None]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) != 2:
        raise InvalidArgumentError(argument, f"expected [start, end] (either may be None), got {values!r}")
    start = normalize_date(values[0], argument)
    end = normalize_date(values[1], argument)
    if start is None and end is None:
        raise InvalidArgumentError(argument, "give a start, an end, or both; got [None, None]")
    if start is not None and end is not None:
        if start[1] != end[1]:
            raise InvalidArgumentError(
                argument,
                "start and end mix a date with an offset and a date without one; give both with an offset (or Z), "
                "or both without",
            )
        if _comparable(start[0]) > _comparable(end[0]):
            raise InvalidArgumentError(argument, f"start {values[0]!r} is after end {values[1]!r}")
    return start, end


def _comparable(text: str) -> str:
    # Dates without a time compare as the start of their day; all forms share the YYYY-MM-DD?hh:mm:ss prefix.
    return (text + " 00:00:00")[:19].replace("T", " ")


def needs_timezone(filters: Mapping[str, Any] | None) -> bool:
    """Whether the filters hold a date in the user's timezone, so the user's timezone must be looked up."""
    if not filters:
        return False
    for key in ("last_activity_at", "label_created_at"):
        values = filters.get(key)
        if values is None:
            continue
        start, end = _date_range(values, key)
        if any(part is not None and not part[1] for part in (start, end)):
            return True
    return False


def _date_filter(kind: str, values: Any, argument: str, user_timezone: str) -> dict[str, Any]:
    start, end = _date_range(values, argument)
    absolute = (start or end or ("", False))[1]
    tz = "UTC" if absolute else user_timezone
    if start is not None and end is not None:
        return {
            "type": kind,
            "value": {"operator": "BETWEEN", "timezone": tz, "value": {"min": start[0], "max": end[0]}},
        }
    if start is not None:
        return {"type": kind, "value": {"operator": "GREATER_THAN_OR_EQUAL", "timezone": tz, "value": start[0]}}
    assert end is not None
    return {"type": kind, "value": {"operator": "LESS_THAN_OR_EQUAL", "timezone": tz, "value": end[0]}}


def _ids(values: Any, argument: str, limit: int | None) -> list[str]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidArgumentError(argument, f"expected a list of ids, got {type(values).__name__}")
    ids = list(values)
    if not ids:
        raise InvalidArgumentError(argument, "is empty; leave the filter out to export everything")
    bad = next((v for v in ids if not isinstance(v, str) or not v), None)
    if bad is not None or any(not isinstance(v, str) for v in ids):
        raise InvalidArgumentError(argument, f"every id must be a non-empty string, got {bad!r}")
    if limit is not None and len(ids) > limit:
        raise InvalidArgumentError(argument, f"holds {len(ids)} ids; the API accepts at most {limit} per export")
    return ids


def build_search_query(
    filters: Mapping[str, Any] | None,
    *,
    kind: ExportKind,
    user_timezone: str = "UTC",
    dataset_id: str | None = None,
) -> list[dict[str, Any]]:
    """The ``searchQuery.query`` list for ``filters``, validated.

    Args:
        filters: An :class:`ExportFilters` mapping (or None).
        kind: Which export: ``project``, ``catalog`` (datasets, data-row lists, the catalog) or ``model_run``.
        user_timezone: The user's Labelbox timezone, for dates without an offset.
        dataset_id: For dataset exports: appended as a ``dataset`` filter, as the SDK does.

    Raises:
        InvalidArgumentError: A key is unknown for this kind of export, or a value is invalid.
    """
    filters = dict(filters or {})
    allowed = _FILTERS_BY_KIND[kind]
    unknown = sorted(set(filters) - allowed)
    if unknown:
        raise InvalidArgumentError(
            "filters",
            f"unknown for a {kind.replace('_', '-')} export: {', '.join(unknown)}"
            f" (accepted: {', '.join(sorted(allowed)) or 'none'})",
        )
    if filters.get("data_row_ids") is not None and filters.get("global_keys") is not None:
        raise InvalidArgumentError("filters", "data_row_ids and global_keys cannot be combined; give one of them")
    query: list[dict[str, Any]] = []
    if filters.get("last_activity_at") is not None:
        query.append(
            _date_filter("data_row_last_activity_at", filters["last_activity_at"], "last_activity_at", user_timezone)
        )
    if filters.get("label_created_at") is not None:
        query.append(_date_filter("labeled_at", filters["label_created_at"], "label_created_at", user_timezone))
    if filters.get("data_row_ids") is not None:
        ids = _ids(filters["data_row_ids"], "data_row_ids", SEARCH_LIMIT)
        query.append({"ids": ids, "operator": "is", "type": "data_row_id"})
    if filters.get("global_keys") is not None:
        ids = _ids(filters["global_keys"], "global_keys", SEARCH_LIMIT)
        query.append({"ids": ids, "operator": "is", "type": "global_key"})
    if filters.get("batch_ids") is not None:
        query.append({"ids": _ids(filters["batch_ids"], "batch_ids", None), "operator": "is", "type": "batch"})
    status = filters.get("workflow_status")
    if status is not None:
        if status not in WORKFLOW_STATUSES:
            raise InvalidArgumentError(
                "workflow_status", f"expected one of {', '.join(WORKFLOW_STATUSES)}, got {status!r}"
            )
        query.append(
            {"type": "task_queue_not_exist"} if status == "ToLabel" else {"type": "task_queue_status", "status": status}
        )
    if dataset_id is not None:
        query.append({"ids": [dataset_id], "operator": "is", "type": "dataset"})
    return query


def build_params(params: Mapping[str, Any] | None, *, kind: ExportKind) -> dict[str, Any]:
    """The wire ``params`` for ``params``: every flag of this kind of export, False unless asked for.

    Raises:
        InvalidArgumentError: A key is unknown for this kind of export, or a value has the wrong type.
    """
    params = dict(params or {})
    allowed = _PARAMS_BY_KIND[kind]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise InvalidArgumentError(
            "params",
            f"unknown for a {kind.replace('_', '-')} export: {', '.join(unknown)} (accepted: {', '.join(allowed)})",
        )
    wire: dict[str, Any] = {}
    for key in allowed:
        value = params.get(key)
        if key == "media_type_override":
            if value is not None and not isinstance(value, str):
                value = getattr(value, "value", value)
            if value is not None and not isinstance(value, str):
                raise InvalidArgumentError(key, f"expected a MediaType name such as 'IMAGE', got {value!r}")
            wire["mediaTypeOverride"] = value
        elif key in ("project_ids", "model_run_ids"):
            ids = [] if value is None else _ids(value, key, EXPORT_ID_LIMIT)
            wire["projectIds" if key == "project_ids" else "modelRunIds"] = ids
        elif key in ("all_projects", "all_model_runs"):
            wire["allProjects" if key == "all_projects" else "allModelRuns"] = _flag(value, key)
        else:
            wire[_FLAG_KEYS[key]] = _flag(value, key)
    return wire


def _flag(value: Any, key: str) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidArgumentError(key, f"expected True or False, got {value!r}")
    return value
