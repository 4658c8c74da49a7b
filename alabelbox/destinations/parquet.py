"""Parquet: the export rows and the flattened annotations as two Parquet files, written in row groups as rows arrive.

``write_export(rows, "out.parquet")`` writes ``out.parquet`` (one row per data row) and
``out.annotations.parquet`` (one row per annotation). Rows are flattened straight into per-column lists
(:mod:`alabelbox.destinations._columns`), which become one Arrow record batch and one row group whenever
``row_group_rows`` records or about ``row_group_bytes`` of text are gathered, so memory is about two row groups per
table whatever the size of the export (the annotations table's groups grow as its file grows: see ``GROW_EVERY``).
Both files are written to ``<name>.part`` and renamed when the stream has ended, the rows file last: a ``.parquet``
file that exists is complete.

The schemas are fixed (:func:`rows_schema`, :func:`annotations_schema`); see :mod:`alabelbox.destinations._arrow`
for why the nested sections are JSON strings and geometry has typed columns.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio

from alabelbox.destinations._arrow import annotations_schema, rows_schema
from alabelbox.destinations._base import WriteSummary, commit_path, part_path, remove_quietly
from alabelbox.destinations._columns import AnnotationColumns, RowColumns, columns_batch
from alabelbox.destinations._optional import require

__all__ = ["DEFAULT_ROW_GROUP_BYTES", "DEFAULT_ROW_GROUP_ROWS", "ParquetDestination", "annotations_path"]

#: Records buffered per table before a row group is written.
DEFAULT_ROW_GROUP_ROWS = 2048
#: Approximate text bytes buffered per table before a row group is written (JSON sections dominate a row's size);
#: small enough that peak RSS stays under 200 MB (larger groups are not measurably faster).
DEFAULT_ROW_GROUP_BYTES = 2 * 1024 * 1024
#: The annotations table's row groups double in size after every ``GROW_EVERY`` of them, up to ``GROW_MAX`` times
#: the given size. Parquet's writer keeps the metadata of every row group in memory until the file is closed (about
#: 60 KB a row group for that table's 35 columns), and an annotation is small (a group of 2,048 is about 0.4 MB of
#: Arrow data), so a large export would otherwise hold more metadata than data.
GROW_EVERY = 64
GROW_MAX = 4


_JSON_SECTIONS = ("data_row", "media_attributes", "attachments", "metadata_fields", "embeddings", "projects")
#: Columns (by table) whose values are unique per record: written without dictionary or statistics.
_UNIQUE_COLUMNS = {
    "rows": frozenset(
        ("data_row_id", "global_key", "external_id", "row_data", *_JSON_SECTIONS, "experiments", "extra")
    ),
    "annotations": frozenset(("feature_id", "extra")),
}


def annotations_path(path: Path) -> Path:
    """Where the annotations table of ``path`` goes: ``out.parquet`` -> ``out.annotations.parquet``."""
    return path.with_name(f"{path.stem}.annotations{path.suffix or '.parquet'}")


class _Table:
    """One Parquet file being written: its column builder and the pyarrow writer."""

    def __init__(
        self,
        path: Path,
        schema: Any,
        builder: RowColumns | AnnotationColumns,
        rows: int,
        size: int,
        compression: str,
        *,
        grow: bool = False,
    ) -> None:
        pq = require("pyarrow.parquet", "Parquet")
        pa_types = require("pyarrow.types", "Parquet")
        self.path = path
        self.part = part_path(path)
        self.schema = schema
        self.builder = builder
        self.max_rows = rows
        self.max_bytes = size
        self.row_groups = 0
        self._grow = grow
        self._flushed = 0  # row groups handed to the writer thread
        self._scale = 1
        # One writer thread per table: a row group is converted, encoded and compressed while the next one fills
        # (pyarrow releases the GIL while encoding); at most one write is in flight, so memory stays two row groups.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="alabelbox-parquet")
        self._pending: Future[None] | None = None
        # Dictionary encoding and min/max statistics only where they pay: not on ids and JSON text, which are
        # unique per record (hashing them is time spent for a dictionary that is then dropped).
        plain = _UNIQUE_COLUMNS.get(schema.metadata.get(b"alabelbox.table", b"").decode(), frozenset())
        flat = [f.name for f in schema if not pa_types.is_nested(f.type)]
        # The C library's allocator, not Arrow's default (mimalloc or jemalloc): its release_unused() is glibc's
        # malloc_trim, which hands back what a row group used (the writer thread's arena kept it otherwise, and the
        # default pool kept about 15 MB more at 1 GB of export).
        self._pool = require("pyarrow", "Parquet").system_memory_pool()
        self.writer = pq.ParquetWriter(
            self.part,
            schema,
            compression=compression,
            use_dictionary=[name for name in flat if name not in plain],
            write_statistics=[name for name in flat if name not in plain],
            memory_pool=self._pool,
        )

    def full(self) -> bool:
        return self.builder.n >= self.max_rows or self.builder.bytes >= self.max_bytes

    async def flush(self) -> None:
        """Write what is gathered as a row group in the writer thread, after the previous one is done."""
        await self.wait()
        if self.builder.n:
            self._pending = self._thread.submit(self.write, self.builder.take())
            self._flushed += 1
            if self._grow and self._flushed % GROW_EVERY == 0 and self._scale < GROW_MAX:
                self._scale *= 2
                self.max_rows *= 2
                self.max_bytes *= 2

    async def wait(self) -> None:
        """Wait for the write in flight (and raise its error)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await anyio.to_thread.run_sync(pending.result)

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)

    def write(self, columns: dict[str, Any]) -> None:
        batch = columns_batch(columns, self.schema, self._pool)
        self.writer.write_batch(batch, row_group_size=batch.num_rows)
        self.row_groups += 1
        del batch
        # Hand the pages this row group freed back to the system, so memory stays one row group's.
        self._pool.release_unused()


