"""DataFrames for notebooks: the rows or annotations table of a stream, a list of rows, or a Parquet result.

``await to_pandas(source)`` and ``await to_polars(source)`` take the same sources as
:func:`~alabelbox.destinations.write_export` (an entered export stream, rows, an export file) and build the table as
Arrow record batches, then one DataFrame: memory is the DataFrame itself plus one batch. From a Parquet file written
by :func:`write_export`, ``to_pandas("out.parquet")`` reads it instead (``table="annotations"`` reads
``out.annotations.parquet``). The column types are those of :func:`annotations_schema` / :func:`rows_schema`.
Needs the ``pandas`` or ``polars`` extra (and ``parquet``, for pyarrow).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from alabelbox._exceptions import InvalidArgumentError
from alabelbox.destinations._arrow import annotations_schema, rows_schema, to_batch
from alabelbox.destinations._flatten import annotation_records, row_record
from alabelbox.destinations._optional import require
from alabelbox.destinations._source import iter_rows
from alabelbox.destinations.parquet import annotations_path

__all__ = ["Table", "to_arrow", "to_pandas", "to_polars"]

Table = Literal["annotations", "rows"]
_BATCH = 8192


def _parquet(source: Any) -> Path | None:
    if isinstance(source, str | os.PathLike) and Path(source).suffix == ".parquet":
        return Path(source)
    return None


async def to_arrow(source: Any, *, table: Table = "annotations") -> Any:
    """The ``table`` of ``source`` as a ``pyarrow.Table``.

    Example:
        >>> async with client.exports.stream(task, model=None) as rows:
        ...     arrow = await to_arrow(rows)
        >>> arrow.num_rows > 0, arrow.schema == annotations_schema()
        (True, True)
    """
    if table not in ("annotations", "rows"):
        raise InvalidArgumentError("table", f"expected 'annotations' or 'rows', got {table!r}")
    pa = require("pyarrow", "to_arrow")
    parquet = _parquet(source)
    if parquet is not None:
        pq = require("pyarrow.parquet", "reading Parquet")
        where = annotations_path(parquet) if table == "annotations" else parquet
        if table == "annotations" and parquet.name.endswith(".annotations.parquet"):
            where = parquet
        return pq.read_table(where)
    schema = annotations_schema() if table == "annotations" else rows_schema()
    batches = []
    buffer: list[dict[str, Any]] = []
    async for row in iter_rows(source):
        if table == "annotations":
            buffer.extend(annotation_records(row))
        else:
            buffer.append(row_record(row))
        if len(buffer) >= _BATCH:
            batches.append(to_batch(buffer, schema))
            buffer = []
    batches.append(to_batch(buffer, schema))
    return pa.Table.from_batches(batches, schema=schema)


async def to_pandas(source: Any, *, table: Table = "annotations") -> Any:
    """The ``table`` of ``source`` as a ``pandas.DataFrame`` (Arrow-backed strings, nullable numbers).

    Args:
        source: An entered export stream, rows, an export file, or a ``.parquet`` file written by ``write_export``.
        table: ``"annotations"`` (one row per annotation) or ``"rows"`` (one row per data row).

    Example:
        >>> async with client.exports.stream(task, model=None) as rows:
        ...     frame = await to_pandas(rows)
        >>> sorted(set(frame["kind"]))[:3]
        ['ImageBoundingBox', 'ImagePoint', 'ImagePolygon']
    """
    pd = require("pandas", "to_pandas")
    arrow = await to_arrow(source, table=table)
    return arrow.to_pandas(types_mapper=pd.ArrowDtype)


async def to_polars(source: Any, *, table: Table = "annotations") -> Any:
    """The ``table`` of ``source`` as a ``polars.DataFrame``.

    Example:
        >>> async with client.exports.stream(task, model=None) as rows:
        ...     frame = await to_polars(rows, table="rows")
        >>> frame.height
        12
    """
    pl = require("polars", "to_polars")
    parquet = _parquet(source)
    if parquet is not None:
        where = annotations_path(parquet) if table == "annotations" else parquet
        if parquet.name.endswith(".annotations.parquet"):
            where = parquet
        return pl.read_parquet(where)
    return pl.from_arrow(await to_arrow(source, table=table))
