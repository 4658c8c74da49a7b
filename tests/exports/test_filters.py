"""Filters and params to the wire: the SDK's mapping, its ISO-offset bug not copied, every rejection."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from alabelbox import InvalidArgumentError
from alabelbox._exports.filters import build_params, build_search_query, needs_timezone, normalize_date


def test_full_project_mapping_matches_the_sdk_capture() -> None:
    query = build_search_query(
        {
            "last_activity_at": ["2000-01-01 00:00:00", "2050-01-01 00:00:00"],
            "label_created_at": ["2000-01-01T00:00:00+0000", None],
            "data_row_ids": ["dr1", "dr2"],
            "batch_ids": ["b1"],
            "workflow_status": "InReview",
        },
        kind="project",
        user_timezone="America/New_York",
    )
    assert query == [
        {
            "type": "data_row_last_activity_at",
            "value": {
                "operator": "BETWEEN",
                "timezone": "America/New_York",
                "value": {"min": "2000-01-01 00:00:00", "max": "2050-01-01 00:00:00"},
            },
        },
        {
            "type": "labeled_at",
            "value": {"operator": "GREATER_THAN_OR_EQUAL", "timezone": "UTC", "value": "2000-01-01T00:00:00+0000"},
        },
        {"ids": ["dr1", "dr2"], "operator": "is", "type": "data_row_id"},
        {"ids": ["b1"], "operator": "is", "type": "batch"},
        {"type": "task_queue_status", "status": "InReview"},
    ]


def test_iso_offset_is_converted_to_utc_not_relabelled() -> None:
    # The SDK sends "2024-01-01T09:00:00+0000" here: the clock time kept, the offset dropped.
    query = build_search_query({"label_created_at": [None, "2024-01-01T09:00:00+0230"]}, kind="project")
    assert query == [
        {
            "type": "labeled_at",
            "value": {"operator": "LESS_THAN_OR_EQUAL", "timezone": "UTC", "value": "2024-01-01T06:30:00+0000"},
        }
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-10T01:30:00-0500", ("2024-03-10T06:30:00+0000", True)),
        ("2024-03-10T23:30:00+05:30", ("2024-03-10T18:00:00+0000", True)),
        ("2024-03-10T01:30:00Z", ("2024-03-10T01:30:00+0000", True)),
        ("2024-03-10", ("2024-03-10", False)),
        ("2024-03-10 12:00:00", ("2024-03-10 12:00:00", False)),
        (datetime(2024, 1, 1, 12, tzinfo=timezone(timedelta(hours=-8))), ("2024-01-01T20:00:00+0000", True)),
        (datetime(2024, 1, 1, 12), ("2024-01-01 12:00:00", False)),
        (date(2024, 1, 2), ("2024-01-02", False)),
    ],
)
def test_normalize_date(value: Any, expected: tuple[str, bool]) -> None:
    assert normalize_date(value, "d") == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            {"data_row_ids": [f"d{i}" for i in range(2001)]},
            "data_row_ids: holds 2001 ids; the API accepts at most 2000",
        ),
        ({"global_keys": [f"g{i}" for i in range(2001)]}, "global_keys: holds 2001 ids"),
        ({"data_row_ids": ["a"], "global_keys": ["b"]}, "data_row_ids and global_keys cannot be combined"),
        ({"last_activity_at": ["2024/01/01", None]}, "last_activity_at: '2024/01/01' is not in an accepted format"),
        ({"last_activity_at": ["2024-02-30", None]}, "last_activity_at: '2024-02-30' is not a valid date"),
        ({"label_created_at": ["2024-02-01", "2024-01-01"]}, "start '2024-02-01' is after end '2024-01-01'"),
        ({"label_created_at": [None, None]}, "give a start, an end, or both"),
        ({"label_created_at": "2024-01-01"}, "expected [start, end]"),
        ({"label_created_at": ["2024-01-01T00:00:00Z", "2024-02-01"]}, "mix a date with an offset"),
        ({"workflow_status": "Finished"}, "workflow_status: expected one of ToLabel, InReview, InRework, Done"),
        ({"data_row_ids": "dr1"}, "data_row_ids: expected a list of ids, got str"),
        ({"data_row_ids": []}, "data_row_ids: is empty"),
        ({"batch_id": ["b"]}, "filters: unknown for a project export: batch_id"),
    ],
)
def test_rejected_filters(filters: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=None) as caught:
        build_search_query(filters, kind="project")
    assert message in str(caught.value)


def test_catalog_rejects_project_only_filters_and_appends_the_dataset() -> None:
    with pytest.raises(InvalidArgumentError, match="unknown for a catalog export: batch_ids, workflow_status"):
        build_search_query({"batch_ids": ["b"], "workflow_status": "Done"}, kind="catalog")
    assert build_search_query({"global_keys": ["k"]}, kind="catalog", dataset_id="ds1") == [
        {"ids": ["k"], "operator": "is", "type": "global_key"},
        {"ids": ["ds1"], "operator": "is", "type": "dataset"},
    ]


def test_to_label_is_task_queue_not_exist() -> None:
    assert build_search_query({"workflow_status": "ToLabel"}, kind="project") == [{"type": "task_queue_not_exist"}]


def test_needs_timezone_only_for_dates_without_offset() -> None:
    assert not needs_timezone(None)
    assert not needs_timezone({"data_row_ids": ["a"]})
    assert not needs_timezone({"last_activity_at": ["2024-01-01T00:00:00Z", None]})
    assert needs_timezone({"last_activity_at": ["2024-01-01", None]})


def test_default_project_params_are_all_false() -> None:
    assert build_params(None, kind="project") == {
        "mediaTypeOverride": None,
        "includeAttachments": False,
        "includeEmbeddings": False,
        "includeMetadata": False,
        "includeDataRowDetails": False,
        "includeProjectDetails": False,
        "includePerformanceDetails": False,
        "includeLabelDetails": False,
        "includeInterpolatedFrames": False,
    }


def test_every_param_maps_to_its_wire_key() -> None:
    flags = [
        "attachments",
        "embeddings",
        "metadata_fields",
        "data_row_details",
        "project_details",
        "performance_details",
        "label_details",
        "interpolated_frames",
    ]
    wire = build_params({**dict.fromkeys(flags, True), "media_type_override": "IMAGE"}, kind="project")
    assert wire["mediaTypeOverride"] == "IMAGE"
    assert all(v is True for k, v in wire.items() if k != "mediaTypeOverride")
    catalog = build_params({"project_ids": ["p1"], "all_model_runs": True, "predictions": True}, kind="catalog")
    assert catalog["projectIds"] == ["p1"] and catalog["modelRunIds"] == []
    assert catalog["allModelRuns"] is True and catalog["includePredictions"] is True
    run = build_params({"model_run_details": True}, kind="model_run")
    assert set(run) == {
        "mediaTypeOverride",
        "includeAttachments",
        "includeEmbeddings",
        "includeMetadata",
        "includeDataRowDetails",
        "includePredictions",
        "includeModelRunDetails",
    }
    assert run["includeModelRunDetails"] is True


@pytest.mark.parametrize(
    ("params", "kind", "message"),
    [
        ({"label_detail": True}, "project", "params: unknown for a project export: label_detail"),
        ({"project_ids": ["p"]}, "project", "unknown for a project export: project_ids"),
        ({"label_details": "yes"}, "project", "label_details: expected True or False, got 'yes'"),
        (
            {"project_ids": [f"p{i}" for i in range(31)]},
            "catalog",
            "project_ids: holds 31 ids; the API accepts at most 30",
        ),
        ({"media_type_override": 3}, "project", "media_type_override: expected a MediaType name"),
        ({"label_details": True}, "model_run", "unknown for a model-run export: label_details"),
    ],
)
def test_rejected_params(params: dict[str, Any], kind: Any, message: str) -> None:
    with pytest.raises(InvalidArgumentError) as caught:
        build_params(params, kind=kind)
    assert message in str(caught.value)