class ParquetDestination:
    """Writes the rows table to ``path`` and the annotations table beside it (see the module docstring).

    Args:
        path: The rows table's file (``.parquet``).
        annotations: Where the annotations table goes (default :func:`annotations_path`), or False for none.
        row_group_rows: Records per row group (at most; the annotations table's first groups, see ``GROW_EVERY``).
        row_group_bytes: Approximate text bytes per row group (at most; likewise).
        compression: Parquet compression codec (``"zstd"``, ``"snappy"``, ``"none"``, ...).
    """

    def __init__(
        self,
        path: Path,
        *,
        annotations: Path | bool = True,
        row_group_rows: int = DEFAULT_ROW_GROUP_ROWS,
        row_group_bytes: int = DEFAULT_ROW_GROUP_BYTES,
        compression: str = "zstd",
    ) -> None:
        self.summary = WriteSummary()
        self._rows = _Table(path, rows_schema(), RowColumns(), row_group_rows, row_group_bytes, compression)
        self._annotations: _Table | None = None
        if annotations is not False:
            where = annotations_path(path) if annotations is True else Path(annotations)
            self._annotations = _Table(
                where,
                annotations_schema(),
                AnnotationColumns(self.summary.written),
                row_group_rows,
                row_group_bytes,
                compression,
                grow=True,
            )

    @property
    def row_groups(self) -> tuple[int, int]:
        """Row groups written so far: ``(rows table, annotations table)``."""
        return self._rows.row_groups, self._annotations.row_groups if self._annotations else 0

    async def add(self, row: dict[str, Any]) -> None:
        """Flatten one row into the column builders; write a row group of a table that is full."""
        self.summary.rows += 1
        count: int | None = None
        table = self._annotations
        if table is not None:
            builder = table.builder
            assert isinstance(builder, AnnotationColumns)
            count = builder.add(row)
            if table.full():
                await table.flush()
        rows = self._rows
        rows.builder.add(row, count)  # type: ignore[call-arg]
        if rows.full():
            await rows.flush()

    async def commit(self) -> WriteSummary:
        """Write the last row groups, close both files and rename them into place (the rows file last)."""
        tables = [t for t in (self._annotations, self._rows) if t is not None]
        for table in tables:
            await table.flush()
            await table.wait()
            await anyio.to_thread.run_sync(table.writer.close)
            table.shutdown()
        for table in tables:
            await commit_path(table.part, table.path)
        self.summary.paths = [self._rows.path] + ([self._annotations.path] if self._annotations else [])
        return self.summary

    async def discard(self) -> None:
        """Close and remove the partial files."""
        for table in (self._rows, self._annotations):
            if table is not None:
                try:
                    table.shutdown()
                    table.writer.close()
                finally:
                    remove_quietly(table.part)
