"""Parquet: the export rows and the flattened annotations as two Parquet files, written in row groups as rows arrive.

``write_export(rows, "out.parquet")`` writes ``out.parquet`` (one row per data row) and
``out.annotations.parquet`` (one row per annotation). Rows are flattened straight into per-column lists
(:mod:`alabelbox.destinations._columns`), which become an Arrow record batch every ``BATCH_ROWS`` records or
``BATCH_BYTES`` of text; the batches are held and written as one row group once they reach the group's size (about
``sqrt(FOOTER_BYTES x bytes written)``, see ``FOOTER_BYTES``; at most ``row_group_rows`` records or
``row_group_bytes``), so memory is a batch in Python and a row group in Arrow per table, plus a footer that grows
with the square root of the export.
Both files are written to ``<name>.part`` and renamed when the stream has ended, the rows file last: a ``.parquet``
file that exists is complete.

The schemas are fixed (:func:`rows_schema`, :func:`annotations_schema`); see :mod:`alabelbox.destinations._arrow`
for why the nested sections are JSON strings and geometry has typed columns.
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio

from alabelbox.destinations._arrow import annotations_schema, rows_schema
from alabelbox.destinations._base import WriteSummary, commit_path, part_path, remove_quietly
from alabelbox.destinations._columns import AnnotationColumns, RowColumns, columns_batch
from alabelbox.destinations._optional import require

__all__ = ["DEFAULT_ROW_GROUP_BYTES", "DEFAULT_ROW_GROUP_ROWS", "ParquetDestination", "annotations_path"]

#: Records gathered in Python before they become one Arrow record batch (a Python value costs several times its
#: Arrow bytes, so batches stay small; a row group is made of many of them). At 1.9 GB of export, 1,024 records and
#: 1 MiB peaked at 198 MB, 2,048 and 2 MiB at 212 MB in the same time, 512 and 512 KiB at 194 MB but 12% slower.
BATCH_ROWS = 1024
#: Approximate text bytes gathered in Python before they become one record batch (JSON sections dominate a row).
BATCH_BYTES = 1024 * 1024
#: Records per row group, at most: Parquet's own default (``max_row_group_length``).
DEFAULT_ROW_GROUP_ROWS = 1024 * 1024
#: Arrow bytes per row group, at most (per table). Below it a row group's size follows ``FOOTER_BYTES``.
DEFAULT_ROW_GROUP_BYTES = 16 * 1024 * 1024
#: About what Parquet's writer keeps in memory for each row group it has written, by table, until the file is
#: closed (measured with pyarrow 26: about 1.8 KB a column chunk). A row group holds about ``sqrt(FOOTER_BYTES x
#: bytes written)`` of Arrow data: the batches held for the next row group then cost about as much memory as the
#: metadata of the groups a smaller size would have made, and both grow as the square root of the export (at
#: 2 GB of export, a few MB each instead of the 59 MB of metadata that groups of one batch made).
FOOTER_BYTES = {"rows": 15_000, "annotations": 64_000}


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
    """One Parquet file being written: its column builder, the record batches held for its next row group, the writer.

    Rows are gathered in Python (``builder``) up to a batch, which the writer thread turns into an Arrow record batch
    and holds; once the held batches reach the row group's size they are written as one row group. A row group is
    thus many small batches: Python holds one batch's values, Arrow one row group's, and the footer's metadata (one
    entry per row group, kept until the file is closed) grows with the square root of the export, not with it.
    """

    def __init__(
        self,
        path: Path,
        schema: Any,
        builder: RowColumns | AnnotationColumns,
        rows: int,
        size: int,
        compression: str,
    ) -> None:
        pa = require("pyarrow", "Parquet")
        pq = require("pyarrow.parquet", "Parquet")
        pa_types = require("pyarrow.types", "Parquet")
        self.path = path
        self.part = part_path(path)
        self.schema = schema
        self.builder = builder
        self.max_rows = rows
        self.max_bytes = size
        self.batch_rows = min(BATCH_ROWS, rows)
        self.batch_bytes = min(BATCH_BYTES, size)
        self.row_groups = 0
        name = schema.metadata.get(b"alabelbox.table", b"").decode()
        self._footer = FOOTER_BYTES.get(name, 0)
        self._held: list[Any] = []  # record batches of the next row group (touched by the writer thread only)
        self._held_rows = 0
        self._held_bytes = 0
        self._written = 0  # Arrow bytes written in row groups so far
        self._from_batches = pa.Table.from_batches
        # One writer thread per table: a batch is converted (and a row group encoded and compressed) while the next
        # batch fills (pyarrow releases the GIL while encoding); at most one step is in flight.
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="alabelbox-parquet")
        self._pending: Future[None] | None = None
        # Dictionary encoding and min/max statistics only where they pay: not on ids and JSON text, which are
        # unique per record (hashing them is time spent for a dictionary that is then dropped).
        plain = _UNIQUE_COLUMNS.get(name, frozenset())
        flat = [f.name for f in schema if not pa_types.is_nested(f.type)]
        # The C library's allocator, not Arrow's default (mimalloc or jemalloc): its release_unused() is glibc's
        # malloc_trim, which hands back what a row group used (the writer thread's arena kept it otherwise, and the
        # default pool kept about 15 MB more at 1 GB of export).
        self._pool = pa.system_memory_pool()
        self.writer = pq.ParquetWriter(
            self.part,
            schema,
            compression=compression,
            use_dictionary=[name for name in flat if name not in plain],
            write_statistics=[name for name in flat if name not in plain],
            memory_pool=self._pool,
        )

    def full(self) -> bool:
        return self.builder.n >= self.batch_rows or self.builder.bytes >= self.batch_bytes

    async def flush(self, *, last: bool = False) -> None:
        """Hand what is gathered to the writer thread as a batch, after its previous step is done.

        With ``last``, the held batches are written as the final row group.
        """
        await self.wait()
        if self.builder.n:
            self._pending = self._thread.submit(self.add_batch, self.builder.take())
        if last:
            await self.wait()
            self._pending = self._thread.submit(self.write_group)

    async def wait(self) -> None:
        """Wait for the step in flight (and raise its error)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await anyio.to_thread.run_sync(pending.result)

    def shutdown(self) -> None:
        self._thread.shutdown(wait=True)

    def group_bytes(self) -> int:
        """The Arrow bytes the next row group holds: about ``sqrt(FOOTER_BYTES x bytes written)``, within bounds."""
        return min(self.max_bytes, math.isqrt(self._footer * self._written))

    def add_batch(self, columns: dict[str, Any]) -> None:
        """In the writer thread: one batch of gathered columns to Arrow; a row group once enough are held."""
        batch = columns_batch(columns, self.schema, self._pool)
        self._held.append(batch)
        self._held_rows += batch.num_rows
        self._held_bytes += batch.nbytes
        del batch
        if self._held_rows >= self.max_rows or self._held_bytes >= self.group_bytes():
            self.write_group()

    def write_group(self) -> None:
        """In the writer thread: the held batches as one row group."""
        if not self._held:
            return
        table = self._from_batches(self._held, schema=self.schema)
        self._held = []
        self.writer.write_table(table, row_group_size=table.num_rows)
        self.row_groups += 1
        self._written += self._held_bytes
        self._held_rows = self._held_bytes = 0
        del table
        # Hand the pages this row group freed back to the system, so memory stays one row group's.
        self._pool.release_unused()


class ParquetDestination:
    """Writes the rows table to ``path`` and the annotations table beside it (see the module docstring).

    Args:
        path: The rows table's file (``.parquet``).
        annotations: Where the annotations table goes (default :func:`annotations_path`), or False for none.
        row_group_rows: Records per row group, at most.
        row_group_bytes: Arrow bytes per row group, at most (below it, a group's size follows ``FOOTER_BYTES``).
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
            await table.flush(last=True)
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
