"""The two tables as Arrow: fixed schemas, and records gathered into record batches.

The schemas are constants, the same for every export: a column is never added, dropped or retyped because of what
one export holds, so Parquet files of different exports concatenate and a notebook's code keeps working. That is why
the nested sections of a row (``data_row``, ``projects``, ``metadata_fields``, ...) and the unknown keys of an
annotation are JSON strings, not Arrow structs: a struct's type is the union of the keys seen, which changes from one
export to the next (and within one, between row groups, which Parquet does not allow). Geometry, which every
notebook needs, has typed columns instead. Read a JSON column with ``json.loads``, polars' ``str.json_decode`` or
DuckDB's ``json`` functions.
"""

from __future__ import annotations

from typing import Any

from alabelbox.destinations._flatten import ANNOTATION_COLUMNS
from alabelbox.destinations._optional import require

__all__ = ["annotations_schema", "rows_schema", "to_batch"]

_SCHEMAS: dict[str, Any] = {}


def rows_schema() -> Any:
    """The Arrow schema of the export-rows table."""
    if "rows" not in _SCHEMAS:
        pa = require("pyarrow", "the Arrow tables")
        string, json = pa.string(), pa.string()
        _SCHEMAS["rows"] = pa.schema(
            [
                pa.field("data_row_id", string),
                pa.field("global_key", string),
                pa.field("external_id", string),
                pa.field("row_data", string),
                pa.field("dataset_id", string),
                pa.field("mime_type", string),
                pa.field("width", pa.int64()),
                pa.field("height", pa.int64()),
                pa.field("label_count", pa.int32()),
                pa.field("annotation_count", pa.int32()),
                pa.field("data_row", json),
                pa.field("media_attributes", json),
                pa.field("attachments", json),
                pa.field("metadata_fields", json),
                pa.field("embeddings", json),
                pa.field("projects", json),
                pa.field("experiments", json),
                pa.field("extra", json),
            ],
            metadata={"alabelbox.table": "rows", "alabelbox.schema_version": "1"},
        )
    schema: Any = _SCHEMAS["rows"]
    return schema


def annotations_schema() -> Any:
    """The Arrow schema of the annotations table (one row per annotation)."""
    if "annotations" not in _SCHEMAS:
        pa = require("pyarrow", "the Arrow tables")
        s, f, i = pa.string(), pa.float64(), pa.int64()
        types: dict[str, Any] = {
            "frame": i,
            "bbox_top": f,
            "bbox_left": f,
            "bbox_height": f,
            "bbox_width": f,
            "point_x": f,
            "point_y": f,
            "points": pa.list_(pa.struct([pa.field("x", f), pa.field("y", f)])),
            "mask_color": pa.list_(pa.int32()),
            "mask_composite": pa.bool_(),
            "text_start": i,
            "text_end": i,
            "page_number": i,
            "answers": pa.list_(s),
            "answer_values": pa.list_(s),
            "answer_schema_ids": pa.list_(s),
        }
        _SCHEMAS["annotations"] = pa.schema(
            [pa.field(name, types.get(name, s)) for name in ANNOTATION_COLUMNS],
            metadata={"alabelbox.table": "annotations", "alabelbox.schema_version": "1"},
        )
    schema: Any = _SCHEMAS["annotations"]
    return schema


def to_batch(records: list[dict[str, Any]], schema: Any) -> Any:
    """Records (dicts with the schema's keys) as one record batch of ``schema``."""
    pa = require("pyarrow", "the Arrow tables")
    batch: Any = pa.RecordBatch.from_pylist(records, schema=schema)
    return batch
