"""alabelbox.destinations: where exports go next — Parquet, DataFrames, COCO and YOLO, streamed with flat memory.

One entry point, :func:`write_export` (and :func:`write_task` for an export task), writes any source of export rows
to one format, atomically (``<path>.part``, renamed at the end), reading the stream as it downloads:

==========  =====================================================  ============================================
format      what is written                                        module
==========  =====================================================  ============================================
parquet     ``out.parquet`` (rows) + ``out.annotations.parquet``   :mod:`alabelbox.destinations.parquet`
coco        one COCO JSON file                                     :mod:`alabelbox.destinations.coco`
yolo        a YOLO label folder                                    :mod:`alabelbox.destinations.yolo`
==========  =====================================================  ============================================

:func:`to_pandas`, :func:`to_polars` and :func:`to_arrow` build a DataFrame (or an Arrow table) from the same
sources or from a Parquet result (:mod:`alabelbox.destinations.dataframes`). :func:`annotation_records` and
:func:`row_record` are the flattening itself, in plain Python (:mod:`alabelbox.destinations._flatten`).

The destination classes (``ParquetDestination``, ``CocoDestination``, ``YoloDestination``, in their modules) take
rows one by one (``await d.add(row)``, then ``await d.commit()``) for code that drives the loop itself.

Optional extras: ``parquet`` (pyarrow), ``pandas``, ``polars``, ``coco`` (pycocotools, numpy and pillow, for masks).

Example:
    >>> async with client.exports.stream(task, model=None) as rows:
    ...     summary = await write_export(rows, "out.parquet")
    >>> frame = await to_pandas("out.parquet")  # the annotations table
    >>> len(frame) == summary.annotations
    True
"""

from __future__ import annotations

from alabelbox.destinations._arrow import annotations_schema, rows_schema
from alabelbox.destinations._base import WriteProgress, WriteSummary
from alabelbox.destinations._flatten import ANNOTATION_COLUMNS, annotation_records, row_record
from alabelbox.destinations._write import FORMATS, format_for, write_export, write_task
from alabelbox.destinations.dataframes import to_arrow, to_pandas, to_polars
from alabelbox.destinations.parquet import annotations_path

__all__ = [
    "ANNOTATION_COLUMNS",
    "FORMATS",
    "WriteProgress",
    "WriteSummary",
    "annotation_records",
    "annotations_path",
    "annotations_schema",
    "format_for",
    "row_record",
    "rows_schema",
    "to_arrow",
    "to_pandas",
    "to_polars",
    "write_export",
    "write_task",
]
