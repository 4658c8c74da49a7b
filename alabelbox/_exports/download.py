"""``client.exports.download``: a stream copied to a file, atomically and resumably.

The bytes go to ``<path>.part`` as they arrive (no parsing) and the file is renamed to ``path`` when the whole
stream is there, so ``path`` never holds a partial export. A ``.part`` left by an interrupted download is continued:
it is cut back to its last complete line, its lines counted, and the stream resumed from that exact byte and line.

Layouts
    ``ndjson``: the export's own bytes. ``json``: ``[\\n``, the first row's line, then ``,`` + each further line,
    then ``]\\n``: valid JSON with one row per line, so a partial file still maps to a stream position
    (``offset = size - 2 - (rows - 1)``).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import anyio

from alabelbox._exceptions import ExportDownloadError, InvalidArgumentError
from alabelbox._exports.shards import DEFAULT_CONCURRENCY, fetch_metadata
from alabelbox._exports.stream import ShardStream
from alabelbox.types.export_task import DownloadProgress, StreamType

if TYPE_CHECKING:
    from alabelbox._client import Client

__all__ = ["download_task", "part_path"]

_JSON_HEAD = b"[\n"
_SCAN = 1 << 20


def part_path(path: Path) -> Path:
    """Where a download of ``path`` is written until it is complete."""
    return path.with_name(path.name + ".part")


def _inspect_part(part: Path, fmt: str) -> tuple[int, int, int]:
    """``(keep_bytes, stream_offset, stream_line)`` of a partial file: cut at its last newline."""
    size = part.stat().st_size
    newlines = 0
    last_newline = -1
    with part.open("rb") as fh:
        head = fh.read(len(_JSON_HEAD))
        if fmt == "json" and size and head != _JSON_HEAD:
            raise InvalidArgumentError("format", f"{part} is not a partial JSON download from alabelbox")
        if fmt == "ndjson" and head.startswith(b"["):
            raise InvalidArgumentError("format", f"{part} looks like a partial JSON download, not NDJSON")
        fh.seek(0)
        position = 0
        while chunk := fh.read(_SCAN):
            newlines += chunk.count(b"\n")
            found = chunk.rfind(b"\n")
            if found >= 0:
                last_newline = position + found
            position += len(chunk)
    keep = last_newline + 1
    if fmt == "ndjson":
        return keep, keep, newlines
    rows = newlines - 1  # the "[" line is not a row
    if rows <= 0:
        return len(_JSON_HEAD), 0, 0
    return keep, keep - len(_JSON_HEAD) - (rows - 1), rows


async def download_task(
    client: Client,
    task_id: str,
    path: str | os.PathLike[str],
    *,
    format: Literal["ndjson", "json"] = "ndjson",
    stream_type: StreamType = StreamType.RESULT,
    resume: bool = True,
    concurrency: int | None = None,
    on_progress: Callable[[DownloadProgress], Awaitable[None] | None] | None = None,
) -> DownloadProgress:
    """See :meth:`alabelbox.resources.exports.Exports.download`."""
    if format not in ("ndjson", "json"):
        raise InvalidArgumentError("format", f"expected 'ndjson' or 'json', got {format!r}")
    target = Path(path)
    part = part_path(target)
    stream_type = StreamType(stream_type)
    metadata = await fetch_metadata(client, task_id, stream_type)
    if metadata is None:
        # The stream does not exist: an export that matched nothing. Write the empty export, not an error,
        # unless the task itself cannot be found (fetch_metadata raises for that).
        await anyio.Path(part).write_bytes(b"[]\n" if format == "json" else b"")
        await anyio.to_thread.run_sync(os.replace, part, target)
        final = DownloadProgress(0, 0, 0, 0)
        await _report(on_progress, final)
        return final
    offset = line = 0
    keep = 0
    if resume and await anyio.Path(part).exists():
        keep, offset, line = await anyio.to_thread.run_sync(_inspect_part, part, format)
        if offset > metadata.total_size or line > metadata.total_lines:
            raise InvalidArgumentError(
                "path", f"{part} holds more than the stream ({offset} > {metadata.total_size} bytes): not this export"
            )
    async with await anyio.open_file(part, "r+b" if keep else "wb") as fh:
        if keep:
            await fh.truncate(keep)
            await fh.seek(keep)
        elif format == "json":
            await fh.write(_JSON_HEAD)
        comma = format == "json" and line > 0
        progress = DownloadProgress(offset, metadata.total_size, line, metadata.total_lines)
        await _report(on_progress, progress)
        if offset < metadata.total_size:
            stream: ShardStream[bytes] = ShardStream(
                client,
                task_id,
                stream_type=stream_type,
                model=None,
                start_offset=offset,
                start_line=line,
                concurrency=concurrency or DEFAULT_CONCURRENCY,
                missing_ok=False,
                mode="raw",
            )
            async with stream:
                async for data in stream:
                    if format == "json":
                        out = data.replace(b"\n", b"\n,")
                        if comma:
                            out = b"," + out
                        comma = out.endswith(b"\n,")
                        if comma:
                            out = out[:-1]
                        data = out
                    await fh.write(data)
                    done, lines = stream.position
                    progress = DownloadProgress(done, metadata.total_size, lines, metadata.total_lines)
                    await _report(on_progress, progress)
        if format == "json":
            await fh.write(b"]\n")
        await fh.flush()
        await anyio.to_thread.run_sync(os.fsync, fh.wrapped.fileno())
    if progress.bytes_done != metadata.total_size:
        raise ExportDownloadError(
            f"export task {task_id}: the stream ended at byte {progress.bytes_done} of {metadata.total_size}"
        )
    await anyio.to_thread.run_sync(os.replace, part, target)
    return progress


async def _report(
    callback: Callable[[DownloadProgress], Awaitable[None] | None] | None, progress: DownloadProgress
) -> None:
    if callback is None:
        return
    outcome = callback(progress)
    if inspect.isawaitable(outcome):
        await outcome
