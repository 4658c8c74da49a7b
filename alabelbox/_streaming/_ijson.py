"""The ijson engine: arbitrary JSON under any ijson prefix, validated from Python objects, without positions."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.lowlevel
import ijson
from pydantic import ValidationError

from alabelbox._exceptions import ExportParseError, IncompleteExportError
from alabelbox._streaming._errors import EXCERPT, Checker
from alabelbox._streaming._records import Progress, Record, T
from alabelbox._streaming._sources import prepend

logger = logging.getLogger("alabelbox.reader")


def ijson_backend() -> str:
    """The name of the ijson backend in use (``"yajl2_c"`` when the C extension is available)."""
    return str(ijson.backend)


@functools.cache
def _log_ijson_backend() -> None:
    """Say once per process which backend parses, and warn if it is a slow pure-Python one."""
    if ijson_backend() == "yajl2_c":
        logger.info("ijson backend: yajl2_c (C)")
    else:
        logger.warning(
            "ijson backend: %s; only a pure-Python ijson backend is available, JSON parsing will be slow",
            ijson_backend(),
        )


class _ChunkFile:
    """An async file-like view of a chunk iterator, for ijson's async API."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        self._chunks = chunks
        self._buf = b""
        self.consumed = 0
        self.tail = b""

    async def read(self, size: int = -1) -> bytes:
        if not self._buf:
            self._buf = await anext(self._chunks, b"")
        out = self._buf if size < 0 else self._buf[:size]
        self._buf = b"" if size < 0 else self._buf[size:]
        self.consumed += len(out)
        if out:
            self.tail = out[-EXCERPT:]
        return out


async def ijson_records(
    progress: Progress,
    chunks: AsyncIterator[bytes],
    first: bytes,
    *,
    python_validate: Callable[[Any], T],
    checker: Checker,
    prefix: str | None,
) -> AsyncIterator[Record[T]]:
    """The objects under ``prefix`` (default: the items of a top-level array, else the document) as records."""
    _log_ijson_backend()
    head = prepend(first, chunks)
    reader = _ChunkFile(head)
    if prefix is None:
        prefix = "item" if first.lstrip().startswith(b"[") else ""
    n = 0
    try:
        async for obj in ijson.items_async(reader, prefix, use_float=True):
            try:
                value = python_validate(obj)
            except ValidationError as exc:
                err = checker.invalid_record(exc, repr(obj).encode(), reader.consumed, None)
                err.offset = None  # the message says about where; the attribute is for exact positions only
                checker.reject(err, exc)
                continue
            progress.count += 1
            n += 1
            yield Record(value, None, None, None)
            if n % 32 == 0:
                await anyio.lowlevel.checkpoint()
    except ijson.JSONError as exc:
        message = str(exc).strip()
        tail = reader.tail.decode("utf-8", "replace")
        if isinstance(exc, ijson.IncompleteJSONError) and (
            "premature EOF" in message or "incomplete" in message.lower()
        ):
            raise IncompleteExportError(f"the stream ended inside the JSON document ({message})", excerpt=tail) from exc
        raise ExportParseError(f"malformed JSON: {message}", offset=reader.consumed, excerpt=tail) from exc
    finally:
        await head.aclose()  # not left to the garbage collector, whose asyncio hook would close it in a task
