"""What a destination reads: export rows from a stream, an iterable, or a downloaded file, as plain dicts."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import anyio
import anyio.lowlevel

from alabelbox._streaming import Record, read_records
from alabelbox.destinations._flatten import as_dict

__all__ = ["iter_rows"]

_YIELD_EVERY = 256


async def iter_rows(source: Any) -> AsyncIterator[dict[str, Any]]:
    """Each export row of ``source`` as the export's JSON object.

    ``source`` is an entered stream (``client.exports.stream(...)``, best with ``model=None``), a
    :func:`~alabelbox.read_records` reader, any async or sync iterable of rows (dicts, ``ExportRow`` models or
    :class:`~alabelbox.Record` of either), or the path of an NDJSON or JSON export file on disk.
    """
    if isinstance(source, str | os.PathLike):
        async with await anyio.open_file(Path(source), "rb") as fh, read_records(fh, None) as reader:
            async for record in reader:
                yield as_dict(record.value)
        return
    if hasattr(source, "__aiter__"):
        async for item in source:
            yield as_dict(item.value if isinstance(item, Record) else item)
        return
    if isinstance(source, Iterable) and not isinstance(source, bytes | dict):
        for n, item in enumerate(source, 1):
            yield as_dict(item.value if isinstance(item, Record) else item)
            if n % _YIELD_EVERY == 0:
                await anyio.lowlevel.checkpoint()
        return
    raise TypeError(
        f"expected an export stream, an iterable of rows or the path of an export file, got {type(source).__name__}"
    )
